#include "lint/table_texts.h"

#include "diag/yaml_position.h"

#include <yaml-cpp/yaml.h>

#include <exception>

namespace callscript::lint {

namespace {

Span token(const SourceFile& src, const YAML::Node& n) {
  const std::uint32_t b = yamlpos::offset(src, n.Mark().line, n.Mark().column);
  return {b, std::max(yamlpos::token_end(src.text(), b), b + 1)};
}

// A `say` of `text` as the lint rules read one: text_offsets[i] is where byte i was written, and
// the byte after the last is text_span.end - 1 (for a script, the closing quote).
ast::Action say(const SourceFile& src, const YAML::Node& value) {
  ast::Action a;
  a.kind = ast::Action::Kind::Say;
  a.text = value.Scalar();
  const Span whole = token(src, value);
  a.span = whole;
  const std::vector<Span> bytes = yamlpos::scalar_bytes(src.text(), whole.begin, a.text);
  if (bytes.size() == a.text.size() && !bytes.empty()) {
    for (const Span& b : bytes) a.text_offsets.push_back(b.begin);
    a.text_span = {whole.begin, bytes.back().end + 1};
  } else {  // a block or folded scalar: every finding at the start of the value
    a.text_offsets.assign(a.text.size(), whole.begin);
    a.text_span = {whole.begin, whole.begin + 1};
  }
  return a;
}

}  // namespace

TableTexts read_table_texts(const SourceFile& table) {
  TableTexts out;
  try {
    const YAML::Node root = YAML::Load(table.text());
    if (!root.IsMap()) return out;
    if (const YAML::Node locale = root["locale"]; locale.IsDefined() && locale.IsScalar()) out.locale = locale.Scalar();
    const YAML::Node prompts = root["prompts"];
    if (!prompts.IsDefined() || !prompts.IsMap()) return out;
    for (auto it = prompts.begin(); it != prompts.end(); ++it)
      if (it->first.IsScalar() && it->second.IsScalar() && !it->second.Scalar().empty())
        out.texts.push_back({it->first.Scalar(), token(table, it->first), say(table, it->second)});
  } catch (const std::exception&) {  // apply_string_table has reported what yaml-cpp refuses
    out.texts.clear();
  }
  return out;
}

}  // namespace callscript::lint
