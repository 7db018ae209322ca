// The verifier: one hand-made bad image per way an image can be unsafe to run.
#include <callscript/bytecode.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include <doctest/doctest.h>

#include <cstdio>
#include <random>

#include "runtime_image.h"

using namespace callscript;
using namespace callscript::test;

namespace {

// Slots 0 name:text, 1 count:number, 2 kind:enum(query, complaint), 3 vip:bool,
// 4 phone:digits(4); events 0 hangup, 1 go; states 0 greet, 1 done (final);
// transitions 0 `on go [guard] -> done`, 1 `after 1000ms -> done`, 2 (handler) `on hangup -> done`.
bc::Image good() {
  ImageBuilder b;
  const auto name = b.slot("name", bc::SlotType::Text);
  const auto count = b.slot("count", bc::SlotType::Number, 3);
  const auto kind = b.enum_slot("kind", {"query", "complaint"});
  b.slot("vip", bc::SlotType::Bool, 1);
  b.slot("phone", bc::SlotType::Digits, 0, b.str("0571"), 4);
  const auto hangup = b.event("hangup", "挂机");
  const auto go = b.event("go");
  const auto hello = b.prompt(
      "greet.1", "{name}您好，{kind, select, query {咨询} other {投诉}}"
                 "{count, plural, one {# 次} other {# 次}}{vip}{phone}");
  const auto ticket = b.effect("create_ticket", {"who", "n"});
  const auto entry = b.code({{Op::Say, hello}, {Op::Load, name}, {Op::Load, count},
                             {Op::Emit, ticket}, {Op::PushInt, 1}, {Op::Store, kind}, {Op::Ret}});
  const auto guard = b.code({{Op::Load, count}, {Op::PushInt, 2}, {Op::Gt}, {Op::Ret}});
  const auto greet = b.state("greet", entry);
  const auto done = b.state("done", kNone, "resolved");
  b.on(greet, go, done, guard);
  b.after(greet, 1000, done);
  b.handler(hangup, done);
  return b.build();
}

// Appends a block to the image's code and returns its offset.
std::uint32_t add_block(bc::Image& im, std::initializer_list<Ins> ins) {
  return assemble(im.code, ins);
}

std::string as_guard(std::initializer_list<Ins> ins) {
  bc::Image im = good();
  im.transitions[0].guard = add_block(im, ins);
  return bc::verify(im);
}
std::string as_action(std::initializer_list<Ins> ins) {
  bc::Image im = good();
  im.transitions[0].action = add_block(im, ins);
  return bc::verify(im);
}

bool has(const std::string& err, std::string_view what) {
  INFO("verify said: " << err);
  return err.find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("a well-formed image verifies") {
  CHECK(bc::verify(good()) == "");
  CHECK(Program::from_image(good()).program != nullptr);
}

TEST_CASE("verify refuses string indices out of range") {
  bc::Image im = good();
  im.events[0].label = 999;
  CHECK(has(bc::verify(im), "event 0: label string 999 out of range"));
  im = good();
  im.script.title = 500;
  CHECK(has(bc::verify(im), "script title: string 500 out of range"));
  im = good();
  im.states[1].outcome = 777;
  CHECK(has(bc::verify(im), "state 1: outcome string 777 out of range"));
  im = good();
  im.effect_args[1] = 1234;
  CHECK(has(bc::verify(im), "effect argument 1: string 1234 out of range"));
  im = good();
  im.prompts[0].text = 4321;
  CHECK(has(bc::verify(im), "prompt 0: text string 4321 out of range"));
}

TEST_CASE("verify refuses strings that are not UTF-8") {
  bc::Image im = good();
  im.strings.push_back("ok\xC3");  // truncated sequence
  CHECK(has(bc::verify(im), ": not valid UTF-8"));
  im = good();
  im.strings.push_back("\xED\xA0\x80");  // an encoded surrogate
  CHECK(has(bc::verify(im), "not valid UTF-8"));
}

TEST_CASE("verify refuses a bad start state and bad handlers") {
  bc::Image im = good();
  im.script.start_state = 2;
  CHECK(has(bc::verify(im), "script start state 2 out of range (2 states)"));
  im = good();
  im.script.handler_count = 5;
  CHECK(has(bc::verify(im), "script handlers 2+5 out of range (3 transitions)"));
  im = good();
  im.transitions[2].trigger = bc::Trigger::After;
  CHECK(has(bc::verify(im), "transition 2: a script-wide handler must be triggered by an event"));
}

TEST_CASE("verify refuses bad transitions") {
  bc::Image im = good();
  im.transitions[0].target = 9;
  CHECK(bc::verify(im) == "transition 0: target 9 out of range (2 states)");
  im = good();
  im.transitions[0].event = 5;
  CHECK(bc::verify(im) == "transition 0: event 5 out of range (2 events)");
  im = good();
  im.transitions[1].after_ms = -1;
  CHECK(has(bc::verify(im), "transition 1: negative delay -1ms"));
  im = good();
  im.transitions[1].trigger = bc::Trigger::Eventless;
  im.transitions[1].target = kNone;
  CHECK(has(bc::verify(im), "transition 1: an eventless transition needs a target"));
  im = good();
  im.transitions[0].trigger = static_cast<bc::Trigger>(7);
  CHECK(has(bc::verify(im), "transition 0: unknown trigger 7"));
  im = good();
  im.states[0].transition_count = 9;
  CHECK(has(bc::verify(im), "state 0: transitions 0+9 out of range (3 transitions)"));
}

TEST_CASE("verify refuses more timers in a state than the limit") {
  ImageBuilder b;
  const auto a = b.state("a");
  const auto z = b.state("z", kNone, "done");
  for (std::size_t i = 0; i <= bc::kMaxTimersPerState; ++i) b.after(a, 1000 * (i + 1), z);
  CHECK(has(bc::verify(b.build()), "state 0: 33 timers, more than the limit of 32"));
}

TEST_CASE("verify refuses bad slots") {
  bc::Image im = good();
  im.slots[2].init_int = 2;
  CHECK(has(bc::verify(im), "slot 2: initial member 2 out of range (2 members)"));
  im = good();
  im.slots[2].enum_count = 40;
  CHECK(has(bc::verify(im), "slot 2: enum members 0+40 out of range"));
  im = good();
  im.slots[2].enum_count = 0;
  CHECK(has(bc::verify(im), "slot 2: enum without members"));
  im = good();
  im.slots[3].init_int = 2;
  CHECK(has(bc::verify(im), "slot 3: initial bool 2 is not 0 or 1"));
  im = good();
  im.strings[im.slots[4].init_str] = "05a1";
  CHECK(has(bc::verify(im), "slot 4: initial value \"05a1\" is not all digits"));
  im = good();
  im.slots[4].digits = 11;
  CHECK(has(bc::verify(im), "slot 4: initial value \"0571\" does not have 11 digits"));
  im = good();
  im.slots[0].init_str = 9000;
  CHECK(has(bc::verify(im), "slot 0: initial text string 9000 out of range"));
  im = good();
  im.slots[1].name = im.slots[0].name;
  CHECK(has(bc::verify(im), "slot 1: duplicate name 'name'"));
  im = good();
  im.slots[1].type = static_cast<bc::SlotType>(11);
  CHECK(has(bc::verify(im), "slot 1: unknown type 11"));
}

TEST_CASE("verify refuses bad effect argument runs") {
  bc::Image im = good();
  im.effects[0].argc = 3;
  CHECK(has(bc::verify(im), "effect 0: arguments 0+3 out of range (2 effect arguments)"));
}

TEST_CASE("verify refuses code offsets out of range") {
  bc::Image im = good();
  im.states[0].entry = 9999;
  CHECK(has(bc::verify(im), "state 0 entry: code offset 0x270f out of range"));
}

TEST_CASE("verify refuses a block without Ret") {
  bc::Image im = good();
  im.transitions[0].guard = add_block(im, {{Op::PushBool, 1}});
  CHECK(has(bc::verify(im), "transition 0 guard: block at"));
  CHECK(has(bc::verify(im), "runs off the end of the code without Ret"));
}

TEST_CASE("verify refuses unknown opcodes and cut-off operands") {
  bc::Image im = good();
  im.transitions[0].action = static_cast<std::uint32_t>(im.code.size());
  im.code.push_back(200);
  CHECK(has(bc::verify(im), "unknown opcode 200"));
  im = good();
  im.transitions[0].action = static_cast<std::uint32_t>(im.code.size());
  im.code.insert(im.code.end(), {static_cast<std::uint8_t>(Op::PushInt), 1, 2});
  CHECK(has(bc::verify(im), "PushInt operand runs off the end of the code"));
}

TEST_CASE("verify refuses operands out of range, saying where") {
  bc::Image im = good();
  const auto at = add_block(im, {{Op::PushInt, 1}, {Op::Load, 7}, {Op::Ret}});
  im.transitions[0].action = at;
  char where[64];
  std::snprintf(where, sizeof where, "transition 0 action: code at 0x%04x: ", at + 5);  // after PushInt
  CHECK(bc::verify(im) == std::string(where) + "Load slot 7 out of range (5 slots)");
  CHECK(has(as_action({{Op::PushInt, 1}, {Op::Store, 9}, {Op::Ret}}), "Store slot 9 out of range"));
  CHECK(has(as_action({{Op::PushStr, 600}, {Op::Ret}}), "PushStr string 600 out of range"));
  CHECK(has(as_action({{Op::Say, 3}, {Op::Ret}}), "Say prompt 3 out of range (1 prompts)"));
  CHECK(has(as_action({{Op::Emit, 1}, {Op::Ret}}), "Emit effect 1 out of range (1 effects)"));
}

TEST_CASE("verify refuses stack underflow and overflow") {
  CHECK(has(as_guard({{Op::Not}, {Op::Ret}}), "Not pops an empty stack"));
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::Add}, {Op::Ret}}), "Add pops an empty stack"));
  CHECK(has(as_action({{Op::PushInt, 1}, {Op::Emit, 0}, {Op::Ret}}),
            "Emit create_ticket pops 2 arguments from a stack of 1"));
  bc::Image im = good();
  const auto at = static_cast<std::uint32_t>(im.code.size());
  for (std::size_t i = 0; i <= bc::kMaxStack; ++i) assemble(im.code, {{Op::PushInt, 0}});
  assemble(im.code, {{Op::Ret}});
  im.transitions[0].action = at;
  CHECK(has(bc::verify(im), "PushInt overflows the stack of 16"));
}

