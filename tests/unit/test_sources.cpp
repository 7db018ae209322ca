// The compiler as a pure function: everything a script names comes from the SourceProvider it is
// given, and an exception inside a stage is the compiler's internal error (E0900) naming the
// stage, never the script's syntax error. And the binary operators, parsed into an enum, each
// compile to their own instruction.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "lint/lint.h"
#include "syntax/ast.h"

#include "test_support.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>

namespace cs = callscript;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// A directory that is not on disk: whatever is compiled under it can only come from memory.
const std::string kDir = "/no-such-dir-callscript-sources/app";

const char* kLibrary = R"(library shared {
  phrase hello "您好，请问有什么可以帮您？"
  event go "开始"
})";

const char* kCalendar = R"(time_zone: UTC
working_hours: ["09:00-17:00"]
range: {from: 2025-01-01, to: 2025-12-31}
)";

const char* kMain = R"(script main {
  import "lib/shared.call"
  calendar "cal/work.yaml"
  event done "完成"
  effect notify(reason: text)
  sla reply: 2 workhours { emit notify(reason: "reply") }
  state s {
    say hello
    on go { start reply } -> waiting
  }
  state waiting { on done { stop reply } -> bye }
  final bye: completed
})";

struct Compiled {
  std::optional<cs::bc::Image> image;
  std::vector<std::string> findings;  // "CODE LINE:COL message", the position in the span's own file
  std::string human;
};

std::vector<std::string> findings(const cs::Diagnostics& diags) {
  std::vector<std::string> out;
  for (const cs::Diagnostic& d : diags.all()) {
    const cs::Position at = diags.source(d.span.file).position(d.span.begin);
    out.push_back(std::string(cs::code_name(d.code)) + " " + std::to_string(at.line) + ":" + std::to_string(at.column) + " " + d.message);
  }
  return out;
}

Compiled compile(const std::string& name, const std::string& text, cs::SourceProvider& sources) {
  cs::SourceFile src(name, text);
  cs::Diagnostics diags(src);
  Compiled c;
  c.image = cs::compile(src, diags, {.sources = sources});
  c.findings = findings(diags);
  c.human = cs::render_human(diags);
  return c;
}

cs::MemorySourceProvider buffers() {
  cs::MemorySourceProvider m;
  m.add(kDir + "/lib/shared.call", kLibrary);
  m.add(kDir + "/cal/work.yaml", kCalendar);
  return m;
}

// A provider that answers what `inner` answers, except for paths ending in `fail_on`, where it
// throws `thrown`: a broken host, or a bug.
template <class Thrown>
struct Throwing final : cs::SourceProvider {
  cs::SourceProvider& inner;
  std::string fail_on;
  Thrown thrown;
  Throwing(cs::SourceProvider& in, std::string on, Thrown t) : inner(in), fail_on(std::move(on)), thrown(std::move(t)) {}
  cs::SourceRead read(std::string_view path) override {
    if (path.ends_with(fail_on)) throw thrown;
    return inner.read(path);
  }
  std::string identity(std::string_view path) override { return inner.identity(path); }
};

// Refuses every path with its own reason, as a host's workspace might.
struct Refusing final : cs::SourceProvider {
  cs::SourceRead read(std::string_view) override { return {std::nullopt, "outside the workspace"}; }
};

}  // namespace

TEST_CASE("a script with an import and a calendar compiles entirely from in-memory buffers") {
  REQUIRE_FALSE(fs::exists("/no-such-dir-callscript-sources"));  // so no file of it can be opened
  cs::MemorySourceProvider sources = buffers();
  const Compiled c = compile(kDir + "/main.call", kMain, sources);
  INFO(c.human);
  REQUIRE(c.image);
  CHECK(c.findings.empty());
  // Asked for by their paths relative to the script, each once.
  CHECK(sources.asked() == std::vector<std::string>{kDir + "/lib/shared.call", kDir + "/cal/work.yaml"});
  CHECK_FALSE(fs::exists("/no-such-dir-callscript-sources"));

  // The library's phrase and event, and the calendar's working hours, are in the program.
  const auto p = cs::test::load_through_bytes(*c.image);
  REQUIRE(p->calendar());
  cs::Session s(*p);
  const cs::Instant monday_9am = std::chrono::sys_days(std::chrono::year(2025) / 3 / 3) + 9h;
  REQUIRE(s.start(monday_9am) == cs::Status::Ok);
  REQUIRE(s.prompts().size() == 1);
  CHECK(s.prompts()[0].text == "您好，请问有什么可以帮您？");
  REQUIRE(s.send(*p->event_id("go"), monday_9am + 7h) == cs::Status::Ok);  // 16:00: one working hour left today
  REQUIRE(s.sla_deadline(0));
  CHECK(*s.sla_deadline(0) == monday_9am + 25h);  // Tuesday 10:00

  // The same source on disk finds nothing: the buffers were all there was.
  cs::FileSourceProvider files;
  const Compiled on_disk = compile(kDir + "/main.call", kMain, files);
  CHECK_FALSE(on_disk.image);
  CHECK(on_disk.findings.front().starts_with("E0430 2:10 cannot read `" + kDir + "/lib/shared.call`: No such file or directory"));
}

