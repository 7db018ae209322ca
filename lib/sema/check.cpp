#include "sema/check.h"

#include "bytecode/prompt_check.h"

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
    case bc::SlotType::Digits: return Type::Text;
    case bc::SlotType::Number: return Type::Int;
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
      check_transition(h, "handlers");
    }
    for (auto& st : script_.states) check_state(st);
    check_graph();
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
    declare(states_, script_.states, "state");
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
    const std::string& op = e.op;
    if (op == "and" || op == "or") {
      e.type = Type::Bool;
      expect(*e.lhs, Type::Bool, "`" + op + "` takes bools");
      expect(*e.rhs, Type::Bool, "`" + op + "` takes bools");
      return;
    }
    if (op == "+" || op == "-" || op == "<" || op == "<=" || op == ">" || op == ">=") {
      e.type = (op == "+" || op == "-") ? Type::Int : Type::Bool;
      expect(*e.lhs, Type::Int, "`" + op + "` takes numbers");
      expect(*e.rhs, Type::Int, "`" + op + "` takes numbers");
      return;
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

  void check_slot_init(ast::Slot& slot) {
    if (!slot.init) return;
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
    if (script_.states.empty()) {
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
    const auto problems = bc::check_prompt(a.text, script_.locale.given ? script_.locale.value : "zh-CN",
                                           [&](std::string_view name) -> std::optional<bc::SlotType> {
                                             auto it = slots_.find(std::string(name));
                                             if (it == slots_.end()) return std::nullopt;
                                             return script_.slots[static_cast<std::size_t>(it->second)].type.kind;
                                           });
    auto source_at = [&](std::uint32_t offset) {
      return offset < a.text_offsets.size() ? a.text_offsets[offset] : a.text_span.end - 1;
    };
    for (const auto& p : problems) {
      const std::uint32_t begin = source_at(p.offset);
      const std::uint32_t end = p.length > 1 ? source_at(p.offset + p.length - 1) + 1 : begin + 1;
      switch (p.kind) {
        case bc::PromptProblem::Kind::Syntax:
          diags_.report(Code::E0209, {begin, end}, "invalid prompt pattern: " + p.message).hint =
              "a prompt is an ICU MessageFormat pattern: {slot} inserts a slot; write '{' for a literal brace and '' for a quote";
          break;
        case bc::PromptProblem::Kind::Style:
          diags_.report(Code::E0209, {begin, end}, p.message).hint =
              "number slots format with {n}, {n, number} or {n, plural, ...}; other slots with {s} or {s, select, ...}";
          break;
        case bc::PromptProblem::Kind::Numbered: diags_.report(Code::E0208, {begin, end}, p.message); break;
        case bc::PromptProblem::Kind::UnknownSlot: suggest(diags_.report(Code::E0208, {begin, end}, p.message), p.name, slots_); break;
      }
    }
  }

  void check_action(ast::Action& a) {
    switch (a.kind) {
      case ast::Action::Kind::Say: check_say(a); break;
      case ast::Action::Kind::Set:
        if (auto it = slots_.find(a.name.text); it != slots_.end()) {
          a.slot = it->second;
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
        break;
      }
    }
  }

  void check_transition(ast::Transition& t, std::string_view) {
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
    if (t.guard && type_of(*t.guard) != Type::Bool && t.guard->type != Type::Error)
      diags_.report(Code::E0302, t.guard->span, "a guard must be a bool, found " + describe(*t.guard));
    if (t.guard) check_stack(*t.guard);
    for (auto& a : t.actions) check_action(a);
    if (t.target) {
      if (auto it = states_.find(t.target->text); it != states_.end()) {
        t.target_index = it->second;
      } else {
        auto& d = diags_.report(Code::E0201, t.target->span, "no state named `" + t.target->text + "`");
        suggest(d, t.target->text, states_);
      }
    } else if (t.trigger == T::When || t.trigger == T::Always) {
      diags_.report(Code::E0404, t.span, "an eventless transition must name a target state").hint =
          "without one it would fire again at once, forever; add `-> STATE`";
    } else if (!t.has_block) {
      diags_.report(Code::E0403, t.span, "this transition neither runs actions nor changes state").hint =
          "add `{ actions }`, `-> STATE`, or both";
    }
  }

  void check_state(ast::State& st) {
    for (auto& a : st.entry) check_action(a);
    std::size_t timers = 0;
    for (auto& t : st.transitions) {
      check_transition(t, st.name.text);
      if (t.trigger == ast::Transition::Trigger::After && ++timers == bc::kMaxTimersPerState + 1)
        diags_.report(Code::E0406, t.span, "state `" + st.name.text + "` has more than " + std::to_string(bc::kMaxTimersPerState) + " timers");
    }
  }

  // A duplicate state was reported where it was declared; graph checks look at the first only.
  bool canonical(std::size_t s) const {
    auto it = states_.find(script_.states[s].name.text);
    return it != states_.end() && static_cast<std::size_t>(it->second) == s;
  }

  void check_graph() {
    const auto n = script_.states.size();
    if (n == 0) return;
    // After a name error the graph has holes; "unreachable" would then mostly echo a typo.
    const bool had_errors = diags_.error_count() > 0;
    bool handler_leaves = false;
    for (auto& h : script_.handlers) handler_leaves |= h.target.has_value();

    // Reachability from the start; a script-wide handler is an edge out of every live state.
    std::vector<std::size_t> work{static_cast<std::size_t>(script_.start_index)};
    script_.states[work[0]].reachable = true;
    bool handlers_done = false;
    auto visit = [&](const ast::Transition& t) {
      if (t.target_index >= 0 && !script_.states[static_cast<std::size_t>(t.target_index)].reachable) {
        script_.states[static_cast<std::size_t>(t.target_index)].reachable = true;
        work.push_back(static_cast<std::size_t>(t.target_index));
      }
    };
    while (!work.empty()) {
      const auto& st = script_.states[work.back()];
      work.pop_back();
      for (auto& t : st.transitions) visit(t);
      if (!st.final && !handlers_done) {
        handlers_done = true;
        for (auto& h : script_.handlers) visit(h);
      }
    }
    std::vector<bool> dead_end(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      auto& st = script_.states[i];
      if (!canonical(i)) continue;
      if (!st.reachable && !had_errors)
        diags_.report(Code::W0001, st.name.span, "state `" + st.name.text + "` can never be entered").hint =
            "add a transition to it, or remove it";
      if (st.final) continue;
      const bool leaves = handler_leaves || std::any_of(st.transitions.begin(), st.transitions.end(), [](const ast::Transition& t) { return t.target.has_value(); });
      dead_end[i] = !leaves;
      if (!leaves)
        diags_.report(Code::E0401, st.name.span, "state `" + st.name.text + "` can neither be left nor end the call").hint =
            "add a transition out of it (`on EVENT -> STATE`), or make it `final NAME: OUTCOME`";
    }
    if (!had_errors) check_can_end(dead_end);
    find_eventless_cycles();
  }

  // Every state a call can reach must have some path to a final state; otherwise the call can
  // get stuck in a loop of states that never ends it. Walks the transitions backwards from the
  // final states.
  void check_can_end(const std::vector<bool>& dead_end) {
    const auto n = script_.states.size();
    std::vector<std::vector<std::size_t>> into(n);
    std::vector<std::size_t> work;
    std::vector<bool> ends(n, false);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& st = script_.states[i];
      if (st.final) {
        ends[i] = true;
        work.push_back(i);
        continue;
      }
      for (auto& t : st.transitions)
        if (t.target_index >= 0) into[static_cast<std::size_t>(t.target_index)].push_back(i);
      for (auto& h : script_.handlers)
        if (h.target_index >= 0) into[static_cast<std::size_t>(h.target_index)].push_back(i);
    }
    if (work.empty()) {
      diags_.report(Code::E0409, script_.name.span, "script `" + script_.name.text + "` has no final state, so no call can end").hint =
          "add `final NAME: OUTCOME` and a way to reach it, e.g. a script-wide `on hangup -> NAME`";
      return;
    }
    while (!work.empty()) {
      const std::size_t s = work.back();
      work.pop_back();
      for (std::size_t from : into[s])
        if (!ends[from]) ends[from] = true, work.push_back(from);
    }
    for (std::size_t i = 0; i < n; ++i) {
      const auto& st = script_.states[i];
      if (ends[i] || !st.reachable || dead_end[i] || !canonical(i)) continue;
      diags_.report(Code::E0409, st.name.span, "once in `" + st.name.text + "`, the call can never reach a final state").hint =
          "add a transition towards a final state, or a script-wide handler such as `on hangup -> NAME`";
    }
  }

  // A cycle of eventless transitions would run forever without waiting: depth-first search on
  // the eventless edges, reporting each cycle once with its path.
  void find_eventless_cycles() {
    using T = ast::Transition::Trigger;
    const auto n = script_.states.size();
    std::vector<int> color(n, 0);  // 0 new, 1 on the path, 2 done
    std::vector<const ast::Transition*> path;
    std::function<void(std::size_t)> dfs = [&](std::size_t s) {
      color[s] = 1;
      for (auto& t : script_.states[s].transitions) {
        if ((t.trigger != T::When && t.trigger != T::Always) || t.target_index < 0) continue;
        const auto to = static_cast<std::size_t>(t.target_index);
        path.push_back(&t);
        if (color[to] == 1) report_cycle(to, path);
        else if (color[to] == 0) dfs(to);
        path.pop_back();
      }
      color[s] = 2;
    };
    for (std::size_t s = 0; s < n; ++s)
      if (color[s] == 0) dfs(s);
  }

  void report_cycle(std::size_t to, const std::vector<const ast::Transition*>& path) {
    const auto& target = script_.states[to];
    auto& d = diags_.report(Code::E0402, target.name.span, "eventless transitions loop back to `" + target.name.text + "` without waiting");
    // The cycle is the tail of the path that starts at the transition leaving `to`.
    std::size_t first = path.size();
    for (std::size_t i = path.size(); i-- > 0;) {
      first = i;
      if (owner(path[i]) == to) break;
    }
    for (std::size_t i = first; i < path.size(); ++i)
      d.notes.push_back({path[i]->span, "`" + script_.states[owner(path[i])].name.text + "` goes on to `" + path[i]->target->text + "` here"});
    d.hint = "make one state in the loop wait for an event or a timer";
  }

  std::size_t owner(const ast::Transition* t) const {
    for (std::size_t s = 0; s < script_.states.size(); ++s) {
      const auto& ts = script_.states[s].transitions;
      if (!ts.empty() && t >= ts.data() && t < ts.data() + ts.size()) return s;
    }
    return 0;
  }

  ast::Script& script_;
  Diagnostics& diags_;
  std::unordered_map<std::string, std::int32_t> slots_, events_, states_;
};

}  // namespace

bool check(ast::Script& script, Diagnostics& diags) {
  const std::size_t before = diags.error_count();
  Checker(script, diags).run();
  return diags.error_count() == before;
}

}  // namespace callscript::sema
