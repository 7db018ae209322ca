// One live call running a Program.
//
// The host drives a session with events, slot inputs and its own clock; the session never reads
// a clock. Every call runs to completion: it takes at most one transition chosen by the rules
// below, runs its actions, enters the target, then follows eventless transitions until the
// session waits or ends. A refused call returns a Status and changes nothing.
//
// Choosing a transition for an event: the current state's own transitions first, then the
// handlers of the flow it belongs to, then the script-wide handlers; within each, the first in
// source order whose guard holds.
//
// Flows: a transition that calls a flow remembers where to come back to (its `then` state, or
// the calling state) on a small fixed stack and enters the flow's first state; `-> return`
// enters the remembered state, running its entry actions. A script-wide handler (or a breach)
// that goes to a top-level state from inside flows leaves them all: the stack is emptied.
//
// Asks: a state that asks slots takes `input` for those slots only. A value that does not fit
// the slot's type is a nomatch, and so is an empty or blank answer for a text slot (nothing but
// white space: ASCII or full-width spaces, tabs, line breaks -- ICU's White_Space property): the
// session takes the state's `nomatch` transition (a reprompt, or after the maximum, the way out)
// and `input` returns Status::NoMatch. When every asked slot
// has a value, the state's `filled` transition is taken. `send(noinput)` is the host's report
// that the customer said nothing.
//
// SLA timers: `start NAME` arms one at the step's instant, for its duration in wall time or in
// business time (the program's calendar); `stop NAME` disarms it. An armed SLA survives state
// changes and flows; `advance` fires it with state timers, in deadline order, running its breach
// handler.
//
// The calendar's edges (<callscript/calendar.h>, "The table's edges"). Past the calendar's last
// day no holiday is known: `working_time` and business-time deadlines (SLAs, `after` timers, a
// campaign's wait for calling hours) follow the weekly pattern alone, so calling hours never open
// outside the weekly working hours, and such a deadline is as the weekly pattern places it --
// never due at once. Before the first day (or past the last with no weekly pattern) nothing is
// known: `working_time` is false, and a business-time deadline cannot be placed, so that SLA or
// timer stays armed but does not fire by itself. Either way the session raises a flag the host
// reads after each step (`calendar_alerts`) and should alert on: the calendar needs its next
// year, or the host's clock is wrong.
//
// Hot path: `send`, `advance` and `input` of a non-text slot do no heap allocation (beyond
// growing the prompt and effect buffers past their reserved size), no ICU or YAML work and no
// string hashing. `input` of a text slot checks the value's UTF-8 and its white space with ICU's
// property lookups, which allocate nothing; storing it may grow the slot's buffer. Rendering
// prompt text (`prompts`) and listing `choices` are for the UI and may allocate.
#pragma once

#include <callscript/program.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript {

// An instant on the host's clock, in milliseconds since the Unix epoch.
using Instant = std::chrono::sys_time<std::chrono::milliseconds>;

enum class Status : std::uint8_t {
  Ok,
  NotPermitted,  // no transition for this event is permitted in the current state now
  UnknownEvent,  // the event id is out of range
  UnknownSlot,   // the slot id is out of range
  BadValue,      // the value does not fit the slot's type
  Ended,         // the call has already ended
  NotStarted,    // start() has not been called
  AlreadyStarted,
  StepLimit,     // eventless transitions ran past Program::step_bound(): the session stopped in
                 // the state it had reached and refuses every later send, advance and input with
                 // StepLimit (a program the compiler made cannot get here); or advance fired
                 // more timers than one call allows, and may be called again to go on
  NotAsked,      // input for a slot the current state does not ask
  NoMatch,       // input for an asked slot that does not fit its type: not stored, but handled
                 // as a nomatch (the session reprompted or moved on); not a refusal
};

std::string_view to_string(Status s);