TEST_CASE("verify refuses type mismatches") {
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::Not}, {Op::Ret}}), "Not needs bool, got int"));
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::PushStr, 0}, {Op::Eq}, {Op::Ret}}),
            "Eq compares int with text"));
  CHECK(has(as_guard({{Op::PushBool, 1}, {Op::PushInt, 0}, {Op::Lt}, {Op::Ret}}),
            "Lt needs int, got bool"));
  CHECK(has(as_guard({{Op::PushBool, 1}, {Op::PushInt, 0}, {Op::And}, {Op::Ret}}),
            "And needs bool, got int"));
  CHECK(has(as_action({{Op::PushStr, 0}, {Op::Store, 1}, {Op::Ret}}),
            "Store needs int, got text"));
  CHECK(has(as_action({{Op::Load, 0}, {Op::Store, 3}, {Op::Ret}}), "Store needs bool, got text"));
  // Digits load as text; numbers and enums as int; bools as bool.
  CHECK(as_guard({{Op::Load, 4}, {Op::PushStr, 0}, {Op::Ne}, {Op::Ret}}) == "");
  CHECK(as_guard({{Op::Load, 2}, {Op::Load, 1}, {Op::Eq}, {Op::Ret}}) == "");
  CHECK(as_guard({{Op::Load, 3}, {Op::Not}, {Op::Ret}}) == "");
}

