// W0003: the business calendar a script names must cover today and the days after it, since
// past its last day no holiday is known (<callscript/calendar.h>, "The table's edges").
#pragma once

#include <callscript/calendar.h>
#include <callscript/diagnostics.h>

#include <chrono>

namespace callscript {

// The warning is given while the calendar's last day is fewer than this many days after today:
// a year's official holidays are published about seven weeks before it starts, so the notice
// leaves time to add them.
inline constexpr int kCalendarNoticeDays = 60;

// Reports W0003 at `declared` (the script's `calendar` line) when `calendar` ran out before
// `today`, runs out within kCalendarNoticeDays of it, or starts after it.
void check_calendar_coverage(const BusinessCalendar& calendar, Span declared, std::chrono::sys_days today, Diagnostics& diags);

}  // namespace callscript
