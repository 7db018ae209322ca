#include "cli/lint_command.h"

#include "cli/files.h"

#include "lint/lint.h"

#include <callscript/compiler.h>
#include <callscript/string_table.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>

namespace callscript::cli {

const char* const kLintUsage =
    "callc lint [--config FILE] [--format human|json|sarif] [--fail-on error|warning|note|never] [--fix]\n"
    "           [--color auto|always|never] FILE|DIR...\n"
    "callc lint [options] --strings TABLE.yaml [--strings TABLE.yaml]... FILE.call";
const char* const kLintHelp =
    "Check the rules of the house manuals on the text of the prompts (grammar/LINT.md): forbidden\n"
    "phrases, 你 for 您, turning words, sentence length, vague words in revisits, shouting online,\n"
    "jargon, and the spoken length of a state's prompts. A DIR is searched for *.call files.\n"
    "The configuration is the callscript.yaml nearest above each file, or --config FILE.\n"
    "--fix applies the safe replacements in place, then lints again. `// lint: allow RULE -- why`\n"
    "on a line, or on its own line above it, keeps a finding. --strings lints the texts of a string\n"
    "table too, as the prompts of FILE.call (which must compile, and the table apply to it), with\n"
    "the findings at the table's lines (`# lint: allow RULE -- why` there). Exit 0 clean (or findings below\n"
    "--fail-on, default error), 1 findings at or above it or a script that does not parse,\n"
    "2 usage, configuration or I/O error.";

namespace {

namespace fs = std::filesystem;
constexpr int kClean = 0, kFindings = 1, kUsage = 2;

struct LintOptions {
  std::vector<std::string> inputs, strings;
  std::string config, format = "human", fail_on = "error", color = "auto";
  bool fix = false;
};

int usage(const std::string& message) {
  std::cerr << "callc: " << message << "\n(try `callc lint --help`)\n";
  return kUsage;
}

std::optional<std::string> parse_args(const std::vector<std::string>& args, LintOptions& o) {
  const std::map<std::string, std::string*> valued = {
      {"--config", &o.config}, {"--format", &o.format}, {"--fail-on", &o.fail_on}, {"--color", &o.color}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const std::string flag = a.substr(0, a.find('='));
    if (a == "--fix") {
      o.fix = true;
    } else if (flag == "--strings") {
      if (a.size() > flag.size()) o.strings.push_back(a.substr(flag.size() + 1));
      else if (i + 1 < args.size()) o.strings.push_back(args[++i]);
      else return "option --strings needs a value";
    } else if (const auto v = valued.find(flag); v != valued.end()) {
      if (a.size() > flag.size()) *v->second = a.substr(flag.size() + 1);
      else if (i + 1 < args.size()) *v->second = args[++i];
      else return "option " + a + " needs a value";
    } else if (a.size() > 1 && a[0] == '-') {
      return "unknown option " + flag;
    } else {
      o.inputs.push_back(a);
    }
  }
  if (o.format != "human" && o.format != "json" && o.format != "sarif") return "--format is human, json or sarif";
  if (o.fail_on != "error" && o.fail_on != "warning" && o.fail_on != "note" && o.fail_on != "never")
    return "--fail-on is error, warning, note or never";
  if (o.color != "auto" && o.color != "always" && o.color != "never") return "--color is auto, always or never";
  if (o.inputs.empty()) return "lint needs at least one FILE or DIR";
  if (!o.strings.empty() && (o.inputs.size() != 1 || !o.inputs[0].ends_with(".call")))
    return "--strings lints a table as the texts of one script: give exactly one FILE.call";
  return std::nullopt;
}

std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    std::cerr << "callc: cannot read " << path << ": " << std::strerror(errno ? errno : EIO) << "\n";
    return std::nullopt;
  }
  return text.str();
}

