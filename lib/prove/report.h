// How the proofs point at what they found: into the sources through the SourceMap when there is
// one, else by the names of states and the ids of prompts, which a .callbc keeps.
#pragma once

#include "prove/fact_walk.h"
#include "prove/prove.h"

#include <string>

namespace callscript::prove {

class Reporter {
 public:
  Reporter(const Graph& g, const SourceMap* map, Diagnostics& d) : graph_(g), map_(map), diags_(d) {}

  Diagnostics& diags() { return diags_; }
  const bc::Image& image() const { return graph_.image(); }

  // `name` in backquotes: a state's qualified name (`flow.state` inside a flow).
  std::string state(std::uint32_t s) const { return "`" + std::string(graph_.state_name(s)) + "`"; }
  std::optional<Span> state_span(std::uint32_t s) const;
  std::optional<Span> transition_span(std::uint32_t t) const;

  // A finding about the bytes [from, from + length) of the prompt said at code offset `say`: at
  // the words, or, where the `say` names a phrase, at the `say` with a note at the words. Without
  // a source map the message names the prompt and where it is said.
  Diagnostic& words(Code code, std::uint32_t say, std::uint32_t from, std::uint32_t length, std::string message);

  // The path as notes, state by state; a long one keeps its start and its end. `missing` says
  // what a flow may return without ("the caller verified").
  void path(Diagnostic& d, const std::vector<FactWalk::Step>& path, const std::string& missing) const;

  // What taking transition `t` from `from` to `to` does, for a note.
  std::string hop(std::uint32_t from, std::uint32_t to, const bc::Transition& t) const;

  // The prompt a Say at this code offset says, and the state it is said in (for messages).
  std::uint32_t prompt_of(std::uint32_t say) const;
  std::string_view prompt_text(std::uint32_t say) const { return image().str(image().prompts[prompt_of(say)].text); }

 private:
  Span in_words(std::uint32_t prompt, std::uint32_t from, std::uint32_t length) const;

  const Graph& graph_;
  const SourceMap* map_;
  Diagnostics& diags_;
};

}  // namespace callscript::prove
