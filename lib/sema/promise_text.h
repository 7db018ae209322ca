// What a prompt's words promise the customer: time limits ("30分钟内", "最迟3天给您答复") for the
// E0437 proof, and the words an outbound revisit must not say ("尽快", "保证") for E0438 and the
// linter's revisit-promise rule. Both read the text through text/normalize.h, so full-width digits
// and letters, ideographic spaces and tabs are read as their plain forms, and every finding is
// given in bytes of the ORIGINAL text. grammar/REFERENCE.md (E0437, E0438) documents the forms.
#pragma once

#include "text/normalize.h"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::sema {

// A time limit, in the kind of time a script's SLA counts (§14).
//
// What is read: a number, then a unit, then a limit marker after it (内, 之内, 以内; 之前 after a
// working unit, or after a wall unit with 在 or 于 before the number), or a limit marker before the
// number (不超过, 不会超过, 最迟, 最晚, 最多, 至多, 最长). Between the pieces white space of any kind.
//   numbers  ASCII and full-width digits (24, ２４), decimals (1.5), Han numerals (两, 二十四,
//            十五, 一百, 三四 as "three or four"), a range (1-3, 1~3, 1到3, 一至三: its upper end,
//            what the customer holds the promise to), 半 (半小时), and a half after a whole
//            number (一个半小时, 一天半)
//   units    秒/秒钟, 分钟/min, 刻钟 (15 min), 小时/个小时/钟头/h, 天, 日, 周/星期/礼拜 (7 days),
//            个月 (a month is read as 28 days: the shortest month, so an SLA checked against it
//            keeps the promise in every month), 工作日/个工作日, 工作小时/个工作小时
// Working time counts whole units only: a script's SLA states whole working days and hours, so
// 半个工作日 and 1.5个工作日 are not read (say 4个工作小时).
// Not a limit: a duration without a marker ("等了3天", "3个工作日的流程"), a time after (30分钟后),
// a date (3月5日之前), a placeholder ("{n}小时内", "1-{n}天内": unknown when the script compiles).
struct PromisedTime {
  enum class Unit { Wall, WorkDays, WorkHours };
  Unit unit = Unit::Wall;
  std::int64_t amount = 0;   // Wall: milliseconds; WorkDays: days; WorkHours: hours
  std::uint32_t offset = 0;  // bytes into the original text, where the words start (a marker
  std::uint32_t length = 0;  // before the number included) and how many bytes they take
};

// Every time limit the text promises, in order. For glyphs, offset and length are those of the
// glyphs' src spans.
std::vector<PromisedTime> find_promised_times(std::string_view text);
std::vector<PromisedTime> find_promised_times(const text::Glyphs& text);

// A word of a list found in a text: its bytes in the original text, and its index in the list.
struct Found {
  std::uint32_t offset = 0, length = 0;
  std::size_t word = 0;
};

// Every word of `words` in `text`, matched on the normalised text without white space and
// punctuation ("尽 快", "尽，快", "尽　快" and full-width forms alike), longest first where two overlap. Not a
// hit: a word that a longer word of `near_misses` contains or overlaps (保证金 for 保证), and a word
// right after a negation (不, 没, 未, 无, 别, 非, 不能, 无法, 没法, 难以: 不保证, 不一定, 无法承诺
// deny the promise). A word starting with `^` is a hit only where a sentence starts.
std::vector<Found> find_promise_words(std::string_view text, std::span<const std::string> words,
                                      std::span<const std::string> near_misses = {});
std::vector<Found> find_promise_words(const text::Glyphs& text, std::span<const std::string> words,
                                      std::span<const std::string> near_misses = {});

// The words an outbound revisit must not say (呼出操作手册规范篇: 禁止承诺客户):
// an unnamed time (尽快, 马上, 第一时间, ...) or a result (一定, 保证, 确保, 包您, ...), and their
// near misses (保证金, 一定程度, 很快乐, ...). callscript.yaml changes them (grammar/LINT.md).
std::span<const std::string> default_revisit_promise_words();
std::span<const std::string> default_revisit_promise_near_misses();

}  // namespace callscript::sema
