// Slots marked `pii`: the mark reaches the bytecode, effects carry it per argument, the verifier
// refuses unknown flags, and what callc prints masks the values.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

namespace cs = callscript;

namespace {

const char* kScript = R"(script verify {
  slot phone: digits(11) pii host
  slot name: text
  event given "客户提供手机号"
  event hangup "客户挂机"
  effect verify_account(phone: digits pii, name: text, known: bool)
  state question {
    say "为了保证信息安全，能否提供一下您的注册手机号？"
    on given when phone != "" { emit verify_account(phone: phone, name: name, known: phone != "") } -> done
    on hangup -> done
  }
  final done: resolved
})";

cs::bc::Image compile_ok(const std::string& text) { return cs::test::compile_clean("verify.call", text); }

}  // namespace

TEST_CASE("a pii slot is marked in the program and in the effects that carry its value") {
  auto loaded = cs::Program::load(cs::bc::serialize(compile_ok(kScript)));
  REQUIRE(loaded.program);
  const cs::Program& p = *loaded.program;
  CHECK(p.slot_is_pii(*p.slot_id("phone")));
  CHECK_FALSE(p.slot_is_pii(*p.slot_id("name")));
  CHECK(cs::bc::disassemble(p.image()).find("digits(11)  pii") != std::string::npos);

  cs::Session s(p);
  s.start(cs::Instant{});
  REQUIRE(s.input(*p.slot_id("phone"), "13800138000", cs::Instant{}) == cs::Status::Ok);
  REQUIRE(s.send(*p.event_id("given"), cs::Instant{}) == cs::Status::Ok);
  auto effects = s.take_effects();
  REQUIRE(effects.size() == 1);
  REQUIRE(effects[0].args.size() == 3);
  CHECK(effects[0].args[0].pii);
  CHECK(effects[0].args[0].text == "13800138000");  // the host gets the value, and the mark
  CHECK_FALSE(effects[0].args[1].pii);
  CHECK_FALSE(effects[0].args[2].pii);  // a bool computed from it is not the value itself
}

TEST_CASE("the verifier refuses slot flags it does not know") {
  cs::bc::Image im = compile_ok(kScript);
  im.slots[0].flags = 0x80;
  auto loaded = cs::Program::from_image(std::move(im));
  CHECK_FALSE(loaded.program);
  CHECK(loaded.error.find("unknown flags") != std::string::npos);
}

TEST_CASE("callc run masks pii values in echoed inputs, slot listings and effects") {
  const std::string dir = "/tmp/callc_pii_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/verify.call") << kScript;
  std::ofstream(dir + "/events") << "input phone 13800138000\nslots\ngiven\n";
  const auto r = callscript::test::run_callc("run --events " + dir + "/events " + dir + "/verify.call");
  CHECK(r.status == 0);
  CHECK(r.out.find("13800138000") == std::string::npos);
  CHECK(r.out.find("> input phone ******") != std::string::npos);
  CHECK(r.out.find("  phone = ******") != std::string::npos);
  CHECK(r.out.find("verify_account(phone: ******, name: \"\", known: true)") != std::string::npos);
}
