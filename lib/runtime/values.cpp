#include "runtime/values.h"

#include "text/text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <charconv>

namespace callscript {

namespace {

// A mainland mobile number (1[3-9] and 9 digits) or a landline with its area code (0, 2-3
// digits, an optional dash, 7-8 digits). What is dialled is kept as given.
bool is_phone(std::string_view v) {
  auto digits = [](std::string_view d) {
    for (char c : d)
      if (c < '0' || c > '9') return false;
    return !d.empty();
  };
  if (v.size() == 11 && v[0] == '1' && v[1] >= '3' && v[1] <= '9' && digits(v)) return true;
  if (v.empty() || v[0] != '0') return false;
  const std::size_t dash = v.find('-');
  if (dash != std::string_view::npos)
    return dash >= 3 && dash <= 4 && digits(v.substr(0, dash)) && v.size() - dash - 1 >= 7 &&
           v.size() - dash - 1 <= 8 && digits(v.substr(dash + 1));
  return v.size() >= 10 && v.size() <= 12 && digits(v);
}

// Nothing but white space (ICU's White_Space: ASCII and full-width spaces, tabs, line breaks):
// an answer that says nothing. `v` is valid UTF-8 of at most INT32_MAX bytes; the walk stops at
// the first other character and allocates nothing.
bool blank(std::string_view v) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
  const auto n = static_cast<std::int32_t>(v.size());
  for (std::int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (!u_isUWhiteSpace(c)) return false;
  }
  return true;
}

}  // namespace

bool parse_time_of_day(std::string_view v, std::int64_t& minutes) {
  const std::size_t colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || v.size() != colon + 3 || v[0] < '0' || v[0] > '9')
    return false;
  int h = 0, m = 0;
  const auto rh = std::from_chars(v.data(), v.data() + colon, h);
  const auto rm = std::from_chars(v.data() + colon + 1, v.data() + v.size(), m);
  if (rh.ec != std::errc() || rh.ptr != v.data() + colon || rm.ec != std::errc() ||
      rm.ptr != v.data() + v.size() || v[colon + 1] < '0' || h > 23 || m > 59)
    return false;
  minutes = h * 60 + m;
  return true;
}

bool parse_slot_value(const bc::Image& im, const bc::Slot& s, std::string_view value, std::int64_t& number) {
  switch (s.type) {
    case bc::SlotType::Digits:
      if (value.empty() || (s.digits != 0 && value.size() != s.digits)) return false;
      for (char c : value)
        if (c < '0' || c > '9') return false;
      return true;
    case bc::SlotType::Text: return text::valid_utf8(value) && !blank(value);
    case bc::SlotType::Phone: return is_phone(value);
    case bc::SlotType::Time: return parse_time_of_day(value, number);
    case bc::SlotType::Number: {
      const char* end = value.data() + value.size();
      const auto r = std::from_chars(value.data(), end, number);
      return !value.empty() && r.ec == std::errc() && r.ptr == end;
    }
    case bc::SlotType::Bool:
      if (value == "true" || value == "yes" || value == "1" || value == "是") {
        number = 1;
        return true;
      }
      number = 0;
      return value == "false" || value == "no" || value == "0" || value == "否";
    case bc::SlotType::Enum: {
      std::uint32_t m = 0;
      while (m < s.enum_count && im.str(im.enum_members[s.enum_first + m]) != value) ++m;
      number = m;
      return m < s.enum_count;
    }
  }
  return false;
}

}  // namespace callscript
