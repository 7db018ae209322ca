#include "cli/simulator.h"

#include <callscript/session.h>
#include "text/text.h"

#include <charconv>
#include <cstdio>
#include <istream>
#include <ostream>
#include <sstream>

namespace callscript::cli {

namespace {

std::string mask(std::string_view) { return std::string(text::kMasked); }

std::string clock_text(std::chrono::milliseconds elapsed) {
  const auto total = elapsed.count() / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(total / 3600),
                static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60));
  return buf;
}

class Simulator {
 public:
  Simulator(const Program& p, std::ostream& out, const SimulatorOptions& o)
      : program_(p), session_(p), out_(out), options_(o), now_(o.start) {}

  int run(std::istream& in) {
    out_ << "call " << program_.name();
    if (!program_.title().empty()) out_ << " \"" << program_.title() << "\"";
    out_ << "\n";
    report(session_.start(now_));
    show();
    std::string line;
    std::size_t line_no = 0;
    while (!session_.ended()) {
      if (options_.interactive) out_ << "> " << std::flush;
      if (!std::getline(in, line)) break;
      ++line_no;
      const auto first = line.find_first_not_of(" \t\r");
      if (first == std::string::npos || line[first] == '#') continue;
      line = line.substr(first, line.find_last_not_of(" \t\r") - first + 1);
      if (options_.echo) out_ << "> " << masked_command(line) << "\n";
      const Outcome o = command(line);
      if (o == Outcome::Quit) break;
      if (o == Outcome::Bad) {
        if (!options_.interactive) {
          out_ << options_.source << ":" << line_no << ": error: " << error_ << "\n";
          return 1;
        }
        out_ << "error: " << error_ << "\n";
      }
    }
    if (session_.ended()) out_ << "[" << clock_text(now_ - options_.start) << "] call ended: " << session_.outcome() << "\n";
    else out_ << "[" << clock_text(now_ - options_.start) << "] simulation stopped in state " << session_.state_name() << "\n";
    return 0;
  }

 private:
  enum class Outcome { Ok, Bad, Quit };

  // The command as echoed: the value of an `input` to a pii slot is masked.
  std::string masked_command(const std::string& line) const {
    std::istringstream words(line);
    std::string verb, slot;
    words >> verb >> slot;
    const auto id = verb == "input" ? program_.slot_id(slot) : std::nullopt;
    if (!id || !program_.slot_is_pii(*id)) return line;
    return verb + " " + slot + " " + mask(line);
  }

  Outcome command(const std::string& line) {
    std::istringstream words(line);
    std::string verb;
    words >> verb;
    if (verb == "quit" || verb == "exit") return Outcome::Quit;
    if (verb == "help") {
      out_ << "  EVENT or its number   send the event\n"
              "  input SLOT VALUE      give a slot's value\n"
              "  wait DURATION         advance the clock (30s, 5m, 1h30m) and fire timers\n"
              "  slots                 show every slot's value\n"
              "  quit                  stop\n";
      return Outcome::Ok;
    }
    if (verb == "slots") {
      for (SlotId s = 0; s < program_.slot_count(); ++s)
        out_ << "  " << program_.slot_name(s) << " = " << (program_.slot_is_pii(s) ? mask(session_.slot_text(s)) : session_.slot_text(s)) << "\n";
      return Outcome::Ok;
    }
    if (verb == "wait") {
      std::string arg;
      words >> arg;
      const auto d = text::parse_duration(arg);
      if (!d) return bad("`wait` takes a duration such as 30s, 5m or 1h30m");
      const Instant until = now_ + *d;
      // Step through each deadline so the transcript shows when every timer fired.
      while (auto due = session_.next_deadline()) {
        if (*due > until) break;
        now_ = std::max(now_, *due);
        out_ << "[" << clock_text(now_ - options_.start) << "] timer fires\n";
        report(session_.advance(now_));
        show();
        if (session_.ended()) return Outcome::Ok;
      }
      now_ = until;
      out_ << "[" << clock_text(now_ - options_.start) << "] waited " << arg << "\n";
      return Outcome::Ok;
    }
    if (verb == "input") {
      std::string slot, value;
      words >> slot;
      std::getline(words >> std::ws, value);
      const auto id = program_.slot_id(slot);
      if (!id) return bad("no slot named `" + slot + "`");
      const Status st = session_.input(*id, value, now_);
      if (st == Status::NoMatch) {
        // Not stored, but not refused either: the script reprompts or moves on.
        out_ << "nomatch: " << slot << ": the value does not fit the slot\n";
        show();
        return Outcome::Ok;
      }
      if (st != Status::Ok) {
        out_ << "refused: " << slot << ": " << to_string(st) << "\n";
        return Outcome::Ok;
      }
      show();
      return Outcome::Ok;
    }
    std::optional<EventId> event;
    std::size_t number = 0;
    const auto r = std::from_chars(verb.data(), verb.data() + verb.size(), number);
    if (r.ec == std::errc() && r.ptr == verb.data() + verb.size()) {
      const auto choices = session_.choices();
      if (number < 1 || number > choices.size()) return bad("there is no choice " + verb);
      event = choices[number - 1].event;
    } else {
      event = program_.event_id(verb);
      if (!event) return bad("unknown command or event `" + verb + "` (type help)");
    }
    const Status st = session_.send(*event, now_);
    if (st != Status::Ok) {
      out_ << "refused: " << program_.event_name(*event) << ": " << to_string(st) << "\n";
      return Outcome::Ok;
    }
    show();
    return Outcome::Ok;
  }

