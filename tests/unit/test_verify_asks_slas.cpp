// The format 2.0 tables -- asks, SLAs, flows and the calendar -- in the verifier, the byte
// format and the disassembler: one hand-made bad image per way they can be unsafe, and round
// trips of every new field.
#include <callscript/bytecode.h>
#include <callscript/calendar.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "runtime_image.h"
#include "test_support.h"

#include <doctest/doctest.h>

using namespace callscript;
using namespace callscript::test;

namespace {

// A calendar of one day, 1970-01-01, working 01:00-02:00 UTC.
std::vector<std::uint8_t> tiny_calendar() {
  CalendarTable t;
  t.time_zone = "UTC";
  t.range_begin_ms = 0;
  t.range_end_ms = 86'400'000;
  t.intervals = {{3'600'000, 7'200'000}};
  t.day_starts = {0};
  CalendarLoad load = BusinessCalendar::from_table(std::move(t));
  INFO(load.error);
  REQUIRE(load.calendar);
  return load.calendar->to_bytes();
}

// Slots 0 tail:digits(4), 1 name:text, 2 at:time; events 0 noinput, 1 nomatch, 2 go;
// states 0 ask (asks tail; entry `SlaStart reply`), 1 f.a (flow 0 `f`), 2 done (final);
// transitions
//   0 ask: on noinput { SlaStop reply }     1 ask: on nomatch (stays)
//   2 ask: filled -> done                   3 ask: on go -> call f.a (back to ask)
//   4 f.a: on go -> return
//   5 script handler: on go -> done
//   6 flow f's handler: on go -> return
//   7 sla reply's breach -> done            8 sla fix's breach (stays)
// SLAs 0 reply: 60s wall, breach 7; 1 fix: 1 workhour promise, breach 8; the calendar section.
bc::Image good() {
  ImageBuilder b;
  const auto tail = b.slot("tail", bc::SlotType::Digits, 0, kNone, 4);
  b.slot("name", bc::SlotType::Text);
  b.slot("at", bc::SlotType::Time, 9 * 60 + 5);
  const auto noinput = b.event("noinput");
  const auto nomatch = b.event("nomatch");
  const auto go = b.event("go");
  const auto flow_name = b.str("f"), reply = b.str("reply"), fix = b.str("fix");
  const auto ask = b.state("ask", b.code({{Op::SlaStart, 0}, {Op::Ret}}));
  const auto fa = b.state("f.a");
  const auto done = b.state("done", kNone, "resolved");
  b.on(ask, noinput, kNone, kNone, b.code({{Op::SlaStop, 0}, {Op::Ret}}));
  b.on(ask, nomatch, kNone);
  b.on(ask, go, done);  // becomes `filled`
  b.on(ask, go, kNone);  // becomes a call
  b.on(fa, go, bc::kReturn);
  b.handler(go, done);
  bc::Image im = b.build();
  im.slots[tail].flags = 0;  // asked, not host
  im.slots[1].flags = 0;
  im.transitions[2].trigger = bc::Trigger::Filled;
  im.transitions[2].event = kNone;
  im.transitions[3].call = fa;
  im.states[ask].ask_first = 0;
  im.states[ask].ask_count = 1;
  im.ask_slots = {tail};
  im.script.noinput_event = noinput;
  im.script.nomatch_event = nomatch;
  im.states[fa].flow = 0;
  im.flows.push_back({flow_name, static_cast<std::uint32_t>(im.transitions.size()), 1});
  bc::Transition back;
  back.event = go;
  back.target = bc::kReturn;
  im.transitions.push_back(back);
  for (auto [name, unit, promise, amount, target] :
       {std::tuple{reply, bc::DurationUnit::Wall, 0, std::int64_t{60'000}, done},
        std::tuple{fix, bc::DurationUnit::WorkTime, 1, std::int64_t{3'600'000}, kNone}}) {
    bc::Sla s;
    s.name = name;
    s.unit = unit;
    s.promise = static_cast<std::uint8_t>(promise);
    s.amount = amount;
    s.breach = static_cast<std::uint32_t>(im.transitions.size());
    im.slas.push_back(s);
    bc::Transition t;
    t.trigger = bc::Trigger::Breach;
    t.target = target;
    t.action = assemble(im.code, {{Op::SlaStop, 1}, {Op::Ret}});
    im.transitions.push_back(t);
  }
  im.calendar = tiny_calendar();
  return im;
}

bool has(const std::string& err, std::string_view what) {
  INFO("verify said: " << err);
  return err.find(what) != std::string::npos;
}

}  // namespace

TEST_CASE("an image with asks, flows, SLAs and a calendar verifies and runs") {
  const bc::Image im = good();
  REQUIRE(bc::verify(im) == "");
  auto p = load_through_bytes(im);
  REQUIRE(p->calendar() != nullptr);
  CHECK(p->sla_count() == 2);
  Session s(*p);
  REQUIRE(s.start(Instant{}) == Status::Ok);
  CHECK(s.asked_slots().size() == 1);
  CHECK(s.sla_deadline(0) == Instant(std::chrono::milliseconds(60'000)));
  CHECK(s.input(0, "12", Instant{}) == Status::NoMatch);
  CHECK(s.state_name() == "ask");
  CHECK(s.input(1, "x", Instant{}) == Status::NotAsked);
  CHECK(s.input(0, "1234", Instant{}) == Status::Ok);
  CHECK(s.outcome() == "resolved");
}

TEST_CASE("verify refuses asks out of range, repeated, or without their events") {
  bc::Image im = good();
  im.states[0].ask_count = 2;
  CHECK(bc::verify(im) == "state 0: asked slots 0+2 out of range (1 entries, at most 16 a state)");
  im = good();
  im.states[0].ask_first = 5;
  CHECK(bc::verify(im) == "state 0: asked slots 5+1 out of range (1 entries, at most 16 a state)");
  im = good();
  im.states[0].ask_first = 0xFFFFFFFFu;  // must not wrap around
  CHECK(has(bc::verify(im), "state 0: asked slots 4294967295+1 out of range"));
  im = good();
  im.ask_slots.assign(17, 0);
  for (std::uint32_t i = 0; i < 17; ++i) im.ask_slots[i] = i % 3;
  im.states[0].ask_count = 17;  // more than the session's bit mask holds
  CHECK(bc::verify(im) == "state 0: asked slots 0+17 out of range (17 entries, at most 16 a state)");

  im = good();
  im.ask_slots[0] = 9;
  CHECK(bc::verify(im) == "state 0: asked slot 9 out of range (3 slots)");
  im = good();
  im.ask_slots = {1, 0, 1};
  im.states[0].ask_count = 3;
  CHECK(bc::verify(im) == "state 0: asks slot 1 twice");

  im = good();
  im.script.noinput_event = kNone;
  CHECK(bc::verify(im) == "state 0: asks without the script's noinput and nomatch events");
  im = good();
  im.script.nomatch_event = kNone;
  CHECK(bc::verify(im) == "state 0: asks without the script's noinput and nomatch events");
  im = good();
  im.script.nomatch_event = 7;
  CHECK(bc::verify(im) == "script ask event 7 out of range (3 events)");
}

TEST_CASE("verify refuses an empty ask run that starts past the table") {
  // The session views a state's asked slots as a subspan of the table even when it asks none.
  bc::Image im = good();
  im.states[2].ask_first = 1000;
  CHECK(bc::verify(im) == "state 2: asked slots 1000+0 out of range (1 entries, at most 16 a state)");
  im.states[2].ask_first = 1;  // just past the end: an empty run there is fine
  CHECK(bc::verify(im) == "");
}

TEST_CASE("verify refuses a filled transition in a state that asks nothing") {
  bc::Image im = good();
  im.states[0].ask_count = 0;
  CHECK(bc::verify(im) == "state 0: transition 2 has a trigger a state of its kind cannot have");
  // Nor may a handler be one.
  im = good();
  im.transitions[5].trigger = bc::Trigger::Filled;
  CHECK(bc::verify(im) == "transition 5: a script-wide handler must be triggered by an event");
}

TEST_CASE("verify refuses a breach transition in a state's run") {
  bc::Image im = good();
  im.transitions[1].trigger = bc::Trigger::Breach;
  CHECK(bc::verify(im) == "state 0: transition 1 has a trigger a state of its kind cannot have");
  im = good();
  im.transitions[4].trigger = bc::Trigger::Breach;
  CHECK(bc::verify(im) == "state 1: transition 4 has a trigger a state of its kind cannot have");
}

TEST_CASE("verify refuses a guard on a breach, which the session never asks") {
  bc::Image im = good();
  im.transitions[7].guard = im.transitions[1].guard != bc::kNone ? im.transitions[1].guard : 0;
  CHECK(bc::verify(im).find("transition 7: a breach has no guard") != std::string::npos);
}

TEST_CASE("verify refuses an SLA whose breach handler is not a breach transition") {
  bc::Image im = good();
  im.slas[0].breach = 5;  // the script's handler
  CHECK(bc::verify(im) == "sla 0: breach handler 5 is not a breach transition");
  im = good();
  im.slas[1].breach = 99;
  CHECK(bc::verify(im) == "sla 1: breach handler 99 is not a breach transition");
  im = good();
  im.slas[1].breach = 0xFFFFFFFFu;
  CHECK(bc::verify(im) == "sla 1: breach handler 4294967295 is not a breach transition");
}

TEST_CASE("verify refuses a breach that goes into a flow, calls one, or returns") {
  bc::Image im = good();
  im.transitions[7].target = 1;  // f.a
  CHECK(bc::verify(im) == "transition 7: a breach handler may only go to a top-level state");
  im = good();
  im.transitions[7].call = 1;
  CHECK(bc::verify(im) == "transition 7: a breach handler may only go to a top-level state");
  im = good();
  im.transitions[8].call = 0;  // even a top-level state may not be called
  CHECK(bc::verify(im) == "transition 8: a breach handler may only go to a top-level state");
  im = good();
  im.transitions[8].target = bc::kReturn;
  CHECK(bc::verify(im) == "transition 8: a breach handler may only go to a top-level state");
  im = good();
  im.transitions[7].target = 9;
  CHECK(bc::verify(im) == "transition 7: target 9 out of range (3 states)");
}

TEST_CASE("verify refuses SlaStart and SlaStop out of range or in a guard") {
  bc::Image im = good();
  im.states[0].entry = assemble(im.code, {{Op::SlaStart, 2}, {Op::Ret}});
  CHECK(has(bc::verify(im), "SlaStart sla 2 out of range (2 SLAs)"));
  CHECK(has(bc::verify(im), "state 0 entry: code at 0x"));
  im = good();
  im.transitions[0].action = assemble(im.code, {{Op::SlaStop, 0xFFFF}, {Op::Ret}});
  CHECK(has(bc::verify(im), "transition 0 action: code at 0x"));
  CHECK(has(bc::verify(im), "SlaStop sla 65535 out of range (2 SLAs)"));
  im = good();
  im.slas.clear();
  im.transitions.resize(7);
  CHECK(has(bc::verify(im), "SlaStart sla 0 out of range (0 SLAs)"));

  im = good();
  im.transitions[1].guard = assemble(im.code, {{Op::SlaStart, 0}, {Op::PushBool, 1}, {Op::Ret}});
  CHECK(has(bc::verify(im), "transition 1 guard: code at 0x"));
  CHECK(has(bc::verify(im), "SlaStart in a guard (guards must not change anything)"));
  im = good();
  im.transitions[1].guard = assemble(im.code, {{Op::PushBool, 1}, {Op::SlaStop, 1}, {Op::Ret}});
  CHECK(has(bc::verify(im), "SlaStop in a guard (guards must not change anything)"));
}

TEST_CASE("verify refuses business-time SLAs without a usable calendar section") {
  bc::Image im = good();
  im.calendar.clear();
  CHECK(bc::verify(im) == "SLAs in business time, but the calendar section is missing or invalid");
  im.calendar = {'C', 'L', 'C', 'A', 1, 0};
  CHECK(bc::verify(im) == "SLAs in business time, but the calendar section is missing or invalid");
  im = good();
  im.slas[1].unit = bc::DurationUnit::WorkDays;
  im.calendar.back() ^= 0xFF;  // a damaged table
  CHECK(bc::verify(im) == "SLAs in business time, but the calendar section is missing or invalid");
  // Wall-time SLAs need no calendar.
  im = good();
  im.slas[1].unit = bc::DurationUnit::Wall;
  im.calendar.clear();
  CHECK(bc::verify(im) == "");
}

TEST_CASE("verify refuses bad SLA records") {
  bc::Image im = good();
  im.slas[0].amount = 0;
  CHECK(bc::verify(im) == "sla 0: duration 0 is not positive");
  im.slas[0].amount = -5;
  CHECK(bc::verify(im) == "sla 0: duration -5 is not positive");
  im = good();
  im.slas[1].name = 999;
  CHECK(bc::verify(im) == "sla 1: name string 999 out of range");
  im = good();
  im.slas[1].name = im.slas[0].name;
  CHECK(bc::verify(im) == "sla 1: duplicate name 'reply'");
  im = good();
  while (im.slas.size() <= bc::kMaxSlas) im.slas.push_back(im.slas[0]);
  CHECK(bc::verify(im) == "65 SLAs, more than the limit of 64");
}

TEST_CASE("verify refuses a state's flow out of range and a flow handler that is not an event") {
  bc::Image im = good();
  im.states[1].flow = 3;
  CHECK(bc::verify(im) == "state 1: flow 3 out of range (1 flows)");
  im = good();
  im.flows.clear();
  CHECK(bc::verify(im) == "state 1: flow 0 out of range (0 flows)");

  im = good();
  im.transitions[6].trigger = bc::Trigger::After;
  CHECK(bc::verify(im) == "flow 0: handler 6 is not triggered by an event");
  im = good();
  im.transitions[6].trigger = bc::Trigger::Eventless;
  CHECK(bc::verify(im) == "flow 0: handler 6 is not triggered by an event");
  im = good();
  im.flows[0].first_handler = 7;  // the breach transition
  CHECK(bc::verify(im) == "flow 0: handler 7 is not triggered by an event");
  im = good();
  im.flows[0].handler_count = 9;
  CHECK(bc::verify(im) == "flow 0: handlers out of range");
  im = good();
  im.flows[0].name = 4242;
  CHECK(bc::verify(im) == "flow 0: name string 4242 out of range");
}

TEST_CASE("verify refuses phone and time slots it cannot hold") {
  bc::Image im = good();
  im.slots[2].init_int = 24 * 60;
  CHECK(bc::verify(im) == "slot 2: initial time 1440 is not a minute of the day");
  im.slots[2].init_int = -1;
  CHECK(bc::verify(im) == "slot 2: initial time -1 is not a minute of the day");
  im = good();
  im.slots[2].type = static_cast<bc::SlotType>(7);
  CHECK(bc::verify(im) == "slot 2: unknown type 7");
  im = good();
  im.slots[1].flags = 8;
  CHECK(bc::verify(im) == "slot 1: unknown flags 8");
  im = good();
  im.slots[1].flags = bc::kSlotIdentity | bc::kSlotHost;
  CHECK(bc::verify(im) == "slot 1: an identity slot the host fills");
  im = good();
  im.slots[1].flags = bc::kSlotHost | bc::kSlotPii;
  CHECK(bc::verify(im) == "");
}

TEST_CASE("serialize and deserialize round-trip the asks, SLAs, flows and calendar") {
  const bc::Image im = good();
  const auto bytes = bc::serialize(im);
  bc::Image back;
  REQUIRE(bc::deserialize(bytes, back) == "");
  CHECK(back.major == 2);
  CHECK(back.minor == bc::kFormatMinor);
  CHECK(back.script.noinput_event == im.script.noinput_event);
  CHECK(back.script.nomatch_event == im.script.nomatch_event);
  REQUIRE(back.slots.size() == im.slots.size());
  for (std::size_t i = 0; i < im.slots.size(); ++i) {
    CHECK(back.slots[i].type == im.slots[i].type);
    CHECK(back.slots[i].flags == im.slots[i].flags);
    CHECK(back.slots[i].init_int == im.slots[i].init_int);
  }
  REQUIRE(back.states.size() == im.states.size());
  for (std::size_t i = 0; i < im.states.size(); ++i) {
    CHECK(back.states[i].flow == im.states[i].flow);
    CHECK(back.states[i].ask_first == im.states[i].ask_first);
    CHECK(back.states[i].ask_count == im.states[i].ask_count);
  }
  REQUIRE(back.transitions.size() == im.transitions.size());
  for (std::size_t i = 0; i < im.transitions.size(); ++i) {
    CHECK(back.transitions[i].trigger == im.transitions[i].trigger);
    CHECK(back.transitions[i].call == im.transitions[i].call);
    CHECK(back.transitions[i].target == im.transitions[i].target);
  }
  CHECK(back.ask_slots == im.ask_slots);
  REQUIRE(back.slas.size() == im.slas.size());
  for (std::size_t i = 0; i < im.slas.size(); ++i) {
    CHECK(back.slas[i].name == im.slas[i].name);
    CHECK(back.slas[i].unit == im.slas[i].unit);
    CHECK(back.slas[i].promise == im.slas[i].promise);
    CHECK(back.slas[i].amount == im.slas[i].amount);
    CHECK(back.slas[i].breach == im.slas[i].breach);
  }
  REQUIRE(back.flows.size() == im.flows.size());
  CHECK(back.flows[0].name == im.flows[0].name);
  CHECK(back.flows[0].first_handler == im.flows[0].first_handler);
  CHECK(back.flows[0].handler_count == im.flows[0].handler_count);
  CHECK(back.calendar == im.calendar);
  CHECK(bc::verify(back) == "");
  CHECK(bc::serialize(back) == bytes);
}

TEST_CASE("a compiled example round-trips byte for byte, its calendar included") {
  // Named by its absolute path, so that its calendar resolves next to it.
  const std::string path = CALLSCRIPT_SOURCE_DIR "/examples/complaint.call";
  const bc::Image im = compile_clean(path, read_file(path));
  REQUIRE_FALSE(im.slas.empty());
  REQUIRE_FALSE(im.flows.empty());
  REQUIRE_FALSE(im.ask_slots.empty());
  REQUIRE_FALSE(im.calendar.empty());
  const auto bytes = bc::serialize(im);
  bc::Image back;
  REQUIRE(bc::deserialize(bytes, back) == "");
  CHECK(bc::serialize(back) == bytes);
  CHECK(back.calendar == im.calendar);
  auto p = load_through_bytes(im);
  REQUIRE(p->calendar() != nullptr);
  CHECK(p->calendar()->time_zone() == "Asia/Shanghai");
}

TEST_CASE("deserialize refuses an SLA with an unknown duration unit or promise flag") {
  // Section table entry 12 is Slas (id 13); its records are 20 bytes: name, unit, promise, ...
  const auto get32 = [](const std::vector<std::uint8_t>& b, std::size_t at) {
    return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 |
           std::uint32_t{b[at + 3]} << 24;
  };
  const auto bytes = bc::serialize(good());
  const std::size_t entry = 12 + 12 * 12;
  REQUIRE(get32(bytes, entry) == 13);
  const std::size_t slas = get32(bytes, entry + 4);
  REQUIRE(get32(bytes, entry + 8) == 40);
  bc::Image im;
  {
    auto b = bytes;
    b[slas + 20 + 4] = 3;  // the second SLA's unit
    fix_checksum(b);
    CHECK(bc::deserialize(b, im) == "sla 1: unknown unit 3 or promise flag 1");
  }
  {
    auto b = bytes;
    b[slas + 4] = 0xFF;
    fix_checksum(b);
    CHECK(bc::deserialize(b, im) == "sla 0: unknown unit 255 or promise flag 0");
  }
  {
    auto b = bytes;
    b[slas + 5] = 2;
    fix_checksum(b);
    CHECK(bc::deserialize(b, im) == "sla 0: unknown unit 0 or promise flag 2");
  }
  {
    auto b = bytes;
    b[slas + 4] = 2;  // WorkDays: a known unit
    fix_checksum(b);
    CHECK(bc::deserialize(b, im) == "");
    CHECK(im.slas[0].unit == bc::DurationUnit::WorkDays);
  }
}

TEST_CASE("verify refuses an SLA with an unknown duration unit or promise flag") {
  bc::Image im = good();
  im.slas[0].unit = static_cast<bc::DurationUnit>(3);
  CHECK(bc::verify(im) == "sla 0: unknown unit 3 or promise flag 0");
  im = good();
  im.slas[1].promise = 2;
  CHECK(bc::verify(im) == "sla 1: unknown unit 1 or promise flag 2");
}

TEST_CASE("disassemble shows asks, SLAs, flows and the calendar") {
  const bc::Image im = good();
  const std::string out = bc::disassemble(im);
  CHECK(out.find("digits(4)") != std::string::npos);
  CHECK(out.find("time = 09:05") != std::string::npos);
  CHECK(out.find("  ask tail  line") != std::string::npos);
  CHECK(out.find("slas (2)") != std::string::npos);
  CHECK(out.find("60000 ms  breach 7") != std::string::npos);
  CHECK(out.find("3600000 ms of work time  promise (fires at 80 %)  breach 8") != std::string::npos);
  CHECK(out.find("calendar (") != std::string::npos);
  CHECK(out.find("filled -> done") != std::string::npos);
  CHECK(out.find("-> call f.a then (caller)") != std::string::npos);
  CHECK(out.find("flow f handlers:") != std::string::npos);
  CHECK(out.find("sla reply breach:") != std::string::npos);
  CHECK(out.find("breach [action @") != std::string::npos);
  CHECK(out.find("SlaStart 0      ; reply") != std::string::npos);
  // Bad indices are shown, never followed.
  bc::Image bad = good();
  bad.ask_slots[0] = 77;
  bad.slas[0].breach = 1000;
  bad.slas[1].unit = static_cast<bc::DurationUnit>(9);
  bad.states[0].entry = assemble(bad.code, {{Op::SlaStart, 50}, {Op::Ret}});
  const std::string shown = bc::disassemble(bad);
  CHECK(shown.find("ask ?") != std::string::npos);
  CHECK(shown.find("<sla out of range>") != std::string::npos);
}
