// Loading business calendars from YAML: every error path with its code, line and column.
//
// The files under tests/calendars carry their expectations in comments, as script tests do:
//   # expect: C0005 1:12 ICU knows no time zone
// Every diagnostic must be expected and every expectation met. The YAML examples of the C codes in
// grammar/ERRORS.md are checked here too (the bad one renders exactly as shown, the fix loads).
#include <callscript/calendar_yaml.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <random>
#include <regex>
#include <sstream>

namespace cs = callscript;
using callscript::test::read_file;

namespace {

struct Loaded {
  std::optional<cs::BusinessCalendar> calendar;
  std::vector<std::string> diags;  // "C0005 1:12 message"
  std::string rendered;
};

Loaded load(const std::string& name, const std::string& yaml) {
  cs::SourceFile src(name, yaml);
  cs::Diagnostics diags(src);
  Loaded out;
  out.calendar = cs::load_calendar(src, diags);
  out.diags = cs::test::findings(diags);
  out.rendered = cs::render_human(diags);
  return out;
}

const char* const kGood = R"(time_zone: Asia/Shanghai
working_hours: ["09:00-18:00"]
range: {from: 2025-01-01, to: 2025-12-31}
)";

}  // namespace

TEST_CASE("every bad calendar under tests/calendars reports exactly what it expects") {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CALLSCRIPT_SOURCE_DIR "/tests/calendars")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const std::string text = read_file(entry.path());
    const Loaded got = load(entry.path().filename().string(), text);
    INFO(entry.path().filename().string());
    INFO(got.rendered);
    CHECK_FALSE(got.calendar);
    cs::test::check_expected_findings(text, 'C', got.diags);
  }
  CHECK(files >= 12);
}

// rustc's rule for its error index, as test_error_index.cpp applies it to the E and W codes.
TEST_CASE("every C code's YAML example in grammar/ERRORS.md fails as shown, and its fix loads") {
  const std::string index = read_file(CALLSCRIPT_SOURCE_DIR "/grammar/ERRORS.md");
  std::size_t sections = 0;
  for (std::size_t at = index.find("\n## C"); at != std::string::npos;) {
    const std::size_t next = index.find("\n## ", at + 1);
    const std::string section = index.substr(at + 4, next == std::string::npos ? std::string::npos : next - at - 4);
    at = index.find("\n## C", at + 1);
    const std::string code = section.substr(0, section.find(':'));
    std::vector<std::string> examples;
    std::string shown;
    for (std::size_t pos = 0; (pos = section.find("```", pos)) != std::string::npos;) {
      const std::size_t body = section.find('\n', pos) + 1;
      const std::size_t end = section.find("```", body);
      if (end == std::string::npos) break;
      const std::string lang = section.substr(pos + 3, body - pos - 4);
      if (lang == "yaml") examples.push_back(section.substr(body, end - body));
      else if (lang.empty()) shown = section.substr(body, end - body);
      pos = end + 3;
    }
    INFO(code);
    REQUIRE(examples.size() >= 2);
    REQUIRE_FALSE(shown.empty());
    ++sections;
    const std::string file = shown.substr(0, shown.find(':'));
    const Loaded bad = load(file, examples.front());
    CHECK_FALSE(bad.calendar);
    CHECK(bad.diags.front().starts_with(code));
    CHECK(bad.rendered == shown);
    const Loaded fixed = load(file, examples.back());
    INFO(fixed.rendered);
    CHECK(fixed.calendar);
  }
  CHECK(sections == 12);
}

TEST_CASE("the shape of the document") {
  CHECK(load("empty.yaml", "").diags == std::vector<std::string>{"C0003 1:1 the calendar is empty"});
  CHECK(load("comment.yaml", "# nothing yet\n").diags == std::vector<std::string>{"C0003 1:1 the calendar is empty"});
  CHECK(load("list.yaml", "- time_zone\n").diags.front().starts_with("C0004 1:1 a calendar is a map"));
  CHECK(load("scalar.yaml", "calendar\n").diags.front().starts_with("C0004 1:1"));
  CHECK(load("utf8.yaml", "name: \"\xff\"\n").diags == std::vector<std::string>{"C0001 1:8 calendar is not valid UTF-8"});
  const auto none = load("none.yaml", "name: x\n").diags;
  CHECK(none.size() == 3);  // time_zone, working_hours, range
  CHECK(load("name.yaml", std::string("name: [a]\n") + kGood).diags == std::vector<std::string>{"C0004 1:7 expected a name"});
  // An empty value points at its key.
  CHECK(load("tz.yaml", "time_zone:\nworking_hours: [\"09:00-18:00\"]\nrange: {from: 2025-01-01, to: 2025-01-31}\n").diags ==
        std::vector<std::string>{"C0004 1:1 expected a time zone id such as Asia/Shanghai"});
}

