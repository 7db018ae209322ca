// The hot path makes no heap allocation: after a warm-up, a call driven around the consult
// script's loops (send, input, advance, take_effects) must not call operator new at all.
#include <callscript/calendar_yaml.h>
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<bool> counting{false};
std::atomic<std::size_t> allocations{0};
}  // namespace

// Counts every allocation in this test binary while `counting` is set. Every plain form of new
// and delete is replaced, so that each pair matches (the sanitizer checks that).
namespace {
void* counted_alloc(std::size_t n) noexcept {
  if (counting.load(std::memory_order_relaxed)) allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n ? n : 1);
}
}  // namespace
void* operator new(std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = counted_alloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return counted_alloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace cs = callscript;

TEST_CASE("send, input, advance and take_effects allocate nothing once warm") {
  auto loaded = cs::Program::from_image(cs::test::compile_repo_file("examples/consult.call"));
  REQUIRE(loaded.program);
  const cs::Program& p = *loaded.program;
  auto ev = [&](const char* n) { return *p.event_id(n); };
  const cs::EventId pick_up = ev("pick_up"), confirmed = ev("confirmed"),
                    simple = ev("simple"), complex = ev("complex"), answer_found = ev("answer_found"),
                    ticket_created = ev("ticket_created"), more_needs = ev("more_needs");
  const cs::SlotId need = *p.slot_id("need"), ticket_no = *p.slot_id("ticket_no");

  cs::Session call(p);
  cs::Instant now{};
  REQUIRE(call.start(now) == cs::Status::Ok);
  REQUIRE(call.send(pick_up, now) == cs::Status::Ok);

  // One lap: a simple question answered after a lookup, then a complex one with a ticket (whose
  // effect carries text arguments longer than any small-string buffer), then back to the start.
  auto lap = [&] {
    std::size_t failures = 0;
    auto ok = [&](cs::Status s) { failures += s != cs::Status::Ok; };
    // A blank answer is a nomatch: looked at with ICU, but nothing allocated.
    failures += call.input(need, "\u3000 \t", now) != cs::Status::NoMatch;
    ok(call.input(need, "请问你们的产品支持夜间模式吗", now));
    ok(call.send(confirmed, now));
    ok(call.send(simple, now));
    ok(call.advance(now += std::chrono::seconds(30)));
    ok(call.send(answer_found, now));
    ok(call.send(more_needs, now));
    ok(call.input(need, "售后维修进度查询，工单已经超过两天没有回复", now));
    ok(call.send(confirmed, now));
    ok(call.send(complex, now));
    ok(call.input(ticket_no, "GD20261122000001", now));
    ok(call.send(ticket_created, now));
    (void)call.take_effects();
    ok(call.send(more_needs, now));
    (void)call.next_deadline();
    return failures;
  };
  REQUIRE(lap() == 0);
  REQUIRE(lap() == 0);
  counting = true;
  std::size_t failures = 0;
  for (int i = 0; i < 100; ++i) failures += lap();
  counting = false;
  CHECK(failures == 0);
  CHECK(allocations.load() == 0);
  CHECK(call.state_name() == "first_need");

  // The counter does count: rendering prompt text, which is off the hot path, allocates.
  counting = true;
  const auto rendered = call.prompts();
  counting = false;
  CHECK_FALSE(rendered.empty());
  CHECK(allocations.load() > 0);
}

// Asks (reprompts, nomatch, filled) and SLA timers in business time on the hot path: arming an
// SLA is a calendar table lookup, firing it is a comparison.
TEST_CASE("asks and business-time SLAs allocate nothing once warm") {
  auto loaded = cs::Program::from_image(cs::test::compile_clean(CALLSCRIPT_SOURCE_DIR "/examples/no_alloc.call", R"(
script loop {
  calendar "calendar/cn_business.yaml"
  slot phone: phone
  slot count: digits(4)
  event again
  effect breached(what: text)
  sla reply: 2 workhours promise { emit breached(what: "reply") }
  sla progress: 1 workdays { emit breached(what: "progress") }
  state asking {
    start reply
    start progress
    ask phone, count {
      noinput "请您再说一遍。"
      nomatch "很抱歉，请您再说一遍。"
      max 5 -> done
      filled -> answered
    }
  }
  state answered {
    stop reply
    on again -> asking
  }
  final done: ended
}
)"));
  REQUIRE(loaded.program);
  const cs::Program& p = *loaded.program;
  const cs::EventId again = *p.event_id("again"), noinput = *p.event_id("noinput");
  const cs::SlotId phone = *p.slot_id("phone"), count = *p.slot_id("count");
  cs::Session call(p);
  // Inside the calendar's table, and past its last day (2026-12-31), on the weekly pattern.
  cs::Instant now;
  SUBCASE("inside the table") { now = cs::Instant(std::chrono::sys_days{std::chrono::year(2025) / 3 / 3}) + std::chrono::hours(1); }
  SUBCASE("past the table") { now = cs::Instant(std::chrono::sys_days{std::chrono::year(2027) / 1 / 4}) + std::chrono::hours(1); }
  REQUIRE(call.start(now) == cs::Status::Ok);
  auto lap = [&] {
    std::size_t failures = 0;
    auto is = [&](cs::Status got, cs::Status want) { failures += got != want; };
    is(call.send(noinput, now), cs::Status::Ok);
    is(call.input(phone, "12345", now), cs::Status::NoMatch);
    is(call.input(phone, "13800138000", now), cs::Status::Ok);
    is(call.input(count, "0042", now), cs::Status::Ok);
    is(call.advance(now += std::chrono::hours(3)), cs::Status::Ok);
    (void)call.take_effects();
    (void)call.next_deadline();
    (void)call.calendar_alerts();
    is(call.send(again, now), cs::Status::Ok);
    return failures;
  };
  REQUIRE(lap() == 0);
  REQUIRE(lap() == 0);
  allocations = 0;
  counting = true;
  std::size_t failures = 0;
  for (int i = 0; i < 50; ++i) failures += lap();
  counting = false;
  CHECK(failures == 0);
  CHECK(allocations.load() == 0);
  CHECK(call.state_name() == "asking");
  CHECK(call.calendar_alerts().past_table == (now > cs::Instant(std::chrono::sys_days{std::chrono::year(2027) / 1 / 1})));
}

// Starting a business-time timer is a table lookup: loading the calendar allocates (and uses ICU),
// every query after it allocates nothing.
TEST_CASE("business-calendar queries allocate nothing") {
  cs::SourceFile src("cn_business.yaml", cs::test::read_file(CALLSCRIPT_SOURCE_DIR "/examples/calendar/cn_business.yaml"));
  cs::Diagnostics diags(src);
  const auto cal = cs::load_calendar(src, diags);
  REQUIRE(cal);
  allocations = 0;
  counting = true;
  std::int64_t sum = 0;
  // Inside the table, and from ten days before its last day (2026-12-31) on, past it.
  for (const auto day : {std::chrono::year(2025) / 3 / 7, std::chrono::year(2026) / 12 / 21}) {
    const auto start = cs::Instant(std::chrono::sys_days{day}) + std::chrono::hours(7);
    for (int i = 0; i < 1000; ++i) {
      const auto t = start + std::chrono::minutes(i * 37);
      sum += cal->add_work_time(t, std::chrono::hours(4)).at.time_since_epoch().count();
      sum += cal->add_workdays(t, 2).at.time_since_epoch().count();
      sum += cal->internal_deadline(t, cs::BusinessDuration::workdays(2)).at.time_since_epoch().count();
      sum += cal->next_working_moment(t).at.time_since_epoch().count();
      sum += cal->is_working(t) + cal->work_time_between(start, t).count();
    }
  }
  counting = false;
  CHECK(sum != 0);
  CHECK(allocations.load() == 0);
}
