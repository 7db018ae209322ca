// Past the table's last day: the weekly pattern (calendar.h, "The table's edges"). Holidays are
// unknown there, so every answer is marked CalendarBasis::WeeklyPattern.
//
// Local wall time is UTC plus the zone's offset, which the table lists from its end on as
// periods of one offset each. Inside a period the pattern is periodic by the week in local time,
// so working time between two instants is a difference of pattern_before (working time since
// 1970-01-01 00:00 local), in O(1); only a daylight-saving change splits a query into periods.
// Like calendar.cpp, this is runtime code: no ICU, no allocation.
#include <callscript/calendar.h>

#include <algorithm>
#include <bit>

namespace callscript {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::int64_t kMinuteMs = 60'000;

CalendarResult fail(CalendarStatus s) { return {s, Instant{}}; }
CalendarResult weekly_at(std::int64_t v) {
  if (v >= kCalendarMaxInstantMs) return fail(CalendarStatus::PastTable);
  return {CalendarStatus::Ok, Instant(std::chrono::milliseconds(v)), CalendarBasis::WeeklyPattern};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); }
// 1970-01-01 was a Thursday: local date `day` (days since then) is weekday (day + 4) mod 7,
// 0 being Sunday.
unsigned weekday(std::int64_t day) { return static_cast<unsigned>((day % 7 + 11) % 7); }

}  // namespace

BusinessCalendar::Period BusinessCalendar::period_at(std::int64_t t) const {
  // Offsets are listed for one Gregorian cycle after the table; later instants map into it.
  const auto& offsets = table_.edges->offsets;
  const std::int64_t shift = (t - table_.range_end_ms) / kGregorianCycleMs * kGregorianCycleMs;
  const std::int64_t x = t - shift;
  const auto it = std::upper_bound(offsets.begin(), offsets.end(), x, [](std::int64_t v, const OffsetChange& o) { return v < o.at_ms; }) - 1;
  const std::int64_t end = it + 1 != offsets.end() ? (it + 1)->at_ms : table_.range_end_ms + kGregorianCycleMs;
  return {it->at_ms + shift, end + shift, it->offset_ms};
}

std::int64_t BusinessCalendar::pattern_in_day(std::int64_t ms_of_day) const {
  std::int64_t sum = 0;
  for (const LocalHours& h : table_.edges->hours)
    sum += std::clamp<std::int64_t>(ms_of_day - h.begin_min * kMinuteMs, 0, (h.end_min - h.begin_min) * kMinuteMs);
  return sum;
}

std::int64_t BusinessCalendar::pattern_before(std::int64_t local) const {
  const std::int64_t day = floor_div(local, kDayMs);
  const std::int64_t week = floor_div(day, 7);
  const auto i = static_cast<std::size_t>(day - week * 7);
  const bool works = (table_.edges->weekdays >> weekday(day)) & 1;
  return week * week_work_ + week_before_[i] + (works ? pattern_in_day(local - day * kDayMs) : 0);
}

std::int64_t BusinessCalendar::pattern_local_at(std::int64_t w) const {
  // w >= 1. "Earliest": w that uses up a span exactly ends at that span's end.
  const std::int64_t week = (w - 1) / week_work_;
  const std::int64_t r = w - week * week_work_;  // 1 .. week_work_
  std::size_t i = 0;
  while (week_before_[i + 1] < r) ++i;
  std::int64_t left = r - week_before_[i];  // 1 .. day_work_, on day i, a worked day
  const std::int64_t day_start = (week * 7 + static_cast<std::int64_t>(i)) * kDayMs;
  for (const LocalHours& h : table_.edges->hours) {
    const std::int64_t length = (h.end_min - h.begin_min) * kMinuteMs;
    if (left <= length) return day_start + h.begin_min * kMinuteMs + left;
    left -= length;
  }
  return day_start + table_.edges->hours.back().end_min * kMinuteMs;  // not reached
}

std::int64_t BusinessCalendar::to_utc(std::int64_t local) const {
  // The instant whose wall time is `local`. A time the clocks repeat is its later occurrence; a
  // time they skip is read with the offset before the change, as ICU does inside the table.
  std::int64_t found = -1, skipped = -1;
  const std::int64_t from = std::max(table_.range_end_ms, local - kCalendarMaxOffsetMs);
  for (Period p = period_at(from);; p = period_at(p.end)) {
    const std::int64_t t = local - p.offset;
    if (t >= p.begin && t < p.end) found = t;
    else if (t >= p.end) skipped = t;
    if (p.end > local + kCalendarMaxOffsetMs || p.end >= kCalendarMaxInstantMs) break;
  }
  if (found >= 0) return found;
  return skipped >= 0 ? skipped : local - period_at(from).offset;
}

