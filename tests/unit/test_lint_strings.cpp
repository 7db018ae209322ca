// `callc lint --strings`: a string table's texts are prompts of their script, so every lint rule
// applies to them, reported at the table's YAML lines; allow comments there are `# lint: allow`.
#include "lint/allow.h"
#include "lint/lint.h"
#include "test_support.h"

#include <callscript/compiler.h>
#include <callscript/string_table.h>

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

namespace cs = callscript;
namespace lint = callscript::lint;
namespace test = callscript::test;

namespace {

// Lints `table` (YAML text) as texts of `script` (source text, compiled in memory).
std::vector<std::string> lint_table(const std::string& script_path, const std::string& script_text, const std::string& table_text) {
  const cs::SourceFile script(script_path, script_text);
  cs::Diagnostics compiled(script);
  cs::FileSourceProvider files;
  const auto image = cs::compile(script, compiled, {.sources = files});
  INFO(cs::render_human(compiled));
  REQUIRE(image);
  const cs::SourceFile table("table.yaml", table_text);
  cs::Diagnostics diags(table);
  cs::bc::Image applied = *image;
  REQUIRE(cs::apply_string_table(table, applied, diags));
  CHECK(lint::lint_strings(script, *image, table, lint::default_config(), diags, files).parsed);
  INFO(cs::render_human(diags));
  return test::findings(diags);
}

}  // namespace

TEST_CASE("lint --strings: every rule on a table's texts, at the table's lines, a revisit's included") {
  const std::string path = CALLSCRIPT_SOURCE_DIR "/examples/revisit.call";
  const std::string table = test::read_file(CALLSCRIPT_SOURCE_DIR "/tests/lint/strings/revisit.zh.yaml");
  test::check_expected_findings(table, 'L', lint_table(path, test::read_file(path), table));
}

TEST_CASE("lint --strings: a state's spoken length counts the table's texts, reported at the first one") {
  const std::string script =
      "script t {\n  event done\n  state greet {\n    say \"您好。\"\n    say \"请问有什么可以帮您？\"\n    on done -> bye\n  }\n"
      "  final bye: resolved\n}\n";
  // 13 clauses of 5 characters: 65 characters, over greet's 30 s at 120 a minute (60).
  std::string long_text;
  for (int i = 0; i < 13; ++i) long_text += "您好您好您，";
  const auto found = lint_table("t.call", script, "prompts:\n  greet.1: \"" + long_text + "\"\n");
  REQUIRE(found.size() == 1);
  CHECK(found[0].starts_with("L0008 2:12 the prompts of state `greet` take about"));
  CHECK(lint_table("t.call", script, "prompts:\n  greet.2: \"请问有什么可以帮您？\"\n").empty());
}

TEST_CASE("lint --strings: the house manuals' character counts do not apply to a table in another language") {
  const std::string script = "script t {\n  event done\n  state s {\n    say \"好的。\"\n    on done -> bye\n  }\n  final bye: resolved\n}\n";
  const std::string sentence = "Thank you for calling, we will look into what you told us today and get back to you.";
  CHECK(lint_table("t.call", script, "locale: en-US\nprompts:\n  s.1: \"" + sentence + "\"\n").empty());
  CHECK(lint_table("t.call", script, "prompts:\n  s.1: \"您反馈的问题需要技术部门进一步检测与核实处理。\"\n") ==
        std::vector<std::string>{"L0004 2:9 sentence of 22 characters without a pause; the house rule is at most 15 (客服中心客户沟通技巧手册: 每句话不超过15个字)"});
}

TEST_CASE("lint --strings: a table's allow comments are YAML comments, never text in quotes") {
  const cs::SourceFile yaml("t.yaml", "# lint: allow jargon -- above\na: \"x # lint: allow turning-word -- in the text\"  # lint: allow L0002 -- r\nb: 'it''s # not'\n");
  const auto allows = lint::scan_allows(yaml, lint::AllowSyntax::Yaml);
  REQUIRE(allows.size() == 2);
  CHECK(allows[0].applies_to == 2);
  CHECK(allows[0].lead == "#");
  CHECK(allows[1].applies_to == 2);
  CHECK(allows[1].reason == "r");
}

