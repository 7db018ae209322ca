// The interpreter. A Session only ever runs a verified Program, so nothing here re-checks an
// index, an operand or a stack depth: the verifier has proved them (see bytecode/verify.cpp).
// What is checked is what the host passes in -- ids, values, the order of calls.
#include <callscript/opcodes.h>
#include <callscript/session.h>
#include "bytecode/dispatch.h"
#include "runtime/values.h"
#include "text/text.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <climits>
#include <limits>
#include <type_traits>

namespace callscript {

using bc::Op;

// One operand-stack entry. Trivial on purpose, so that a block's stack costs nothing to set up.
// Text is a view: of a program string (stable) or of a text slot (stable until a Store, which
// the verifier only allows on an otherwise empty stack).
struct Session::Value {
  std::int64_t i;
  const char* p;
  std::size_t n;
  ValueKind k;
  std::uint32_t enum_slot;  // the enum slot this int was loaded from, or kNone
  bool pii = false;         // loaded from a slot marked pii

  std::string_view text() const { return {p, n}; }
  static Value of_int(std::int64_t v) { return {v, nullptr, 0, ValueKind::Int, bc::kNone}; }
  static Value of_bool(bool v) { return {v ? 1 : 0, nullptr, 0, ValueKind::Bool, bc::kNone}; }
  static Value of_text(std::string_view s) { return {0, s.data(), s.size(), ValueKind::Text, bc::kNone}; }
};

namespace {

constexpr auto kWidth = [] {
  std::array<std::uint8_t, bc::kOpCount> w{};
  for (std::size_t i = 0; i < bc::kOpCount; ++i)
    w[i] = static_cast<std::uint8_t>(bc::operand_size(bc::kOpInfo[i].operand));
  return w;
}();

std::uint32_t rd16(const std::uint8_t* p) { return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8; }
std::int32_t rd_i32(const std::uint8_t* p) {
  return static_cast<std::int32_t>(std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 |
                                   std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24);
}

// The deadline of a timer the calendar cannot place: it does not fire by itself.
constexpr Instant kNever = Instant::max();

Instant at_ms(std::int64_t ms) { return Instant(std::chrono::milliseconds(ms)); }

BusinessDuration business(bc::DurationUnit unit, std::int64_t amount) {
  return {unit == bc::DurationUnit::WorkDays ? BusinessDuration::Unit::WorkDays : BusinessDuration::Unit::WorkTime, amount};
}



// A timer chain that makes no progress in virtual time (`after 0s` back and forth) would spin;
// and even a progressing one is cut after this many firings in one advance call, so a host that
// passes a far-future `now` gets control back (it may call advance again to continue).
constexpr std::size_t kMaxFiringsPerAdvance = 1 << 16;

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::NotPermitted: return "not permitted";
    case Status::UnknownEvent: return "unknown event";
    case Status::UnknownSlot: return "unknown slot";
    case Status::BadValue: return "bad value";
    case Status::Ended: return "ended";
    case Status::NotStarted: return "not started";
    case Status::AlreadyStarted: return "already started";
    case Status::StepLimit: return "step limit";
    case Status::NotAsked: return "not asked";
    case Status::NoMatch: return "nomatch";
  }
  return "?";
}

Session::Session(const Program& program) : program_(&program) {}

// --- the VM -------------------------------------------------------------------------------------

