// The AST of a .call file: what the syntax stage hands to sema. Every node keeps its source span;
// nothing here refers to ANTLR.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::ast {

struct Name {
  std::string text;
  Span span;
};

// The binary operators, as the parser recognises them: sema and codegen switch over this, so
// that an operator one of them does not handle is a compiler warning (-Wswitch), not a lookup
// that fails while compiling.
enum class BinaryOp : std::uint8_t { Add, Sub, Lt, Le, Gt, Ge, Eq, Ne, And, Or };

// How the source writes `op`, for messages and for the parser's mapping of tokens.
constexpr std::string_view spelling(BinaryOp op) {
  switch (op) {
    case BinaryOp::Add: return "+";
    case BinaryOp::Sub: return "-";
    case BinaryOp::Lt: return "<";
    case BinaryOp::Le: return "<=";
    case BinaryOp::Gt: return ">";
    case BinaryOp::Ge: return ">=";
    case BinaryOp::Eq: return "==";
    case BinaryOp::Ne: return "!=";
    case BinaryOp::And: return "and";
    case BinaryOp::Or: return "or";
  }
  return "?";
}

inline constexpr BinaryOp kBinaryOps[] = {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Lt, BinaryOp::Le, BinaryOp::Gt,
                                          BinaryOp::Ge,  BinaryOp::Eq,  BinaryOp::Ne, BinaryOp::And, BinaryOp::Or};

// The operator spelt `text`, if any.
constexpr std::optional<BinaryOp> binary_op(std::string_view text) {
  for (const BinaryOp op : kBinaryOps)
    if (spelling(op) == text) return op;
  return std::nullopt;
}

struct Expr {
  // WorkingTime: the built-in `working_time`, which sema makes of a Name that is no slot.
  enum class Kind { Int, Str, Bool, Name, Not, Neg, Binary, WorkingTime };
  Kind kind = Kind::Int;
  Span span;
  std::int64_t number = 0;  // Int, Bool
  std::string text;         // Str (decoded), Name
  BinaryOp op = BinaryOp::Add;  // Binary
  std::unique_ptr<Expr> lhs, rhs;  // Not/Neg use lhs

  // Filled in by sema.
  enum class Type { Error, Int, Bool, Text, Enum };
  Type type = Type::Error;
  std::int32_t enum_slot = -1;  // Enum: the slot whose enum this value belongs to
  std::int32_t slot = -1;       // Name: the slot it reads
  std::int32_t member = -1;     // Name: the enum member it denotes (when not a slot)
};

struct EmitArg {
  Name name;
  std::unique_ptr<Expr> value;
};

struct Action {
  enum class Kind { Say, Set, Emit, Start, Stop };
  Kind kind = Kind::Say;
  Span span;
  std::string text;  // Say: the decoded MessageFormat pattern
  Span text_span;    // Say: the string literal, quotes included
  std::vector<std::uint32_t> text_offsets;  // Say: source byte offset of each byte of `text`
  Name name;         // Set: the slot; Emit: the effect; Start, Stop: the SLA; Say: a phrase
                     // (`say NAME`, empty for a literal), whose text the import stage copies in
  std::unique_ptr<Expr> value;  // Set
  std::vector<EmitArg> args;    // Emit
  std::int32_t slot = -1;       // Set: filled in by sema
  std::int32_t effect = -1;     // Emit: the declaration, filled in by sema
  std::int32_t sla = -1;        // Start, Stop: filled in by sema
};

struct Transition {
  // Filled: the state's ask got a valid value for every slot it asks (lowered from `filled`).
  enum class Trigger { Event, After, When, Always, Filled };
  Trigger trigger = Trigger::Event;
  Span span;        // the keyword that starts it
  Name event;       // Event
  std::int64_t after_ms = 0;  // After: milliseconds (of work time for WorkTime), or WorkDays days
  bc::DurationUnit after_unit = bc::DurationUnit::Wall;
  Span after_span;
  std::unique_ptr<Expr> guard;
  bool has_block = false;
  std::vector<Action> actions;
  // `-> STATE`, `-> return`, or `-> call FLOW [then STATE]` (target is then the state to
  // return to; without `then` the call returns to the state that made it).
  enum class Goes { State, Return, Call };
  Goes goes = Goes::State;
  std::optional<Name> target;
  std::optional<Name> call;  // the flow, for Goes::Call
  // `-> CAMPAIGN failed "REASON"`: target names the campaign; the lowering replaces both with
  // the campaign's state for that reason.
  std::optional<Name> failure;
  Span arrow_span;

  // Filled in by sema.
  std::int32_t event_index = -1;
  std::int32_t target_index = -1;
  std::int32_t call_index = -1;  // the flow

  // Whether it leaves the state: to another state, into a flow, or back out of one.
  bool leaves() const { return target.has_value() || goes != Goes::State; }
};

// `ask a, b { noinput "..." nomatch "..." max 3 -> T filled -> U }`. The lowering pass turns it
// into two counter slots, `noinput` / `nomatch` transitions and Filled transitions.
struct Ask {
  Span span;
  std::vector<Name> slots;
  std::vector<Action> noinput, nomatch;  // Say actions: the reprompts, in escalation order
  std::int64_t max = 0;                  // 0: not given
  Span max_span;
  std::optional<Transition> on_max;      // its actions and target
  std::vector<Transition> filled;
  std::vector<std::int32_t> slot_indices;  // filled in by sema
};

struct State {
  Name name;     // as written; inside a flow it is local to the flow
  Span span;
  std::int32_t flow = -1;  // the flow it belongs to, -1 at the script's top level
  bool final = false;
  Name outcome;  // final states
  std::vector<Action> entry;
  std::vector<Transition> transitions;
  std::optional<Ask> ask;
  bool reachable = false;  // filled in by sema
};

