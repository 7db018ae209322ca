// Business time on a business calendar: the arithmetic of the runtime's table, read as examples.
// Instants are written and shown as local wall time in the calendar's zone ("2025-03-03 11:00"),
// so each case reads like the sentence it checks. The YAML loader's diagnostics are in
// test_calendar_yaml.cpp.
#include <callscript/calendar.h>
#include <callscript/calendar_yaml.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <random>

namespace cs = callscript;
using callscript::test::read_file;
using namespace std::chrono_literals;

namespace {

cs::BusinessCalendar load(const std::string& name, const std::string& yaml) {
  cs::SourceFile src(name, yaml);
  cs::Diagnostics diags(src);
  auto cal = cs::load_calendar(src, diags);
  INFO(cs::render_human(diags));
  REQUIRE(cal);
  return std::move(*cal);
}

// The shipped example: Asia/Shanghai, 09:00-12:00 and 13:30-18:00, the 2025 holidays.
const cs::BusinessCalendar& shanghai() {
  static const cs::BusinessCalendar cal =
      load("cn_business.yaml", read_file(CALLSCRIPT_SOURCE_DIR "/examples/calendar/cn_business.yaml"));
  return cal;
}

// "YYYY-MM-DD HH:MM" in a zone `offset` hours east of UTC (Asia/Shanghai has no DST: +8 always).
cs::Instant at(const char* text, int offset = 8) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  REQUIRE(std::sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) == 5);
  const std::chrono::sys_days day{std::chrono::year(y) / mo / d};
  return cs::Instant(day) + std::chrono::hours(h - offset) + std::chrono::minutes(mi);
}

std::string show(cs::Instant t, int offset = 8) {
  const auto local = t + std::chrono::hours(offset);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(day);
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(local - day).count();
  const auto ms = (local - day).count() % 60000;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return ms ? std::string(buf) + " +" + std::to_string(ms) + "ms" : std::string(buf);
}

std::string show(cs::CalendarResult r, int offset = 8) {
  return r.ok() ? show(r.at, offset) : std::string(cs::to_string(r.status));
}

}  // namespace

TEST_CASE("the 2025 example calendar has the official number of working days") {
  // 261 weekdays, less 18 weekdays of holidays, plus 5 make-up weekend days.
  CHECK(shanghai().working_days() == 248);
  CHECK(shanghai().intervals().size() == 2 * 248);
  CHECK(shanghai().time_zone() == "Asia/Shanghai");
  CHECK(show(shanghai().range_begin()) == "2025-01-01 00:00");
  CHECK(show(shanghai().range_end()) == "2026-01-01 00:00");
}

TEST_CASE("work time runs across the lunch break and ends at an interval's end") {
  const auto& cal = shanghai();
  CHECK(show(cal.add_work_time(at("2025-03-03 11:00"), 2h)) == "2025-03-03 14:30");
  // Three hours from 09:00 are used up at 12:00: the deadline is then, not after lunch.
  CHECK(show(cal.add_work_time(at("2025-03-03 09:00"), 3h)) == "2025-03-03 12:00");
  CHECK(show(cal.add_work_time(at("2025-03-03 09:00"), 3h + 1ms)) == "2025-03-03 13:30 +1ms");
  CHECK(show(cal.add_work_time(at("2025-03-03 09:00"), 7h + 30min)) == "2025-03-03 18:00");
}

TEST_CASE("4 workhours across a night, and across a weekend") {
  const auto& cal = shanghai();
  CHECK(show(cal.deadline(at("2025-03-03 16:00"), cs::BusinessDuration::workhours(4))) == "2025-03-04 11:00");
  CHECK(show(cal.add_work_time(at("2025-03-07 17:00"), 2h)) == "2025-03-10 10:00");  // Fri -> Mon
}