// Rewrites a file through a temporary and a rename, so a failure never leaves half a script.
bool overwrite(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".lint-fix";
  std::ofstream(tmp, std::ios::binary | std::ios::trunc) << text;
  std::error_code ec;
  if (fs::file_size(tmp, ec) != text.size() || ec || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::cerr << "callc: cannot write " << path << "\n";
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// One linted file; the source outlives its diagnostics, which point into it.
struct Linted {
  std::unique_ptr<SourceFile> source;
  std::unique_ptr<Diagnostics> diags;
  lint::Result result;
};

Linted run_lint(const std::string& path, std::string text, const lint::Config& config) {
  Linted l;
  l.source = std::make_unique<SourceFile>(path, std::move(text));
  l.diags = std::make_unique<Diagnostics>(*l.source);
  FileSourceProvider files;
  l.result = lint::lint(*l.source, config, *l.diags, files);
  return l;
}

// A string table as texts of `script` (compiled to `image`): checked as `callc build --strings`
// checks it (its S errors are the findings when it does not apply), then linted.
Linted run_table(const std::string& path, std::string text, const SourceFile& script, const bc::Image& image,
                 const lint::Config& config) {
  Linted l;
  l.source = std::make_unique<SourceFile>(path, std::move(text));
  l.diags = std::make_unique<Diagnostics>(*l.source);
  bc::Image applied = image;
  FileSourceProvider files;
  if (apply_string_table(*l.source, applied, *l.diags)) l.result = lint::lint_strings(script, image, *l.source, config, *l.diags, files);
  return l;
}


bool fails(const Diagnostics& diags, const std::string& fail_on) {
  if (fail_on == "never") return false;
  const Severity limit = fail_on == "error" ? Severity::Error : fail_on == "warning" ? Severity::Warning : Severity::Note;
  // Severity orders Error < Warning < Note: a finding fails when it is at least as severe.
  return std::any_of(diags.all().begin(), diags.all().end(), [&](const Diagnostic& d) { return d.severity <= limit; });
}

void summary(const std::string& path, const Diagnostics& diags) {
  const std::size_t e = diags.error_count(), w = diags.warning_count(), n = diags.all().size() - e - w;
  if (e + w + n == 0) return;
  std::cerr << path << ": " << e << (e == 1 ? " error, " : " errors, ") << w << (w == 1 ? " warning, " : " warnings, ") << n
            << (n == 1 ? " note\n" : " notes\n");
}

}  // namespace

const lint::Config* Configs::for_script(const std::string& script, const std::string& forced) {
  std::string path = forced;
  if (path.empty())
    if (auto found = lint::find_config(script)) path = found->string();
  if (path.empty()) return &defaults_;
  if (auto it = loaded_.find(path); it != loaded_.end()) return it->second ? &*it->second : nullptr;
  std::optional<lint::Config>& slot = loaded_[path];
  if (auto text = slurp(path)) {
    const SourceFile file(path, std::move(*text));
    Diagnostics diags(file);
    slot = lint::load_config(file, diags);
    std::cerr << render_human(diags, {color_});
    if (!slot) std::cerr << path << ": " << diags.error_count() << (diags.error_count() == 1 ? " error" : " errors") << " in the lint configuration\n";
  }
  return slot ? &*slot : nullptr;
}

int lint_command(const std::vector<std::string>& args) {
  LintOptions o;
  if (auto problem = parse_args(args, o)) return usage(*problem);
  const char* no_color = std::getenv("NO_COLOR");
  const bool color = (no_color == nullptr || *no_color == '\0') && (o.color == "always" || (o.color == "auto" && isatty(fileno(stderr))));

  std::vector<std::string> files;
  for (const std::string& input : o.inputs)
    if (!cli::collect_files(input, {".call"}, files)) return kUsage;

  // Every configuration is read before anything is linted: a bad one stops the run (exit 2).
  Configs configs(color);
  std::vector<const lint::Config*> governing;
  bool config_errors = false;
  for (const std::string& f : files) {
    governing.push_back(configs.for_script(f, o.config));
    config_errors |= governing.back() == nullptr;
  }
  if (config_errors) return kUsage;

  int status = kClean;
  std::size_t fixed = 0;
  std::vector<Linted> linted;
  // Lints one file with `run`, fixes it and lints again when asked, and prints what remains.
  const auto lint_one = [&](const std::string& path, const auto& run) {
    auto text = slurp(path);
    if (!text) {
      status = kUsage;
      return;
    }
    Linted l = run(path, std::move(*text));
    if (o.fix && l.result.parsed && !l.result.fixes.empty()) {
      const std::string repaired = lint::apply_fixes(l.source->text(), l.result.fixes);
      if (!overwrite(path, repaired)) {
        status = kUsage;
      } else {
        fixed += l.result.fixes.size();
        l = run(path, repaired);  // what remains
      }
    }
    if (status != kUsage && (!l.result.parsed || fails(*l.diags, o.fail_on))) status = kFindings;
    if (o.format == "human") {
      std::cerr << render_human(*l.diags, {color});
      summary(path, *l.diags);
    }
    linted.push_back(std::move(l));
  };
  for (std::size_t i = 0; i < files.size(); ++i)
    lint_one(files[i], [&](const std::string& path, std::string text) { return run_lint(path, std::move(text), *governing[i]); });

  if (!o.strings.empty() && !files.empty()) {
    // The tables need the script compiled (its prompt ids); read after any --fix of the script.
    auto text = slurp(files[0]);
    const SourceFile script(files[0], text ? std::move(*text) : std::string());
    Diagnostics compiled(script);
    FileSourceProvider sources;
    const std::optional<bc::Image> image = text ? compile(script, compiled, {.sources = sources}) : std::nullopt;
    if (!text) {
      status = kUsage;
    } else if (!image) {
      std::cerr << render_human(compiled, {color}) << "callc lint: " << files[0]
                << " does not compile, so its string tables cannot be linted (`callc check` it first)\n";
      status = std::max(status, kFindings);
    } else {
      for (const std::string& table : o.strings)
        lint_one(table, [&](const std::string& path, std::string t) { return run_table(path, std::move(t), script, *image, *governing[0]); });
    }
  }
  std::vector<const Diagnostics*> all;
  for (const Linted& l : linted) all.push_back(l.diags.get());
  if (o.format == "json") std::cout << render_json(all);
  else if (o.format == "sarif") std::cout << lint::render_sarif(all);
  if (o.fix) std::cerr << "callc lint: applied " << fixed << (fixed == 1 ? " fix\n" : " fixes\n");
  return status;
}

}  // namespace callscript::cli
