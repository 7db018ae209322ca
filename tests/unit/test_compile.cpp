// The pipeline end to end: source -> diagnostics / image -> Program -> Session.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "syntax/parse.h"

#include "runtime_image.h"
#include "test_support.h"

#include <doctest/doctest.h>


namespace cs = callscript;
using callscript::test::read_file;

namespace {

std::shared_ptr<const cs::Program> consult() {
  return cs::test::load_through_bytes(cs::test::compile_repo_file("examples/consult.call"));
}

// Compiles `text` as a file with nothing beside it: no import or calendar can be read.
std::optional<cs::bc::Image> compile_alone(const cs::SourceFile& src, cs::Diagnostics& diags) {
  cs::MemorySourceProvider nothing;
  return cs::compile(src, diags, {.sources = nothing});
}

std::vector<cs::Diagnostic> diagnose(const std::string& text) {
  cs::SourceFile src("t.call", text);
  cs::Diagnostics diags(src);
  compile_alone(src, diags);
  return diags.all();
}

cs::Instant at(int seconds) { return cs::Instant(std::chrono::seconds(seconds)); }

}  // namespace

TEST_CASE("source positions count code points, and lines from 1") {
  cs::SourceFile src("f", "ab\n您好x\r\nz");
  CHECK(src.position(0).line == 1);
  CHECK(src.position(3).line == 2);
  CHECK(src.position(3).column == 1);
  CHECK(src.position(9).column == 3);  // 'x' after two three-byte characters
  CHECK(src.line_text(2) == "您好x");
  CHECK(src.line_text(3) == "z");
  CHECK_FALSE(src.invalid_utf8());
}

TEST_CASE("invalid UTF-8 is found at its byte offset") {
  cs::SourceFile src("f", std::string("ok\n\xff\xfe"));
  REQUIRE(src.invalid_utf8());
  CHECK(*src.invalid_utf8() == 3);
  auto d = diagnose(std::string("script a {\n state s { say \"\xe4\xbd\" }\n}"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == cs::Code::E0001);
}

TEST_CASE("a source over the size limit is refused before parsing") {
  std::string big = "script a { state s { on x -> s } }\n";
  big.append(cs::syntax::kMaxSourceBytes, ' ');
  auto d = diagnose(big);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == cs::Code::E0002);
}

TEST_CASE("the caret under CJK text is as wide as the text on screen") {
  cs::SourceFile src("t.call", "script a {\n  state s { say \"您好{nam}\" }\n}\n");
  cs::Diagnostics diags(src);
  compile_alone(src, diags);
  REQUIRE(diags.all().size() >= 1);
  const std::string out = cs::render_human(diags);
  // Before `nam`: 18 ASCII columns and two wide characters; column 21 in code points, but the
  // caret sits under display column 23 (after the gutter's space).
  CHECK(out.find("t.call:2:21: error[E0208]") != std::string::npos);
  CHECK(out.find("\n  | " + std::string(22, ' ') + "^^^\n") != std::string::npos);
}

TEST_CASE("human output has no colour unless asked, and colour when asked") {
  cs::SourceFile src("t.call", "script a { state s { on x -> s } }");
  cs::Diagnostics diags(src);
  compile_alone(src, diags);
  CHECK(cs::render_human(diags).find('\x1b') == std::string::npos);
  CHECK(cs::render_human(diags, {true}).find("\x1b[1;31m") != std::string::npos);
}

TEST_CASE("JSON output carries code, severity, position, notes and help") {
  cs::SourceFile src("t.call", "script a {\n event go\n state s { on go -> s }\n state s { on go -> s }\n}");
  cs::Diagnostics diags(src);
  compile_alone(src, diags);
  const std::string json = cs::render_json(diags);
  CHECK(json.find("\"code\":\"E0204\"") != std::string::npos);
  CHECK(json.find("\"severity\":\"error\"") != std::string::npos);
  CHECK(json.find("\"line\":4,\"column\":8") != std::string::npos);
  CHECK(json.find("\"message\":\"first defined here\",\"file\":\"t.call\",\"line\":3") != std::string::npos);
}

