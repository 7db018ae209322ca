#include "sema/commitments.h"

#include "bytecode/prompt_check.h"
#include "sema/fact_walk.h"
#include "sema/promise_text.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace callscript::sema {

namespace {

using T = ast::Transition;

// The bytes [from, from + length) of a say's text, in the source.
Span in_text(const ast::Action& a, std::uint32_t from, std::uint32_t length) {
  const auto at = [&](std::uint32_t o) { return o < a.text_offsets.size() ? a.text_offsets[o] : a.text_span.end - 1; };
  const std::uint32_t begin = at(from);
  return {begin, length > 1 ? at(from + length - 1) + 1 : begin + 1, a.text_span.file};
}

// A finding about the words [from, from + length) of a say: at the words, or for `say PHRASE`
// at the `say` (where it happens), with a note at the phrase's words.
Diagnostic& report_words(Diagnostics& diags, Code code, const ast::Action& a, std::uint32_t from, std::uint32_t length,
                         std::string message) {
  if (a.name.text.empty()) return diags.report(code, in_text(a, from, length), std::move(message));
  auto& d = diags.report(code, a.span, std::move(message));
  d.notes.push_back({in_text(a, from, length), "the words of phrase `" + a.name.text + "`"});
  return d;
}

std::string state_name(const ast::Script& s, std::size_t i) {
  const ast::State& st = s.states[i];
  return st.flow < 0 ? st.name.text : s.flows[static_cast<std::size_t>(st.flow)].name.text + "." + st.name.text;
}

// The path as notes, state by state; a long one keeps its start and its end.
// `missing` says what a flow may return without ("the caller verified").
void add_path(Diagnostic& d, const ast::Script& s, const FactWalk::Unsure& u, const std::string& missing) {
  const auto& path = u.path;
  constexpr std::size_t kHead = 3, kTail = 6;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.size() > kHead + kTail + 1 && i == kHead) {
      d.notes.push_back({std::nullopt, "... " + std::to_string(path.size() - kHead - kTail) + " more states ..."});
      i = path.size() - kTail - 1;
      continue;
    }
    const std::string to = "`" + state_name(s, path[i].state) + "`";
    const T* via = path[i].via;
    const std::string from = i == 0 ? "" : "`" + state_name(s, path[i - 1].state) + "`";
    if (i == 0) d.notes.push_back({s.states[path[i].state].name.span, "the call starts in " + to});
    else if (via->goes == T::Goes::Call && via->call && s.states[path[i].state].flow != via->call_index)
      d.notes.push_back({via->span, from + " calls `" + via->call->text + "`, which can return with " + missing + ", and goes on to " + to + " here"});
    else d.notes.push_back({via->span, from + " goes on to " + to + " here"});
  }
  if (u.on) d.notes.push_back({u.on->span, "said on this transition"});
}

// Every action the session can run: state entries and transitions, handlers and breaches. (The
// AST still holds an ask's `max` as written; the lowering copied its actions into transitions.)
// f(action, the block it is in).
template <class F>
void each_run_action(const ast::Script& s, F&& f) {
  const auto in = [&](const T& t) {
    for (const auto& a : t.actions) f(a, t.actions);
  };
  for (const auto& st : s.states) {
    for (const auto& a : st.entry) f(a, st.entry);
    for (const auto& t : st.transitions) in(t);
  }
  for (const auto& t : s.handlers) in(t);
  for (const auto& fl : s.flows)
    for (const auto& t : fl.handlers) in(t);
  for (const auto& sla : s.slas) in(sla.breach);
}

