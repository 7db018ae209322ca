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

// The shipped example: Asia/Shanghai, 09:00-12:00 and 13:30-18:00, the 2025 and 2026 holidays.
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

TEST_CASE("the example calendar has the official number of working days") {
  // 2025: 261 weekdays, less 18 weekdays of holidays, plus 5 make-up weekend days. 2026: 261
  // weekdays, less 19 weekdays of holidays, plus 6 make-up weekend days.
  CHECK(shanghai().working_days() == 248 + 248);
  CHECK(shanghai().intervals().size() == 2 * 496);
  CHECK(shanghai().time_zone() == "Asia/Shanghai");
  CHECK(show(shanghai().range_begin()) == "2025-01-01 00:00");
  CHECK(show(shanghai().range_end()) == "2027-01-01 00:00");
  CHECK(shanghai().first_day() == std::chrono::sys_days(std::chrono::year(2025) / 1 / 1));
  CHECK(shanghai().last_day() == std::chrono::sys_days(std::chrono::year(2026) / 12 / 31));
  CHECK(shanghai().work_time_between(at("2026-01-01 00:00"), at("2027-01-01 00:00")) == 248 * (7h + 30min));
}

TEST_CASE("the 2026 arrangement (国务院办公厅关于2026年部分节假日安排的通知)") {
  const auto& cal = shanghai();
  struct Day {
    const char* when;
    bool works;
  };
  for (const Day& d : std::initializer_list<Day>{
           {"2026-01-02 10:00", false},  // 元旦: Thursday 1 to Saturday 3 January
           {"2026-01-04 10:00", true},   // Sunday, worked for 元旦
           {"2026-02-13 10:00", true},
           {"2026-02-14 10:00", true},   // Saturday, worked for 春节
           {"2026-02-16 10:00", false},  // 春节: Sunday 15 to Monday 23 February
           {"2026-02-23 10:00", false},
           {"2026-02-24 10:00", true},
           {"2026-02-28 10:00", true},   // Saturday, worked for 春节
           {"2026-04-06 10:00", false},  // 清明节: Saturday 4 to Monday 6 April
           {"2026-05-05 10:00", false},  // 劳动节: Friday 1 to Tuesday 5 May
           {"2026-05-09 10:00", true},   // Saturday, worked for 劳动节
           {"2026-06-19 10:00", false},  // 端午节: Friday 19 to Sunday 21 June
           {"2026-09-20 10:00", true},   // Sunday, worked for 国庆节
           {"2026-09-25 10:00", false},  // 中秋节: Friday 25 to Sunday 27 September
           {"2026-10-07 10:00", false},  // 国庆节: Thursday 1 to Wednesday 7 October
           {"2026-10-08 10:00", true},
           {"2026-10-10 10:00", true},   // Saturday, worked for 国庆节
           {"2026-10-11 10:00", false},  // an ordinary Sunday
       }) {
    INFO(d.when);
    CHECK(cal.is_working(at(d.when)) == d.works);
  }
  CHECK(show(cal.add_workdays(at("2026-02-13 15:00"), 2)) == "2026-02-24 15:00");
  CHECK(show(cal.add_workdays(at("2026-09-30 16:00"), 1)) == "2026-10-08 16:00");
  CHECK(cal.add_workdays(at("2026-09-30 16:00"), 1).basis == cs::CalendarBasis::Table);
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
  CHECK(cal.internal_deadline(at("2024-12-30 10:00"), promise).status == cs::CalendarStatus::BeforeTable);
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

TEST_CASE("past the table's last day the weekly pattern answers, and says so") {
  const auto& cal = shanghai();
  const auto weekly = cs::CalendarBasis::WeeklyPattern;
  // Thursday 31 December 2026 is the table's last day. Friday 1 January 2027 is a weekday to the
  // weekly pattern: 2027's holidays are not in the table, so the answer is marked.
  CHECK(cal.basis_at(at("2026-12-31 23:59")) == cs::CalendarBasis::Table);
  CHECK(cal.basis_at(at("2027-01-01 00:00")) == weekly);
  CHECK_FALSE(cal.is_working(at("2027-01-04 03:00")));  // Monday, at night
  CHECK(cal.is_working(at("2027-01-04 10:00")));
  CHECK_FALSE(cal.is_working(at("2027-01-04 12:30")));  // lunch
  CHECK_FALSE(cal.is_working(at("2027-01-09 10:00")));  // Saturday
  CHECK_FALSE(cal.is_working(at("2027-01-10 10:00")));  // Sunday
  // Within the table the table answers; a deadline that runs past it goes on by the pattern.
  CHECK(show(cal.add_work_time(at("2026-12-31 17:00"), 1h)) == "2026-12-31 18:00");
  CHECK(cal.add_work_time(at("2026-12-31 17:00"), 1h).basis == cs::CalendarBasis::Table);
  const auto across = cal.add_work_time(at("2026-12-31 17:00"), 2h);
  CHECK(show(across) == "2027-01-01 10:00");
  CHECK(across.basis == weekly);
  CHECK(show(cal.add_work_time(at("2026-12-31 17:00"), 1h + 1ms)) == "2027-01-01 09:00 +1ms");
  CHECK(show(cal.add_workdays(at("2026-12-30 10:00"), 1)) == "2026-12-31 10:00");
  CHECK(show(cal.add_workdays(at("2026-12-31 10:00"), 1)) == "2027-01-01 10:00");
  CHECK(show(cal.add_workdays(at("2026-12-31 10:00"), 2)) == "2027-01-04 10:00");
  CHECK(show(cal.add_workdays(at("2026-12-31 13:30"), 1)) == "2027-01-01 13:30");
  CHECK(show(cal.add_workdays(at("2026-12-31 12:10"), 1)) == "2027-01-01 13:30");
  CHECK(cal.add_workdays(at("2026-12-31 10:00"), 1).basis == weekly);
  CHECK(show(cal.next_working_moment(at("2026-12-31 19:00"))) == "2027-01-01 09:00");
  CHECK(cal.next_working_moment(at("2026-12-31 19:00")).basis == weekly);
  // Entirely past the table, the same rules as inside it.
  CHECK(show(cal.add_work_time(at("2027-01-08 17:00"), 2h)) == "2027-01-11 10:00");  // Fri -> Mon
  CHECK(show(cal.add_work_time(at("2027-01-09 10:00"), 1h)) == "2027-01-11 10:00");  // Saturday
  CHECK(show(cal.add_work_time(at("2027-01-04 09:00"), 3h)) == "2027-01-04 12:00");  // an interval's end
  CHECK(show(cal.add_work_time(at("2027-01-04 03:00"), 0ms)) == "2027-01-04 03:00");
  CHECK(show(cal.add_workdays(at("2027-01-08 15:00"), 2)) == "2027-01-12 15:00");
  CHECK(show(cal.add_workdays(at("2027-01-09 11:00"), 2)) == "2027-01-13 09:00");
  CHECK(show(cal.add_workdays(at("2027-01-04 12:00"), 1)) == "2027-01-05 13:30");
  CHECK(show(cal.add_workdays(at("2027-01-04 17:59"), 1)) == "2027-01-05 17:59");
  CHECK(show(cal.add_workdays(at("2027-01-04 17:59"), 15)) == "2027-01-25 17:59");  // three weeks
  CHECK(show(cal.next_working_moment(at("2027-01-04 12:00"))) == "2027-01-04 13:30");
  CHECK(cal.work_time_between(at("2026-12-31 09:00"), at("2027-01-05 09:00")) == 3 * (7h + 30min));
  // A promise that ends past the table: 2 workdays from Wednesday 30 December 10:00 is Friday
  // 1 January 10:00 on the pattern, 15 h away; the timer fires after 12 h, inside the table, but
  // is marked, since the promise itself was placed on the pattern.
  const auto promised = cal.internal_deadline(at("2026-12-30 10:00"), cs::BusinessDuration::workdays(2));
  CHECK(show(promised) == "2026-12-31 16:00");
  CHECK(promised.basis == weekly);
}

TEST_CASE("the weekly pattern holds until year 10000, and nothing is known before the table") {
  const auto& cal = shanghai();
  // Centuries on, the weekday is still the weekday: 2500-01-04 is a Monday.
  REQUIRE(std::chrono::weekday(std::chrono::sys_days(std::chrono::year(2500) / 1 / 4)) == std::chrono::Monday);
  CHECK(cal.is_working(at("2500-01-04 10:00")));
  CHECK_FALSE(cal.is_working(at("2500-01-03 10:00")));
  CHECK(show(cal.add_work_time(at("2500-01-01 17:00"), 2h)) == "2500-01-04 10:00");  // Fri -> Mon
  // Year 10000 and later is past anything the table can say.
  CHECK(cal.basis_at(cs::Instant(std::chrono::milliseconds(cs::kCalendarMaxInstantMs))) == cs::CalendarBasis::None);
  CHECK_FALSE(cal.is_working(cs::Instant(std::chrono::milliseconds::max())));
  CHECK(cal.add_work_time(cs::Instant(std::chrono::milliseconds::max()), 1h).status == cs::CalendarStatus::PastTable);
  CHECK(cal.next_working_moment(cs::Instant(std::chrono::milliseconds(cs::kCalendarMaxInstantMs - 1))).status ==
        cs::CalendarStatus::PastTable);
  // Extremes overflow nothing, and a duration past year 10000 fails at once.
  CHECK(cal.add_work_time(at("2025-03-03 10:00"), std::chrono::milliseconds::max()).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_workdays(at("2025-03-03 10:00"), INT64_MAX).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_workdays(at("2030-03-04 10:00"), INT64_MAX).status == cs::CalendarStatus::PastTable);
  CHECK(cal.work_time_between(cs::Instant(std::chrono::milliseconds::min()), cal.range_end()) ==
        std::chrono::milliseconds(496LL * 450 * 60 * 1000));
  // Before the first day: not working time, and no deadline.
  CHECK(cal.basis_at(at("2024-12-31 10:00")) == cs::CalendarBasis::None);
  CHECK_FALSE(cal.is_working(at("2024-12-31 10:00")));
  CHECK(cal.add_work_time(at("2024-12-31 10:00"), 1h).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_workdays(at("2024-12-31 10:00"), 1).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.next_working_moment(at("2024-12-31 10:00")).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_work_time(cs::Instant(std::chrono::milliseconds::min()), 1h).status == cs::CalendarStatus::BeforeTable);
  CHECK(cal.add_work_time(at("2025-03-03 10:00"), -1ms).status == cs::CalendarStatus::NegativeDuration);
  CHECK(cal.add_workdays(at("2025-03-03 10:00"), -1).status == cs::CalendarStatus::NegativeDuration);
}

TEST_CASE("a table without a weekly pattern knows nothing past its last day") {
  // As a format 1.0 table reads: no edges. (So does a calendar whose every day is a weekend day.)
  cs::CalendarTable t = shanghai().table();
  t.edges.reset();
  auto loaded = cs::BusinessCalendar::from_table(t);
  REQUIRE(loaded.calendar);
  const auto& cal = *loaded.calendar;
  CHECK_FALSE(cal.has_weekly_pattern());
  CHECK_FALSE(cal.first_day());
  CHECK(cal.basis_at(at("2027-01-04 10:00")) == cs::CalendarBasis::None);
  CHECK_FALSE(cal.is_working(at("2027-01-04 10:00")));
  CHECK(show(cal.add_work_time(at("2026-12-31 17:00"), 1h)) == "2026-12-31 18:00");
  CHECK(cal.add_work_time(at("2026-12-31 17:00"), 1h + 1ms).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_workdays(at("2026-12-31 10:00"), 1).status == cs::CalendarStatus::PastTable);
  CHECK(cal.next_working_moment(at("2026-12-31 19:00")).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_work_time(at("2027-01-05 10:00"), 1h).status == cs::CalendarStatus::PastTable);
  CHECK(cal.add_work_time(at("2027-01-05 10:00"), 0ms).status == cs::CalendarStatus::PastTable);
  // It is what a 1.0 reader wrote: minor version 0, no edges, and read back the same.
  const auto bytes = cal.to_bytes();
  CHECK(bytes[6] == 0);
  auto back = cs::BusinessCalendar::from_bytes(bytes);
  REQUIRE(back.calendar);
  CHECK_FALSE(back.calendar->table().edges);
  const auto none = load("all_weekend.yaml", R"(time_zone: Asia/Shanghai
working_hours: ["09:00-18:00"]
weekend: [mon, tue, wed, thu, fri, sat, sun]
makeup_workdays: [2025-03-01]
range: {from: 2025-01-01, to: 2025-12-31}
)");
  CHECK(none.working_days() == 1);
  CHECK_FALSE(none.has_weekly_pattern());
  CHECK(none.add_workdays(at("2025-03-01 10:00"), 1).status == cs::CalendarStatus::PastTable);
}

TEST_CASE("past the table in a DST zone, the hours follow the wall clock") {
  const auto cal = load("berlin.yaml", R"(time_zone: Europe/Berlin
working_hours: ["09:00-17:00"]
range: {from: 2025-03-01, to: 2025-04-30}
)");
  // Summer (CEST, UTC+2) and winter (CET, UTC+1) of 2025, past the table.
  CHECK(cal.is_working(at("2025-07-01 07:00", 0)));
  CHECK_FALSE(cal.is_working(at("2025-07-01 06:59", 0)));
  CHECK_FALSE(cal.is_working(at("2025-07-01 15:00", 0)));
  CHECK(cal.is_working(at("2025-12-01 08:00", 0)));
  CHECK_FALSE(cal.is_working(at("2025-12-01 07:30", 0)));
  // The clocks go back on Sunday 26 October: Friday 16:00 CEST + 2 workhours is Monday 10:00 CET.
  CHECK(show(cal.add_work_time(at("2025-10-24 14:00", 0), 2h), 0) == "2025-10-27 09:00");
  CHECK(show(cal.add_workdays(at("2025-10-24 08:00", 0), 1), 0) == "2025-10-27 09:00");
  CHECK(show(cal.next_working_moment(at("2025-10-25 12:00", 0)), 0) == "2025-10-27 08:00");
  CHECK(cal.work_time_between(at("2025-10-24 00:00", 0), at("2025-10-28 00:00", 0)) == 16h);
  // Past the 400 years of offsets the table lists, they repeat: the Gregorian calendar does.
  const auto first_monday = [](int y, unsigned m) {
    return std::chrono::sys_days(std::chrono::year(y) / m / std::chrono::Monday[1]);
  };
  const auto july = cs::Instant(first_monday(2600, 7));
  const auto december = cs::Instant(first_monday(2600, 12));
  CHECK(cal.is_working(july + 7h));  // 09:00 CEST
  CHECK_FALSE(cal.is_working(july + 6h + 30min));
  CHECK(cal.is_working(december + 8h));  // 09:00 CET
  CHECK_FALSE(cal.is_working(december + 7h + 30min));
  CHECK(cal.add_work_time(december + 8h, 8h).at == december + 16h);
  // ICU's offsets after the table: the first at its end, then two changes a year.
  const auto& offsets = cal.table().edges->offsets;
  CHECK(offsets.front() == cs::OffsetChange{cal.range_end().time_since_epoch().count(), 2 * 3'600'000});
  CHECK(offsets.size() == 1 + 2 * 400);
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
  // The edges: first and last day, weekdays, two spans of hours, one offset (no DST in Shanghai).
  CHECK(bytes.size() == 4 + 2 + 2 + 8 + 8 + 2 + 13 + 4 + 4 + 992 * 16 + 496 * 4 + (4 + 4 + 1 + 2 + 2 * 4 + 4 + 12));
  CHECK(std::string(bytes.begin(), bytes.begin() + 4) == "CLCA");
  auto back = cs::BusinessCalendar::from_bytes(bytes);
  INFO(back.error);
  REQUIRE(back.calendar);
  CHECK(back.calendar->to_bytes() == bytes);
  CHECK(back.calendar->time_zone() == "Asia/Shanghai");
  CHECK(back.calendar->table().intervals == cal.table().intervals);
  CHECK(back.calendar->table().edges == cal.table().edges);
  CHECK(show(back.calendar->add_work_time(at("2026-12-31 17:00"), 2h)) == "2027-01-01 10:00");
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
    // The edges' counts: the hours' (after the days and weekdays), then the offsets'.
    const std::size_t edges = good.size() - (4 + 4 + 1 + 2 + 2 * 4 + 4 + 12);
    auto hours = good;
    hours[edges + 9] = hours[edges + 10] = 0xFF;
    CHECK(cs::BusinessCalendar::from_bytes(hours).error == "calendar table is truncated");
    auto offsets = good;
    for (int i = 0; i < 4; ++i) offsets[edges + 19 + i] = 0xFF;
    CHECK(cs::BusinessCalendar::from_bytes(offsets).error == "calendar table is truncated");
  }
  SUBCASE("out of order and out of range") {
    auto swapped = good;
    const std::size_t first = 4 + 2 + 2 + 8 + 8 + 2 + 13 + 8;
    std::swap_ranges(swapped.begin() + first, swapped.begin() + first + 16, swapped.begin() + first + 16);
    CHECK(cs::BusinessCalendar::from_bytes(swapped).error.find("invalid") != std::string::npos);
    auto early = good;
    for (int i = 0; i < 8; ++i) early[8 + i] = i == 7 ? 0x80 : 0;  // range_begin = INT64_MIN
    CHECK(cs::BusinessCalendar::from_bytes(early).error.find("range") != std::string::npos);
    auto days = good;
    const std::size_t edges = good.size() - (4 + 4 + 1 + 2 + 2 * 4 + 4 + 12);
    days[edges] ^= 0x10;  // the first day moves 16 days away from the range's first instant
    CHECK(cs::BusinessCalendar::from_bytes(days).error.find("disagree") != std::string::npos);
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
      (void)r.calendar->add_workdays(at("2026-12-30 10:00"), 30);
      (void)r.calendar->internal_deadline(at("2027-06-03 10:00"), cs::BusinessDuration::workhours(40));
      (void)r.calendar->is_working(at("2027-06-03 10:00"));
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

TEST_CASE("validate names what is wrong with a table's edges") {
  cs::CalendarTable t = shanghai().table();
  auto& e = *t.edges;
  REQUIRE(cs::validate(t).empty());
  auto broken = [&](auto change) {
    cs::CalendarTable copy = t;
    change(*copy.edges);
    return cs::validate(copy);
  };
  CHECK(broken([](cs::CalendarEdges& x) { x.last_day = x.first_day - 1; }).find("before its first") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.last_day += 2; }).find("disagree") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.weekdays = 0x80; }).find("Saturday") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.hours[1].begin_min = 11 * 60; }).find("order") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.hours[1].end_min = 25 * 60; }).find("midnight") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.offsets.clear(); }).find("do not start") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.offsets[0].at_ms += 1; }).find("do not start") != std::string::npos);
  CHECK(broken([](cs::CalendarEdges& x) { x.offsets[0].offset_ms = 19 * 3'600'000; }).find("18 hours") != std::string::npos);
  CHECK(broken([&](cs::CalendarEdges& x) { x.offsets.push_back({e.offsets[0].at_ms, 0}); }).find("out of order") != std::string::npos);
  CHECK(broken([&](cs::CalendarEdges& x) { x.offsets.push_back({e.offsets[0].at_ms + cs::kGregorianCycleMs, 0}); })
            .find("400 years") != std::string::npos);
  CHECK(broken([&](cs::CalendarEdges& x) { x.offsets.push_back({e.offsets[0].at_ms + 1000, 0}); }).empty());
}