template <class Self>
bool Session::run_block(Self& self, std::uint32_t offset) {
  constexpr bool kMutable = !std::is_const_v<Self>;
  const bc::Image& im = self.program_->image();
  const std::uint8_t* code = im.code.data();
  Value stack[bc::kMaxStack];
  std::size_t sp = 0;
  std::size_t pc = offset;
  for (;;) {
    const std::uint8_t byte = code[pc];
    const std::uint8_t* arg = code + pc + 1;
    pc += 1 + kWidth[byte];
    switch (static_cast<Op>(byte)) {
      case Op::PushInt: stack[sp++] = Value::of_int(rd_i32(arg)); break;
      case Op::PushBool: stack[sp++] = Value::of_bool(arg[0] != 0); break;
      case Op::WorkingTime: stack[sp++] = Value::of_bool(self.working_time()); break;
      case Op::PushStr: stack[sp++] = Value::of_text(im.strings[rd16(arg)]); break;
      case Op::Load: {
        const std::uint32_t slot = rd16(arg);
        const bc::SlotType type = im.slots[slot].type;
        const std::uint32_t k = self.program_->slot_storage(slot);
        if (bc::is_text_type(type)) {
          stack[sp++] = Value::of_text(self.texts_[k]);
        } else if (type == bc::SlotType::Bool) {
          stack[sp++] = Value::of_bool(self.ints_[k] != 0);
        } else {
          stack[sp] = Value::of_int(self.ints_[k]);
          if (type == bc::SlotType::Enum) stack[sp].enum_slot = slot;
          ++sp;
        }
        stack[sp - 1].pii = (im.slots[slot].flags & bc::kSlotPii) != 0;
        break;
      }
      case Op::Store:
        if constexpr (kMutable) {
          const std::uint32_t slot = rd16(arg);
          const std::uint32_t k = self.program_->slot_storage(slot);
          const Value& v = stack[--sp];
          // assign copes with a view of the slot's own buffer (Load x; Store x).
          if (bc::is_text_type(im.slots[slot].type))
            self.texts_[k].assign(v.p, v.n);
          else
            self.ints_[k] = v.i;
        }
        break;
      case Op::Not: stack[sp - 1].i = !stack[sp - 1].i; break;
      case Op::And: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i && stack[sp].i); break;
      case Op::Or: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i || stack[sp].i); break;
      case Op::Eq:
      case Op::Ne: {
        --sp;
        const Value& x = stack[sp - 1];
        const Value& y = stack[sp];
        const bool eq = x.k == ValueKind::Text ? x.text() == y.text() : x.i == y.i;
        stack[sp - 1] = Value::of_bool(eq == (static_cast<Op>(byte) == Op::Eq));
        break;
      }
      case Op::Lt: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i < stack[sp].i); break;
      case Op::Le: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i <= stack[sp].i); break;
      case Op::Gt: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i > stack[sp].i); break;
      case Op::Ge: --sp; stack[sp - 1] = Value::of_bool(stack[sp - 1].i >= stack[sp].i); break;
      // Wrapping arithmetic, done unsigned so that overflow is defined.
      case Op::Add:
        --sp;
        stack[sp - 1] = Value::of_int(static_cast<std::int64_t>(
            static_cast<std::uint64_t>(stack[sp - 1].i) + static_cast<std::uint64_t>(stack[sp].i)));
        break;
      case Op::Sub:
        --sp;
        stack[sp - 1] = Value::of_int(static_cast<std::int64_t>(
            static_cast<std::uint64_t>(stack[sp - 1].i) - static_cast<std::uint64_t>(stack[sp].i)));
        break;
      case Op::Say:
        if constexpr (kMutable) {
          self.note_output();
          self.prompts_.push_back(PromptRef{rd16(arg)});
        }
        break;
      case Op::Emit:
        if constexpr (kMutable) {
          const std::uint32_t decl = rd16(arg);
          sp -= im.effects[decl].argc;
          self.emit(decl, stack + sp);
        }
        break;
      case Op::SlaStart:
        if constexpr (kMutable) self.start_sla(rd16(arg));
        break;
      case Op::SlaStop:
        if constexpr (kMutable) {
          self.sla_due_[rd16(arg)] = kSlaOff;
          self.sla_basis_[rd16(arg)] = DeadlineBasis::Wall;  // no longer Unplaced: not armed
        }
        break;
      case Op::Ret: return sp == 1 && stack[0].i != 0;
    }
  }
}

bool Session::guard_holds(std::uint32_t guard) const {
  return guard == bc::kNone || run_block(*this, guard);
}

