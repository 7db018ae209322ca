// The verifier: the one place that distrusts an Image. Everything the interpreter later takes
// for granted -- every index in range, every block ending in Ret with a known stack shape, every
// string valid UTF-8, every prompt renderable -- is established here, so that the interpreter
// loop can run without a single check. The first problem found is reported, saying what and
// where, in terms a compiler author can map back to codegen.
#include <callscript/bytecode.h>
#include <callscript/calendar.h>
#include <callscript/opcodes.h>
#include "text/text.h"

#include "bytecode/prompt_check.h"
#include "bytecode/verify_flows.h"

#include <unicode/utf8.h>

#include <climits>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace callscript::bc {
namespace {

using text::cat;
using text::valid_utf8;

std::string hex4(std::uint32_t v) { return "0x" + text::hex(v, 4); }


// The verifier's view of a stack slot. For ints it also tracks an upper bound when one is known
// (a constant, or a value loaded from an enum slot), so that a store into an enum slot can be
// proved to hold a member index.
enum class Ty : std::uint8_t { Int, Bool, Text };
struct StackTy {
  Ty ty;
  std::int64_t bound;  // Int: the value is known to be in [0, bound); -1 = unknown
};

const char* ty_name(Ty t) {
  switch (t) {
    case Ty::Int: return "int";
    case Ty::Bool: return "bool";
    case Ty::Text: return "text";
  }
  return "?";
}

Ty slot_ty(SlotType t) {
  switch (t) {
    case SlotType::Text:
    case SlotType::Digits:
    case SlotType::Phone: return Ty::Text;
    case SlotType::Number:
    case SlotType::Time:
    case SlotType::Enum: return Ty::Int;
    case SlotType::Bool: return Ty::Bool;
  }
  return Ty::Int;
}

enum class BlockKind : std::uint8_t { Guard, Action };

// Where an instruction is, for a message: written out only when there is a problem to report
// (text::cat finds this `put` by argument-dependent lookup), not for every instruction verified.
struct CodeAt {
  std::string_view owner;
  std::uint32_t pc;
};
void put(std::string& s, const CodeAt& at) { text::append(s, at.owner, ": code at ", hex4(at.pc), ": "); }

class Verifier {
 public:
  explicit Verifier(const Image& im) : im_(im) {}

  std::string run() {
    if (sizes() && strings() && script() && slots() && events() && effects() && prompts() &&
        states() && transitions() && flows() && slas() && ok(check_scopes(im_)) && ok(check_calls(im_)))
      return {};
    return std::move(err_);
  }

 private:
  const Image& im_;
  std::string err_;
  bool calendar_checked_ = false, calendar_ok_ = false;
  // Blocks already verified, by offset and kind: a block shared by many transitions (the
  // compiler may deduplicate) is walked once.
  std::unordered_set<std::uint64_t> verified_;

  template <class... A>
  bool fail(const A&... a) {
    err_ = cat(a...);
    return false;
  }
  bool ok(std::string problem) {
    err_ = std::move(problem);
    return err_.empty();
  }

  bool str_ok(std::uint32_t i) const { return i < im_.strings.size(); }
  bool run_ok(std::uint64_t first, std::uint64_t count, std::size_t size) const {
    return first + count <= size;
  }

  bool sizes() {
    // kNone must never be a valid index, and 32-bit indices must reach every record.
    const std::size_t limit = kNone;
    for (std::size_t n : {im_.strings.size(), im_.slots.size(), im_.enum_members.size(),
                          im_.events.size(), im_.prompts.size(), im_.effects.size(),
                          im_.effect_args.size(), im_.states.size(), im_.transitions.size(),
                          im_.code.size(), im_.ask_slots.size(), im_.flows.size()})
      if (n >= limit) return fail("a table has more than 2^32 - 2 entries");
    return true;
  }

  bool strings() {
    for (std::size_t i = 0; i < im_.strings.size(); ++i)
      if (!valid_utf8(im_.strings[i])) return fail("string ", i, ": not valid UTF-8");
    return true;
  }

