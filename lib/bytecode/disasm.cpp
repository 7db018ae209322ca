// A human-readable listing of an Image, for `callc --disasm` and for tests. Instruction decoding
// is driven by the opcode table: the operand shape picks one of four printers, so a new opcode
// needs no change here. The listing never trusts the image: it may be asked to show one that
// failed verification, so every index is checked before it is followed.
#include <callscript/bytecode.h>
#include <callscript/opcodes.h>
#include "text/text.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace callscript::bc {
namespace {

template <class... A>
void add(std::string& s, const A&... a) {
  text::append(s, a...);
}

std::string hex4(std::uint32_t v) { return text::hex(v, 4); }

const char* unit_name(DurationUnit u) {
  static constexpr const char* kUnits[] = {"ms", "ms of work time", "workdays"};
  return static_cast<std::size_t>(u) < 3 ? kUnits[static_cast<std::size_t>(u)] : "?";
}

// Column padding in display cells is not worth ICU here; pad by bytes, which lines up ASCII
// names (the usual case) and merely shifts CJK ones.

std::string pad(std::string_view s, std::size_t width) {
  std::string out(s);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out += '"';
}

const char* type_name(SlotType t) {
  switch (t) {
    case SlotType::Text: return "text";
    case SlotType::Digits: return "digits";
    case SlotType::Number: return "number";
    case SlotType::Bool: return "bool";
    case SlotType::Enum: return "enum";
    case SlotType::Phone: return "phone";
    case SlotType::Time: return "time";
  }
  return "?";
}

std::string_view state_name(const Image& im, std::uint32_t s) {
  return s < im.states.size() ? im.str(im.states[s].name) : std::string_view("?");
}

std::string slot_decl(const Image& im, const Slot& s) {
  std::string out = type_name(s.type);
  switch (s.type) {
    case SlotType::Digits:
      if (s.digits != 0) add(out, "(", s.digits, ")");
      break;
    case SlotType::Enum: {
      out += "(";
      // Bounded by the table, not the count: an unverified count may be anything.
      for (std::uint64_t m = s.enum_first; m < std::uint64_t{s.enum_first} + s.enum_count; ++m) {
        if (m != s.enum_first) out += ", ";
        if (m >= im.enum_members.size()) {
          out += "<out of range>";
          break;
        }
        out += im.str(im.enum_members[m]);
      }
      out += ")";
      const std::uint64_t init = std::uint64_t{s.enum_first} + static_cast<std::uint64_t>(s.init_int);
      if (s.init_int >= 0 && init < im.enum_members.size())
        add(out, " = ", im.str(im.enum_members[init]));
      return out;
    }
    case SlotType::Number: add(out, " = ", s.init_int); return out;
    case SlotType::Time:
      add(out, " = ", s.init_int / 60 < 10 ? "0" : "", s.init_int / 60, ":", s.init_int % 60 < 10 ? "0" : "", s.init_int % 60);
      return out;
    case SlotType::Bool: add(out, " = ", s.init_int ? "true" : "false"); return out;
    case SlotType::Text:
    case SlotType::Phone: break;
  }
  if (s.init_str != kNone) add(out, " = ", quote(im.str(s.init_str)));
  return out;
}

// --- instructions -------------------------------------------------------------------------------

// What an index operand refers to, for the `; ...` comment. Only the opcodes whose operand
// indexes a pool have one.
std::string meaning(const Image& im, Op op, std::uint32_t a) {
  switch (op) {
    case Op::PushStr:
      return a < im.strings.size() ? quote(im.str(a)) : "<string out of range>";
    case Op::Load:
    case Op::Store:
      return a < im.slots.size() ? std::string(im.str(im.slots[a].name)) : "<slot out of range>";
    case Op::Say:
      if (a >= im.prompts.size()) return "<prompt out of range>";
      return std::string(im.str(im.prompts[a].id)) + " " + quote(im.str(im.prompts[a].text));
    case Op::Emit:
      if (a >= im.effects.size()) return "<effect out of range>";
      return std::string(im.str(im.effects[a].name)) + "/" +
             std::to_string(im.effects[a].argc);
    case Op::SlaStart:
    case Op::SlaStop:
      return a < im.slas.size() ? std::string(im.str(im.slas[a].name)) : "<sla out of range>";
    default: return {};
  }
}

struct Cursor {
  const Image& im;
  std::string& out;
  std::size_t offset;  // of the opcode byte
};

std::uint32_t operand(const Cursor& c, std::size_t width) {
  std::uint32_t a = 0;
  for (std::size_t k = 0; k < width; ++k) a |= std::uint32_t{c.im.code[c.offset + 1 + k]} << (8 * k);
  return a;
}

std::size_t none_instr(const Cursor& c, const OpInfo& info) {
  add(c.out, info.name, "\n");
  return c.offset + 1;
}

std::size_t u8_instr(const Cursor& c, const OpInfo& info) {
  add(c.out, pad(info.name, 8), " ", operand(c, 1), "\n");
  return c.offset + 2;
}

std::size_t u16_instr(const Cursor& c, const OpInfo& info) {
  const std::uint32_t a = operand(c, 2);
  const std::string m = meaning(c.im, static_cast<Op>(&info - kOpInfo), a);
  std::string text = pad(info.name, 8) + " " + std::to_string(a);
  if (!m.empty()) text = pad(text, 15) + " ; " + m;
  add(c.out, text, "\n");
  return c.offset + 3;
}

std::size_t i32_instr(const Cursor& c, const OpInfo& info) {
  add(c.out, pad(info.name, 8), " ", static_cast<std::int32_t>(operand(c, 4)), "\n");
  return c.offset + 5;
}

using Printer = std::size_t (*)(const Cursor&, const OpInfo&);
constexpr Printer kPrinters[] = {none_instr, u8_instr, u16_instr, i32_instr};  // by Operand

// Prints the instruction at `offset` and returns the next offset, or 0 when the block cannot go
// on (an unknown opcode or an operand cut off by the end of the code).
std::size_t instruction(const Image& im, std::size_t offset, const std::string& line,
                        std::string& out) {
  add(out, hex4(static_cast<std::uint32_t>(offset)), " ", line, " ");
  const std::uint8_t byte = im.code[offset];
  if (byte >= kOpCount) {
    add(out, "<unknown opcode ", static_cast<unsigned>(byte), ">\n");
    return 0;
  }
  const OpInfo& info = kOpInfo[byte];
  if (offset + 1 + operand_size(info.operand) > im.code.size()) {
    add(out, info.name, " <operand cut off>\n");
    return 0;
  }
  return kPrinters[static_cast<std::size_t>(info.operand)](Cursor{im, out, offset}, info);
}

struct Block {
  std::uint32_t offset;
  std::string owner;
  std::uint32_t line;
};

void block(const Image& im, const Block& b, std::string& out) {
  add(out, "\n== ", b.owner, " @", hex4(b.offset), " ==\n");
  std::string line = std::to_string(b.line);
  line.insert(0, line.size() < 4 ? 4 - line.size() : 0, ' ');
  for (std::size_t pc = b.offset; pc < im.code.size();) {
    const bool ret = im.code[pc] == static_cast<std::uint8_t>(Op::Ret);
    pc = instruction(im, pc, line, out);
    line = "   |";  // clox: the source line is shown once per run of instructions
    if (ret || pc == 0) return;
  }
  out += "     <runs off the end of the code>\n";
}

std::string block_ref(const char* what, std::uint32_t offset) {
  return offset == kNone ? std::string() : std::string(" [") + what + " @" + hex4(offset) + "]";
}

void transition(const Image& im, std::size_t i, std::string& out) {
  const Transition& t = im.transitions[i];
  add(out, "  ", pad(std::to_string(i), 4));
  switch (t.trigger) {
    case Trigger::Event:
      add(out, "on ", t.event < im.events.size() ? im.str(im.events[t.event].name) : "?");
      break;
    case Trigger::Eventless: out += "when"; break;
    case Trigger::After: add(out, "after ", t.after_ms, " ", unit_name(t.after_unit)); break;
    case Trigger::Filled: out += "filled"; break;
    case Trigger::Breach: out += "breach"; break;
    default: add(out, "<trigger ", static_cast<unsigned>(t.trigger), ">"); break;
  }
  add(out, block_ref("guard", t.guard), block_ref("action", t.action), " -> ");
  if (t.call != kNone)
    add(out, "call ", state_name(im, t.call), " then ", t.target == kNone ? std::string_view("(caller)") : state_name(im, t.target));
  else
    add(out, t.target == kNone ? std::string_view("(stay)") : t.target == kReturn ? std::string_view("return") : state_name(im, t.target));
  add(out, "   line ", t.line, "\n");
}

}  // namespace