TEST_CASE("a start outside working hours waits for the next working moment") {
  const auto& cal = shanghai();
  CHECK(show(cal.add_work_time(at("2025-03-08 10:00"), 1h)) == "2025-03-10 10:00");  // Saturday
  CHECK(show(cal.add_work_time(at("2025-03-03 12:30"), 1h)) == "2025-03-03 14:30");  // lunch
  CHECK(show(cal.add_work_time(at("2025-03-03 12:00"), 1h)) == "2025-03-03 14:30");  // an end is not working
  CHECK(show(cal.add_work_time(at("2025-03-03 20:00"), 1h)) == "2025-03-04 10:00");  // evening
  CHECK(show(cal.add_work_time(at("2025-03-04 03:00"), 1h)) == "2025-03-04 10:00");  // night
  CHECK(show(cal.next_working_moment(at("2025-03-03 12:00"))) == "2025-03-03 13:30");
  CHECK(show(cal.next_working_moment(at("2025-03-03 10:00"))) == "2025-03-03 10:00");
  CHECK(cal.is_working(at("2025-03-03 09:00")));
  CHECK_FALSE(cal.is_working(at("2025-03-03 12:00")));
  CHECK_FALSE(cal.is_working(at("2025-03-08 10:00")));
  // Nothing to wait for: a zero duration is the start itself, even outside working hours.
  CHECK(show(cal.add_work_time(at("2025-03-08 10:00"), 0ms)) == "2025-03-08 10:00");
}

TEST_CASE("2 workdays from a Friday afternoon is Tuesday afternoon") {
  const auto& cal = shanghai();
  CHECK(show(cal.add_workdays(at("2025-03-07 15:00"), 2)) == "2025-03-11 15:00");
  CHECK(show(cal.deadline(at("2025-03-07 15:00"), cs::BusinessDuration::workdays(2))) == "2025-03-11 15:00");
  // Outside hours, the start moves first: Saturday counts from Monday 09:00.
  CHECK(show(cal.add_workdays(at("2025-03-08 11:00"), 2)) == "2025-03-12 09:00");
  CHECK(show(cal.add_workdays(at("2025-03-07 19:00"), 1)) == "2025-03-11 09:00");
  // The afternoon's first minute maps to the afternoon's first minute, not to the morning's end.
  CHECK(show(cal.add_workdays(at("2025-03-03 13:30"), 1)) == "2025-03-04 13:30");
  CHECK(show(cal.add_workdays(at("2025-03-03 12:10"), 1)) == "2025-03-04 13:30");
  CHECK(show(cal.add_workdays(at("2025-03-03 17:59"), 1)) == "2025-03-04 17:59");
  CHECK(show(cal.add_workdays(at("2025-03-08 11:00"), 0)) == "2025-03-10 09:00");
}

TEST_CASE("the 春节 holiday block and its make-up days") {
  const auto& cal = shanghai();
  // Sunday 26 January and Saturday 8 February are working days (调休); 28 Jan to 4 Feb are not.
  CHECK(cal.is_working(at("2025-01-26 10:00")));
  CHECK(cal.is_working(at("2025-02-08 10:00")));
  CHECK_FALSE(cal.is_working(at("2025-01-28 10:00")));
  CHECK_FALSE(cal.is_working(at("2025-02-04 10:00")));
  CHECK_FALSE(cal.is_working(at("2025-02-09 10:00")));  // an ordinary Sunday
  // Friday 24 Jan + 2 workdays: Sunday 26 (make-up), then Monday 27.
  CHECK(show(cal.add_workdays(at("2025-01-24 15:00"), 2)) == "2025-01-27 15:00");
  // Monday 27 Jan + 1 workday jumps the whole block to Wednesday 5 Feb.
  CHECK(show(cal.add_workdays(at("2025-01-27 10:00"), 1)) == "2025-02-05 10:00");
  CHECK(show(cal.add_work_time(at("2025-01-27 17:00"), 2h)) == "2025-02-05 10:00");
  // Friday 7 Feb 17:00 + 2 workhours: the make-up Saturday works.
  CHECK(show(cal.add_work_time(at("2025-02-07 17:00"), 2h)) == "2025-02-08 10:00");
  CHECK(show(cal.add_workdays(at("2025-02-07 10:00"), 1)) == "2025-02-08 10:00");
  CHECK(show(cal.add_workdays(at("2025-02-08 10:00"), 1)) == "2025-02-10 10:00");
  // 国庆: Sunday 28 Sep works, 1 to 8 Oct do not, Saturday 11 Oct works.
  CHECK(show(cal.add_workdays(at("2025-09-26 16:00"), 1)) == "2025-09-28 16:00");
  CHECK(show(cal.add_workdays(at("2025-09-30 16:00"), 1)) == "2025-10-09 16:00");
  CHECK(show(cal.add_workdays(at("2025-10-10 16:00"), 1)) == "2025-10-11 16:00");
  CHECK(cal.work_time_between(at("2025-01-27 18:00"), at("2025-02-05 09:00")) == 0ms);
}

