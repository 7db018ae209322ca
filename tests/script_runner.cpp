// Runs one script test: compiles a .call file and compares its diagnostics with the
// expectations written in its comments, Wren-style:
//
//   on hangup -> nowhere   // expect: E0201 7:16
//
// An expectation is `expect: CODE LINE:COL`, optionally followed by text the message must
// contain; `expect: CODE FILE:LINE:COL` is one in an imported file (FILE as its diagnostics name
// it, relative to this one's folder). Every diagnostic must be expected and every expectation
// met; a file without expectations must compile clean. A comment `// today: YYYY-MM-DD` compiles
// the file as `callc check --today` would, for W0003. Exit 0 on a pass, 1 on a failure (with a
// listing), 2 on I/O.
#include <callscript/compiler.h>

#include "text/text.h"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <sstream>

namespace cs = callscript;

struct Expectation {
  std::string code;
  std::string file;  // empty: this file
  std::uint32_t line, column;
  std::string contains;
  std::uint32_t written_on;
  bool met = false;
};

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: script_runner FILE.call\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 2;
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  std::vector<Expectation> expected;
  std::optional<std::chrono::sys_days> today_date;
  const std::regex today(R"(^\s*//\s*today:\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*$)");
  const std::regex pattern(R"(expect:\s*([EW][0-9]{4})\s+(?:([^\s:]+):)?([0-9]+):([0-9]+)[ \t]*([^\r\n]*))");
  std::istringstream lines(text);
  std::string line;
  for (std::uint32_t n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, today)) today_date = cs::text::parse_date(m[1].str());
    if (std::regex_search(line, m, pattern))
      expected.push_back({m[1], m[2], static_cast<std::uint32_t>(std::stoul(m[3])), static_cast<std::uint32_t>(std::stoul(m[4])), m[5], n});
  }

  cs::SourceFile source(argv[1], std::move(text));
  cs::Diagnostics diags(source);
  cs::FileSourceProvider files;
  cs::compile(source, diags, {.sources = files, .today = today_date});

  int failures = 0;
  for (const auto& d : diags.all()) {
    const cs::SourceFile& in_file = diags.source(d.span.file);
    const auto at = in_file.position(d.span.begin);
    const std::string folder = std::filesystem::path(argv[1]).parent_path().string();
    const auto named = [&](const std::string& f) {
      return f.empty() ? d.span.file == 0 : std::filesystem::path(in_file.name()).lexically_normal() == (std::filesystem::path(folder) / f).lexically_normal();
    };
    auto it = std::find_if(expected.begin(), expected.end(), [&](const Expectation& e) {
      return !e.met && e.code == cs::code_name(d.code) && named(e.file) && e.line == at.line && e.column == at.column &&
             d.message.find(e.contains) != std::string::npos;
    });
    if (it != expected.end()) {
      it->met = true;
      continue;
    }
    ++failures;
    std::cout << "unexpected: " << cs::code_name(d.code) << " " << at.line << ":" << at.column << " " << d.message << "\n";
  }
  for (const auto& e : expected) {
    if (e.met) continue;
    ++failures;
    std::cout << "missing (expectation on line " << e.written_on << "): " << e.code << " " << e.line << ":" << e.column
              << (e.contains.empty() ? "" : " \"" + e.contains + "\"") << "\n";
  }
  if (failures) {
    std::cout << "--- diagnostics as rendered ---\n" << cs::render_human(diags);
    return 1;
  }
  std::cout << argv[1] << ": " << expected.size() << " expected diagnostics, all met\n";
  return 0;
}
