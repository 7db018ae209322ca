// SARIF 2.1.0 (OASIS), the format code-scanning services read: one run of callc with every rule
// described once, and one result a finding. Columns are counted in code points, as the
// compiler's are, and the run says so (columnKind).
#include "lint/lint.h"

#include "text/text.h"

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

void append_rule(std::string& out, Code code, std::string_view name) {
  out += "{\"id\":\"";
  out += code_name(code);
  out += "\",\"name\":";
  text::append_json_string(out, name);
  out += ",\"shortDescription\":{\"text\":";
  text::append_json_string(out, code_title(code));
  out += "},\"helpUri\":\"grammar/LINT.md\",\"defaultConfiguration\":{\"level\":\"";
  out += level(default_severity(code));
  out += "\"}}";
}

void append_result(std::string& out, const SourceFile& src, const Diagnostic& d) {
  const Position b = src.position(d.span.begin), e = src.position(std::max(d.span.end, d.span.begin));
  out += "{\"ruleId\":\"";
  out += code_name(d.code);
  out += "\",\"level\":\"";
  out += level(d.severity);
  out += "\",\"message\":{\"text\":";
  text::append_json_string(out, d.hint.empty() ? d.message : d.message + " (help: " + d.hint + ")");
  out += "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":";
  text::append_json_string(out, src.name());
  out += "},\"region\":{\"startLine\":" + std::to_string(b.line) + ",\"startColumn\":" + std::to_string(b.column) +
         ",\"endLine\":" + std::to_string(e.line) + ",\"endColumn\":" + std::to_string(e.column) + "}}}]}";
}

}  // namespace

std::string render_sarif(std::span<const Diagnostics* const> files) {
  std::string out =
      "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":"
      "{\"name\":\"callc\",\"informationUri\":\"grammar/LINT.md\",\"rules\":[";
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (i) out += ',';
    append_rule(out, kRules[i].code, kRules[i].name);
  }
  out += "]}},\"columnKind\":\"unicodeCodePoints\",\"results\":[";
  bool first = true;
  for (const Diagnostics* diags : files)
    for (const Diagnostic& d : diags->all()) {
      if (!first) out += ',';
      first = false;
      append_result(out, diags->source(), d);
    }
  out += "]}]}\n";
  return out;
}

}  // namespace callscript::lint
