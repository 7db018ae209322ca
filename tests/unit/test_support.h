// Helpers the unit tests share: running build/callc, reading files, and walking the sections
// of grammar/ERRORS.md.
#pragma once

#include <callscript/compiler.h>
#include <callscript/program.h>

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <string_view>
#include <vector>
#include <filesystem>
#include <unistd.h>

namespace callscript::test {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot read " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Compiles `text` as the file `name`; the test stops unless it compiles without a diagnostic.
// What it names (a calendar, imports) is read from disk relative to `name`, as callc reads it.
inline bc::Image compile_clean(const std::string& name, const std::string& text) {
  SourceFile src(name, text);
  Diagnostics diags(src);
  FileSourceProvider files;
  auto image = compile(src, diags, {.sources = files});
  INFO(render_human(diags));
  REQUIRE(image);
  CHECK(diags.all().empty());
  return std::move(*image);
}

// The image serialised and loaded back as a host would, through the checksum and the verifier.
inline std::shared_ptr<const Program> load_through_bytes(const bc::Image& image) {
  auto loaded = Program::load(bc::serialize(image));
  INFO(loaded.error);
  REQUIRE(loaded.program);
  return loaded.program;
}

// A script of the repository (`examples/consult.call`), compiled as above under its full path,
// so that what it imports or names (a calendar) is found relative to it.
inline bc::Image compile_repo_file(const std::string& relative) {
  const std::string path = std::string(CALLSCRIPT_SOURCE_DIR "/") + relative;
  return compile_clean(path, read_file(path));
}

// A directory of the test's own under the system's temporary directory (mkdtemp, so two suites
// running at once never share one), removed with everything in it at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "callscript_test_XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  // Writes `bytes` to `name` (folders made as needed) and returns its path.
  std::string write(const std::string& name, const std::string& bytes) const {
    const std::filesystem::path p = path / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
};

struct CallcRun {
  int status;
  std::string out;  // stdout and stderr together
};

// Runs callc from the repository root with `env` (NO_COLOR empty by default) and `args`.
inline CallcRun run_callc(const std::string& args, const std::string& env = "NO_COLOR=") {
  const std::string cmd = "cd " CALLSCRIPT_SOURCE_DIR " && env " + env + " " CALLC_PATH " " + args + " 2>&1";
  CallcRun r{-1, {}};
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// One `## CODE: title` section of ERRORS.md: its examples in ```LANG blocks (the erroneous one
// first, the fix last) and the output block that starts with `$ COMMAND FILE`.
struct ErrorSection {
  std::string code;
  std::vector<std::string> examples;
  std::string file, shown;
};

inline std::vector<ErrorSection> error_sections(const std::string& index, std::string_view lang, std::string_view command) {
  std::vector<ErrorSection> out;
  const std::string prompt = "$ " + std::string(command) + " ";
  for (std::size_t at = index.find("\n## "); at != std::string::npos;) {
    const std::size_t next = index.find("\n## ", at + 1);
    const std::string section = index.substr(at + 4, next == std::string::npos ? std::string::npos : next - at - 4);
    at = next;
    ErrorSection s{section.substr(0, section.find(':')), {}, {}, {}};
    for (std::size_t pos = 0; (pos = section.find("```", pos)) != std::string::npos;) {
      const std::size_t body = section.find('\n', pos) + 1;
      const std::size_t end = section.find("```", body);
      if (end == std::string::npos) break;
      const std::string text = section.substr(body, end - body);
      if (section.compare(pos + 3, body - pos - 4, lang) == 0 && body - pos - 4 == lang.size()) s.examples.push_back(text);
      else if (text.starts_with(prompt)) {
        s.file = text.substr(prompt.size(), text.find('\n') - prompt.size());
        s.shown = text.substr(text.find('\n') + 1);
      }
      pos = end + 3;
    }
    out.push_back(std::move(s));
  }
  return out;
}

// Each diagnostic as "CODE LINE:COL message", the form expectation comments are written in.
inline std::vector<std::string> findings(const Diagnostics& diags) {
  std::vector<std::string> out;
  for (const Diagnostic& d : diags.all()) {
    const Position at = diags.source().position(d.span.begin);
    out.push_back(std::string(code_name(d.code)) + " " + std::to_string(at.line) + ":" + std::to_string(at.column) + " " + d.message);
  }
  return out;
}

// The `# expect: CODE LINE:COL text` comments of a bad YAML file (`prefix` is the code's letter):
// every one must be reported, at its place and with its text, and nothing else.
inline void check_expected_findings(const std::string& text, char prefix, const std::vector<std::string>& found) {
  const std::regex pattern(std::string(R"(expect:\s*()") + prefix + R"([0-9]{4})\s+([0-9]+):([0-9]+)[ \t]*([^\r\n]*))");
  std::vector<std::string> expected, contains;  // "CODE LINE:COL ", and text the message must contain
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    expected.push_back((*it)[1].str() + " " + (*it)[2].str() + ":" + (*it)[3].str() + " ");
    contains.push_back((*it)[4]);
  }
  REQUIRE_FALSE(expected.empty());
  std::vector<bool> met(expected.size(), false);
  for (const std::string& d : found) {
    bool hit = false;
    for (std::size_t i = 0; i < expected.size() && !hit; ++i)
      if (!met[i] && d.starts_with(expected[i]) && d.find(contains[i], expected[i].size()) != std::string::npos)
        met[i] = hit = true;
    INFO("unexpected: " << d);
    CHECK(hit);
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("not reported: " << expected[i] << contains[i]);
    CHECK(met[i]);
  }
}

}  // namespace callscript::test