void Session::emit(std::uint32_t decl, const Value* args) {
  const bc::Image& im = program_->image();
  const bc::EffectDecl& d = im.effects[decl];
  queued_.push_back(Queued{decl, args_used_, d.argc});
  for (std::uint32_t k = 0; k < d.argc; ++k) {
    // Spare entries past args_used_ keep their strings' capacity from earlier steps.
    if (args_used_ == effect_args_.size()) effect_args_.emplace_back();
    EffectArg& a = effect_args_[args_used_++];
    const Value& v = args[k];
    a.name = im.str(im.effect_args[d.first_arg + k]);
    a.kind = v.k;
    a.number = v.i;
    a.pii = v.pii;
    a.text.clear();
    if (v.k == ValueKind::Text) {
      a.text.assign(v.p, v.n);
    } else if (v.enum_slot != bc::kNone) {
      // The host wants the member's name, not its index; the index stays in `number`.
      const bc::Slot& s = im.slots[v.enum_slot];
      a.kind = ValueKind::Text;
      a.text.assign(im.str(im.enum_members[s.enum_first + static_cast<std::uint32_t>(v.i)]));
    }
  }
}

// --- steps --------------------------------------------------------------------------------------

std::span<const bc::Transition> Session::transitions_of(StateId s) const {
  return bc::own_transitions(program_->image(), s);
}

// A step starts with nothing cleared: the old prompt stays until the step says something or
// enters a state, so a step that only updates a slot leaves the screen as it was.
void Session::begin_step() {
  step_said_ = false;
  if (effects_taken_) {
    queued_.clear();
    args_used_ = 0;
    effects_taken_ = false;
  }
}

void Session::note_output() {
  if (step_said_) return;
  prompts_.clear();
  step_said_ = true;
}

void Session::enter(StateId s, Instant now) {
  note_output();
  if (observer_ != nullptr) observer_->on_enter(s);
  state_ = s;
  entered_at_ = now;
  timers_fired_ = 0;
  asked_given_ = 0;
  const std::uint32_t entry = program_->image().states[s].entry;
  if (entry != bc::kNone) run_block(*this, entry);
}

void Session::take(const bc::Transition& t, Instant now) {
  if (observer_ != nullptr)
    observer_->on_transition(static_cast<std::uint32_t>(&t - program_->image().transitions.data()));
  if (t.action != bc::kNone) run_block(*this, t.action);
  using K = bc::Destination::Kind;
  const bc::Destination to = bc::destination_of(program_->image(), t, state_);
  switch (to.kind) {
    case K::Stay: break;
    case K::Call:
      // The verifier bounds the nesting of calls (and a return to a top-level state empties the
      // stack below); this guard only keeps a broken invariant from writing past the stack.
      if (call_depth_ == calls_.size()) return;
      calls_[call_depth_++] = to.return_to;
      enter(to.state, now);
      break;
    case K::Return:
      if (call_depth_ > 0) {
        const StateId back = calls_[--call_depth_];
        // A return point at the top level (a script-wide handler's `call f then x`, taken inside
        // a flow) leaves every flow, as entering a top-level state does.
        if (program_->image().states[back].flow == bc::kNone) call_depth_ = 0;
        enter(back, now);
      }
      break;
    case K::Enter:
      if (to.leaves_flows) call_depth_ = 0;
      enter(to.state, now);
      break;
  }
}

void Session::start_sla(std::uint32_t sla) {
  const bc::Sla& s = program_->image().slas[sla];
  const std::int64_t now = now_.time_since_epoch().count();
  if (s.unit == bc::DurationUnit::Wall) {
    const std::int64_t d = s.promise ? promise_share(std::chrono::milliseconds(s.amount)).count() : s.amount;
    std::int64_t due = 0;
    if (__builtin_add_overflow(now, d, &due)) due = kSlaOff - 1;
    sla_due_[sla] = due;
    sla_basis_[sla] = DeadlineBasis::Wall;
    return;
  }
  // Past the calendar's table the deadline is the weekly pattern's, flagged; one it cannot place
  // at all stays armed without a deadline, flagged too: never due at once, never silently late.
  CalendarResult r{CalendarStatus::PastTable};
  if (const BusinessCalendar* cal = program_->calendar()) {  // the verifier proved it present
    const BusinessDuration d = business(s.unit, s.amount);
    r = s.promise ? cal->internal_deadline(now_, d) : cal->deadline(now_, d);
  }
  sla_basis_[sla] = note_calendar(r);
  sla_due_[sla] = r.ok() ? r.at.time_since_epoch().count() : kSlaOff;
}

