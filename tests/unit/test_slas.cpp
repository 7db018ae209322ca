// SLA timers end to end: `sla`, `start` and `stop` compiled from source and driven through
// Session on a virtual clock. Wall time and business time (the calendar embedded in the
// bytecode), promises at 80 %, breaches that stay or move the call, across states and flows.
#include <callscript/calendar.h>
#include <callscript/calendar_yaml.h>
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <cstdio>

namespace cs = callscript;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kMin = 60'000;

cs::Instant at(std::int64_t ms) { return cs::Instant(std::chrono::milliseconds(ms)); }

std::shared_ptr<const cs::Program> build(const std::string& name, const std::string& src) {
  return cs::test::load_through_bytes(cs::test::compile_clean(name, src));
}

// Wall-time SLAs that live across states and nested flows.
const char* kSlas = R"(script slas {
  event go "开始"
  event help "求助"
  event done "完成"
  event again "重新计时"
  event halt "停止"
  effect notify(reason: text)

  sla reply: 10m { emit notify(reason: "reply") }
  sla esc: 20m { emit notify(reason: "esc") } -> escalated
  sla promised: 10m promise { emit notify(reason: "promised") }

  state idle {
    on go { start reply start esc } -> working
    on again { start promised }
    on halt -> closed
  }
  state working {
    say "处理中。"
    on help -> call support
    on again { start reply }
    on halt { stop reply stop esc }
    on done -> closed
    after 15m { emit notify(reason: "working_timer") }
  }
  state escalated {
    say "已升级处理。"
    start esc
    on help -> call support
    on done -> closed
  }
  flow support {
    state talk {
      say "请讲。"
      on help -> call deeper
      on done -> return
    }
  }
  flow deeper {
    state inner {
      say "请稍等。"
      on done -> return
    }
  }
  final closed: resolved
})";

// Ordering: SLAs due together, and an SLA due with a state timer; a timer's actions start an
// SLA from the timer's deadline.
const char* kTimers = R"(script timers {
  event go
  effect notify(reason: text)
  sla first: 5m { emit notify(reason: "first") }
  sla second: 5m { emit notify(reason: "second") }
  sla tie: 10m { emit notify(reason: "sla") }
  sla late: 10m { emit notify(reason: "late") }
  state a {
    on go { start second start first start tie } -> b
  }
  state b {
    after 10m { emit notify(reason: "timer") } -> c
    after 15m -> c
  }
  state c {
    after 5m { start late } -> d
  }
  state d {
    on go -> done
  }
  final done: resolved
})";

// Business time on the shipped calendar (Asia/Shanghai, 09:00-12:00 and 13:30-18:00, 2025).
const char* kBusiness = R"(script business {
  calendar "calendar/cn_business.yaml"
  event go "开始"
  event halt "停止"
  effect notify(reason: text)
  sla progress: 2 workdays promise { emit notify(reason: "progress") }
  sla fix: 4 workhours { emit notify(reason: "fix") }
  sla answer: 1 workday { emit notify(reason: "answer") }
  sla first_reply: 2 workhours promise { emit notify(reason: "first_reply") }
  state open {
    on go { start progress start fix start answer start first_reply } -> waiting
  }
  state waiting {
    on halt { stop progress stop fix stop answer stop first_reply } -> done
  }
  final done: resolved
})";

struct Call {
  std::shared_ptr<const cs::Program> p;
  cs::Session s;
  explicit Call(std::shared_ptr<const cs::Program> program, std::int64_t start_ms = 0)
      : p(std::move(program)), s(*p) {
    REQUIRE(s.start(at(start_ms)) == cs::Status::Ok);
  }
  cs::Status send(std::string_view event, std::int64_t ms) {
    const auto id = p->event_id(event);
    REQUIRE_MESSAGE(id, event);
    return s.send(*id, at(ms));
  }
  std::uint32_t sla(std::string_view name) const {
    for (std::uint32_t i = 0; i < p->sla_count(); ++i)
      if (p->sla_name(i) == name) return i;
    FAIL("no sla " << name);
    return 0;
  }
  std::optional<cs::Instant> due(std::string_view name) const { return s.sla_deadline(sla(name)); }
  // The reasons of the notify effects queued since the last call.
  std::vector<std::string> notified() {
    std::vector<std::string> out;
    for (const cs::Effect& e : s.take_effects()) {
      REQUIRE(e.name == "notify");
      REQUIRE(e.args.size() == 1);
      out.push_back(e.args[0].text);
    }
    return out;
  }
  std::vector<std::string> said() const {
    std::vector<std::string> ids;
    for (const cs::RenderedPrompt& r : s.prompts()) ids.emplace_back(r.id);
    return ids;
  }
};