  bool script() {
    const ScriptInfo& s = im_.script;
    const std::pair<const char*, std::uint32_t> names[] = {
        {"name", s.name}, {"title", s.title}, {"locale", s.locale},
        {"channel", s.channel}, {"source", s.source}};
    for (const auto& [what, idx] : names)
      if (!str_ok(idx))
        return fail("script ", what, ": string ", idx, " out of range (", im_.strings.size(),
                    " strings)");
    if (s.start_state >= im_.states.size())
      return fail("script start state ", s.start_state, " out of range (", im_.states.size(),
                  " states)");
    if (!run_ok(s.first_handler, s.handler_count, im_.transitions.size()))
      return fail("script handlers ", s.first_handler, "+", s.handler_count,
                  " out of range (", im_.transitions.size(), " transitions)");
    for (std::uint32_t i = 0; i < s.handler_count; ++i)
      if (im_.transitions[s.first_handler + i].trigger != Trigger::Event)
        return fail("transition ", s.first_handler + i,
                    ": a script-wide handler must be triggered by an event");
    for (std::uint32_t e : {s.noinput_event, s.nomatch_event})
      if (e != kNone && e >= im_.events.size())
        return fail("script ask event ", e, " out of range (", im_.events.size(), " events)");
    return true;
  }

  bool names_unique(const char* what, std::size_t n, auto name_of) {
    std::unordered_set<std::string_view> seen;
    for (std::size_t i = 0; i < n; ++i)
      if (!seen.insert(im_.str(name_of(i))).second)
        return fail(what, " ", i, ": duplicate name '", im_.str(name_of(i)), "'");
    return true;
  }

  bool slots() {
    for (std::size_t i = 0; i < im_.enum_members.size(); ++i)
      if (!str_ok(im_.enum_members[i]))
        return fail("enum member ", i, ": string ", im_.enum_members[i], " out of range");
    for (std::size_t i = 0; i < im_.slots.size(); ++i) {
      const Slot& s = im_.slots[i];
      if (!str_ok(s.name)) return fail("slot ", i, ": name string ", s.name, " out of range");
      if (static_cast<std::uint8_t>(s.type) > static_cast<std::uint8_t>(SlotType::Time))
        return fail("slot ", i, ": unknown type ", static_cast<unsigned>(s.type));
      if ((s.flags & ~kSlotFlagsKnown) != 0)
        return fail("slot ", i, ": unknown flags ", static_cast<unsigned>(s.flags));
      // The proofs follow the script's own writes to an identity slot; the host's are not seen.
      if ((s.flags & kSlotIdentity) && (s.flags & kSlotHost)) return fail("slot ", i, ": an identity slot the host fills");
      if (s.init_str != kNone && !str_ok(s.init_str))
        return fail("slot ", i, ": initial text string ", s.init_str, " out of range");
      switch (s.type) {
        case SlotType::Enum:
          if (s.enum_count == 0) return fail("slot ", i, ": enum without members");
          if (!run_ok(s.enum_first, s.enum_count, im_.enum_members.size()))
            return fail("slot ", i, ": enum members ", s.enum_first, "+", s.enum_count,
                        " out of range (", im_.enum_members.size(), " members)");
          if (s.init_int < 0 || s.init_int >= s.enum_count)
            return fail("slot ", i, ": initial member ", s.init_int, " out of range (",
                        s.enum_count, " members)");
          break;
        case SlotType::Bool:
          if (s.init_int != 0 && s.init_int != 1)
            return fail("slot ", i, ": initial bool ", s.init_int, " is not 0 or 1");
          break;
        case SlotType::Digits:
          if (s.init_str != kNone) {
            const std::string_view v = im_.str(s.init_str);
            for (char c : v)
              if (c < '0' || c > '9')
                return fail("slot ", i, ": initial value \"", v, "\" is not all digits");
            if (s.digits != 0 && v.size() != s.digits)
              return fail("slot ", i, ": initial value \"", v, "\" does not have ", s.digits,
                          " digits");
          }
          break;
        case SlotType::Time:
          if (s.init_int < 0 || s.init_int >= 24 * 60)
            return fail("slot ", i, ": initial time ", s.init_int, " is not a minute of the day");
          break;
        case SlotType::Text:
        case SlotType::Phone:
        case SlotType::Number: break;
      }
    }
    return names_unique("slot", im_.slots.size(), [&](std::size_t i) { return im_.slots[i].name; });
  }

