// The program as the proofs see it: which transitions may fire in each state (bytecode/dispatch.h
// with every guard taken as "may hold", less those an earlier unguarded one hides), where calls
// of each flow return to, the states of each flow, and the instructions of a block.
#pragma once

#include "bytecode/dispatch.h"

#include <callscript/opcodes.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace callscript::prove {

struct Instr {
  bc::Op op;
  std::uint32_t operand;
  std::uint32_t at;  // code offset
};

// f(instr, the instruction before it or null) for each instruction of the verified block at
// `offset`, up to its Ret.
template <class F>
void each_instr(const bc::Image& im, std::uint32_t offset, F&& f) {
  if (offset == bc::kNone) return;
  Instr before{};
  bool first = true;
  for (std::size_t pc = offset; pc < im.code.size();) {
    const auto op = static_cast<bc::Op>(im.code[pc]);
    const std::size_t width = bc::operand_size(bc::kOpInfo[static_cast<std::size_t>(op)].operand);
    std::uint32_t operand = 0;
    for (std::size_t i = 0; i < width && pc + 1 + i < im.code.size(); ++i) operand |= std::uint32_t{im.code[pc + 1 + i]} << (8 * i);
    const Instr now{op, operand, static_cast<std::uint32_t>(pc)};
    if (op == bc::Op::Ret) return;
    f(now, first ? nullptr : &before);
    before = now;
    first = false;
    pc += 1 + width;
  }
}

class Graph {
 public:
  explicit Graph(const bc::Image& im);

  const bc::Image& image() const { return im_; }
  std::uint32_t index(const bc::Transition& t) const { return static_cast<std::uint32_t>(&t - im_.transitions.data()); }

  // f(transition) for each transition that may fire in `state`: eventless ones (and nothing else
  // when the state cannot wait), events, `filled`, timers and SLA breaches.
  template <class F>
  void each_may_fire(std::uint32_t state, F&& f) const {
    for (std::uint32_t k = fire_first_[state]; k < fire_first_[state + 1]; ++k) f(im_.transitions[fire_[k]]);
    if (waits_[state])
      for (const bc::Sla& sla : im_.slas) f(im_.transitions[sla.breach]);
  }

  bool waits(std::uint32_t state) const { return waits_[state]; }
  // The slots a prompt's pattern reads, each once, in the order they appear.
  std::vector<std::uint32_t> slots_read(std::uint32_t prompt) const;
  // Where calls of `flow` return to (each return point once).
  std::span<const std::uint32_t> return_points(std::uint32_t flow) const { return returns_[flow]; }
  // The states of `flow`, in order, and a state's place among them.
  std::span<const std::uint32_t> flow_states(std::uint32_t flow) const { return flow_states_[flow]; }
  std::uint32_t place_in_flow(std::uint32_t state) const { return place_[state]; }

  std::string_view state_name(std::uint32_t state) const { return im_.str(im_.states[state].name); }
  bool is_noinput_or_nomatch(const bc::Transition& t) const {
    return t.trigger == bc::Trigger::Event && t.event != bc::kNone &&
           (t.event == im_.script.noinput_event || t.event == im_.script.nomatch_event);
  }

 private:
  const bc::Image& im_;
  std::vector<std::uint32_t> fire_first_, fire_;  // per state: a run of transition indices
  std::vector<bool> waits_;
  std::vector<std::vector<std::uint32_t>> returns_, flow_states_;
  std::vector<std::uint32_t> place_;
  std::unordered_map<std::string_view, std::uint32_t> slot_named_;
};

}  // namespace callscript::prove