bool Session::filled_by(SlotId slot) {
  const bc::Image& im = program_->image();
  const bc::State& st = im.states[state_];
  for (std::uint32_t k = 0; k < st.ask_count; ++k)
    if (im.ask_slots[st.ask_first + k] == slot) asked_given_ |= static_cast<std::uint16_t>(1u << k);
  return asked_given_ == (1u << st.ask_count) - 1;
}

std::span<const std::uint32_t> Session::asked_slots() const {
  if (!started_) return {};
  const bc::State& st = program_->image().states[state_];
  return std::span(program_->image().ask_slots).subspan(st.ask_first, st.ask_count);
}

std::optional<Instant> Session::sla_deadline(std::uint32_t sla) const {
  if (!started_ || sla >= sla_due_.size() || sla_due_[sla] == kSlaOff) return std::nullopt;
  return at_ms(sla_due_[sla]);
}

StateId Session::destination(const bc::Transition& t) const {
  const bc::Destination to = bc::destination_of(program_->image(), t, state_);
  if (to.kind == bc::Destination::Kind::Return) return call_depth_ > 0 ? calls_[call_depth_ - 1] : bc::kNone;
  return to.state;
}

// Follows eventless transitions until the session waits or ends. The verifier guarantees each
// has a target, so every step enters a state; the compiler rejects eventless cycles, so more
// steps than states means the program is broken. The session then stops for good: it is in a
// state that never waits, where the proofs take it that no event, input or timer can fire.
Status Session::settle(Instant now) {
  for (std::size_t steps = 0;;) {
    if (ended()) return Status::Ok;
    const bc::Transition* next = bc::fire_own(program_->image(), state_, bc::Trigger::Eventless,
                                              [&](const bc::Transition& t) { return guard_holds(t.guard); });
    if (next == nullptr) return Status::Ok;
    if (++steps > program_->step_bound()) {
      stuck_ = true;
      return Status::StepLimit;
    }
    take(*next, now);
  }
}

const bc::Transition* Session::find_event_transition(EventId e) const {
  return bc::fire_event(program_->image(), state_, e, [&](const bc::Transition& t) { return guard_holds(t.guard); });
}

Status Session::start(Instant now) {
  if (started_) return Status::AlreadyStarted;
  const bc::Image& im = program_->image();
  ints_.assign(program_->int_slot_count(), 0);
  texts_.assign(program_->text_slot_count(), std::string());
  for (SlotId s = 0; s < im.slots.size(); ++s) {
    const bc::Slot& slot = im.slots[s];
    const std::uint32_t k = program_->slot_storage(s);
    if (!bc::is_text_type(slot.type))
      ints_[k] = slot.init_int;
    else if (slot.init_str != bc::kNone)
      texts_[k] = im.strings[slot.init_str];
  }
  sla_due_.assign(program_->sla_count(), kSlaOff);
  sla_basis_.assign(program_->sla_count(), DeadlineBasis::Wall);
  now_ = now;
  prompts_.reserve(16);
  queued_.reserve(8);
  effects_.reserve(8);
  effect_args_.reserve(16);
  started_ = true;
  begin_step();
  enter(im.script.start_state, now);
  return settle(now);
}

Status Session::send(EventId event, Instant now) {
  if (!started_) return Status::NotStarted;
  if (stuck_) return Status::StepLimit;
  if (event >= program_->event_count()) return Status::UnknownEvent;
  if (ended()) return Status::Ended;
  const bc::Transition* t = find_event_transition(event);
  if (t == nullptr) return Status::NotPermitted;
  begin_step();
  now_ = now;
  take(*t, now);
  return settle(now);
}