// A duration as a script writes it: wall time (`30s`) or business time (`2 workdays`).
struct Duration {
  enum class Unit { Wall, WorkTime, WorkDays };
  Unit unit = Unit::Wall;
  std::int64_t amount = 0;  // Wall, WorkTime: milliseconds; WorkDays: days
  Span span;
};

// `sla NAME: DURATION [promise] [{ breach actions }] [-> target]`.
struct Sla {
  Name name;
  Duration duration;
  bool promise = false;
  Transition breach;  // Trigger::Event with no event: its actions and target
};

struct SlotType {
  bc::SlotType kind = bc::SlotType::Text;
  std::uint16_t digits = 0;
  std::vector<Name> members;  // Enum
  Span span;
};

struct Slot {
  Name name;
  SlotType type;
  bool pii = false;  // private data: masked in what tools print
  bool host = false; // filled by the host application (CRM data), not asked of the customer
  bool identity = false;  // a bool that is true once the caller's identity is verified
  std::unique_ptr<Expr> init;
};

struct Event {
  Name name;
  std::string label;
};

// `effect create_ticket(kind: text, due_hours: number)`: what a script may ask the host to do.
struct EffectParam {
  Name name;
  Expr::Type type = Expr::Type::Text;  // Text (text, digits), Int (number) or Bool
  bool pii = false;                    // may carry a value of a pii slot
};

struct EffectDecl {
  Name name;
  std::vector<EffectParam> params;
};

struct Meta {
  std::string value;
  Span span;
  bool given = false;
};

struct Flow {
  Name name;
  Span span;
  std::size_t first_state = 0, state_count = 0;  // a run of Script::states
  std::vector<Transition> handlers;              // apply to its states before the script's
  // `flow NAME questionnaire`: its states that ask are questions, to be asked in the order they are
  // written, none skipped, before it returns (呼出操作手册规范篇: 禁止跳题、漏题、更改问卷问题顺序;
  // proved by sema, E0435).
  bool questionnaire = false;
};

// `campaign NAME { ... }`: an outbound retry campaign (呼出操作手册规范篇), lowered into states
// before sema.
struct Campaign {
  Name name;
  Span span;
  std::optional<Name> numbers;           // the slot holding how many numbers the task has
  std::int64_t passes = 0;               // when the same for every task
  std::optional<Name> passes_by;         // the enum slot whose member picks the count
  std::vector<std::pair<Name, std::int64_t>> passes_table;
  Span passes_span;
  std::int64_t interval_ms = 0;
  Span interval_span;
  std::int64_t ring_max = 0;             // the ring event's count that means no answer
  Name ring_event;
  std::int64_t ring_ms = 0;              // or this long without an answer
  Span ring_span;
  bool hours = false;                    // dial only in the calendar's working time
  Span hours_span;
  std::optional<Transition> connected;   // `on EVENT -> STATE`: the customer's line is answered
  struct Failure {
    Name event;
    Name reason;  // as written, the manual's written form (呼出操作手册规范篇: 应录入“书面语”)
  };
  std::vector<Failure> failures;
  std::optional<Transition> exhausted;   // every pass is used up
  std::optional<Transition> no_numbers;  // none to dial: none given, or every one struck off
};

// `phrase NAME "text"`: a standard phrase, said with `say NAME`.
struct Phrase {
  Name name;
  std::string text;  // decoded, like a say's
  Span text_span;
  std::vector<std::uint32_t> text_offsets;
};

// `import "PATH"`: a library file, relative to the file that imports it.
struct Import {
  std::string path;
  Span span;
};

struct Script {
  Name name;
  bool library = false;  // `library NAME { ... }`: only to be imported
  Meta title, locale, channel;
  std::optional<Name> start;
  std::vector<Slot> slots;
  std::vector<Event> events;
  std::vector<EffectDecl> effects;
  std::vector<Transition> handlers;
  std::vector<Sla> slas;
  Meta calendar;              // the business calendar's path, relative to the script
  std::vector<State> states;  // top-level states and, in runs, the states of each flow
  std::vector<Flow> flows;
  std::vector<Campaign> campaigns;
  std::vector<Phrase> phrases;
  std::vector<Import> imports;
  // Items a library may not hold (states, handlers, SLAs, ...), for the import stage to refuse.
  std::vector<Span> not_in_library;
  Span span;
  std::int32_t start_index = 0;  // filled in by sema
  std::int32_t noinput_event = -1, nomatch_event = -1;  // filled in by the lowering of asks
};

// Whether the script is an outbound revisit (呼出操作手册规范篇: the agent calls the customer back),
// which may promise no processing time and no result: it has a `campaign`, the dialing rules that
// only an outbound call has. The compiler's E0438 and the linter's revisit rules both ask this.
inline bool is_outbound_revisit(const Script& s) { return !s.campaigns.empty(); }

// Calls f on every transition the script holds, wherever it is written: a state's, an ask's
// `max` and `filled`, a handler (script-wide or a flow's), an SLA's breach, a campaign's ways out.
template <class F>
void for_each_transition(Script& s, F&& f) {
  for (auto& st : s.states) {
    for (auto& t : st.transitions) f(t);
    if (st.ask) {
      if (st.ask->on_max) f(*st.ask->on_max);
      for (auto& t : st.ask->filled) f(t);
    }
  }
  for (auto& t : s.handlers) f(t);
  for (auto& fl : s.flows)
    for (auto& t : fl.handlers) f(t);
  for (auto& sla : s.slas) f(sla.breach);
  for (auto& k : s.campaigns)
    for (auto* t : {&k.connected, &k.exhausted, &k.no_numbers})
      if (*t) f(**t);
}

}  // namespace callscript::ast
