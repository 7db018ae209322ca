#include "sema/check.h"

#include "bytecode/prompt_check.h"
#include "runtime/values.h"
#include "sema/graph.h"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace callscript::sema {

namespace {

using Type = ast::Expr::Type;

std::string type_name(Type t) {
  switch (t) {
    case Type::Int: return "number";
    case Type::Bool: return "bool";
    case Type::Text: return "text";
    case Type::Enum: return "enum";
    case Type::Error: return "?";
  }
  return "?";
}

Type slot_value_type(bc::SlotType t) {
  switch (t) {
    case bc::SlotType::Text:
    case bc::SlotType::Digits:
    case bc::SlotType::Phone: return Type::Text;
    case bc::SlotType::Number:
    case bc::SlotType::Time: return Type::Int;
    case bc::SlotType::Bool: return Type::Bool;
    case bc::SlotType::Enum: return Type::Enum;
  }
  return Type::Error;
}

// Operand-stack slots an expression needs, as codegen lays it out (left operand first).
std::size_t stack_need(const ast::Expr& e) {
  switch (e.kind) {
    case ast::Expr::Kind::Not: return stack_need(*e.lhs);
    case ast::Expr::Kind::Neg: return e.lhs->kind == ast::Expr::Kind::Int ? 1 : 1 + stack_need(*e.lhs);
    case ast::Expr::Kind::Binary: return std::max(stack_need(*e.lhs), 1 + stack_need(*e.rhs));
    default: return 1;
  }
}

class Checker {
 public:
  Checker(ast::Script& s, Diagnostics& d) : script_(s), diags_(d) {}

  void run() {
    declare_names();
    for (auto& slot : script_.slots) check_slot_init(slot);
    resolve_start();
    for (auto& h : script_.handlers) {
      if (h.trigger != ast::Transition::Trigger::Event)
        diags_.report(Code::E0405, h.span, "a script-wide handler must react to an event")
            .hint = "move `after` and `when` transitions into the states they belong to";
      check_transition(h);
    }
    for (std::size_t f = 0; f < script_.flows.size(); ++f) {
      current_flow_ = static_cast<std::int32_t>(f);
      for (auto& h : script_.flows[f].handlers) {
        if (h.trigger != ast::Transition::Trigger::Event)
          diags_.report(Code::E0405, h.span, "a flow's handler must react to an event")
              .hint = "move `after` and `when` transitions into the states they belong to";
        check_transition(h);
      }
    }
    current_flow_ = -1;
    for (auto& sla : script_.slas) check_sla(sla);
    if (script_.slas.size() > bc::kMaxSlas)
      diags_.report(Code::E0426, script_.slas[bc::kMaxSlas].name.span,
                    "script `" + script_.name.text + "` declares more than " + std::to_string(bc::kMaxSlas) + " SLAs")
          .hint = "a session keeps a deadline per SLA; share one SLA between the states that measure the same promise";
    for (auto& st : script_.states) check_state(st);
    current_flow_ = -1;
    check_graph(script_, diags_, diags_.error_count() > 0);
  }

