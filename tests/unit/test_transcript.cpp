// Transcript tests (`callc test`): the bad transcripts under tests/transcripts report exactly the
// diagnostics their `# expect: CODE LINE:COL text` comments name; the T sections of ERRORS.md
// show real output; the examples pass and cover their script; the CLI's exit codes and output.
#include "transcript/transcript.h"

#include "test_support.h"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <sstream>

namespace cs = callscript;
using callscript::test::read_file;
namespace tr = callscript::transcript;

namespace {

struct Outcome {
  tr::Verdict verdict;
  std::string rendered;
  std::vector<std::string> found;  // "CODE LINE:COL message"
};

Outcome run(const std::string& name, std::string text) {
  cs::SourceFile src(name, std::move(text));
  cs::Diagnostics diags(src);
  tr::Suite suite;
  std::ostringstream log;
  Outcome o{suite.run(src, diags, log), cs::render_human(diags), {}};
  o.found = cs::test::findings(diags);
  return o;
}

using Cli = callscript::test::CallcRun;
Cli callc(const std::string& args) { return callscript::test::run_callc(args); }

}  // namespace

TEST_CASE("every bad transcript reports exactly the diagnostics it expects") {
  const std::regex expect_line(R"(#\s*expect:\s*(T[0-9]{4})\s+([0-9]+):([0-9]+)\s*(.*))");
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CALLSCRIPT_SOURCE_DIR "/tests/transcripts")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string text = read_file(entry.path());
    const Outcome o = run(entry.path().string(), text);
    INFO(entry.path().filename().string());
    INFO(o.rendered);
    CHECK(o.verdict != tr::Verdict::Passed);
    std::vector<std::string> expected;
    std::istringstream lines(text);
    std::size_t matched = 0;
    for (std::string line; std::getline(lines, line);) {
      std::smatch m;
      if (!std::regex_search(line, m, expect_line)) continue;
      const std::string where = m[1].str() + " " + m[2].str() + ":" + m[3].str() + " ";
      const std::string contains = m[4];
      const bool met = std::any_of(o.found.begin(), o.found.end(), [&](const std::string& f) {
        return f.starts_with(where) && f.find(contains) != std::string::npos;
      });
      INFO(where, contains);
      CHECK(met);
      ++matched;
    }
    CHECK(matched > 0);
    CHECK(o.found.size() == matched);  // nothing unexpected
  }
  CHECK(files >= 10);
}

TEST_CASE("a YAML syntax error is reported at yaml-cpp's line and column, after a byte-order mark too") {
  const Outcome o = run("t.yaml", "\xEF\xBB\xBFscript: x.call\nsteps: [1, 2\n");
  REQUIRE(o.found.size() == 1);
  CHECK(o.found[0].starts_with("T0001 3:1 "));
  const Outcome utf8 = run("t.yaml", "script: \xff\n");
  REQUIRE(utf8.found.size() == 1);
  CHECK(utf8.found[0].starts_with("T0001 1:9 transcript is not valid UTF-8"));
}

TEST_CASE("the T sections of ERRORS.md show what callc test prints, and their fixes pass") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  const std::string root = CALLSCRIPT_SOURCE_DIR "/";
  std::size_t sections = 0;
  for (const auto& [code, examples, file, shown] : callscript::test::error_sections(index, "yaml", "callc test")) {
    if (!code.starts_with("T")) continue;
    INFO(code);
    REQUIRE(examples.size() == 2);
    REQUIRE_FALSE(file.empty());
    ++sections;
    // Named as if at the repository root, so the example's `script:` resolves as on the page.
    Outcome bad = run(root + file, examples.front());
    for (std::size_t p; (p = bad.rendered.find(root)) != std::string::npos;) bad.rendered.erase(p, root.size());
    CHECK(bad.verdict != tr::Verdict::Passed);
    CHECK(std::any_of(bad.found.begin(), bad.found.end(), [&](const std::string& f) { return f.starts_with(code + " "); }));
    CHECK(shown.starts_with(bad.rendered));
    const Outcome fixed = run(root + file, examples.back());
    INFO(fixed.rendered);
    CHECK(fixed.verdict == tr::Verdict::Passed);
  }
  CHECK(sections == 10);
}

TEST_CASE("callc test: the examples pass and reach every state and transition of every example") {
  const Cli r = callc("test --coverage=require examples/transcripts");
  INFO(r.out);
  CHECK(r.status == 0);
  for (const char* example : {"consult", "complaint", "after_sales", "urgent", "revisit"}) {
    const std::string line = std::string("coverage of examples/") + example + ".call: ";
    const std::size_t at = r.out.find(line);
    REQUIRE_MESSAGE(at != std::string::npos, example);
    unsigned states = 0, of_states = 0, transitions = 0, of_transitions = 0;
    REQUIRE(std::sscanf(r.out.c_str() + at + line.size(), "%u/%u states, %u/%u transitions", &states, &of_states, &transitions,
                        &of_transitions) == 4);
    CHECK(states == of_states);
    CHECK(transitions == of_transitions);
    CHECK(states > 5);
  }
  CHECK(r.out.find(" passed, 0 failed\n") != std::string::npos);
}

TEST_CASE("callc test: a failing step exits 1 with file:line:col, and coverage gaps are listed") {
  const Cli bad = callc("test tests/transcripts/T0010_wrong_expectation.yaml");
  CHECK(bad.status == 1);
  CHECK(bad.out.find("tests/transcripts/T0010_wrong_expectation.yaml:7:14: error[T0010]: step 2 (input: need): "
                     "expected state `classify`, got `restate`") != std::string::npos);
  CHECK(bad.out.find("      + 您的意思是，售后维修进度查询，对吗？") != std::string::npos);
  CHECK(bad.out.find("0 passed, 1 failed") != std::string::npos);

  const Cli one = callc("test --coverage examples/transcripts/consult_no_voice.yaml");
  CHECK(one.status == 0);  // --coverage reports; only --coverage=require fails on gaps
  CHECK(one.out.find("examples/consult.call:57: transition never taken: in `ringing`: on ring -> ringing_late") != std::string::npos);
  CHECK(one.out.find("state `ringing_late` never entered") != std::string::npos);
  CHECK(callc("test --coverage=require examples/transcripts/consult_no_voice.yaml").status == 1);
}

TEST_CASE("callc test: usage and I/O errors exit 2") {
  CHECK(callc("test").status == 2);
  CHECK(callc("test --coverage=maybe examples/transcripts").status == 2);
  CHECK(callc("test /nonexistent/dir").status == 2);
  const Cli help = callc("test --help");
  CHECK(help.status == 0);
  CHECK(help.out.find("usage: callc test") != std::string::npos);
}
