// Lowering of `campaign`: the retry rules of the outbound calling manual (呼出操作手册规范篇)
// for outbound calls, as ordinary states, counter slots and timers. For a campaign `c`:
//
//   c                 pass := 0; no numbers -> no_numbers; passes := the count -> c.next_pass
//   c.next_pass       pass += 1, number := 1 -> dial
//   c.dial            (hours: calendar) outside working time -> c.off_hours, else -> c.dialing
//   c.off_hours       after the next working moment -> c.dialing
//   c.dialing         emit dial(number, pass); on connected -> the author's state; the ring limit
//                     and each failure event -> c.fail.REASON
//   c.fail.REASON     emit record_failure_reason(...), then by the reason's group:
//                     the next number, the next pass, or strike the number off
//   c.next_number     another number this pass -> dial, else -> c.pass_done
//   c.number_dropped  none left -> no_numbers; the list closed up, so the same index -> dial
//   c.pass_done       passes used up -> exhausted, else emit schedule_dial -> c.between_passes
//   c.between_passes  after the interval -> c.next_pass
//
// The counters are slots `c.pass`, `c.passes`, `c.number` (the index in the host's list),
// `c.dialed` (dials this pass, at most 4) and `c.rings`, which scripts may read.
#include "lower/lower.h"

#include "lower/make.h"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

namespace callscript::lower {

namespace {

using namespace make;
using Expr = ast::Expr;
using T = ast::Transition;

// 每拨打一遍，4个号码均需拨打一次 (呼出操作手册规范篇): a pass dials at most this many numbers.
constexpr std::int64_t kMaxNumbers = 4;

// What the campaign does after a failure, by the group 呼出操作手册规范篇 files the reason under.
enum class Next { NextNumber, NextPass, DropNumber };

struct Reason {
  std::string_view id;       // in the generated state's name: `reach.fail.busy`
  std::string_view written;  // the manual's written form (应录入"书面语"), the one a script writes
  std::string_view group;
  Next next;
};

// The 回访不成功原因 of 呼出操作手册规范篇, a closed set: 不得私自更改、篡改、自造. 需多次拨打 and
// 线路问题 go on with the next number (the number is dialed again next pass); 下次回访 ends the
// pass; 号码问题 strikes the number off.
constexpr std::array<Reason, 15> kReasons{{
    {"no_answer", "无人接听", "需多次拨打", Next::NextNumber},
    {"not_in", "本人不在", "需多次拨打", Next::NextNumber},
    {"early_hangup", "提前挂机", "需多次拨打", Next::NextNumber},
    {"rejected", "拒绝接听", "需多次拨打", Next::NextNumber},
    {"busy", "忙音(占线)", "需多次拨打", Next::NextNumber},
    {"inconvenient", "不方便接听", "需多次拨打", Next::NextNumber},
    {"powered_off", "关机", "需多次拨打", Next::NextNumber},
    {"voicemail", "录音电话", "下次回访", Next::NextPass},
    {"suspended_kept", "停机保号", "下次回访", Next::NextPass},
    {"number_paused", "号码暂停使用", "下次回访", Next::NextPass},
    {"empty_number", "空号", "号码问题", Next::DropNumber},
    {"arrears", "欠费停机", "线路问题", Next::NextNumber},
    {"line_fault", "线路故障", "线路问题", Next::NextNumber},
    {"out_of_area", "不在服务区", "线路问题", Next::NextNumber},
    {"other", "其他", "其他", Next::NextNumber},
}};

const Reason* find_reason(std::string_view written) {
  for (const Reason& r : kReasons)
    if (r.written == written) return &r;
  return nullptr;
}

// The effects a campaign emits, declared for the script unless it declares them itself.
struct EffectSig {
  std::string_view name;
  std::vector<std::pair<std::string_view, Expr::Type>> params;
};

const std::vector<EffectSig>& campaign_effects() {
  static const std::vector<EffectSig> kEffects = {
      {"dial", {{"number", Expr::Type::Int}, {"pass", Expr::Type::Int}}},
      {"record_failure_reason", {{"reason", Expr::Type::Text}, {"group", Expr::Type::Text}, {"number", Expr::Type::Int}}},
      {"drop_number", {{"number", Expr::Type::Int}}},
      {"schedule_dial", {{"pass", Expr::Type::Int}}},
  };
  return kEffects;
}

std::string signature(const EffectSig& e) {
  std::string s = "effect " + std::string(e.name) + "(";
  for (std::size_t i = 0; i < e.params.size(); ++i)
    s += (i ? ", " : "") + std::string(e.params[i].first) + ": " + (e.params[i].second == Expr::Type::Int ? "number" : "text");
  return s + ")";
}

std::unique_ptr<Expr> str_expr(std::string_view v, Span at) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::Str;
  e->text = std::string(v);
  e->span = at;
  return e;
}

ast::Action emit(std::string_view effect, std::vector<std::pair<std::string_view, std::unique_ptr<Expr>>> args, Span at) {
  ast::Action a;
  a.kind = ast::Action::Kind::Emit;
  a.span = at;
  a.name = {std::string(effect), at};
  for (auto& [name, value] : args) a.args.push_back({{std::string(name), at}, std::move(value)});
  return a;
}

T go(T::Trigger trigger, const std::string& target, Span at) {
  T t;
  t.trigger = trigger;
  t.span = at;
  t.target = ast::Name{target, at};
  t.arrow_span = at;
  return t;
}

class CampaignLowering {
 public:
  CampaignLowering(ast::Script& s, Diagnostics& d) : script_(s), diags_(d), errors_before_(d.error_count()) {}

