// The interpreter's steps and timers as a host sees them, on small hand-assembled programs.
#include "session_fixture.h"

using namespace callscript;
using namespace callscript::test;

TEST_CASE("start enters the start state and says its entry prompts") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  CHECK(!s.started());
  CHECK(s.send(c.go, at(0)) == Status::NotStarted);
  CHECK(s.input(c.count, "1", at(0)) == Status::NotStarted);
  CHECK(s.advance(at(0)) == Status::NotStarted);
  CHECK(!s.next_deadline());
  CHECK(s.start(at(1000)) == Status::Ok);
  CHECK(s.started());
  CHECK(s.state_name() == "greet");
  CHECK(said(s) == Ids{"greet.1"});
  CHECK(!s.ended());
  CHECK(s.outcome().empty());
  CHECK(s.start(at(1000)) == Status::AlreadyStarted);
}

TEST_CASE("send takes the first transition whose guard holds, in source order") {
  Consult c;
  auto p = make(c.b);
  Session plain(*p);
  plain.start(at(0));
  CHECK(plain.send(c.go, at(10)) == Status::Ok);
  CHECK(plain.state_name() == "question");
  CHECK(said(plain) == Ids{"question.1"});

  Session vip(*p);
  vip.start(at(0));
  REQUIRE(vip.input(c.vip, "yes", at(5)) == Status::Ok);
  CHECK(vip.send(c.go, at(10)) == Status::Ok);
  CHECK(vip.state_name() == "vip_desk");
}

TEST_CASE("a refused send changes nothing") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(0));
  s.send(c.note, at(1));  // queue an effect that must survive the refusal
  CHECK(s.send(c.go, at(2)) == Status::Ok);
  CHECK(s.state_name() == "question");
  CHECK(s.send(c.note, at(3)) == Status::Ok);
  const Ids before = said(s);
  CHECK(s.send(EventId{99}, at(4)) == Status::UnknownEvent);
  CHECK(said(s) == before);
  CHECK(s.take_effects().size() == 2);

  // An event with no transition anywhere, and one whose only transition's guard is false.
  ImageBuilder b;
  const auto e = b.event("e");
  b.event("other");
  const auto a = b.state("a", b.code({{Op::Say, b.prompt("a.1", "A")}, {Op::Ret}}));
  b.on(a, e, kNone, b.code({{Op::PushBool, 0}, {Op::Ret}}));
  auto q = make(b);
  Session t(*q);
  t.start(at(0));
  CHECK(t.send(1, at(1)) == Status::NotPermitted);
  CHECK(t.send(e, at(1)) == Status::NotPermitted);  // its guard is false
  CHECK(said(t) == Ids{"a.1"});
  CHECK(t.state_name() == "a");
}

TEST_CASE("a state's own transition comes before a script handler for the same event") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.send(c.help, at(1)) == Status::Ok);  // greet's own `on help` stays and says help.1
  CHECK(s.state_name() == "greet");
  CHECK(said(s) == Ids{"help.1"});
  CHECK(s.send(c.go, at(2)) == Status::Ok);
  CHECK(s.send(c.help, at(3)) == Status::Ok);  // ask has none: the handler goes to ask again
  CHECK(s.state_name() == "question");
  CHECK(said(s) == Ids{"question.1"});
  CHECK(s.send(c.hangup, at(4)) == Status::Ok);
  CHECK(s.ended());
  CHECK(s.outcome() == "abandoned");
}

TEST_CASE("a step that says nothing and enters no state keeps the current prompt") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.send(c.note, at(1)) == Status::Ok);  // handler: emit only, stays
  CHECK(said(s) == Ids{"greet.1"});
  CHECK(s.state_name() == "greet");
  CHECK(s.input(c.name, "王", at(2)) == Status::Ok);
  CHECK(said(s) == Ids{"greet.1"});
  CHECK(s.prompts()[0].text == "您好王，请问有什么可以帮您？");
}

TEST_CASE("a staying transition keeps the state's timers running") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(1000));
  REQUIRE(s.next_deadline() == at(31000));
  CHECK(s.send(c.help, at(20000)) == Status::Ok);
  CHECK(s.next_deadline() == at(31000));
  CHECK(s.advance(at(31000)) == Status::Ok);
  CHECK(s.outcome() == "no_contact");
  CHECK(!s.next_deadline());
}

TEST_CASE("prompts said by an action and by the states entered in one step all show, in order") {
  ImageBuilder b;
  const auto e = b.event("e");
  const auto p1 = b.prompt("a.1", "A"), p2 = b.prompt("t.1", "T"), p3 = b.prompt("b.1", "B"),
             p4 = b.prompt("c.1", "C");
  const auto a = b.state("a", b.code({{Op::Say, p1}, {Op::Ret}}));
  const auto bb = b.state("b", b.code({{Op::Say, p3}, {Op::Ret}}));
  const auto cc = b.state("c", b.code({{Op::Say, p4}, {Op::Ret}}));
  b.state("unused");
  b.on(a, e, bb, kNone, b.code({{Op::Say, p2}, {Op::Ret}}));
  b.when(bb, cc);
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(said(s) == Ids{"a.1"});
  CHECK(s.send(e, at(1)) == Status::Ok);
  CHECK(said(s) == Ids{"t.1", "b.1", "c.1"});
  CHECK(s.state_name() == "c");
}