TEST_CASE("a promise keeps a 20% buffer: the internal timer fires after 0.8 of it") {
  const auto& cal = shanghai();
  const cs::Instant monday = at("2025-03-03 10:00");
  // "2 workdays" promised on Monday 10:00 is Wednesday 10:00: 15 h of working time. The timer
  // fires after 12 h of it: 6.5 h on Monday, 5.5 h on Tuesday.
  const auto promise = cs::BusinessDuration::workdays(2);
  CHECK(show(cal.deadline(monday, promise)) == "2025-03-05 10:00");
  CHECK(cal.work_time_between(monday, at("2025-03-05 10:00")) == 15h);
  CHECK(show(cal.internal_deadline(monday, promise)) == "2025-03-04 16:00");
  // "4 workhours" promised: 3 h 12 min of working time, across lunch.
  CHECK(show(cal.internal_deadline(monday, cs::BusinessDuration::workhours(4))) == "2025-03-03 14:42");
  // The internal deadline is never after the promise, and a promise the table cannot place gives
  // no internal deadline either.
  CHECK(show(cal.internal_deadline(monday, promise, 100)) == "2025-03-05 10:00");
  CHECK(cal.internal_deadline(at("2025-12-30 10:00"), promise).status == cs::CalendarStatus::PastTable);
  // The same share for a plain wall-clock promise, rounded down to the millisecond.
  static_assert(cs::promise_share(24h) == 19h + 12min);
  static_assert(cs::promise_share(std::chrono::milliseconds(9)) == std::chrono::milliseconds(7));
  static_assert(cs::promise_share(std::chrono::milliseconds::max()) < std::chrono::milliseconds::max());
}

TEST_CASE("a DST zone: Europe/Berlin across the March change is right in UTC") {
  const auto cal = load("berlin.yaml", R"(time_zone: Europe/Berlin
working_hours: ["09:00-17:00"]
range: {from: 2025-03-01, to: 2025-04-30}
)");
  // Friday 28 March is CET (UTC+1); the clocks go forward on Sunday 30 March; Monday 31 March is
  // CEST (UTC+2). The table holds each day's 09:00-17:00 local as UTC.
  CHECK(cal.is_working(at("2025-03-28 08:00", 0)));  // 09:00 CET
  CHECK_FALSE(cal.is_working(at("2025-03-31 06:30", 0)));
  CHECK(cal.is_working(at("2025-03-31 07:00", 0)));  // 09:00 CEST
  CHECK_FALSE(cal.is_working(at("2025-03-31 15:00", 0)));  // 17:00 CEST
  // Friday 16:00 CET + 2 workhours = Monday 10:00 CEST = 08:00 UTC.
  CHECK(show(cal.add_work_time(at("2025-03-28 15:00", 0), 2h), 0) == "2025-03-31 08:00");
  // One workday from Friday 10:00 CET is Monday 10:00 CEST: 23 h less in UTC than 3 days.
  CHECK(show(cal.add_workdays(at("2025-03-28 09:00", 0), 1), 0) == "2025-03-31 08:00");
  CHECK(show(cal.range_begin(), 0) == "2025-02-28 23:00");
  CHECK(show(cal.range_end(), 0) == "2025-04-30 22:00");
}

