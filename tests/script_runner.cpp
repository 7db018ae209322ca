// Runs one script test: compiles a .call file and compares its diagnostics with the
// expectations written in its comments, Wren-style:
//
//   on hangup -> nowhere   // expect: E0201 7:16
//
// An expectation is `expect: CODE LINE:COL`, optionally followed by text the message must
// contain. Every diagnostic must be expected and every expectation met; a file without
// expectations must compile clean. A comment `// today: YYYY-MM-DD` compiles the file as
// `callc check --today` would, for W0003. Exit 0 on a pass, 1 on a failure (with a listing), 2
// on I/O.
#include <callscript/compiler.h>

#include "text/text.h"

#include <fstream>
#include <iostream>
#include <iterator>
#include <regex>
#include <sstream>

namespace cs = callscript;

struct Expectation {
  std::string code;
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
  cs::CompileOptions options;
  const std::regex today(R"(^\s*//\s*today:\s*([0-9]{4}-[0-9]{2}-[0-9]{2})\s*$)");
  const std::regex pattern(R"(expect:\s*([EW][0-9]{4})\s+([0-9]+):([0-9]+)[ \t]*([^\r\n]*))");
  std::istringstream lines(text);
  std::string line;
  for (std::uint32_t n = 1; std::getline(lines, line); ++n) {
    std::smatch m;
    if (std::regex_search(line, m, today)) options.today = cs::text::parse_date(m[1].str());
    if (std::regex_search(line, m, pattern))
      expected.push_back({m[1], static_cast<std::uint32_t>(std::stoul(m[2])), static_cast<std::uint32_t>(std::stoul(m[3])), m[4], n});
  }

  cs::SourceFile source(argv[1], std::move(text));
  cs::Diagnostics diags(source);
  cs::compile(source, diags, options);

  int failures = 0;
  for (const auto& d : diags.all()) {
    const auto at = source.position(d.span.begin);
    auto it = std::find_if(expected.begin(), expected.end(), [&](const Expectation& e) {
      return !e.met && e.code == cs::code_name(d.code) && e.line == at.line && e.column == at.column &&
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