  bool events() {
    for (std::size_t i = 0; i < im_.events.size(); ++i) {
      const Event& e = im_.events[i];
      if (!str_ok(e.name)) return fail("event ", i, ": name string ", e.name, " out of range");
      if (e.label != kNone && !str_ok(e.label))
        return fail("event ", i, ": label string ", e.label, " out of range");
    }
    return names_unique("event", im_.events.size(),
                        [&](std::size_t i) { return im_.events[i].name; });
  }

  bool effects() {
    for (std::size_t i = 0; i < im_.effect_args.size(); ++i)
      if (!str_ok(im_.effect_args[i]))
        return fail("effect argument ", i, ": string ", im_.effect_args[i], " out of range");
    for (std::size_t i = 0; i < im_.effects.size(); ++i) {
      const EffectDecl& e = im_.effects[i];
      if (!str_ok(e.name)) return fail("effect ", i, ": name string ", e.name, " out of range");
      if (!run_ok(e.first_arg, e.argc, im_.effect_args.size()))
        return fail("effect ", i, ": arguments ", e.first_arg, "+", e.argc, " out of range (",
                    im_.effect_args.size(), " effect arguments)");
    }
    return true;
  }

  // A prompt must render for any slot values: the check the compiler reports as diagnostics
  // (bytecode/prompt_check.h) -- the pattern parses, every argument names a slot, each argument's
  // style fits the kind of value the renderer passes, and a trial render succeeds.
  bool prompts() {
    std::unordered_map<std::string_view, SlotType> slot_types;
    for (const Slot& s : im_.slots) slot_types.emplace(im_.str(s.name), s.type);
    const auto slot_type = [&](std::string_view name) -> std::optional<SlotType> {
      const auto it = slot_types.find(name);
      if (it == slot_types.end()) return std::nullopt;
      return it->second;
    };
    for (std::size_t i = 0; i < im_.prompts.size(); ++i) {
      const Prompt& p = im_.prompts[i];
      if (!str_ok(p.id)) return fail("prompt ", i, ": id string ", p.id, " out of range");
      if (!str_ok(p.text)) return fail("prompt ", i, ": text string ", p.text, " out of range");
      const auto problems = check_prompt(im_.str(p.text), im_.str(im_.script.locale), slot_type);
      if (!problems.empty())
        return fail("prompt ", i, " (", im_.str(p.id), ") at byte ", problems[0].offset, ": ",
                    problems[0].message);
    }
    return true;
  }

  bool states() {
    for (std::size_t i = 0; i < im_.states.size(); ++i) {
      const State& s = im_.states[i];
      if (!str_ok(s.name)) return fail("state ", i, ": name string ", s.name, " out of range");
      if (s.outcome != kNone && !str_ok(s.outcome))
        return fail("state ", i, ": outcome string ", s.outcome, " out of range");
      if (!run_ok(s.first_transition, s.transition_count, im_.transitions.size()))
        return fail("state ", i, ": transitions ", s.first_transition, "+", s.transition_count,
                    " out of range (", im_.transitions.size(), " transitions)");
      std::size_t timers = 0;
      for (std::uint32_t k = 0; k < s.transition_count; ++k)
        if (im_.transitions[s.first_transition + k].trigger == Trigger::After) ++timers;
      if (timers > kMaxTimersPerState)
        return fail("state ", i, ": ", timers, " timers, more than the limit of ",
                    kMaxTimersPerState);
      if (s.entry != kNone && !block(s.entry, BlockKind::Action, cat("state ", i, " entry")))
        return false;
      if (s.flow != kNone && s.flow >= im_.flows.size())
        return fail("state ", i, ": flow ", s.flow, " out of range (", im_.flows.size(), " flows)");
      if (!asks(i, s)) return false;
      for (std::uint32_t k = 0; k < s.transition_count; ++k) {
        const Trigger t = im_.transitions[s.first_transition + k].trigger;
        if (t == Trigger::Breach || (t == Trigger::Filled && s.ask_count == 0))
          return fail("state ", i, ": transition ", s.first_transition + k,
                      " has a trigger a state of its kind cannot have");
      }
    }
    return names_unique("state", im_.states.size(),
                        [&](std::size_t i) { return im_.states[i].name; });
  }

