// Every diagnostic code is documented in grammar/ERRORS.md and fed by at least one script test
// under tests/scripts (E0002, a source over 4 MiB, and E0900, the compiler's internal error, are
// fed by unit tests instead). C codes are
// about business-calendar YAML, not scripts: they are fed by the files under tests/calendars, and
// their YAML examples in ERRORS.md are checked by test_calendar_yaml.cpp. T codes are about
// transcripts (`callc test`): they are fed by the files under tests/transcripts (see
// test_transcript.cpp). S codes are about string tables: they are fed by the files under
// tests/strings (see test_string_table.cpp). L codes (lint rules) and K codes (the linter's
// configuration) are fed by tests/lint and tests/lint/config (see test_lint.cpp).
#include <callscript/compiler.h>
#include <callscript/diagnostics.h>

#include "test_support.h"
#include "text/text.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>

namespace cs = callscript;
using callscript::test::read_file;

namespace {

std::vector<std::string> all_codes() {
  std::vector<std::string> codes;
#define CALLSCRIPT_DIAG_NAME(code, severity, title) codes.push_back(#code);
  CALLSCRIPT_DIAGNOSTICS(CALLSCRIPT_DIAG_NAME)
#undef CALLSCRIPT_DIAG_NAME
  return codes;
}

}  // namespace

TEST_CASE("every diagnostic code has a section in grammar/ERRORS.md with its title") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  REQUIRE_FALSE(index.empty());
  for (std::size_t i = 0; i < all_codes().size(); ++i) {
    const auto code = static_cast<cs::Code>(i);
    const std::string heading = "## " + std::string(cs::code_name(code)) + ": " + std::string(cs::code_title(code));
    INFO(heading);
    CHECK(index.find(heading) != std::string::npos);
  }
}

TEST_CASE("every diagnostic code is expected by at least one script test") {
  std::set<std::string> expected;
  const std::regex pattern(R"(expect:\s*([A-Z][0-9]{4}))");
  for (const char* dir : {CALLSCRIPT_SOURCE_DIR "/tests/scripts", CALLSCRIPT_SOURCE_DIR "/tests/calendars",
                          CALLSCRIPT_SOURCE_DIR "/tests/transcripts", CALLSCRIPT_SOURCE_DIR "/tests/strings",
                          CALLSCRIPT_SOURCE_DIR "/tests/lint", CALLSCRIPT_SOURCE_DIR "/tests/lint/config"})
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;  // tests/scripts/imports holds the libraries they import
      const std::string text = read_file(entry.path());
      for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) expected.insert((*it)[1]);
    }
  for (const auto& code : all_codes()) {
    if (code == "E0002") continue;  // see "a source over the size limit is refused before parsing"
    if (code == "E0900") continue;  // see test_sources.cpp: no script may trigger it
    INFO(code);
    CHECK(expected.contains(code));
  }
}

TEST_CASE("diagnostic codes are unique and severities match their prefix") {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < all_codes().size(); ++i) {
    const auto code = static_cast<cs::Code>(i);
    const std::string name(cs::code_name(code));
    CHECK(seen.insert(name).second);
    // A lint rule's default severity is the rule's own, whatever its letter.
    if (name[0] != 'L') CHECK((name[0] == 'W') == (cs::default_severity(code) == cs::Severity::Warning));
  }
}

// rustc's rule for its error index: the erroneous example is compiled as a test. Here the bad
// example must report its code with exactly the output the page shows, and the fix must compile.
TEST_CASE("every example in grammar/ERRORS.md fails as shown, and its fix compiles") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  std::size_t sections = 0;
  for (const auto& [code, examples, file, shown] : callscript::test::error_sections(index, "call", "callc check")) {
    if (examples.size() < 2 || file.empty()) continue;  // E0002 and E0900 have no inline example
    ++sections;
    INFO(code);
    std::string bad = examples.front();
    if (code == "E0001")  // the page shows the invalid bytes as \xff\xfe
      for (std::size_t p; (p = bad.find("\\xff\\xfe")) != std::string::npos;) bad.replace(p, 8, "\xff\xfe");
    // `callc check --today DATE FILE`: a script whose calendar is checked against that day, run
    // as if it sat in examples/, next to the calendar it names; the page shows the name alone.
    std::string name = file;
    std::optional<std::chrono::sys_days> today;
    std::string dir;
    if (name.starts_with("--today ")) {
      today = cs::text::parse_date(name.substr(8, 10));
      REQUIRE(today);
      name = name.substr(19);
      dir = CALLSCRIPT_SOURCE_DIR "/examples/";
    }
    cs::SourceFile src(dir + name, bad);
    cs::Diagnostics diags(src);
    cs::FileSourceProvider files;  // as `callc check` reads them
    cs::compile(src, diags, {.sources = files, .today = today});
    bool reported = false;
    for (const auto& d : diags.all()) reported |= cs::code_name(d.code) == code;
    CHECK(reported);
    // The page's output ends with callc's summary line (and what it prints on stdout after it),
    // which is not part of the rendering.
    const std::string summary = name + ": ";
    const std::size_t last = shown.find(summary);
    const std::string rendering = last == std::string::npos ? shown : shown.substr(0, last);
    std::string rendered = cs::render_human(diags);
    for (std::size_t p; !dir.empty() && (p = rendered.find(dir)) != std::string::npos;) rendered.erase(p, dir.size());
    CHECK(rendered == rendering);

    cs::SourceFile fixed(dir + name, examples.back());
    cs::Diagnostics fixed_diags(fixed);
    cs::compile(fixed, fixed_diags, {.sources = files, .today = today});
    INFO(cs::render_human(fixed_diags));
    CHECK(fixed_diags.all().empty());
  }
  const auto codes = all_codes();
  // C (calendar), T (transcript), S (string table) and K (lint configuration) sections show YAML,
  // not scripts, and L sections show `callc lint`: see test_calendar_yaml.cpp, test_transcript.cpp,
  // test_string_table.cpp and test_lint.cpp.
  const auto yaml_codes = std::count_if(codes.begin(), codes.end(), [](const std::string& c) {
    return c[0] == 'C' || c[0] == 'T' || c[0] == 'S' || c[0] == 'K' || c[0] == 'L';
  });
  CHECK(sections + 2 + static_cast<std::size_t>(yaml_codes) == codes.size());
}
