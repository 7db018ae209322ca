// What callc says about a script's business calendar: the days it covers (`check`, `build`), and
// where `run` starts its clock when no --start is given.
#pragma once

#include <callscript/calendar.h>

#include <chrono>
#include <optional>
#include <string>

namespace callscript::cli {

// "2025-01-01 to 2026-12-31 (Asia/Shanghai)".
std::string calendar_range(const BusinessCalendar& calendar);

// `callc run` without --start, on a script that names a calendar: its first working moment on or
// after `today` (from local midnight in the calendar's zone) when the table has one; otherwise
// (today is past the table, or no working moment is left in it) the table's first working
// moment. `at` is empty when the table has no working moment at all; `message` says which.
struct RunStart {
  std::optional<Instant> at;
  std::string message;
};
RunStart default_start(const BusinessCalendar& calendar, std::chrono::sys_days today);

}  // namespace callscript::cli