  // The slots a state asks: in range, distinct, few enough for the session's bit mask; and the
  // events an ask reacts to exist.
  bool asks(std::size_t i, const State& s) {
    // Even an empty run must start inside the table: the session takes a subspan of it.
    if (!run_ok(s.ask_first, s.ask_count, im_.ask_slots.size()) || s.ask_count > kMaxAskedSlots)
      return fail("state ", i, ": asked slots ", s.ask_first, "+", s.ask_count, " out of range (",
                  im_.ask_slots.size(), " entries, at most ", kMaxAskedSlots, " a state)");
    if (s.ask_count == 0) return true;
    if (im_.script.noinput_event == kNone || im_.script.nomatch_event == kNone)
      return fail("state ", i, ": asks without the script's noinput and nomatch events");
    for (std::uint32_t k = 0; k < s.ask_count; ++k) {
      const std::uint32_t slot = im_.ask_slots[s.ask_first + k];
      if (slot >= im_.slots.size())
        return fail("state ", i, ": asked slot ", slot, " out of range (", im_.slots.size(), " slots)");
      for (std::uint32_t j = 0; j < k; ++j)
        if (im_.ask_slots[s.ask_first + j] == slot) return fail("state ", i, ": asks slot ", slot, " twice");
    }
    return true;
  }

  bool flows() {
    for (std::size_t i = 0; i < im_.flows.size(); ++i) {
      const Flow& f = im_.flows[i];
      if (!str_ok(f.name)) return fail("flow ", i, ": name string ", f.name, " out of range");
      if (!run_ok(f.first_handler, f.handler_count, im_.transitions.size()))
        return fail("flow ", i, ": handlers out of range");
      for (std::uint32_t k = 0; k < f.handler_count; ++k)
        if (im_.transitions[f.first_handler + k].trigger != Trigger::Event)
          return fail("flow ", i, ": handler ", f.first_handler + k, " is not triggered by an event");
    }
    if ((im_.script_kind & ~kScriptRevisit) != 0) return fail("script kind: unknown bits ", im_.script_kind);
    if (!im_.flow_kinds.empty() && im_.flow_kinds.size() != im_.flows.size())
      return fail("kinds: ", im_.flow_kinds.size(), " flow kinds for ", im_.flows.size(), " flows");
    for (std::size_t i = 0; i < im_.flow_kinds.size(); ++i)
      if ((im_.flow_kinds[i] & ~kFlowQuestionnaire) != 0) return fail("flow ", i, ": unknown kind bits ", im_.flow_kinds[i]);
    return true;
  }

  bool has_calendar() {
    if (!calendar_checked_) calendar_ok_ = BusinessCalendar::from_bytes(im_.calendar).calendar.has_value();
    calendar_checked_ = true;
    return calendar_ok_;
  }

  bool slas() {
    if (im_.slas.size() > kMaxSlas) return fail(im_.slas.size(), " SLAs, more than the limit of ", kMaxSlas);
    bool business = false;
    for (std::size_t i = 0; i < im_.slas.size(); ++i) {
      const Sla& s = im_.slas[i];
      if (!str_ok(s.name)) return fail("sla ", i, ": name string ", s.name, " out of range");
      // deserialize refuses these too; an image built in memory reaches only this check.
      if (static_cast<std::uint8_t>(s.unit) > static_cast<std::uint8_t>(DurationUnit::WorkDays) || s.promise > 1)
        return fail("sla ", i, ": unknown unit ", static_cast<unsigned>(s.unit), " or promise flag ",
                    static_cast<unsigned>(s.promise));
      if (s.amount <= 0) return fail("sla ", i, ": duration ", s.amount, " is not positive");
      if (s.breach >= im_.transitions.size() || im_.transitions[s.breach].trigger != Trigger::Breach)
        return fail("sla ", i, ": breach handler ", s.breach, " is not a breach transition");
      business = business || s.unit != DurationUnit::Wall;
    }
    if (business && !has_calendar())
      return fail("SLAs in business time, but the calendar section is missing or invalid");
    return names_unique("sla", im_.slas.size(), [&](std::size_t i) { return im_.slas[i].name; });
  }

