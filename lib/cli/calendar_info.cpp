#include "cli/calendar_info.h"

#include "text/text.h"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace callscript::cli {

namespace {

std::unique_ptr<icu::TimeZone> zone_of(const BusinessCalendar& calendar) {
  const std::string id(calendar.time_zone());
  return std::unique_ptr<icu::TimeZone>(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(id)));
}

// As --start takes it: "2026-12-04T09:00+08:00".
std::string local_text(const icu::TimeZone& zone, Instant t) {
  UErrorCode status = U_ZERO_ERROR;
  std::int32_t raw = 0, dst = 0;
  zone.getOffset(static_cast<UDate>(t.time_since_epoch().count()), false, raw, dst, status);
  const std::int32_t offset_min = (raw + dst) / 60'000;
  const auto local = std::chrono::floor<std::chrono::minutes>(t + std::chrono::minutes(offset_min));
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const auto minutes = (local - day).count();
  const int off = offset_min < 0 ? -offset_min : offset_min;
  char buf[24];
  std::snprintf(buf, sizeof buf, "T%02d:%02d%c%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60),
                offset_min < 0 ? '-' : '+', off / 60, off % 60);
  return text::format_date(day) + buf;
}

Instant local_midnight(const icu::TimeZone& zone, std::chrono::sys_days day) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(zone, status);
  const std::chrono::year_month_day ymd(day);
  cal.clear();
  cal.set(static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())) - 1,
          static_cast<int>(static_cast<unsigned>(ymd.day())), 0, 0, 0);
  const UDate at = cal.getTime(status);
  // Should ICU fail, UTC midnight is within a day of the right one.
  if (U_FAILURE(status)) return Instant(day);
  return Instant(std::chrono::milliseconds(std::llround(at)));
}

}  // namespace

std::string calendar_range(const BusinessCalendar& calendar) {
  const auto first = calendar.first_day(), last = calendar.last_day();
  std::string out = first && last ? text::format_date(*first) + " to " + text::format_date(*last) : "an unknown range";
  return out + " (" + std::string(calendar.time_zone()) + ")";
}

RunStart default_start(const BusinessCalendar& calendar, std::chrono::sys_days today) {
  const std::unique_ptr<icu::TimeZone> zone = zone_of(calendar);
  const std::string day = text::format_date(today);
  const Instant midnight = local_midnight(*zone, today);
  const CalendarResult next = calendar.next_working_moment(midnight);
  if (next.ok() && next.basis == CalendarBasis::Table)
    return {next.at, "the clock starts at " + local_text(*zone, next.at) + ", the calendar's first working moment on or after today (" +
                         day + "); --start sets another"};
  if (calendar.intervals().empty())
    return {std::nullopt, "the calendar has no working day, so there is no working moment to start the clock at; give --start"};
  auto edge = [](std::optional<std::chrono::sys_days> d) { return d ? " (" + text::format_date(*d) + ")" : std::string(); };
  std::string why;
  if (midnight < calendar.range_begin()) why = "today (" + day + ") is before the calendar's first day" + edge(calendar.first_day());
  else if (midnight < calendar.range_end()) why = "the calendar has no working moment left from today (" + day + ") on";
  else why = "today (" + day + ") is past the calendar's last day" + edge(calendar.last_day());
  const Instant first = Instant(std::chrono::milliseconds(calendar.intervals().front().begin_ms));
  return {first, why + ": the clock starts at its first working moment, " + local_text(*zone, first) + "; --start sets another"};
}

}  // namespace callscript::cli