TEST_CASE("the end of the table is a status, never a guess") {
  const auto& cal = shanghai();
  CHECK(show(cal.add_work_time(at("2025-12-31 17:00"), 1h)) == "2025-12-31 18:00");
  CHECK(cal.add_work_time(at("2025-12-31 17:00"), 1h + 1ms).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_workdays(at("2025-12-31 10:00"), 1).status == cs::CalendarStatus::PastTable);
  CHECK(show(cal.add_workdays(at("2025-12-30 10:00"), 1)) == "2025-12-31 10:00");
  CHECK(cal.add_work_time(at("2025-12-31 19:00"), 1h).status == cs::CalendarStatus::PastTable);
  CHECK(cal.next_working_moment(at("2025-12-31 19:00")).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_work_time(at("2026-01-05 10:00"), 1h).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_work_time(at("2024-12-31 10:00"), 1h).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_workdays(at("2024-12-31 10:00"), 1).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_work_time(at("2025-03-03 10:00"), -1ms).status == cs::CalendarStatus::NegativeDuration);
  CHECK(cal.add_workdays(at("2025-03-03 10:00"), -1).status == cs::CalendarStatus::NegativeDuration);
  // Extremes overflow nothing.
  CHECK(cal.add_work_time(at("2025-03-03 10:00"), std::chrono::milliseconds::max()).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_workdays(at("2025-03-03 10:00"), INT64_MAX).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_work_time(cs::Instant(std::chrono::milliseconds::min()), 1h).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_work_time(cs::Instant(std::chrono::milliseconds::max()), 1h).status == cs::CalendarStatus::PastTable);
  CHECK_FALSE(cal.is_working(cs::Instant(std::chrono::milliseconds::max())));
  CHECK(cal.work_time_between(cs::Instant(std::chrono::milliseconds::min()), cs::Instant(std::chrono::milliseconds::max())) ==
        std::chrono::milliseconds(248LL * 450 * 60 * 1000));
}

TEST_CASE("a working day may be shorter than the offset: the day's end is the result") {
  cs::CalendarTable t;
  t.range_begin_ms = 0;
  t.range_end_ms = 10 * 86'400'000LL;
  t.intervals = {{1 * 3'600'000, 9 * 3'600'000}, {86'400'000 + 3'600'000, 86'400'000 + 4 * 3'600'000}};
  t.day_starts = {0, 1};
  auto loaded = cs::BusinessCalendar::from_table(t);
  REQUIRE(loaded.calendar);
  const auto r = loaded.calendar->add_workdays(cs::Instant(6h), 1);  // 5 h into an 8 h day
  CHECK(r.at == cs::Instant(24h + 4h));                              // the 3 h day's end
}

TEST_CASE("the table round-trips through bytes") {
  const auto& cal = shanghai();
  const std::vector<std::uint8_t> bytes = cal.to_bytes();
  CHECK(bytes.size() == 4 + 2 + 2 + 8 + 8 + 2 + 13 + 4 + 4 + 496 * 16 + 248 * 4);
  CHECK(std::string(bytes.begin(), bytes.begin() + 4) == "CLCA");
  auto back = cs::BusinessCalendar::from_bytes(bytes);
  INFO(back.error);
  REQUIRE(back.calendar);
  CHECK(back.calendar->to_bytes() == bytes);
  CHECK(back.calendar->time_zone() == "Asia/Shanghai");
  CHECK(back.calendar->table().intervals == cal.table().intervals);
  CHECK(show(back.calendar->add_workdays(at("2025-01-24 15:00"), 2)) == "2025-01-27 15:00");
  CHECK(show(back.calendar->internal_deadline(at("2025-03-03 10:00"), cs::BusinessDuration::workdays(2))) == "2025-03-04 16:00");
}

