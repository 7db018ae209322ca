// Reading and writing .callbc bytes. Every integer is written and read one byte at a time in
// little-endian order, so the file means the same on every host and no struct layout or
// alignment leaks into it. Deserialisation trusts nothing: every size is checked with 64-bit
// arithmetic before any byte is touched, so hostile input can only be refused, never read past.
#include <callscript/bytecode.h>
#include "text/text.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>

namespace callscript::bc {
namespace {

// --- little helpers for messages ----------------------------------------------------------------

using text::cat;

std::string hex32(std::uint32_t v) { return "0x" + text::hex(v, 8); }

// --- layout constants ---------------------------------------------------------------------------

constexpr std::size_t kHeaderSize = 12;  // magic, major, minor, count
constexpr std::size_t kEntrySize = 12;   // id, offset, size
constexpr std::size_t kTrailerSize = 4;  // CRC-32

constexpr std::size_t kScriptSize = 40;
constexpr std::size_t kSlotSize = 28;
constexpr std::size_t kIndexSize = 4;  // EnumMembers, EffectArgs
constexpr std::size_t kEventSize = 8;
constexpr std::size_t kPromptSize = 12;
constexpr std::size_t kEffectSize = 12;
constexpr std::size_t kStateSize = 36;
constexpr std::size_t kTransitionSize = 36;
constexpr std::size_t kFlowSize = 12;
constexpr std::size_t kSlaSize = 20;

constexpr std::uint32_t kFirstSection = 1, kLastSection = 16;

const char* section_name(std::uint32_t id) {
  static constexpr const char* kNames[] = {
      "?",       "Strings", "Script", "Slots",  "EnumMembers", "Events",
      "Prompts", "Effects", "EffectArgs", "States", "Transitions", "Code", "AskSlots", "Slas",
      "Flows", "Calendar", "Kinds"};
  return id >= kFirstSection && id <= kLastSection ? kNames[id] : "unknown";
}

// The size of one record of a fixed-record section; 0 for sections with their own shape.
std::size_t record_size(Section s) {
  switch (s) {
    case Section::Slots: return kSlotSize;
    case Section::EnumMembers: return kIndexSize;
    case Section::Events: return kEventSize;
    case Section::Prompts: return kPromptSize;
    case Section::Effects: return kEffectSize;
    case Section::EffectArgs: return kIndexSize;
    case Section::States: return kStateSize;
    case Section::Transitions: return kTransitionSize;
    case Section::Code: return 1;
    case Section::AskSlots: return kIndexSize;
    case Section::Slas: return kSlaSize;
    case Section::Flows: return kFlowSize;
    case Section::Calendar: return 1;
    case Section::Kinds: return kIndexSize;
    case Section::Strings:
    case Section::Script: return 0;
  }
  return 0;
}

// --- writing ------------------------------------------------------------------------------------

struct Writer {
  std::vector<std::uint8_t>& out;
  void u8(std::uint8_t v) { out.push_back(v); }
  void u16(std::uint16_t v) {
    u8(static_cast<std::uint8_t>(v));
    u8(static_cast<std::uint8_t>(v >> 8));
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i64(std::int64_t sv) {
    auto v = static_cast<std::uint64_t>(sv);
    for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void patch_u32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
};

void write_section(Writer& w, const Image& im, Section s) {
  switch (s) {
    case Section::Strings: {
      w.u32(static_cast<std::uint32_t>(im.strings.size()));
      std::uint32_t offset = 0;
      w.u32(offset);
      for (const auto& str : im.strings) {
        offset += static_cast<std::uint32_t>(str.size());
        w.u32(offset);
      }
      for (const auto& str : im.strings)
        for (char c : str) w.u8(static_cast<std::uint8_t>(c));
      break;
    }
    case Section::Script: {
      const ScriptInfo& si = im.script;
      for (std::uint32_t v : {si.name, si.title, si.locale, si.channel, si.start_state,
                              si.first_handler, si.handler_count, si.source, si.noinput_event,
                              si.nomatch_event})
        w.u32(v);
      break;
    }
    case Section::Slots:
      for (const Slot& sl : im.slots) {
        w.u32(sl.name);
        w.u8(static_cast<std::uint8_t>(sl.type));
        w.u8(sl.flags);
        w.u16(sl.digits);
        w.u32(sl.enum_first);
        w.u32(sl.enum_count);
        w.i64(sl.init_int);
        w.u32(sl.init_str);
      }
      break;
    case Section::EnumMembers:
      for (std::uint32_t m : im.enum_members) w.u32(m);
      break;
    case Section::Events:
      for (const Event& e : im.events) {
        w.u32(e.name);
        w.u32(e.label);
      }
      break;
    case Section::Prompts:
      for (const Prompt& p : im.prompts) {
        w.u32(p.id);
        w.u32(p.text);
        w.u32(p.line);
      }
      break;
    case Section::Effects:
      for (const EffectDecl& e : im.effects) {
        w.u32(e.name);
        w.u32(e.first_arg);
        w.u32(e.argc);
      }
      break;
    case Section::EffectArgs:
      for (std::uint32_t a : im.effect_args) w.u32(a);
      break;
    case Section::States:
      for (const State& st : im.states) {
        for (std::uint32_t v :
             {st.name, st.outcome, st.entry, st.first_transition, st.transition_count, st.line,
              st.flow, st.ask_first, st.ask_count})
          w.u32(v);
      }
      break;
    case Section::Transitions:
      for (const Transition& t : im.transitions) {
        w.u8(static_cast<std::uint8_t>(t.trigger));
        w.u8(static_cast<std::uint8_t>(t.after_unit));
        w.u8(0);
        w.u8(0);
        w.u32(t.event);
        w.i64(t.after_ms);
        w.u32(t.guard);
        w.u32(t.action);
        w.u32(t.target);
        w.u32(t.line);
        w.u32(t.call);
      }
      break;
    case Section::Code:
      w.out.insert(w.out.end(), im.code.begin(), im.code.end());
      break;
    case Section::AskSlots:
      for (std::uint32_t a : im.ask_slots) w.u32(a);
      break;
    case Section::Slas:
      for (const Sla& sla : im.slas) {
        w.u32(sla.name);
        w.u8(static_cast<std::uint8_t>(sla.unit));
        w.u8(sla.promise);
        w.u8(0);
        w.u8(0);
        w.i64(sla.amount);
        w.u32(sla.breach);
      }
      break;
    case Section::Flows:
      for (const Flow& f : im.flows)
        for (std::uint32_t v : {f.name, f.first_handler, f.handler_count}) w.u32(v);
      break;
    case Section::Calendar:
      w.out.insert(w.out.end(), im.calendar.begin(), im.calendar.end());
      break;
    case Section::Kinds:
      if (im.script_kind == 0 && im.flow_kinds.empty()) break;
      w.u32(im.script_kind);
      for (std::uint32_t k : im.flow_kinds) w.u32(k);
      break;
  }
}

// --- reading ------------------------------------------------------------------------------------

// Callers check bounds before reading; these only assemble bytes.
std::uint16_t rd16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
std::uint32_t rd32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}
std::int64_t rd64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return static_cast<std::int64_t>(v);
}

using Bytes = std::span<const std::uint8_t>;

std::string read_strings(Bytes b, Image& im) {
  if (b.size() < 4) return "strings section: too short for its count";
  const std::uint64_t count = rd32(b.data());
  const std::uint64_t table_end = 4 + 4 * (count + 1);
  if (table_end > b.size())
    return cat("strings section: ", count, " strings need an offset table of ", table_end - 4,
               " bytes but the section has ", b.size());
  const std::uint64_t data_size = b.size() - table_end;
  const std::uint8_t* data = b.data() + table_end;
  if (rd32(b.data() + 4) != 0) return "strings section: the first offset is not 0";
  im.strings.reserve(count);
  std::uint32_t prev = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint32_t next = rd32(b.data() + 4 + 4 * (i + 1));
    if (next < prev) return cat("strings section: offset of string ", i + 1, " goes backwards");
    if (next > data_size)
      return cat("strings section: string ", i, " ends at ", next, ", past the ", data_size,
                 " bytes of text");
    im.strings.emplace_back(reinterpret_cast<const char*>(data + prev), next - prev);
    prev = next;
  }
  if (prev != data_size)
    return cat("strings section: ", data_size - prev, " bytes after the last string");
  return {};
}

// Decodes a fixed-record section whose size is already a multiple of `size`.
template <class T, class F>
void read_records(Bytes b, std::size_t size, std::vector<T>& out, F decode) {
  out.resize(b.size() / size);
  for (std::size_t i = 0; i < out.size(); ++i) decode(b.data() + i * size, out[i]);
}

std::string read_section(Section s, Bytes b, Image& im) {
  switch (s) {
    case Section::Strings: return read_strings(b, im);
    case Section::Script: {
      if (b.size() != kScriptSize)
        return cat("Script section: ", b.size(), " bytes, expected exactly one ", kScriptSize,
                   "-byte record");
      ScriptInfo& si = im.script;
      std::uint32_t* fields[] = {&si.name,          &si.title,         &si.locale,
                                 &si.channel,       &si.start_state,   &si.first_handler,
                                 &si.handler_count, &si.source,     &si.noinput_event,
                                 &si.nomatch_event};
      for (std::size_t i = 0; i < 10; ++i) *fields[i] = rd32(b.data() + 4 * i);
      return {};
    }
    case Section::Slots: {
      read_records(b, kSlotSize, im.slots, [](const std::uint8_t* p, Slot& sl) {
        sl.name = rd32(p);
        sl.type = static_cast<SlotType>(p[4]);
        sl.flags = p[5];
        sl.digits = rd16(p + 6);
        sl.enum_first = rd32(p + 8);
        sl.enum_count = rd32(p + 12);
        sl.init_int = rd64(p + 16);
        sl.init_str = rd32(p + 24);
      });
      for (std::size_t i = 0; i < b.size() / kSlotSize; ++i) {
        const std::uint8_t type = b[i * kSlotSize + 4];
        if (type > static_cast<std::uint8_t>(SlotType::Time))
          return cat("slot ", i, ": unknown type ", type);
      }
      return {};
    }
    case Section::EnumMembers:
      read_records(b, kIndexSize, im.enum_members,
                   [](const std::uint8_t* p, std::uint32_t& v) { v = rd32(p); });
      return {};
    case Section::Events:
      read_records(b, kEventSize, im.events, [](const std::uint8_t* p, Event& e) {
        e.name = rd32(p);
        e.label = rd32(p + 4);
      });
      return {};
    case Section::Prompts:
      read_records(b, kPromptSize, im.prompts, [](const std::uint8_t* p, Prompt& pr) {
        pr.id = rd32(p);
        pr.text = rd32(p + 4);
        pr.line = rd32(p + 8);
      });
      return {};
    case Section::Effects:
      read_records(b, kEffectSize, im.effects, [](const std::uint8_t* p, EffectDecl& e) {
        e.name = rd32(p);
        e.first_arg = rd32(p + 4);
        e.argc = rd32(p + 8);
      });
      return {};
    case Section::EffectArgs:
      read_records(b, kIndexSize, im.effect_args,
                   [](const std::uint8_t* p, std::uint32_t& v) { v = rd32(p); });
      return {};
    case Section::States:
      read_records(b, kStateSize, im.states, [](const std::uint8_t* p, State& st) {
        st.name = rd32(p);
        st.outcome = rd32(p + 4);
        st.entry = rd32(p + 8);
        st.first_transition = rd32(p + 12);
        st.transition_count = rd32(p + 16);
        st.line = rd32(p + 20);
        st.flow = rd32(p + 24);
        st.ask_first = rd32(p + 28);
        st.ask_count = rd32(p + 32);
      });
      return {};
    case Section::Transitions: {
      read_records(b, kTransitionSize, im.transitions, [](const std::uint8_t* p, Transition& t) {
        t.trigger = static_cast<Trigger>(p[0]);
        t.after_unit = static_cast<DurationUnit>(p[1]);
        t.event = rd32(p + 4);
        t.after_ms = rd64(p + 8);
        t.guard = rd32(p + 16);
        t.action = rd32(p + 20);
        t.target = rd32(p + 24);
        t.line = rd32(p + 28);
        t.call = rd32(p + 32);
      });
      for (std::size_t i = 0; i < b.size() / kTransitionSize; ++i) {
        const std::uint8_t trigger = b[i * kTransitionSize];
        if (trigger > static_cast<std::uint8_t>(Trigger::Breach))
          return cat("transition ", i, ": unknown trigger ", trigger);
        const std::uint8_t unit = b[i * kTransitionSize + 1];
        if (unit > static_cast<std::uint8_t>(DurationUnit::WorkDays))
          return cat("transition ", i, ": unknown duration unit ", unit);
      }
      return {};
    }
    case Section::Code:
      im.code.assign(b.begin(), b.end());
      return {};
    case Section::AskSlots:
      read_records(b, kIndexSize, im.ask_slots,
                   [](const std::uint8_t* p, std::uint32_t& v) { v = rd32(p); });
      return {};
    case Section::Slas: {
      read_records(b, kSlaSize, im.slas, [](const std::uint8_t* p, Sla& sla) {
        sla.name = rd32(p);
        sla.unit = static_cast<DurationUnit>(p[4]);
        sla.promise = p[5];
        sla.amount = rd64(p + 8);
        sla.breach = rd32(p + 16);
      });
      for (std::size_t i = 0; i < im.slas.size(); ++i) {
        const std::uint8_t* p = b.data() + i * kSlaSize;
        if (p[4] > static_cast<std::uint8_t>(DurationUnit::WorkDays) || p[5] > 1)
          return cat("sla ", i, ": unknown unit ", p[4], " or promise flag ", p[5]);
      }
      return {};
    }
    case Section::Flows:
      read_records(b, kFlowSize, im.flows, [](const std::uint8_t* p, Flow& f) {
        f.name = rd32(p);
        f.first_handler = rd32(p + 4);
        f.handler_count = rd32(p + 8);
      });
      return {};
    case Section::Calendar:
      im.calendar.assign(b.begin(), b.end());
      return {};
    case Section::Kinds:
      for (std::size_t i = 0; i < b.size(); i += kIndexSize) {
        if (i == 0) im.script_kind = rd32(b.data());
        else im.flow_kinds.push_back(rd32(b.data() + i));
      }
      return {};
  }
  return {};
}

constexpr std::array<std::uint32_t, 256> make_crc_table() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = make_crc_table();

}  // namespace

