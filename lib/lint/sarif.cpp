// SARIF 2.1.0 (OASIS), the format code-scanning services read: one run of callc with every rule
// described once, and one result a finding. Columns are counted in code points, as the
// compiler's are, and the run says so (columnKind).
#include "lint/lint.h"

#include "text/text.h"

#include <algorithm>
#include <filesystem>
#include <vector>

namespace callscript::lint {

namespace {

const char* level(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

// RFC 3986 lets a path segment hold the unreserved characters, the sub-delims, ':' and '@' as
// they are; every other byte, those of a non-ASCII character's UTF-8 included, is percent-encoded.
bool segment_char(unsigned char c, bool colon_ok) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
  if (c == ':') return colon_ok;
  return std::string_view("-._~!$&'()*+,;=@").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string file_uri_reference(std::string_view path) {
  const std::filesystem::path native(path);
  const std::string generic = native.generic_string();
  const bool absolute = native.is_absolute();
  // file:///srv/a.call, and on Windows file:///C:/a.call.
  std::string out = absolute ? (generic.front() == '/' ? "file://" : "file:///") : "";
  // In a relative reference a ':' before the first '/' would read as a scheme ("a:b.call").
  bool first_segment = !absolute;
  for (const char ch : generic) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '/') {
      out += '/';
      first_segment = false;
    } else if (segment_char(c, !first_segment)) {
      out += ch;
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

namespace {

// helpUri must be an absolute URI, which a document in the source tree has not: the rule's
// help names the document instead.
void append_rule(std::string& out, Code code) {
  const std::string_view id = code_name(code);
  const auto rule = std::find_if(kRules.begin(), kRules.end(), [&](const RuleInfo& r) { return r.code == code; });
  const bool house_rule = rule != kRules.end();
  out += "{\"id\":\"";
  out += id;
  out += '"';
  if (house_rule) {
    out += ",\"name\":";
    text::append_json_string(out, rule->name);
  }
  out += ",\"shortDescription\":{\"text\":";
  text::append_json_string(out, code_title(code));
  out += "},\"help\":{\"text\":";
  text::append_json_string(out, std::string("See ") + (house_rule ? "grammar/LINT.md" : "grammar/ERRORS.md") + ", " +
                                    std::string(id) + ".");
  out += "},\"defaultConfiguration\":{\"level\":\"";
  out += level(default_severity(code));
  out += "\"}}";
}

void append_result(std::string& out, const Diagnostics& diags, const Diagnostic& d, std::size_t rule) {
  const SourceFile& src = diags.source(d.span.file);
  const Position b = src.position(d.span.begin), e = src.position(std::max(d.span.end, d.span.begin));
  out += "{\"ruleId\":\"";
  out += code_name(d.code);
  out += "\",\"ruleIndex\":" + std::to_string(rule) + ",\"level\":\"";
  out += level(d.severity);
  out += "\",\"message\":{\"text\":";
  text::append_json_string(out, d.hint.empty() ? d.message : d.message + " (help: " + d.hint + ")");
  out += "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
  text::append_json_string(out, file_uri_reference(src.name()));
  out += "},\"region\":{\"startLine\":" + std::to_string(b.line) + ",\"startColumn\":" + std::to_string(b.column) +
         ",\"endLine\":" + std::to_string(e.line) + ",\"endColumn\":" + std::to_string(e.column) + "}}}]}";
}

}  // namespace

std::string render_sarif(std::span<const Diagnostics* const> files) {
  // Every house rule, then each other code a result names (a compiler error in a script that
  // does not parse), in the code table's order: a ruleId is always among the rules.
  std::vector<Code> rules;
  for (const RuleInfo& r : kRules) rules.push_back(r.code);
  std::vector<Code> others;
  for (const Diagnostics* diags : files)
    for (const Diagnostic& d : diags->all())
      if (std::find(rules.begin(), rules.end(), d.code) == rules.end()) others.push_back(d.code);
  std::sort(others.begin(), others.end());
  others.erase(std::unique(others.begin(), others.end()), others.end());
  rules.insert(rules.end(), others.begin(), others.end());

  std::string out =
      "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":"
      "{\"name\":\"callc\",\"rules\":[";
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (i) out += ',';
    append_rule(out, rules[i]);
  }
  out += "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[";
  bool first = true;
  for (const Diagnostics* diags : files)
    for (const Diagnostic& d : diags->all()) {
      if (!first) out += ',';
      first = false;
      append_result(out, *diags, d, static_cast<std::size_t>(std::find(rules.begin(), rules.end(), d.code) - rules.begin()));
    }
  out += "]}]}\n";
  return out;
}

}  // namespace callscript::lint