TEST_CASE("closest_name suggests near names only") {
  CHECK(cs::closest_name("gret", {"greet", "close"}) == "greet");
  CHECK_FALSE(cs::closest_name("xyz", {"greet", "close"}));
}

TEST_CASE("several errors are reported in one run") {
  auto d = diagnose("script a {\n event go\n state s { on og -> t }\n state u { on go -> v }\n}");
  // og, t and v undefined; `u` is not also called unreachable, which would only echo the typos.
  CHECK(d.size() == 3);
}

TEST_CASE("the consult example compiles clean and round-trips through bytes") {
  auto p = consult();
  CHECK(p->name() == "consult");
  CHECK(p->title() == "咨询类来电");
  CHECK(p->event_id("hangup"));
  CHECK_FALSE(p->event_id("no_such_event"));
}

TEST_CASE("consult: the complex path opens a ticket and waits for the customer to hang up") {
  auto p = consult();
  cs::Session s(*p);
  auto ev = [&](const char* name) { return *p->event_id(name); };
  auto slot = [&](const char* name) { return *p->slot_id(name); };
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  CHECK(s.state_name() == "ringing");
  CHECK(s.send(ev("pick_up"), at(5)) == cs::Status::Ok);
  REQUIRE(s.prompts().size() == 2);
  CHECK(s.prompts()[0].text == "您好，客服很高兴为您服务，工号是1024，请问有什么可以帮您？");
  CHECK(s.prompts()[0].id == "phrase.greeting");
  // Verification waits until the name and the order digits are given; a bad value is a nomatch
  // (the agent asks again) and input for a slot not asked is refused.
  CHECK(s.send(ev("account_related"), at(10)) == cs::Status::Ok);
  CHECK(s.send(ev("identity_confirmed"), at(11)) == cs::Status::NotPermitted);
  CHECK(s.input(slot("need"), "查询", at(11)) == cs::Status::NotAsked);
  CHECK(s.input(slot("order_tail"), "48a1", at(12)) == cs::Status::NoMatch);
  CHECK(s.prompts()[0].text == "很抱歉，请您再说一遍。");
  CHECK(s.slot_text(slot("order_tail")).empty());
  CHECK(s.input(slot("order_tail"), "4821", at(12)) == cs::Status::Ok);
  CHECK(s.state_name() == "verify");
  CHECK(s.input(slot("customer_name"), "王先生", at(12)) == cs::Status::Ok);
  CHECK(s.state_name() == "verifying");
  CHECK(s.send(ev("identity_confirmed"), at(13)) == cs::Status::Ok);
  CHECK(s.prompts()[0].text == "王先生，感谢您的配合。今天致电是想咨询/反馈哪方面的问题呢？");
  CHECK(s.input(slot("need"), "售后维修进度查询", at(20)) == cs::Status::Ok);
  CHECK(s.prompts()[0].text == "您的意思是，售后维修进度查询，对吗？");
  CHECK(s.send(ev("confirmed"), at(22)) == cs::Status::Ok);
  CHECK(s.send(ev("complex"), at(23)) == cs::Status::Ok);
  auto effects = s.take_effects();
  REQUIRE(effects.size() == 1);
  CHECK(effects[0].name == "create_ticket");
  REQUIRE(effects[0].args.size() == 4);
  CHECK(effects[0].args[1].text == "售后维修进度查询");
  CHECK(effects[0].args[3].number == 1);  // verified
  CHECK(s.input(slot("ticket_no"), "GD1", at(30)) == cs::Status::Ok);
  CHECK(s.send(ev("ticket_created"), at(31)) == cs::Status::Ok);
  CHECK(s.state_name() == "anything_else");
  CHECK(s.prompts()[0].text == "您反馈的问题需要技术部门进一步检测，我已为您创建工单，编号为GD1，预计24小时内会有专人联系您。");
  CHECK(s.send(ev("no_more"), at(40)) == cs::Status::Ok);
  CHECK(s.send(ev("satisfied"), at(41)) == cs::Status::Ok);
  CHECK(s.state_name() == "closing");
  // The agent waits: only the customer's hang-up ends the call here, as resolved.
  CHECK(s.send(ev("pick_up"), at(42)) == cs::Status::NotPermitted);
  CHECK(s.send(ev("hangup"), at(50)) == cs::Status::Ok);
  CHECK(s.ended());
  CHECK(s.outcome() == "resolved");
  CHECK(s.send(ev("hangup"), at(51)) == cs::Status::Ended);
}

