// Loading a business calendar from YAML (part of callscript_compiler: yaml-cpp and ICU). The
// runtime only ever sees the resulting table (<callscript/calendar.h>), or its bytes.
//
//   name: 客服中心工作日历                            # optional, for people
//   time_zone: Asia/Shanghai                          # an IANA id ICU knows
//   working_hours: [ "09:00-12:00", "13:30-18:00" ]   # each working day, local time; 24:00 ends a day
//   weekend: [sat, sun]                               # optional, default [sat, sun]
//   holidays: [2025-01-01, "2025-01-28..2025-02-04"]  # optional: days or inclusive spans
//   makeup_workdays: [2025-01-26]                     # optional: weekend days worked (调休)
//   range: {from: 2025-01-01, to: 2027-12-31}         # the days the table covers (at most 50 years)
//
// A day is a working day when it is a make-up day, or when it is neither a weekend day nor a
// holiday. Past the range's last day the table keeps only the weekly pattern (the working hours
// on the weekdays that are not weekend days) with the zone's offsets from ICU, for 400 years;
// see "The table's edges" in <callscript/calendar.h>. Problems are C0xxx diagnostics at the YAML
// node's line and column.
#pragma once

#include <callscript/calendar.h>
#include <callscript/diagnostics.h>

#include <optional>

namespace callscript {

// Reads `source` as a calendar and builds its table with ICU. Every problem goes to `diags`
// (made for `source`); a calendar is returned only when there were none. Never throws.
std::optional<BusinessCalendar> load_calendar(const SourceFile& source, Diagnostics& diags);

}  // namespace callscript
