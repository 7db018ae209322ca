// `callc lint`: every rule with a hit and near misses that must not hit, the allow comments, the
// configuration (found by walking up, and every K code at its place), the output formats, --fix
// and the exit codes.
#include "lint/lint.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace cs = callscript;
namespace lint = callscript::lint;
using callscript::test::findings;
using callscript::test::read_file;
using callscript::test::run_callc;

namespace {

// Lints `items` (the lines inside a script's braces) as script `name` on `channel`; the findings
// as "CODE LINE:COL, ...", LINE counted from the first line of `items`.
std::string lint_items(const std::string& items, const std::string& name = "consult",
                                    const std::string& channel = "phone", const lint::Config& config = lint::default_config()) {
  const std::string text = "script " + name + " {\nchannel " + channel + "\nevent done\n" + items + "\nfinal bye: resolved\n}\n";
  cs::SourceFile src("t.call", text);
  cs::Diagnostics diags(src);
  cs::FileSourceProvider files;
  const lint::Result r = lint::lint(src, config, diags, files);
  INFO(cs::render_human(diags));
  REQUIRE(r.parsed);
  std::string out;
  for (const auto& d : diags.all()) {
    const auto at = src.position(d.span.begin);
    out += (out.empty() ? "" : ", ") + std::string(cs::code_name(d.code)) + " " + std::to_string(at.line - 3) + ":" + std::to_string(at.column);
  }
  return out;
}

// One prompt in a state named `s` (no time budget); findings on its line.
std::string lint_say(const std::string& text, const std::string& name = "consult", const std::string& channel = "phone") {
  return lint_items("state s {\n  say \"" + text + "\"\n  on done -> bye\n}", name, channel);
}

// One prompt in an outbound revisit: a script with a campaign, written after the state so that
// lines count as in lint_say.
std::string lint_revisit(const std::string& text, const lint::Config& config = lint::default_config()) {
  return lint_items("state s {\n  say \"" + text + "\"\n  on done -> bye\n}\nslot numbers: number host = 1\nevent ring\n"
                    "campaign reach {\n  numbers: numbers\n  passes: 3\n  interval: 6h\n  ring: 7 ring or 30s\n  on done -> s\n"
                    "  exhausted -> bye\n  no_numbers -> bye\n}",
                    "follow_up", "phone", config);
}

using List = std::vector<std::string>;  // findings() of a Diagnostics

// A small JSON reader, enough to check the shape of callc's output: objects, arrays, strings
// (escapes kept undecoded but skipped correctly), numbers, true, false, null.
struct Json {
  enum class Kind { Null, Bool, Number, String, Array, Object } kind = Kind::Null;
  std::string text;
  std::vector<Json> items;
  std::map<std::string, Json> fields;
  const Json& operator[](const std::string& k) const {
    static const Json none;
    auto it = fields.find(k);
    return it == fields.end() ? none : it->second;
  }
};

struct JsonReader {
  std::string_view s;
  std::size_t i = 0;
  bool ok = true;
  void ws() { while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) ++i; }
  std::string string() {
    std::string out;
    if (s[i] != '"') return ok = false, out;
    for (++i; i < s.size() && s[i] != '"'; ++i) {
      if (static_cast<unsigned char>(s[i]) < 0x20) ok = false;
      if (s[i] == '\\') out += s[i++];
      out += s[i];
    }
    ok = ok && i < s.size();
    ++i;
    return out;
  }
  Json value() {
    ws();
    Json v;
    if (i >= s.size()) return ok = false, v;
    if (s[i] == '{') {
      v.kind = Json::Kind::Object;
      ++i, ws();
      while (ok && i < s.size() && s[i] != '}') {
        std::string k = string();
        ws();
        if (s[i++] != ':') ok = false;
        v.fields[k] = value();
        ws();
        if (s[i] == ',') ++i, ws();
        else if (s[i] != '}') ok = false;
      }
      ++i;
    } else if (s[i] == '[') {
      v.kind = Json::Kind::Array;
      ++i, ws();
      while (ok && i < s.size() && s[i] != ']') {
        v.items.push_back(value());
        ws();
        if (s[i] == ',') ++i;
        else if (s[i] != ']') ok = false;
      }
      ++i;
    } else if (s[i] == '"') {
      v.kind = Json::Kind::String;
      v.text = string();
    } else {
      const std::size_t b = i;
      while (i < s.size() && std::string_view(",]} \n").find(s[i]) == std::string_view::npos) ++i;
      v.text = std::string(s.substr(b, i - b));
      v.kind = v.text == "null" ? Json::Kind::Null : (v.text == "true" || v.text == "false") ? Json::Kind::Bool : Json::Kind::Number;
      if (v.kind == Json::Kind::Number && v.text.find_first_not_of("-0123456789.eE+") != std::string::npos) ok = false;
    }
    return v;
  }
};

