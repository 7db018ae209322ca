// What a session holds and hands over: inputs, effects, guards, choices, rendered prompts,
// names and statuses, on small hand-assembled programs.
#include "session_fixture.h"

using namespace callscript;
using namespace callscript::test;

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
  // A blank text from the host is refused: "" is a text slot's "not given yet".
  CHECK(s.input(text, "", t) == Status::BadValue);
  CHECK(s.input(text, "\u3000", t) == Status::BadValue);
  CHECK(s.slot_text(text) == "张三 ✓");

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
  CHECK(cs[0].target == "question");  // the vip guard is false
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
       {"script test", "format 2.2", "locale zh-CN", "count            number = 0  host",
        "kind             enum(query, complaint) = query", "hangup           \"挂机\"",
        "greet.1", "\"您好{name}，请问有什么可以帮您？\"", "log(count)", "timeout",
        "final no_contact", "on go [guard @", "-> vip_desk", "on help [action @", "-> (stay)",
        "after 30000 ms -> timeout", "when [guard @", "script handlers:",
        "Say      0      ; greet.1 \"您好{name}", "Load     1      ; count", "Emit     0      ; log/1",
        "PushInt  -5", "PushBool 1", "Add", "Eq", "Ret", "== state greet entry @0000 =="})
    CHECK_MESSAGE(out.find(want) != std::string::npos, want);
}