TEST_CASE("a Chinese name before the error does not shift its column") {
  const auto got = load("zh.yaml", std::string("name: 客服中心工作日历\ntime_zone: 北京时间\n") +
                                       "working_hours: [\"09:00-18:00\"]\nrange: {from: 2025-01-01, to: 2025-01-31}\n");
  REQUIRE(got.diags.size() == 1);
  CHECK(got.diags.front() == "C0005 2:12 ICU knows no time zone `北京时间`");
}

TEST_CASE("ranges: reversed, too long, outside the years a table can hold") {
  auto range = [](const char* r) {
    return load("r.yaml", std::string("time_zone: UTC\nworking_hours: [\"09:00-18:00\"]\nrange: ") + r + "\n").diags;
  };
  CHECK(range("{from: 2025-01-01, to: 2080-01-01}") == std::vector<std::string>{"C0006 3:31 the range covers more than 50 years"});
  CHECK(range("{from: 1969-12-31, to: 1970-01-31}").front().starts_with("C0006 3:15 the range must lie within"));
  CHECK(range("[2025-01-01, 2025-12-31]").front().starts_with("C0004 3:8"));
  CHECK(range("{from: 2025-01-01, to: 2025-12-31, from: 2025-02-01}").front().starts_with("C0012 3:43"));
  CHECK(range("{from: 2025-01-01, to: 2025-12-31}").empty());
}

TEST_CASE("other weekends, work up to midnight, and an empty list") {
  // A Friday-Saturday weekend: a make-up Friday is fine, a make-up Sunday is not a weekend day.
  const auto fri_sat = load("gulf.yaml", R"(time_zone: Asia/Riyadh
working_hours: ["16:00-24:00"]
weekend: [fri, sat]
holidays: []
makeup_workdays: [2025-03-07, 2025-03-09]
range: {from: 2025-03-01, to: 2025-03-31}
)");
  CHECK(fri_sat.diags == std::vector<std::string>{"C0009 5:31 2025-03-09 is a Sunday, not a weekend day"});
  const auto night = load("night.yaml", R"(time_zone: Asia/Riyadh
working_hours: ["16:00-24:00"]
weekend: [fri, sat]
makeup_workdays: [2025-03-07]
range: {from: 2025-03-01, to: 2025-03-31}
)");
  REQUIRE(night.calendar);
  // 22:00 (UTC+3) on Thursday 6 March + 3 workhours: 2 h to midnight, then Friday 7 March (a
  // make-up day) 16:00-17:00.
  const auto start = cs::Instant(std::chrono::sys_days{std::chrono::year(2025) / 3 / 6}) + std::chrono::hours(19);
  const auto r = night.calendar->add_work_time(start, std::chrono::hours(3));
  REQUIRE(r.ok());
  CHECK(r.at == cs::Instant(std::chrono::sys_days{std::chrono::year(2025) / 3 / 7}) + std::chrono::hours(14));
  CHECK(load("hours.yaml", R"(time_zone: UTC
working_hours: []
range: {from: 2025-03-01, to: 2025-03-31}
)").diags == std::vector<std::string>{"C0007 2:16 no working hours are given"});
}

TEST_CASE("the loader never throws or crashes on junk") {
  std::mt19937 rng(8);
  const std::string alphabet = "{}[]:,-#\"' \n\tabc09.&*!|>%@`\xe5\xae\xa2";
  for (int round = 0; round < 300; ++round) {
    std::string junk(rng() % 120, ' ');
    for (char& c : junk) c = alphabet[rng() % alphabet.size()];
    if (round % 3 == 0) junk = std::string(kGood) + junk;
    CHECK_NOTHROW((void)load("junk.yaml", junk));
  }
  CHECK_NOTHROW((void)load("deep.yaml", std::string(5000, '[') + std::string(5000, ']')));
}