Json parse_json(const std::string& text) {
  JsonReader r{text};
  Json v = r.value();
  r.ws();
  INFO(text);
  REQUIRE(r.ok);
  REQUIRE(r.i == text.size());
  return v;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("callc_lint_" + std::to_string(::getpid()) + "_" + name)).string();
}

}  // namespace

TEST_CASE("lint: tests/lint/bad.call reports exactly the findings written in it, at their line and column") {
  const std::string path = CALLSCRIPT_SOURCE_DIR "/tests/lint/bad.call";
  const std::string text = read_file(path);
  cs::SourceFile src(path, text);
  cs::Diagnostics diags(src);
  cs::FileSourceProvider files;
  REQUIRE(lint::lint(src, lint::default_config(), diags, files).parsed);
  callscript::test::check_expected_findings(text, 'L', findings(diags));
  // Every rule is tripped.
  for (const auto& rule : lint::kRules) {
    bool seen = false;
    for (const auto& d : diags.all()) seen |= d.code == rule.code && d.rule == rule.name;
    INFO(rule.name);
    CHECK(seen);
  }
}

TEST_CASE("lint forbidden-phrase: spaces, punctuation and full-width forms inside a phrase; allowed longer words") {
  CHECK(lint_say("这个我不知道。") == "L0001 2:10");
  CHECK(lint_say("这个不 知道。") == "L0001 2:10");        // a space inside
  CHECK(lint_say("这个不，知道。") == "L0001 2:10");       // a comma inside
  CHECK(lint_say("这个不\u3000知道。") == "L0001 2:10");   // an ideographic space
  CHECK(lint_say("这事不归我管") == "L0001 2:8");
  CHECK(lint_say("喂，您好。") == "L0001 2:8");             // 喂 as a greeting
  CHECK(lint_say("您好，喂养宠物要注意。").empty());                // not a greeting, and 喂养
  CHECK(lint_say("如有不清楚的地方，请联系我们。").empty());        // an allowed longer word
  CHECK(lint_say("您知道吗？").empty());
  CHECK(lint_say("{done_text}知道了。").empty());                  // a placeholder is not text
}

TEST_CASE("lint informal-you: 你 (fixed to 您) and 你们 (no fix); 迷你 and 您 are not hits") {
  CHECK(lint_say("你好。") == "L0002 2:8");
  CHECK(lint_say("你们好。") == "L0002 2:8");
  CHECK(lint_say("您好，迷你套餐已开通。").empty());
  cs::SourceFile src("t.call", "script a {\nevent e\nstate s {\n say \"你好，你们好\"\n on e -> b\n}\nfinal b: resolved\n}\n");
  cs::Diagnostics diags(src);
  cs::FileSourceProvider files;
  const auto r = lint::lint(src, lint::default_config(), diags, files);
  REQUIRE(r.fixes.size() == 1);
  CHECK(r.fixes[0].replacement == "您");
}

TEST_CASE("lint turning-word: 但是 and 不过, not 不过期 or 通过") {
  CHECK(lint_say("但 是我们会处理。") == "L0003 2:8");
  CHECK(lint_say("不过我们会处理。") == "L0003 2:8");
  CHECK(lint_say("优惠券不过期，审核已通过。").empty());
}