bool BusinessCalendar::pattern_is_working(std::int64_t t) const {
  const std::int64_t local = t + period_at(t).offset;
  const std::int64_t day = floor_div(local, kDayMs);
  if (!((table_.edges->weekdays >> weekday(day)) & 1)) return false;
  const std::int64_t in_day = local - day * kDayMs;
  return std::any_of(table_.edges->hours.begin(), table_.edges->hours.end(), [&](const LocalHours& h) {
    return in_day >= h.begin_min * kMinuteMs && in_day < h.end_min * kMinuteMs;
  });
}

CalendarResult BusinessCalendar::pattern_next_working(std::int64_t t) const {
  if (!has_weekly_pattern()) return fail(CalendarStatus::PastTable);
  const auto& e = *table_.edges;
  for (std::int64_t u = t; u < kCalendarMaxInstantMs;) {
    const Period p = period_at(u);
    const std::int64_t local = u + p.offset;
    const std::int64_t day = floor_div(local, kDayMs);
    const std::int64_t in_day = local - day * kDayMs;
    // The first span still open today, else the first span of the next worked weekday (one
    // comes within a week).
    std::int64_t next = -1;
    for (std::int64_t d = 0; d <= 7 && next < 0; ++d) {
      if (!((e.weekdays >> weekday(day + d)) & 1)) continue;
      for (const LocalHours& h : e.hours)
        if (d > 0 || in_day < h.end_min * kMinuteMs) {
          next = (day + d) * kDayMs + std::max(h.begin_min * kMinuteMs, d == 0 ? in_day : 0);
          break;
        }
    }
    const std::int64_t at = next - p.offset;
    if (at < p.end) return weekly_at(at);
    u = p.end;  // the offset changes first: look again in the new one
  }
  return fail(CalendarStatus::PastTable);
}

CalendarResult BusinessCalendar::pattern_add_work(std::int64_t t, std::int64_t d) const {
  if (!has_weekly_pattern() || t >= kCalendarMaxInstantMs) return fail(CalendarStatus::PastTable);
  if (d == 0) return weekly_at(t);
  // More working time than the pattern holds before year 10000 (read with the widest offsets
  // either side) fails at once, so a huge duration does not walk every daylight-saving period.
  if (d > pattern_before(kCalendarMaxInstantMs + kCalendarMaxOffsetMs) - pattern_before(t - kCalendarMaxOffsetMs))
    return fail(CalendarStatus::PastTable);
  for (std::int64_t u = t; u < kCalendarMaxInstantMs;) {
    const Period p = period_at(u);
    const std::int64_t end = std::min(p.end, kCalendarMaxInstantMs);
    const std::int64_t before = pattern_before(u + p.offset);
    const std::int64_t here = pattern_before(end + p.offset) - before;
    if (d <= here) return weekly_at(pattern_local_at(before + d) - p.offset);
    d -= here;
    u = end;
  }
  return fail(CalendarStatus::PastTable);
}

CalendarResult BusinessCalendar::pattern_add_days(std::int64_t day, std::int64_t offset, std::int64_t n) const {
  if (!has_weekly_pattern()) return fail(CalendarStatus::PastTable);
  const auto& e = *table_.edges;
  // The n-th worked weekday after `day`: whole weeks first, then at most a week day by day.
  const std::int64_t per_week = std::popcount(e.weekdays);
  const std::int64_t weeks = (n - 1) / per_week;
  if (weeks > kCalendarMaxInstantMs / kDayMs / 7) return fail(CalendarStatus::PastTable);
  std::int64_t target = day + weeks * 7;
  for (std::int64_t left = n - weeks * per_week; left > 0;)
    if ((e.weekdays >> weekday(++target)) & 1) --left;
  // The moment `offset` into its hours, counted half-open as inside the table (an offset equal
  // to a span's length lands on the next span's begin); a day shorter than that ends the result.
  std::int64_t local = target * kDayMs + e.hours.back().end_min * kMinuteMs;
  for (const LocalHours& h : e.hours) {
    const std::int64_t length = (h.end_min - h.begin_min) * kMinuteMs;
    if (offset < length) {
      local = target * kDayMs + h.begin_min * kMinuteMs + offset;
      break;
    }
    offset -= length;
  }
  if (local >= kCalendarMaxInstantMs) return fail(CalendarStatus::PastTable);
  return weekly_at(to_utc(local));
}

std::int64_t BusinessCalendar::pattern_work_between(std::int64_t a, std::int64_t b) const {
  std::int64_t sum = 0;
  for (std::int64_t u = a; u < b;) {
    const Period p = period_at(u);
    const std::int64_t end = std::min(p.end, b);
    sum += pattern_before(end + p.offset) - pattern_before(u + p.offset);
    u = end;
  }
  return sum;
}

}  // namespace callscript