  void run() {
    for (auto& k : script_.campaigns) check(k);
    used_.assign(script_.campaigns.size(), {});
    for (std::size_t i = 0; i < script_.campaigns.size(); ++i)
      for (const auto& f : script_.campaigns[i].failures)
        if (const Reason* r = find_reason(f.reason.text)) used_[i].insert(r);
    ast::for_each_transition(script_, [&](T& t) { resolve_failure(t); });
    if (!ok()) return;
    declare_effects();
    for (std::size_t i = 0; i < script_.campaigns.size(); ++i) lower(script_.campaigns[i], used_[i]);
  }

  bool ok() const { return diags_.error_count() == errors_before_; }

 private:
  const ast::Slot* slot(const std::string& name) const {
    for (const auto& s : script_.slots)
      if (s.name.text == name) return &s;
    return nullptr;
  }

  void missing(const ast::Campaign& k, std::string_view what, std::string_view example) {
    diags_.report(Code::E0427, k.name.span, "campaign `" + k.name.text + "` does not say " + std::string(what)).hint =
        "add `" + std::string(example) + "`";
  }

  void check(const ast::Campaign& k) {
    if (!k.numbers) missing(k, "how many numbers the task has", "numbers: SLOT");
    if (k.passes_span.end == k.passes_span.begin) missing(k, "how many passes to make", "passes: 4");
    if (k.interval_span.end == k.interval_span.begin) missing(k, "the interval between passes", "interval: 6h");
    if (k.ring_span.end == k.ring_span.begin) missing(k, "how long to let a number ring", "ring: 7 ring or 30s");
    if (!k.connected) missing(k, "where an answered call goes", "on connected -> greet");
    if (!k.exhausted) missing(k, "where the call goes when every pass is used up", "exhausted -> unreachable");
    if (!k.no_numbers) missing(k, "where the call goes when there is no number to dial", "no_numbers -> no_valid_number");
    if (k.numbers) {
      const ast::Slot* s = slot(k.numbers->text);
      if (s == nullptr) diags_.report(Code::E0203, k.numbers->span, "no slot named `" + k.numbers->text + "`");
      else if (s->type.kind != bc::SlotType::Number)
        diags_.report(Code::E0427, k.numbers->span, "`numbers` must be a number slot; `" + k.numbers->text + "` is not");
    }
    check_passes(k);
    if (k.interval_span.end > k.interval_span.begin && k.interval_ms <= 0)
      diags_.report(Code::E0407, k.interval_span, "the interval between passes must be above zero");
    if (k.ring_span.end > k.ring_span.begin && (k.ring_max < 1 || k.ring_ms <= 0))
      diags_.report(Code::E0427, k.ring_span, "a ring limit needs at least 1 ring and a duration above zero");
    if (k.hours && !script_.calendar.given)
      diags_.report(Code::E0423, k.hours_span, "`hours: calendar` dials in the calendar's working time, but the script names no calendar")
          .hint = "add `calendar \"calendar/cn_business.yaml\"` (a path relative to the script)";
    std::vector<const ast::Name*> events;
    if (k.connected) events.push_back(&k.connected->event);
    if (k.ring_span.end > k.ring_span.begin) events.push_back(&k.ring_event);
    for (const auto& f : k.failures) {
      if (find_reason(f.reason.text) == nullptr) report_reason(f.reason);
      events.push_back(&f.event);
    }
    for (std::size_t i = 0; i < events.size(); ++i)
      for (std::size_t j = 0; j < i; ++j)
        if (events[i]->text == events[j]->text) {
          diags_.report(Code::E0427, events[i]->span, "`" + events[i]->text + "` already has an outcome in this campaign")
              .notes.push_back({events[j]->span, "first given here"});
          break;
        }
  }

