// Applies a YAML string table to a compiled image: prompt texts replaced by stable id.
//
// Why the table works on the image rather than on the source: a translation is made and shipped
// by other people than the script, often for a script that is only at hand as .callbc, and the
// prompt ids are exactly what the image keeps. Each new text is checked by the same function the
// compiler and the verifier use (bytecode/prompt_check.h), so a table that applies cleanly gives
// a program that loads and renders.
#include <callscript/string_table.h>

#include "bytecode/prompt_check.h"
#include "diag/yaml_position.h"
#include "text/text.h"

#include <unicode/locid.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace callscript {

namespace {

constexpr std::string_view kKeys[] = {"locale", "prompts"};

// A key of a mapping, with its value, in the order written.
struct Entry {
  std::string key;
  YAML::Node key_node, value;
};

// A prompt's new text, by id, and where the table wrote it.
struct Override {
  std::string id, text;
  TablePlace place;
};

std::string join(std::span<const std::string_view> names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) text::append(s, i ? ", " : "", "`", names[i], "`");
  return s;
}

// What an unquoted scalar is in YAML's core schema when it is not a string. A translator who
// writes `closing.1: 12345` or `true` has almost certainly not written a sentence, and another
// YAML tool would read it as a number or a bool: such a text must be quoted.
std::optional<std::string_view> plain_non_string(const std::string& s) {
  static const std::regex number(
      R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))");
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") return "a bool";
  if (std::regex_match(s, number)) return "a number";
  return std::nullopt;
}

class Applier {
 public:
  Applier(const SourceFile& table, bc::Image& image, Diagnostics& diags, std::vector<TablePlace>* places)
      : src_(table), image_(image), diags_(diags), places_(places) {}

  bool run();

 private:
  // --- positions: yaml-cpp counts lines and columns from 0, columns in bytes, after a BOM -------
  std::uint32_t offset(const YAML::Mark& m) const;
  std::uint32_t token_end(std::uint32_t begin) const;
  Span span(const YAML::Node& n, Span fallback = {}) const;
  std::vector<Span> trace(const YAML::Node& n) const;
  Diagnostic& report(Code c, Span s, std::string message) { return diags_.report(c, s, std::move(message)); }

  std::vector<Entry> entries(const YAML::Node& map, std::span<const std::string_view> allowed, std::string_view where);
  void read_locale(const Entry& e);
  void read_prompts(const Entry& e);
  std::optional<std::string> prompt_text(const Entry& e);
  void check_pattern(const Entry& e, const std::string& pattern);
  void apply();

  const SourceFile& src_;
  bc::Image& image_;
  Diagnostics& diags_;
  std::vector<TablePlace>* places_;
  std::optional<std::string> locale_;
  std::vector<Override> overrides_;
};

std::uint32_t Applier::offset(const YAML::Mark& m) const {
  if (m.is_null() || m.line < 0 || m.column < 0) return 0;
  return yamlpos::offset(src_, m.line, m.column);
}

std::uint32_t Applier::token_end(std::uint32_t begin) const { return yamlpos::token_end(src_.text(), begin); }

Span Applier::span(const YAML::Node& n, Span fallback) const {
  // An empty value (`greet.1:`) is marked where the next token starts, and a block list or
  // mapping spans lines: point at the key instead.
  if (!n.IsDefined() || n.Mark().is_null() || (n.IsNull() && fallback.end != 0)) return fallback;
  const std::uint32_t b = offset(n.Mark());
  const bool flow = b < src_.text().size() && (src_.text()[b] == '[' || src_.text()[b] == '{');
  if ((n.IsSequence() || n.IsMap()) && !flow) return fallback.end != 0 ? fallback : Span{b, b + 1};
  return {b, std::max(token_end(b), b + 1)};
}

std::vector<Span> Applier::trace(const YAML::Node& n) const {
  return yamlpos::scalar_bytes(src_.text(), offset(n.Mark()), n.Scalar());
}

// The entries of a mapping whose keys are among `allowed` (any key when empty); repeated and
// non-scalar keys are reported and left out. yaml-cpp keeps a repeated key silently, and
// `node[key]` finds only the first: a second text for `greet.1` would be lost without a word.
std::vector<Entry> Applier::entries(const YAML::Node& map, std::span<const std::string_view> allowed, std::string_view where) {
  std::vector<Entry> out;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const YAML::Node key = it->first;
    if (!key.IsScalar()) {
      report(Code::S0006, span(key), text::cat("a key in ", where, " must be a plain name"));
      continue;
    }
    const std::string name = key.Scalar();
    if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      Diagnostic& d = report(Code::S0007, span(key), text::cat("unknown key `", name, "` in ", where));
      const std::vector<std::string_view> names(allowed.begin(), allowed.end());
      if (auto near = closest_name(name, names)) d.hint = text::cat("did you mean `", *near, "`?");
      else d.hint = text::cat("the keys of ", where, " are ", join(allowed));
      continue;
    }
    if (auto seen = std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.key == name; }); seen != out.end()) {
      Diagnostic& d = report(Code::S0005, span(key), text::cat("`", name, "` is given twice in ", where));
      d.notes.push_back({span(seen->key_node), "first given here"});
      d.hint = allowed.empty() ? "keep one of the two texts" : "merge the two into one";
      continue;
    }
    out.push_back({name, key, it->second});
  }
  return out;
}

