// The interpreter's behaviour as a host sees it, on small hand-assembled programs.
#include <callscript/program.h>
#include <callscript/session.h>

#include <doctest/doctest.h>

#include "runtime_image.h"

using namespace callscript;
using namespace callscript::test;
using std::chrono::milliseconds;

namespace {

std::shared_ptr<const Program> make(const ImageBuilder& b) {
  LoadResult r = Program::from_image(b.build());
  INFO("load error: " << r.error);
  REQUIRE(r.program);
  return r.program;
}

Instant at(std::int64_t ms) { return Instant(milliseconds(ms)); }

std::vector<std::string> said(const Session& s) {
  std::vector<std::string> ids;
  for (const RenderedPrompt& p : s.prompts()) ids.emplace_back(p.id);
  return ids;
}
using Ids = std::vector<std::string>;

// A consult-shaped script used by several cases:
//   slots   name:text, count:number = 0, kind:enum(query, complaint), vip:bool
//   greet   entry: say greet.1
//           on go [vip] -> vip_desk
//           on go -> ask
//           on help: say help.1                (stays)
//           after 30000ms -> timeout
//   ask     entry: say ask.1;  on go -> done
//   vip_desk entry: say vip.1; on go -> done
//   timeout final no_contact;  done final resolved
//   handlers: on hangup -> hung (final abandoned); on help -> ask; on note: emit log(count)
struct Consult {
  ImageBuilder b;
  std::uint32_t name, count, kind, vip;
  std::uint32_t hangup, go, help, note;
  std::uint32_t greet, ask, vip_desk, timeout, done, hung;
  Consult() {
    name = b.slot("name", bc::SlotType::Text);
    count = b.slot("count", bc::SlotType::Number);
    kind = b.enum_slot("kind", {"query", "complaint"});
    vip = b.slot("vip", bc::SlotType::Bool);
    hangup = b.event("hangup", "挂机");
    go = b.event("go", "继续");
    help = b.event("help");
    note = b.event("note");
    const auto p_greet = b.prompt("greet.1", "您好{name}，请问有什么可以帮您？");
    const auto p_help = b.prompt("help.1", "请说出您的问题。");
    const auto p_ask = b.prompt("ask.1", "好的，请讲。");
    const auto p_vip = b.prompt("vip.1", "尊贵的客户您好。");
    const auto log = b.effect("log", {"count"});
    greet = b.state("greet", b.code({{Op::Say, p_greet}, {Op::Ret}}));
    ask = b.state("ask", b.code({{Op::Say, p_ask}, {Op::Ret}}));
    vip_desk = b.state("vip_desk", b.code({{Op::Say, p_vip}, {Op::Ret}}));
    timeout = b.state("timeout", kNone, "no_contact");
    done = b.state("done", kNone, "resolved");
    hung = b.state("hung", kNone, "abandoned");
    b.on(greet, go, vip_desk, b.code({{Op::Load, vip}, {Op::Ret}}));
    b.on(greet, go, ask);
    b.on(greet, help, kNone, kNone, b.code({{Op::Say, p_help}, {Op::Ret}}));
    b.after(greet, 30000, timeout);
    b.on(ask, go, done);
    b.on(vip_desk, go, done);
    b.handler(hangup, hung);
    b.handler(help, ask);
    b.handler(note, kNone, kNone, b.code({{Op::Load, count}, {Op::Emit, log}, {Op::Ret}}));
  }
};

}  // namespace

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
  CHECK(plain.state_name() == "ask");
  CHECK(said(plain) == Ids{"ask.1"});

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
  CHECK(s.state_name() == "ask");
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
  CHECK(s.state_name() == "ask");
  CHECK(said(s) == Ids{"ask.1"});
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
  b.when(a, c);
  b.when(c, a);
  auto p = make(b);
  Session s(*p);
  CHECK(s.start(at(0)) == Status::StepLimit);
  CHECK(s.started());
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
  CHECK(s.state_name() == "ask");
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

