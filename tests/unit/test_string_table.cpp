// String tables: prompt texts replaced by id, checked as the compiler checks a `say`.
//
// The files under tests/strings are applied to examples/consult.call and carry their
// expectations in comments, as script tests do:
//   # expect: S0002 3:3 script `consult` has no prompt `gret.2`
// Every diagnostic must be expected and every expectation met. The S sections of
// grammar/ERRORS.md are checked here too (the bad table renders exactly as shown, the fix applies).
#include <callscript/session.h>
#include <callscript/string_table.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <regex>
#include <sstream>

namespace cs = callscript;
using callscript::test::read_file;

namespace {

struct Applied {
  bool ok = false;
  cs::bc::Image image;
  std::vector<std::string> diags;  // "S0002 3:3 message"
  std::string rendered;
};

Applied apply(const cs::bc::Image& base, const std::string& name, const std::string& yaml) {
  cs::SourceFile src(name, yaml);
  cs::Diagnostics diags(src);
  Applied out;
  out.image = base;
  out.ok = cs::apply_string_table(src, out.image, diags);
  out.diags = cs::test::findings(diags);
  out.rendered = cs::render_human(diags);
  return out;
}

const cs::bc::Image& consult() {
  static const cs::bc::Image image = cs::test::compile_repo_file("examples/consult.call");
  return image;
}

std::string text_of(const cs::bc::Image& im, std::string_view id) {
  for (const auto& p : im.prompts)
    if (im.str(p.id) == id) return std::string(im.str(p.text));
  return "(no prompt " + std::string(id) + ")";
}

cs::Instant at(int s) { return cs::Instant(std::chrono::seconds(s)); }

// A flow's prompt and a script-wide handler's, besides a state's.
const char* const kIds = R"(script ids {
  locale "zh-CN"
  slot hours: number = 1
  event pick_up
  event found
  event hangup
  on hangup { say "再见。" } -> done
  state ringing {
    on pick_up -> call hold then answer
  }
  flow hold {
    state wait {
      say "请您稍等。"
      on found -> return
    }
  }
  state answer {
    say "预计{hours}小时内联系您。"
    on found -> done
  }
  final done: resolved
}
)";

}  // namespace

TEST_CASE("every bad table under tests/strings reports exactly what it expects, and changes nothing") {
  const std::vector<std::uint8_t> before = cs::bc::serialize(consult());
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CALLSCRIPT_SOURCE_DIR "/tests/strings")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string text = read_file(entry.path());
    const Applied got = apply(consult(), entry.path().filename().string(), text);
    INFO(entry.path().filename().string());
    INFO(got.rendered);
    CHECK_FALSE(got.ok);
    CHECK(cs::bc::serialize(got.image) == before);  // all or nothing
    cs::test::check_expected_findings(text, 'S', got.diags);
  }
  CHECK(files >= 7);
}

// rustc's rule for its error index, as test_error_index.cpp applies it to the E and W codes.
TEST_CASE("every S code's table in grammar/ERRORS.md fails as shown, and its fix applies") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  std::size_t sections = 0;
  for (const auto& [code, examples, file, shown] :
       callscript::test::error_sections(index, "yaml", "callc build examples/consult.call --strings")) {
    if (!code.starts_with("S")) continue;
    INFO(code);
    REQUIRE(examples.size() == 2);
    REQUIRE_FALSE(file.empty());
    ++sections;
    const Applied bad = apply(consult(), file, examples.front());
    CHECK_FALSE(bad.ok);
    REQUIRE_FALSE(bad.diags.empty());
    CHECK(bad.diags.front().starts_with(code + " "));
    // The page's output ends with callc's summary line, which is not part of the rendering.
    CHECK(bad.rendered + file + ": " + std::to_string(bad.diags.size()) + (bad.diags.size() == 1 ? " error" : " errors") +
              ", 0 warnings\n" == shown);
    const Applied fixed = apply(consult(), file, examples.back());
    INFO(fixed.rendered);
    CHECK(fixed.ok);
  }
  CHECK(sections == 7);
}

