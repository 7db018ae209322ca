// The proofs about what a script says and asks, run on the compiled program: the same image
// the session runs, after imports, lowerings and string tables, read through the one definition
// of which transition fires (bytecode/dispatch.h). Nothing the compiler front end did or did not
// see can slip past them, and `callc check` proves a .callbc that someone else built.
//
//   E0434  private data (a pii slot in a prompt) is said only once the caller's identity is
//          verified on every path there — unless the caller gave that very value in this call
//          and nothing has changed it since; an identity slot is never asked of the caller
//   E0435  a questionnaire flow asks its questions in the order written, none skipped: a
//          question counts as asked once the customer's answer is stored
//   E0436  an ask cannot come back to itself without something from the customer
//   E0437  every time limit a prompt promises is said only while an SLA is armed that fires, with
//          the 20 % buffer, before the limit
//   E0438  an outbound revisit promises no time and no result
//
// Each error shows one offending path, state by state, as notes.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace callscript::prove {

// Where an image's records came from in the sources, for diagnostics; made by codegen with the
// image and kept in step by a string table. A program read from a .callbc has none, and its
// findings name states and prompt ids instead of pointing into a file.
struct SourceMap {
  // The words of a prompt: `text` is where they stand; `offsets[i]`, when given, is the source
  // offset of the text's byte i (escapes make the two differ).
  struct Words {
    Span text;
    std::vector<std::uint32_t> offsets;
  };
  std::vector<Span> states;       // per state: its name
  std::vector<Span> transitions;  // per transition: as written (a breach: its `breach` block)
  std::vector<Words> prompts;     // per prompt
  std::unordered_map<std::uint32_t, Span> says;  // a Say's code offset -> the `say` that wrote it
};

struct Options {
  // The words that promise a result or an unnamed time, forbidden in a revisit; empty: the
  // built-in list.
  std::span<const std::string> revisit_promise_words;
  std::span<const std::string> revisit_promise_near_misses;  // with the words: both or neither
};

// Runs every proof on a verified image. Never throws.
void prove(const bc::Image& image, const SourceMap* map, Diagnostics& diags, const Options& options = {});

}  // namespace callscript::prove
