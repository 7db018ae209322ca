// `import` and `phrase`: libraries merged into the script, diagnostics that point into the file
// that wrote the problem, phrases as prompts of their own, and flows nobody calls left out.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

namespace cs = callscript;
namespace fs = std::filesystem;

namespace {

// A scratch directory of .call files, written fresh for each test (`name` only says which).
struct Tree : callscript::test::TempDir {
  explicit Tree(const std::string&) {}
  const fs::path& root = path;
};

struct Compiled {
  std::optional<cs::bc::Image> image;
  std::string human, json;
  std::vector<std::string> codes;
};

Compiled compile_file(const std::string& path) {
  cs::SourceFile src(path, cs::test::read_file(path));
  cs::Diagnostics diags(src);
  Compiled c;
  cs::FileSourceProvider files;
  c.image = cs::compile(src, diags, {.sources = files});
  c.human = cs::render_human(diags);
  c.json = cs::render_json(diags);
  for (const auto& d : diags.all()) c.codes.emplace_back(cs::code_name(d.code));
  return c;
}

const char* kMain = R"(script main {
  import "lib/shared.call"
  event go "开始"
  state s {
    say hello
    on go -> call hold then done
  }
  final done: completed
})";

}  // namespace

TEST_CASE("an imported library's phrases, slots, events and called flows become the script's") {
  Tree t("merge");
  t.write("lib/shared.call", R"(library shared {
  phrase hello "您好，工号{agent_id}为您服务。"
  slot agent_id: digits host = "7"
  event found "查到了"
  flow hold {
    state wait {
      say "请您稍等，我帮您查询。"
      on found -> return
    }
  }
  flow never_called {
    state idle { on found -> return }
  }
})");
  const auto c = compile_file(t.write("main.call", kMain));
  INFO(c.human);
  REQUIRE(c.image);
  CHECK(c.codes.empty());
  const auto p = cs::test::load_through_bytes(*c.image);
  CHECK(p->slot_id("agent_id"));
  CHECK(p->event_id("found"));
  // The flow the script calls is in; the one nobody calls is left out (no W0001 for it).
  bool hold = false, idle = false;
  for (cs::StateId s = 0; s < p->state_count(); ++s) {
    hold = hold || p->state_name(s) == "hold.wait";
    idle = idle || p->state_name(s) == "never_called.idle";
  }
  CHECK(hold);
  CHECK_FALSE(idle);
  // A phrase is a prompt of its own, `phrase.NAME`, rendered with the script's slots.
  cs::Session s(*p);
  REQUIRE(s.start(cs::Instant{}) == cs::Status::Ok);
  REQUIRE(s.prompts().size() == 1);
  CHECK(s.prompts()[0].id == "phrase.hello");
  CHECK(s.prompts()[0].text == "您好，工号7为您服务。");
}

TEST_CASE("a problem in an imported file is reported in that file, at its line") {
  Tree t("where");
  t.write("lib/shared.call", R"(library shared {
  phrase hello "您好，{nobody}。"
  flow hold {
    state wait { on missing_event -> return }
  }
})");
  const auto c = compile_file(t.write("main.call", kMain));
  CHECK_FALSE(c.image);
  const std::string lib = (t.root / "lib/shared.call").string();
  CHECK(c.human.find(lib + ":2:21: error[E0208]") != std::string::npos);
  CHECK(c.human.find(lib + ":4:21: error[E0202]: no event named `missing_event`") != std::string::npos);
  CHECK(c.human.find("4 |     state wait { on missing_event -> return }") != std::string::npos);
  CHECK(c.json.find("\"file\":\"" + lib + "\",\"line\":4,\"column\":21") != std::string::npos);
}

TEST_CASE("a name declared in the script and in a library is reported with a note in the other file") {
  Tree t("twice");
  t.write("lib/shared.call", R"(library shared {
  phrase hello "您好。"
  event go "开始"
  flow hold {
    state wait { on go -> return }
  }
})");
  const auto c = compile_file(t.write("main.call", kMain));
  CHECK_FALSE(c.image);
  CHECK(c.codes == std::vector<std::string>{"E0204"});
  const std::string lib = (t.root / "lib/shared.call").string(), main = (t.root / "main.call").string();
  CHECK(c.human.find(lib + ":3:9: error[E0204]: event `go` is defined twice") != std::string::npos);
  CHECK(c.human.find(main + ":3:9: note: first defined here") != std::string::npos);
}

TEST_CASE("syntax errors, items a library may not hold, and cycles are reported where they are") {
  Tree t("bad");
  t.write("lib/broken.call", "library broken {\n  phrase hello \n}\n");
  t.write("lib/stateful.call", "library stateful {\n  state s { on go -> s }\n  sla x: 1h { }\n}\n");
  t.write("lib/a.call", "library a {\n  import \"b.call\"\n}\n");
  t.write("lib/b.call", "library b {\n  import \"a.call\"\n}\n");
  const auto broken = compile_file(t.write("broken_main.call", "script m {\n  import \"lib/broken.call\"\n  event go \"开始\"\n  state s { on go -> d }\n  final d: completed\n}\n"));
  CHECK(broken.codes == std::vector<std::string>{"E0100"});
  CHECK(broken.human.find((t.root / "lib/broken.call").string() + ":3:1: error[E0100]") != std::string::npos);

  const auto stateful = compile_file(t.write("stateful_main.call", "script m {\n  import \"lib/stateful.call\"\n  event go \"开始\"\n  state s { on go -> d }\n  final d: completed\n}\n"));
  CHECK(stateful.codes == std::vector<std::string>{"E0432", "E0432"});
  CHECK(stateful.human.find((t.root / "lib/stateful.call").string() + ":2:3: error[E0432]: a library holds only") != std::string::npos);

  const auto cycle = compile_file(t.write("cycle_main.call", "script m {\n  import \"lib/a.call\"\n  event go \"开始\"\n  state s { on go -> d }\n  final d: completed\n}\n"));
  CHECK(cycle.codes == std::vector<std::string>{"E0431"});
  CHECK(cycle.human.find((t.root / "lib/b.call").string() + ":2:10: error[E0431]: `a.call` imports itself: a.call -> b.call -> a.call") !=
        std::string::npos);

  const auto dir = compile_file(t.write("dir_main.call", "script m {\n  import \"lib\"\n  event go \"开始\"\n  state s { on go -> d }\n  final d: completed\n}\n"));
  CHECK(dir.codes == std::vector<std::string>{"E0430"});
  CHECK(dir.human.find("it is a directory") != std::string::npos);
}

TEST_CASE("the bundled examples share the inbound phrases and translate them once") {
  const auto consult = cs::test::load_through_bytes(cs::test::compile_repo_file("examples/consult.call"));
  const auto urgent = cs::test::load_through_bytes(cs::test::compile_repo_file("examples/urgent.call"));
  auto text_of = [](const cs::Program& p, std::string_view id) {
    for (const auto& pr : p.image().prompts)
      if (p.image().str(pr.id) == id) return std::string(p.image().str(pr.text));
    return std::string();
  };
  CHECK(text_of(*consult, "phrase.closing") == "感谢您的来电，祝您生活愉快，再见！");
  CHECK(text_of(*urgent, "phrase.closing") == text_of(*consult, "phrase.closing"));
  // urgent never calls `hold`, so the shared flow is not in its program.
  for (cs::StateId s = 0; s < urgent->state_count(); ++s) CHECK(urgent->state_name(s).find("hold.") != 0);
}