  Outcome bad(std::string message) {
    error_ = std::move(message);
    return Outcome::Bad;
  }

  void report(Status st) {
    if (st != Status::Ok) out_ << "session: " << to_string(st) << "\n";
  }

  void show() {
    out_ << "[" << clock_text(now_ - options_.start) << "] state " << session_.state_name() << "\n";
    for (const auto& p : session_.prompts()) out_ << "  agent: " << p.text << "\n";
    for (const auto& e : session_.take_effects()) {
      out_ << "  effect: " << e.name << "(";
      for (std::size_t i = 0; i < e.args.size(); ++i) {
        const auto& a = e.args[i];
        out_ << (i ? ", " : "") << a.name << ": ";
        if (a.pii) out_ << mask(a.kind == ValueKind::Text ? a.text : std::to_string(a.number));
        else if (a.kind == ValueKind::Text) out_ << '"' << a.text << '"';
        else if (a.kind == ValueKind::Bool) out_ << (a.number ? "true" : "false");
        else out_ << a.number;
      }
      out_ << ")\n";
    }
    if (session_.ended()) return;
    const auto choices = session_.choices();
    for (std::size_t i = 0; i < choices.size(); ++i) {
      const auto& c = choices[i];
      out_ << "  " << i + 1 << ". " << c.name;
      if (c.label != c.name) out_ << "  " << c.label;
      if (c.leaves_state) out_ << "  -> " << c.target;
      out_ << "\n";
    }
    if (!session_.asked_slots().empty()) {
      out_ << "  asks:";
      for (std::uint32_t slot : session_.asked_slots()) out_ << " " << program_.slot_name(slot);
      out_ << "  (input SLOT VALUE)\n";
    }
    for (std::uint32_t sla = 0; sla < program_.sla_count(); ++sla) {
      const auto basis = session_.sla_basis(sla);
      if (auto due = session_.sla_deadline(sla)) {
        out_ << "  sla " << program_.sla_name(sla) << " due at " << clock_text(*due - options_.start);
        if (basis == DeadlineBasis::WeeklyPattern) out_ << " (on the weekly pattern: past the calendar's last day)";
        out_ << "\n";
      } else if (basis == DeadlineBasis::Unplaced) {
        out_ << "  sla " << program_.sla_name(sla) << " armed without a deadline: the calendar cannot place it\n";
      }
    }
    if (auto due = session_.next_deadline()) out_ << "  next timer at " << clock_text(*due - options_.start) << "\n";
    // What the host would alert on, said once when it first happens.
    const CalendarAlerts alerts = session_.calendar_alerts();
    if (alerts.past_table && !alerts_.past_table)
      out_ << "  calendar alert: past its last day, working time and business deadlines follow the weekly pattern alone (no holiday known)\n";
    if (alerts.unplaced && !alerts_.unplaced)
      out_ << "  calendar alert: an instant the calendar knows nothing about: no working time there, and no business deadline\n";
    alerts_ = alerts;
  }

  const Program& program_;
  Session session_;
  std::ostream& out_;
  const SimulatorOptions& options_;
  Instant now_;
  CalendarAlerts alerts_;  // those already shown
  std::string error_;
};

}  // namespace

int simulate(const Program& program, std::istream& in, std::ostream& out, const SimulatorOptions& options) {
  return Simulator(program, out, options).run(in);
}

}  // namespace callscript::cli