Instant Session::deadline(const bc::Transition& t) const {
  if (t.after_unit != bc::DurationUnit::Wall) {
    // The verifier saw the calendar. As for an SLA, a deadline past its table is the weekly
    // pattern's and one it cannot place never comes, both flagged (a campaign waiting for calling
    // hours must not dial at once, at night).
    const CalendarResult r = program_->calendar()->deadline(entered_at_, business(t.after_unit, t.after_ms));
    note_calendar(r);
    return r.ok() ? r.at : kNever;
  }
  std::int64_t ms;
  if (__builtin_add_overflow(entered_at_.time_since_epoch().count(), t.after_ms, &ms))
    ms = std::numeric_limits<std::int64_t>::max();
  return Instant(std::chrono::milliseconds(ms));
}

std::optional<Instant> Session::next_deadline() const {
  if (!started_ || ended()) return std::nullopt;
  std::optional<Instant> best;
  std::uint32_t bit = 0;
  for (const bc::Transition& t : transitions_of(state_)) {
    if (t.trigger != bc::Trigger::After) continue;
    if (timers_fired_ & (1u << bit++)) continue;
    const Instant at = deadline(t);
    if (at != kNever && (!best || at < *best)) best = at;
  }
  for (std::int64_t due : sla_due_)
    if (due != kSlaOff && (!best || at_ms(due) < *best)) best = at_ms(due);
  return best;
}

Status Session::advance(Instant now) {
  if (!started_) return Status::NotStarted;
  if (stuck_) return Status::StepLimit;
  if (ended()) return Status::Ended;
  begin_step();
  // Each firing either marks a timer fired, disarms an SLA or enters a state, so at one instant
  // a sane program fires at most this many times; more means timers chase each other without
  // time passing.
  const std::size_t same_instant_bound =
      (bc::kMaxTimersPerState + sla_due_.size() + 1) * program_->step_bound();
  std::size_t same_instant = 0;
  std::optional<Instant> last;
  const bc::Image& im = program_->image();
  for (std::size_t total = 0;; ++total) {
    if (ended()) return Status::Ok;
    // The earliest due: a state timer (ties in source order), else an SLA at the same instant
    // or earlier (an SLA's breach outranks a state timer due at the same moment).
    const bc::Transition* due = nullptr;
    std::uint32_t due_bit = 0, bit = 0, due_sla = bc::kNone;
    Instant due_at{};
    for (const bc::Transition& t : transitions_of(state_)) {
      if (t.trigger != bc::Trigger::After) continue;
      const std::uint32_t b = bit++;
      if (timers_fired_ & (1u << b)) continue;
      const Instant at = deadline(t);
      if (at <= now && (due == nullptr || at < due_at)) {  // strict: ties go to source order
        due = &t;
        due_bit = b;
        due_at = at;
      }
    }
    for (std::uint32_t k = 0; k < sla_due_.size(); ++k) {
      const Instant at = at_ms(sla_due_[k]);
      if (sla_due_[k] != kSlaOff && at <= now && (due == nullptr || at <= due_at) &&
          (due_sla == bc::kNone || at < at_ms(sla_due_[due_sla]))) {
        due = &im.transitions[im.slas[k].breach];
        due_sla = k;
        due_at = at;
      }
    }
    if (due == nullptr) return Status::Ok;
    same_instant = last == due_at ? same_instant + 1 : 0;
    if (same_instant > same_instant_bound || total >= kMaxFiringsPerAdvance)
      return Status::StepLimit;
    last = due_at;
    // What a timer starts or enters counts from the deadline, not from `now`, so a late advance
    // replays the chain exactly as if it had been called on time.
    now_ = due_at;
    if (due_sla != bc::kNone) {
      sla_due_[due_sla] = kSlaOff;
      take(*due, due_at);
    } else {
      timers_fired_ |= 1u << due_bit;
      if (!guard_holds(due->guard)) continue;
      take(*due, due_at);
    }
    if (Status s = settle(due_at); s != Status::Ok) return s;
  }
}