using Strings = std::vector<std::string>;

std::shared_ptr<const cs::Program> slas() {
  static const auto p = build("slas.call", kSlas);
  return p;
}
std::shared_ptr<const cs::Program> timers() {
  static const auto p = build("timers.call", kTimers);
  return p;
}
// Named inside examples/ so that the script's relative calendar path resolves.
std::shared_ptr<const cs::Program> business() {
  static const auto p = build(CALLSCRIPT_SOURCE_DIR "/examples/sla_business_test.call", kBusiness);
  return p;
}

const cs::BusinessCalendar& shanghai() {
  static const cs::BusinessCalendar cal = [] {
    const std::string path = CALLSCRIPT_SOURCE_DIR "/examples/calendar/cn_business.yaml";
    cs::SourceFile src(path, cs::test::read_file(path));
    cs::Diagnostics diags(src);
    auto loaded = cs::load_calendar(src, diags);
    INFO(cs::render_human(diags));
    REQUIRE(loaded);
    return std::move(*loaded);
  }();
  return cal;
}

// "YYYY-MM-DD HH:MM" in Asia/Shanghai (UTC+8, no DST), as milliseconds since the epoch.
std::int64_t local(const char* text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  REQUIRE(std::sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) == 5);
  const std::chrono::sys_days day{std::chrono::year(y) / mo / d};
  return (cs::Instant(day) + std::chrono::hours(h - 8) + std::chrono::minutes(mi)).time_since_epoch().count();
}

}  // namespace