TEST_CASE("input parses every slot type and refuses bad values without a change") {
  ImageBuilder b;
  const auto pin = b.slot("pin", bc::SlotType::Digits, 0, kNone, 4);
  const auto code = b.slot("code", bc::SlotType::Digits);
  const auto n = b.slot("n", bc::SlotType::Number, 7);
  const auto ok = b.slot("ok", bc::SlotType::Bool);
  const auto kind = b.enum_slot("kind", {"query", "complaint", "投诉"});
  const auto text = b.slot("text", bc::SlotType::Text, 0, b.str("初始"));
  b.state("a");
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  const Instant t = at(1);

  CHECK(s.input(pin, "0571", t) == Status::Ok);
  CHECK(s.slot_text(pin) == "0571");
  for (const char* bad : {"057", "05711", "05a1", "", "٠٥٧١", " 057"})
    CHECK_MESSAGE(s.input(pin, bad, t) == Status::BadValue, bad);
  CHECK(s.slot_text(pin) == "0571");
  CHECK(s.input(code, "1", t) == Status::Ok);
  CHECK(s.input(code, "", t) == Status::BadValue);

  CHECK(s.input(n, "-42", t) == Status::Ok);
  CHECK(s.slot_text(n) == "-42");
  CHECK(s.input(n, "9223372036854775807", t) == Status::Ok);
  for (const char* bad : {"", "-", "+1", "12x", "1.5", "9223372036854775808", " 1"})
    CHECK_MESSAGE(s.input(n, bad, t) == Status::BadValue, bad);
  CHECK(s.slot_text(n) == "9223372036854775807");

  for (const char* yes : {"true", "yes", "1", "是"}) {
    CHECK(s.input(ok, "false", t) == Status::Ok);
    CHECK(s.input(ok, yes, t) == Status::Ok);
    CHECK(s.slot_text(ok) == "true");
  }
  for (const char* no : {"false", "no", "0", "否"}) {
    CHECK(s.input(ok, "true", t) == Status::Ok);
    CHECK(s.input(ok, no, t) == Status::Ok);
    CHECK(s.slot_text(ok) == "false");
  }
  CHECK(s.input(ok, "TRUE", t) == Status::BadValue);

  CHECK(s.slot_text(kind) == "query");
  CHECK(s.input(kind, "投诉", t) == Status::Ok);
  CHECK(s.slot_text(kind) == "投诉");
  CHECK(s.input(kind, "Complaint", t) == Status::BadValue);
  CHECK(s.slot_text(kind) == "投诉");

  CHECK(s.slot_text(text) == "初始");
  CHECK(s.input(text, "张三 ✓", t) == Status::Ok);
  CHECK(s.slot_text(text) == "张三 ✓");
  CHECK(s.input(text, "bad \xFF byte", t) == Status::BadValue);
  CHECK(s.input(text, "", t) == Status::Ok);
  CHECK(s.slot_text(text) == "");

  CHECK(s.input(SlotId{42}, "1", t) == Status::UnknownSlot);
  CHECK(s.slot_text(SlotId{42}) == "");
}

TEST_CASE("effects carry their arguments in order and are handed over once") {
  ImageBuilder b;
  const auto name = b.slot("name", bc::SlotType::Text, 0, b.str("李四"));
  const auto n = b.slot("n", bc::SlotType::Number, 5);
  const auto kind = b.enum_slot("kind", {"query", "complaint"}, 1);
  const auto e = b.event("e");
  const auto ticket = b.effect("create_ticket", {"who", "n", "urgent", "kind", "channel"});
  const auto ping = b.effect("ping", {});
  const auto a = b.state(
      "a", b.code({{Op::Load, name}, {Op::Load, n}, {Op::PushInt, 1}, {Op::Sub},
                   {Op::PushBool, 1}, {Op::Load, kind}, {Op::PushStr, b.str("电话")},
                   {Op::Emit, ticket}, {Op::Emit, ping}, {Op::Ret}}));
  b.on(a, e, kNone, kNone, b.code({{Op::Emit, ping}, {Op::PushStr, b.str("王五")}, {Op::Store, name}, {Op::Ret}}));
  auto p = make(b);
  Session s(*p);
  s.start(at(0));

  auto fx = s.take_effects();
  REQUIRE(fx.size() == 2);
  CHECK(fx[0].name == "create_ticket");
  REQUIRE(fx[0].args.size() == 5);
  CHECK(fx[0].args[0].name == "who");
  CHECK(fx[0].args[0].kind == ValueKind::Text);
  CHECK(fx[0].args[0].text == "李四");
  CHECK(fx[0].args[1].name == "n");
  CHECK(fx[0].args[1].kind == ValueKind::Int);
  CHECK(fx[0].args[1].number == 4);
  CHECK(fx[0].args[2].kind == ValueKind::Bool);
  CHECK(fx[0].args[2].number == 1);
  // An enum slot's value goes to the host as its member name, with the index kept in `number`.
  CHECK(fx[0].args[3].kind == ValueKind::Text);
  CHECK(fx[0].args[3].text == "complaint");
  CHECK(fx[0].args[3].number == 1);
  CHECK(fx[0].args[4].text == "电话");
  CHECK(fx[1].name == "ping");
  CHECK(fx[1].args.empty());
  CHECK(s.take_effects().empty());  // handed over once

  // Untaken effects accumulate across steps; text arguments are captured when emitted.
  CHECK(s.send(e, at(1)) == Status::Ok);
  CHECK(s.send(e, at(2)) == Status::Ok);
  CHECK(s.slot_text(name) == "王五");
  fx = s.take_effects();
  CHECK(fx.size() == 2);
  CHECK(s.send(e, at(3)) == Status::Ok);
  fx = s.take_effects();
  CHECK(fx.size() == 1);
}

