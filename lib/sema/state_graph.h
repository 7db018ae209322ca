// The edges of a resolved script's state graph, for sema's structural checks (graph.cpp:
// reachability, dead ends, calls that never end), which run before there is a program. It is a
// coarse reading — every transition an edge, guards and overrides ignored — and decides no proof:
// the proofs run on the program through the one definition of what fires (bytecode/dispatch.h).
// A state's own transitions, its flow's handlers and the script-wide handlers are its edges; a call goes to the flow's first state and on to the state after `then`
// (or back to the caller); `-> return` goes to every place a call of its flow returns to.
#pragma once

#include "syntax/ast.h"

#include <algorithm>
#include <vector>

namespace callscript::sema {

class StateGraph {
 public:
  using T = ast::Transition;

  explicit StateGraph(const ast::Script& s) : script_(s), returns_(s.flows.size()) {
    // Where each flow returns to: the `then` state of each call, or the calling state.
    for (std::size_t i = 0; i < s.states.size(); ++i) {
      for (const auto& t : s.states[i].transitions) note_return_point(t, i);
      for (const auto& h : flow_handlers(i)) note_return_point(h, i);
    }
  }

  // The states transition `t`, taken in state `from`, can lead to.
  template <class F>
  void each_target(const T& t, std::size_t from, F&& f) const {
    switch (t.goes) {
      case T::Goes::State:
        if (t.target_index >= 0) f(static_cast<std::size_t>(t.target_index));
        break;
      case T::Goes::Call:
        if (t.call_index < 0) break;
        if (const auto& flow = script_.flows[static_cast<std::size_t>(t.call_index)]; flow.state_count) f(flow.first_state);
        f(t.target_index >= 0 ? static_cast<std::size_t>(t.target_index) : from);
        break;
      case T::Goes::Return: {
        const std::int32_t flow = script_.states[from].flow;
        if (flow >= 0)
          for (std::size_t to : returns_[static_cast<std::size_t>(flow)]) f(to);
        break;
      }
    }
  }

  const std::vector<T>& flow_handlers(std::size_t state) const {
    static const std::vector<T> none;
    const std::int32_t flow = script_.states[state].flow;
    return flow < 0 ? none : script_.flows[static_cast<std::size_t>(flow)].handlers;
  }

  struct Walk {
    bool eventless_only = false;
    // Also the edges of SLA breaches, which may fire in any state while the SLA is armed.
    bool breaches = false;
    // Leave out a handler that an unguarded transition on its event overrides in this state
    // (the state's own, or for a script-wide handler, its flow's): it can never fire there.
    bool overrides = false;
    // A call goes only into the flow; what follows it is reached through the flow's returns.
    bool through_flows = false;
  };

  // f(transition) for each transition that can fire in state `from`: its own, its flow's
  // handlers, the script-wide handlers and (with `walk.breaches`) the SLA breaches.
  template <class F>
  void each_transition(std::size_t from, Walk walk, F&& f) const {
    const auto& st = script_.states[from];
    if (st.final) return;
    for (const auto& t : st.transitions)
      if (!walk.eventless_only || t.trigger == T::Trigger::When || t.trigger == T::Trigger::Always) f(t);
    if (walk.eventless_only) return;
    const auto overridden = [&](const T& h, bool by_flow) {
      if (!walk.overrides) return false;
      const auto same = [&](const T& t) { return t.trigger == T::Trigger::Event && t.event_index == h.event_index && !t.guard; };
      return std::any_of(st.transitions.begin(), st.transitions.end(), same) ||
             (by_flow && std::any_of(flow_handlers(from).begin(), flow_handlers(from).end(), same));
    };
    for (const auto& h : flow_handlers(from))
      if (!overridden(h, false)) f(h);
    for (const auto& h : script_.handlers)
      if (!overridden(h, true)) f(h);
    if (walk.breaches)
      for (const auto& sla : script_.slas) f(sla.breach);
  }

  // f(to, transition) for each edge out of `from`; a call gives two (into the flow, and after it)
  // unless `walk.through_flows`.
  template <class F>
  void each_edge(std::size_t from, Walk walk, F&& f) const {
    each_transition(from, walk, [&](const T& t) {
      if (walk.through_flows && t.goes == T::Goes::Call) {
        if (t.call_index >= 0 && script_.flows[static_cast<std::size_t>(t.call_index)].state_count)
          f(script_.flows[static_cast<std::size_t>(t.call_index)].first_state, t);
        return;
      }
      each_target(t, from, [&](std::size_t to) { f(to, t); });
    });
  }

 private:
  void note_return_point(const T& t, std::size_t from) {
    if (t.goes != T::Goes::Call || t.call_index < 0) return;
    auto& points = returns_[static_cast<std::size_t>(t.call_index)];
    const std::size_t to = t.target_index >= 0 ? static_cast<std::size_t>(t.target_index) : from;
    if (std::find(points.begin(), points.end(), to) == points.end()) points.push_back(to);
  }

  const ast::Script& script_;
  std::vector<std::vector<std::size_t>> returns_;
};

}  // namespace callscript::sema
