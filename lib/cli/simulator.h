// `callc run`: a text simulator of one call on a virtual clock.
#pragma once

#include <callscript/program.h>

#include <iosfwd>
#include <string>

namespace callscript::cli {

struct SimulatorOptions {
  bool interactive = false;   // a person at a terminal: refuse bad commands and go on
  bool echo = false;          // print each command read (when it does not come from a terminal)
  std::string source = "<stdin>";  // name for messages about the command input
  Instant start{};                 // where the virtual clock starts; shown times count from it
};

// Runs commands from `in` until `quit`, the end of input, or the end of the call.
// Returns 0, or 1 when a command could not be understood in a non-interactive run.
int simulate(const Program& program, std::istream& in, std::ostream& out, const SimulatorOptions& options);

}  // namespace callscript::cli
