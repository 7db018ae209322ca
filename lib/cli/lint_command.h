// `callc lint`: the house rules on prompt texts (lib/lint), with its configuration, output formats
// and --fix. Kept out of main.cpp, which only lists it among the commands.
#pragma once

#include <string>
#include <vector>

namespace callscript::cli {

extern const char* const kLintUsage;
extern const char* const kLintHelp;

// Exit codes: 0 clean (or findings below --fail-on), 1 findings at or above it or a script that
// does not parse, 2 usage, configuration or I/O error.
int lint_command(const std::vector<std::string>& args);

}  // namespace callscript::cli
