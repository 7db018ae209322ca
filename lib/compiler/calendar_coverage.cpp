#include "compiler/calendar_coverage.h"

#include "text/text.h"

namespace callscript {

void check_calendar_coverage(const BusinessCalendar& calendar, Span declared, std::chrono::sys_days today, Diagnostics& diags) {
  const auto first = calendar.first_day(), last = calendar.last_day();
  if (!first || !last) return;  // a 1.0 table does not say; the loader always writes 1.1
  const std::string today_text = text::format_date(today);
  auto days = [](long n) { return std::to_string(n) + (n == 1 ? " day" : " days"); };
  if (*first > today) {
    diags.report(Code::W0003, declared, "the calendar starts on " + text::format_date(*first) + ", " +
                                            days((*first - today).count()) + " after today (" + today_text + ")")
        .hint = "before its first day nothing is working time and no business deadline can be placed; extend `range` "
                "back to today";
    return;
  }
  const long left = (*last - today).count();
  if (left >= kCalendarNoticeDays) return;
  const std::string last_text = text::format_date(*last);
  std::string message;
  if (left < 0) message = "the calendar ran out: its last day was " + last_text + ", " + days(-left) + " before today (" + today_text + ")";
  else if (left == 0) message = "the calendar's last day is today (" + today_text + ")";
  else message = "the calendar's last day is " + last_text + ", " + days(left) + " after today (" + today_text + ")";
  diags.report(Code::W0003, declared, message).hint =
      "past its last day no holiday is known: working time and business deadlines follow the weekly hours alone, and "
      "the session alerts the host; add the next year's holidays and make-up days, then extend `range`";
}

}  // namespace callscript