  bool transitions() {
    for (std::size_t i = 0; i < im_.transitions.size(); ++i) {
      const Transition& t = im_.transitions[i];
      const std::string where = cat("transition ", i);
      switch (t.trigger) {
        case Trigger::Event:
          if (t.event >= im_.events.size())
            return fail(where, ": event ", t.event, " out of range (", im_.events.size(),
                        " events)");
          break;
        case Trigger::After:
          if (t.after_ms < 0) return fail(where, ": negative delay ", t.after_ms, "ms");
          if (static_cast<std::uint8_t>(t.after_unit) > static_cast<std::uint8_t>(DurationUnit::WorkDays))
            return fail(where, ": unknown duration unit ", static_cast<unsigned>(t.after_unit));
          if (t.after_unit != DurationUnit::Wall && !has_calendar())
            return fail(where, ": a timer in business time, but the calendar section is missing or invalid");
          break;
        case Trigger::Eventless:
          // An eventless transition that stays would fire again at once, forever.
          if (t.target == kNone && t.call == kNone) return fail(where, ": an eventless transition needs a target");
          break;
        case Trigger::Filled: break;
        case Trigger::Breach:
          // A breach leaves whatever the session is in for a top-level state, or stays.
          if (t.call != kNone || t.target == kReturn ||
              (t.target != kNone && t.target < im_.states.size() && im_.states[t.target].flow != kNone))
            return fail(where, ": a breach handler may only go to a top-level state");
          // The session takes a breach when it falls due, without a guard to ask.
          if (t.guard != kNone) return fail(where, ": a breach has no guard");
          break;
        default:
          return fail(where, ": unknown trigger ", static_cast<unsigned>(t.trigger));
      }
      if (t.target != kNone && t.target != kReturn && t.target >= im_.states.size())
        return fail(where, ": target ", t.target, " out of range (", im_.states.size(),
                    " states)");
      if (t.call != kNone && (t.call >= im_.states.size() || t.target == kReturn))
        return fail(where, ": call of state ", t.call, " out of range (", im_.states.size(),
                    " states) or returning");
      if (t.guard != kNone && !block(t.guard, BlockKind::Guard, where + " guard")) return false;
      if (t.action != kNone && !block(t.action, BlockKind::Action, where + " action"))
        return false;
    }
    return true;
  }

