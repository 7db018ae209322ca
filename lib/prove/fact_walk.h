// Does a fact hold on every path to a point of the program — the caller's identity verified, an
// SLA armed, a value the caller gave still unchanged? A walk of the product of the states and
// the fact's value, from the start state: it finds every `say` that may run while the fact is
// false, and a shortest path there.
//
// Instructions set the fact or leave it (Rule::effect), so may taking a transition (Rule::edge:
// a `filled`, a breach); a guard may prove it on its edge (Rule::proves). Every transition that
// may fire counts (Graph::each_may_fire), and one that stays changes the fact without entering
// the state again.
//
// Flows are walked with summaries, so that what one call does is not mixed up with another: for
// each flow and value at its start, the values it can return with. A call goes into the flow
// (whose blocks are checked like any others) and, separately, on to its return point with each
// value the flow's summary allows.
#pragma once

#include "prove/graph.h"

#include <array>
#include <functional>
#include <optional>
#include <vector>

namespace callscript::prove {

class FactWalk {
 public:
  struct Rule {
    bool initial = false;
    // What an instruction of a block does to the fact (`before`: the instruction before it).
    std::function<std::optional<bool>(const Instr& instr, const Instr* before)> effect;
    // Whether passing the guard block at this offset proves the fact.
    std::function<bool(std::uint32_t guard)> proves;
    // What taking a transition in a state does to the fact, before its actions.
    std::function<std::optional<bool>(const bc::Transition&, std::uint32_t from)> edge;
  };
  // One step of a path: the state entered, through the transition taken (kNone for the start).
  struct Step {
    std::uint32_t state;
    std::uint32_t via;
  };
  struct Unsure {
    std::uint32_t say;       // the Say's code offset
    std::vector<Step> path;  // from the start to the state the say runs in, when asked for
  };
  // Whether to keep the path to a Say: a path is as long as the script, so only the Says that
  // are reported get one, and the walk stays linear in the program.
  using WantsPath = std::function<bool(std::uint32_t say)>;

  FactWalk(const Graph& g, Rule r);

  // Every Say that may run while the fact is false, once each, in the order the walk meets them.
  std::vector<Unsure> run(const WantsPath& wants_path = {});

 private:
  struct Walk;

  void summarise();

  const Graph& graph_;
  Rule rule_;
  std::vector<std::array<std::uint8_t, 2>> returns_;  // per flow, per start value: bit v = returns with v
  std::vector<bool> reported_;                        // per code offset
  std::vector<Unsure> unsure_;
  WantsPath wants_path_;
};

}  // namespace callscript::prove
