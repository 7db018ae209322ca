// Does a fact hold on every path to a point of the script — the caller's identity verified, an
// SLA armed? A walk of the product of the states and the fact's value, from the start state:
// it finds every action that may run while the fact is false, and the shortest path there.
//
// Actions set the fact or leave it (Rule::effect), so may taking a transition (Rule::edge: a
// `filled`, a breach); a guard may prove it on its edge (`when verified -> details`); everything
// else about guards is ignored, as the other graph checks do. Every transition that can fire in a
// state counts — its own, its flow's handlers, the script-wide handlers (less those an unguarded
// transition on their event overrides), SLA breaches — and one that stays changes the fact
// without entering the state again.
//
// Flows are walked with summaries, so that what one call does is not mixed up with another: for
// each flow and value at its start, the values it can return with. A call goes into the flow
// (whose actions are checked like any others) and, separately, on to the state after it with
// each value the flow's summary allows.
#pragma once

#include "sema/state_graph.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace callscript::sema {

class FactWalk {
 public:
  struct Rule {
    bool initial = false;
    std::function<std::optional<bool>(const ast::Action&)> effect;  // what the action sets it to
    std::function<bool(const ast::Expr&)> proves;                   // a guard under which it holds
    // What taking a transition out of a state does to it before its actions.
    std::function<std::optional<bool>(const ast::Transition&, std::size_t from)> edge;
  };
  // One step of a path: the state entered, through the transition taken (null for the start).
  struct Step {
    std::size_t state;
    const ast::Transition* via;
  };
  struct Unsure {
    const ast::Action* action;
    std::vector<Step> path;     // from the start to the state the action runs in
    const ast::Transition* on;  // the transition it runs on; null for a state's entry action
  };

  FactWalk(const ast::Script& s, const StateGraph& g, Rule r)
      : script_(s), graph_(g), rule_(std::move(r)), returns_(s.flows.size(), {0, 0}) {}

  // Every action that may run while the fact is false, once, in the order the walk meets them.
  std::vector<Unsure> run() {
    if (script_.states.empty()) return {};
    summarise();
    Walk main(*this, -1);
    main.go(static_cast<std::size_t>(script_.start_index), rule_.initial);
    return std::move(unsure_);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  using T = ast::Transition;

  // One walk: the whole script from the start (`scope` -1, recording what runs unsure), or one
  // flow from its first state (`scope` the flow, collecting the values it returns with).
  struct Walk {
    FactWalk& fw;
    std::int32_t scope;
    std::vector<std::pair<std::size_t, const T*>> parent;
    std::vector<std::size_t> work;  // visited in order: breadth first, so each path is a shortest one
    std::vector<bool> seen;
    std::uint8_t returned = 0;      // bit v: the flow can return with value v

    Walk(FactWalk& f, std::int32_t sc)
        : fw(f), scope(sc), parent(f.script_.states.size() * 4, {kNone, nullptr}), seen(f.script_.states.size() * 4, false) {}

    static std::size_t id(std::size_t state, bool waiting, bool value) { return state * 4 + (waiting ? 2 : 0) + (value ? 1 : 0); }
    void visit(std::size_t node, std::size_t from, const T* via) {
      if (seen[node]) return;
      seen[node] = true;
      parent[node] = {from, via};
      work.push_back(node);
    }
    bool inside(std::size_t state) const { return scope < 0 || fw.script_.states[state].flow == scope; }

    void go(std::size_t start, bool value) {
      visit(id(start, false, value), kNone, nullptr);
      for (std::size_t next = 0; next < work.size(); ++next) {
        const std::size_t node = work[next];
        const std::size_t s = node / 4;
        const bool waiting = (node / 2) % 2 == 1, v = node % 2 == 1;
        if (!waiting) {
          visit(id(s, true, block(fw.script_.states[s].entry, v, node, nullptr)), node, nullptr);
          continue;
        }
        fw.graph_.each_transition(s, {.breaches = true, .overrides = true}, [&](const T& t) { take(s, v, node, t); });
      }
    }

    void take(std::size_t s, bool v, std::size_t node, const T& t) {
      bool value = fw.rule_.edge ? fw.rule_.edge(t, s).value_or(v) : v;
      if (!value && t.guard && fw.rule_.proves && fw.rule_.proves(*t.guard)) value = true;
      value = block(t.actions, value, node, &t);
      switch (t.goes) {
        case T::Goes::Return:
          if (scope >= 0) returned |= static_cast<std::uint8_t>(1u << value);
          return;  // in the whole walk, calls go on through the flows' summaries
        case T::Goes::Call: {
          if (t.call_index < 0) return;
          const auto& flow = fw.script_.flows[static_cast<std::size_t>(t.call_index)];
          if (scope < 0 && flow.state_count) visit(id(flow.first_state, false, value), node, &t);
          const std::size_t after = t.target_index >= 0 ? static_cast<std::size_t>(t.target_index) : s;
          for (int r = 0; r < 2; ++r)
            if (fw.returns_[static_cast<std::size_t>(t.call_index)][value] & (1u << r) && inside(after))
              visit(id(after, false, r == 1), node, &t);
          return;
        }
        case T::Goes::State:
          if (t.target_index < 0) visit(id(s, true, value), node, &t);  // stays: no entry
          else if (inside(static_cast<std::size_t>(t.target_index))) visit(id(static_cast<std::size_t>(t.target_index), false, value), node, &t);
          return;
      }
    }

    // Runs a block from `value`; in the whole walk, an action met while it is false is unsure
    // (reached from `node`, through `via` when the block is a transition's).
    bool block(const std::vector<ast::Action>& actions, bool value, std::size_t node, const T* via) {
      for (const ast::Action& a : actions) {
        if (scope < 0 && !value && std::find(fw.reported_.begin(), fw.reported_.end(), &a) == fw.reported_.end()) {
          fw.reported_.push_back(&a);
          fw.unsure_.push_back({&a, path_to(node), via});
        }
        if (auto set = fw.rule_.effect(a)) value = *set;
      }
      return value;
    }

    std::vector<Step> path_to(std::size_t node) const {
      std::vector<Step> path;
      for (std::size_t n = node; n != kNone; n = parent[n].first)
        if ((n / 2) % 2 == 0) path.push_back({n / 4, parent[n].second});  // one step per entry
      std::reverse(path.begin(), path.end());
      return path;
    }
  };

  // The values each flow can return with, from each value at its start: grown until nothing
  // changes (a flow's summary depends on those of the flows it calls).
  void summarise() {
    for (bool changed = true; changed;) {
      changed = false;
      for (std::size_t f = 0; f < script_.flows.size(); ++f) {
        if (!script_.flows[f].state_count) continue;
        for (int v = 0; v < 2; ++v) {
          Walk w(*this, static_cast<std::int32_t>(f));
          w.go(script_.flows[f].first_state, v == 1);
          const auto grown = static_cast<std::uint8_t>(returns_[f][static_cast<std::size_t>(v)] | w.returned);
          if (grown != returns_[f][static_cast<std::size_t>(v)]) returns_[f][static_cast<std::size_t>(v)] = grown, changed = true;
        }
      }
    }
  }

  const ast::Script& script_;
  const StateGraph& graph_;
  Rule rule_;
  std::vector<std::array<std::uint8_t, 2>> returns_;  // per flow, per start value: bit v = returns with v
  std::vector<const ast::Action*> reported_;
  std::vector<Unsure> unsure_;
};

}  // namespace callscript::sema
