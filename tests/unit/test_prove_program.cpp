// The proofs run on the program the session runs: a string table, applied before them, cannot
// slip private data, an unbacked time limit or a revisit's promise past them, and a .callbc that
// someone else built is proved by `callc check` as a script is.
#include <callscript/compiler.h>
#include <callscript/string_table.h>

#include "test_support.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cs = callscript;
namespace test = callscript::test;

namespace {

constexpr const char* kAccount = R"(script account {
  slot verified: bool identity = false
  slot balance: number pii host
  event pick_up "接听"
  event ok "核实成功"
  event hangup "客户挂机"
  on hangup -> done
  state ringing { on pick_up -> greet }
  state greet {
    say "您好，请问有什么可以帮您？"
    on ok { set verified = true } -> details
  }
  state details {
    say "您的余额是{balance}元。"
    on hangup -> done
  }
  final done: completed
}
)";

using test::TempDir;

struct Proved {
  std::optional<cs::bc::Image> image;
  std::string script_diags, table_diags;
  std::vector<std::string> codes;
};

Proved compile_with_table(const std::string& script, const std::string& table) {
  cs::SourceFile src("account.call", script), tab("account.zh.yaml", table);
  cs::Diagnostics diags(src), table_diags(tab);
  cs::MemorySourceProvider nothing;
  const cs::StringsToApply strings{tab, table_diags};
  Proved p;
  p.image = cs::compile(src, diags, {.sources = nothing, .strings = &strings});
  p.script_diags = cs::render_human(diags);
  p.table_diags = cs::render_human(table_diags);
  for (const auto& d : diags.all()) p.codes.emplace_back(cs::code_name(d.code));
  return p;
}


}  // namespace

TEST_CASE("a string table that adds private data to a prompt said before verification is E0434, at the table's text") {
  const Proved ok = compile_with_table(kAccount, "prompts:\n  greet.1: \"您好，有什么可以帮您？\"\n");
  INFO(ok.script_diags << ok.table_diags);
  CHECK(ok.image);
  const Proved bad = compile_with_table(kAccount, "prompts:\n  greet.1: \"您好，您的余额是{balance}元。\"\n");
  INFO(bad.script_diags << bad.table_diags);
  CHECK_FALSE(bad.image);
  CHECK(bad.codes == std::vector<std::string>{"E0434"});
  // The caret is on the placeholder, in the table: line 2, where `{balance}` starts.
  CHECK(bad.script_diags.find("account.zh.yaml:2:") != std::string::npos);
  CHECK(bad.script_diags.find("{balance}") != std::string::npos);
}

TEST_CASE("a string table that promises a time limit no SLA keeps is E0437") {
  const Proved bad = compile_with_table(kAccount, "prompts:\n  details.1: \"您的余额是{balance}元，24 小时内到账。\"\n");
  INFO(bad.script_diags << bad.table_diags);
  CHECK_FALSE(bad.image);
  CHECK(bad.codes == std::vector<std::string>{"E0437"});
  CHECK(bad.script_diags.find("account.zh.yaml:2:") != std::string::npos);
}

TEST_CASE("a string table cannot make an outbound revisit promise (E0438)") {
  const std::string path = std::string(CALLSCRIPT_SOURCE_DIR) + "/examples/revisit.call";
  const cs::bc::Image image = test::compile_repo_file("examples/revisit.call");
  std::string id;
  for (const auto& p : image.prompts)
    if (image.str(p.text).find("转交相关同事处理") != std::string_view::npos) id = std::string(image.str(p.id));
  REQUIRE_FALSE(id.empty());
  cs::SourceFile src(path, test::read_file(path)), tab("revisit.zh.yaml", "prompts:\n  \"" + id + "\": \"我们会尽 快为您处理。\"\n");
  cs::Diagnostics diags(src), table_diags(tab);
  cs::FileSourceProvider files;
  const cs::StringsToApply strings{tab, table_diags};
  CHECK_FALSE(cs::compile(src, diags, {.sources = files, .strings = &strings}));
  INFO(cs::render_human(diags));
  REQUIRE(diags.all().size() == 1);
  CHECK(cs::code_name(diags.all()[0].code) == "E0438");
}

