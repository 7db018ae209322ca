#include "prove/graph.h"

#include "bytecode/prompt_check.h"

#include <algorithm>

namespace callscript::prove {

Graph::Graph(const bc::Image& im)
    : im_(im), waits_(im.states.size(), false), returns_(im.flows.size()), flow_states_(im.flows.size()),
      place_(im.states.size(), 0) {
  for (std::uint32_t i = 0; i < im.slots.size(); ++i) slot_named_.emplace(im.str(im.slots[i].name), i);
  fire_first_.reserve(im.states.size() + 1);
  for (std::uint32_t s = 0; s < im.states.size(); ++s) {
    fire_first_.push_back(static_cast<std::uint32_t>(fire_.size()));
    if (im.states[s].flow != bc::kNone) {
      place_[s] = static_cast<std::uint32_t>(flow_states_[im.states[s].flow].size());
      flow_states_[im.states[s].flow].push_back(s);
    }
    if (im.states[s].outcome != bc::kNone) continue;
    // A guard the proofs cannot evaluate may hold; one without a guard ends the search, as it
    // does in the session.
    const auto add = [&](const bc::Transition& t) {
      fire_.push_back(index(t));
      return t.guard == bc::kNone;
    };
    // A state with an unguarded eventless transition never waits: settling always takes it.
    waits_[s] = bc::fire_own(im, s, bc::Trigger::Eventless, add) == nullptr;
    if (!waits_[s]) continue;
    bc::each_event_may_fire(im, s, [&](const bc::Transition& t) { fire_.push_back(index(t)); });
    if (im.states[s].ask_count > 0) bc::fire_own(im, s, bc::Trigger::Filled, add);
    for (const bc::Transition& t : bc::own_transitions(im, s))
      if (t.trigger == bc::Trigger::After) fire_.push_back(index(t));
  }
  fire_first_.push_back(static_cast<std::uint32_t>(fire_.size()));

  // A return point is pushed by any transition that calls, in a state or a handler.
  for (std::uint32_t s = 0; s < im.states.size(); ++s)
    for (std::uint32_t k = fire_first_[s]; k < fire_first_[s + 1]; ++k) {
      const bc::Transition& t = im.transitions[fire_[k]];
      const bc::Destination to = bc::destination_of(im, t, s);
      if (to.kind != bc::Destination::Kind::Call) continue;
      const std::uint32_t flow = im.states[to.state].flow;
      if (flow == bc::kNone) continue;
      returns_[flow].push_back(to.return_to);
    }
  for (auto& points : returns_) {
    std::sort(points.begin(), points.end());
    points.erase(std::unique(points.begin(), points.end()), points.end());
  }
}

std::vector<std::uint32_t> Graph::slots_read(std::uint32_t prompt) const {
  std::vector<std::uint32_t> read;
  bc::check_prompt(im_.str(im_.prompts[prompt].text), im_.str(im_.script.locale), [&](std::string_view name) -> std::optional<bc::SlotType> {
    const auto it = slot_named_.find(name);
    if (it == slot_named_.end()) return std::nullopt;
    if (std::find(read.begin(), read.end(), it->second) == read.end()) read.push_back(it->second);
    return im_.slots[it->second].type;
  });
  return read;
}

}  // namespace callscript::prove