void Applier::read_locale(const Entry& e) {
  const Span key = span(e.key_node);
  if (!e.value.IsScalar() || e.value.Scalar().empty()) {
    report(Code::S0006, span(e.value, key), "`locale` must be a locale tag such as en-US").hint =
        "leave `locale` out to keep the script's own";
    return;
  }
  const std::string& tag = e.value.Scalar();
  UErrorCode status = U_ZERO_ERROR;
  const icu::Locale locale = icu::Locale::forLanguageTag(tag, status);
  if (U_FAILURE(status) || locale.isBogus() || tag.find('_') != std::string::npos) {
    report(Code::S0006, span(e.value), text::cat("`", tag, "` is not a BCP 47 locale tag")).hint =
        "write a language and an optional region with a hyphen: en, en-US, zh-CN";
    return;
  }
  locale_ = tag;
}

// The text of one prompt, or nothing (reported) when the value is not a non-empty string.
std::optional<std::string> Applier::prompt_text(const Entry& e) {
  const Span key = span(e.key_node);
  if (e.value.IsNull()) {
    report(Code::S0006, key, text::cat("`", e.key, "` has no text")).hint = "give the text after the colon, or leave the id out";
    return std::nullopt;
  }
  if (!e.value.IsScalar()) {
    report(Code::S0006, span(e.value, key), text::cat("the text of `", e.key, "` must be a string, not ", e.value.IsMap() ? "a mapping" : "a list"))
        .hint = "a prompt is one text: write it as one string, in quotes";
    return std::nullopt;
  }
  const std::string& s = e.value.Scalar();
  // yaml-cpp tags an unquoted scalar "?" and a quoted one "!".
  if (e.value.Tag() == "?") {
    if (auto kind = plain_non_string(s)) {
      report(Code::S0006, span(e.value), text::cat("`", s, "` is ", *kind, " in YAML, not a text")).hint =
          text::cat("quote it to say it as it is: \"", s, "\"");
      return std::nullopt;
    }
  }
  if (s.empty()) {
    report(Code::S0006, span(e.value, key), text::cat("the text of `", e.key, "` is empty")).hint =
        "a prompt must say something; leave the id out to keep the script's text";
    return std::nullopt;
  }
  return s;
}

// The compiler's check of a `say` (sema), with the position of each problem inside the YAML.
void Applier::check_pattern(const Entry& e, const std::string& pattern) {
  std::unordered_map<std::string_view, bc::SlotType> slot_types;
  std::vector<std::string_view> slot_names;
  for (const bc::Slot& s : image_.slots) {
    slot_types.emplace(image_.str(s.name), s.type);
    slot_names.push_back(image_.str(s.name));
  }
  const std::string locale = locale_ ? *locale_ : std::string(image_.str(image_.script.locale));
  const auto problems = bc::check_prompt(pattern, locale, [&](std::string_view name) -> std::optional<bc::SlotType> {
    const auto it = slot_types.find(name);
    if (it == slot_types.end()) return std::nullopt;
    return it->second;
  });
  if (problems.empty()) return;
  const Span whole = span(e.value);
  const std::vector<Span> bytes = trace(e.value);
  for (const bc::PromptProblem& p : problems) {
    Span at = whole;
    if (p.offset < bytes.size()) {
      const std::size_t last = std::min<std::size_t>(p.offset + std::max<std::uint32_t>(p.length, 1), bytes.size()) - 1;
      at = {bytes[p.offset].begin, bytes[last].end};
    }
    switch (p.kind) {
      case bc::PromptProblem::Kind::Syntax:
        report(Code::S0004, at, "invalid prompt pattern: " + p.message).hint =
            "a prompt is an ICU MessageFormat pattern: {slot} inserts a slot; write '{' for a literal brace and '' for a quote";
        break;
      case bc::PromptProblem::Kind::Style:
        report(Code::S0004, at, p.message).hint =
            "number slots format with {n}, {n, number} or {n, plural, ...}; other slots with {s} or {s, select, ...}";
        break;
      case bc::PromptProblem::Kind::Numbered: report(Code::S0003, at, p.message); break;
      case bc::PromptProblem::Kind::UnknownSlot: {
        Diagnostic& d = report(Code::S0003, at, text::cat(p.message, " of script `", image_.str(image_.script.name), "`"));
        if (auto near = closest_name(p.name, slot_names)) d.hint = text::cat("did you mean `", *near, "`?");
        else if (slot_names.empty()) d.hint = "the script has no slots: a text can only be said as it is";
        else if (slot_names.size() <= 12) d.hint = text::cat("the script's slots are ", join(slot_names));
        else d.hint = "a table may use only the slots the script declares";
        break;
      }
    }
  }
}

