// Transcript tests (`callc test`): a YAML transcript drives a script on a virtual clock --
// events, slot inputs, waits -- and says what the agent should see after each step: the state,
// prompts, choices, effects, the next timer, the outcome, slot values. The format is described
// in grammar/REFERENCE.md ("Transcript tests"); problems are T-code diagnostics (ERRORS.md).
#pragma once

#include <callscript/diagnostics.h>

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace callscript::transcript {

enum class Verdict : std::uint8_t {
  Passed,
  Failed,   // a step did not do what the transcript expects (T0010)
  Invalid,  // the transcript or its script has errors; nothing was run
};

struct Options {
  bool color = false;  // for the script diagnostics written to the log
  std::string strings;  // a string table for every transcript that names none (`callc test --strings`)
};

// What the transcripts run so far exercised of one script.
struct Coverage {
  std::string script;  // its path, as the transcripts' `script:` resolves it
  std::size_t states = 0, states_entered = 0;
  std::size_t transitions = 0, transitions_taken = 0;
  // One line each, in source order: "examples/consult.call:53: state `ringing_late` never
  // entered", "examples/consult.call:50: transition never taken: in `ringing`: on ring -> ...".
  std::vector<std::string> gaps;
};

// Runs transcripts and remembers, per script, which states and transitions they reached. A
// script shared by several transcripts is loaded once.
class Suite {
 public:
  explicit Suite(Options options = {});
  ~Suite();
  Suite(const Suite&) = delete;
  Suite& operator=(const Suite&) = delete;

  // Runs the transcript in `source`, whose name is its path (its `script:` is relative to it).
  // Problems with the transcript and unmet expectations go to `diags` (made for `source`); the
  // first failing step ends the run. A script that does not compile has its own diagnostics
  // written to `log`, once.
  Verdict run(const SourceFile& source, Diagnostics& diags, std::ostream& log);

  // One entry per script that a transcript ran, in the order first used.
  std::vector<Coverage> coverage() const;

 private:
  struct Script;
  Options options_;
  std::vector<std::unique_ptr<Script>> scripts_;
};

}  // namespace callscript::transcript
