// `// lint: allow RULE[, RULE] -- reason` comments: a finding the authors have looked at and keep,
// with the reason written next to it. Comments are hidden from the AST, so the source is scanned
// for them here (inside `//` comments only, never inside a string). A string table (YAML) writes
// them as `# lint: allow RULE -- reason`.
#pragma once

#include <callscript/diagnostics.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::lint {

struct Allow {
  std::string_view lead;      // what starts a comment: "//", or "#" in YAML
  Span span;                  // the whole comment
  std::uint32_t applies_to;   // its own line after code; on a line of its own, the line below
  struct Rule {
    std::size_t index;        // into kRules
    Span span;                // the rule's name in the comment
    bool used = false;
  };
  std::vector<Rule> rules;
  std::string reason;         // empty: the allow suppresses nothing, and is itself a finding
  // Malformed: not `allow`, or a rule that does not exist. Reported as L0009, with a hint.
  struct Problem {
    Span span;
    std::string message, hint;
  };
  std::vector<Problem> problems;
};

enum class AllowSyntax { Script, Yaml };
std::vector<Allow> scan_allows(const SourceFile& source, AllowSyntax syntax = AllowSyntax::Script);

}  // namespace callscript::lint
