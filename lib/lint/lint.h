// The lint stage: the rules of the house manuals (grammar/LINT.md) checked on the text of a
// script's prompts. A finding is an ordinary Diagnostic with an L code and its rule's name; a
// problem in the configuration (callscript.yaml) is a K code at its place in the YAML.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/compiler.h>
#include <callscript/diagnostics.h>

#include "text/normalize.h"

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::lint {

// Every rule, with the kebab-case name that config files and allow comments may use instead of
// the code. The order is the code table's.
struct RuleInfo {
  Code code;
  std::string_view name;
};
inline constexpr std::array<RuleInfo, 11> kRules = {{
    {Code::L0001, "forbidden-phrase"},
    {Code::L0002, "informal-you"},
    {Code::L0003, "turning-word"},
    {Code::L0004, "sentence-length"},
    {Code::L0005, "vague-word"},
    {Code::L0006, "online-shouting"},
    {Code::L0007, "jargon"},
    {Code::L0008, "spoken-length"},
    {Code::L0009, "bad-allow"},
    {Code::L0010, "unused-allow"},
    {Code::L0011, "revisit-promise"},
}};

// The index into kRules of a rule named by its name or its code ("turning-word", "L0003").
std::optional<std::size_t> find_rule(std::string_view name_or_code);
std::size_t rule_index(Code code);

// A list of words a rule looks for, with its near misses (text/normalize.h).
using text::WordList;

// What a rule is set to: its severity, or off.
struct RuleSetting {
  bool enabled = true;
  Severity severity = Severity::Warning;
};

// The effective configuration: the defaults (from the house manuals) changed by callscript.yaml.
struct Config {
  std::string path;  // the file it was read from; empty for the defaults
  std::array<RuleSetting, kRules.size()> rules{};
  // Per channel (`channel chat`): rules re-graded or turned off for scripts of that channel.
  std::map<std::string, std::map<std::size_t, RuleSetting>> channels;

  WordList forbidden, informal, turning, vague, jargon;
  // What a revisit must not promise (sema/promise_text.h has the defaults); the compiler's E0438
  // is to be given the same list.
  WordList promise_words;
  std::map<std::string, std::string> fixes;  // forbidden phrase -> the manual's safe replacement
  std::vector<std::string> explain_markers;  // 也就是, 是指 ...: jargon explained in the sentence
  std::uint32_t max_sentence = 15;           // characters a sentence, as a reader counts them
  std::uint32_t placeholder_length = 2;      // characters a `{slot}` counts for
  std::vector<std::string> online_channels;  // where shouting is checked
  std::vector<std::string> acronyms;         // all-caps words that are not shouting
  std::uint32_t rate = 120;                  // characters spoken a minute
  std::map<std::string, std::uint32_t> budgets;  // state name -> seconds its prompts may take

  // The setting of rule `index` for a script of `channel`.
  RuleSetting setting(std::size_t index, std::string_view channel) const;
};

// The rules as the house manuals give them, with nothing configured.
Config default_config();

// Reads a callscript.yaml over the defaults. Problems are K-code diagnostics in `diags` (made for
// `yaml`); nothing is returned when there is any.
std::optional<Config> load_config(const SourceFile& yaml, Diagnostics& diags);

// The callscript.yaml that governs `script`: in its directory or the nearest one above it.
std::optional<std::filesystem::path> find_config(const std::filesystem::path& script);

// A safe replacement of the source bytes at `span`, always inside a string literal.
struct Fix {
  Span span;
  std::string replacement;
};

struct Result {
  bool parsed = false;     // false: `diags` holds the compiler's errors and nothing was linted
  std::vector<Fix> fixes;  // of the findings that were reported, in source order, not overlapping
};

// Lints one script. Findings go to `diags` (made for `source`), sorted by position. The libraries
// it imports (whose phrases its states say) are read from `sources`.
Result lint(const SourceFile& source, const Config& config, Diagnostics& diags, SourceProvider& sources);

// Lints string table `table` (<callscript/string_table.h>) as the prompts of the script in
// `script`, which `image` is compiled from and to which the table applied cleanly: every text is
// linted as a `say` of that script (its channel, whether it is a revisit) in the table's locale,
// and a state's spoken length counts the table's texts where it gives them. Findings go to
// `diags` (made for `table`) at the YAML's lines; `# lint: allow RULE -- reason` comments in the
// table keep one, as `//` ones do in a script. `parsed` is false when the script does not parse.
Result lint_strings(const SourceFile& script, const bc::Image& image, const SourceFile& table, const Config& config,
                    Diagnostics& diags, SourceProvider& sources);

// `text` with `fixes` applied (source order, not overlapping).
std::string apply_fixes(std::string_view text, std::span<const Fix> fixes);

// SARIF 2.1.0 for the findings of several files, for code-scanning tools. Every ruleId a result
// names is among the run's rules: the house rules, then any compiler code reported (a script
// that does not parse).
std::string render_sarif(std::span<const Diagnostics* const> files);

// A file name as SARIF's artifactLocation.uri, an RFC 3986 URI reference: an absolute path as a
// file:// URI, a relative one as a relative reference with '/' separators; spaces, '#', '%' and
// the UTF-8 bytes of non-ASCII characters percent-encoded.
std::string file_uri_reference(std::string_view path);

}  // namespace callscript::lint