Status Session::input(SlotId slot, std::string_view value, Instant now) {
  if (!started_) return Status::NotStarted;
  if (stuck_) return Status::StepLimit;
  if (slot >= program_->slot_count()) return Status::UnknownSlot;
  if (ended()) return Status::Ended;
  const bc::Image& im = program_->image();
  const bc::Slot& s = im.slots[slot];
  const auto asked = asked_slots();
  const bool is_asked = std::find(asked.begin(), asked.end(), slot) != asked.end();
  std::int64_t number = 0;
  if (!is_asked) {
    // Data from the host is not an answer: a bad value is refused, not a nomatch.
    if (!(s.flags & bc::kSlotHost)) return Status::NotAsked;
    if (!parse_slot_value(program_->image(), s, value, number)) return Status::BadValue;
  }
  begin_step();
  now_ = now;
  if (is_asked && !parse_slot_value(program_->image(), s, value, number)) {
    // The lowering gives every asking state an unguarded nomatch transition; a handler-less
    // hand-made image just keeps waiting.
    if (const bc::Transition* t = find_event_transition(im.script.nomatch_event)) take(*t, now);
    const Status settled = settle(now);
    return settled == Status::Ok ? Status::NoMatch : settled;
  }
  const std::uint32_t k = program_->slot_storage(slot);
  if (bc::is_text_type(s.type))
    texts_[k].assign(value);
  else
    ints_[k] = number;
  if (is_asked && filled_by(slot))
    if (const bc::Transition* t = bc::fire_own(im, state_, bc::Trigger::Filled,
                                               [&](const bc::Transition& c) { return guard_holds(c.guard); }))
      take(*t, now);
  return settle(now);
}

// --- what the host reads ------------------------------------------------------------------------

bool Session::ended() const {
  return started_ && program_->image().states[state_].outcome != bc::kNone;
}

std::string_view Session::outcome() const {
  return ended() ? program_->image().str(program_->image().states[state_].outcome)
                 : std::string_view();
}

std::vector<Choice> Session::choices() const {
  std::vector<Choice> out;
  if (!started_ || ended()) return out;
  // The first permitted transition per event, in the order send would consider them.
  std::vector<bool> seen(program_->event_count());
  for (auto run : bc::event_runs(program_->image(), state_))
    for (const bc::Transition& t : run) {
      if (t.trigger != bc::Trigger::Event || seen[t.event] || !guard_holds(t.guard)) continue;
      seen[t.event] = true;
      const StateId to = destination(t);
      out.push_back(Choice{t.event, program_->event_name(t.event), program_->event_label(t.event),
                           to == bc::kNone ? std::string_view() : program_->state_name(to), to != bc::kNone});
    }
  return out;
}

std::span<const Effect> Session::take_effects() {
  if (effects_taken_) return {};
  const bc::Image& im = program_->image();
  effects_.clear();
  for (const Queued& q : queued_)
    effects_.push_back(Effect{im.str(im.effects[q.decl].name),
                              std::span<const EffectArg>(effect_args_.data() + q.first_arg, q.argc)});
  effects_taken_ = true;
  return effects_;
}

std::string Session::slot_text(SlotId slot) const {
  if (!started_ || slot >= program_->slot_count()) return {};
  const bc::Image& im = program_->image();
  const bc::Slot& s = im.slots[slot];
  const std::uint32_t k = program_->slot_storage(slot);
  switch (s.type) {
    case bc::SlotType::Text:
    case bc::SlotType::Digits:
    case bc::SlotType::Phone: return texts_[k];
    case bc::SlotType::Number: return std::to_string(ints_[k]);
    case bc::SlotType::Time: {
      const auto two = [](std::int64_t v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
      return two(ints_[k] / 60) + ":" + two(ints_[k] % 60);
    }
    case bc::SlotType::Bool: return ints_[k] ? "true" : "false";
    case bc::SlotType::Enum:
      return std::string(im.str(im.enum_members[s.enum_first + static_cast<std::uint32_t>(ints_[k])]));
  }
  return {};
}

}  // namespace callscript