TEST_CASE("paths are resolved relative to the importing file and normalised before the provider sees them") {
  cs::MemorySourceProvider sources;
  sources.add("app/lib/shared.call", R"(library shared {
  import "../common/events.call"
  phrase hello "您好。"
})");
  sources.add("app/common/events.call", "library events {\n  event go \"开始\"\n}\n");
  sources.add("app/cal/work.yaml", kCalendar);
  const Compiled c = compile("app/./main.call", kMain, sources);
  INFO(c.human);
  CHECK(c.image);
  CHECK(sources.asked() == std::vector<std::string>{"app/lib/shared.call", "app/common/events.call", "app/cal/work.yaml"});
}

TEST_CASE("a library imported along two spellings of its path is merged once; a cycle is seen through the provider") {
  cs::MemorySourceProvider sources;
  sources.add("a.call", "library a {\n  import \"sub/../b.call\"\n  phrase hello \"您好。\"\n}\n");
  sources.add("b.call", "library b {\n  event go \"开始\"\n}\n");
  const std::string twice = "script main {\n  import \"a.call\"\n  import \"./b.call\"\n  event done \"完成\"\n"
                            "  state s { say hello\n on go -> t }\n  state t { on done -> bye }\n  final bye: completed\n}\n";
  const Compiled merged = compile("main.call", twice, sources);
  INFO(merged.human);
  CHECK(merged.image);  // `go` declared once: b.call was read once
  CHECK(sources.asked() == std::vector<std::string>{"a.call", "b.call"});

  cs::MemorySourceProvider cyclic;
  cyclic.add("x.call", "library x {\n  import \"y.call\"\n}\n");
  cyclic.add("y.call", "library y {\n  import \"x.call\"\n}\n");
  const Compiled cycle = compile("main.call", "script main {\n  import \"x.call\"\n  event go\n  state s { on go -> bye }\n  final bye: completed\n}\n", cyclic);
  REQUIRE(cycle.findings.size() == 1);
  CHECK(cycle.findings[0] == "E0431 2:10 `x.call` imports itself: x.call -> y.call -> x.call");
}

TEST_CASE("a file the provider cannot give is E0430 or E0424 with the provider's reason") {
  cs::MemorySourceProvider empty;
  const Compiled missing = compile(kDir + "/main.call", kMain, empty);
  CHECK_FALSE(missing.image);
  REQUIRE_FALSE(missing.findings.empty());
  CHECK(missing.findings[0] == "E0430 2:10 cannot read `" + kDir + "/lib/shared.call`: no such file among the in-memory sources");

  Refusing refusing;
  const Compiled refused = compile(kDir + "/main.call", kMain, refusing);
  REQUIRE_FALSE(refused.findings.empty());
  CHECK(refused.findings[0] == "E0430 2:10 cannot read `" + kDir + "/lib/shared.call`: outside the workspace");

  cs::MemorySourceProvider no_calendar;
  no_calendar.add(kDir + "/lib/shared.call", kLibrary);
  const Compiled calendar = compile(kDir + "/main.call", kMain, no_calendar);
  REQUIRE(calendar.findings.size() == 1);
  CHECK(calendar.findings[0] == "E0424 3:12 cannot read calendar `" + kDir + "/cal/work.yaml`: no such file among the in-memory sources");
}