TEST_CASE("lint sentence-length: clauses of at most 15 characters as a reader counts them") {
  CHECK(lint_say("这一句话一共有十六个字没有停顿啊。") == "L0004 2:8");
  CHECK(lint_say("这一句话一共有十五个字没有停顿。").empty());
  CHECK(lint_say("这一句话有十五个字，没有停顿的。后面一句也很短。").empty());  // clauses and sentences
  CHECK(lint_say("ＡＢＣＤ，这句话有十一个字呢！！！").empty());               // punctuation is not read
  CHECK(lint_say("今天致电是想咨询/反馈哪方面的问题呢？").empty());            // one of two alternatives is said
  CHECK(lint_say("这句话有十四个字再加上占位符{done_text}") == "L0004 2:8");  // a placeholder counts 2
  CHECK(lint_say("这句话有十三个字再加占位符{done_text}").empty());
  CHECK(lint_say("🇨🇳👨‍👩‍👧这句话有十三个字符的长度").empty());                   // graphemes, not code points
}

TEST_CASE("lint vague-word: only in revisits, which a campaign makes; 不可能 and 评估计划 are not hits") {
  CHECK(lint_revisit("大概明天到。") == "L0005 2:8");
  CHECK(lint_say("大概明天到。", "consult").empty());
  CHECK(lint_say("大概明天到。", "revisit_policy").empty());  // a name makes no revisit: a campaign does
  CHECK(lint_revisit("这不可能出错，评估计划已完成。").empty());
}

TEST_CASE("lint revisit-promise: a time or a result promised in a revisit, robustly read; denials are not") {
  CHECK(lint_revisit("我们会尽快处理。") == "L0011 2:11");
  CHECK(lint_revisit("我们会尽 快处理。") == "L0011 2:11");
  CHECK(lint_revisit("我们会在２４小时内处理，保证满意。") == "L0011 2:12, L0011 2:20");
  CHECK(lint_revisit("最迟3天给您答复。") == "L0011 2:8");
  CHECK(lint_revisit("我们不保证处理结果，也无法承诺处理时间。").empty());
  CHECK(lint_revisit("为了保证信息安全，请提供订单后四位。").empty());
  CHECK(lint_revisit("{n}小时内").empty());  // a placeholder is unknown
  CHECK(lint_say("我们会尽快处理。", "revisit").empty());  // not a revisit: no campaign
  lint::Config config = lint::default_config();
  config.promise_words.words.push_back("稍后");
  CHECK(lint_revisit("我们稍后回电。", config) == "L0011 2:10");
  config.rules[lint::rule_index(cs::Code::L0011)].enabled = false;
  CHECK(lint_revisit("我们会尽快处理。", config).empty());
}

TEST_CASE("lint online-shouting: ! and all-caps words on chat, full-width included; not on the phone") {
  CHECK(lint_say("好的！", "consult", "chat") == "L0006 2:10");
  CHECK(lint_say("ＰＬＥＡＳＥ稍等。", "consult", "online") == "L0006 2:8");
  CHECK(lint_say("Hello，请登录APP，A区。", "consult", "chat").empty());
  CHECK(lint_say("好的！PLEASE", "consult", "phone").empty());
}

TEST_CASE("lint jargon: an internal term without plain words in the same sentence") {
  CHECK(lint_say("请查看SLA。") == "L0007 2:11");
  CHECK(lint_say("请查看ｓｌａ。") == "L0007 2:11");                   // full-width, any case
  CHECK(lint_say("请查看SLA（服务时限承诺）。").empty());
  CHECK(lint_say("已转CRM，也就是客户资料系统。").empty());
  CHECK(lint_say("这块SLAB很重。").empty());                                  // not a whole word
  CHECK(lint_say("我已为您创建工单。").empty());                              // said to customers in 客户服务电话应对策略模板
}

TEST_CASE("lint spoken-length: a state's prompts against its budget at the configured rate") {
  std::string sixty;  // 60 characters in clauses of 5: 30 s at 120 a minute
  for (int i = 0; i < 12; ++i) sixty += "好好好好好，";
  CHECK(lint_items("state greet {\n  say \"" + sixty + "\"\n  on done -> bye\n}").empty());
  CHECK(lint_items("state greet {\n  say \"" + sixty + "\"\n  say \"y\"\n  on done -> bye\n}") == "L0008 1:7");
  CHECK(lint_items("state other {\n  say \"" + sixty + sixty + "\"\n  on done -> bye\n}").empty());  // no budget
  lint::Config config = lint::default_config();
  config.rate = 150;
  CHECK(lint_items("state greet {\n  say \"" + sixty + "y\"\n  on done -> bye\n}", "a", "phone", config).empty());
}

