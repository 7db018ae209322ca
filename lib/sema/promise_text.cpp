#include "sema/promise_text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>
#include <cmath>
#include <vector>

namespace callscript::sema {

namespace {

struct CodePoint {
  UChar32 c;
  std::uint32_t offset;  // bytes into the text
};

std::vector<CodePoint> decode(std::string_view text) {
  std::vector<CodePoint> out;
  const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto n = static_cast<std::int32_t>(text.size());
  for (std::int32_t i = 0; i < n;) {
    const auto at = static_cast<std::uint32_t>(i);
    UChar32 c;
    U8_NEXT(s, i, n, c);
    out.push_back({c < 0 ? 0xFFFD : c, at});
  }
  return out;
}

// The integer value of a digit or a Han numeral (二 2, 十 10, 百 100), from ICU's Numeric_Value.
std::optional<std::int64_t> numeral(UChar32 c) {
  if (c == U'两') return 2;  // "two" before a measure word; Unicode gives it no numeric value
  const double v = u_getNumericValue(c);
  if (v == U_NO_NUMERIC_VALUE || v < 0 || v != std::floor(v) || v > 1000) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

// A number starting at cps[i]: ASCII or full-width digits written positionally (24), or Han
// numerals with 十 and 百 (二十四); 半 alone is a half. Sets `end` past it. Half units are
// returned doubled, with `half` set.
std::optional<std::int64_t> number(const std::vector<CodePoint>& cps, std::size_t i, std::size_t& end, bool& half) {
  half = false;
  if (i < cps.size() && cps[i].c == U'半') {
    end = i + 1;
    half = true;
    return 1;
  }
  std::int64_t positional = 0, total = 0, pending = 0;
  bool any = false, han = false;
  std::size_t j = i;
  for (; j < cps.size(); ++j) {
    const auto v = numeral(cps[j].c);
    if (!v) break;
    any = true;
    if (*v >= 10) {  // 十, 百: a multiplier of what precedes it (十五: one ten)
      han = true;
      total += (pending == 0 ? 1 : pending) * *v;
      pending = 0;
    } else {
      if (u_charDigitValue(cps[j].c) < 0) han = true;  // 二, 两: a Han digit
      positional = positional * 10 + *v;
      pending = *v;
    }
    if (positional > 1'000'000) return std::nullopt;
  }
  if (!any) return std::nullopt;
  end = j;
  return han ? total + pending : positional;
}

bool matches(const std::vector<CodePoint>& cps, std::size_t i, std::u32string_view word) {
  if (i + word.size() > cps.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k)
    if (cps[i + k].c != static_cast<UChar32>(word[k])) return false;
  return true;
}

struct UnitWord {
  std::u32string_view word;
  PromisedTime::Unit unit;
  std::int64_t scale;  // Wall: ms per unit
};

constexpr std::array<UnitWord, 10> kUnits{{
    {U"个工作日", PromisedTime::Unit::WorkDays, 1},
    {U"工作日", PromisedTime::Unit::WorkDays, 1},
    {U"个工作小时", PromisedTime::Unit::WorkHours, 1},
    {U"工作小时", PromisedTime::Unit::WorkHours, 1},
    {U"个小时", PromisedTime::Unit::Wall, 3'600'000},
    {U"小时", PromisedTime::Unit::Wall, 3'600'000},
    {U"分钟", PromisedTime::Unit::Wall, 60'000},
    {U"秒钟", PromisedTime::Unit::Wall, 1000},
    {U"秒", PromisedTime::Unit::Wall, 1000},
    {U"天", PromisedTime::Unit::Wall, 86'400'000},
}};

}  // namespace

std::optional<PromisedTime> find_promised_time(std::string_view text) {
  const std::vector<CodePoint> cps = decode(text);
  const auto byte_end = [&](std::size_t i) { return i < cps.size() ? cps[i].offset : static_cast<std::uint32_t>(text.size()); };
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (i > 0 && numeral(cps[i - 1].c)) continue;  // the start of a number only
    if (cps[i].c == U'半' && i >= 2 && cps[i - 1].c == U'个' && numeral(cps[i - 2].c)) continue;  // 一个半: read with its 一
    std::size_t j = i;
    bool half = false;
    auto n = number(cps, i, j, half);
    if (!n) continue;
    // A range promises its upper end: 1-3个工作日, 一至三天, 1到3天.
    for (std::u32string_view dash : {U"-", U"－", U"~", U"～", U"—", U"到", U"至"})
      if (matches(cps, j, dash)) {
        std::size_t k = j + dash.size();
        bool half2 = false;
        if (auto upper = number(cps, k, k, half2); upper && !half2) {
          n = upper;
          j = k;
        }
        break;
      }
    // 半小时 is half an hour; 一个半小时, an hour and a half.
    bool and_half = false;
    if (!half && matches(cps, j, U"个半")) {
      and_half = true;
      j += 2;
    }
    for (const UnitWord& u : kUnits) {
      if (!matches(cps, j, u.word)) continue;
      std::size_t k = j + u.word.size();
      if (!(matches(cps, k, U"内") || matches(cps, k, U"之内") || matches(cps, k, U"以内"))) break;
      k += matches(cps, k, U"内") ? 1 : 2;
      PromisedTime p;
      p.unit = u.unit;
      if (u.unit == PromisedTime::Unit::Wall) p.amount = half ? u.scale / 2 : *n * u.scale + (and_half ? u.scale / 2 : 0);
      else if (half || and_half) break;  // half a working day: not a unit a script's SLA can state
      else p.amount = *n;
      p.offset = cps[i].offset;
      p.length = byte_end(k) - p.offset;
      return p;
    }
  }
  return std::nullopt;
}

std::optional<std::pair<std::uint32_t, std::uint32_t>> find_promised_result(std::string_view text) {
  // 002: 禁止承诺客户处理时间及处理结果. 保证书 and 尽快地 are still promises; 不保证 is not.
  for (std::string_view word : {"保证", "一定会", "肯定会", "尽快", "马上为您", "立即为您"}) {
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
      if (at >= 3 && text.substr(at - 3, 3) == "不") continue;
      return std::pair{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(word.size())};
    }
  }
  return std::nullopt;
}

std::vector<PromisedTime> find_promised_times(std::string_view text) {
  std::vector<PromisedTime> all;
  for (std::uint32_t from = 0; from < text.size();) {
    auto p = find_promised_time(text.substr(from));
    if (!p) break;
    p->offset += from;
    all.push_back(*p);
    from = p->offset + p->length;
  }
  return all;
}

std::string duration_text(const PromisedTime& p) {
  switch (p.unit) {
    case PromisedTime::Unit::WorkDays: return std::to_string(p.amount) + (p.amount == 1 ? " workday" : " workdays");
    case PromisedTime::Unit::WorkHours: return std::to_string(p.amount) + (p.amount == 1 ? " workhour" : " workhours");
    case PromisedTime::Unit::Wall: break;
  }
  for (const auto& [ms, unit] : {std::pair{86'400'000LL, "d"}, {3'600'000LL, "h"}, {60'000LL, "m"}, {1000LL, "s"}})
    if (p.amount % ms == 0) return std::to_string(p.amount / ms) + unit;
  return std::to_string(p.amount) + "ms";
}

std::vector<std::string> default_revisit_promise_words() { return {"保证", "一定会", "肯定会", "尽快", "马上为您", "立即为您"}; }

std::vector<PromiseWords> find_promise_words(std::string_view text, std::span<const std::string> words) {
  std::vector<PromiseWords> found;
  for (const std::string& word : words)
    for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
      if (at >= 3 && text.substr(at - 3, 3) == "不") continue;
      found.push_back({static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(word.size())});
    }
  return found;
}

}  // namespace callscript::sema