  void check_passes(const ast::Campaign& k) {
    if (k.passes_span.end == k.passes_span.begin) return;
    if (!k.passes_by) {
      if (k.passes < 1) diags_.report(Code::E0427, k.passes_span, "a campaign makes at least 1 pass");
      return;
    }
    const ast::Slot* s = slot(k.passes_by->text);
    if (s == nullptr || s->type.kind != bc::SlotType::Enum) {
      diags_.report(Code::E0427, k.passes_by->span, "passes per member need an enum slot; `" + k.passes_by->text + "` is not one");
      return;
    }
    std::set<std::string> seen;
    for (const auto& [member, count] : k.passes_table) {
      const bool known = std::any_of(s->type.members.begin(), s->type.members.end(), [&](const ast::Name& m) { return m.text == member.text; });
      if (!known) diags_.report(Code::E0207, member.span, "`" + member.text + "` is not a member of `" + s->name.text + "`");
      else if (!seen.insert(member.text).second) diags_.report(Code::E0427, member.span, "`" + member.text + "` is given twice");
      if (count < 1) diags_.report(Code::E0427, member.span, "a campaign makes at least 1 pass");
    }
    for (const auto& m : s->type.members)
      if (!seen.contains(m.text)) {
        diags_.report(Code::E0427, k.passes_by->span, "no pass count for `" + m.text + "`").hint =
            "every member of `" + s->name.text + "` needs one: `" + m.text + ": 4`";
      }
  }

  void report_reason(const ast::Name& reason) {
    std::vector<std::string_view> written;
    for (const Reason& r : kReasons) written.push_back(r.written);
    auto& d = diags_.report(Code::E0428, reason.span, "\"" + reason.text + "\" is not one of the outbound calling manual's failure reasons (回访不成功原因)");
    std::string all;
    for (const Reason& r : kReasons) all += (all.empty() ? "" : " ") + std::string(r.written);
    d.notes.push_back({std::nullopt, "the reasons are " + all});
    if (auto best = closest_name(reason.text, written)) d.hint = "did you mean \"" + *best + "\"?";
    else d.hint = "record the reason in the manual's written form; never invent one (不得私自更改、篡改、自造)";
  }

