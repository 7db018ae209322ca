// Small text helpers every stage uses: building messages from parts, hex numbers, UTF-8
// validity (decided by ICU's decoder, so that every stage agrees on what valid means), and the
// duration syntax of the tools.
#pragma once
#include <cstdio>

#include <unicode/utf8.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace callscript::text {

// A whole file into `out`. A directory, or anything else that is not a regular file, is refused
// before it is opened (reading one makes libstdc++ throw); `error` says why.
inline bool read_file(const std::filesystem::path& path, std::string& out, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = "it is a directory";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return false;
  }
  try {
    // In blocks of 64 KiB, not a character at a time through istreambuf_iterator: a script of
    // megabytes is read in a few calls.
    out.clear();
    char block[1 << 16];
    while (in.read(block, sizeof block) || in.gcount() > 0) out.append(block, static_cast<std::size_t>(in.gcount()));
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
  if (in.bad()) error = "read error";
  return !in.bad();
}

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

// `s` as a JSON string, quotes included (RFC 8259: quote, backslash and control characters
// escaped; everything else, UTF-8 included, as it is). JSON is written by hand: no dependency.
inline void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// What tools print in place of a value marked `pii`: the same whatever the value, so that not
// even its length shows.
inline constexpr std::string_view kMasked = "******";

// A duration as the tools take it (`callc run`'s `wait`, transcripts): a sum of number-unit
// pairs, units ms, s, m, h and d, e.g. "30s", "1h30m", "1500ms". Nothing for anything else or
// a total past a quarter of the int64 range (so that adding it to a clock cannot overflow).
inline std::optional<std::chrono::milliseconds> parse_duration(std::string_view s) {
  std::int64_t total = 0;
  if (s.empty()) return std::nullopt;
  while (!s.empty()) {
    std::int64_t n = 0;
    const auto r = std::from_chars(s.data(), s.data() + s.size(), n);
    if (r.ec != std::errc() || n < 0) return std::nullopt;
    s.remove_prefix(static_cast<std::size_t>(r.ptr - s.data()));
    std::int64_t scale = 0;
    if (s.starts_with("ms")) scale = 1, s.remove_prefix(2);
    else if (s.starts_with("s")) scale = 1000, s.remove_prefix(1);
    else if (s.starts_with("m")) scale = 60'000, s.remove_prefix(1);
    else if (s.starts_with("h")) scale = 3'600'000, s.remove_prefix(1);
    else if (s.starts_with("d")) scale = 86'400'000, s.remove_prefix(1);
    else return std::nullopt;
    if (n > (INT64_MAX / 4) / scale || total > INT64_MAX / 4 - n * scale) return std::nullopt;
    total += n * scale;
  }
  return std::chrono::milliseconds(total);
}

// The shortest form parse_duration reads back: "2m5s", "1h", "1500ms" as "1s500ms", "0s".
inline std::string format_duration(std::chrono::milliseconds d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  if (ms < 0) {
    out += '-';
    ms = ms == INT64_MIN ? INT64_MAX : -ms;
  }
  static constexpr std::pair<std::int64_t, const char*> kUnits[] = {
      {86'400'000, "d"}, {3'600'000, "h"}, {60'000, "m"}, {1000, "s"}, {1, "ms"}};
  for (const auto& [scale, unit] : kUnits)
    if (ms >= scale) {
      out += std::to_string(ms / scale);
      out += unit;
      ms %= scale;
    }
  return out;
}

// A date written YYYY-MM-DD, exactly, of a day that exists (2025-02-29 does not).
inline std::optional<std::chrono::sys_days> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int parts[3] = {0, 0, 0};
  const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
  for (int p = 0; p < 3; ++p)
    for (std::size_t i = starts[p]; i < starts[p] + lengths[p]; ++i) {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      parts[p] = parts[p] * 10 + (s[i] - '0');
    }
  const std::chrono::year_month_day ymd{std::chrono::year(parts[0]), std::chrono::month(static_cast<unsigned>(parts[1])),
                                        std::chrono::day(static_cast<unsigned>(parts[2]))};
  if (parts[0] == 0 || !ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd);
}

inline std::string format_date(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

// "2025-03-03T09:00+08:00" (seconds optional; Z for UTC): the instant the transcript starts at.
inline std::optional<std::chrono::sys_time<std::chrono::milliseconds>> parse_instant(std::string_view v) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, oh = 0, om = 0;
  char t = 0, zone[8] = {};
  const std::string s(v);  // sscanf wants a terminated string
  int n = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c%2d:%2d%n", &y, &mo, &d, &t, &h, &mi, &n) != 6 || (t != 'T' && t != ' ')) return std::nullopt;
  std::size_t at = static_cast<std::size_t>(n);
  if (at < s.size() && s[at] == ':') {
    if (std::sscanf(s.c_str() + at, ":%2d%n", &sec, &n) != 1) return std::nullopt;
    at += static_cast<std::size_t>(n);
  }
  const std::string rest = s.substr(at);
  int sign = 0;
  if (rest == "Z") sign = 1;
  else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && std::sscanf(rest.c_str() + 1, "%2d:%2d%7s", &oh, &om, zone) == 2)
    sign = rest[0] == '+' ? 1 : -1;
  else return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)), std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 59 || oh > 14 || om > 59) return std::nullopt;
  const auto local = std::chrono::sys_days(ymd) + std::chrono::hours(h) + std::chrono::minutes(mi) + std::chrono::seconds(sec);
  return std::chrono::time_point_cast<std::chrono::milliseconds>(local - sign * (std::chrono::hours(oh) + std::chrono::minutes(om)));
}

}  // namespace callscript::text
