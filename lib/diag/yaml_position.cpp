#include "diag/yaml_position.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>

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

namespace {

std::string utf8(UChar32 c) {
  char buf[U8_MAX_LENGTH];
  std::int32_t n = 0;
  UBool error = false;
  U8_APPEND(buf, n, U8_MAX_LENGTH, c, error);
  return error ? std::string() : std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::vector<Span> scalar_bytes(std::string_view t, std::uint32_t b, std::string_view scalar) {
  std::vector<Span> at;
  std::string value;
  auto put = [&](std::string_view bytes, std::size_t from, std::size_t to) {
    value += bytes;
    for (std::size_t k = 0; k < bytes.size(); ++k) at.push_back({static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to)});
  };
  const char open = b < t.size() ? t[b] : '\n';
  std::size_t i = b + 1;
  if (open == '\'') {
    for (; i < t.size() && t[i] != '\n'; ++i) {
      if (t[i] != '\'') put(t.substr(i, 1), i, i + 1);
      else if (i + 1 < t.size() && t[i + 1] == '\'') put("'", i, i + 2), ++i;
      else break;
    }
  } else if (open == '"') {
    static const std::map<char, std::string_view> simple = {
        {'0', std::string_view("\0", 1)}, {'a', "\a"}, {'b', "\b"}, {'t', "\t"}, {'\t', "\t"}, {'n', "\n"},
        {'v', "\v"}, {'f', "\f"}, {'r', "\r"}, {'e', "\x1b"}, {' ', " "}, {'"', "\""}, {'/', "/"}, {'\\', "\\"},
        {'N', "\u0085"}, {'_', "\u00a0"}, {'L', "\u2028"}, {'P', "\u2029"}};
    for (; i < t.size() && t[i] != '\n' && t[i] != '"'; ++i) {
      if (t[i] != '\\') {
        put(t.substr(i, 1), i, i + 1);
        continue;
      }
      if (i + 1 >= t.size()) break;
      const char e = t[i + 1];
      if (auto s = simple.find(e); s != simple.end()) {
        put(s->second, i, i + 2);
        ++i;
        continue;
      }
      const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
      if (digits == 0 || i + 2 + digits > t.size()) break;
      UChar32 c = 0;
      for (std::size_t k = 0; k < digits; ++k) {
        const char h = t[i + 2 + k];
        if (!std::isxdigit(static_cast<unsigned char>(h)) || c > 0x10FFFF) return {};
        c = c * 16 + (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
      }
      put(utf8(c), i, i + 2 + digits);
      i += 1 + digits;
    }
  } else if (b <= t.size() && t.substr(b, scalar.size()) == scalar) {
    for (std::size_t k = b; k < b + scalar.size(); ++k) put(t.substr(k, 1), k, k + 1);  // plain, one line
  }
  if (value != scalar) return {};
  return at;
}

}  // namespace callscript::yamlpos