TEST_CASE("lint allow comments: by name or code, own line or trailing; missing reason and unused allows are findings") {
  CHECK(lint_items("state s {\n  // lint: allow L0003 -- verbatim\n  say \"不过好。\"\n  on done -> bye\n}").empty());
  CHECK(lint_items("state s {\n  say \"不过好。\" // lint: allow turning-word -- verbatim\n  on done -> bye\n}").empty());
  CHECK(lint_items("state s {\n  say \"不过好。\" // lint: allow turning-word\n  on done -> bye\n}") == "L0003 2:8, L0009 2:14");
  CHECK(lint_items("state s {\n  say \"好。\" // lint: allow L0003 -- x\n  on done -> bye\n}") == "L0010 2:27");
  CHECK(lint_items("state s {\n  say \"好。\" // lint: disallow\n  on done -> bye\n}") == "L0009 2:12");
  // Inside a string it is text, not a comment.
  CHECK(lint_items("state s {\n  say \"不过，// lint: allow L0003 -- x\"\n  on done -> bye\n}") == "L0003 2:8");
}

TEST_CASE("lint configuration: found by walking up, re-grades, disables, extends") {
  const auto found = lint::find_config(CALLSCRIPT_SOURCE_DIR "/tests/lint/project/scripts/chat.call");
  REQUIRE(found);
  CHECK(found->filename() == "callscript.yaml");
  CHECK(std::filesystem::equivalent(*found, CALLSCRIPT_SOURCE_DIR "/tests/lint/project/callscript.yaml"));
  CHECK_FALSE(lint::find_config("/chat.call"));
  const auto r = run_callc("lint --color never tests/lint/project");
  CHECK(r.status == 0);  // only warnings and a note
  CHECK(r.out.find("chat.call:8:15: warning[L0001]") != std::string::npos);  // re-graded by code
  CHECK(r.out.find("L0003") == std::string::npos);                          // turned off by name
  CHECK(r.out.find("warning[L0007]: jargon `工单号`") != std::string::npos);  // extended
  CHECK(r.out.find("chat.call:10:10: warning[L0004]: sentence of 22") != std::string::npos);
  CHECK(r.out.find("chat.call:9:") == std::string::npos);                   // 18 characters pass
  CHECK(r.out.find("about 6 s to say (14 characters at 150 a minute), over its budget of 5 s") != std::string::npos);
  CHECK(r.out.find("note[L0006]") != std::string::npos);                    // per channel
  CHECK(run_callc("lint --fail-on note tests/lint/project").status == 1);
}

TEST_CASE("lint configuration: every bad file under tests/lint/config reports its K codes at their place") {
  for (const auto& entry : std::filesystem::directory_iterator(CALLSCRIPT_SOURCE_DIR "/tests/lint/config")) {
    INFO(entry.path());
    const std::string text = read_file(entry.path());
    cs::SourceFile src(entry.path().filename().string(), text);
    cs::Diagnostics diags(src);
    CHECK_FALSE(lint::load_config(src, diags));
    callscript::test::check_expected_findings(text, 'K', findings(diags));
    const auto r = run_callc("lint --config " + entry.path().string() + " examples/consult.call");
    CHECK(r.status == 2);
  }
  cs::SourceFile bad_utf8("x.yaml", "lint: \xff\n");
  cs::Diagnostics diags(bad_utf8);
  CHECK_FALSE(lint::load_config(bad_utf8, diags));
  CHECK(findings(diags) == List{"K0001 1:7 lint configuration is not valid UTF-8"});
  cs::SourceFile empty("x.yaml", "");
  cs::Diagnostics none(empty);
  CHECK(lint::load_config(empty, none));
}