TEST_CASE("an override is applied, verifies, and is what a Session renders") {
  const Applied got = apply(consult(), "en.yaml", R"(# English
locale: en-US
prompts:
  phrase.greeting: "Hello, this is agent {agent_id}. How may I help you?"
  phrase.closing: 'Thank you for calling, goodbye!'
)");
  INFO(got.rendered);
  REQUIRE(got.ok);
  CHECK(got.diags.empty());
  CHECK(cs::bc::verify(got.image).empty());
  CHECK(got.image.str(got.image.script.locale) == "en-US");
  CHECK(text_of(got.image, "phrase.closing") == "Thank you for calling, goodbye!");
  // Only prompt texts and the locale change: the same states, transitions, code and ids.
  const cs::bc::Image& base = consult();
  CHECK(got.image.code == base.code);
  CHECK(got.image.states.size() == base.states.size());
  CHECK(got.image.transitions.size() == base.transitions.size());
  REQUIRE(got.image.prompts.size() == base.prompts.size());
  for (std::size_t i = 0; i < base.prompts.size(); ++i) CHECK(got.image.str(got.image.prompts[i].id) == base.str(base.prompts[i].id));

  auto program = cs::test::load_through_bytes(got.image);
  cs::Session call(*program);
  REQUIRE(call.start(at(0)) == cs::Status::Ok);
  REQUIRE(call.send(*program->event_id("pick_up"), at(1)) == cs::Status::Ok);
  const auto prompts = call.prompts();
  REQUIRE(prompts.size() == 2);
  CHECK(prompts[0].id == "phrase.greeting");
  CHECK(prompts[0].text == "Hello, this is agent 1024. How may I help you?");
  CHECK(prompts[1].id == "first_need.1");  // not in the table: the script's own text
  CHECK(prompts[1].text == "今天致电是想咨询/反馈哪方面的问题呢？我会尽力帮您解决。");
}

TEST_CASE("flow and handler prompts are named by their ids, and plurals follow the table's locale") {
  const cs::bc::Image base = cs::test::compile_clean("ids.call", kIds);
  const Applied got = apply(base, "ids.en.yaml", R"(locale: en
prompts:
  hold.wait.1: "Please hold on."
  answer.1: "We will call you within {hours, plural, one {# hour} other {# hours}}."
  "@handlers.1": "Goodbye!"
)");
  INFO(got.rendered);
  REQUIRE(got.ok);
  auto program = cs::test::load_through_bytes(got.image);
  cs::Session call(*program);
  call.start(at(0));
  REQUIRE(call.send(*program->event_id("pick_up"), at(1)) == cs::Status::Ok);
  REQUIRE(call.prompts().size() == 1);
  CHECK(call.prompts()[0].id == "hold.wait.1");
  CHECK(call.prompts()[0].text == "Please hold on.");
  REQUIRE(call.send(*program->event_id("found"), at(2)) == cs::Status::Ok);
  CHECK(call.prompts().back().text == "We will call you within 1 hour.");
  REQUIRE(call.send(*program->event_id("hangup"), at(3)) == cs::Status::Ok);
  REQUIRE(call.prompts().size() == 1);
  CHECK(call.prompts()[0].id == "@handlers.1");
  CHECK(call.prompts()[0].text == "Goodbye!");

  // A flow's prompt is not found by its state's name alone.
  const Applied bare = apply(base, "bare.yaml", "prompts:\n  wait.1: \"Please hold on.\"\n");
  REQUIRE(bare.diags.size() == 1);
  CHECK(bare.diags[0].starts_with("S0002 2:3 script `ids` has no prompt `wait.1`"));
}

TEST_CASE("a caret inside a text lines up after escapes, doubled quotes, Chinese and a byte-order mark") {
  auto first = [](const std::string& yaml) {
    const Applied got = apply(consult(), "t.yaml", yaml);
    return got.diags.empty() ? std::string("(none)") : got.diags.front();
  };
  CHECK(first("prompts:\n  phrase.greeting: \"caf\\u00e9 {agent}\"\n").starts_with("S0003 2:32 "));
  CHECK(first("prompts:\n  phrase.greeting: 'it''s {agent}'\n").starts_with("S0003 2:28 "));
  CHECK(first("prompts:\n  phrase.greeting: 您好，工号{agent}\n").starts_with("S0003 2:26 "));
  CHECK(first("\xEF\xBB\xBFprompts:\n  phrase.greeting: \"{agent}\"\n").starts_with("S0003 2:22 "));
  // A folded block scalar cannot be traced byte by byte: the caret covers the whole value.
  CHECK(first("prompts:\n  phrase.greeting: >\n    Hello {agent}\n").starts_with("S0003 2:20 "));
}

