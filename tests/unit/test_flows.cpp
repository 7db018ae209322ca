// Flows end to end: call, return to the caller or to `then`, nested calls, handlers inside a
// flow, and the call stack's fixed bound on hostile bytecode.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>


namespace cs = callscript;

namespace {

std::shared_ptr<const cs::Program> ok_flows() {
  return cs::test::load_through_bytes(cs::test::compile_repo_file("tests/scripts/ok_flows.call"));
}

cs::Instant at(int s) { return cs::Instant(std::chrono::seconds(s)); }

}  // namespace

TEST_CASE("a called flow returns to the calling state, whose entry actions run again") {
  auto p = ok_flows();
  cs::Session s(*p);
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  CHECK(s.send(*p->event_id("angry"), at(1)) == cs::Status::Ok);
  CHECK(s.state_name() == "calm_down.soothe");
  CHECK(s.prompts()[0].id == "calm_down.soothe.1");
  // The flow's return shows as a choice leading back to the caller.
  bool found = false;
  for (const auto& c : s.choices())
    if (c.name == "calmed") found = c.target == "listen" && c.leaves_state;
  CHECK(found);
  CHECK(s.send(*p->event_id("calmed"), at(2)) == cs::Status::Ok);
  CHECK(s.state_name() == "listen");
  CHECK(s.prompts()[0].text == "您的意思是这样，对吗？");
}

TEST_CASE("call ... then returns to the named state") {
  auto p = ok_flows();
  cs::Session s(*p);
  s.start(at(0));
  CHECK(s.send(*p->event_id("look_up"), at(1)) == cs::Status::Ok);
  CHECK(s.state_name() == "hold.wait");
  CHECK(s.prompts()[0].text == "请您稍等，我帮您查询。");
  CHECK(s.send(*p->event_id("found"), at(2)) == cs::Status::Ok);
  CHECK(s.state_name() == "answer");
  CHECK(s.prompts()[0].text == "感谢您的耐心等待。");
}

TEST_CASE("nested flows return innermost first, eventless returns included") {
  auto p = ok_flows();
  cs::Session s(*p);
  s.start(at(0));
  s.send(*p->event_id("angry"), at(1));
  CHECK(s.send(*p->event_id("escalate"), at(2)) == cs::Status::Ok);
  CHECK(s.state_name() == "supervisor.take_over");
  // take_over -> done, whose eventless `-> return` goes back to soothe at once.
  CHECK(s.send(*p->event_id("calmed"), at(3)) == cs::Status::Ok);
  CHECK(s.state_name() == "calm_down.soothe");
  CHECK(s.send(*p->event_id("calmed"), at(4)) == cs::Status::Ok);
  CHECK(s.state_name() == "listen");
  // With the stack empty, nothing in `listen` returns.
  CHECK(s.send(*p->event_id("found"), at(5)) == cs::Status::NotPermitted);
}

TEST_CASE("a flow's own transition overrides the script's handler, and final states end the call from a flow") {
  auto p = ok_flows();
  {
    cs::Session s(*p);
    s.start(at(0));
    s.send(*p->event_id("angry"), at(1));
    s.send(*p->event_id("escalate"), at(2));
    CHECK(s.send(*p->event_id("hangup"), at(3)) == cs::Status::Ok);
    CHECK(s.outcome() == "escalated");
  }
  cs::Session s(*p);
  s.start(at(0));
  s.send(*p->event_id("look_up"), at(1));
  CHECK(s.send(*p->event_id("hangup"), at(2)) == cs::Status::Ok);  // the script-wide handler
  CHECK(s.outcome() == "abandoned");
}

TEST_CASE("the disassembler shows calls and returns") {
  auto p = ok_flows();
  const std::string listing = cs::bc::disassemble(p->image());
  CHECK(listing.find("call hold.wait then answer") != std::string::npos);
  CHECK(listing.find("call calm_down.soothe then (caller)") != std::string::npos);
  CHECK(listing.find("-> return") != std::string::npos);
}

