// Which transition fires, and where it leads: the language's core rule, in one place. The
// session (runtime/session.cpp) runs it with the guards evaluated; the proofs (lib/prove) run
// the same functions with a guard they cannot evaluate taken as "may hold", so what they prove
// is about what runs, not about a second copy of the rule.
//
//   event     the state's own transitions, then its flow's handlers, then the script-wide
//             handlers; the first whose guard holds fires. One without a guard ends the search:
//             nothing after it can fire for that event in that state.
//   eventless the state's own, in order, likewise; a state with one that has no guard never
//             waits, so nothing else of it can fire.
//   filled    the state's own, likewise, once every asked slot has been given since the
//             state was entered.
//   after     each of the state's own timers, once per entry, when due and its guard holds.
//   breach    an armed SLA's breach transition, in any state that waits; it has no guard.
//
// Taking a transition runs its actions, then: a call remembers the return point (its target, or
// the calling state) and enters the flow's first state; `return` enters the innermost return
// point; a target enters it (a top-level target from inside flows leaves them all); no target
// stays, without entering the state again.
#pragma once

#include <callscript/bytecode.h>

#include <algorithm>
#include <array>
#include <span>
#include <vector>

namespace callscript::bc {

// The runs of transitions an event is looked up in, in the order they are tried.
inline std::array<std::span<const Transition>, 3> event_runs(const Image& im, std::uint32_t state) {
  const State& st = im.states[state];
  const std::span<const Transition> all(im.transitions);
  std::span<const Transition> flow;
  if (st.flow != kNone) flow = all.subspan(im.flows[st.flow].first_handler, im.flows[st.flow].handler_count);
  return {all.subspan(st.first_transition, st.transition_count), flow,
          all.subspan(im.script.first_handler, im.script.handler_count)};
}

inline std::span<const Transition> own_transitions(const Image& im, std::uint32_t state) {
  const State& st = im.states[state];
  return std::span(im.transitions).subspan(st.first_transition, st.transition_count);
}

// The transition that fires for `event` in `state`: the first, in dispatch order, for which
// `holds(t)` is true. A proof passes a `holds` that records each candidate and answers "only
// when unguarded", so that it sees every transition that may fire.
template <class Holds>
const Transition* fire_event(const Image& im, std::uint32_t state, std::uint32_t event, Holds&& holds) {
  for (auto run : event_runs(im, state))
    for (const Transition& t : run)
      if (t.trigger == Trigger::Event && t.event == event && holds(t)) return &t;
  return nullptr;
}

// f(t) for each event transition of `state` that can fire for its event: in dispatch order, all
// but those an earlier unguarded transition on the same event hides. What `fire_event` can
// choose, read without guards (the proofs, the verifier's bound on calls).
template <class F>
void each_event_may_fire(const Image& im, std::uint32_t state, F&& f) {
  std::vector<std::uint32_t> claimed;  // events an unguarded transition already answers
  for (auto run : event_runs(im, state))
    for (const Transition& t : run) {
      if (t.trigger != Trigger::Event || std::find(claimed.begin(), claimed.end(), t.event) != claimed.end()) continue;
      f(t);
      if (t.guard == kNone) claimed.push_back(t.event);
    }
}

// The same for a state's own transitions of one trigger: Eventless (settling) or Filled.
template <class Holds>
const Transition* fire_own(const Image& im, std::uint32_t state, Trigger trigger, Holds&& holds) {
  for (const Transition& t : own_transitions(im, state))
    if (t.trigger == trigger && holds(t)) return &t;
  return nullptr;
}

// Where taking `t` in state `from` leads.
struct Destination {
  enum class Kind : std::uint8_t { Stay, Enter, Call, Return };
  Kind kind = Kind::Stay;
  std::uint32_t state = kNone;      // Enter: the state; Call: the flow's first state
  std::uint32_t return_to = kNone;  // Call: the return point pushed
  bool leaves_flows = false;        // Enter: a top-level state, so every flow in progress ends
};

inline Destination destination_of(const Image& im, const Transition& t, std::uint32_t from) {
  if (t.call != kNone) return {Destination::Kind::Call, t.call, t.target == kNone ? from : t.target, false};
  if (t.target == kReturn) return {Destination::Kind::Return, kNone, kNone, false};
  if (t.target == kNone) return {};
  return {Destination::Kind::Enter, t.target, kNone, im.states[t.target].flow == kNone};
}

}  // namespace callscript::bc