TEST_CASE("text stores handle a slot copied onto itself and onto another") {
  ImageBuilder b;
  const auto x = b.slot("x", bc::SlotType::Text, 0, b.str("a fairly long initial text value"));
  const auto y = b.slot("y", bc::SlotType::Text);
  const auto e = b.event("e");
  const auto a = b.state("a");
  b.on(a, e, kNone, kNone,
       b.code({{Op::Load, x}, {Op::Store, x}, {Op::Load, x}, {Op::Store, y}, {Op::Ret}}));
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.send(e, at(1)) == Status::Ok);
  CHECK(s.slot_text(x) == "a fairly long initial text value");
  CHECK(s.slot_text(y) == "a fairly long initial text value");
}

TEST_CASE("guards compare text, ints and bools") {
  ImageBuilder b;
  const auto name = b.slot("name", bc::SlotType::Text);
  const auto n = b.slot("n", bc::SlotType::Number, 3);
  const auto e = b.event("e");
  const auto a = b.state("a");
  const auto hit = b.state("hit", kNone, "hit");
  // name == "张三" and (n + 2 - 1 == 4) and not (n > 3) or false
  b.on(a, e, hit,
       b.code({{Op::Load, name}, {Op::PushStr, b.str("张三")}, {Op::Eq}, {Op::Load, n},
               {Op::PushInt, 2}, {Op::Add}, {Op::PushInt, 1}, {Op::Sub}, {Op::PushInt, 4},
               {Op::Eq}, {Op::And}, {Op::Load, n}, {Op::PushInt, 3}, {Op::Gt}, {Op::Not},
               {Op::And}, {Op::PushBool, 0}, {Op::Or}, {Op::Ret}}));
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  CHECK(s.send(e, at(1)) == Status::NotPermitted);
  CHECK(s.input(name, "张三", at(2)) == Status::Ok);
  CHECK(s.send(e, at(3)) == Status::Ok);
  CHECK(s.outcome() == "hit");
}

TEST_CASE("choices list each permitted event once, as send would pick it") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  CHECK(s.choices().empty());
  s.start(at(0));
  const auto cs = s.choices();
  REQUIRE(cs.size() == 4);
  CHECK(cs[0].name == "go");
  CHECK(cs[0].label == "继续");
  CHECK(cs[0].target == "ask");  // the vip guard is false
  CHECK(cs[0].leaves_state);
  CHECK(cs[1].name == "help");
  CHECK(cs[1].label == "help");
  CHECK(cs[1].target.empty());  // greet's own help stays; it shadows the handler
  CHECK(!cs[1].leaves_state);
  CHECK(cs[2].name == "hangup");
  CHECK(cs[2].label == "挂机");
  CHECK(cs[2].target == "hung");
  CHECK(cs[3].name == "note");
  s.input(c.vip, "true", at(1));
  CHECK(s.choices()[0].target == "vip_desk");
}

TEST_CASE("a final state ends the session and refuses everything after") {
  Consult c;
  auto p = make(c.b);
  Session s(*p);
  s.start(at(0));
  s.send(c.go, at(1));
  s.send(c.go, at(2));
  CHECK(s.ended());
  CHECK(s.outcome() == "resolved");
  CHECK(s.state_name() == "done");
  CHECK(s.send(c.hangup, at(3)) == Status::Ended);
  CHECK(s.input(c.count, "1", at(3)) == Status::Ended);
  CHECK(s.advance(at(99999)) == Status::Ended);
  CHECK(!s.next_deadline());
  CHECK(s.choices().empty());

  ImageBuilder b;
  b.state("only", kNone, "instant");
  auto q = make(b);
  Session t(*q);
  CHECK(t.start(at(0)) == Status::Ok);
  CHECK(t.ended());
  CHECK(t.outcome() == "instant");
}