TEST_CASE("hostile bytecode cannot overflow the call stack: the verifier refuses calls that could") {
  // A state whose transition calls the state itself: every send would push a frame.
  auto p = ok_flows();
  cs::bc::Image im = p->image();
  for (auto& t : im.transitions)
    if (t.call != cs::bc::kNone) {
      t.call = im.script.start_state;
      t.target = im.script.start_state;
    }
  auto loaded = cs::Program::from_image(std::move(im));
  CHECK_FALSE(loaded.program);
  CHECK(loaded.error.find("which is in no flow") != std::string::npos);

  // A call into the middle of a flow: the flow's summary is of a walk from its first state.
  im = p->image();
  bool moved = false;
  for (auto& t : im.transitions)
    if (t.call != cs::bc::kNone && !moved)
      for (std::uint32_t s = t.call + 1; s < im.states.size() && !moved; ++s)
        if (im.states[s].flow == im.states[t.call].flow) t.call = s, moved = true;
  REQUIRE(moved);
  loaded = cs::Program::from_image(std::move(im));
  CHECK_FALSE(loaded.program);
  CHECK(loaded.error.find("not the first of its flow") != std::string::npos);

  // A flow that calls itself: a cycle, refused whatever the depth it would reach.
  im = p->image();
  for (auto& t : im.transitions)
    if (t.call != cs::bc::kNone) {
      const std::uint32_t first = t.call;
      for (auto& u : im.transitions)
        if (&u != &t && u.target == cs::bc::kReturn) u.call = first, u.target = cs::bc::kNone;
      break;
    }
  loaded = cs::Program::from_image(std::move(im));
  CHECK_FALSE(loaded.program);
  CHECK(loaded.error.find("cycle") != std::string::npos);
}

// Two flows, a script-wide handler that calls one from inside the other, a top-level return point.
constexpr const char* kRounds = R"(script rounds {
  event go "开始"
  event assist "求助"
  event ok "好"
  event again "再来"
  event hangup "客户挂机"
  on hangup -> done
  on assist -> call f then x
  state ringing { on go -> call g then done }
  flow g {
    state w { on ok -> return }
  }
  flow f {
    on assist -> return
    state q { on ok -> return }
  }
  state x { on again -> call g then done }
  final done: completed
})";

TEST_CASE("a call whose return point is top-level leaves every flow on its return, so rounds never pile up frames") {
  // A script-wide handler calls `f` from inside `g`, and `f` returns to a top-level state: `g` is
  // left then, as a top-level target leaves it. Kept on the stack, g's frame would pile up one a
  // round until calls no longer entered `f`.
  const auto image = callscript::test::compile_clean("rounds.call", kRounds);
  const auto p = callscript::test::load_through_bytes(image);
  cs::Session s(*p);
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  REQUIRE(s.send(*p->event_id("go"), at(1)) == cs::Status::Ok);
  for (int round = 0; round < 3 * static_cast<int>(cs::bc::kMaxCallDepth); ++round) {
    INFO(round);
    CHECK(s.send(*p->event_id("assist"), at(2)) == cs::Status::Ok);
    CHECK(s.state_name() == "f.q");
    CHECK(s.send(*p->event_id("ok"), at(3)) == cs::Status::Ok);
    CHECK(s.state_name() == "x");
    CHECK(s.send(*p->event_id("again"), at(4)) == cs::Status::Ok);
    CHECK(s.state_name() == "g.w");
  }
}

TEST_CASE("the verifier keeps every transition in its scope: no step into another flow, no return at the top level") {
  const auto good = callscript::test::compile_clean("rounds.call", kRounds);
  REQUIRE(cs::bc::verify(good).empty());
  const auto in_flow = [&](std::string_view name) {
    for (std::uint32_t s = 0; s < good.states.size(); ++s)
      if (good.str(good.states[s].name) == name) return s;
    FAIL("no state " << name);
    return 0u;
  };
  // g.w's `on ok -> return` retargeted into flow f: a jump the flow summaries would not see.
  cs::bc::Image im = good;
  const cs::bc::State& w = im.states[in_flow("g.w")];
  im.transitions[w.first_transition].target = in_flow("f.q");
  CHECK(cs::bc::verify(im).find("goes to state " + std::to_string(in_flow("f.q")) + " of another flow") != std::string::npos);
  // x's transition turned into a `return` at the top level.
  im = good;
  const cs::bc::State& x = im.states[in_flow("x")];
  im.transitions[x.first_transition].call = cs::bc::kNone;
  im.transitions[x.first_transition].target = cs::bc::kReturn;
  CHECK(cs::bc::verify(im).find("`return` outside a flow") != std::string::npos);
  // The call starting inside a flow.
  im = good;
  im.script.start_state = in_flow("g.w");
  CHECK(cs::bc::verify(im).find("is inside a flow") != std::string::npos);
}