TEST_CASE("start arms an SLA from the step's instant; stop disarms it") {
  Call c(slas());
  CHECK_FALSE(c.due("reply"));
  CHECK_FALSE(c.due("esc"));
  REQUIRE(c.send("go", 1000) == cs::Status::Ok);
  CHECK(c.due("reply") == at(1000 + 10 * kMin));
  CHECK(c.due("esc") == at(1000 + 20 * kMin));
  CHECK_FALSE(c.due("promised"));
  REQUIRE(c.send("halt", 2000) == cs::Status::Ok);
  CHECK(c.s.state_name() == "working");
  CHECK_FALSE(c.due("reply"));
  CHECK_FALSE(c.due("esc"));
  // Only the state's own timer is left; a stopped SLA never breaches.
  CHECK(c.s.next_deadline() == at(1000 + 15 * kMin));
  CHECK(c.s.advance(at(60 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"working_timer"});
  CHECK(c.s.state_name() == "working");
  CHECK(c.s.next_deadline() == std::nullopt);
}

TEST_CASE("a breach without a target runs its actions and leaves the state as it is") {
  Call c(slas());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  CHECK(c.said() == Strings{"working.1"});
  CHECK(c.s.advance(at(10 * kMin - 1)) == cs::Status::Ok);
  CHECK(c.notified().empty());
  CHECK(c.s.advance(at(10 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"reply"});
  CHECK(c.s.state_name() == "working");
  CHECK(c.said() == Strings{"working.1"});  // not re-entered: its prompt is still on screen
  CHECK_FALSE(c.due("reply"));               // a breach disarms it
  // Not re-entered: the state's timer still counts from the original entry.
  CHECK(c.s.next_deadline() == at(15 * kMin));
  CHECK(c.s.advance(at(15 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"working_timer"});
}

TEST_CASE("a breach with a target goes there; what its target starts counts from the deadline") {
  Call c(slas());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  // A late advance: both SLAs and working's timer are long due; they fire in deadline order.
  CHECK(c.s.advance(at(25 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"reply", "working_timer", "esc"});
  CHECK(c.s.state_name() == "escalated");
  CHECK(c.said() == Strings{"escalated.1"});
  // escalated's entry restarts esc at the breach's deadline (20m), not at the late `now`.
  CHECK(c.due("esc") == at(40 * kMin));
  CHECK(c.s.advance(at(40 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"esc"});
  CHECK(c.s.state_name() == "escalated");
  CHECK(c.due("esc") == at(60 * kMin));
}

TEST_CASE("an SLA survives state changes and flow calls, and its breach inside a flow stays there") {
  Call c(slas());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  REQUIRE(c.send("help", 1 * kMin) == cs::Status::Ok);
  REQUIRE(c.send("help", 2 * kMin) == cs::Status::Ok);
  CHECK(c.s.state_name() == "deeper.inner");
  CHECK(c.due("reply") == at(10 * kMin));
  CHECK(c.s.advance(at(10 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"reply"});
  CHECK(c.s.state_name() == "deeper.inner");
  CHECK(c.said() == Strings{"deeper.inner.1"});
  // The flows in progress are intact: returns go back the way they came.
  REQUIRE(c.send("done", 11 * kMin) == cs::Status::Ok);
  CHECK(c.s.state_name() == "support.talk");
  REQUIRE(c.send("done", 12 * kMin) == cs::Status::Ok);
  CHECK(c.s.state_name() == "working");
  CHECK(c.s.advance(at(20 * kMin)) == cs::Status::Ok);
  CHECK(c.s.state_name() == "escalated");
}

TEST_CASE("a breach from inside flows goes to its top-level state and empties the call stack") {
  Call c(slas());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  std::int64_t t = 0;
  // Each round enters two flows and breaches out of them. Were the frames kept, the stack
  // (8 deep) would be full after four rounds and the calls would stop working.
  for (int round = 0; round < 3 * static_cast<int>(cs::bc::kMaxCallDepth); ++round) {
    INFO("round " << round);
    REQUIRE(c.send("help", t + 1000) == cs::Status::Ok);
    CHECK(c.s.state_name() == "support.talk");
    REQUIRE(c.send("help", t + 2000) == cs::Status::Ok);
    CHECK(c.s.state_name() == "deeper.inner");
    t += 20 * kMin;
    REQUIRE(c.s.advance(at(t)) == cs::Status::Ok);
    CHECK(c.s.state_name() == "escalated");
    c.notified();
  }
  // A later call and return still work, back to the state that called.
  REQUIRE(c.send("help", t + 1000) == cs::Status::Ok);
  CHECK(c.s.state_name() == "support.talk");
  REQUIRE(c.send("done", t + 2000) == cs::Status::Ok);
  CHECK(c.s.state_name() == "escalated");
  CHECK(c.said() == Strings{"escalated.1"});
  // With the stack empty, `done` in escalated is its own transition, not a return.
  REQUIRE(c.send("done", t + 3000) == cs::Status::Ok);
  CHECK(c.s.outcome() == "resolved");
}

TEST_CASE("start of an armed SLA re-arms it from the new instant") {
  Call c(slas());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  CHECK(c.due("reply") == at(10 * kMin));
  REQUIRE(c.send("again", 5 * kMin) == cs::Status::Ok);
  CHECK(c.due("reply") == at(15 * kMin));
  CHECK(c.s.advance(at(10 * kMin)) == cs::Status::Ok);
  CHECK(c.notified().empty());
  CHECK(c.s.advance(at(15 * kMin - 1)) == cs::Status::Ok);
  CHECK(c.notified().empty());
  // Re-armed at 5m, it is now due with working's 15m timer, and fires first.
  CHECK(c.s.advance(at(15 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"reply", "working_timer"});
}

TEST_CASE("a promise in wall time breaches at 80 % of its duration") {
  Call c(slas());
  REQUIRE(c.send("again", 1000) == cs::Status::Ok);
  CHECK(c.s.state_name() == "idle");
  CHECK(c.due("promised") == at(1000 + 8 * kMin));
  CHECK(c.s.next_deadline() == at(1000 + 8 * kMin));
  CHECK(c.s.advance(at(1000 + 8 * kMin - 1)) == cs::Status::Ok);
  CHECK(c.notified().empty());
  CHECK(c.s.advance(at(1000 + 8 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"promised"});
  CHECK_FALSE(c.due("promised"));
}

TEST_CASE("SLAs due together fire in declaration order, and before a state timer due with them") {
  Call c(timers());
  REQUIRE(c.send("go", 0) == cs::Status::Ok);  // starts second, then first, then tie
  CHECK(c.s.advance(at(10 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"first", "second", "sla", "timer"});
  CHECK(c.s.state_name() == "c");
}

TEST_CASE("next_deadline includes the armed SLAs") {
  Call c(timers());
  CHECK(c.s.next_deadline() == std::nullopt);
  REQUIRE(c.send("go", 0) == cs::Status::Ok);
  CHECK(c.s.next_deadline() == at(5 * kMin));  // the SLAs, before b's timers
  REQUIRE(c.s.advance(at(5 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"first", "second"});
  CHECK(c.s.next_deadline() == at(10 * kMin));
  // c's timer (at 15m) starts `late` from its own deadline, however late advance is called.
  REQUIRE(c.s.advance(at(16 * kMin)) == cs::Status::Ok);
  CHECK(c.s.state_name() == "d");
  CHECK(c.due("late") == at(25 * kMin));
  CHECK(c.s.next_deadline() == at(25 * kMin));  // d has no timers of its own
  REQUIRE(c.s.advance(at(25 * kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"sla", "timer", "late"});
  CHECK(c.s.next_deadline() == std::nullopt);
}

TEST_CASE("sla_deadline is nothing before start, for an unknown SLA, and when not armed") {
  auto p = timers();
  cs::Session s(*p);
  CHECK(p->sla_count() == 4);
  CHECK(p->sla_name(0) == "first");
  CHECK(p->sla_name(3) == "late");
  CHECK_FALSE(s.sla_deadline(0));
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  CHECK_FALSE(s.sla_deadline(0));
  CHECK_FALSE(s.sla_deadline(4));
  CHECK_FALSE(s.sla_deadline(0xFFFFFFFFu));
  REQUIRE(s.send(*p->event_id("go"), at(1000)) == cs::Status::Ok);
  CHECK(s.sla_deadline(0) == at(1000 + 5 * kMin));
  CHECK(s.sla_deadline(1) == at(1000 + 5 * kMin));
  CHECK(s.sla_deadline(2) == at(1000 + 10 * kMin));
  CHECK_FALSE(s.sla_deadline(3));
  REQUIRE(s.advance(at(1000 + 5 * kMin)) == cs::Status::Ok);
  CHECK_FALSE(s.sla_deadline(0));
  CHECK_FALSE(s.sla_deadline(1));
  CHECK(s.sla_deadline(2) == at(1000 + 10 * kMin));
}

TEST_CASE("business-time SLAs count on the calendar compiled into the program") {
  auto p = business();
  REQUIRE(p->calendar() != nullptr);
  const cs::BusinessCalendar& cal = shanghai();
  CHECK(p->calendar()->time_zone() == "Asia/Shanghai");
  CHECK(p->calendar()->intervals().size() == cal.intervals().size());

  for (const char* when : {"2025-03-03 09:00", "2025-03-07 16:00", "2025-01-24 17:30", "2025-09-30 12:30",
                           "2025-03-08 10:00"}) {
    INFO("started " << when);
    const cs::Instant t = at(local(when));
    Call c(p, local(when));
    REQUIRE(c.send("go", local(when)) == cs::Status::Ok);
    const auto progress = cal.internal_deadline(t, cs::BusinessDuration::workdays(2));
    const auto fix = cal.deadline(t, cs::BusinessDuration::workhours(4));
    const auto answer = cal.deadline(t, cs::BusinessDuration::workdays(1));
    const auto first_reply = cal.internal_deadline(t, cs::BusinessDuration::workhours(2));
    REQUIRE(progress.ok());
    REQUIRE(fix.ok());
    REQUIRE(answer.ok());
    REQUIRE(first_reply.ok());
    CHECK(c.due("progress") == progress.at);
    CHECK(c.due("fix") == fix.at);
    CHECK(c.due("answer") == answer.at);
    CHECK(c.due("first_reply") == first_reply.at);
    // Working time is not wall time.
    CHECK(c.due("fix") != at(local(when) + 4 * 60 * kMin));
    // Each breaches at its deadline, not a millisecond before.
    CHECK(c.s.advance(fix.at - 1ms) == cs::Status::Ok);
    CHECK(c.notified() == Strings{"first_reply"});  // 80 % of 2 working hours comes first
    CHECK(c.s.advance(fix.at) == cs::Status::Ok);
    CHECK(c.notified() == Strings{"fix"});
  }
}

TEST_CASE("a business promise started Monday 09:00 breaches Tuesday 15:00") {
  Call c(business(), local("2025-03-03 09:00"));
  REQUIRE(c.send("go", local("2025-03-03 09:00")) == cs::Status::Ok);
  CHECK(c.due("progress") == at(local("2025-03-04 15:00")));  // 12 of the 15 working hours
  CHECK(c.due("fix") == at(local("2025-03-03 14:30")));       // 3 h before lunch, 1 h after
  CHECK(c.due("first_reply") == at(local("2025-03-03 10:36"))); // 80 % of 2 h
  CHECK(c.s.advance(at(local("2025-03-04 14:59"))) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"first_reply", "fix", "answer"});
  CHECK(c.s.advance(at(local("2025-03-04 15:00"))) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"progress"});
}

TEST_CASE("an SLA started past the calendar's table gets the weekly pattern's deadline, and the host is told") {
  // Monday 4 January 2027, 10:00: past the table's last day, 2026-12-31. Not due at once.
  const std::int64_t t = local("2027-01-04 10:00");
  Call c(business(), t);
  CHECK_FALSE(c.s.calendar_alerts().any());
  REQUIRE(c.send("go", t) == cs::Status::Ok);
  CHECK(c.due("fix") == at(local("2027-01-04 15:30")));          // 2 h before lunch, 2 h after
  CHECK(c.due("answer") == at(local("2027-01-05 10:00")));
  CHECK(c.due("progress") == at(local("2027-01-05 16:00")));     // 12 of the 15 working hours
  CHECK(c.due("first_reply") == at(local("2027-01-04 11:36")));  // 80 % of 2 h
  for (const char* name : {"fix", "answer", "progress", "first_reply"}) {
    INFO(name);
    CHECK(c.s.sla_basis(c.sla(name)) == cs::DeadlineBasis::WeeklyPattern);
  }
  const cs::CalendarAlerts alerts = c.s.calendar_alerts();
  CHECK(alerts.past_table);
  CHECK_FALSE(alerts.unplaced);
  CHECK(c.s.next_deadline() == at(local("2027-01-04 11:36")));
  CHECK(c.s.advance(at(t)) == cs::Status::Ok);
  CHECK(c.notified().empty());
  CHECK(c.s.advance(at(local("2027-01-04 15:30"))) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"first_reply", "fix"});
  // The flag stays raised for the session, whatever comes after.
  CHECK(c.s.calendar_alerts().past_table);
}

TEST_CASE("an SLA whose deadline runs past the table is placed on the weekly pattern, and only that one is marked") {
  // Thursday 31 December 2026, the table's last day.
  const std::int64_t t = local("2026-12-31 10:00");
  Call c(business(), t);
  REQUIRE(c.send("go", t) == cs::Status::Ok);
  CHECK(c.due("fix") == at(local("2026-12-31 15:30")));
  CHECK(c.s.sla_basis(c.sla("fix")) == cs::DeadlineBasis::Table);
  CHECK(c.due("answer") == at(local("2027-01-01 10:00")));
  CHECK(c.s.sla_basis(c.sla("answer")) == cs::DeadlineBasis::WeeklyPattern);
  // 2 workdays promised is Monday 4 January 10:00 on the pattern: 15 h; 12 h of it end Friday.
  CHECK(c.due("progress") == at(local("2027-01-01 16:00")));
  CHECK(c.s.sla_basis(c.sla("progress")) == cs::DeadlineBasis::WeeklyPattern);
  CHECK(c.s.calendar_alerts().past_table);
}

TEST_CASE("an SLA started before the calendar's first day has no deadline: it never fires by itself") {
  const std::int64_t t = local("2024-12-02 10:00");
  Call c(business(), t);
  REQUIRE(c.send("go", t) == cs::Status::Ok);
  for (const char* name : {"fix", "answer", "progress", "first_reply"}) {
    INFO(name);
    CHECK_FALSE(c.due(name));
    CHECK(c.s.sla_basis(c.sla(name)) == cs::DeadlineBasis::Unplaced);
  }
  CHECK(c.s.calendar_alerts().unplaced);
  CHECK_FALSE(c.s.calendar_alerts().past_table);
  CHECK_FALSE(c.s.next_deadline());
  CHECK(c.s.advance(at(t)) == cs::Status::Ok);
  CHECK(c.s.advance(at(local("2025-06-02 10:00"))) == cs::Status::Ok);
  CHECK(c.notified().empty());
  CHECK(c.s.state_name() == "waiting");
  // `stop` disarms an SLA without a deadline like any other.
  REQUIRE(c.send("halt", local("2025-06-02 10:00")) == cs::Status::Ok);
  CHECK_FALSE(c.s.sla_basis(c.sla("fix")));
  CHECK(c.s.calendar_alerts().unplaced);
}

TEST_CASE("inside the table and in wall time, nothing is flagged") {
  Call c(business(), local("2025-03-03 09:00"));
  REQUIRE(c.send("go", local("2025-03-03 09:00")) == cs::Status::Ok);
  CHECK(c.s.sla_basis(c.sla("fix")) == cs::DeadlineBasis::Table);
  CHECK_FALSE(c.s.calendar_alerts().any());
  Call w(build("slas.call", kSlas));
  REQUIRE(w.send("go", 0) == cs::Status::Ok);
  CHECK(w.s.sla_basis(w.sla("reply")) == cs::DeadlineBasis::Wall);
  CHECK_FALSE(w.s.sla_basis(w.sla("promised")));  // not armed
  CHECK_FALSE(w.s.calendar_alerts().any());
}

TEST_CASE("stopping business-time SLAs disarms them all") {
  Call c(business(), local("2025-03-03 09:00"));
  REQUIRE(c.send("go", local("2025-03-03 09:00")) == cs::Status::Ok);
  REQUIRE(c.send("halt", local("2025-03-03 09:30")) == cs::Status::Ok);
  CHECK(c.s.ended());
  CHECK_FALSE(c.due("progress"));
  CHECK_FALSE(c.due("fix"));
}

TEST_CASE("start counts from the instant of the step that runs it: start, input, filled") {
  const char* src = R"(script steps {
  slot pin: digits(4)
  slot ticket: text host
  effect notify(reason: text)
  sla from_start: 1m { emit notify(reason: "from_start") }
  sla from_filled: 1m { emit notify(reason: "from_filled") }
  sla from_host: 1m { emit notify(reason: "from_host") }
  state q {
    start from_start
    ask pin {
      max 3 -> done
      filled { start from_filled }
    }
    when ticket != "" { start from_host } -> waiting
  }
  state waiting {
    after 1h -> done
  }
  final done: resolved
})";
  Call c(build("steps.call", src), 5000);
  CHECK(c.due("from_start") == at(5000 + kMin));
  REQUIRE(c.s.input(*c.p->slot_id("pin"), "1234", at(7000)) == cs::Status::Ok);
  CHECK(c.due("from_filled") == at(7000 + kMin));
  REQUIRE(c.s.input(*c.p->slot_id("ticket"), "T-1", at(9000)) == cs::Status::Ok);
  CHECK(c.s.state_name() == "waiting");
  CHECK(c.due("from_host") == at(9000 + kMin));
  CHECK(c.s.advance(at(9000 + kMin)) == cs::Status::Ok);
  CHECK(c.notified() == Strings{"from_start", "from_filled", "from_host"});
}
