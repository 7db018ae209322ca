// Small text helpers every stage uses: building messages from parts, hex numbers, and UTF-8
// validity (decided by ICU's decoder, so that every stage agrees on what valid means).
#pragma once

#include <unicode/utf8.h>

#include <climits>
#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callscript::text {

inline void put(std::string& s, std::string_view v) { s += v; }
inline void put(std::string& s, const char* v) { s += v; }
template <std::integral T>
void put(std::string& s, T v) {
  s += std::to_string(v);
}

template <class... A>
void append(std::string& s, const A&... a) {
  (put(s, a), ...);
}

template <class... A>
std::string cat(const A&... a) {
  std::string s;
  (put(s, a), ...);
  return s;
}

// Lower-case hex, zero-padded to at least `digits` digits, without a prefix.
inline std::string hex(std::uint32_t v, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  int n = 1;
  while (n < 8 && (v >> (4 * n)) != 0) ++n;
  if (n < digits) n = digits;
  std::string s;
  for (int shift = 4 * (n - 1); shift >= 0; shift -= 4) s += kDigits[(v >> shift) & 0xF];
  return s;
}

// Byte offset of the first ill-formed UTF-8 sequence, or nothing when `s` is valid.
inline std::optional<std::size_t> first_invalid_utf8(std::string_view s) {
  if (s.size() > static_cast<std::size_t>(INT32_MAX)) return std::size_t{INT32_MAX};
  const auto* p = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(s.size());
  for (std::int32_t i = 0; i < n;) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return static_cast<std::size_t>(start);
  }
  return std::nullopt;
}

inline bool valid_utf8(std::string_view s) { return !first_invalid_utf8(s); }

}  // namespace callscript::text
