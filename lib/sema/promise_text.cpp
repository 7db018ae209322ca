#include "sema/promise_text.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

namespace callscript::sema {

namespace {

using text::Glyphs;

// Numbers are kept in thousandths, so that 半 (500) and 1.5 (1500) are exact.
constexpr std::int64_t kOne = 1000;
constexpr std::int64_t kMax = 1'000'000 * kOne;  // past this no one promises a time

constexpr std::int64_t kSecond = 1000, kMinute = 60 * kSecond, kHour = 60 * kMinute, kDay = 24 * kHour;

// The value of a Han numeral (二 2, 十 10, 百 100, 廿 20), from ICU's Numeric_Value; a digit
// counts too, so that a number is not started in the middle of another.
std::optional<std::int64_t> han_value(UChar32 c) {
  if (c == U'两') return 2;  // "two" before a measure word; Unicode gives it no numeric value
  if (u_getIntPropertyValue(c, UCHAR_NUMERIC_TYPE) == U_NT_DECIMAL) return std::nullopt;  // 0-9 of a script
  const double v = u_getNumericValue(c);
  if (v == U_NO_NUMERIC_VALUE || v < 0 || v != std::floor(v) || v > 1000) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

bool numeral(UChar32 c) { return text::is_digit(c) || han_value(c).has_value(); }

struct UnitWord {
  std::u32string_view word;
  PromisedTime::Unit unit;
  std::int64_t ms;       // Wall: milliseconds a unit
  bool needs_ge = false;  // 月 is a month only as 个月 (3月 is March)
};

static constexpr std::array<UnitWord, 18> kUnits{{
    {U"工作日", PromisedTime::Unit::WorkDays, 0},
    {U"工作小时", PromisedTime::Unit::WorkHours, 0},
    {U"小时", PromisedTime::Unit::Wall, kHour},
    {U"钟头", PromisedTime::Unit::Wall, kHour},
    {U"h", PromisedTime::Unit::Wall, kHour},
    {U"分钟", PromisedTime::Unit::Wall, kMinute},
    {U"min", PromisedTime::Unit::Wall, kMinute},
    {U"刻钟", PromisedTime::Unit::Wall, 15 * kMinute},
    {U"秒钟", PromisedTime::Unit::Wall, kSecond},
    {U"秒", PromisedTime::Unit::Wall, kSecond},
    {U"天", PromisedTime::Unit::Wall, kDay},
    {U"日", PromisedTime::Unit::Wall, kDay},
    {U"周", PromisedTime::Unit::Wall, 7 * kDay},
    {U"星期", PromisedTime::Unit::Wall, 7 * kDay},
    {U"礼拜", PromisedTime::Unit::Wall, 7 * kDay},
    {U"月", PromisedTime::Unit::Wall, 28 * kDay, true},
    {U"工作天", PromisedTime::Unit::WorkDays, 0},
    {U"s", PromisedTime::Unit::Wall, kSecond},
}};

class Reader {
 public:
  explicit Reader(const Glyphs& g) : g_(g) {}

  std::vector<PromisedTime> all() {
    std::vector<PromisedTime> out;
    for (std::size_t i = 0; i < g_.size();) {
      std::size_t end = i;
      if (auto p = at(i, end)) {
        out.push_back(*p);
        i = end;
      } else {
        ++i;
      }
    }
    return out;
  }

 private:
  UChar32 c(std::size_t i) const { return i < g_.size() ? g_[i].c : 0; }

  bool is(std::size_t i, std::u32string_view word) const {
    if (i + word.size() > g_.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
      if (g_[i + k].c != static_cast<UChar32>(word[k])) return false;
    return true;
  }

  // The first of `words` at i, longest listed first; its length, or 0.
  template <std::size_t N>
  std::size_t one_of(std::size_t i, const std::array<std::u32string_view, N>& words) const {
    for (std::u32string_view w : words)
      if (is(i, w)) return w.size();
    return 0;
  }

  // A number at i in thousandths, `end` past it: digits with an optional decimal part, Han
  // numerals, or 半.
  std::optional<std::int64_t> number(std::size_t i, std::size_t& end) const {
    if (c(i) == U'半') {
      end = i + 1;
      return kOne / 2;
    }
    if (text::is_digit(c(i))) {
      std::int64_t v = 0;
      std::size_t j = i;
      for (; text::is_digit(c(j)); ++j)
        if ((v = v * 10 + u_charDigitValue(c(j))) > kMax / kOne) return std::nullopt;
      v *= kOne;
      if (c(j) == '.' && text::is_digit(c(j + 1))) {
        std::int64_t scale = kOne;
        for (++j; text::is_digit(c(j)); ++j)
          if (scale > 1) v += u_charDigitValue(c(j)) * (scale /= 10);
      }
      end = j;
      return v;
    }
    // Han numerals: 十 and 百 multiply what precedes them (十五: one ten and five); two digits in a
    // row without one (三四天) are the colloquial "three or four", a range: its upper end.
    std::int64_t total = 0, pending = -1;
    std::size_t j = i;
    for (; j < g_.size(); ++j) {
      const auto v = han_value(c(j));
      if (!v) break;
      if (*v >= 10) {
        total += (pending < 0 ? 1 : pending) * *v;
        pending = -1;
      } else if (*v != 0) {  // 零 only fills a place (一百零五)
        pending = *v;
      }
      if (total > kMax / kOne) return std::nullopt;
    }
    if (j == i) return std::nullopt;
    end = j;
    return (total + std::max<std::int64_t>(pending, 0)) * kOne;
  }

  static constexpr std::array<std::u32string_view, 7> kBefore{U"不会超过", U"不超过", U"最迟", U"最晚", U"最多", U"至多", U"最长"};

  // A limit whose words start at i; `end` past them.
  std::optional<PromisedTime> at(std::size_t i, std::size_t& end) const {
    std::size_t j = i;
    const std::size_t before = one_of(i, kBefore);
    j += before;
    // Only where a number starts: not at its second digit, nor after a decimal point.
    if (before == 0 && i > 0 && (numeral(c(i - 1)) || (c(i - 1) == '.' && i > 1 && text::is_digit(c(i - 2))))) return std::nullopt;
    if (before == 0 && c(i) == U'半' && i > 0 && c(i - 1) == U'个') return std::nullopt;  // the 半 of 一个半
    std::size_t k = j;
    auto n = number(j, k);
    if (!n) return std::nullopt;
    // A range promises its upper end; one whose end is a placeholder promises nothing known.
    if (const std::size_t dash = one_of(k, std::array<std::u32string_view, 7>{U"-", U"~", U"—", U"–", U"〜", U"到", U"至"})) {
      if (c(k + dash) == '{') return std::nullopt;
      std::size_t m = k + dash;
      if (auto upper = number(k + dash, m); upper && c(k + dash) != U'半') {
        n = upper;
        k = m;
      }
    }
    const bool half_number = *n % kOne != 0;
    bool ge = false;
    if (is(k, U"个半") && !half_number) {
      *n += kOne / 2;
      k += 2;
      ge = true;
    } else if (c(k) == U'个') {
      ++k;
      ge = true;
    }
    for (const UnitWord& u : kUnits) {
      if (!is(k, u.word) || (u.needs_ge && !ge)) continue;
      std::size_t e = k + u.word.size();
      const bool work = u.unit != PromisedTime::Unit::Wall;
      if (!work && c(e) == U'半' && *n % kOne == 0 && u.ms >= kDay) {  // 一天半, 两周半
        const std::size_t after_half = e + 1;
        if (marker_after(after_half, false, j)) *n += kOne / 2, e = after_half;
      }
      // 3月5日 is a date.
      if (u.word == U"日" && j > 0 && (c(j - 1) == U'月' || c(j - 1) == U'年')) return std::nullopt;
      const std::size_t marker = marker_after(e, work, j);
      if (marker == 0 && before == 0) return std::nullopt;
      if (work && *n % kOne != 0) return std::nullopt;  // whole working days and hours only
      PromisedTime p;
      p.unit = u.unit;
      p.amount = work ? *n / kOne : *n * u.ms / kOne;
      end = e + marker;
      const Span words = text::span_of(g_, i, end);
      p.offset = words.begin;
      p.length = words.end - words.begin;
      return p;
    }
    return std::nullopt;
  }

  // The length of the limit marker at e, or 0. 之前 after a duration usually means "ago" (3天之前
  // 反映的问题): it is a limit after a working unit, or with 在/于 before the number (`number_at`).
  std::size_t marker_after(std::size_t e, bool work, std::size_t number_at) const {
    if (c(e) == U'内') return is(e, U"内容") || is(e, U"内部") || is(e, U"内存") || is(e, U"内心") ? 0 : 1;
    if (is(e, U"之内") || is(e, U"以内")) return 2;
    if (!is(e, U"之前")) return 0;
    if (c(e + 2) == U'的' || c(e + 2) == U'就' || c(e + 2) == U'已' || c(e + 2) == U'曾') return 0;
    const bool deadline = work || (number_at > 0 && (c(number_at - 1) == U'在' || c(number_at - 1) == U'于'));
    return deadline ? 2 : 0;
  }

  const Glyphs& g_;
};

const std::vector<std::string> kPromiseWords = {
    // an unnamed time
    "尽快", "尽早", "马上", "立刻", "立即", "立马", "即刻", "第一时间", "很快",
    // a result
    "一定", "肯定", "保证", "承诺", "确保", "包您", "绝对", "百分之百"};
const std::vector<std::string> kNearMisses = {
    "保证金", "为了保证", "为保证", "为了确保", "为确保", "一定程度", "一定的", "很快乐", "很快捷", "的肯定", "肯定或否定"};

// The negations a promise word may follow (skipping white space only: 不，一定会 is a promise).
bool negated(const text::Folded& f, std::size_t skel_begin) {
  std::u32string before;
  for (std::size_t k = f.at[skel_begin]; k-- > 0 && before.size() < 2;) {
    if (text::is_space(f.folded[k].c)) continue;
    before.insert(before.begin(), static_cast<char32_t>(f.folded[k].c));
  }
  if (before.empty()) return false;
  for (char32_t n : {U'不', U'没', U'未', U'无', U'别'})
    if (before.back() == n) return true;
  for (std::u32string_view n : {U"不能", U"无法", U"没法", U"难以", U"不会", U"不敢", U"不可"})
    if (before == n) return true;
  return false;
}

}  // namespace

std::vector<PromisedTime> find_promised_times(const Glyphs& text) {
  return Reader(text::compact(text::normalize(text, true))).all();
}

std::vector<PromisedTime> find_promised_times(std::string_view text) { return find_promised_times(text::decode(text)); }

std::vector<Found> find_promise_words(const Glyphs& text, std::span<const std::string> words, std::span<const std::string> near_misses) {
  const text::Matcher m = text::compile({{words.begin(), words.end()}, {near_misses.begin(), near_misses.end()}});
  const text::Folded f = text::fold(text);
  std::vector<Found> out;
  // A negation covers the promise words right after it (不保证立即反馈), white space between.
  std::optional<std::size_t> denied_to;  // in f.folded
  const auto right_after_denied = [&](std::size_t from) {
    if (!denied_to || *denied_to > from) return false;
    for (std::size_t k = *denied_to; k < from; ++k)
      if (!text::is_space(f.folded[k].c)) return false;
    return true;
  };
  for (const text::Hit& h : text::find(m, f)) {
    if (negated(f, h.begin) || right_after_denied(f.at[h.begin])) {
      denied_to = f.at[h.end - 1] + 1;
      continue;
    }
    const Span s = text::span_of(f.skel, h.begin, h.end);
    const auto written = std::find_if(words.begin(), words.end(), [&](const std::string& w) {
      return w == h.word->text || (w.starts_with("^") && std::string_view(w).substr(1) == h.word->text);
    });
    out.push_back({s.begin, s.end - s.begin, static_cast<std::size_t>(written - words.begin())});
  }
  return out;
}

std::vector<Found> find_promise_words(std::string_view text, std::span<const std::string> words, std::span<const std::string> near_misses) {
  return find_promise_words(text::decode(text), words, near_misses);
}

std::span<const std::string> default_revisit_promise_words() { return kPromiseWords; }
std::span<const std::string> default_revisit_promise_near_misses() { return kNearMisses; }

}  // namespace callscript::sema
