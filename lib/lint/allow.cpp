#include "lint/allow.h"

#include "lint/lint.h"
#include "text/text.h"

#include <algorithm>
#include <string_view>

namespace callscript::lint {

namespace {

bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// Reads the text of one `//` comment that starts with `lint:`. `at` is the offset of the text
// after the slashes.
Allow read_allow(std::string_view lead, std::string_view text, std::uint32_t at, Span comment, std::uint32_t applies_to) {
  Allow a{lead, comment, applies_to, {}, {}, {}};
  std::size_t i = 0;
  const auto skip = [&] {
    while (i < text.size() && blank(text[i])) ++i;
  };
  skip();
  i += 5;  // "lint:"
  skip();
  if (text.compare(i, 5, "allow") != 0 || (i + 5 < text.size() && !blank(text[i + 5]))) {
    a.problems.push_back({comment, text::cat("a `", lead, " lint:` comment is `", lead, " lint: allow RULE -- reason`"),
                          "name the rule (`turning-word` or `L0003`) and say why the finding is kept"});
    return a;
  }
  i += 5;
  const std::size_t dashes = text.find("--", i);
  const std::string_view names = text.substr(i, dashes == std::string_view::npos ? std::string_view::npos : dashes - i);
  for (std::size_t k = 0; k < names.size();) {
    while (k < names.size() && (blank(names[k]) || names[k] == ',')) ++k;
    const std::size_t b = k;
    while (k < names.size() && !blank(names[k]) && names[k] != ',') ++k;
    if (b == k) continue;
    const std::string_view name = names.substr(b, k - b);
    const Span s{at + static_cast<std::uint32_t>(i + b), at + static_cast<std::uint32_t>(i + k)};
    if (auto index = find_rule(name)) {
      a.rules.push_back({*index, s});
      continue;
    }
    std::vector<std::string_view> known;
    for (const RuleInfo& r : kRules) known.push_back(r.name);
    const auto near = closest_name(name, known);
    a.problems.push_back({s, text::cat("`", lead, " lint: allow` names `", name, "`, which is not a rule"),
                          near ? text::cat("did you mean `", *near, "`?") : "the rules are listed in grammar/LINT.md"});
  }
  if (a.rules.empty() && a.problems.empty())
    a.problems.push_back({comment, text::cat("`", lead, " lint: allow` names no rule"),
                          text::cat("name the rule: `", lead, " lint: allow turning-word -- reason`")});
  if (dashes != std::string_view::npos) {
    std::string_view reason = text.substr(dashes + 2);
    while (!reason.empty() && blank(reason.front())) reason.remove_prefix(1);
    while (!reason.empty() && blank(reason.back())) reason.remove_suffix(1);
    a.reason = std::string(reason);
  }
  return a;
}

}  // namespace

namespace {

// The comment at `i` (its lead just read) when it says `lint:`.
void comment(const SourceFile& source, std::string_view lead, std::size_t i, bool code_on_line, std::vector<Allow>& out) {
  const std::string& t = source.text();
  std::size_t end = t.find('\n', i);
  if (end == std::string::npos) end = t.size();
  const std::size_t from = i + lead.size();
  const std::string_view body = std::string_view(t).substr(from, end - from);
  const std::size_t first = body.find_first_not_of(" \t");
  if (first == std::string_view::npos || !body.substr(first).starts_with("lint:")) return;
  const std::uint32_t line = source.position(static_cast<std::uint32_t>(i)).line;
  const Span whole{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(end)};
  out.push_back(read_allow(lead, body, static_cast<std::uint32_t>(from), whole, code_on_line ? line : line + 1));
}

// YAML: a comment starts with `#` at the start of a line or after a blank, outside quotes.
std::vector<Allow> scan_yaml(const SourceFile& source) {
  std::vector<Allow> out;
  const std::string& t = source.text();
  char quote = 0;
  bool code_on_line = false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\n') {
      code_on_line = false;
      quote = 0;  // a table's texts are one line each; a multi-line one only shifts where a comment may be
      continue;
    }
    if (quote) {
      if (quote == '"' && c == '\\') ++i;
      else if (c == quote) quote = 0;
      continue;
    }
    if ((c == '"' || c == '\'') && (i == 0 || blank(t[i - 1]) || t[i - 1] == ':' || t[i - 1] == '\n' || t[i - 1] == '[' || t[i - 1] == ',')) {
      quote = c;
      code_on_line = true;
    } else if (c == '#' && (i == 0 || blank(t[i - 1]) || t[i - 1] == '\n')) {
      comment(source, "#", i, code_on_line, out);
      i = std::min(t.find('\n', i), t.size()) - 1;
    } else if (!blank(c)) {
      code_on_line = true;
    }
  }
  return out;
}

}  // namespace

std::vector<Allow> scan_allows(const SourceFile& source, AllowSyntax syntax) {
  if (syntax == AllowSyntax::Yaml) return scan_yaml(source);
  std::vector<Allow> out;
  const std::string& t = source.text();
  enum class In { Code, String, Block } in = In::Code;
  bool code_on_line = false;  // whether the line has anything but blanks before a comment
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char c = t[i];
    if (c == '\n') {
      code_on_line = false;
      if (in == In::String) in = In::Code;  // strings end on their line (E0102 otherwise)
      continue;
    }
    switch (in) {
      case In::String:
        if (c == '\\') ++i;
        else if (c == '"') in = In::Code;
        continue;
      case In::Block:
        if (c == '*' && i + 1 < t.size() && t[i + 1] == '/') in = In::Code, ++i;
        continue;
      case In::Code:
        break;
    }
    if (c == '"') {
      in = In::String;
      code_on_line = true;
    } else if (c == '/' && i + 1 < t.size() && t[i + 1] == '*') {
      in = In::Block;
      ++i;
    } else if (c == '/' && i + 1 < t.size() && t[i + 1] == '/') {
      comment(source, "//", i, code_on_line, out);
      i = std::min(t.find('\n', i), t.size()) - 1;
    } else if (!blank(c)) {
      code_on_line = true;
    }
  }
  return out;
}

}  // namespace callscript::lint
