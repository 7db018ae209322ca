// Business time: SLA durations such as `2 workdays` or `4 workhours`, counted on a business
// calendar (time zone, working hours, weekend, holidays, the make-up working days of 调休).
//
// The calendar's YAML is read and expanded with ICU once, when it is loaded (see
// <callscript/calendar_yaml.h>, in callscript_compiler). What the runtime keeps is a compact
// table in UTC: every working interval of every working day in the calendar's range, plus a
// prefix sum of working time. Starting a timer is then a binary search and some integer
// arithmetic: no ICU, no time-zone rules, no allocation, safe on any thread.
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
// - A promise to the customer keeps a 20% buffer (客服电话礼仪与技巧:
//   承诺解决时限需预留20%缓冲时间): the internal timer backing a promise of D fires after 80% of
//   D's working time, rounded down to the millisecond, so never later than 0.8 D (`internal_deadline`).
// - The table covers [range_begin, range_end): local midnight of the range's first day to local
//   midnight after its last day. A start outside it, or a result that would fall past the last
//   working moment, is reported as a status, never guessed.
#pragma once

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

// The table as the loader builds it, or as it is read from bytes, before it is validated.
struct CalendarTable {
  std::string time_zone;           // IANA id, for showing instants in local time; ASCII
  std::int64_t range_begin_ms = 0; // local midnight starting the range's first day
  std::int64_t range_end_ms = 0;   // local midnight ending the range's last day
  std::vector<WorkInterval> intervals;    // sorted, non-overlapping, inside the range
  std::vector<std::uint32_t> day_starts;  // index of each working day's first interval; the
                                          // day runs to the next day's start (or the end)
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
  BeforeTable,       // the start is before the table's range
  PastTable,         // the start, or the result, is past the table's last working moment
  NegativeDuration,  // a duration or day count below zero
};

std::string_view to_string(CalendarStatus s);

struct CalendarResult {
  CalendarStatus status = CalendarStatus::Ok;
  Instant at{};  // meaningful only when status is Ok
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

  bool is_working(Instant t) const;
  // The first working moment at or after t (t itself when it is working time).
  CalendarResult next_working_moment(Instant t) const;
  // Working time in [a, b), both clamped to the table; zero when b <= a.
  std::chrono::milliseconds work_time_between(Instant a, Instant b) const;

  std::string_view time_zone() const { return table_.time_zone; }
  Instant range_begin() const { return Instant(std::chrono::milliseconds(table_.range_begin_ms)); }
  Instant range_end() const { return Instant(std::chrono::milliseconds(table_.range_end_ms)); }
  std::span<const WorkInterval> intervals() const { return table_.intervals; }
  std::size_t working_days() const { return table_.day_starts.size(); }
  const CalendarTable& table() const { return table_; }

 private:
  explicit BusinessCalendar(CalendarTable table);
  // Working time before instant t (which must lie in the table's range).
  std::int64_t worked_before(std::int64_t t) const;
  // The earliest instant by which w of working time (from the table's start) has passed.
  std::int64_t instant_at(std::int64_t w) const;

  CalendarTable table_;
  std::vector<std::int64_t> worked_;  // worked_[i]: working time before interval i; size n + 1
};

struct CalendarLoad {
  std::optional<BusinessCalendar> calendar;  // empty when refused
  std::string error;                         // why
};

// Checks a table before it is used: the range within [0, kCalendarMaxInstantMs] and not empty,
// intervals non-empty, sorted, non-overlapping and inside the range, day starts strictly
// increasing from 0 and within the intervals, a short ASCII zone id. Empty when fine.
std::string validate(const CalendarTable& table);

}  // namespace callscript