TEST_CASE("verify refuses guards that do not leave exactly one bool") {
  CHECK(has(as_guard({{Op::Ret}}), "a guard must end with exactly one bool on the stack; it leaves 0 values"));
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::Ret}}), "it leaves one int"));
  CHECK(has(as_guard({{Op::PushBool, 1}, {Op::PushBool, 1}, {Op::Ret}}), "it leaves 2 values"));
}

TEST_CASE("verify refuses action blocks that leave values") {
  CHECK(has(as_action({{Op::PushBool, 1}, {Op::Ret}}),
            "an action block must end with an empty stack, not 1 values"));
}

TEST_CASE("verify refuses side effects in guards") {
  CHECK(has(as_guard({{Op::Say, 0}, {Op::PushBool, 1}, {Op::Ret}}),
            "Say in a guard (guards must not change anything)"));
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::Store, 1}, {Op::PushBool, 1}, {Op::Ret}}),
            "Store in a guard"));
  CHECK(has(as_guard({{Op::PushInt, 1}, {Op::PushInt, 1}, {Op::Emit, 0}, {Op::PushBool, 1}, {Op::Ret}}),
            "Emit in a guard"));
}

TEST_CASE("verify refuses stores that could break a slot") {
  CHECK(has(as_action({{Op::Load, 1}, {Op::Store, 2}, {Op::Ret}}),
            "Store into enum slot 2 (kind) of a value not known to be one of its 2 members"));
  CHECK(has(as_action({{Op::PushInt, 2}, {Op::Store, 2}, {Op::Ret}}), "Store into enum slot 2"));
  CHECK(as_action({{Op::PushInt, 1}, {Op::Store, 2}, {Op::Ret}}) == "");
  CHECK(as_action({{Op::Load, 2}, {Op::Store, 2}, {Op::Ret}}) == "");
  CHECK(has(as_action({{Op::PushInt, 1}, {Op::Load, 0}, {Op::Store, 0}, {Op::PushInt, 1},
                       {Op::Add}, {Op::Store, 1}, {Op::Ret}}),
            "Store with 1 other values on the stack"));
}

