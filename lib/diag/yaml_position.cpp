#include "diag/yaml_position.h"

#include <algorithm>

namespace callscript::yamlpos {

std::uint32_t offset(const SourceFile& src, int line, int column) {
  const auto size = static_cast<std::uint32_t>(src.text().size());
  if (line < 0 || column < 0) return size;
  const std::string_view text = src.line_text(static_cast<std::uint32_t>(line) + 1);
  if (text.data() == nullptr) return size;
  auto at = static_cast<std::uint32_t>(text.data() - src.text().data()) + static_cast<std::uint32_t>(column);
  if (line == 0 && src.text().starts_with("\xEF\xBB\xBF")) at += 3;
  return std::min(at, size);
}

std::uint32_t token_end(std::string_view t, std::uint32_t begin) {
  std::size_t i = begin;
  if (i >= t.size()) return begin;
  const char open = t[i];
  if (open == '"' || open == '\'') {
    for (++i; i < t.size() && t[i] != '\n'; ++i) {
      if (open == '"' && t[i] == '\\') ++i;
      else if (open == '\'' && t[i] == '\'' && i + 1 < t.size() && t[i + 1] == '\'') ++i;  // '' is a quote
      else if (t[i] == open) return static_cast<std::uint32_t>(i + 1);
    }
    return static_cast<std::uint32_t>(i);
  }
  if (open == '{' || open == '[') {
    int depth = 0;
    for (; i < t.size() && t[i] != '\n'; ++i) {
      if (t[i] == '{' || t[i] == '[') ++depth;
      else if ((t[i] == '}' || t[i] == ']') && --depth == 0) return static_cast<std::uint32_t>(i + 1);
    }
    return static_cast<std::uint32_t>(i);
  }
  for (; i < t.size() && t[i] != '\n' && t[i] != ',' && t[i] != ']' && t[i] != '}'; ++i) {
    if (t[i] == ':' && (i + 1 == t.size() || t[i + 1] == ' ' || t[i + 1] == '\n')) break;
    if (t[i] == '#' && i > begin && t[i - 1] == ' ') break;
  }
  while (i > begin && (t[i - 1] == ' ' || t[i - 1] == '\r')) --i;
  return static_cast<std::uint32_t>(i);
}

}  // namespace callscript::yamlpos