TEST_CASE("an exception from the provider mid-import is E0900 naming the imports stage, not a syntax error") {
  cs::MemorySourceProvider inner = buffers();
  Throwing broken(inner, "shared.call", std::runtime_error("disk unplugged"));
  const Compiled c = compile("main.call", kMain, broken);
  CHECK_FALSE(c.image);
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0] == "E0900 1:1 internal error in the imports stage (disk unplugged); this is a bug in callc, not in the script");

  // grammar/ERRORS.md shows this very rendering.
  const std::string index = cs::test::read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  const std::size_t section = index.find("\n## E0900: ");
  REQUIRE(section != std::string::npos);
  const std::size_t block = index.find("```\n", section);
  REQUIRE(block != std::string::npos);
  const std::size_t end = index.find("```\n", block + 4);
  CHECK(index.substr(block + 4, end - block - 4) == c.human);
}

TEST_CASE("an exception while the calendar is read is E0900 naming the calendar stage") {
  cs::MemorySourceProvider inner = buffers();
  Throwing broken(inner, ".yaml", std::logic_error("no calendars today"));
  const Compiled c = compile(kDir + "/main.call", kMain, broken);
  CHECK_FALSE(c.image);
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0].starts_with("E0900 1:1 internal error in the calendar stage (no calendars today); this is a bug in callc"));
}

TEST_CASE("something thrown that is not a std::exception is E0900 too, and compile() does not throw") {
  cs::MemorySourceProvider inner = buffers();
  Throwing broken(inner, "shared.call", 42);
  Compiled c;
  CHECK_NOTHROW(c = compile(kDir + "/main.call", kMain, broken));
  REQUIRE(c.findings.size() == 1);
  CHECK(c.findings[0] ==
        "E0900 1:1 internal error in the imports stage (an exception that is not a std::exception); this is a bug in callc, not in the script");
}

TEST_CASE("the linter reports a provider's exception as E0900 in the imports stage, and lints nothing") {
  cs::MemorySourceProvider inner = buffers();
  Throwing broken(inner, "shared.call", std::runtime_error("disk unplugged"));
  cs::SourceFile src(kDir + "/main.call", kMain);
  cs::Diagnostics diags(src);
  const auto r = cs::lint::lint(src, cs::lint::default_config(), diags, broken);
  CHECK_FALSE(r.parsed);
  CHECK(findings(diags) ==
        std::vector<std::string>{"E0900 1:1 internal error in the imports stage (disk unplugged); this is a bug in callc, not in the script"});
}

TEST_CASE("every binary operator maps from its spelling and back") {
  for (const cs::ast::BinaryOp op : cs::ast::kBinaryOps) {
    INFO(cs::ast::spelling(op));
    CHECK(cs::ast::binary_op(cs::ast::spelling(op)) == op);
  }
  CHECK_FALSE(cs::ast::binary_op("=>"));
  CHECK_FALSE(cs::ast::binary_op("&&"));
}

TEST_CASE("every binary operator compiles to its instruction and computes its value") {
  // One guard per operator; the call ends `yes` when it holds. Numbers 7 and 5 both ways.
  struct Case {
    const char* expr;
    bool holds;
  };
  const Case cases[] = {
      {"7 + 5 == 12", true},  {"7 - 5 == 2", true},  {"7 < 5", false},       {"5 < 7", true},
      {"7 <= 7", true},       {"7 <= 5", false},     {"7 > 5", true},        {"5 > 7", false},
      {"7 >= 8", false},      {"7 >= 7", true},      {"7 != 5", true},       {"7 != 7", false},
      {"true and false", false}, {"true and true", true}, {"false or true", true}, {"false or false", false},
  };
  cs::MemorySourceProvider nothing;
  for (const Case& k : cases) {
    INFO(k.expr);
    const std::string text = std::string("script ops {\n  event go \"开始\"\n  state s {\n    on go when ") + k.expr +
                             " -> yes\n    on go -> no\n  }\n  final yes: completed\n  final no: abandoned\n}\n";
    const Compiled c = compile("ops.call", text, nothing);
    INFO(c.human);
    REQUIRE(c.image);
    const auto p = cs::test::load_through_bytes(*c.image);
    cs::Session s(*p);
    REQUIRE(s.start(cs::Instant{}) == cs::Status::Ok);
    REQUIRE(s.send(*p->event_id("go"), cs::Instant{}) == cs::Status::Ok);
    CHECK(s.outcome() == (k.holds ? "completed" : "abandoned"));
  }
}
