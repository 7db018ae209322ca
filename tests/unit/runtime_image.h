// Hand-built Images for the runtime's unit tests: a tiny assembler over the opcode enum and a
// builder that lays out states' transition runs and the script handlers the way codegen does
// (each state's transitions contiguous, in state order, then the handlers).
#pragma once

#include <callscript/bytecode.h>
#include <callscript/opcodes.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::test {

using bc::kNone;
using bc::Op;

struct Ins {
  Op op;
  std::int64_t a = 0;
};

inline void put_le(std::vector<std::uint8_t>& out, std::uint64_t v, std::size_t width) {
  for (std::size_t k = 0; k < width; ++k) out.push_back(static_cast<std::uint8_t>(v >> (8 * k)));
}

// Appends the instructions to `code`, encoding operands by the opcode table; returns the offset.
inline std::uint32_t assemble(std::vector<std::uint8_t>& code, std::initializer_list<Ins> ins) {
  const auto at = static_cast<std::uint32_t>(code.size());
  for (const Ins& i : ins) {
    code.push_back(static_cast<std::uint8_t>(i.op));
    put_le(code, static_cast<std::uint64_t>(i.a),
           bc::operand_size(bc::kOpInfo[static_cast<std::size_t>(i.op)].operand));
  }
  return at;
}

class ImageBuilder {
 public:
  ImageBuilder(std::string_view name = "test", std::string_view locale = "zh-CN") {
    im_.script.name = str(name);
    im_.script.title = str("Test script");
    im_.script.locale = str(locale);
    im_.script.channel = str("voice");
    im_.script.source = str("test.call");
  }

  std::uint32_t str(std::string_view s) {
    for (std::uint32_t i = 0; i < im_.strings.size(); ++i)
      if (im_.strings[i] == s) return i;
    im_.strings.emplace_back(s);
    return static_cast<std::uint32_t>(im_.strings.size() - 1);
  }

  std::uint32_t slot(std::string_view name, bc::SlotType type, std::int64_t init_int = 0,
                     std::uint32_t init_str = kNone, std::uint16_t digits = 0) {
    bc::Slot s;
    s.name = str(name);
    s.type = type;
    s.init_int = init_int;
    s.init_str = init_str;
    s.digits = digits;
    // Host slots take input in any state, so that tests of values and guards need no asks; the
    // ask tests build their own states.
    s.flags = bc::kSlotHost;
    im_.slots.push_back(s);
    return static_cast<std::uint32_t>(im_.slots.size() - 1);
  }
  std::uint32_t enum_slot(std::string_view name, std::initializer_list<std::string_view> members,
                          std::int64_t init = 0) {
    const std::uint32_t s = slot(name, bc::SlotType::Enum, init);
    im_.slots[s].enum_first = static_cast<std::uint32_t>(im_.enum_members.size());
    im_.slots[s].enum_count = static_cast<std::uint32_t>(members.size());
    for (std::string_view m : members) im_.enum_members.push_back(str(m));
    return s;
  }
  std::uint32_t event(std::string_view name, std::string_view label = {}) {
    im_.events.push_back({str(name), label.empty() ? kNone : str(label)});
    return static_cast<std::uint32_t>(im_.events.size() - 1);
  }
  std::uint32_t prompt(std::string_view id, std::string_view text, std::uint32_t line = 1) {
    im_.prompts.push_back({str(id), str(text), line});
    return static_cast<std::uint32_t>(im_.prompts.size() - 1);
  }
  std::uint32_t effect(std::string_view name, std::initializer_list<std::string_view> args) {
    bc::EffectDecl e{str(name), static_cast<std::uint32_t>(im_.effect_args.size()),
                     static_cast<std::uint32_t>(args.size())};
    for (std::string_view a : args) im_.effect_args.push_back(str(a));
    im_.effects.push_back(e);
    return static_cast<std::uint32_t>(im_.effects.size() - 1);
  }
  std::uint32_t state(std::string_view name, std::uint32_t entry = kNone,
                      std::string_view outcome = {}) {
    bc::State s;
    s.name = str(name);
    s.entry = entry;
    s.outcome = outcome.empty() ? kNone : str(outcome);
    s.line = static_cast<std::uint32_t>(im_.states.size() + 1);
    im_.states.push_back(s);
    runs_.emplace_back();
    return static_cast<std::uint32_t>(im_.states.size() - 1);
  }
  std::uint32_t code(std::initializer_list<Ins> ins) { return assemble(im_.code, ins); }

  // Transitions, kept per owner until build() lays them out.
  void on(std::uint32_t state, std::uint32_t event, std::uint32_t target,
          std::uint32_t guard = kNone, std::uint32_t action = kNone) {
    runs_[state].push_back(make(bc::Trigger::Event, event, 0, target, guard, action));
  }
  void when(std::uint32_t state, std::uint32_t target, std::uint32_t guard = kNone,
            std::uint32_t action = kNone) {
    runs_[state].push_back(make(bc::Trigger::Eventless, kNone, 0, target, guard, action));
  }
  void after(std::uint32_t state, std::int64_t ms, std::uint32_t target,
             std::uint32_t guard = kNone, std::uint32_t action = kNone) {
    runs_[state].push_back(make(bc::Trigger::After, kNone, ms, target, guard, action));
  }
  void handler(std::uint32_t event, std::uint32_t target, std::uint32_t guard = kNone,
               std::uint32_t action = kNone) {
    handlers_.push_back(make(bc::Trigger::Event, event, 0, target, guard, action));
  }
  void start(std::uint32_t state) { im_.script.start_state = state; }

  bc::Image build() const {
    bc::Image im = im_;
    im.transitions.clear();
    for (std::size_t s = 0; s < runs_.size(); ++s) {
      im.states[s].first_transition = static_cast<std::uint32_t>(im.transitions.size());
      im.states[s].transition_count = static_cast<std::uint32_t>(runs_[s].size());
      im.transitions.insert(im.transitions.end(), runs_[s].begin(), runs_[s].end());
    }
    im.script.first_handler = static_cast<std::uint32_t>(im.transitions.size());
    im.script.handler_count = static_cast<std::uint32_t>(handlers_.size());
    im.transitions.insert(im.transitions.end(), handlers_.begin(), handlers_.end());
    return im;
  }

  bc::Image& raw() { return im_; }

 private:
  bc::Transition make(bc::Trigger trigger, std::uint32_t event, std::int64_t ms,
                      std::uint32_t target, std::uint32_t guard, std::uint32_t action) {
    bc::Transition t;
    t.trigger = trigger;
    t.event = event;
    t.after_ms = ms;
    t.target = target;
    t.guard = guard;
    t.action = action;
    t.line = ++line_;
    return t;
  }
  bc::Image im_;
  std::vector<std::vector<bc::Transition>> runs_;
  std::vector<bc::Transition> handlers_;
  std::uint32_t line_ = 100;
};

// Recomputes a .callbc trailer after a test damaged the bytes, so that the damage reaches the
// decoder and the verifier instead of stopping at the checksum.
inline void fix_checksum(std::vector<std::uint8_t>& bytes) {
  if (bytes.size() < 4) return;
  const std::uint32_t crc = bc::crc32(std::span(bytes).first(bytes.size() - 4));
  for (std::size_t k = 0; k < 4; ++k) bytes[bytes.size() - 4 + k] = static_cast<std::uint8_t>(crc >> (8 * k));
}

}  // namespace callscript::test
