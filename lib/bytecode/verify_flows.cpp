// The verifier's checks on flows as a whole: where transitions may lead, and how deep calls go.
#include "bytecode/verify_flows.h"

#include "bytecode/dispatch.h"
#include "text/text.h"

#include <algorithm>
#include <span>
#include <vector>

namespace callscript::bc {

using text::cat;

// Where a transition may lead, by where it is written: the proofs summarise a flow by walking
// its own states, so nothing in a flow may step into another flow except by a call. From a
// flow's states and handlers: its own states or top-level ones; from the top level and the
// script-wide handlers (which fire anywhere): top-level states only. `return` only in a flow;
// a call's return point likewise in the caller's flow or at the top level. The start state is
// top-level.
std::string check_scopes(const Image& im) {
  if (im.states[im.script.start_state].flow != kNone) return cat("script start state ", im.script.start_state, " is inside a flow");
  const auto check = [&](const Transition& t, std::uint32_t scope) -> std::string {
    const std::uint32_t i = static_cast<std::uint32_t>(&t - im.transitions.data());
    if (t.target == kReturn) {
      if (scope == kNone) return cat("transition ", i, ": `return` outside a flow");
      return {};
    }
    if (t.target != kNone && im.states[t.target].flow != kNone && im.states[t.target].flow != scope)
      return cat("transition ", i, ": goes to state ", t.target, " of another flow");
    return {};
  };
  for (const State& st : im.states)
    for (const Transition& t : std::span(im.transitions).subspan(st.first_transition, st.transition_count))
      if (auto problem = check(t, st.flow); !problem.empty()) return problem;
  for (std::uint32_t f = 0; f < im.flows.size(); ++f)
    for (const Transition& t : std::span(im.transitions).subspan(im.flows[f].first_handler, im.flows[f].handler_count))
      if (auto problem = check(t, f); !problem.empty()) return problem;
  for (const Transition& t : std::span(im.transitions).subspan(im.script.first_handler, im.script.handler_count))
    if (auto problem = check(t, kNone); !problem.empty()) return problem;
  return {};
}

// Calls nest at most kMaxCallDepth deep, so the session's call stack never overflows and every
// call enters its flow, as the proofs take it to: the calls that can fire in a flow's states
// (its own transitions, its handlers, the script-wide handlers not shadowed there; dispatch.h)
// form no cycle and no longer chain. A call enters a flow at its first state (where the proofs
// summarise what a flow does), and a breach calls none.
std::string check_calls(const Image& im) {
  const std::size_t top = im.flows.size();
  std::vector<std::uint32_t> first(top, kNone);
  for (std::uint32_t s = static_cast<std::uint32_t>(im.states.size()); s-- > 0;)
    if (im.states[s].flow != kNone) first[im.states[s].flow] = s;
  std::vector<std::vector<std::uint32_t>> callees(top + 1);
  for (std::uint32_t s = 0; s < im.states.size(); ++s) {
    const std::uint32_t from = im.states[s].flow == kNone ? static_cast<std::uint32_t>(top) : im.states[s].flow;
    std::string problem;
    const auto call = [&](const Transition& t) -> std::string {
      if (t.call == kNone) return {};
      if (im.states[t.call].flow == kNone)
        return cat("transition ", &t - im.transitions.data(), ": calls state ", t.call, ", which is in no flow");
      if (first[im.states[t.call].flow] != t.call)
        return cat("transition ", &t - im.transitions.data(), ": calls state ", t.call, ", not the first of its flow");
      callees[from].push_back(im.states[t.call].flow);
      return {};
    };
    for (const Transition& t : own_transitions(im, s))
      if (t.trigger != Trigger::Event && problem.empty()) problem = call(t);
    each_event_may_fire(im, s, [&](const Transition& t) {
      if (problem.empty()) problem = call(t);
    });
    if (!problem.empty()) return problem;
  }
  for (const Sla& sla : im.slas)
    if (im.transitions[sla.breach].call != kNone) return cat("sla breach ", sla.breach, ": a breach calls no flow");
  // Depth-first from the top level, on an explicit stack: how deep calls go below each flow
  // (0 unseen; a flow on the current path is `kOnPath`).
  constexpr std::uint32_t kOnPath = UINT32_MAX;
  std::vector<std::uint32_t> below(top + 1, 0);
  std::vector<bool> done(top + 1, false);
  std::vector<std::pair<std::uint32_t, std::size_t>> path{{static_cast<std::uint32_t>(top), 0}};
  below[top] = kOnPath;
  while (!path.empty()) {
    auto& [flow, next] = path.back();
    if (next < callees[flow].size()) {
      const std::uint32_t callee = callees[flow][next++];
      if (below[callee] == kOnPath) return cat("flow ", callee, ": flows call each other in a cycle");
      if (!done[callee]) {
        below[callee] = kOnPath;
        path.push_back({callee, 0});
      }
      continue;
    }
    std::uint32_t deepest = 0;
    for (std::uint32_t callee : callees[flow]) deepest = std::max(deepest, below[callee] + 1);
    below[flow] = deepest;
    done[flow] = true;
    path.pop_back();
  }
  if (below[top] > kMaxCallDepth) return cat("calls nest ", below[top], " deep, more than ", kMaxCallDepth);
  return {};
}

}  // namespace callscript::bc