TEST_CASE("eventless transitions follow guards, from start and after input") {
  ImageBuilder b;
  const auto n = b.slot("n", bc::SlotType::Number);
  const auto wait = b.state("wait");
  const auto small = b.state("small", kNone, "small");
  const auto big = b.state("big", kNone, "big");
  b.when(wait, big, b.code({{Op::Load, n}, {Op::PushInt, 10}, {Op::Ge}, {Op::Ret}}));
  b.when(wait, small, b.code({{Op::Load, n}, {Op::PushInt, 0}, {Op::Lt}, {Op::Ret}}));
  auto p = make(b);
  Session s(*p);
  CHECK(s.start(at(0)) == Status::Ok);
  CHECK(s.state_name() == "wait");
  CHECK(s.input(n, "5", at(1)) == Status::Ok);
  CHECK(s.state_name() == "wait");
  CHECK(s.input(n, "12", at(2)) == Status::Ok);
  CHECK(s.outcome() == "big");
  CHECK(s.input(n, "1", at(3)) == Status::Ended);

  Session t(*p);
  t.start(at(0));
  CHECK(t.input(n, "-3", at(1)) == Status::Ok);
  CHECK(t.outcome() == "small");
}

TEST_CASE("an eventless cycle stops at the step bound") {
  ImageBuilder b;
  const auto a = b.state("a");
  const auto c = b.state("b");
  const auto leak = b.event("leak");
  b.when(a, c);
  b.when(c, a);
  b.on(c, leak, a);
  auto p = make(b);
  Session s(*p);
  CHECK(s.start(at(0)) == Status::StepLimit);
  CHECK(s.started());
  // Stuck in a state that never waits, where the proofs take it that nothing fires: every later
  // step is refused, not taken.
  const StateId stuck = s.state();
  CHECK(s.send(leak, at(1)) == Status::StepLimit);
  CHECK(s.advance(at(2)) == Status::StepLimit);
  CHECK(s.state() == stuck);
}

TEST_CASE("timers fire in deadline order, counting from the deadline that entered the state") {
  ImageBuilder b;
  const auto tick = b.effect("tick", {"n"});
  const auto n = b.slot("n", bc::SlotType::Number);
  const auto p_x = b.prompt("x.1", "X");
  const auto a = b.state("a");
  const auto x = b.state("x", b.code({{Op::Say, p_x}, {Op::Ret}}));
  const auto y = b.state("y");
  const auto z = b.state("z", kNone, "late");
  // Source order is not deadline order: the 3000ms timer stays and emits, the 5000ms one leaves.
  b.after(a, 5000, x);
  b.after(a, 3000, kNone, kNone,
          b.code({{Op::Load, n}, {Op::PushInt, 1}, {Op::Add}, {Op::Store, n}, {Op::Load, n},
                  {Op::Emit, tick}, {Op::Ret}}));
  b.after(x, 1000, y);
  b.after(y, 500, z);
  auto p = make(b);
  Session s(*p);
  s.start(at(10000));
  CHECK(s.next_deadline() == at(13000));
  CHECK(s.advance(at(12999)) == Status::Ok);
  CHECK(s.take_effects().empty());
  CHECK(s.advance(at(13000)) == Status::Ok);
  CHECK(s.state_name() == "a");
  auto fx = s.take_effects();
  REQUIRE(fx.size() == 1);
  CHECK(fx[0].args[0].number == 1);
  CHECK(s.next_deadline() == at(15000));
  // Late by far: x is entered at 15000, so y at 16000 and z at 16500, all in this call.
  CHECK(s.advance(at(16200)) == Status::Ok);
  CHECK(s.state_name() == "y");
  CHECK(said(s) == Ids{"x.1"});
  CHECK(s.next_deadline() == at(16500));
  CHECK(s.advance(at(16500)) == Status::Ok);
  CHECK(s.outcome() == "late");
  CHECK(s.advance(at(20000)) == Status::Ended);
  CHECK(s.slot_text(n) == "1");
}

TEST_CASE("equal deadlines fire in source order") {
  ImageBuilder b;
  const auto a = b.state("a");
  const auto first = b.state("first", kNone, "first");
  const auto second = b.state("second", kNone, "second");
  b.after(a, 1000, second, b.code({{Op::PushBool, 0}, {Op::Ret}}));  // due, but its guard fails
  b.after(a, 1000, first);
  b.after(a, 1000, second);
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.advance(at(1000)) == Status::Ok);
  CHECK(s.outcome() == "first");
}

TEST_CASE("a timer whose guard fails is spent, and re-entering a state rearms its timers") {
  ImageBuilder b;
  const auto again = b.event("again");
  const auto a = b.state("a");
  const auto z = b.state("z", kNone, "z");
  b.after(a, 1000, z, b.code({{Op::PushBool, 0}, {Op::Ret}}));
  b.on(a, again, a);  // a self-transition leaves and re-enters
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.advance(at(1500)) == Status::Ok);
  CHECK(s.state_name() == "a");
  CHECK(!s.next_deadline());
  CHECK(s.send(again, at(2000)) == Status::Ok);
  CHECK(s.next_deadline() == at(3000));
}

TEST_CASE("leaving a state cancels its timers") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(0));
  s.send(c.go, at(100));
  CHECK(!s.next_deadline());
  CHECK(s.advance(at(60000)) == Status::Ok);
  CHECK(s.state_name() == "question");
}

TEST_CASE("zero-delay timers chasing each other stop at a limit") {
  ImageBuilder b;
  const auto a = b.state("a");
  const auto c = b.state("b");
  b.after(a, 0, c);
  b.after(c, 0, a);
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.advance(at(0)) == Status::StepLimit);
}
