// Scripts far larger than a person writes, as generators produce them: the compiler must neither
// run out of stack on long chains nor lose positions on long lines. (How its time and memory grow
// with a script's size is measured by tests/scale/scale_test.py, outside the unit tests.)
#include <callscript/compiler.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <string>

namespace cs = callscript;

namespace {

std::vector<cs::Diagnostic> diagnose(const std::string& text) {
  cs::SourceFile src("big.call", text);
  cs::Diagnostics diags(src);
  cs::MemorySourceProvider nothing;
  cs::compile(src, diags, {.sources = nothing});
  return diags.all();
}

// `n` states, each going straight on to the next without waiting; the last waits for `go`. A
// hang-up ends the call from any of them.
std::string eventless_chain(std::size_t n, const std::string& last = "on go -> done") {
  std::string s = "script big {\n  event go \"继续\"\n  event hangup \"挂机\"\n  on hangup -> done\n";
  for (std::size_t i = 0; i < n; ++i) s += "  state s" + std::to_string(i) + " { -> s" + std::to_string(i + 1) + " }\n";
  s += "  state s" + std::to_string(n) + " { " + last + " }\n  final done: resolved\n}\n";
  return s;
}

}  // namespace

TEST_CASE("a chain of 30000 eventless states compiles: the graph searches keep their own stacks") {
  // Each state hands the call on at once; a recursive depth-first search went one frame deeper
  // per state, and ran off the thread's stack at about 17,000.
  const cs::bc::Image image = cs::test::compile_clean("chain.call", eventless_chain(30'000));
  CHECK(image.states.size() == 30'002);
}

TEST_CASE("an eventless cycle at the end of a long chain is reported once, with the loop's path") {
  const auto d = diagnose(eventless_chain(30'000, "-> s29990"));
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == cs::Code::E0402);
  CHECK(d[0].message.find("`s29990`") != std::string::npos);
  // s29990 -> s29991 -> ... -> s30000 -> s29990: eleven steps, one note each.
  CHECK(d[0].notes.size() == 11);
}

TEST_CASE("a chain of 40000 flows each calling the next is too deep to run, and is said so") {
  constexpr std::size_t n = 40'000;
  std::string s = "script big {\n  event go \"继续\"\n  event back \"返回\"\n  state top { on go -> call f0 then done }\n  final done: resolved\n";
  for (std::size_t i = 0; i < n; ++i)
    s += "  flow f" + std::to_string(i) + " { state a { on go -> " + (i + 1 < n ? "call f" + std::to_string(i + 1) : "return") + " on back -> return } }\n";
  s += "}\n";
  const auto d = diagnose(s);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == cs::Code::E0412);
  CHECK(d[0].message.find("nests flows 40000 deep") != std::string::npos);
}

TEST_CASE("positions on a very long line count its code points") {
  // A generated script written on one line: 5,000 states, then a mistake at its end.
  std::string line = "script big { event go \"继续\" ";
  for (int i = 0; i < 5'000; ++i) line += "state s" + std::to_string(i) + " { say \"第" + std::to_string(i) + "步\" on go -> s" + std::to_string(i + 1) + " } ";
  line += "state s5000 { on go -> nowhere } final done: resolved }";
  const auto d = diagnose(line);
  REQUIRE(d.size() == 1);
  CHECK(d[0].code == cs::Code::E0201);
  cs::SourceFile src("big.call", line);
  const auto at = src.position(d[0].span.begin);
  CHECK(at.line == 1);
  // Every character before `nowhere` is one column, whatever its length in bytes.
  const std::size_t bytes = line.find("nowhere");
  std::size_t chinese = 0;  // three bytes, one column each
  for (std::size_t i = 0; i < bytes; ++i) chinese += (static_cast<unsigned char>(line[i]) & 0xE0) == 0xE0;
  CHECK(at.column == bytes - 2 * chinese + 1);
}

TEST_CASE("positions in a file that is not UTF-8 still count from the line's start") {
  cs::SourceFile src("f", std::string("ab\n\xff\xe4\xbd\xa0x"));
  REQUIRE(src.invalid_utf8());
  CHECK(src.position(7).line == 2);
  CHECK(src.position(7).column == 3);  // the stray byte, then 你
}
