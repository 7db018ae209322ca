#include "syntax/literals.h"

#include <unicode/utf8.h>

#include <charconv>
#include <limits>

namespace callscript::syntax {

std::string decode_string(std::string_view source, Span s, Diagnostics& diags, std::vector<std::uint32_t>* offsets) {
  const std::string_view raw = source.substr(s.begin, s.end - s.begin);
  std::string out;
  std::uint32_t from = s.begin + 1;  // where the bytes decoded by the previous step came from
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    if (offsets) offsets->resize(out.size(), from);
    from = s.begin + static_cast<std::uint32_t>(i);
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    const std::size_t at = i++;
    const Span esc{s.begin + static_cast<std::uint32_t>(at), s.begin + static_cast<std::uint32_t>(i + 1), s.file};
    switch (raw[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'u': {
        const std::size_t close = raw.find('}', i);
        std::uint32_t cp = 0;
        const bool braced = i + 1 < raw.size() && raw[i + 1] == '{' && close != std::string_view::npos && close < raw.size() - 1;
        const auto hex = braced ? raw.substr(i + 2, close - i - 2) : std::string_view();
        const auto r = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
        if (!braced || hex.empty() || r.ec != std::errc() || r.ptr != hex.data() + hex.size() || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
          diags.report(Code::E0103, {esc.begin, braced ? s.begin + static_cast<std::uint32_t>(close + 1) : esc.end, s.file},
                       "invalid unicode escape")
              .hint = "write a code point as \\u{4F60}";
          break;
        }
        char buf[4];
        std::int32_t len = 0;
        U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(cp));
        out.append(buf, static_cast<std::size_t>(len));
        i = close;
        break;
      }
      default:
        diags.report(Code::E0103, esc, "invalid escape sequence `\\" + std::string(1, raw[i]) + "`").hint =
            "the escapes are \\\" \\\\ \\n \\t and \\u{...}; a single quote or a brace needs no backslash";
    }
  }
  if (offsets) offsets->resize(out.size(), from);
  return out;
}

std::int64_t decode_integer(std::string_view t, Span token, bool negated, Diagnostics& diags) {
  std::int64_t v = 0;
  const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
  const std::int64_t limit = std::int64_t{std::numeric_limits<std::int32_t>::max()} + (negated ? 1 : 0);
  if (r.ec != std::errc() || v > limit) {
    diags.report(Code::E0104, token, "integer `" + std::string(t) + "` is out of range").hint =
        "integers are 32-bit: from -2147483648 to 2147483647";
    return 0;
  }
  return v;
}

std::int64_t decode_duration(std::string_view t, Span token, Diagnostics& diags) {
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  const std::string_view unit = t.substr(digits);
  const std::int64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : 86'400'000;
  std::int64_t v = 0;
  const auto r = std::from_chars(t.data(), t.data() + digits, v);
  if (r.ec != std::errc() || v > std::numeric_limits<std::int64_t>::max() / scale / 1000) {
    diags.report(Code::E0104, token, "duration `" + std::string(t) + "` is out of range").hint = "durations go up to about 292 years";
    return 0;
  }
  return v * scale;
}

}  // namespace callscript::syntax
