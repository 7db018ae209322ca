#include "lower/lower.h"

#include "lower/make.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>

namespace callscript::lower {

namespace {

using namespace make;

std::int32_t ensure_event(ast::Script& s, const std::string& name, const std::string& label) {
  for (std::size_t i = 0; i < s.events.size(); ++i)
    if (s.events[i].name.text == name) return static_cast<std::int32_t>(i);
  s.events.push_back({{name, {}}, label});
  return static_cast<std::int32_t>(s.events.size() - 1);
}

class Lowering {
 public:
  Lowering(ast::Script& s, Diagnostics& d) : script_(s), diags_(d) {
    for (std::size_t i = 0; i < s.slots.size(); ++i) slots_.emplace(s.slots[i].name.text, static_cast<std::int32_t>(i));
  }

  void run() {
    const bool any = std::any_of(script_.states.begin(), script_.states.end(), [](const ast::State& st) { return st.ask.has_value(); });
    if (!any) return;
    script_.noinput_event = ensure_event(script_, "noinput", "客户无应答");
    script_.nomatch_event = ensure_event(script_, "nomatch", "无法识别客户的回答");
    for (auto& st : script_.states)
      if (st.ask) lower(st);
  }

 private:
  bool check(ast::State& st, ast::Ask& ask) {
    bool ok = true;
    for (std::size_t i = 0; i < ask.slots.size(); ++i) {
      const ast::Name& n = ask.slots[i];
      const auto it = slots_.find(n.text);
      if (it == slots_.end()) {
        // Listed only for the hint: every ask adds two slots, so a list per ask would cost the
        // square of the script.
        std::vector<std::string_view> names;
        for (const auto& [k, v] : slots_) names.push_back(k);
        std::sort(names.begin(), names.end());
        auto& d = diags_.report(Code::E0203, n.span, "no slot named `" + n.text + "`");
        if (auto best = closest_name(n.text, names)) d.hint = "did you mean `" + *best + "`?";
        ok = false;
        continue;
      }
      for (std::size_t j = 0; j < i; ++j)
        if (ask.slots[j].text == n.text) {
          diags_.report(Code::E0420, n.span, "`" + n.text + "` is asked twice").notes.push_back({ask.slots[j].span, "first asked here"});
          ok = false;
        }
      ask.slot_indices.push_back(it->second);
    }
    if (ask.slots.size() > bc::kMaxAskedSlots) {
      diags_.report(Code::E0420, ask.span, "an ask fills at most " + std::to_string(bc::kMaxAskedSlots) + " slots at once");
      ok = false;
    }
    if (!ask.on_max) {
      diags_.report(Code::E0421, ask.span, "`" + st.name.text + "` asks without a maximum: a silent or confused customer would be asked forever")
          .hint = "add `max 3 -> STATE`: after that many failures (no input or no match), the call goes there";
      ok = false;
    }
    return ok;
  }

  void lower(ast::State& st) {
    ast::Ask& ask = *st.ask;
    if (!check(st, ask)) return;
    const std::string scope = (st.flow < 0 ? "" : script_.flows[static_cast<std::size_t>(st.flow)].name.text + ".") + st.name.text;
    const std::string noinput = scope + ".noinput", nomatch = scope + ".nomatch";
    for (const std::string& counter : {noinput, nomatch}) {
      ast::Slot slot;
      slot.name = {counter, ask.span};
      slot.type.kind = bc::SlotType::Number;
      slots_.emplace(counter, static_cast<std::int32_t>(script_.slots.size()));
      script_.slots.push_back(std::move(slot));
    }
    // Each visit asks afresh: the counters start at zero on entry, before the entry actions.
    std::vector<ast::Action> entry;
    entry.push_back(set_action(noinput, int_expr(0, ask.span), ask.span));
    entry.push_back(set_action(nomatch, int_expr(0, ask.span), ask.span));
    for (auto& a : st.entry) entry.push_back(std::move(a));
    st.entry = std::move(entry);

    // The kind whose reprompt is written first is lowered first: its event comes first among the
    // state's choices. (Prompt ids follow the source either way; codegen numbers them.)
    const auto first = [](const std::vector<ast::Action>& lines) { return lines.empty() ? UINT32_MAX : lines.front().span.begin; };
    if (first(ask.nomatch) < first(ask.noinput)) {
      failures(st, ask, "nomatch", nomatch, noinput, ask.nomatch);
      failures(st, ask, "noinput", noinput, nomatch, ask.noinput);
    } else {
      failures(st, ask, "noinput", noinput, nomatch, ask.noinput);
      failures(st, ask, "nomatch", nomatch, noinput, ask.nomatch);
    }
    for (auto& f : ask.filled) st.transitions.push_back(std::move(f));
    ask.filled.clear();
  }

  // For one kind of failure: the way out once failures of both kinds reach the maximum, then
  // the k-th reprompt on the k-th failure of this kind (the last repeats).
  void failures(ast::State& st, const ast::Ask& ask, const std::string& event, const std::string& counter,
                const std::string& other, const std::vector<ast::Action>& reprompts) {
    const Span at = ask.max_span;
    auto bump = [&] { return set_action(counter, binary(Op::Add, name_expr(counter, at), int_expr(1, at), at), at); };
    auto on = [&](Span where) {
      ast::Transition t;
      t.trigger = ast::Transition::Trigger::Event;
      t.event = {event, where};
      t.span = where;
      return t;
    };

    ast::Transition out = on(at);
    out.guard = binary(Op::Ge, binary(Op::Add, binary(Op::Add, name_expr(counter, at), name_expr(other, at), at), int_expr(1, at), at),
                       int_expr(ask.max, at), at);
    out.has_block = true;
    out.actions.push_back(bump());
    for (const auto& a : ask.on_max->actions) out.actions.push_back(clone(a));
    copy_target(*ask.on_max, out);
    st.transitions.push_back(std::move(out));

    for (std::size_t k = 0; k < reprompts.size(); ++k) {
      ast::Transition t = on(reprompts[k].span);
      if (k + 1 < reprompts.size())
        t.guard = binary(Op::Eq, name_expr(counter, reprompts[k].span), int_expr(static_cast<std::int64_t>(k), reprompts[k].span), reprompts[k].span);
      t.has_block = true;
      t.actions.push_back(bump());
      t.actions.push_back(clone(reprompts[k]));
      st.transitions.push_back(std::move(t));
    }
    if (reprompts.empty()) {
      ast::Transition t = on(ask.span);
      t.has_block = true;
      t.actions.push_back(bump());
      st.transitions.push_back(std::move(t));
    }
  }

  ast::Script& script_;
  Diagnostics& diags_;
  std::unordered_map<std::string, std::int32_t> slots_;
};

}  // namespace

bool lower_asks(ast::Script& script, Diagnostics& diags) {
  const std::size_t before = diags.error_count();
  Lowering(script, diags).run();
  return diags.error_count() == before;
}

}  // namespace callscript::lower