TEST_CASE("callc lint exit codes: 0 clean or below --fail-on, 1 findings or a script that does not parse, 2 usage and I/O") {
  const std::pair<const char*, int> cases[] = {
      {"lint examples", 0},
      {"lint tests/lint/bad.call", 1},
      {"lint --fail-on never tests/lint/bad.call", 0},
      {"lint --fail-on warning tests/lint/fix_after.call", 1},
      {"lint tests/lint/fix_after.call", 0},
      {"lint", 2},
      {"lint --bogus examples", 2},
      {"lint --format xml examples", 2},
      {"lint --fail-on sometimes examples", 2},
      {"lint --config", 2},
      {"lint --config /nonexistent/callscript.yaml examples", 2},
  };
  for (const auto& [args, status] : cases) {
    INFO(args);
    CHECK(run_callc(args).status == status);
  }
  const auto missing = run_callc("lint /nonexistent/x.call");
  CHECK(missing.status == 2);
  CHECK(missing.out.find("cannot read /nonexistent/x.call") != std::string::npos);
  const std::string broken = temp_path("broken.call");
  std::ofstream(broken) << "script a {\n  state s { say \"不过\" \n";
  const auto r = run_callc("lint " + broken);
  CHECK(r.status == 1);
  CHECK(r.out.find("error[E0") != std::string::npos);
  CHECK(r.out.find("L0003") == std::string::npos);
  for (const std::string content : {std::string(), std::string("script a { \xff\xfe }"), std::string("\xef\xbb\xbf")}) {
    std::ofstream(broken, std::ios::binary | std::ios::trunc) << content;
    CHECK(run_callc("lint " + broken).status == 1);
  }
  std::filesystem::remove(broken);
}

TEST_CASE("callc lint --format json: the compiler's JSON shape plus the rule") {
  const auto r = run_callc("lint --format json tests/lint/bad.call 2>/dev/null");
  CHECK(r.status == 1);
  const Json all = parse_json(r.out);
  REQUIRE(all.kind == Json::Kind::Array);
  CHECK(all.items.size() == 19);
  const Json& first = all.items[0];
  CHECK(first["code"].text == "L0008");
  CHECK(first["rule"].text == "spoken-length");
  CHECK(first["severity"].text == "warning");
  CHECK(first["file"].text == "tests/lint/bad.call");
  CHECK(first["line"].text == "14");
  CHECK(first["column"].text == "9");
  CHECK(first["notes"].items.size() == 5);
  CHECK(first["help"].kind == Json::Kind::String);
}

TEST_CASE("callc lint --format sarif: SARIF 2.1.0 with the rules and one result a finding, columns in code points") {
  const auto r = run_callc("lint --format sarif tests/lint/bad.call 2>/dev/null");
  CHECK(r.status == 1);
  const Json log = parse_json(r.out);
  CHECK(log["version"].text == "2.1.0");
  CHECK(log["$schema"].text.find("sarif") != std::string::npos);
  REQUIRE(log["runs"].items.size() == 1);
  const Json& run = log["runs"].items[0];
  CHECK(run["columnKind"].text == "unicodeCodePoints");
  const Json& driver = run["tool"]["driver"];
  CHECK(driver["name"].text == "callc");
  REQUIRE(driver["rules"].items.size() == lint::kRules.size());
  CHECK(driver["rules"].items[0]["id"].text == "L0001");
  CHECK(driver["rules"].items[0]["name"].text == "forbidden-phrase");
  CHECK(driver["rules"].items[0]["shortDescription"]["text"].text == "forbidden phrase in a prompt");
  CHECK(driver["rules"].items[0]["defaultConfiguration"]["level"].text == "error");
  const Json& results = run["results"];
  REQUIRE(results.items.size() == 19);
  // 你 on line 16 of bad.call: column 12 (code points, not bytes), one character wide.
  bool found = false;
  for (const Json& res : results.items) {
    if (res["ruleId"].text != "L0002" || res["locations"].items[0]["physicalLocation"]["region"]["startLine"].text != "16") continue;
    const Json& loc = res["locations"].items[0]["physicalLocation"];
    CHECK(loc["artifactLocation"]["uri"].text == "tests/lint/bad.call");
    CHECK(loc["region"]["startColumn"].text == "12");
    CHECK(loc["region"]["endLine"].text == "16");
    CHECK(loc["region"]["endColumn"].text == "13");
    CHECK(res["level"].text == "warning");
    CHECK(res["message"]["text"].text.find("`你` towards the customer") == 0);
    found = true;
  }
  CHECK(found);
}

