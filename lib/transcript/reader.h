// Reading a transcript: YAML in, the steps to run out, every problem with the file reported as a
// T-code diagnostic at the line and column it is about. The only code that sees yaml-cpp.
#pragma once

#include <callscript/diagnostics.h>
#include <callscript/program.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace callscript::transcript {

using Duration = std::chrono::milliseconds;

// A scalar as written in the transcript, and where.
struct Text {
  std::string value;
  Span span;
};

// An expected value (a list, a duration, ...) and where it is written.
template <class T>
struct At {
  T value;
  Span span;
};

struct ExpectedEffect {
  Text name;
  std::vector<std::pair<Text, Text>> args;  // only the arguments given are compared
};

// `expect:` of a step. Only what is given is checked.
struct Expectations {
  std::optional<Text> state;
  std::optional<At<std::vector<Text>>> prompts;     // rendered text
  std::optional<At<std::vector<Text>>> prompt_ids;  // stable ids, e.g. "greet.1"
  std::optional<At<std::vector<Text>>> choices;     // event names
  std::optional<At<std::vector<ExpectedEffect>>> effects;
  std::optional<At<std::optional<Duration>>> timer;       // empty: no timer pending
  std::optional<At<std::optional<std::string>>> outcome;  // empty: the call goes on
  std::vector<std::pair<Text, Text>> slots;               // slot name, value as slot_text shows it
};

enum class Action { Expect, Send, Input, Wait };

struct Step {
  Span span;                    // the step's first key, for messages about the whole step
  Action action = Action::Expect;
  std::string label;            // "send: complex", for messages
  Text subject;                 // what the action names: the event, the first slot, the duration
  EventId event = 0;            // Send
  std::vector<std::pair<SlotId, Text>> inputs;  // Input, in the order written
  Duration wait{};              // Wait
  std::optional<Text> refused;  // the refusal expected, as to_string(Status) spells it
  Expectations expect;
};

// Reads one transcript in two stages, since the names in its steps are checked against the
// script that its header names.
class Reader {
 public:
  // `diags` must be made for `source` and outlive the reader.
  Reader(const SourceFile& source, Diagnostics& diags);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Parses the YAML and the top-level keys. The `script:` value, or nothing when the file is
  // unusable (the reason is reported).
  std::optional<Text> header();
  // The `strings:` value (a string table for the script, relative to the transcript), once
  // header() has read it.
  std::optional<Text> strings() const;
  // Where the virtual clock starts (`start:`, e.g. 2025-03-03T09:00+08:00), once header() has
  // read it; the epoch when the transcript gives none. Times in expectations count from it.
  Instant start() const;
  // The steps. Names (events, slots, states, effects, prompt ids, outcomes) are checked
  // against `program` when given. Problems are reported; check diags before running.
  std::vector<Step> steps(const Program* program);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace callscript::transcript
