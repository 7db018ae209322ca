// The .callbc format: the compiled form of one script, as the compiler writes it and the runtime
// loads it. `Image` is the decoded form; `serialize` and `deserialize` map it to bytes.
//
// File layout (all integers little-endian):
//
//   magic      4 bytes  "CLBC"
//   major      u16      format major version: a reader rejects any other major
//   minor      u16      format minor version: a newer minor only adds sections, which older
//                       readers skip
//   count      u32      number of sections
//   table      count x { id u32, offset u32, size u32 }   offsets from the start of the file
//   sections   ...      each a packed array of fixed-size records (see Section)
//   checksum   u32      CRC-32 (IEEE) of every byte before it
//
// Names and texts live once in the string pool; every other table refers to them by index.
// Deserialisation checks only the shape of the bytes (sizes, counts, the checksum); whether the
// indices inside make sense is the verifier's job (`verify`), and a Program exists only for an
// Image that passed it.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::bc {

inline constexpr char kMagic[4] = {'C', 'L', 'B', 'C'};

// Whether `bytes` start like a .callbc file (tools take anything else as .call source).
inline bool has_bytecode_magic(std::string_view bytes) {
  return bytes.size() >= sizeof kMagic && bytes.substr(0, sizeof kMagic) == std::string_view(kMagic, sizeof kMagic);
}
inline constexpr std::uint16_t kFormatMajor = 2;
inline constexpr std::uint16_t kFormatMinor = 2;  // 2.1: business-time `after`, WorkingTime;
                                                  // 2.2: the Kinds section, identity slots
inline constexpr std::uint32_t kNone = 0xFFFFFFFFu;  // "no index": no guard, stay in state, ...
inline constexpr std::uint32_t kReturn = 0xFFFFFFFEu;  // a transition's target: back to the flow's caller

// Limits the verifier enforces, so that the interpreter can use fixed-size storage.
inline constexpr std::size_t kMaxStack = 16;           // operand stack depth of any block
inline constexpr std::size_t kMaxTimersPerState = 32;  // `after` transitions of one state
inline constexpr std::size_t kMaxIndex16 = 0xFFFF;     // U16 operands index pools up to this
inline constexpr std::size_t kMaxCallDepth = 8;        // flows active at once (the call stack)
inline constexpr std::size_t kMaxAskedSlots = 16;      // slots one `ask` fills at once
inline constexpr std::size_t kMaxSlas = 64;            // SLA timers of one script

// Phone: a mainland mobile or landline number, kept as text. Time: a time of day, kept as
// minutes since midnight and written HH:MM.
enum class SlotType : std::uint8_t { Text, Digits, Number, Bool, Enum, Phone, Time };
// Slot flags. Pii: the value is private data (a phone number, an ID); tools mask it in what they
// print, and effects say which of their arguments carry it.
inline constexpr std::uint8_t kSlotPii = 1;
// Host: the host application fills it (CRM data, a ticket number) with `input` in any state; other
// slots take input only while a state asks them.
inline constexpr std::uint8_t kSlotHost = 2;
// Identity: a bool that is true once the caller's identity is verified; private data is said
// only while one is (the proofs read it; the runtime does not).
inline constexpr std::uint8_t kSlotIdentity = 4;
inline constexpr std::uint8_t kSlotFlagsKnown = kSlotPii | kSlotHost | kSlotIdentity;
// What a script or a flow is, for the proofs a checker runs on the program (the Kinds section).
// Revisit: an outbound revisit (it has a campaign), which promises the customer nothing.
inline constexpr std::uint32_t kScriptRevisit = 1;
// Questionnaire: a flow whose asking states are questions, asked in order, none skipped.
inline constexpr std::uint32_t kFlowQuestionnaire = 1;
// Filled: the state's ask got every slot it asks. Breach: an SLA's handler (never in a state's
// run; an Sla record points at it).
// Slots kept as text (the rest are kept as integers).
constexpr bool is_text_type(SlotType t) {
  return t == SlotType::Text || t == SlotType::Digits || t == SlotType::Phone;
}

enum class Trigger : std::uint8_t { Event, Eventless, After, Filled, Breach };
enum class DurationUnit : std::uint8_t { Wall, WorkTime, WorkDays };

enum class Section : std::uint32_t {
  Strings = 1,      // u32 count, u32 offsets[count + 1], then the UTF-8 bytes
  Script = 2,       // one ScriptInfo record
  Slots = 3,        // Slot records
  EnumMembers = 4,  // u32 string index each; a Slot of type Enum owns a run of them
  Events = 5,       // Event records
  Prompts = 6,      // Prompt records
  Effects = 7,      // EffectDecl records
  EffectArgs = 8,   // u32 string index each (argument names); an EffectDecl owns a run
  States = 9,       // State records
  Transitions = 10, // Transition records
  Code = 11,        // raw instruction bytes
  AskSlots = 12,    // u32 slot index each; a State with an ask owns a run of them
  Slas = 13,        // Sla records
  Flows = 14,       // Flow records
  Calendar = 15,    // a business calendar table (BusinessCalendar::to_bytes); absent if unused
  Kinds = 16,       // u32 each: the script's kind (kScriptRevisit), then one per flow
                    // (kFlowQuestionnaire); absent or empty: none
};

struct ScriptInfo {      // 10 x u32
  std::uint32_t name = 0, title = 0, locale = 0, channel = 0;  // string indices
  std::uint32_t start_state = 0;
  std::uint32_t first_handler = 0, handler_count = 0;  // script-wide handlers, in Transitions
  std::uint32_t source = 0;                            // string index: the source file's name
  std::uint32_t noinput_event = kNone, nomatch_event = kNone;  // the events asks react to
};

