// `callc lint`: the house rules on prompt texts (lib/lint), with its configuration, output formats
// and --fix. Kept out of main.cpp, which only lists it among the commands.
#pragma once

#include "lint/lint.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace callscript::cli {

extern const char* const kLintUsage;
extern const char* const kLintHelp;

// Exit codes: 0 clean (or findings below --fail-on), 1 findings at or above it or a script that
// does not parse, 2 usage, configuration or I/O error.
int lint_command(const std::vector<std::string>& args);

// The configurations in force (callscript.yaml), each file read once and its problems printed
// once: the linter's, and the revisit promise words that `callc check` and `build` forbid too.
class Configs {
 public:
  explicit Configs(bool color) : color_(color) {}
  // The one governing `script` (or `forced`); nothing when it cannot be read or has errors.
  const lint::Config* for_script(const std::string& script, const std::string& forced);

 private:
  bool color_;
  lint::Config defaults_ = lint::default_config();
  std::map<std::string, std::optional<lint::Config>> loaded_;
};

}  // namespace callscript::cli