std::uint32_t crc32(std::span<const std::uint8_t> bytes) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (std::uint8_t b : bytes) c = kCrcTable[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

std::vector<std::uint8_t> serialize(const Image& image) {
  std::vector<std::uint8_t> out;
  Writer w{out};
  for (char c : kMagic) w.u8(static_cast<std::uint8_t>(c));
  w.u16(image.major);
  w.u16(image.minor);
  constexpr std::uint32_t kCount = kLastSection - kFirstSection + 1;
  w.u32(kCount);
  const std::size_t table = out.size();
  out.resize(out.size() + kCount * kEntrySize);  // filled in once each section's place is known
  for (std::uint32_t id = kFirstSection; id <= kLastSection; ++id) {
    const std::size_t start = out.size();
    write_section(w, image, static_cast<Section>(id));
    const std::size_t entry = table + (id - kFirstSection) * kEntrySize;
    w.patch_u32(entry, id);
    w.patch_u32(entry + 4, static_cast<std::uint32_t>(start));
    w.patch_u32(entry + 8, static_cast<std::uint32_t>(out.size() - start));
  }
  w.u32(crc32(out));
  return out;
}

std::string deserialize(std::span<const std::uint8_t> bytes, Image& out) {
  const std::uint64_t size = bytes.size();
  if (size < kHeaderSize + kTrailerSize)
    return cat("file too short: ", size, " bytes, a .callbc file has at least ",
               kHeaderSize + kTrailerSize);
  if (!std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin(),
                  [](char m, std::uint8_t b) { return static_cast<std::uint8_t>(m) == b; }))
    return "not a .callbc file (bad magic)";
  Image im;
  im.major = rd16(bytes.data() + 4);
  im.minor = rd16(bytes.data() + 6);
  if (im.major != kFormatMajor)
    return cat("format version ", im.major, ".", im.minor,
               " is not supported: this runtime reads version ", kFormatMajor,
               ".x; recompile the script with a matching callc");
  // The checksum comes before the table so that a damaged file is called damaged, not
  // described by whichever of its garbled fields happens to be checked first.
  const std::uint64_t body = size - kTrailerSize;
  const std::uint32_t stored = rd32(bytes.data() + body);
  const std::uint32_t actual = crc32(bytes.first(body));
  if (stored != actual)
    return cat("checksum mismatch: the file says ", hex32(stored), ", its contents give ",
               hex32(actual), " (the file is damaged or truncated)");

  const std::uint64_t count = rd32(bytes.data() + 8);
  const std::uint64_t sections_start = kHeaderSize + count * kEntrySize;
  if (sections_start > body)
    return cat("section table of ", count, " entries runs past the end of the file");

  bool seen[kLastSection + 1] = {};
  for (std::uint64_t i = 0; i < count; ++i) {
    const std::uint8_t* e = bytes.data() + kHeaderSize + i * kEntrySize;
    const std::uint32_t id = rd32(e);
    const std::uint64_t offset = rd32(e + 4), length = rd32(e + 8);
    if (offset < sections_start || offset + length > body)
      return cat("section ", section_name(id), " (id ", id, "): bytes ", offset, "..",
                 offset + length, " lie outside the sections area ", sections_start, "..", body);
    if (id < kFirstSection || id > kLastSection) continue;  // a newer minor's section: skip it
    if (seen[id]) return cat("duplicate section ", section_name(id), " (id ", id, ")");
    seen[id] = true;
    const auto s = static_cast<Section>(id);
    const std::size_t rec = record_size(s);
    if (rec > 1 && length % rec != 0)
      return cat("section ", section_name(id), ": size ", length,
                 " is not a multiple of its record size ", rec);
    std::string err = read_section(s, bytes.subspan(offset, length), im);
    if (!err.empty()) return err;
  }
  for (Section s : {Section::Strings, Section::Script, Section::States, Section::Transitions,
                    Section::Code}) {
    const auto id = static_cast<std::uint32_t>(s);
    if (!seen[id]) return cat("missing required section ", section_name(id), " (id ", id, ")");
  }
  out = std::move(im);
  return {};
}

}  // namespace callscript::bc