TEST_CASE("the shape of a string table") {
  CHECK(apply(consult(), "e.yaml", "").diags == std::vector<std::string>{"S0007 1:1 the string table is empty"});
  CHECK(apply(consult(), "c.yaml", "# nothing yet\n").diags == std::vector<std::string>{"S0007 1:1 the string table is empty"});
  CHECK(apply(consult(), "l.yaml", "- phrase.greeting\n").diags.front().starts_with("S0006 1:1 a string table is a mapping"));
  CHECK(apply(consult(), "u.yaml", "prompts:\n  phrase.greeting: \"\xff\"\n").diags ==
        std::vector<std::string>{"S0001 2:21 string table is not valid UTF-8"});
  // `prompts:` with nothing under it is a table that changes nothing.
  const Applied empty = apply(consult(), "n.yaml", "prompts:\n");
  CHECK(empty.ok);
  CHECK(cs::bc::serialize(empty.image) == cs::bc::serialize(consult()));
  // A quoted number is a text; a locale tag is checked.
  CHECK(apply(consult(), "q.yaml", "prompts:\n  phrase.closing: \"12345\"\n").ok);
  CHECK(apply(consult(), "x.yaml", "locale: \"x!\"\nprompts: {}\n").diags.front().starts_with("S0006 1:9 `x!` is not a BCP 47"));
}

TEST_CASE("a text used twice goes into the string pool once") {
  const Applied got = apply(consult(), "twice.yaml", "prompts:\n  hold.wait.1: \"One moment, please.\"\n  hold.wait_more.1: \"One moment, please.\"\n");
  REQUIRE(got.ok);
  CHECK(got.image.strings.size() == consult().strings.size() + 1);
  // The script's own text again adds nothing.
  const Applied same = apply(consult(), "same.yaml", "prompts:\n  phrase.closing: \"" + text_of(consult(), "phrase.closing") + "\"\n");
  REQUIRE(same.ok);
  CHECK(same.image.strings.size() == consult().strings.size());
}

TEST_CASE("callc build, run and test take --strings, and a transcript may name its table") {
  const cs::test::TempDir dir;
  const std::string out = (dir.path / "strings_test.callbc").string();
  const auto build = cs::test::run_callc("build examples/consult.call --strings examples/strings/consult.en.yaml -o " + out);
  INFO(build.out);
  CHECK(build.status == 0);
  const auto disasm = cs::test::run_callc("disasm " + out);
  CHECK(disasm.out.find("Thank you for calling. Have a nice day, goodbye!") != std::string::npos);
  std::filesystem::remove(out);

  const auto bad = cs::test::run_callc("build examples/consult.call --strings tests/strings/S0002_unknown_id.yaml -o " + out);
  CHECK(bad.status == 1);
  CHECK(bad.out.find("tests/strings/S0002_unknown_id.yaml:3:3: error[S0002]") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  CHECK(cs::test::run_callc("build examples/consult.call --strings no/such.yaml -o " + out).status == 2);

  const auto piped = cs::test::run_callc("run --strings examples/strings/consult.en.yaml examples/consult.call < examples/consult.events");
  INFO(piped.out);
  CHECK(piped.status == 0);
  CHECK(piped.out.find("agent: Hello, thank you for calling customer service. This is agent 1024") != std::string::npos);

  const auto transcript = cs::test::run_callc("test examples/transcripts/consult_english.yaml");
  INFO(transcript.out);
  CHECK(transcript.status == 0);
  // --strings for transcripts that name no table: the Chinese expectations then fail.
  const auto translated = cs::test::run_callc("test --strings examples/strings/consult.en.yaml examples/transcripts/consult_no_voice.yaml");
  CHECK(translated.status == 1);
  CHECK(translated.out.find("error[T0010]") != std::string::npos);
  // A table with errors makes the transcript invalid (T0009), its own diagnostics printed first.
  const auto broken = cs::test::run_callc("test --strings tests/strings/S0007_unknown_key.yaml examples/transcripts/consult_no_voice.yaml");
  CHECK(broken.status == 1);
  CHECK(broken.out.find("tests/strings/S0007_unknown_key.yaml:2:1: error[S0007]") != std::string::npos);
  CHECK(broken.out.find("error[T0009]: the string table cannot be applied: tests/strings/S0007_unknown_key.yaml has 1 error") !=
        std::string::npos);

  for (const char* cmd : {"build", "run", "test"}) {
    const auto help = cs::test::run_callc(std::string(cmd) + " --help");
    INFO(cmd);
    CHECK(help.out.find("--strings") != std::string::npos);
  }
}
