#include "prove/report.h"

namespace callscript::prove {

std::optional<Span> Reporter::state_span(std::uint32_t s) const {
  if (!map_ || s >= map_->states.size()) return std::nullopt;
  return map_->states[s];
}

std::optional<Span> Reporter::transition_span(std::uint32_t t) const {
  if (!map_ || t >= map_->transitions.size()) return std::nullopt;
  return map_->transitions[t];
}

std::uint32_t Reporter::prompt_of(std::uint32_t say) const {
  const auto& code = image().code;
  return say + 2 < code.size() ? std::uint32_t{code[say + 1]} | std::uint32_t{code[say + 2]} << 8 : 0;
}

Span Reporter::in_words(std::uint32_t prompt, std::uint32_t from, std::uint32_t length) const {
  const SourceMap::Words& w = map_->prompts[prompt];
  // A text that cannot be traced byte by byte (a folded YAML value): the whole of it.
  if (w.offsets.empty()) return w.text;
  const auto at = [&](std::uint32_t o) { return o < w.offsets.size() ? w.offsets[o] : (w.text.end > 0 ? w.text.end - 1 : 0); };
  const std::uint32_t begin = at(from);
  return {begin, length > 1 ? at(from + length - 1) + 1 : begin + 1, w.text.file};
}

Diagnostic& Reporter::words(Code code, std::uint32_t say, std::uint32_t from, std::uint32_t length, std::string message) {
  const std::uint32_t prompt = prompt_of(say);
  if (!map_ || prompt >= map_->prompts.size()) {
    return diags_.report(code, Span{}, std::move(message) + " (prompt `" + std::string(image().str(image().prompts[prompt].id)) + "`)");
  }
  const Span at_words = in_words(prompt, from, length);
  const auto said = map_->says.find(say);
  if (said == map_->says.end() || (said->second.file == at_words.file && said->second.begin <= at_words.begin &&
                                   at_words.end <= said->second.end))
    return diags_.report(code, at_words, std::move(message));
  // Said by name (a phrase, or a text a string table gave): the finding is where it is said.
  auto& d = diags_.report(code, said->second, std::move(message));
  d.notes.push_back({at_words, "the words of prompt `" + std::string(image().str(image().prompts[prompt].id)) + "`"});
  return d;
}

std::string Reporter::hop(std::uint32_t from, std::uint32_t to, const bc::Transition& t) const {
  const bc::Image& im = image();
  if (t.call != bc::kNone) {
    const std::string flow = "`" + std::string(im.str(im.flows[im.states[t.call].flow].name)) + "`";
    if (to == t.call) return state(from) + " calls " + flow + " here";
    return state(from) + " calls " + flow + " here, which returns to " + state(to);
  }
  if (t.target == bc::kReturn) return state(from) + " returns to " + state(to) + " here";
  if (t.trigger == bc::Trigger::Breach) return "an SLA breaches in " + state(from) + " and goes on to " + state(to) + " here";
  return state(from) + " goes on to " + state(to) + " here";
}

void Reporter::path(Diagnostic& d, const std::vector<FactWalk::Step>& path, const std::string& missing) const {
  const bc::Image& im = image();
  constexpr std::size_t kHead = 3, kTail = 6;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path.size() > kHead + kTail + 1 && i == kHead) {
      d.notes.push_back({std::nullopt, "... " + std::to_string(path.size() - kHead - kTail) + " more states ..."});
      i = path.size() - kTail - 1;
      continue;
    }
    const std::uint32_t to = path[i].state;
    if (i == 0 || path[i].via == bc::kNone) {
      d.notes.push_back({state_span(to), "the call starts in " + state(to)});
      continue;
    }
    const bc::Transition& t = im.transitions[path[i].via];
    const std::uint32_t from = path[i - 1].state;
    if (t.call != bc::kNone && to != t.call)
      d.notes.push_back({transition_span(path[i].via), state(from) + " calls `" + std::string(im.str(im.flows[im.states[t.call].flow].name)) +
                                                            "`, which can return with " + missing + ", and goes on to " + state(to) + " here"});
    else
      d.notes.push_back({transition_span(path[i].via), hop(from, to, t)});
  }
}

}  // namespace callscript::prove