struct Slot {            // name u32, type u8, flags u8, digits u16, enum_first u32, enum_count u32,
                         // init_int i64, init_str u32  (= 28 bytes)
  std::uint32_t name = 0;
  SlotType type = SlotType::Text;
  std::uint8_t flags = 0;    // kSlotPii, ...
  std::uint16_t digits = 0;  // Digits: required length, 0 = any
  std::uint32_t enum_first = 0, enum_count = 0;  // Enum: run in EnumMembers
  std::int64_t init_int = 0;                     // Number, Bool, Enum (member index)
  std::uint32_t init_str = kNone;                // Text, Digits: string index, kNone = empty
};

struct Event {           // name u32, label u32
  std::uint32_t name = 0;
  std::uint32_t label = kNone;  // text for the agent's screen
};

struct Prompt {          // id u32, text u32, line u32
  std::uint32_t id = 0;    // string index of the stable prompt id, e.g. "greet.1"
  std::uint32_t text = 0;  // string index of the ICU MessageFormat pattern
  std::uint32_t line = 0;  // source line, for traces
};

struct EffectDecl {      // name u32, first_arg u32, argc u32
  std::uint32_t name = 0;
  std::uint32_t first_arg = 0, argc = 0;  // run in EffectArgs
};

struct State {           // name u32, outcome u32, entry u32, first_transition u32,
                         // transition_count u32, line u32, flow u32, ask_first u32,
                         // ask_count u32  (= 36 bytes)
  std::uint32_t name = 0;
  std::uint32_t outcome = kNone;  // string index; not kNone means the state is final
  std::uint32_t entry = kNone;    // code offset of the entry actions, kNone = none
  std::uint32_t first_transition = 0, transition_count = 0;
  std::uint32_t line = 0;
  std::uint32_t flow = kNone;     // the flow it belongs to, kNone at the top level
  std::uint32_t ask_first = 0, ask_count = 0;  // the slots it asks: a run in AskSlots
};

struct Flow {            // name u32, first_handler u32, handler_count u32
  std::uint32_t name = 0;
  std::uint32_t first_handler = 0, handler_count = 0;  // its handlers, in Transitions
};

struct Sla {             // name u32, unit u8, promise u8, pad u8 x2, amount i64, breach u32
                         // (= 20 bytes)
  std::uint32_t name = 0;
  DurationUnit unit = DurationUnit::Wall;
  std::uint8_t promise = 0;  // 1: backs a promise to the customer; fires at 80 %
  std::int64_t amount = 0;   // Wall, WorkTime: milliseconds; WorkDays: days
  std::uint32_t breach = 0;  // its Breach transition, in Transitions
};

struct Transition {      // trigger u8, after_unit u8, pad u8 x2, event u32, after_ms i64, guard u32,
                         // action u32, target u32, line u32, call u32  (= 36 bytes)
  Trigger trigger = Trigger::Event;
  DurationUnit after_unit = DurationUnit::Wall;  // After: Wall, or business time on the calendar
  std::uint32_t event = kNone;  // Event: event index
  std::int64_t after_ms = 0;    // After: delay from entering the state (WorkDays: a day count)
  std::uint32_t guard = kNone;  // code offset of a guard block, kNone = always
  std::uint32_t action = kNone; // code offset of an action block, kNone = none
  std::uint32_t target = kNone; // state index, kNone = stay (actions only, the state is not left),
                                // kReturn = back to where the current flow was called from
  std::uint32_t line = 0;
  std::uint32_t call = kNone;   // a flow's first state: push the return point, then enter it. The
                                // return point is `target`, or the calling state when kNone.
};

struct Image {
  std::uint16_t major = kFormatMajor, minor = kFormatMinor;
  std::vector<std::string> strings;
  ScriptInfo script;
  std::vector<Slot> slots;
  std::vector<std::uint32_t> enum_members;
  std::vector<Event> events;
  std::vector<Prompt> prompts;
  std::vector<EffectDecl> effects;
  std::vector<std::uint32_t> effect_args;
  std::vector<State> states;
  std::vector<Transition> transitions;
  std::vector<std::uint8_t> code;
  std::vector<std::uint32_t> ask_slots;
  std::vector<Sla> slas;
  std::vector<Flow> flows;
  std::vector<std::uint8_t> calendar;  // empty: the script uses no business time
  std::uint32_t script_kind = 0;       // kScriptRevisit
  std::vector<std::uint32_t> flow_kinds;  // empty, or one per flow: kFlowQuestionnaire

  bool questionnaire(std::uint32_t flow) const { return flow < flow_kinds.size() && (flow_kinds[flow] & kFlowQuestionnaire); }

  std::string_view str(std::uint32_t i) const { return i < strings.size() ? std::string_view(strings[i]) : std::string_view(); }
};

std::vector<std::uint8_t> serialize(const Image& image);

// Fills `out` and returns an empty string, or returns what is wrong with the bytes.
std::string deserialize(std::span<const std::uint8_t> bytes, Image& out);

// Checks every index, range, code block and string of a deserialised image. Returns an empty
// string when the image is safe to run, or the first problem found.
std::string verify(const Image& image);

// CRC-32 (IEEE 802.3), as stored in the file's trailer.
std::uint32_t crc32(std::span<const std::uint8_t> bytes);

// Writes a human-readable listing of the image: tables, then every code block, one instruction
// a line, generated from the opcode table.
std::string disassemble(const Image& image);

}  // namespace callscript::bc