  // `-> c failed "本人不在"` becomes `-> c.fail.not_in`.
  void resolve_failure(T& t) {
    if (!t.failure) return;
    const ast::Name campaign = t.target.value_or(ast::Name{});
    auto it = std::find_if(script_.campaigns.begin(), script_.campaigns.end(), [&](const ast::Campaign& k) { return k.name.text == campaign.text; });
    const Reason* r = find_reason(t.failure->text);
    if (it == script_.campaigns.end()) {
      auto& d = diags_.report(Code::E0429, campaign.span, "no campaign named `" + campaign.text + "`");
      std::vector<std::string_view> names;
      for (const auto& k : script_.campaigns) names.push_back(k.name.text);
      if (auto best = closest_name(campaign.text, names)) d.hint = "did you mean `" + *best + "`?";
      else if (names.empty()) d.hint = "`-> NAME failed \"REASON\"` reports a failed dial to a `campaign NAME { ... }`";
    } else if (r == nullptr) {
      report_reason(*t.failure);
    } else {
      used_[static_cast<std::size_t>(it - script_.campaigns.begin())].insert(r);
      t.target = ast::Name{campaign.text + ".fail." + std::string(r->id), campaign.span};
    }
    t.failure.reset();
  }

  void declare_effects() {
    if (script_.campaigns.empty()) return;
    const Span at = script_.campaigns.front().name.span;
    for (const EffectSig& sig : campaign_effects()) {
      auto it = std::find_if(script_.effects.begin(), script_.effects.end(), [&](const ast::EffectDecl& e) { return e.name.text == sig.name; });
      if (it == script_.effects.end()) {
        ast::EffectDecl d{{std::string(sig.name), at}, {}};
        for (const auto& [name, type] : sig.params) d.params.push_back({{std::string(name), at}, type, false});
        script_.effects.push_back(std::move(d));
        continue;
      }
      const bool same = it->params.size() == sig.params.size() &&
                        std::equal(sig.params.begin(), sig.params.end(), it->params.begin(),
                                   [](const auto& want, const ast::EffectParam& p) { return p.name.text == want.first && p.type == want.second; });
      if (!same) {
        auto& d = diags_.report(Code::E0427, it->name.span, "a campaign emits `" + it->name.text + "` with other arguments than declared here");
        d.hint = "declare it as `" + signature(sig) + "`, or leave it out: a campaign declares it";
      }
    }
  }

  ast::State& state(const ast::Campaign& k, const std::string& suffix) {
    ast::State st;
    st.name = {k.name.text + suffix, k.name.span};
    st.span = k.span;
    script_.states.push_back(std::move(st));
    return script_.states.back();
  }