void Applier::read_prompts(const Entry& e) {
  if (e.value.IsNull()) return;  // `prompts:` with nothing under it changes nothing
  if (!e.value.IsMap()) {
    report(Code::S0006, span(e.value, span(e.key_node)), "`prompts` must be a mapping of prompt ids to texts").hint =
        "write one `ID: \"TEXT\"` per line under `prompts:`";
    return;
  }
  std::vector<std::string_view> ids;
  for (const bc::Prompt& p : image_.prompts) ids.push_back(image_.str(p.id));
  for (const Entry& p : entries(e.value, {}, "`prompts`")) {
    const bool known = std::find(ids.begin(), ids.end(), p.key) != ids.end();
    if (!known) {
      Diagnostic& d = report(Code::S0002, span(p.key_node), text::cat("script `", image_.str(image_.script.name), "` has no prompt `", p.key, "`"));
      if (auto near = closest_name(p.key, ids)) d.hint = text::cat("did you mean `", *near, "`?");
      else d.hint = "ids are STATE.N, FLOW.STATE.N and @handlers.N; `callc disasm` lists the script's prompts";
    }
    const std::optional<std::string> said = prompt_text(p);
    if (!said) continue;
    check_pattern(p, *said);
    if (!known) continue;
    TablePlace place{span(p.value), {}};
    for (const Span& b : trace(p.value)) place.offsets.push_back(b.begin);
    if (place.offsets.size() != said->size()) place.offsets.clear();
    overrides_.push_back({p.key, *said, std::move(place)});
  }
}

// The new texts go into a copy, so that a failure halfway leaves the caller's image as it was.
void Applier::apply() {
  bc::Image out = image_;
  auto intern = [&](const std::string& s) {
    const auto found = std::find(out.strings.begin(), out.strings.end(), s);
    if (found != out.strings.end()) return static_cast<std::uint32_t>(found - out.strings.begin());
    out.strings.push_back(s);
    return static_cast<std::uint32_t>(out.strings.size() - 1);
  };
  std::vector<TablePlace> places(out.prompts.size());
  for (const Override& o : overrides_) {
    const std::uint32_t index = intern(o.text);
    for (std::size_t i = 0; i < out.prompts.size(); ++i)
      if (out.str(out.prompts[i].id) == o.id) out.prompts[i].text = index, places[i] = o.place;
  }
  if (locale_) out.script.locale = intern(*locale_);
  // Every new text passed the verifier's own prompt check; this catches what that cannot see
  // (an untranslated prompt whose plural no longer formats in the table's locale).
  if (const std::string problem = bc::verify(out); !problem.empty()) {
    report(Code::S0004, {0, token_end(0)}, "the script does not verify with this table: " + problem);
    return;
  }
  image_ = std::move(out);
  if (places_) *places_ = std::move(places);
}

bool Applier::run() {
  if (auto bad = src_.invalid_utf8()) {
    report(Code::S0001, {*bad, *bad + 1}, "string table is not valid UTF-8");
    return false;
  }
  YAML::Node root;
  try {
    root = YAML::Load(src_.text());
  } catch (const YAML::Exception& e) {
    const std::uint32_t at = e.mark.is_null() ? 0 : offset(e.mark);
    Diagnostic& d = report(Code::S0001, {at, at + 1}, "string table is not valid YAML: " + e.msg);
    if (at < src_.text().size() && (src_.text()[at] == '@' || src_.text()[at] == '`'))
      d.hint = "YAML reserves a leading @ or `: quote the id, as in \"@handlers.1\": \"...\"";
    return false;
  }
  const Span top = {0, std::max(token_end(0), 1u)};
  if (!root.IsDefined() || root.IsNull()) {
    report(Code::S0007, top, "the string table is empty").hint = "give `prompts:` with one `ID: \"TEXT\"` per line";
    return false;
  }
  if (!root.IsMap()) {
    report(Code::S0006, span(root), text::cat("a string table is a mapping with `prompts` (and optionally `locale`), not ",
                                              root.IsSequence() ? "a list" : "a scalar"));
    return false;
  }
  const std::size_t before = diags_.error_count();
  const std::vector<Entry> keys = entries(root, kKeys, "a string table");
  const auto prompts = std::find_if(keys.begin(), keys.end(), [](const Entry& e) { return e.key == "prompts"; });
  for (const Entry& e : keys)
    if (e.key == "locale") read_locale(e);
  if (prompts != keys.end()) read_prompts(*prompts);
  else if (diags_.error_count() == before)  // a misspelt `prompts` has been reported already
    report(Code::S0007, top, "the string table has no `prompts`").hint = "give `prompts:` with one `ID: \"TEXT\"` per line";
  if (diags_.error_count() == before) apply();
  diags_.sort_by_position();
  return diags_.error_count() == before;
}

}  // namespace

bool apply_string_table(const SourceFile& table, bc::Image& image, Diagnostics& diags, std::vector<TablePlace>* places) {
  try {
    return Applier(table, image, diags, places).run();
  } catch (const std::exception& e) {  // yaml-cpp's conversions throw; nothing may escape
    diags.report(Code::S0001, {0, 0}, std::string("string table could not be read: ") + e.what());
    return false;
  }
}

}  // namespace callscript
