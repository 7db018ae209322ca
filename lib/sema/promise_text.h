// Time limits promised in the words of a prompt: "30分钟内", "2个工作日内", "预计1-3个工作日内",
// "二十四小时之内", "半小时内". Numbers are read with ICU's numeric values, so full-width digits
// (２４小时内) and Chinese numerals (两个工作日内, 二十四小时内) count; a range promises its upper
// end. A limit made of a placeholder ("{due_hours}小时内") is not known when the script compiles and
// is not found.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

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

// Whether the text promises a result or an unnamed time ("保证", "一定会", "尽快"), as seed 002
// forbids in a revisit; the byte offset and length of the words.
std::optional<std::pair<std::uint32_t, std::uint32_t>> find_promised_result(std::string_view text);

}  // namespace callscript::sema