  void lower(const ast::Campaign& k, const std::set<const Reason*>& used) {
    const std::string c = k.name.text, numbers = k.numbers->text;
    const std::string pass = c + ".pass", passes = c + ".passes", number = c + ".number", rings = c + ".rings";
    const std::string dialed = c + ".dialed";  // dials this pass: a struck-off number shifts the list
    for (const std::string& counter : {pass, passes, number, rings, dialed}) {
      ast::Slot s;
      s.name = {counter, k.name.span};
      s.type.kind = bc::SlotType::Number;
      script_.slots.push_back(std::move(s));
    }
    const std::string dial = k.hours ? c + ".dial" : c + ".dialing";
    auto name = [&](const std::string& n, Span at) { return name_expr(n, at); };
    auto exit = [&](const std::optional<T>& how, T::Trigger trigger, std::unique_ptr<Expr> guard) {
      T t = clone(*how);
      t.trigger = trigger;
      t.guard = std::move(guard);
      return t;
    };

    const bool drops = std::any_of(used.begin(), used.end(), [](const Reason* r) { return r->next == Next::DropNumber; });
    {
      ast::State& st = state(k, "");
      st.entry.push_back(set_action(pass, int_expr(0, k.name.span), k.name.span));
      st.transitions.push_back(exit(k.no_numbers, T::Trigger::When, binary(Op::Lt, name(numbers, k.numbers->span), int_expr(1, k.numbers->span), k.numbers->span)));
      const Span at = k.passes_span;
      for (std::size_t i = 0; i < std::max<std::size_t>(k.passes_table.size(), 1); ++i) {
        const bool last = i + 1 >= k.passes_table.size();
        T t = go(last ? T::Trigger::Always : T::Trigger::When, c + ".next_pass", at);
        if (!last) t.guard = binary(Op::Eq, name(k.passes_by->text, at), name(k.passes_table[i].first.text, k.passes_table[i].first.span), at);
        t.has_block = true;
        t.actions.push_back(set_action(passes, int_expr(k.passes_table.empty() ? k.passes : k.passes_table[i].second, at), at));
        st.transitions.push_back(std::move(t));
      }
    }
    {
      ast::State& st = state(k, ".next_pass");
      T t = go(T::Trigger::Always, dial, k.name.span);
      t.has_block = true;
      t.actions.push_back(set_action(pass, binary(Op::Add, name(pass, k.name.span), int_expr(1, k.name.span), k.name.span), k.name.span));
      t.actions.push_back(set_action(number, int_expr(1, k.name.span), k.name.span));
      t.actions.push_back(set_action(dialed, int_expr(0, k.name.span), k.name.span));
      st.transitions.push_back(std::move(t));
    }
    if (k.hours) {
      ast::State& st = state(k, ".dial");
      T off = go(T::Trigger::When, c + ".off_hours", k.hours_span);
      auto now = std::make_unique<Expr>();  // the built-in itself: a slot of that name cannot hide it
      now->kind = Expr::Kind::WorkingTime;
      now->text = "working_time";
      now->span = k.hours_span;
      off.guard = std::make_unique<Expr>();
      off.guard->kind = Expr::Kind::Not;
      off.guard->span = k.hours_span;
      off.guard->lhs = std::move(now);
      st.transitions.push_back(std::move(off));
      st.transitions.push_back(go(T::Trigger::Always, c + ".dialing", k.hours_span));
      // Zero working days from a moment outside working time is the next working moment
      // (BusinessCalendar::add_workdays).
      ast::State& wait = state(k, ".off_hours");
      T open = go(T::Trigger::After, c + ".dialing", k.hours_span);
      open.after_unit = bc::DurationUnit::WorkDays;
      wait.transitions.push_back(std::move(open));
    }
    {
      ast::State& st = state(k, ".dialing");
      const Span at = k.name.span;
      st.entry.push_back(set_action(rings, int_expr(0, at), at));
      st.entry.push_back(set_action(dialed, binary(Op::Add, name(dialed, at), int_expr(1, at), at), at));
      std::vector<std::pair<std::string_view, std::unique_ptr<Expr>>> args;
      args.emplace_back("number", name(number, at));
      args.emplace_back("pass", name(pass, at));
      st.entry.push_back(emit("dial", std::move(args), at));
      st.transitions.push_back(clone(*k.connected));
      const std::string no_answer = c + ".fail.no_answer";
      if (k.ring_max > 1) {
        T count = go(T::Trigger::Event, "", k.ring_span);
        count.target.reset();
        count.event = k.ring_event;
        count.guard = binary(Op::Lt, name(rings, k.ring_span), int_expr(k.ring_max - 1, k.ring_span), k.ring_span);
        count.has_block = true;
        count.actions.push_back(set_action(rings, binary(Op::Add, name(rings, k.ring_span), int_expr(1, k.ring_span), k.ring_span), k.ring_span));
        st.transitions.push_back(std::move(count));
      }
      T limit = go(T::Trigger::Event, no_answer, k.ring_span);
      limit.event = k.ring_event;
      st.transitions.push_back(std::move(limit));
      T silent = go(T::Trigger::After, no_answer, k.ring_span);
      silent.after_ms = k.ring_ms;
      st.transitions.push_back(std::move(silent));
      for (const auto& f : k.failures) {
        T t = go(T::Trigger::Event, c + ".fail." + std::string(find_reason(f.reason.text)->id), f.reason.span);
        t.event = f.event;
        st.transitions.push_back(std::move(t));
      }
    }
    std::set<const Reason*> all = used;
    all.insert(&kReasons[0]);  // 无人接听: the ring limit
    for (const Reason& r : kReasons) {  // in the manual's order, whatever order they were used in
      if (!all.contains(&r)) continue;
      ast::State& st = state(k, ".fail." + std::string(r.id));
      const Span at = k.name.span;
      std::vector<std::pair<std::string_view, std::unique_ptr<Expr>>> args;
      args.emplace_back("reason", str_expr(r.written, at));
      args.emplace_back("group", str_expr(r.group, at));
      args.emplace_back("number", name(number, at));
      st.entry.push_back(emit("record_failure_reason", std::move(args), at));
      std::string next = c + ".next_number";
      if (r.next == Next::NextPass) next = c + ".pass_done";
      if (r.next == Next::DropNumber) {
        std::vector<std::pair<std::string_view, std::unique_ptr<Expr>>> drop;
        drop.emplace_back("number", name(number, at));
        st.entry.push_back(emit("drop_number", std::move(drop), at));
        // The host's list closes up: the next number takes this one's index.
        st.entry.push_back(set_action(numbers, binary(Op::Sub, name(numbers, at), int_expr(1, at), at), at));
        next = c + ".number_dropped";
      }
      st.transitions.push_back(go(T::Trigger::Always, next, at));
    }
    // Another number this pass: one is left in the list, and fewer than 4 were dialed.
    auto more = [&](Op op, Span at) {
      return binary(Op::And, binary(op, name(number, at), name(numbers, at), at), binary(Op::Lt, name(dialed, at), int_expr(kMaxNumbers, at), at), at);
    };
    {
      ast::State& st = state(k, ".next_number");
      const Span at = k.numbers->span;
      T t = go(T::Trigger::When, dial, at);
      t.guard = more(Op::Lt, at);
      t.has_block = true;
      t.actions.push_back(set_action(number, binary(Op::Add, name(number, at), int_expr(1, at), at), at));
      st.transitions.push_back(std::move(t));
      st.transitions.push_back(go(T::Trigger::Always, c + ".pass_done", at));
    }
    if (drops) {
      ast::State& st = state(k, ".number_dropped");
      const Span at = k.numbers->span;
      st.transitions.push_back(exit(k.no_numbers, T::Trigger::When, binary(Op::Lt, name(numbers, at), int_expr(1, at), at)));
      T t = go(T::Trigger::When, dial, at);
      t.guard = more(Op::Le, at);
      st.transitions.push_back(std::move(t));
      st.transitions.push_back(go(T::Trigger::Always, c + ".pass_done", at));
    }
    {
      ast::State& st = state(k, ".pass_done");
      const Span at = k.passes_span;
      st.transitions.push_back(exit(k.exhausted, T::Trigger::When, binary(Op::Ge, name(pass, at), name(passes, at), at)));
      T t = go(T::Trigger::Always, c + ".between_passes", at);
      t.has_block = true;
      std::vector<std::pair<std::string_view, std::unique_ptr<Expr>>> args;
      args.emplace_back("pass", binary(Op::Add, name(pass, at), int_expr(1, at), at));
      t.actions.push_back(emit("schedule_dial", std::move(args), at));
      st.transitions.push_back(std::move(t));
    }
    {
      ast::State& st = state(k, ".between_passes");
      T t = go(T::Trigger::After, c + ".next_pass", k.interval_span);
      t.after_ms = k.interval_ms;
      st.transitions.push_back(std::move(t));
    }
  }

  ast::Script& script_;
  Diagnostics& diags_;
  std::size_t errors_before_;
  std::vector<std::set<const Reason*>> used_;
};

}  // namespace

bool lower_campaigns(ast::Script& script, Diagnostics& diags) {
  CampaignLowering lowering(script, diags);
  lowering.run();
  return lowering.ok();
}

}  // namespace callscript::lower
