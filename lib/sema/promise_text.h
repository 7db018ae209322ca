// Time limits promised in the words of a prompt: "30分钟内", "2个工作日内", "预计1-3个工作日内",
// "二十四小时之内", "半小时内". Numbers are read with ICU's numeric values, so full-width digits
// (２４小时内) and Chinese numerals (两个工作日内, 二十四小时内) count; a range promises its upper
// end. A limit made of a placeholder ("{due_hours}小时内") is not known when the script compiles and
// is not found.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::sema {

struct PromisedTime {
  enum class Unit { Wall, WorkDays, WorkHours };
  Unit unit = Unit::Wall;
  std::int64_t amount = 0;  // Wall: milliseconds; WorkDays: days; WorkHours: hours
  std::uint32_t offset = 0; // bytes into the text: where the number starts
  std::uint32_t length = 0; // through the end of "内"
};

// The first time limit the text promises, if any.
std::optional<PromisedTime> find_promised_time(std::string_view text);
// Every time limit the text promises, in order.
std::vector<PromisedTime> find_promised_times(std::string_view text);

// The promise's limit as a script writes a duration: `30m`, `24h`, `2 workdays`, `4 workhours`.
std::string duration_text(const PromisedTime& p);

struct PromiseWords {
  std::uint32_t offset = 0, length = 0;  // bytes of the text
};
// The words of `words` the text uses to promise a result or an unnamed time, negations left out.
std::vector<PromiseWords> find_promise_words(std::string_view text, std::span<const std::string> words);
// 呼出操作手册: 禁止承诺客户处理时间及处理结果 — the words that make such a promise.
std::vector<std::string> default_revisit_promise_words();

// Whether the text promises a result or an unnamed time ("保证", "一定会", "尽快"), as seed 002
// forbids in a revisit; the byte offset and length of the words.
std::optional<std::pair<std::uint32_t, std::uint32_t>> find_promised_result(std::string_view text);

}  // namespace callscript::sema
