// callc as its users run it: exit codes, output streams, colour rules, the simulator.
#include "test_support.h"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

namespace {

using Run = callscript::test::CallcRun;
Run callc(const std::string& args, const std::string& env = "NO_COLOR=") { return callscript::test::run_callc(args, env); }

std::string temp_file(const std::string& name, const std::string& content) {
  const std::string path = "/tmp/callc_test_" + std::to_string(::getpid()) + "_" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

}  // namespace

TEST_CASE("callc --help, --version and CMD --help exit 0") {
  auto h = callc("--help");
  CHECK(h.status == 0);
  CHECK(h.out.find("check") != std::string::npos);
  CHECK(h.out.find("disasm") != std::string::npos);
  auto v = callc("--version");
  CHECK(v.status == 0);
  CHECK(v.out.find("callc ") == 0);
  auto b = callc("build --help");
  CHECK(b.status == 0);
  CHECK(b.out.find("usage: callc build") != std::string::npos);
}

TEST_CASE("callc usage errors exit 2") {
  CHECK(callc("").status == 2);
  CHECK(callc("frobnicate").status == 2);
  CHECK(callc("check").status == 2);
  CHECK(callc("check --bogus examples/consult.call").status == 2);
  CHECK(callc("check --format xml examples/consult.call").status == 2);
  CHECK(callc("build a.call b.call").status == 2);
  auto missing = callc("check /nonexistent/x.call");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("cannot read /nonexistent/x.call") != std::string::npos);
}

TEST_CASE("callc check: 0 when clean, 1 with errors, diagnostics with file:line:col") {
  CHECK(callc("check examples/consult.call").status == 0);
  const auto bad = temp_file("bad.call", "script a {\n  event go\n  state s { on go -> nowhere }\n}\n");
  auto r = callc("check " + bad);
  CHECK(r.status == 1);
  CHECK(r.out.find(":3:22: error[E0201]: no state named `nowhere`") != std::string::npos);
  CHECK(r.out.find("1 error, 0 warnings") != std::string::npos);
}

TEST_CASE("callc check --format json prints a JSON array on stdout") {
  const auto bad = temp_file("bad_json.call", "script a {\n  event go\n  state s { on og -> s }\n}\n");
  auto r = callc("check --format json " + bad);
  CHECK(r.status == 1);
  CHECK(r.out.find("[\n  {\"code\":\"E0202\"") == 0);
  auto clean = callc("check --format json examples/consult.call");
  CHECK(clean.status == 0);
  CHECK(clean.out == "[]\n");
  // Several files make one array, not one array each.
  auto both = callc("check --format json " + bad + " examples/consult.call " + bad);
  CHECK(both.status == 1);
  CHECK(both.out.find("[\n  {\"code\":\"E0202\"") == 0);
  CHECK(both.out.ends_with("\n]\n"));
  CHECK(both.out.find("]\n[") == std::string::npos);
}

TEST_CASE("callc colours only when asked, and never under NO_COLOR") {
  const auto bad = temp_file("bad_color.call", "script a { event go state s { on go -> x } }");
  CHECK(callc("check " + bad).out.find('\x1b') == std::string::npos);  // not a terminal
  CHECK(callc("check --color always " + bad, "NO_COLOR=").out.find('\x1b') != std::string::npos);
  CHECK(callc("check --color never " + bad).out.find('\x1b') == std::string::npos);
  CHECK(callc("check --color always " + bad, "NO_COLOR=1").out.find('\x1b') == std::string::npos);
}

TEST_CASE("callc build writes bytecode that run and disasm accept") {
  const std::string out = "/tmp/callc_test_" + std::to_string(::getpid()) + ".callbc";
  CHECK(callc("build examples/consult.call -o " + out).status == 0);
  auto d = callc("disasm " + out);
  CHECK(d.status == 0);
  CHECK(d.out.find("Say") != std::string::npos);
  auto r = callc("run --events examples/consult.events " + out);
  CHECK(r.status == 0);
  CHECK(r.out.find("agent: 您好，客服很高兴为您服务，工号是1024，请问有什么可以帮您？") != std::string::npos);
  CHECK(r.out.find("effect: create_ticket(") != std::string::npos);
  CHECK(r.out.find("call ended: resolved") != std::string::npos);
}

TEST_CASE("callc build refuses a script with errors and writes nothing") {
  const auto bad = temp_file("nobuild.call", "script a { state s { } }");
  const std::string out = "/tmp/callc_test_" + std::to_string(::getpid()) + "_nobuild.callbc";
  std::remove(out.c_str());
  CHECK(callc("build " + bad + " -o " + out).status == 1);
  CHECK_FALSE(std::ifstream(out).good());
}

TEST_CASE("callc run reads commands from a pipe: numbers, names, input, wait, refusals") {
  const auto events = temp_file("events.txt", "1\nconfirmed\naccount_related\ninput need 查询\ninput order_tail 12\ninput order_tail 1234\nwait 10s\nquit\n");
  auto r = callc("run --events " + events + " examples/consult.call");
  CHECK(r.status == 0);
  CHECK(r.out.find("> 1\n") != std::string::npos);
  CHECK(r.out.find("state first_need") != std::string::npos);
  CHECK(r.out.find("refused: confirmed: not permitted") != std::string::npos);
  CHECK(r.out.find("refused: need: not asked") != std::string::npos);
  CHECK(r.out.find("nomatch: order_tail") != std::string::npos);
  CHECK(r.out.find("waited 10s") != std::string::npos);
  CHECK(r.out.find("simulation stopped in state verify") != std::string::npos);
}

TEST_CASE("callc run stops with file:line on a command it cannot understand") {
  const auto events = temp_file("bad_events.txt", "pick_up\n\nfly_away\n");
  auto r = callc("run --events " + events + " examples/consult.call");
  CHECK(r.status == 1);
  CHECK(r.out.find("bad_events.txt:3: error: unknown command or event `fly_away`") != std::string::npos);
}

TEST_CASE("callc run fires timers as the clock advances") {
  const auto events = temp_file("timer_events.txt",
                                "pick_up\ninput need 产品咨询\nconfirmed\nsimple\nwait 1m\nwait 1m30s\n");
  auto r = callc("run --events " + events + " examples/consult.call");
  CHECK(r.status == 0);
  CHECK(r.out.find("[00:02:00] timer fires") != std::string::npos);
  CHECK(r.out.find("state hold.wait_more") != std::string::npos);
}

TEST_CASE("callc run and disasm refuse corrupt bytecode with exit 1") {
  const auto bad = temp_file("bad.callbc", std::string("CLBC\x01\x00\x00\x00garbage", 15));
  auto r = callc("run " + bad);
  CHECK(r.status == 1);
  CHECK(r.out.find("error:") != std::string::npos);
  CHECK(callc("disasm " + bad).status == 1);
}