std::string disassemble(const Image& im) {
  std::string out;
  const ScriptInfo& si = im.script;
  add(out, "script ", im.str(si.name), " ", quote(im.str(si.title)), "\n");
  add(out, "  format ", im.major, ".", im.minor, "  locale ", im.str(si.locale), "  channel ",
      im.str(si.channel), "  source ", im.str(si.source), "\n");
  add(out, "  start ", state_name(im, si.start_state), (im.script_kind & kScriptRevisit) ? "  revisit" : "", "\n");

  add(out, "\nslots (", im.slots.size(), ")\n");
  for (std::size_t i = 0; i < im.slots.size(); ++i)
    add(out, "  ", pad(std::to_string(i), 4), pad(im.str(im.slots[i].name), 16), " ",
        slot_decl(im, im.slots[i]), (im.slots[i].flags & kSlotPii) ? "  pii" : "",
        (im.slots[i].flags & kSlotHost) ? "  host" : "", (im.slots[i].flags & kSlotIdentity) ? "  identity" : "", "\n");

  add(out, "\nevents (", im.events.size(), ")\n");
  for (std::size_t i = 0; i < im.events.size(); ++i) {
    const Event& e = im.events[i];
    add(out, "  ", pad(std::to_string(i), 4));
    if (e.label == kNone)
      out += im.str(e.name);
    else
      add(out, pad(im.str(e.name), 16), " ", quote(im.str(e.label)));
    out += "\n";
  }

  add(out, "\nprompts (", im.prompts.size(), ")\n");
  for (std::size_t i = 0; i < im.prompts.size(); ++i) {
    const Prompt& p = im.prompts[i];
    add(out, "  ", pad(std::to_string(i), 4), pad(im.str(p.id), 16), " line ", p.line, "  ",
        quote(im.str(p.text)), "\n");
  }

  add(out, "\neffects (", im.effects.size(), ")\n");
  for (std::size_t i = 0; i < im.effects.size(); ++i) {
    const EffectDecl& e = im.effects[i];
    add(out, "  ", pad(std::to_string(i), 4), im.str(e.name), "(");
    for (std::uint64_t a = e.first_arg; a < std::uint64_t{e.first_arg} + e.argc; ++a) {
      if (a != e.first_arg) out += ", ";
      if (a >= im.effect_args.size()) {
        out += "<out of range>";
        break;
      }
      out += im.str(im.effect_args[a]);
    }
    out += ")\n";
  }

  std::vector<Block> blocks;
  add(out, "\nstates (", im.states.size(), ")\n");
  for (std::size_t i = 0; i < im.states.size(); ++i) {
    const State& s = im.states[i];
    add(out, "  ", pad(std::to_string(i), 4), pad(im.str(s.name), 16));
    if (s.outcome != kNone) add(out, " final ", im.str(s.outcome));
    if (s.entry != kNone) {
      add(out, " entry @", hex4(s.entry));
      blocks.push_back({s.entry, "state " + std::string(im.str(s.name)) + " entry", s.line});
    }
    add(out, " transitions ", s.first_transition, "+", s.transition_count);
    if (s.ask_count != 0) {
      out += "  ask";
      // Bounded by the table, not the count: an unverified count may be anything.
      for (std::uint64_t a = s.ask_first; a < std::uint64_t{s.ask_first} + s.ask_count; ++a) {
        if (a >= im.ask_slots.size()) {
          out += " <out of range>";
          break;
        }
        const std::uint32_t slot = im.ask_slots[a];
        add(out, " ", slot < im.slots.size() ? im.str(im.slots[slot].name) : std::string_view("?"));
      }
    }
    add(out, "  line ", s.line, "\n");
  }

  if (!im.slas.empty()) add(out, "\nslas (", im.slas.size(), ")\n");
  for (std::size_t i = 0; i < im.slas.size(); ++i) {
    const Sla& s = im.slas[i];
    add(out, "  ", pad(std::to_string(i), 4), pad(im.str(s.name), 16), " ", s.amount, " ", unit_name(s.unit),
        s.promise ? "  promise (fires at 80 %)" : "", "  breach ", s.breach, "\n");
  }
  if (!im.calendar.empty()) add(out, "\ncalendar (", im.calendar.size(), " bytes)\n");

  add(out, "\ntransitions (", im.transitions.size(), ")\n");
  auto run = [&](const char* title, std::uint64_t first, std::uint64_t count) {
    if (count == 0) return;
    add(out, " ", title, "\n");
    for (std::uint64_t i = first; i < first + count && i < im.transitions.size(); ++i)
      transition(im, i, out);
  };
  for (const State& s : im.states)
    run(("state " + std::string(im.str(s.name)) + ":").c_str(), s.first_transition,
        s.transition_count);
  for (std::uint32_t i = 0; i < im.flows.size(); ++i)
    run(("flow " + std::string(im.str(im.flows[i].name)) + (im.questionnaire(i) ? " (questionnaire)" : "") + " handlers:").c_str(),
        im.flows[i].first_handler, im.flows[i].handler_count);
  run("script handlers:", si.first_handler, si.handler_count);
  for (const Sla& s : im.slas) run(("sla " + std::string(im.str(s.name)) + " breach:").c_str(), s.breach, 1);
  for (std::size_t i = 0; i < im.transitions.size(); ++i) {
    const Transition& t = im.transitions[i];
    if (t.guard != kNone) blocks.push_back({t.guard, "transition " + std::to_string(i) + " guard", t.line});
    if (t.action != kNone)
      blocks.push_back({t.action, "transition " + std::to_string(i) + " action", t.line});
  }

  // Each block once, in code order; a block shared by several owners is listed under the first.
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const Block& a, const Block& b) { return a.offset < b.offset; });
  add(out, "\ncode (", im.code.size(), " bytes)\n");
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0 && blocks[i].offset == blocks[i - 1].offset) continue;
    if (blocks[i].offset >= im.code.size()) {
      add(out, "\n== ", blocks[i].owner, " @", hex4(blocks[i].offset), " == <out of range>\n");
      continue;
    }
    block(im, blocks[i], out);
  }
  return out;
}

}  // namespace callscript::bc