TEST_CASE("SARIF artifact URIs are RFC 3986 references: relative paths stay relative, absolute ones are file:// URIs") {
  CHECK(lint::file_uri_reference("tests/lint/bad.call") == "tests/lint/bad.call");
  CHECK(lint::file_uri_reference("./x.call") == "./x.call");
  CHECK(lint::file_uri_reference("../up/x.call") == "../up/x.call");
  // A space, '#' (a fragment otherwise), '%' and the UTF-8 bytes of Chinese are escaped.
  CHECK(lint::file_uri_reference("my scripts/回访 #1 100%.call") == "my%20scripts/%E5%9B%9E%E8%AE%BF%20%231%20100%25.call");
  CHECK(lint::file_uri_reference("/home/a b/回访.call") == "file:///home/a%20b/%E5%9B%9E%E8%AE%BF.call");
  // A ':' in the first segment of a relative reference would read as a scheme; elsewhere it may stay.
  CHECK(lint::file_uri_reference("a:b.call") == "a%3Ab.call");
  CHECK(lint::file_uri_reference("dir/a:b.call") == "dir/a:b.call");
  CHECK(lint::file_uri_reference("/srv/a:b.call") == "file:///srv/a:b.call");
  // What RFC 3986 allows in a segment stays as it is; '?', '[' and '"' do not.
  CHECK(lint::file_uri_reference("x-._~!$&'()*+,;=@.call") == "x-._~!$&'()*+,;=@.call");
  CHECK(lint::file_uri_reference("q?[1]\"a\".call") == "q%3F%5B1%5D%22a%22.call");
}

TEST_CASE("callc lint --format sarif: a script that does not parse reports its E code, and every ruleId is a rule") {
  const std::string broken = temp_path("sarif broken #1.call");
  std::ofstream(broken) << "script a {\n  state s { say \"你好\" \n";
  const auto r = run_callc("lint --format sarif '" + broken + "' tests/lint/bad.call 2>/dev/null");
  std::filesystem::remove(broken);
  CHECK(r.status == 1);
  const Json log = parse_json(r.out);
  const Json& run = log["runs"].items.at(0);
  std::vector<std::string> ids;
  for (const Json& rule : run["tool"]["driver"]["rules"].items) ids.push_back(rule["id"].text);
  // The house rules first, in the table's order, then the compiler's codes that results name.
  REQUIRE(ids.size() > lint::kRules.size());
  CHECK(ids[0] == "L0001");
  CHECK(ids[lint::kRules.size()][0] == 'E');
  bool parse_error = false;
  for (const Json& res : run["results"].items) {
    const std::string& id = res["ruleId"].text;
    const auto at = std::find(ids.begin(), ids.end(), id);
    INFO(id);
    REQUIRE(at != ids.end());
    CHECK(res["ruleIndex"].text == std::to_string(at - ids.begin()));
    if (id[0] != 'E') continue;
    parse_error = true;
    CHECK(res["level"].text == "error");
    const std::string uri = res["locations"].items[0]["physicalLocation"]["artifactLocation"]["uri"].text;
    CHECK(uri.rfind("file:///", 0) == 0);
    CHECK(uri.find("sarif%20broken%20%231.call") != std::string::npos);
  }
  CHECK(parse_error);
}

TEST_CASE("callc lint --fix rewrites only the safe replacements inside strings, then lints again") {
  const std::string copy = temp_path("fix.call");
  std::filesystem::copy_file(CALLSCRIPT_SOURCE_DIR "/tests/lint/fix_before.call", copy, std::filesystem::copy_options::overwrite_existing);
  const auto r = run_callc("lint --fix --color never " + copy);
  CHECK(r.status == 0);
  CHECK(r.out.find("applied 4 fixes") != std::string::npos);
  CHECK(r.out.find("0 errors, 2 warnings") != std::string::npos);  // what remains
  CHECK(read_file(copy) == read_file(CALLSCRIPT_SOURCE_DIR "/tests/lint/fix_after.call"));
  const auto again = run_callc("lint --fix " + copy);
  CHECK(again.out.find("applied 0 fixes") != std::string::npos);
  // A script that does not parse is never rewritten.
  std::ofstream(copy, std::ios::binary | std::ios::trunc) << "script a { state s { say \"你好\" ";
  CHECK(run_callc("lint --fix " + copy).status == 1);
  CHECK(read_file(copy) == "script a { state s { say \"你好\" ");
  std::filesystem::remove(copy);
}

