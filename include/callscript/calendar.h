// Business time: SLA durations such as `2 workdays` or `4 workhours`, counted on a business
// calendar (time zone, working hours, weekend, holidays, the make-up working days of 调休).
//
// The calendar's YAML is read and expanded with ICU once, when it is loaded (see
// <callscript/calendar_yaml.h>, in callscript_compiler). What the runtime keeps is a compact
// table in UTC: every working interval of every working day in the calendar's range, plus a
// prefix sum of working time, and the weekly pattern that holds past the range. Starting a timer
// is then a binary search and some integer arithmetic: no ICU, no time-zone rules, no
// allocation, safe on any thread.
//
// Semantics (grammar/REFERENCE.md, "Business calendars", says the same for script authors):
//
// - Working time is the union of the table's half-open intervals [begin, end). An instant at an
//   interval's end (12:00 when the morning ends at 12:00) is not working time.
// - `add_work_time(t, d)`: the earliest instant by which `d` of working time has passed since
//   `t`. A start outside working hours waits for the next working moment; a result may be an
//   interval's end (09:00 + 3 workhours = 12:00, not 13:30), since that is when the time is up.
// - `add_workdays(t, n)`: a start outside working time is first moved to the next working moment
//   m. The result is the moment holding the same amount of working time into the working day
//   n working days after m's day (Friday 15:00 + 2 workdays = Tuesday 15:00; a start at the
//   afternoon's first minute lands at the afternoon's first minute, not at the morning's end).
//   If that day has less working time than the offset (a shortened day), its last working
//   moment's end is the result.
// - A promise to the customer keeps a 20% buffer (客服电话礼仪与技巧: 承诺解决时限，
//   需预留20%缓冲时间): the internal timer backing a promise of D fires after 80% of
//   D's working time, rounded down to the millisecond, so never later than 0.8 D
//   (`internal_deadline`).
//
// The table's edges. The table covers [range_begin, range_end): local midnight of the range's
// first day to local midnight after its last day. Only there are holidays and make-up days known.
// - Past the last day, the calendar answers from its weekly pattern alone: the working hours on
//   every weekday that is not a weekend day, as local wall time in the zone (whose offsets the
//   loader took from ICU for 400 years past the table; the Gregorian calendar repeats after that).
//   No holiday is known there, so such an answer is marked `CalendarBasis::WeeklyPattern`, for the
//   host to alert on (Session::calendar_alerts). Calling hours never open outside the weekly
//   working hours; a deadline there may fall on a holiday nobody wrote down.
// - Before the first day nothing is known: no instant is working time and no deadline can be
//   placed (`BeforeTable`). A table with no weekly pattern (format 1.0, or a week with no working
//   day) knows nothing past its last day either (`PastTable`); nor does any table past
//   kCalendarMaxInstantMs.
// - Across a daylight-saving change past the table, working hours follow the wall clock: an hour
//   the clocks skip is not worked, an hour they repeat is worked twice. (Inside the table a
//   working day's spans were placed by ICU when it was loaded; the two differ only for spans that
//   start or end inside the change itself, at night.)
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript {

// The same alias as in <callscript/session.h> (an alias may be declared twice): milliseconds
// since the Unix epoch on the host's clock. Declared here so the calendar needs no Session.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

// One stretch of working time, in UTC milliseconds since the epoch, end exclusive.
struct WorkInterval {
  std::int64_t begin_ms = 0;
  std::int64_t end_ms = 0;
  friend bool operator==(const WorkInterval&, const WorkInterval&) = default;
};

// A span of working hours in local wall time, in minutes after midnight; end may be 24 * 60.
struct LocalHours {
  std::uint16_t begin_min = 0;
  std::uint16_t end_min = 0;
  friend bool operator==(const LocalHours&, const LocalHours&) = default;
};

// From `at_ms` on (until the next change), local wall time is UTC + offset_ms.
struct OffsetChange {
  std::int64_t at_ms = 0;
  std::int32_t offset_ms = 0;
  friend bool operator==(const OffsetChange&, const OffsetChange&) = default;
};

// The Gregorian calendar repeats itself, weekdays included, every 400 years: 146097 days.
inline constexpr std::int64_t kGregorianCycleMs = 146097LL * 86'400'000;
// No zone is further than this from UTC (ICU's extremes are -12 h and +14 h).
inline constexpr std::int32_t kCalendarMaxOffsetMs = 18 * 3'600'000;

// What a table knows about its edges (format 1.1 on): the local dates its range starts and ends
// on, and the weekly pattern that holds past the last one.
struct CalendarEdges {
  std::int32_t first_day = 0;  // the range's first local date, in days since 1970-01-01
  std::int32_t last_day = 0;   // its last
  std::uint8_t weekdays = 0;   // bit d set: weekday d (0 = Sunday ... 6 = Saturday) is worked
  std::vector<LocalHours> hours;  // each worked weekday's hours: sorted, disjoint, non-empty spans
  // The zone's offsets past the table: the first at range_end_ms, then every change in the 400
  // years after it (at most up to kCalendarMaxInstantMs); later, they repeat with that period.
  std::vector<OffsetChange> offsets;
  friend bool operator==(const CalendarEdges&, const CalendarEdges&) = default;
};

// The table as the loader builds it, or as it is read from bytes, before it is validated.
struct CalendarTable {
  std::string time_zone;           // IANA id, for showing instants in local time; ASCII
  std::int64_t range_begin_ms = 0; // local midnight starting the range's first day
  std::int64_t range_end_ms = 0;   // local midnight ending the range's last day
  std::vector<WorkInterval> intervals;    // sorted, non-overlapping, inside the range
  std::vector<std::uint32_t> day_starts;  // index of each working day's first interval; the
                                          // day runs to the next day's start (or the end)
  std::optional<CalendarEdges> edges;     // absent in a format 1.0 table
};

// Bounds a table must keep, so that no sum or difference of its instants can overflow and a
// hostile byte string cannot ask for unbounded memory.
inline constexpr std::int64_t kCalendarMaxInstantMs = 253402300800000;  // 10000-01-01T00:00Z
inline constexpr std::size_t kCalendarMaxZoneId = 64;

// The 20% buffer of 客服电话礼仪与技巧 (承诺解决时限需预留20%缓冲时间): an internal timer backing a
// promise fires after this share of it.
inline constexpr std::uint32_t kPromiseSharePercent = 80;

enum class CalendarStatus : std::uint8_t {
  Ok,
  BeforeTable,       // the start is before the table's range: nothing is known there
  PastTable,         // the start or the result is past the table's last working moment, and
                     // the table has no weekly pattern to go on (or it is past year 9999)
  NegativeDuration,  // a duration or day count below zero
};

std::string_view to_string(CalendarStatus s);

// Which part of the calendar an answer comes from.
enum class CalendarBasis : std::uint8_t {
  Table,          // the table: holidays and make-up days known
  WeeklyPattern,  // past the table's last day: the weekly pattern alone, no holiday known
  None,           // nothing: before the first day, or past the last with no weekly pattern
};

std::string_view to_string(CalendarBasis b);

struct CalendarResult {
  CalendarStatus status = CalendarStatus::Ok;
  Instant at{};  // meaningful only when status is Ok
  // WeeklyPattern when any part of the answer came from past the table's last day: the result
  // is then as late as the weekly pattern says, earlier than it would be if a holiday fell in
  // between, and the host should be told (Session::calendar_alerts does).
  CalendarBasis basis = CalendarBasis::Table;
  bool ok() const { return status == CalendarStatus::Ok; }
  explicit operator bool() const { return ok(); }
};

// A duration in business time, as a script writes it: `4 workhours` is 4 h of working time,
// `2 workdays` is 2 working days (see add_workdays).
struct BusinessDuration {
  enum class Unit : std::uint8_t { WorkTime, WorkDays };
  Unit unit = Unit::WorkTime;
  std::int64_t amount = 0;  // WorkTime: milliseconds of working time; WorkDays: days

  static BusinessDuration work_time(std::chrono::milliseconds d) { return {Unit::WorkTime, d.count()}; }
  static BusinessDuration workhours(std::int64_t h) { return {Unit::WorkTime, h * 3'600'000}; }
  static BusinessDuration workdays(std::int64_t n) { return {Unit::WorkDays, n}; }
};

// 80% of a plain (wall-clock) promise, rounded down: the same buffer for `within 24h`.
constexpr std::chrono::milliseconds promise_share(std::chrono::milliseconds d,
                                                  std::uint32_t percent = kPromiseSharePercent) {
  // Split so that d * percent cannot overflow for any d.
  const std::int64_t n = d.count();
  return std::chrono::milliseconds(n / 100 * percent + n % 100 * percent / 100);
}

struct CalendarLoad;

// An immutable, validated table. Copyable and cheap to share by const reference; every query is
// const, allocation-free and thread-safe.
class BusinessCalendar {
 public:
  // Validates the table (see validate) and derives the prefix sums.
  static CalendarLoad from_table(CalendarTable table);
  // Decodes bytes written by to_bytes. Never throws, never crashes, never allocates more than the
  // byte string's size justifies: anything malformed is refused with a message.
  static CalendarLoad from_bytes(std::span<const std::uint8_t> bytes);

  // Little-endian, versioned:
  //   magic "CLCA", major u16, minor u16, range_begin i64, range_end i64,
  //   zone_len u16, zone bytes, interval_count u32, day_count u32,
  //   intervals { begin i64, end i64 } x interval_count, day_starts u32 x day_count
  // then, from minor 1 on (the edges; a 1.0 reader skips them):
  //   first_day i32, last_day i32, weekdays u8, hours_count u16, hours { begin u16, end u16 },
  //   offset_count u32, offsets { at i64, offset i32 } x offset_count
  // The prefix sums are not stored: they are derived on load, so they cannot disagree.
  std::vector<std::uint8_t> to_bytes() const;

  // --- queries: no ICU, no allocation -----------------------------------------------------------
  CalendarResult add_work_time(Instant start, std::chrono::milliseconds d) const;
  CalendarResult add_workdays(Instant start, std::int64_t n) const;
  CalendarResult deadline(Instant start, BusinessDuration d) const;
  // When the internal timer backing a promise of `promise` made at `start` fires: after
  // `percent`% (at most 100) of the working time from `start` to the promise's own deadline,
  // which must be in the table (otherwise its status is returned).
  CalendarResult internal_deadline(Instant start, BusinessDuration promise,
                                   std::uint32_t percent = kPromiseSharePercent) const;

  // Past the table, by the weekly pattern; before it (or with nothing to go on), false.
  bool is_working(Instant t) const;
  // Where an answer about instant t comes from (is_working's, or a deadline starting at t).
  CalendarBasis basis_at(Instant t) const;
  // The first working moment at or after t (t itself when it is working time).
  CalendarResult next_working_moment(Instant t) const;
  // Working time in [a, b): from the table's start (a earlier is clamped to it), and past its
  // end by the weekly pattern (clamped to the end when there is none); zero when b <= a.
  std::chrono::milliseconds work_time_between(Instant a, Instant b) const;

  std::string_view time_zone() const { return table_.time_zone; }
  Instant range_begin() const { return Instant(std::chrono::milliseconds(table_.range_begin_ms)); }
  Instant range_end() const { return Instant(std::chrono::milliseconds(table_.range_end_ms)); }
  std::span<const WorkInterval> intervals() const { return table_.intervals; }
  std::size_t working_days() const { return table_.day_starts.size(); }
  // The range's first and last local dates; empty for a format 1.0 table.
  std::optional<std::chrono::sys_days> first_day() const;
  std::optional<std::chrono::sys_days> last_day() const;
  // Whether anything is known past the last day (see "The table's edges" above).
  bool has_weekly_pattern() const { return week_work_ > 0; }
  const CalendarTable& table() const { return table_; }

 private:
  explicit BusinessCalendar(CalendarTable table);
  // Working time before instant t (which must lie in the table's range).
  std::int64_t worked_before(std::int64_t t) const;
  // The earliest instant by which w of working time (from the table's start) has passed.
  std::int64_t instant_at(std::int64_t w) const;

  // Past the table, on the weekly pattern (lib/calendar/weekly.cpp). Instants are UTC ms at or
  // after range_end; "local" is wall-clock ms since 1970-01-01 00:00 in the zone.
  struct Period {
    std::int64_t begin, end;  // [begin, end): one UTC offset
    std::int32_t offset;
  };
  Period period_at(std::int64_t t) const;
  std::int64_t pattern_before(std::int64_t local) const;  // pattern working time in [0, local)
  std::int64_t pattern_local_at(std::int64_t w) const;    // earliest local time with w before it
  std::int64_t pattern_in_day(std::int64_t ms_of_day) const;
  std::int64_t to_utc(std::int64_t local) const;
  bool pattern_is_working(std::int64_t t) const;
  CalendarResult pattern_next_working(std::int64_t t) const;
  CalendarResult pattern_add_work(std::int64_t t, std::int64_t d) const;
  // n working days after local date `day`, `offset` of working time into it.
  CalendarResult pattern_add_days(std::int64_t day, std::int64_t offset, std::int64_t n) const;
  std::int64_t pattern_work_between(std::int64_t a, std::int64_t b) const;

  CalendarTable table_;
  std::vector<std::int64_t> worked_;  // worked_[i]: working time before interval i; size n + 1
  std::int64_t day_work_ = 0;         // the pattern's working time on a worked weekday
  std::int64_t week_work_ = 0;        // and in a week; 0: no weekly pattern
  std::array<std::int64_t, 8> week_before_{};  // in the first i days of a week from a Thursday
};

struct CalendarLoad {
  std::optional<BusinessCalendar> calendar;  // empty when refused
  std::string error;                         // why
};

// Checks a table before it is used: the range within [0, kCalendarMaxInstantMs] and not empty,
// intervals non-empty, sorted, non-overlapping and inside the range, day starts strictly
// increasing from 0 and within the intervals, a short ASCII zone id; and its edges, when it has
// them: days that agree with the range's instants, weekday bits, sorted disjoint hours within a
// day, offsets within 18 h that start at the range's end and change in order within 400 years
// of it. Empty when fine.
std::string validate(const CalendarTable& table);

}  // namespace callscript