TEST_CASE("prompts render slot values with ICU MessageFormat in the script's locale") {
  ImageBuilder b("render", "zh-CN");
  const auto name = b.slot("surname", bc::SlotType::Text, 0, b.str("王"));
  const auto gender = b.enum_slot("gender", {"male", "female", "unknown"}, 1);
  b.slot("n", bc::SlotType::Number, 1234567);
  b.slot("vip", bc::SlotType::Bool, 1);
  b.slot("phone", bc::SlotType::Digits, 0, b.str("0571"), 4);
  const auto p1 = b.prompt(
      "greet.1", "{surname}{gender, select, male {先生} female {女士} other {}}，您好！");
  const auto p2 = b.prompt("count.1",
                           "第{n, number, integer}次{vip, select, true {贵宾} other {客户}}，"
                           "尾号{phone}，'{'原样'}'");
  const auto p3 = b.prompt("plural.1", "{n, plural, one {一项} other {#项}}");
  const auto e = b.event("e");
  const auto a = b.state("a", b.code({{Op::Say, p1}, {Op::Say, p2}, {Op::Ret}}));
  b.on(a, e, kNone, kNone, b.code({{Op::PushInt, 2}, {Op::Store, gender}, {Op::Say, p3}, {Op::Ret}}));
  auto p = make(b);
  Session s(*p);
  s.start(at(0));
  auto r = s.prompts();
  REQUIRE(r.size() == 2);
  CHECK(r[0].id == "greet.1");
  CHECK(r[0].text == "王女士，您好！");
  CHECK(r[1].text == "第1,234,567次贵宾，尾号0571，{原样}");
  REQUIRE(s.input(name, "李", at(1)) == Status::Ok);
  CHECK(s.prompts()[0].text == "李女士，您好！");  // rendered on demand, with today's values
  CHECK(s.send(e, at(2)) == Status::Ok);
  r = s.prompts();
  REQUIRE(r.size() == 1);
  CHECK(r[0].text == "1,234,567项");
}

TEST_CASE("slot_text and the Program's name lookups") {
  Consult c;
  auto p = make(c.b);
  CHECK(p->event_id("go") == c.go);
  CHECK(!p->event_id("nope"));
  CHECK(p->slot_id("kind") == c.kind);
  CHECK(p->state_id("vip_desk") == c.vip_desk);
  CHECK(p->event_label(c.help) == "help");
  CHECK(p->event_label(c.hangup) == "挂机");
  CHECK(p->text_slot_count() == 1);
  CHECK(p->int_slot_count() == 3);
  CHECK(p->slot_storage(c.name) == 0);
  CHECK(p->slot_storage(c.vip) == 2);
  Session s(*p);
  s.start(at(0));
  CHECK(s.slot_text(c.name) == "");
  CHECK(s.slot_text(c.count) == "0");
  CHECK(s.slot_text(c.kind) == "query");
  CHECK(s.slot_text(c.vip) == "false");
}

TEST_CASE("every status has a name") {
  CHECK(to_string(Status::Ok) == "ok");
  CHECK(to_string(Status::NotPermitted) == "not permitted");
  CHECK(to_string(Status::UnknownEvent) == "unknown event");
  CHECK(to_string(Status::UnknownSlot) == "unknown slot");
  CHECK(to_string(Status::BadValue) == "bad value");
  CHECK(to_string(Status::Ended) == "ended");
  CHECK(to_string(Status::NotStarted) == "not started");
  CHECK(to_string(Status::AlreadyStarted) == "already started");
  CHECK(to_string(Status::StepLimit) == "step limit");
}

TEST_CASE("disassemble lists the tables and every block with resolved operands") {
  Consult c;
  ImageBuilder& b = c.b;
  const auto extra = b.state("extra", b.code({{Op::PushInt, -5}, {Op::PushInt, 2}, {Op::Add},
                                               {Op::Store, c.count}, {Op::Ret}}));
  b.when(extra, c.done, b.code({{Op::Load, c.vip}, {Op::PushBool, 1}, {Op::Eq}, {Op::Ret}}));
  const std::string out = bc::disassemble(b.build());
  for (const char* want :
       {"script test", "format 1.0", "locale zh-CN", "count            number = 0",
        "kind             enum(query, complaint) = query", "hangup           \"挂机\"",
        "greet.1", "\"您好{name}，请问有什么可以帮您？\"", "log(count)", "timeout",
        "final no_contact", "on go [guard @", "-> vip_desk", "on help [action @", "-> (stay)",
        "after 30000ms -> timeout", "when [guard @", "script handlers:",
        "Say      0      ; greet.1 \"您好{name}", "Load     1      ; count", "Emit     0      ; log/1",
        "PushInt  -5", "PushBool 1", "Add", "Eq", "Ret", "== state greet entry @0000 =="})
    CHECK_MESSAGE(out.find(want) != std::string::npos, want);
}