TEST_CASE("callc lint --strings: exit codes, a table that does not apply, English, and --fix in the table") {
  const auto bad = test::run_callc("lint --strings tests/lint/strings/revisit.zh.yaml examples/revisit.call");
  CHECK(bad.status == 1);
  CHECK(bad.out.find("tests/lint/strings/revisit.zh.yaml:7:24: error[L0011]") != std::string::npos);
  CHECK(bad.out.find("tests/lint/strings/revisit.zh.yaml: 3 errors, 2 warnings, 0 notes") != std::string::npos);
  // The bundled English table: long sentences, but English ones.
  CHECK(test::run_callc("lint --strings examples/strings/consult.en.yaml examples/consult.call").status == 0);
  // A table the script does not take: its S errors, and nothing linted.
  const auto unknown = test::run_callc("lint --strings tests/strings/S0002_unknown_id.yaml examples/consult.call");
  CHECK(unknown.status == 1);
  CHECK(unknown.out.find("error[S0002]") != std::string::npos);
  CHECK(test::run_callc("lint --strings examples/strings/consult.en.yaml examples/consult.call examples/revisit.call").status == 2);
  CHECK(test::run_callc("lint --strings examples/strings/consult.en.yaml examples").status == 2);
  CHECK(test::run_callc("lint --strings no/such/table.yaml examples/consult.call").status == 2);
  // A script with errors: the table cannot be linted.
  const auto dir = std::filesystem::temp_directory_path() / ("callc_lint_strings_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "broken.call") << "script t {\n  state s {\n    on done -> nowhere\n  }\n}\n";
  std::ofstream(dir / "t.yaml") << "prompts:\n  s.1: \"你好。\"\n";
  const auto broken = test::run_callc("lint --strings " + (dir / "t.yaml").string() + " " + (dir / "broken.call").string());
  CHECK(broken.status == 1);
  CHECK(broken.out.find("does not compile, so its string tables cannot be linted") != std::string::npos);
  // --fix rewrites the table's 你 as 您, in place.
  std::ofstream(dir / "ok.call") << "script t {\n  event done\n  state s {\n    say \"好的。\"\n    on done -> bye\n  }\n  final bye: resolved\n}\n";
  const auto fixed = test::run_callc("lint --fix --strings " + (dir / "t.yaml").string() + " " + (dir / "ok.call").string());
  CHECK(fixed.status == 0);
  CHECK(test::read_file(dir / "t.yaml") == "prompts:\n  s.1: \"您好。\"\n");
  std::filesystem::remove_all(dir);
}

TEST_CASE("callscript.yaml configures the revisit promise words under lint.rules.revisit-promise") {
  const cs::SourceFile yaml("callscript.yaml", "lint:\n  rules:\n    revisit-promise:\n      add: [稍后]\n      remove: [很快]\n      allow: [尽快地]\n");
  cs::Diagnostics diags(yaml);
  const auto config = lint::load_config(yaml, diags);
  INFO(cs::render_human(diags));
  REQUIRE(config);
  const auto& words = config->promise_words.words;
  CHECK(std::find(words.begin(), words.end(), "稍后") != words.end());
  CHECK(std::find(words.begin(), words.end(), "很快") == words.end());
  CHECK(std::find(words.begin(), words.end(), "尽快") != words.end());
  CHECK(std::find(config->promise_words.allow.begin(), config->promise_words.allow.end(), "尽快地") != config->promise_words.allow.end());
  // `scripts` (revisits by name) is gone: a revisit is a script with a campaign.
  const cs::SourceFile old("callscript.yaml", "lint:\n  rules:\n    vague-word:\n      scripts: [\"follow_up*\"]\n");
  cs::Diagnostics old_diags(old);
  CHECK_FALSE(lint::load_config(old, old_diags));
  CHECK(old_diags.all().at(0).code == cs::Code::K0002);
}