TEST_CASE("callc build --strings fails as callc check --strings does, and builds nothing") {
  const TempDir dir;
  const std::string script = dir.write("account.call", kAccount);
  const std::string table = dir.write("account.zh.yaml", "prompts:\n  greet.1: \"您好，您的余额是{balance}元。\"\n");
  const std::string out = (dir.path / "account.callbc").string();
  const auto build = test::run_callc("build --color never --strings " + table + " -o " + out + " " + script);
  CHECK(build.status == 1);
  CHECK(build.out.find("error[E0434]") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  const auto check = test::run_callc("check --color never --strings " + table + " " + script);
  CHECK(check.status == 1);
  CHECK(check.out.find("error[E0434]") != std::string::npos);
  CHECK(test::run_callc("build --color never -o " + out + " " + script).status == 0);
}

TEST_CASE("callc check proves a .callbc someone else built: a table applied behind the compiler's back is caught") {
  const TempDir dir;
  cs::bc::Image image = test::compile_clean("account.call", kAccount);
  const std::string clean = dir.write("clean.callbc", [&] {
    const auto bytes = cs::bc::serialize(image);
    return std::string(bytes.begin(), bytes.end());
  }());
  const auto ok = test::run_callc("check --color never " + clean);
  INFO(ok.out);
  CHECK(ok.status == 0);

  // A tool that applies a translation without proving it.
  cs::SourceFile tab("t.yaml", "prompts:\n  greet.1: \"您好，您的余额是{balance}元。\"\n");
  cs::Diagnostics table_diags(tab);
  REQUIRE(cs::apply_string_table(tab, image, table_diags));
  const auto bytes = cs::bc::serialize(image);
  const std::string bad = dir.write("bad.callbc", std::string(bytes.begin(), bytes.end()));
  const auto r = test::run_callc("check --color never " + bad);
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(r.out.find("error[E0434]: `balance` is private data") != std::string::npos);
  CHECK(r.out.find("(prompt `greet.1`)") != std::string::npos);
  // Bytes that are not a program are refused, not proved.
  const std::string junk = dir.write("junk.callbc", "CLBC\x02\x00");
  CHECK(test::run_callc("check --color never " + junk).status == 1);
}

TEST_CASE("prove_program names states and prompts when there are no sources") {
  cs::bc::Image image = test::compile_clean("account.call", kAccount);
  cs::SourceFile tab("t.yaml", "prompts:\n  greet.1: \"剩余{balance}元，2个工作日内处理。\"\n");
  cs::Diagnostics table_diags(tab);
  REQUIRE(cs::apply_string_table(tab, image, table_diags));
  cs::SourceFile none("account.callbc", "");
  cs::Diagnostics diags(none);
  cs::prove_program(image, diags);
  std::vector<std::string> codes;
  for (const auto& d : diags.all()) codes.emplace_back(cs::code_name(d.code));
  std::sort(codes.begin(), codes.end());
  CHECK(codes == std::vector<std::string>{"E0434", "E0437"});
}

TEST_CASE("callc check forbids the revisit promise words of the callscript.yaml that governs the script, as lint does") {
  const TempDir dir;
  std::filesystem::copy(std::string(CALLSCRIPT_SOURCE_DIR) + "/examples", dir.path / "examples", std::filesystem::copy_options::recursive);
  const std::string script = (dir.path / "examples" / "revisit.call").string();
  CHECK(test::run_callc("check --color never " + script).status == 0);
  dir.write("callscript.yaml", "lint:\n  rules:\n    revisit-promise:\n      add: [转交]\n");
  const auto r = test::run_callc("check --color never " + script);
  INFO(r.out);
  CHECK(r.status == 1);
  CHECK(r.out.find("error[E0438]: \"转交\" promises the customer") != std::string::npos);
  dir.write("callscript.yaml", "lint:\n  rules:\n    revisit-promise: {add: [转交], allow: [转交相关同事]}\n");
  CHECK(test::run_callc("check --color never " + script).status == 0);
  dir.write("callscript.yaml", "lint:\n  rulez: {}\n");
  CHECK(test::run_callc("check --color never " + script).status == 2);
}