  // One linear walk from `offset` to its Ret, simulating the type of every stack slot.
  bool block(std::uint32_t offset, BlockKind kind, const std::string& owner) {
    const std::uint64_t key = (std::uint64_t{offset} << 1) | (kind == BlockKind::Guard);
    if (verified_.contains(key)) return true;
    const auto& code = im_.code;
    if (offset >= code.size())
      return fail(owner, ": code offset ", hex4(offset), " out of range (", code.size(),
                  " bytes of code)");
    StackTy stack[kMaxStack];
    std::size_t depth = 0;
    std::size_t pc = offset;
    for (;;) {
      if (pc >= code.size())
        return fail(owner, ": block at ", hex4(offset), " runs off the end of the code without Ret");
      const CodeAt at{owner, static_cast<std::uint32_t>(pc)};
      const std::uint8_t byte = code[pc];
      if (byte >= kOpCount) return fail(at, "unknown opcode ", static_cast<unsigned>(byte));
      const Op op = static_cast<Op>(byte);
      const OpInfo& info = kOpInfo[byte];
      const std::size_t width = operand_size(info.operand);
      if (pc + 1 + width > code.size())
        return fail(at, info.name, " operand runs off the end of the code");
      std::uint32_t a = 0;
      for (std::size_t k = 0; k < width; ++k) a |= std::uint32_t{code[pc + 1 + k]} << (8 * k);
      pc += 1 + width;

      auto pop = [&](StackTy& out) {
        if (depth == 0) return fail(at, info.name, " pops an empty stack");
        out = stack[--depth];
        return true;
      };
      auto push = [&](Ty t, std::int64_t bound = -1) {
        if (depth == kMaxStack) return fail(at, info.name, " overflows the stack of ", kMaxStack);
        stack[depth++] = {t, bound};
        return true;
      };
      auto expect = [&](const StackTy& v, Ty t) {
        if (v.ty == t) return true;
        return fail(at, info.name, " needs ", ty_name(t), ", got ", ty_name(v.ty));
      };
      auto pure = [&]() {
        if (kind != BlockKind::Guard) return true;
        return fail(at, info.name, " in a guard (guards must not change anything)");
      };
      StackTy x{}, y{};
      bool ok = true;
      switch (op) {
        case Op::PushInt: {
          const auto v = static_cast<std::int64_t>(static_cast<std::int32_t>(a));
          ok = push(Ty::Int, v >= 0 ? v + 1 : -1);
          break;
        }
        case Op::PushBool: ok = push(Ty::Bool); break;
        case Op::WorkingTime:
          if (!has_calendar()) return fail(at, "WorkingTime, but the calendar section is missing or invalid");
          ok = push(Ty::Bool);
          break;
        case Op::PushStr:
          if (a >= im_.strings.size())
            return fail(at, "PushStr string ", a, " out of range (", im_.strings.size(),
                        " strings)");
          ok = push(Ty::Text);
          break;
        case Op::Load: {
          if (a >= im_.slots.size())
            return fail(at, "Load slot ", a, " out of range (", im_.slots.size(), " slots)");
          const Slot& s = im_.slots[a];
          ok = push(slot_ty(s.type), s.type == SlotType::Enum ? std::int64_t{s.enum_count} : -1);
          break;
        }
        case Op::Store: {
          if (a >= im_.slots.size())
            return fail(at, "Store slot ", a, " out of range (", im_.slots.size(), " slots)");
          const Slot& s = im_.slots[a];
          ok = pure() && pop(x) && expect(x, slot_ty(s.type));
          if (ok && s.type == SlotType::Enum && (x.bound < 1 || x.bound > s.enum_count))
            return fail(at, "Store into enum slot ", a, " (", im_.str(s.name),
                        ") of a value not known to be one of its ", s.enum_count, " members");
          // A text Store may reallocate the slot's string; any other view of it still on the
          // stack would dangle. A store is a statement, so nothing else is on the stack.
          if (ok && depth != 0)
            return fail(at, "Store with ", depth, " other values on the stack");
          break;
        }
        case Op::Not: ok = pop(x) && expect(x, Ty::Bool) && push(Ty::Bool); break;
        case Op::And:
        case Op::Or:
          ok = pop(y) && pop(x) && expect(x, Ty::Bool) && expect(y, Ty::Bool) && push(Ty::Bool);
          break;
        case Op::Eq:
        case Op::Ne:
          ok = pop(y) && pop(x);
          if (ok && x.ty != y.ty)
            return fail(at, info.name, " compares ", ty_name(x.ty), " with ", ty_name(y.ty));
          ok = ok && push(Ty::Bool);
          break;
        case Op::Lt:
        case Op::Le:
        case Op::Gt:
        case Op::Ge:
          ok = pop(y) && pop(x) && expect(x, Ty::Int) && expect(y, Ty::Int) && push(Ty::Bool);
          break;
        case Op::Add:
        case Op::Sub:
          ok = pop(y) && pop(x) && expect(x, Ty::Int) && expect(y, Ty::Int) && push(Ty::Int);
          break;
        case Op::Say:
          if (a >= im_.prompts.size())
            return fail(at, "Say prompt ", a, " out of range (", im_.prompts.size(), " prompts)");
          ok = pure();
          break;
        case Op::Emit: {
          if (a >= im_.effects.size())
            return fail(at, "Emit effect ", a, " out of range (", im_.effects.size(),
                        " effects)");
          const std::uint32_t argc = im_.effects[a].argc;
          if (ok && argc > depth)
            return fail(at, "Emit ", im_.str(im_.effects[a].name), " pops ", argc,
                        " arguments from a stack of ", depth);
          ok = pure();
          depth -= argc;
          break;
        }
        case Op::SlaStart:
        case Op::SlaStop:
          if (a >= im_.slas.size())
            return fail(at, info.name, " sla ", a, " out of range (", im_.slas.size(), " SLAs)");
          ok = pure();
          break;
        case Op::Ret:
          if (kind == BlockKind::Guard && (depth != 1 || stack[0].ty != Ty::Bool))
            return fail(at, "a guard must end with exactly one bool on the stack; it leaves ",
                        depth == 1 ? cat("one ", ty_name(stack[0].ty)) : cat(depth, " values"));
          if (kind == BlockKind::Action && depth != 0)
            return fail(at, "an action block must end with an empty stack, not ", depth,
                        " values");
          verified_.insert(key);
          return true;
      }
      if (!ok) return false;
    }
  }
};

}  // namespace

std::string verify(const Image& image) { return Verifier(image).run(); }

}  // namespace callscript::bc