TEST_CASE("hostile bytes are refused without crashing") {
  const std::vector<std::uint8_t> good = shanghai().to_bytes();
  SUBCASE("every truncation") {
    for (std::size_t n = 0; n < good.size(); ++n) {
      auto r = cs::BusinessCalendar::from_bytes(std::span(good.data(), n));
      CHECK_FALSE(r.calendar);
      CHECK_FALSE(r.error.empty());
    }
  }
  SUBCASE("trailing bytes, another major version") {
    auto longer = good;
    longer.push_back(0);
    CHECK(cs::BusinessCalendar::from_bytes(longer).error.find("trailing") != std::string::npos);
    auto newer = good;
    newer[4] = 2;
    CHECK(cs::BusinessCalendar::from_bytes(newer).error.find("not supported") != std::string::npos);
  }
  SUBCASE("counts larger than the input") {
    auto huge = good;
    const std::size_t counts = 4 + 2 + 2 + 8 + 8 + 2 + 13;
    for (int i = 0; i < 4; ++i) huge[counts + i] = 0xFF;
    CHECK(cs::BusinessCalendar::from_bytes(huge).error == "calendar table is truncated");
  }
  SUBCASE("out of order and out of range") {
    auto swapped = good;
    const std::size_t first = 4 + 2 + 2 + 8 + 8 + 2 + 13 + 8;
    std::swap_ranges(swapped.begin() + first, swapped.begin() + first + 16, swapped.begin() + first + 16);
    CHECK(cs::BusinessCalendar::from_bytes(swapped).error.find("invalid") != std::string::npos);
    auto early = good;
    for (int i = 0; i < 8; ++i) early[8 + i] = i == 7 ? 0x80 : 0;  // range_begin = INT64_MIN
    CHECK(cs::BusinessCalendar::from_bytes(early).error.find("range") != std::string::npos);
  }
  SUBCASE("random bytes and random flips") {
    std::mt19937 rng(20250128);
    for (int round = 0; round < 2000; ++round) {
      std::vector<std::uint8_t> junk(rng() % 200);
      for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
      if (round % 2 && junk.size() >= 4) std::copy(good.begin(), good.begin() + 4, junk.begin());  // past the magic
      CHECK_FALSE(cs::BusinessCalendar::from_bytes(junk).calendar);
    }
    // A flipped byte is either refused or still a valid table; either way, queries stay safe.
    for (int round = 0; round < 500; ++round) {
      auto flipped = good;
      flipped[rng() % flipped.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      auto r = cs::BusinessCalendar::from_bytes(flipped);
      if (!r.calendar) continue;
      (void)r.calendar->add_workdays(at("2025-06-03 10:00"), 30);
      (void)r.calendar->internal_deadline(at("2025-06-03 10:00"), cs::BusinessDuration::workhours(40));
    }
  }
}

TEST_CASE("validate names what is wrong with a table") {
  cs::CalendarTable t;
  t.range_begin_ms = 0;
  t.range_end_ms = 100;
  t.intervals = {{10, 20}, {15, 30}};
  t.day_starts = {0};
  CHECK(cs::validate(t).find("overlaps") != std::string::npos);
  t.intervals = {{10, 20}, {20, 120}};
  CHECK(cs::validate(t).find("past the range") != std::string::npos);
  t.intervals = {{10, 20}, {30, 30}};
  CHECK(cs::validate(t).find("empty") != std::string::npos);
  t.intervals = {{10, 20}, {30, 40}};
  t.day_starts = {0, 2};
  CHECK(cs::validate(t).find("no interval") != std::string::npos);
  t.day_starts = {1};
  CHECK(cs::validate(t).find("interval 0") != std::string::npos);
  t.day_starts = {0, 1};
  CHECK(cs::validate(t).empty());
  t.time_zone = "Asia/Shang hai";
  CHECK(cs::validate(t).find("ASCII") != std::string::npos);
  // A calendar with no working day at all is valid; every query says so.
  cs::CalendarTable none;
  none.range_end_ms = 86'400'000;
  auto loaded = cs::BusinessCalendar::from_table(none);
  REQUIRE(loaded.calendar);
  CHECK(loaded.calendar->add_work_time(cs::Instant(1h), 1h).status == cs::CalendarStatus::PastTable);
  CHECK(loaded.calendar->add_workdays(cs::Instant(1h), 0).status == cs::CalendarStatus::PastTable);
}