// What the business calendar could not vouch for in this session (see "The calendar's edges"
// above). The flags are raised by the step that met the edge and stay raised until the session
// ends; a host checks `any()` after each step and alerts once when it turns true.
struct CalendarAlerts {
  // Past the calendar's last day, `working_time` or a business-time deadline was answered from
  // the weekly pattern alone: a holiday there is unknown (calling hours may open, and deadlines
  // fall, on a day that is not worked).
  bool past_table = false;
  // An instant the calendar knows nothing about (before its first day, or past its last with no
  // weekly pattern): `working_time` there was false, and a business-time deadline from there
  // could not be placed, so its SLA or timer does not fire by itself.
  bool unplaced = false;
  bool any() const { return past_table || unplaced; }
  friend bool operator==(const CalendarAlerts&, const CalendarAlerts&) = default;
};

// How an armed SLA's deadline was placed.
enum class DeadlineBasis : std::uint8_t {
  Wall,           // a wall-clock duration
  Table,          // business time, inside the calendar's table
  WeeklyPattern,  // business time, past the table's last day: on the weekly pattern alone
  Unplaced,       // business time the calendar cannot place: no deadline, it never fires itself
};

std::string_view to_string(DeadlineBasis b);

// A prompt said since the session last waited, with its stable id. Text is rendered on demand.
struct PromptRef {
  std::uint32_t prompt;  // index into the program's prompts
};

struct RenderedPrompt {
  std::string_view id;  // stable id, e.g. "greet.1"
  std::string text;     // the MessageFormat pattern rendered with the current slot values
};

// A transition the host may take now (guards evaluated).
struct Choice {
  EventId event;
  std::string_view name;    // event name
  std::string_view label;   // event label for the agent's screen (the name if none)
  std::string_view target;  // target state name; empty when the transition stays
  bool leaves_state;
};

enum class ValueKind : std::uint8_t { Int, Bool, Text };

struct EffectArg {
  std::string_view name;
  ValueKind kind;
  std::int64_t number;  // Int and Bool
  std::string text;     // Text (captured when the effect was emitted)
  bool pii = false;     // the value comes from a slot marked `pii`: mask it in logs and traces
};

struct Effect {
  std::string_view name;
  std::span<const EffectArg> args;
};

// Watches a session's steps, for tools such as `callc test --coverage` and tracers. An agent app
// leaves it unset; then each transition and state entry costs one null check.
class SessionObserver {
 public:
  virtual ~SessionObserver() = default;
  // A transition was taken (its actions are about to run): its index in
  // program().image().transitions, a state's own transition or a script-wide handler.
  virtual void on_transition(std::uint32_t transition) = 0;
  // A state was entered: the start state in start(), then each transition's target.
  virtual void on_enter(StateId state) = 0;
};

class Session {
 public:
  // The program must outlive the session (keep its shared_ptr alive in the host).
  explicit Session(const Program& program);

  // Enters the start state at `now`.
  Status start(Instant now);

  Status send(EventId event, Instant now);
  // For a slot marked `host`, in any state: parses `value` by the slot's type and stores it, or
  // refuses it (BadValue); then follows eventless transitions. A blank text (empty or only white
  // space, as for an answer) is BadValue too: a text slot's "" is "not given yet", which guards
  // such as `when ticket_no != ""` test, so a blank value would pass them with nothing in it, and
  // a host cannot blank a slot it has filled.
  // For a slot the current state asks: parses `value` by the slot's type (digits of the declared
  // length, a phone number, a number, true/false, HH:MM, an enum member's name, any text that is
  // not blank) and stores it; then takes `filled` once every asked slot has a value, and follows
  // eventless transitions. A value that does not parse is a nomatch (see above).
  Status input(SlotId slot, std::string_view value, Instant now);
  // The slots the current state asks (empty when it asks none).
  std::span<const std::uint32_t> asked_slots() const;
  // When an armed SLA breaches; nullopt when it is not armed, or armed without a deadline the
  // calendar can place (sla_basis then says Unplaced).
  std::optional<Instant> sla_deadline(std::uint32_t sla) const;
  // How an armed SLA's deadline was placed; nullopt when it is not armed.
  std::optional<DeadlineBasis> sla_basis(std::uint32_t sla) const;
  // The calendar's edges met so far: the SLAs and `working_time` reads of every step, and the
  // business-time timers of the current state (a timer's deadline counts from entering it).
  CalendarAlerts calendar_alerts() const;
  // Fires every timer due at or before `now`, in deadline order.
  Status advance(Instant now);
  // The earliest deadline of an armed SLA or a timer of the current state; a deadline the
  // calendar cannot place is none.
  std::optional<Instant> next_deadline() const;