TEST_CASE("a phrase is linted where it is written, and counts where it is said") {
  // The script's own phrase: a finding at its text; `say NAME` adds no second finding.
  CHECK(lint_items("phrase sorry \"这个我不知道。\"\nstate s {\n  say sorry\n  on done -> bye\n}") == "L0001 1:17");
  // An imported phrase is the library's to lint, but a state's spoken length counts it.
  const callscript::test::TempDir scratch;
  const std::filesystem::path& dir = scratch.path;
  scratch.write("lib/long.call", "library long_phrases {\n  phrase long \"" + std::string(30, 'x') + "\"\n}\n");
  const std::string text = "script s {\n  import \"lib/long.call\"\n  event done\n  state greet {\n    say long\n    say long\n    on done -> bye\n  }\n  final bye: resolved\n}\n";
  lint::Config config = lint::default_config();
  config.budgets["greet"] = 20;  // 40 characters a 20 s at 120 a minute; 60 are said
  cs::SourceFile src((dir / "main.call").string(), text);
  cs::Diagnostics diags(src);
  cs::FileSourceProvider files;
  REQUIRE(lint::lint(src, config, diags, files).parsed);
  INFO(cs::render_human(diags));
  REQUIRE(findings(diags) == List{"L0008 4:9 the prompts of state `greet` take about 30 s to say (60 characters at 120 a minute), over its budget of 20 s"});
  // Its notes point at the `say` lines of this file, not into the library.
  REQUIRE(diags.all()[0].notes.size() == 2);
  CHECK(diags.all()[0].notes[0].span->file == 0);
  CHECK(src.position(diags.all()[0].notes[1].span->begin).line == 6);
}

TEST_CASE("a prompt nested deeper than the compiler's bound is linted without exhausting the stack") {
  std::string deep;
  for (int i = 0; i < 20000; ++i) deep += "{a, select, x {";
  deep += "你";
  for (int i = 0; i < 20000; ++i) deep += "} other {}}";
  const std::string text = "script s {\n  slot a: text\n  event done\n  state t {\n    say \"" + deep + "\"\n    on done -> bye\n  }\n  final bye: resolved\n}\n";
  cs::SourceFile src("deep.call", text);
  cs::Diagnostics diags(src);
  cs::FileSourceProvider files;
  CHECK(lint::lint(src, lint::default_config(), diags, files).parsed);  // and no crash
}

// The L sections of grammar/ERRORS.md show `callc lint` on their example: each must report its
// code with exactly that output, and its fix must lint clean.
TEST_CASE("every lint example in grammar/ERRORS.md lints as shown, and its fix lints clean") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  std::size_t sections = 0;
  for (const auto& [code, examples, file, shown] : callscript::test::error_sections(index, "call", "callc lint")) {
    if (code[0] != 'L' || examples.size() < 2 || file.empty()) continue;
    ++sections;
    INFO(code);
    cs::SourceFile src(file, examples.front());
    cs::Diagnostics diags(src);
    cs::MemorySourceProvider files;
    lint::lint(src, lint::default_config(), diags, files);
    const std::size_t last = shown.rfind(file + ": ");
    CHECK(cs::render_human(diags) == (last == std::string::npos ? shown : shown.substr(0, last)));
    cs::SourceFile fixed(file, examples.back());
    cs::Diagnostics fixed_diags(fixed);
    lint::lint(fixed, lint::default_config(), fixed_diags, files);
    INFO(cs::render_human(fixed_diags));
    CHECK(fixed_diags.all().empty());
  }
  CHECK(sections == lint::kRules.size());
}
