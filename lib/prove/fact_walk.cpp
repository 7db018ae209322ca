#include "prove/fact_walk.h"

#include <algorithm>

namespace callscript::prove {

namespace {
constexpr std::size_t kNoNode = static_cast<std::size_t>(-1);
}

// One walk: the whole program from the start (`scope` kNone, recording what runs unsure), or one
// flow from its first state (`scope` the flow, collecting the values it returns with). Nodes are
// (state, entered or waiting, value), numbered by the state's place in the walk's scope.
struct FactWalk::Walk {
  FactWalk& fw;
  const bc::Image& im;
  std::uint32_t scope;
  std::vector<std::pair<std::size_t, std::uint32_t>> parent;  // node -> (node, transition)
  std::vector<std::size_t> work;  // visited in order: breadth first, so each path is a shortest one
  std::vector<bool> seen;
  std::uint8_t returned = 0;      // bit v: the flow can return with value v

  Walk(FactWalk& f, std::uint32_t sc)
      : fw(f), im(f.graph_.image()), scope(sc) {
    const std::size_t n = sc == bc::kNone ? im.states.size() : f.graph_.flow_states(sc).size();
    parent.assign(n * 4, {kNoNode, bc::kNone});
    seen.assign(n * 4, false);
  }

  bool inside(std::uint32_t state) const { return scope == bc::kNone || im.states[state].flow == scope; }
  std::size_t place(std::uint32_t state) const { return scope == bc::kNone ? state : fw.graph_.place_in_flow(state); }
  std::uint32_t state_at(std::size_t node) const {
    return scope == bc::kNone ? static_cast<std::uint32_t>(node / 4) : fw.graph_.flow_states(scope)[node / 4];
  }
  std::size_t id(std::uint32_t state, bool waiting, bool value) const { return place(state) * 4 + (waiting ? 2 : 0) + (value ? 1 : 0); }

  void visit(std::size_t node, std::size_t from, std::uint32_t via) {
    if (seen[node]) return;
    seen[node] = true;
    parent[node] = {from, via};
    work.push_back(node);
  }

  void go(std::uint32_t start, bool value) {
    visit(id(start, false, value), kNoNode, bc::kNone);
    for (std::size_t next = 0; next < work.size(); ++next) {
      const std::size_t node = work[next];
      const std::uint32_t s = state_at(node);
      const bool waiting = (node / 2) % 2 == 1, v = node % 2 == 1;
      if (!waiting) {
        visit(id(s, true, block(im.states[s].entry, v, node)), node, bc::kNone);
        continue;
      }
      fw.graph_.each_may_fire(s, [&](const bc::Transition& t) { take(s, v, node, t); });
    }
  }

  void take(std::uint32_t s, bool v, std::size_t node, const bc::Transition& t) {
    const std::uint32_t via = fw.graph_.index(t);
    bool value = fw.rule_.edge ? fw.rule_.edge(t, s).value_or(v) : v;
    if (!value && t.guard != bc::kNone && fw.rule_.proves && fw.rule_.proves(t.guard)) value = true;
    value = block(t.action, value, node);
    const bc::Destination to = bc::destination_of(im, t, s);
    using K = bc::Destination::Kind;
    switch (to.kind) {
      case K::Return:
        if (scope != bc::kNone) returned |= static_cast<std::uint8_t>(1u << value);
        return;  // in the whole walk, calls go on through the flows' summaries
      case K::Call: {
        const std::uint32_t flow = im.states[to.state].flow;
        if (scope == bc::kNone) visit(id(to.state, false, value), node, via);
        if (flow == bc::kNone || !inside(to.return_to)) return;
        for (int r = 0; r < 2; ++r)
          if (fw.returns_[flow][value] & (1u << r)) visit(id(to.return_to, false, r == 1), node, via);
        return;
      }
      case K::Stay: visit(id(s, true, value), node, via); return;
      case K::Enter:
        if (inside(to.state)) visit(id(to.state, false, value), node, via);
        return;
    }
  }

  // Runs a block from `value`; in the whole walk, a Say met while it is false is unsure (reached
  // from `node`).
  bool block(std::uint32_t offset, bool value, std::size_t node) {
    each_instr(im, offset, [&](const Instr& in, const Instr* before) {
      if (scope == bc::kNone && !value && in.op == bc::Op::Say && !fw.reported_[in.at]) {
        fw.reported_[in.at] = true;
        fw.unsure_.push_back({in.at, fw.wants_path_ && fw.wants_path_(in.at) ? path_to(node) : std::vector<Step>()});
      }
      if (auto set = fw.rule_.effect(in, before)) value = *set;
    });
    return value;
  }

  std::vector<Step> path_to(std::size_t node) const {
    std::vector<Step> path;
    for (std::size_t n = node; n != kNoNode; n = parent[n].first)
      if ((n / 2) % 2 == 0) path.push_back({state_at(n), parent[n].second});  // one step per entry
    std::reverse(path.begin(), path.end());
    return path;
  }
};

FactWalk::FactWalk(const Graph& g, Rule r)
    : graph_(g), rule_(std::move(r)), returns_(g.image().flows.size(), {0, 0}), reported_(g.image().code.size(), false) {}

std::vector<FactWalk::Unsure> FactWalk::run(const WantsPath& wants_path) {
  wants_path_ = wants_path;
  const bc::Image& im = graph_.image();
  if (im.states.empty()) return {};
  summarise();
  Walk main(*this, bc::kNone);
  main.go(im.script.start_state, rule_.initial);
  return std::move(unsure_);
}

// The values each flow can return with, from each value at its start: grown until nothing
// changes (a flow's summary depends on those of the flows it calls).
void FactWalk::summarise() {
  const bc::Image& im = graph_.image();
  for (bool changed = true; changed;) {
    changed = false;
    for (std::uint32_t f = 0; f < im.flows.size(); ++f) {
      const auto states = graph_.flow_states(f);
      if (states.empty()) continue;
      for (int v = 0; v < 2; ++v) {
        Walk w(*this, f);
        w.go(states.front(), v == 1);
        const auto grown = static_cast<std::uint8_t>(returns_[f][static_cast<std::size_t>(v)] | w.returned);
        if (grown != returns_[f][static_cast<std::size_t>(v)]) returns_[f][static_cast<std::size_t>(v)] = grown, changed = true;
      }
    }
  }
}

}  // namespace callscript::prove