TEST_CASE("verify refuses prompts that are not valid MessageFormat") {
  bc::Image im = good();
  im.strings[im.prompts[0].text] = "您好{name";
  CHECK(bc::verify(im) == "prompt 0 (greet.1) at byte 6: unmatched brace");
  im = good();
  im.strings[im.prompts[0].text] = "{kind, select, query {a}}";
  CHECK(has(bc::verify(im), "prompt 0 (greet.1) at byte 0: a select or plural needs an `other` case"));
}

TEST_CASE("verify refuses prompt arguments that are not slots") {
  bc::Image im = good();
  im.strings[im.prompts[0].text] = "您好{nobody}";
  CHECK(bc::verify(im) == "prompt 0 (greet.1) at byte 7: prompt refers to `nobody`, which is not a slot");
  im = good();
  im.strings[im.prompts[0].text] = "您好{0}";
  CHECK(has(bc::verify(im), "{0}: prompt arguments are slot names, not numbers"));
}

TEST_CASE("verify refuses prompt arguments formatted against their slot's type") {
  bc::Image im = good();
  im.strings[im.prompts[0].text] = "{name, plural, other {#}}";
  CHECK(has(bc::verify(im), "`name` is not a number slot, but this argument formats a number"));
  im = good();
  im.strings[im.prompts[0].text] = "{count, select, other {x}}";
  CHECK(has(bc::verify(im), "`count` is a number slot; `select` chooses by text, bool or enum"));
  im = good();
  im.strings[im.prompts[0].text] = "{count, number, integer} {vip, select, true {VIP} other {}}";
  CHECK(bc::verify(im) == "");
}

TEST_CASE("Program::from_image prefixes verifier errors") {
  bc::Image im = good();
  im.transitions[0].target = 9;
  LoadResult r = Program::from_image(im);
  CHECK(!r.program);
  CHECK(r.error == "bad bytecode: transition 0: target 9 out of range (2 states)");
}

TEST_CASE("disassemble shows an unverified image without following bad indices") {
  bc::Image im = good();
  im.slots[2].enum_count = 0xFFFFFFFFu;
  im.effects[0].argc = 0xFFFFFFFFu;
  im.transitions[0].target = 99;
  im.transitions[0].event = 99;
  im.transitions[1].guard = 0xFFFFF;
  im.states[1].entry = static_cast<std::uint32_t>(im.code.size());
  im.code.insert(im.code.end(), {static_cast<std::uint8_t>(Op::Load), 0xFF, 0xFF, 250});
  im.script.handler_count = 1000;
  const std::string out = bc::disassemble(im);
  CHECK(out.find("enum(query, complaint, <out of range>)") != std::string::npos);
  CHECK(out.find("create_ticket(who, n, <out of range>)") != std::string::npos);
  CHECK(out.find("on ? [guard @") != std::string::npos);
  CHECK(out.find("-> ?") != std::string::npos);
  CHECK(out.find("<slot out of range>") != std::string::npos);
  CHECK(out.find("<unknown opcode 250>") != std::string::npos);
  CHECK(out.find("@fffff == <out of range>") != std::string::npos);
}

// Random instruction sequences: whatever the verifier accepts must run cleanly (the sanitizer
// build checks the interpreter never reads or writes out of bounds on them).
TEST_CASE("random code either fails verification or runs") {
  std::mt19937 rng(777);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    bc::Image im = good();
    const auto at = static_cast<std::uint32_t>(im.code.size());
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      const auto op = static_cast<Op>(rng() % (bc::kOpCount - 1));  // Ret comes last
      std::int64_t a = static_cast<std::int64_t>(rng() % 6);
      if (op == Op::PushInt) a = static_cast<std::int64_t>(rng() % 5) - 1;
      assemble(im.code, {{op, a}});
    }
    assemble(im.code, {{Op::Ret}});
    const bool guard = rng() % 2;
    (guard ? im.transitions[0].guard : im.transitions[0].action) = at;
    if (!bc::verify(im).empty()) continue;
    ++accepted;
    LoadResult r = Program::from_image(std::move(im));
    REQUIRE(r.program);
    Session s(*r.program);
    s.start(Instant{});
    s.input(1, "5", Instant{});
    (void)s.choices();
    s.send(1, Instant{});
    (void)s.prompts();
    for (const Effect& e : s.take_effects()) CHECK(!e.name.empty());
    for (SlotId k = 0; k < r.program->slot_count(); ++k) (void)s.slot_text(k);
  }
  CHECK(accepted > 50);
}