  std::span<const PromptRef> prompt_refs() const { return prompts_; }
  std::vector<RenderedPrompt> prompts() const;
  std::vector<Choice> choices() const;
  // Effects queued since the last take_effects, in order. The span stays valid until the next
  // call that changes the session.
  std::span<const Effect> take_effects();

  bool started() const { return started_; }
  bool ended() const;
  std::string_view outcome() const;  // empty until ended
  StateId state() const { return state_; }
  std::string_view state_name() const { return program_->state_name(state_); }
  // The slot's value as text (numbers in decimal, bools as true/false, enums as member name).
  std::string slot_text(SlotId slot) const;

  const Program& program() const { return *program_; }

  // The observer (or null) is called from within send, advance, input and start; it must
  // outlive the session or be reset first, and must not call back into the session.
  void set_observer(SessionObserver* observer) { observer_ = observer; }

 private:
  struct Value;
  // An effect as queued by Emit: its declaration and its arguments' run in effect_args_. The
  // public Effect spans are built from these in take_effects, when effect_args_ no longer grows.
  struct Queued {
    std::uint32_t decl, first_arg, argc;
  };
  // Runs the verified block at `offset`. Self is `const Session` for guards (which the verifier
  // proved pure) and `Session` for actions; the result is the guard's bool.
  template <class Self>
  static bool run_block(Self& self, std::uint32_t offset);
  bool guard_holds(std::uint32_t guard) const;
  void take(const bc::Transition& t, Instant now);
  void enter(StateId s, Instant now);
  Status settle(Instant now);
  void begin_step();
  void note_output();
  void emit(std::uint32_t decl, const Value* args);
  const bc::Transition* find_event_transition(EventId e) const;
  std::span<const bc::Transition> transitions_of(StateId s) const;
  void start_sla(std::uint32_t sla);
  // Raises the alert a calendar answer calls for, and says how it was placed.
  DeadlineBasis note_calendar(const CalendarResult& r) const;
  bool working_time() const;  // the built-in `working_time`, at the step's instant
  bool filled_by(SlotId slot);  // marks `slot` given; true when every asked slot now is
  bool parse_value(const bc::Slot& s, std::string_view value, std::int64_t& number) const;
  Instant deadline(const bc::Transition& t) const;
  StateId destination(const bc::Transition& t) const;  // where taking `t` now leads; kNone: stays

  const Program* program_;
  SessionObserver* observer_ = nullptr;
  StateId state_ = 0;
  // The flows in progress: where each returns to, innermost last.
  std::array<StateId, bc::kMaxCallDepth> calls_{};
  std::uint8_t call_depth_ = 0;
  bool started_ = false;
  bool stuck_ = false;  // settling ran past the step bound: every later step is refused
  bool effects_taken_ = false;
  bool step_said_ = false;
  std::uint32_t timers_fired_ = 0;  // bit i: the i-th `after` of the current state has fired
  std::uint32_t args_used_ = 0;     // effect_args_ past this are spare, kept for their capacity
  std::uint16_t asked_given_ = 0;   // bit i: the i-th slot the current state asks has a value
  Instant entered_at_{};
  Instant now_{};                   // the instant of the step in progress, for `start`
  static constexpr std::int64_t kSlaOff = std::numeric_limits<std::int64_t>::max();  // sla_due_ of an SLA that is not armed
  std::vector<std::int64_t> sla_due_;  // ms since the epoch; kSlaOff when not armed
  std::vector<DeadlineBasis> sla_basis_;  // of each SLA's last start (Unplaced: armed, no deadline)
  // Raised from const code too: a guard reading working_time, or a timer's deadline computed for
  // next_deadline, is how the session learns it has met the calendar's edge.
  mutable CalendarAlerts alerts_;
  std::vector<std::int64_t> ints_;
  std::vector<std::string> texts_;
  std::vector<PromptRef> prompts_;
  std::vector<Queued> queued_;
  std::vector<Effect> effects_;
  std::vector<EffectArg> effect_args_;
};

}  // namespace callscript
