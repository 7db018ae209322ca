// What a session learns from its business calendar at the table's edges: how each SLA's deadline
// was placed, and the alerts the host reads (<callscript/session.h>, "The calendar's edges").
// Like the rest of the session, allocation-free and ICU-free.
#include <callscript/session.h>

namespace callscript {

std::string_view to_string(DeadlineBasis b) {
  switch (b) {
    case DeadlineBasis::Wall: return "wall time";
    case DeadlineBasis::Table: return "business time";
    case DeadlineBasis::WeeklyPattern: return "business time on the weekly pattern, past the calendar's last day";
    case DeadlineBasis::Unplaced: return "business time the calendar cannot place";
  }
  return "?";
}

DeadlineBasis Session::note_calendar(const CalendarResult& r) const {
  if (!r.ok()) {
    alerts_.unplaced = true;
    return DeadlineBasis::Unplaced;
  }
  if (r.basis != CalendarBasis::WeeklyPattern) return DeadlineBasis::Table;
  alerts_.past_table = true;
  return DeadlineBasis::WeeklyPattern;
}

bool Session::working_time() const {
  // The verifier refuses WorkingTime without a calendar.
  const BusinessCalendar& cal = *program_->calendar();
  const CalendarBasis basis = cal.basis_at(now_);
  if (basis == CalendarBasis::WeeklyPattern) alerts_.past_table = true;
  else if (basis == CalendarBasis::None) alerts_.unplaced = true;
  return cal.is_working(now_);
}

std::optional<DeadlineBasis> Session::sla_basis(std::uint32_t sla) const {
  if (!started_ || sla >= sla_due_.size()) return std::nullopt;
  if (sla_due_[sla] == kSlaOff && sla_basis_[sla] != DeadlineBasis::Unplaced) return std::nullopt;
  return sla_basis_[sla];
}

CalendarAlerts Session::calendar_alerts() const {
  // The current state's business-time timers count from its entry; computing their deadlines
  // raises what they meet, even before the host asks for next_deadline.
  if (started_ && !ended())
    for (const bc::Transition& t : transitions_of(state_))
      if (t.trigger == bc::Trigger::After && t.after_unit != bc::DurationUnit::Wall) (void)deadline(t);
  return alerts_;
}

}  // namespace callscript