TEST_CASE("consult: the fourth unanswered ring reports the 3-ring SLA breach") {
  auto p = consult();
  cs::Session s(*p);
  const auto ring = *p->event_id("ring");
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  for (int i = 0; i < 3; ++i) CHECK(s.send(ring, at(i)) == cs::Status::Ok);
  CHECK(s.take_effects().empty());
  CHECK(s.send(ring, at(4)) == cs::Status::Ok);
  auto effects = s.take_effects();
  REQUIRE(effects.size() == 1);
  CHECK(effects[0].name == "sla_breach");
  CHECK(effects[0].args[1].number == 4);
  CHECK(s.state_name() == "ringing_late");
}

TEST_CASE("consult: a lookup that takes two minutes says the hold phrase again") {
  auto p = consult();
  cs::Session s(*p);
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  auto ev = [&](const char* name) { return *p->event_id(name); };
  s.send(ev("pick_up"), at(1));
  s.input(*p->slot_id("need"), "产品功能咨询", at(2));
  s.send(ev("confirmed"), at(4));
  s.send(ev("simple"), at(5));
  CHECK(s.state_name() == "hold.wait");
  REQUIRE(s.next_deadline());
  CHECK(*s.next_deadline() == at(125));
  CHECK(s.advance(at(124)) == cs::Status::Ok);
  CHECK(s.state_name() == "hold.wait");
  CHECK(s.advance(at(125)) == cs::Status::Ok);
  CHECK(s.state_name() == "hold.wait_more");
  CHECK(s.prompts()[0].text == "感谢您的耐心等待。请您稍等，我帮您查询。");
  CHECK_FALSE(s.next_deadline());
}

TEST_CASE("consult: a hang-up anywhere before closing is abandoned; no voice ends with the outbound calling manual's phrase") {
  auto p = consult();
  {
    cs::Session s(*p);
    s.start(at(0));
    s.send(*p->event_id("pick_up"), at(1));
    CHECK(s.send(*p->event_id("hangup"), at(2)) == cs::Status::Ok);
    CHECK(s.outcome() == "abandoned");
  }
  cs::Session s(*p);
  s.start(at(0));
  s.send(*p->event_id("pick_up"), at(1));
  CHECK(s.send(*p->event_id("no_voice"), at(2)) == cs::Status::Ok);
  CHECK(s.outcome() == "no_contact");
  CHECK(s.prompts()[0].text == "抱歉，我这里听不到您声音，我们将改日与您联系，再见！");
}

// What opcodes.h says of Add and Sub: integer arithmetic is emitted as written, nothing folded;
// only a negated literal is one PushInt, and any other negation is 0 x Sub.
TEST_CASE("integer arithmetic compiles as written: Add and Sub at run time, a negated literal one PushInt") {
  const cs::bc::Image im = cs::test::compile_clean("arith.call", R"(script arith {
  slot n: number
  slot m: number = 5
  event go
  state s {
    on go {
      set n = 1 + 2 - 3
      set n = -m
      set n = -7
    } -> done
  }
  final done: resolved
})");
  using cs::bc::Op;
  const cs::bc::Transition* go = nullptr;
  for (const cs::bc::Transition& t : im.transitions)
    if (t.trigger == cs::bc::Trigger::Event && im.str(im.events[t.event].name) == "go") go = &t;
  REQUIRE(go != nullptr);
  std::vector<std::uint8_t> want;
  cs::test::assemble(want, {{Op::PushInt, 1}, {Op::PushInt, 2}, {Op::Add}, {Op::PushInt, 3}, {Op::Sub}, {Op::Store, 0},
                            {Op::PushInt, 0}, {Op::Load, 1}, {Op::Sub}, {Op::Store, 0},
                            {Op::PushInt, -7}, {Op::Store, 0}, {Op::Ret}});
  REQUIRE(go->action + want.size() <= im.code.size());
  CHECK(std::vector<std::uint8_t>(im.code.begin() + go->action, im.code.begin() + go->action + want.size()) == want);
}