// The promise's limit as a script writes a duration: `30m`, `24h`, `2 workdays`, `4 workhours`.
std::string duration_text(const PromisedTime& p) {
  switch (p.unit) {
    case PromisedTime::Unit::WorkDays: return std::to_string(p.amount) + (p.amount == 1 ? " workday" : " workdays");
    case PromisedTime::Unit::WorkHours: return std::to_string(p.amount) + (p.amount == 1 ? " workhour" : " workhours");
    case PromisedTime::Unit::Wall: break;
  }
  for (const auto& [ms, unit] : {std::pair{86'400'000LL, "d"}, {3'600'000LL, "h"}, {60'000LL, "m"}, {1000LL, "s"}})
    if (p.amount % ms == 0) return std::to_string(p.amount / ms) + unit;
  return std::to_string(p.amount) + "ms";
}

class Commitments {
 public:
  Commitments(const ast::Script& s, Diagnostics& d) : script_(s), diags_(d), graph_(s) {}

  void run() {
    check_private_data();
    check_promises();
    if (ast::is_outbound_revisit(script_)) check_revisit();
  }

 private:
  // --- E0434 ---------------------------------------------------------------------------------

  bool is_identity(const ast::Expr& e) const {
    return e.kind == ast::Expr::Kind::Name && e.slot >= 0 && script_.slots[static_cast<std::size_t>(e.slot)].identity;
  }

  // `when verified`, `when verified == true`, `when verified and ...`: the edge is verified.
  bool proves_identity(const ast::Expr& e) const {
    if (is_identity(e)) return true;
    if (e.kind != ast::Expr::Kind::Binary) return false;
    if (e.op == "and") return proves_identity(*e.lhs) || proves_identity(*e.rhs);
    const auto is_true = [](const ast::Expr& x) { return x.kind == ast::Expr::Kind::Bool && x.number != 0; };
    return e.op == "==" && ((is_identity(*e.lhs) && is_true(*e.rhs)) || (is_identity(*e.rhs) && is_true(*e.lhs)));
  }

  // The first pii slot a say reads out, and where its placeholder is in the text.
  std::optional<std::pair<std::string, std::uint32_t>> private_read(const ast::Action& a) const {
    if (a.kind != ast::Action::Kind::Say) return std::nullopt;
    std::optional<std::string> found;
    bc::check_prompt(a.text, script_.locale.value, [&](std::string_view name) -> std::optional<bc::SlotType> {
      for (const auto& slot : script_.slots)
        if (slot.name.text == name) {
          if (slot.pii && !found) found = std::string(name);
          return slot.type.kind;
        }
      return std::nullopt;
    });
    if (!found) return std::nullopt;
    const std::size_t at = a.text.find("{" + *found);
    return std::pair{*found, static_cast<std::uint32_t>(at == std::string::npos ? 0 : at)};
  }

  // Whether the caller said it in this call, on every path to `say`: read back to confirm it
  // (您的联系电话是{phone}), it discloses nothing. Filled by an `ask`, it is given.
  bool given_by_caller(const std::string& slot, const ast::Action& say) {
    auto [it, fresh] = given_.try_emplace(slot);
    if (fresh) {
      FactWalk::Rule rule;
      rule.effect = [](const ast::Action&) { return std::nullopt; };
      rule.edge = [&, slot](const T& t, std::size_t from) -> std::optional<bool> {
        const ast::State& st = script_.states[from];
        if (t.trigger != T::Trigger::Filled || !st.ask) return std::nullopt;
        for (const auto& n : st.ask->slots)
          if (n.text == slot) return true;
        return std::nullopt;
      };
      for (const auto& u : FactWalk(script_, graph_, rule).run()) it->second.insert(u.action);
    }
    return !it->second.contains(&say);
  }

  void check_private_data() {
    bool initial = false, any_identity = false;
    for (const auto& slot : script_.slots)
      if (slot.identity) {
        any_identity = true;
        initial = initial || (slot.init && slot.init->kind == ast::Expr::Kind::Bool && slot.init->number != 0);
      }
    FactWalk::Rule rule;
    rule.initial = initial;
    rule.effect = [&](const ast::Action& a) -> std::optional<bool> {
      if (a.kind != ast::Action::Kind::Set || a.slot < 0 || !script_.slots[static_cast<std::size_t>(a.slot)].identity) return std::nullopt;
      return a.value && a.value->kind == ast::Expr::Kind::Bool && a.value->number != 0;
    };
    rule.proves = [&](const ast::Expr& e) { return proves_identity(e); };
    for (const FactWalk::Unsure& u : FactWalk(script_, graph_, rule).run()) {
      const auto read = private_read(*u.action);
      if (!read || given_by_caller(read->first, *u.action)) continue;
      auto& d = report_words(diags_, Code::E0434, *u.action, read->second, static_cast<std::uint32_t>(read->first.size() + 2),
                             "`" + read->first + "` is private data, said here before the caller's identity is verified");
      add_path(d, script_, u, "the caller not verified");
      d.hint = any_identity ? "verify first on every path here: `set verified = true` where the identity is confirmed, or come in through `when verified`"
                            : "mark the bool slot that records a successful verification, `slot verified: bool identity = false`, and set it where the identity is confirmed";
    }
  }

  // --- E0437 ---------------------------------------------------------------------------------

  // Whether `sla`, armed when the promise is made, fires by 80 % of the promised limit (004's
  // buffer): a `promise` SLA of D fires at 0.8 D, so D must be within the limit; a plain one must
  // itself be within 0.8 of it. Business and wall time are not compared.
  static bool keeps(const ast::Sla& sla, const PromisedTime& p) {
    const auto& d = sla.duration;
    using U = ast::Duration::Unit;
    std::int64_t have = d.amount, limit = p.amount;  // in the promise's unit
    switch (p.unit) {
      case PromisedTime::Unit::Wall:
        if (d.unit != U::Wall) return false;
        break;
      case PromisedTime::Unit::WorkDays:
        if (d.unit != U::WorkDays) return false;
        break;
      case PromisedTime::Unit::WorkHours:
        if (d.unit != U::WorkTime) return false;
        limit *= 3'600'000;
        break;
    }
    return sla.promise ? have <= limit : have * 5 <= limit * 4;
  }

  const std::vector<FactWalk::Unsure>& unarmed(std::size_t sla) {
    auto [it, fresh] = armed_.try_emplace(sla);
    if (fresh) {
      FactWalk::Rule rule;
      rule.effect = [sla](const ast::Action& a) -> std::optional<bool> {
        if (a.sla != static_cast<std::int32_t>(sla)) return std::nullopt;
        if (a.kind == ast::Action::Kind::Start) return true;
        if (a.kind == ast::Action::Kind::Stop) return false;
        return std::nullopt;
      };
      // Its breach disarms it: past its deadline it keeps no promise.
      const T* breach = &script_.slas[sla].breach;
      rule.edge = [breach](const T& t, std::size_t) -> std::optional<bool> {
        if (&t == breach) return false;
        return std::nullopt;
      };
      it->second = FactWalk(script_, graph_, rule).run();
    }
    return it->second;
  }

  void check_promises() {
    // Every `say` on its own (a phrase may be said where an SLA is armed and where none is); the
    // copies the lowering made of a `max` block report alike, and sorting drops the repeats.
    each_run_action(script_, [&](const ast::Action& a, const std::vector<ast::Action>& block) {
      if (a.kind != ast::Action::Kind::Say) return;
      for (const PromisedTime& p : find_promised_times(a.text)) check_promise(a, block, p);
    });
  }

  void check_promise(const ast::Action& a, const std::vector<ast::Action>& block, const PromisedTime& promise) {
    const std::string words = a.text.substr(promise.offset, promise.length);
    std::vector<std::size_t> fitting;
    for (std::size_t k = 0; k < script_.slas.size(); ++k)
      if (keeps(script_.slas[k], promise)) fitting.push_back(k);
    if (fitting.empty()) {
      auto& d = report_words(diags_, Code::E0437, a, promise.offset, promise.length,
                             "promises \"" + words + "\", and no SLA of the script would fire in time to keep it");
      for (const auto& sla : script_.slas) d.notes.push_back({sla.name.span, "`" + sla.name.text + "` does not: it fires later, or counts another kind of time"});
      d.hint = "back the promise with an SLA (004: 承诺解决时限需预留20%缓冲时间): `sla NAME: " + duration_text(promise) +
               " promise { ... }`, started where the promise is made";
      return;
    }
    // The SLA to name if none is armed: a `promise` one, which is what the promise wants.
    std::stable_partition(fitting.begin(), fitting.end(), [&](std::size_t k) { return script_.slas[k].promise; });
    const FactWalk::Unsure* first = nullptr;
    for (std::size_t k : fitting) {
      // Started in the same step, after the words: the same instant, so the promise is kept.
      const auto self = std::find_if(block.begin(), block.end(), [&](const ast::Action& x) { return &x == &a; });
      if (std::any_of(self, block.end(), [&](const ast::Action& x) { return x.kind == ast::Action::Kind::Start && x.sla == static_cast<std::int32_t>(k); }))
        return;
      const auto& open = unarmed(k);
      const auto it = std::find_if(open.begin(), open.end(), [&](const FactWalk::Unsure& u) { return u.action == &a; });
      if (it == open.end()) return;  // armed on every path here: the promise is kept
      if (!first) first = &*it;
    }
    const std::string name = script_.slas[fitting.front()].name.text;
    auto& d = report_words(diags_, Code::E0437, a, promise.offset, promise.length,
                           "promises \"" + words + "\", but `" + name + "` is not started on every path to here");
    add_path(d, script_, *first, "`" + name + "` not armed");
    d.hint = "`start " + name + "` before the promise is said, on every path to it";
  }

  // --- E0438 ---------------------------------------------------------------------------------

  void check_revisit() {
    each_run_action(script_, [&](const ast::Action& a, const std::vector<ast::Action>&) {
      if (a.kind != ast::Action::Kind::Say) return;
      std::vector<std::pair<std::uint32_t, std::uint32_t>> said;
      for (const PromisedTime& t : find_promised_times(a.text)) said.emplace_back(t.offset, t.length);
      for (const Found& w : find_promise_words(a.text, default_revisit_promise_words(), default_revisit_promise_near_misses()))
        said.emplace_back(w.offset, w.length);
      if (said.empty()) return;
      const auto where = std::min_element(said.begin(), said.end());
      report_words(diags_, Code::E0438, a, where->first, where->second,
                   "\"" + a.text.substr(where->first, where->second) + "\" promises the customer a time or a result, in a revisit")
          .hint = "an outbound revisit (a script with a campaign) promises nothing (002: 禁止承诺客户处理时间及处理结果); say what was recorded instead";
    });
  }

  const ast::Script& script_;
  Diagnostics& diags_;
  StateGraph graph_;
  std::map<std::size_t, std::vector<FactWalk::Unsure>> armed_;
  std::map<std::string, std::set<const ast::Action*>> given_;  // per slot: says it may not be given before
};

}  // namespace

void check_commitments(const ast::Script& script, Diagnostics& diags) { Commitments(script, diags).run(); }

}  // namespace callscript::sema