 private:
  template <class Item>
  void declare(std::unordered_map<std::string, std::int32_t>& table, const std::vector<Item>& items, std::string_view what) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const ast::Name& n = items[i].name;
      if (n.text.empty()) continue;
      auto [it, fresh] = table.emplace(n.text, static_cast<std::int32_t>(i));
      if (!fresh)
        diags_.report(Code::E0204, n.span, std::string(what) + " `" + n.text + "` is defined twice")
            .notes.push_back({items[static_cast<std::size_t>(it->second)].name.span, "first defined here"});
    }
  }

  void declare_names() {
    declare(slots_, script_.slots, "slot");
    declare(events_, script_.events, "event");
    declare(flows_, script_.flows, "flow");
    declare(effects_, script_.effects, "effect");
    declare(slas_, script_.slas, "SLA");
    for (const auto& e : script_.effects) {
      std::unordered_map<std::string, std::int32_t> params;
      declare(params, e.params, "argument");
    }
    // Top-level states share one scope; each flow's states have their own.
    flow_states_.resize(script_.flows.size());
    for (std::size_t i = 0; i < script_.states.size(); ++i) {
      const auto& st = script_.states[i];
      auto& table = st.flow < 0 ? states_ : flow_states_[static_cast<std::size_t>(st.flow)];
      if (st.name.text.empty()) continue;
      auto [it, fresh] = table.emplace(st.name.text, static_cast<std::int32_t>(i));
      if (!fresh)
        diags_.report(Code::E0204, st.name.span, "state `" + st.name.text + "` is defined twice")
            .notes.push_back({script_.states[static_cast<std::size_t>(it->second)].name.span, "first defined here"});
    }
    for (const auto& f : script_.flows)
      if (f.state_count == 0)
        diags_.report(Code::E0414, f.name.span, "flow `" + f.name.text + "` has no states").hint =
            "add its states; the first one is where the flow starts";
    for (auto& slot : script_.slots) {
      std::unordered_map<std::string, std::int32_t> members;
      struct M { ast::Name name; };
      std::vector<M> list;
      for (auto& m : slot.type.members) list.push_back({m});
      declare(members, list, "enum member");
    }
  }

  std::vector<std::string_view> names_of(const std::unordered_map<std::string, std::int32_t>& t) const {
    std::vector<std::string_view> out;
    for (auto& [k, v] : t) out.push_back(k);
    std::sort(out.begin(), out.end());
    return out;
  }

  void suggest(Diagnostic& d, const std::string& name, const std::unordered_map<std::string, std::int32_t>& t) {
    if (auto best = closest_name(name, names_of(t))) d.hint = "did you mean `" + *best + "`?";
  }

  std::int32_t member_index(std::int32_t enum_slot, const std::string& name) const {
    const auto& members = script_.slots[static_cast<std::size_t>(enum_slot)].type.members;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i].text == name) return static_cast<std::int32_t>(i);
    return -1;
  }

  void report_not_member(const ast::Expr& e, std::int32_t enum_slot) {
    const auto& slot = script_.slots[static_cast<std::size_t>(enum_slot)];
    std::vector<std::string_view> names;
    std::string list;
    for (auto& m : slot.type.members) {
      names.push_back(m.text);
      list += (list.empty() ? "" : ", ") + m.text;
    }
    auto& d = diags_.report(Code::E0207, e.span, "`" + e.text + "` is not a member of the enum of slot `" + slot.name.text + "`");
    d.notes.push_back({slot.type.span, "its members are " + list});
    if (auto best = closest_name(e.text, names)) d.hint = "did you mean `" + *best + "`?";
  }

  // Types an expression. `expect_enum` is the enum a bare name may be a member of, from context.
  Type type_of(ast::Expr& e, std::int32_t expect_enum = -1) {
    switch (e.kind) {
      case ast::Expr::Kind::Int: e.type = Type::Int; break;
      case ast::Expr::Kind::Str: e.type = Type::Text; break;
      case ast::Expr::Kind::Bool: e.type = Type::Bool; break;
      case ast::Expr::Kind::Name: {
        if (auto it = slots_.find(e.text); it != slots_.end()) {
          e.slot = it->second;
          const auto& slot = script_.slots[static_cast<std::size_t>(e.slot)];
          e.type = slot_value_type(slot.type.kind);
          if (e.type == Type::Enum) e.enum_slot = e.slot;
        } else if (e.text == "working_time") {
          e.kind = ast::Expr::Kind::WorkingTime;
          e.type = Type::Bool;
          if (!script_.calendar.given)
            diags_.report(Code::E0423, e.span, "`working_time` asks the business calendar, but the script names no calendar").hint =
                "add `calendar \"calendar/cn_business.yaml\"` (a path relative to the script)";
        } else if (expect_enum >= 0) {
          e.member = member_index(expect_enum, e.text);
          if (e.member < 0) {
            report_not_member(e, expect_enum);
            e.type = Type::Error;
          } else {
            e.type = Type::Enum;
            e.enum_slot = expect_enum;
          }
        } else if (!e.text.empty()) {
          auto& d = diags_.report(Code::E0203, e.span, "no slot named `" + e.text + "`");
          suggest(d, e.text, slots_);
          e.type = Type::Error;
        }
        break;
      }
      case ast::Expr::Kind::WorkingTime: e.type = Type::Bool; break;
      case ast::Expr::Kind::Not:
        e.type = Type::Bool;
        expect(*e.lhs, Type::Bool, "`not` takes a bool");
        break;
      case ast::Expr::Kind::Neg:
        e.type = Type::Int;
        expect(*e.lhs, Type::Int, "`-` takes a number");
        break;
      case ast::Expr::Kind::Binary: binary(e); break;
    }
    return e.type;
  }

  // "text", or "enum of `satisfaction`": enough to tell two enums apart.
  std::string describe(Type t, std::int32_t enum_slot) const {
    if (t == Type::Enum && enum_slot >= 0) return "enum of `" + script_.slots[static_cast<std::size_t>(enum_slot)].name.text + "`";
    return type_name(t);
  }
  std::string describe(const ast::Expr& e) const { return describe(e.type, e.enum_slot); }

  void check_stack(const ast::Expr& e, std::size_t below = 0) {
    if (below + stack_need(e) > bc::kMaxStack)
      diags_.report(Code::E0408, e.span, "this needs more than " + std::to_string(bc::kMaxStack) + " operand-stack slots").hint =
          "split it: `set` a slot to part of it first";
  }

  void expect(ast::Expr& e, Type want, std::string_view why) {
    const Type got = type_of(e);
    if (got != Type::Error && got != want)
      diags_.report(Code::E0301, e.span, std::string(why) + ", found " + type_name(got));
  }

  bool is_bare_name(const ast::Expr& e) const { return e.kind == ast::Expr::Kind::Name && !slots_.contains(e.text); }

  void binary(ast::Expr& e) {
    using Op = ast::BinaryOp;
    const std::string op(ast::spelling(e.op));
    switch (e.op) {
      case Op::And:
      case Op::Or:
        e.type = Type::Bool;
        expect(*e.lhs, Type::Bool, "`" + op + "` takes bools");
        expect(*e.rhs, Type::Bool, "`" + op + "` takes bools");
        return;
      case Op::Add:
      case Op::Sub:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge:
        e.type = (e.op == Op::Add || e.op == Op::Sub) ? Type::Int : Type::Bool;
        expect(*e.lhs, Type::Int, "`" + op + "` takes numbers");
        expect(*e.rhs, Type::Int, "`" + op + "` takes numbers");
        return;
      case Op::Eq:
      case Op::Ne: break;
    }
    // == and != : a bare name on one side may be a member of the other side's enum.
    e.type = Type::Bool;
    Type l, r;
    if (is_bare_name(*e.lhs) && !is_bare_name(*e.rhs)) {
      r = type_of(*e.rhs);
      l = type_of(*e.lhs, e.rhs->enum_slot);
    } else {
      l = type_of(*e.lhs);
      r = type_of(*e.rhs, e.lhs->enum_slot);
    }
    if (l == Type::Error || r == Type::Error) return;
    if (l != r || (l == Type::Enum && e.lhs->enum_slot != e.rhs->enum_slot)) {
      auto& d = diags_.report(Code::E0301, e.span, "`" + op + "` compares " + describe(*e.lhs) + " with " + describe(*e.rhs));
      d.notes.push_back({e.lhs->span, "this is " + describe(*e.lhs)});
      d.notes.push_back({e.rhs->span, "this is " + describe(*e.rhs)});
    }
  }

  // A value for slot `slot_index`: its type must be the slot's, and digits must look like digits.
  void check_value(std::int32_t slot_index, ast::Expr& value) {
    const auto& slot = script_.slots[static_cast<std::size_t>(slot_index)];
    const Type want = slot_value_type(slot.type.kind);
    const Type got = type_of(value, want == Type::Enum ? slot_index : -1);
    if (got == Type::Error) return;
    if (got != want || (want == Type::Enum && value.enum_slot != slot_index)) {
      diags_.report(Code::E0303, value.span, "slot `" + slot.name.text + "` holds " + describe(want, slot_index) + ", not " + describe(value))
          .notes.push_back({slot.name.span, "declared here"});
      return;
    }
    if (slot.type.kind == bc::SlotType::Digits && value.kind == ast::Expr::Kind::Str) {
      const bool all_digits = std::all_of(value.text.begin(), value.text.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!all_digits || (slot.type.digits && value.text.size() != slot.type.digits))
        diags_.report(Code::E0304, value.span,
                      slot.type.digits ? "slot `" + slot.name.text + "` holds exactly " + std::to_string(slot.type.digits) + " digits"
                                       : "slot `" + slot.name.text + "` holds digits only");
    }
  }

  // A time is written "HH:MM" (or "H:MM") and kept as minutes since midnight: a text literal for
  // a time slot becomes that number, and a number literal must be a minute of the day. False
  // when the literal is no time (reported).
  bool time_literal(ast::Expr& value) {
    if (value.kind == ast::Expr::Kind::Str) {
      std::int64_t minutes = 0;
      if (!parse_time_of_day(value.text, minutes)) {
        diags_.report(Code::E0303, value.span, "a time is written \"HH:MM\", from \"00:00\" to \"23:59\"");
        return false;
      }
      value.kind = ast::Expr::Kind::Int;
      value.number = minutes;
    } else if (value.kind == ast::Expr::Kind::Int && (value.number < 0 || value.number >= 24 * 60)) {
      diags_.report(Code::E0303, value.span, "a time is a minute of the day, from 0 to 1439 (or \"HH:MM\")");
      return false;
    }
    return true;
  }

  void check_slot_init(ast::Slot& slot) {
    if (slot.identity && slot.host)
      diags_.report(Code::E0434, slot.name.span, "`" + slot.name.text + "` records a verified caller, so the script sets it, not the host")
          .hint = "the host's verdict is data like any other: `slot crm_verified: bool host`, then `when crm_verified { set " +
                  slot.name.text + " = true }` where the script accepts it";
    if (slot.identity && slot.type.kind != bc::SlotType::Bool)
      diags_.report(Code::E0301, slot.type.span, "`identity` marks the bool that records a verified caller; `" + slot.name.text + "` is not a bool")
          .hint = "declare it `slot " + slot.name.text + ": bool identity = false`";
    if (!slot.init) return;
    if (slot.type.kind == bc::SlotType::Time && !time_literal(*slot.init)) return;
    const bool literal = slot.init->kind == ast::Expr::Kind::Int || slot.init->kind == ast::Expr::Kind::Str ||
                         slot.init->kind == ast::Expr::Kind::Bool || slot.init->kind == ast::Expr::Kind::Name ||
                         (slot.init->kind == ast::Expr::Kind::Neg && slot.init->lhs->kind == ast::Expr::Kind::Int);
    if (!literal || (slot.init->kind == ast::Expr::Kind::Name && slots_.contains(slot.init->text))) {
      diags_.report(Code::E0303, slot.init->span, "a slot's initial value must be a literal");
      return;
    }
    if (auto it = slots_.find(slot.name.text); it != slots_.end()) check_value(it->second, *slot.init);
  }

  void resolve_start() {
    const auto top = std::find_if(script_.states.begin(), script_.states.end(), [](const ast::State& st) { return st.flow < 0; });
    script_.start_index = static_cast<std::int32_t>(top - script_.states.begin());
    if (top == script_.states.end()) {
      diags_.report(Code::E0205, script_.name.span, "script `" + script_.name.text + "` has no states").hint =
          "add `state NAME { ... }`; the first state is where the call starts";
      return;
    }
    if (!script_.start) return;
    if (auto it = states_.find(script_.start->text); it != states_.end()) {
      script_.start_index = it->second;
    } else {
      auto& d = diags_.report(Code::E0201, script_.start->span, "no state named `" + script_.start->text + "`");
      suggest(d, script_.start->text, states_);
    }
  }

  // The same check the verifier makes on bytecode, reported here with the place in the source.
  void check_say(ast::Action& a) {
    // A text said in many places (a phrase, the standard reprompts) is checked once; ICU's parse
    // is most of the checker's time.
    auto [cached, fresh] = prompt_problems_.try_emplace(a.text);
    if (fresh)
      cached->second = bc::check_prompt(a.text, script_.locale.given ? script_.locale.value : "zh-CN",
                                        [&](std::string_view name) -> std::optional<bc::SlotType> {
                                          auto it = slots_.find(std::string(name));
                                          if (it == slots_.end()) return std::nullopt;
                                          return script_.slots[static_cast<std::size_t>(it->second)].type.kind;
                                        });
    const auto& problems = cached->second;
    auto source_at = [&](std::uint32_t offset) {
      return offset < a.text_offsets.size() ? a.text_offsets[offset] : a.text_span.end - 1;
    };
    for (const auto& p : problems) {
      const std::uint32_t begin = source_at(p.offset);
      const std::uint32_t end = p.length > 1 ? source_at(p.offset + p.length - 1) + 1 : begin + 1;
      const Span at{begin, end, a.text_span.file};  // a phrase's text may stand in an imported file
      switch (p.kind) {
        case bc::PromptProblem::Kind::Syntax:
          diags_.report(Code::E0209, at, "invalid prompt pattern: " + p.message).hint =
              "a prompt is an ICU MessageFormat pattern: {slot} inserts a slot; write '{' for a literal brace and '' for a quote";
          break;
        case bc::PromptProblem::Kind::Style:
          diags_.report(Code::E0209, at, p.message).hint =
              "number slots format with {n}, {n, number} or {n, plural, ...}; other slots with {s} or {s, select, ...}";
          break;
        case bc::PromptProblem::Kind::Numbered: diags_.report(Code::E0208, at, p.message); break;
        case bc::PromptProblem::Kind::UnknownSlot: suggest(diags_.report(Code::E0208, at, p.message), p.name, slots_); break;
      }
    }
  }

  void check_action(ast::Action& a) {
    switch (a.kind) {
      case ast::Action::Kind::Say: check_say(a); break;
      case ast::Action::Kind::Set:
        if (auto it = slots_.find(a.name.text); it != slots_.end()) {
          a.slot = it->second;
          if (script_.slots[static_cast<std::size_t>(a.slot)].type.kind == bc::SlotType::Time && !time_literal(*a.value)) break;
          check_value(a.slot, *a.value);
          check_stack(*a.value);
        } else if (!a.name.text.empty()) {
          auto& d = diags_.report(Code::E0203, a.name.span, "no slot named `" + a.name.text + "`");
          suggest(d, a.name.text, slots_);
          type_of(*a.value);
        }
        break;
      case ast::Action::Kind::Emit: {
        if (a.args.size() > bc::kMaxStack)
          diags_.report(Code::E0408, a.name.span, "effect `" + a.name.text + "` has " + std::to_string(a.args.size()) +
                                                      " arguments; at most " + std::to_string(bc::kMaxStack) + " fit on the operand stack")
              .hint = "pass fewer arguments: the host can look up the rest from the call's slots";
        std::unordered_map<std::string, std::int32_t> seen;
        for (std::size_t i = 0; i < a.args.size(); ++i) {
          auto& arg = a.args[i];
          if (auto [it, fresh] = seen.emplace(arg.name.text, static_cast<std::int32_t>(i)); !fresh)
            diags_.report(Code::E0204, arg.name.span, "argument `" + arg.name.text + "` is given twice")
                .notes.push_back({a.args[static_cast<std::size_t>(it->second)].name.span, "first given here"});
          type_of(*arg.value);
          if (a.args.size() <= bc::kMaxStack) check_stack(*arg.value, i);  // earlier arguments are still on the stack
        }
        check_emit(a);
        break;
      }
      case ast::Action::Kind::Start:
      case ast::Action::Kind::Stop:
        if (auto it = slas_.find(a.name.text); it != slas_.end()) {
          a.sla = it->second;
        } else if (!a.name.text.empty()) {
          auto& d = diags_.report(Code::E0425, a.name.span, "no SLA named `" + a.name.text + "`");
          suggest(d, a.name.text, slas_);
          if (d.hint.empty()) d.hint = "declare it at the top of the script: `sla " + a.name.text + ": 2h { ... }`";
        }
        break;
    }
  }

  // An SLA: a positive duration, a calendar for business time, and a breach handler that does
  // something (there is no point in a timer nobody hears).
  void check_sla(ast::Sla& sla) {
    if (sla.duration.amount <= 0 && sla.duration.span.end > sla.duration.span.begin)
      diags_.report(Code::E0407, sla.duration.span, "an SLA needs a duration above zero");
    if (sla.duration.unit != ast::Duration::Unit::Wall && !script_.calendar.given)
      diags_.report(Code::E0423, sla.duration.span, "`" + sla.name.text + "` counts business time, but the script names no calendar")
          .hint = "add `calendar \"calendar/cn_business.yaml\"` (a path relative to the script), or use wall time such as `48h`";
    ast::Transition& b = sla.breach;
    if (b.actions.empty() && !b.leaves()) {
      diags_.report(Code::E0422, sla.name.span, "SLA `" + sla.name.text + "` has no breach handler").hint =
          "say what a breach does: `{ emit notify_supervisor(...) }`, `-> STATE`, or both";
      return;
    }
    if (b.goes == ast::Transition::Goes::Call && b.call) {
      diags_.report(Code::E0422, b.call->span, "a breach goes to a state; it cannot call a flow").hint =
          "go to a top-level state that calls the flow";
      return;
    }
    check_transition(b);
  }

  // An emit against its effect's declaration: every argument declared, of its type, none
  // missing, and private data only where the declaration allows it.
  void check_emit(ast::Action& a) {
    const auto it = effects_.find(a.name.text);
    if (it == effects_.end()) {
      auto& d = diags_.report(Code::E0416, a.name.span, "no effect named `" + a.name.text + "`");
      suggest(d, a.name.text, effects_);
      if (d.hint.empty()) d.hint = "declare it at the top of the script: `effect " + a.name.text + "(ARG: text, ...)`";
      return;
    }
    a.effect = it->second;
    const auto& decl = script_.effects[static_cast<std::size_t>(a.effect)];
    std::unordered_map<std::string, std::int32_t> params;
    for (std::size_t i = 0; i < decl.params.size(); ++i) params.emplace(decl.params[i].name.text, static_cast<std::int32_t>(i));
    for (auto& arg : a.args) {
      const auto p = params.find(arg.name.text);
      if (p == params.end()) {
        auto& d = diags_.report(Code::E0417, arg.name.span, "effect `" + decl.name.text + "` has no argument `" + arg.name.text + "`");
        suggest(d, arg.name.text, params);
        d.notes.push_back({decl.name.span, "declared here"});
        continue;
      }
      const auto& param = decl.params[static_cast<std::size_t>(p->second)];
      const ast::Expr& v = *arg.value;
      const bool fits = v.type == Type::Error || v.type == param.type || (param.type == Type::Text && v.type == Type::Enum && v.slot >= 0);
      if (!fits)
        diags_.report(Code::E0301, v.span, "argument `" + param.name.text + "` of `" + decl.name.text + "` takes " + type_name(param.type) +
                                               ", found " + describe(v))
            .notes.push_back({param.name.span, "declared here"});
      if (v.kind == ast::Expr::Kind::Name && v.slot >= 0 && script_.slots[static_cast<std::size_t>(v.slot)].pii && !param.pii)
        diags_.report(Code::E0419, v.span, "`" + v.text + "` is private data, but argument `" + param.name.text + "` of `" + decl.name.text +
                                               "` is not marked pii")
            .hint = "if the host may receive it, declare the argument as `" + param.name.text + ": " + type_name(param.type) + " pii`";
    }
    for (const auto& param : decl.params)
      if (std::none_of(a.args.begin(), a.args.end(), [&](const ast::EmitArg& g) { return g.name.text == param.name.text; }))
        diags_.report(Code::E0418, a.name.span, "effect `" + decl.name.text + "` needs argument `" + param.name.text + "`")
            .notes.push_back({param.name.span, "declared here"});
  }

  void check_transition(ast::Transition& t) {
    using T = ast::Transition::Trigger;
    if (t.trigger == T::Event && !t.event.text.empty()) {
      if (auto it = events_.find(t.event.text); it != events_.end()) {
        t.event_index = it->second;
      } else {
        auto& d = diags_.report(Code::E0202, t.event.span, "no event named `" + t.event.text + "`");
        suggest(d, t.event.text, events_);
        if (d.hint.empty()) d.hint = "declare it: `event " + t.event.text + " \"label\"`";
      }
    }
    if (t.trigger == T::After && t.after_ms <= 0 && t.after_span.end > t.after_span.begin)
      diags_.report(Code::E0407, t.after_span, "`after` needs a duration above zero");
    if (t.trigger == T::After && t.after_unit != bc::DurationUnit::Wall && !script_.calendar.given)
      diags_.report(Code::E0423, t.after_span, "this timer counts business time, but the script names no calendar").hint =
          "add `calendar \"calendar/cn_business.yaml\"` (a path relative to the script), or use wall time such as `4h`";
    if (t.guard && type_of(*t.guard) != Type::Bool && t.guard->type != Type::Error)
      diags_.report(Code::E0302, t.guard->span, "a guard must be a bool, found " + describe(*t.guard));
    if (t.guard) check_stack(*t.guard);
    for (auto& a : t.actions) check_action(a);
    if (t.goes == ast::Transition::Goes::Return && current_flow_ < 0)
      diags_.report(Code::E0410, t.arrow_span, "`return` outside a flow: there is no caller to return to").hint =
          "go to a state with `-> STATE`, or move this into a `flow`";
    if (t.goes == ast::Transition::Goes::Call && t.call) {
      if (auto it = flows_.find(t.call->text); it != flows_.end()) {
        t.call_index = it->second;
      } else {
        auto& d = diags_.report(Code::E0415, t.call->span, "no flow named `" + t.call->text + "`");
        suggest(d, t.call->text, flows_);
      }
    }
    if (t.target) {
      t.target_index = resolve_state(*t.target);
    } else if (!t.leaves() && (t.trigger == T::When || t.trigger == T::Always)) {
      diags_.report(Code::E0404, t.span, "an eventless transition must name a target state").hint =
          "without one it would fire again at once, forever; add `-> STATE`";
    } else if (!t.leaves() && !t.has_block) {
      diags_.report(Code::E0403, t.span, "this transition neither runs actions nor changes state").hint =
          "add `{ actions }`, `-> STATE`, or both";
    }
  }

  // A state name in the current scope: inside a flow, the flow's own states, or a final state
  // of the script (ending the call from a flow); at the top level, the top-level states.
  std::int32_t resolve_state(const ast::Name& n) {
    if (current_flow_ >= 0) {
      const auto& local = flow_states_[static_cast<std::size_t>(current_flow_)];
      if (auto it = local.find(n.text); it != local.end()) return it->second;
      if (auto it = states_.find(n.text); it != states_.end()) {
        if (script_.states[static_cast<std::size_t>(it->second)].final) return it->second;
        diags_.report(Code::E0413, n.span, "`" + n.text + "` is outside flow `" + script_.flows[static_cast<std::size_t>(current_flow_)].name.text + "`")
            .hint = "a flow goes back with `-> return` (or `-> call FLOW then STATE` at the caller); from inside it, only final states are reachable directly";
        return -1;
      }
      auto& d = diags_.report(Code::E0201, n.span, "no state named `" + n.text + "` in flow `" + script_.flows[static_cast<std::size_t>(current_flow_)].name.text + "`");
      suggest(d, n.text, local);
      return -1;
    }
    if (auto it = states_.find(n.text); it != states_.end()) return it->second;
    auto& d = diags_.report(Code::E0201, n.span, "no state named `" + n.text + "`");
    suggest(d, n.text, states_);
    for (std::size_t f = 0; f < flow_states_.size(); ++f)
      if (flow_states_[f].contains(n.text))
        d.hint = "`" + n.text + "` is a state of flow `" + script_.flows[f].name.text + "`; enter the flow with `-> call " + script_.flows[f].name.text + "`";
    return -1;
  }

  void check_state(ast::State& st) {
    current_flow_ = st.flow;
    for (auto& a : st.entry) check_action(a);
    std::size_t timers = 0;
    for (auto& t : st.transitions) {
      check_transition(t);
      if (t.trigger == ast::Transition::Trigger::After && ++timers == bc::kMaxTimersPerState + 1)
        diags_.report(Code::E0406, t.span, "state `" + st.name.text + "` has more than " + std::to_string(bc::kMaxTimersPerState) + " timers");
    }
  }

  ast::Script& script_;
  Diagnostics& diags_;
  std::unordered_map<std::string, std::int32_t> slots_, events_, states_, flows_, effects_, slas_;
  std::vector<std::unordered_map<std::string, std::int32_t>> flow_states_;
  std::int32_t current_flow_ = -1;  // the flow whose state is being checked
  std::unordered_map<std::string_view, std::vector<bc::PromptProblem>> prompt_problems_;  // by the say's text
};

}  // namespace

bool check(ast::Script& script, Diagnostics& diags) {
  const std::size_t before = diags.error_count();
  Checker(script, diags).run();
  return diags.error_count() == before;
}

}  // namespace callscript::sema
