// Does a fact hold on every path to a point of the script — the caller's identity verified, an
// SLA armed? A walk of the product of the states and the fact's value, from the start state:
// it finds every action that may run while the fact is false, and the shortest path there.
//
// Actions set the fact or leave it (Rule::effect); a guard may prove it on its edge (`when
// verified -> details`); everything else about guards is ignored, as the other graph checks do.
// A call goes into the flow and on from its returns (the flow may set the fact), never straight
// to the state after `then`; a handler an unguarded transition overrides is no edge; SLA breaches
// are edges from every state. A stay transition changes the fact without entering the state.
#pragma once

#include "sema/state_graph.h"

#include <algorithm>
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
    // What taking a transition out of a state does to it before its actions (a `filled`).
    std::function<std::optional<bool>(const ast::Transition&, std::size_t from)> edge;
  };
  // One step of a path: the state entered, through the transition taken (null for the start).
  struct Step {
    std::size_t state;
    const ast::Transition* via;
  };
  struct Unsure {
    const ast::Action* action;
    std::vector<Step> path;       // from the start to the state the action runs in
    const ast::Transition* on;    // the transition it runs on; null for a state's entry action
  };

  FactWalk(const ast::Script& s, const StateGraph& g, Rule r)
      : script_(s), graph_(g), rule_(std::move(r)), parent_(s.states.size() * 4, {kNone, nullptr}), seen_(s.states.size() * 4, false) {}

  // Every action that may run while the fact is false, once, in the order the walk meets them.
  std::vector<Unsure> run() {
    if (script_.states.empty()) return {};
    arrive(static_cast<std::size_t>(script_.start_index), rule_.initial, kNone, nullptr);
    for (std::size_t next = 0; next < work_.size(); ++next) {
      const std::size_t node = work_[next];
      const std::size_t s = node / 4;
      const bool waiting = (node / 2) % 2 == 1, value = node % 2 == 1;
      if (!waiting) {
        const bool after = block(script_.states[s].entry, value, node, nullptr);
        visit(id(s, true, after), node, nullptr);
        continue;
      }
      if (script_.states[s].final) continue;
      // The fact as a transition's actions start: changed by the transition, or proven by its guard.
      const auto start = [&](const ast::Transition& t) {
        bool v = rule_.edge ? rule_.edge(t, s).value_or(value) : value;
        if (!v && t.guard && rule_.proves && rule_.proves(*t.guard)) v = true;
        return v;
      };
      const auto take = [&](std::size_t to, const ast::Transition& t) { arrive(to, block(t.actions, start(t), node, &t), node, &t); };
      graph_.each_edge(s, {.breaches = true, .overrides = true, .through_flows = true}, take);
      for (const auto& t : script_.states[s].transitions)
        if (!t.leaves()) visit(id(s, true, block(t.actions, start(t), node, &t)), node, &t);
    }
    return std::move(unsure_);
  }

 private:
  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  static std::size_t id(std::size_t state, bool waiting, bool value) { return state * 4 + (waiting ? 2 : 0) + (value ? 1 : 0); }

  void arrive(std::size_t state, bool value, std::size_t from, const ast::Transition* via) { visit(id(state, false, value), from, via); }
  void visit(std::size_t node, std::size_t from, const ast::Transition* via) {
    if (seen_[node]) return;
    seen_[node] = true;
    parent_[node] = {from, via};
    work_.push_back(node);
  }

  // Runs a block from `value`; an action met while it is false is unsure (reached from `node`,
  // through `via` when the block is a transition's).
  bool block(const std::vector<ast::Action>& actions, bool value, std::size_t node, const ast::Transition* via) {
    for (const ast::Action& a : actions) {
      if (!value && std::find(reported_.begin(), reported_.end(), &a) == reported_.end()) {
        reported_.push_back(&a);
        unsure_.push_back({&a, path_to(node), via});
      }
      if (auto set = rule_.effect(a)) value = *set;
    }
    return value;
  }

  std::vector<Step> path_to(std::size_t node) const {
    std::vector<Step> path;
    for (std::size_t n = node; n != kNone; n = parent_[n].first) {
      const std::size_t s = n / 4;
      // A stay transition or the wait after entry stays in the state: one step per entry.
      if ((n / 2) % 2 == 0) path.push_back({s, parent_[n].second});
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  const ast::Script& script_;
  const StateGraph& graph_;
  Rule rule_;
  std::vector<std::pair<std::size_t, const ast::Transition*>> parent_;
  std::vector<bool> seen_;
  std::vector<std::size_t> work_;  // visited in order: breadth first, so each path is a shortest one
  std::vector<const ast::Action*> reported_;
  std::vector<Unsure> unsure_;
};

}  // namespace callscript::sema
