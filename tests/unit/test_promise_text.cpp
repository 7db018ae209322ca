// What a prompt's words promise (sema/promise_text.h), as the E0437 and E0438 proofs and the
// linter's revisit-promise rule read them, on the shared normaliser (text/normalize.h).
#include "sema/promise_text.h"
#include "text/normalize.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cs = callscript::sema;
namespace text = callscript::text;
using Unit = cs::PromisedTime::Unit;

namespace {

constexpr std::int64_t kS = 1000, kMin = 60 * kS, kH = 60 * kMin, kDay = 24 * kH;

struct Limit {
  Unit unit;
  std::int64_t amount;
  std::string words;
};

std::vector<Limit> limits(const std::string& text) {
  std::vector<Limit> out;
  for (const auto& p : cs::find_promised_times(text)) out.push_back({p.unit, p.amount, text.substr(p.offset, p.length)});
  return out;
}

void check(const std::string& text, Unit unit, std::int64_t amount, const std::string& words) {
  INFO(text);
  const auto found = limits(text);
  REQUIRE(found.size() == 1);
  CHECK(found[0].unit == unit);
  CHECK(found[0].amount == amount);
  CHECK(found[0].words == words);
}

std::vector<std::string> promise_words(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& f : cs::find_promise_words(text, cs::default_revisit_promise_words(), cs::default_revisit_promise_near_misses()))
    out.push_back(text.substr(f.offset, f.length));
  return out;
}

}  // namespace

TEST_CASE("normaliser: full-width forms fold to ASCII, each character traced to its original bytes") {
  const std::string s = "２４　小时ＡＢ";
  const text::Glyphs g = text::normalize(text::decode(s), true);
  REQUIRE(g.size() == 7);
  CHECK(g[0].c == '2');
  CHECK(s.substr(g[0].src.begin, g[0].src.end - g[0].src.begin) == "２");
  CHECK(g[2].c == ' ');  // U+3000 is a space
  CHECK(g[5].c == 'a');  // case folded
  const text::Glyphs c = text::compact(g);
  CHECK(text::utf8(text::codepoints(c)) == "24小时ab");
  CHECK(text::utf8(text::codepoints(text::compact(text::normalize(text::decode("1 2\t天"), false)))) == "1 2天");  // two numbers stay two
  CHECK(text::match_form("尽 快，") == U"尽快");
  const text::Glyphs d = text::decode("a\xffz");  // an ill-formed byte reads as U+FFFD, one byte long
  REQUIRE(d.size() == 3);
  CHECK(d[1].c == 0xFFFD);
  CHECK(d[1].src.end - d[1].src.begin == 1);
}

TEST_CASE("a time limit is read with its unit, and the words it stands in") {
  check("工程师将在30分钟内与您联系。", Unit::Wall, 30 * kMin, "30分钟内");
  check("我们将在2个工作日内联系您反馈处理进展。", Unit::WorkDays, 2, "2个工作日内");
  check("4个工作小时内处理。", Unit::WorkHours, 4, "4个工作小时内");
  check("7天内退货。", Unit::Wall, 7 * kDay, "7天内");
  check("3日内答复。", Unit::Wall, 3 * kDay, "3日内");
  check("10秒内回复。", Unit::Wall, 10 * kS, "10秒内");
  check("一刻钟内到达。", Unit::Wall, 15 * kMin, "一刻钟内");
  check("两周之内。", Unit::Wall, 14 * kDay, "两周之内");
  check("一个星期以内。", Unit::Wall, 7 * kDay, "一个星期以内");
  check("1个月内退款。", Unit::Wall, 28 * kDay, "1个月内");  // the shortest month
  check("两个钟头内。", Unit::Wall, 2 * kH, "两个钟头内");
  check("24h内答复。", Unit::Wall, 24 * kH, "24h内");
}

TEST_CASE("a time limit: spaces of any kind, full-width digits and letters") {
  check("30 分钟 内", Unit::Wall, 30 * kMin, "30 分钟 内");
  check("30\t分钟内", Unit::Wall, 30 * kMin, "30\t分钟内");
  check("３０　分钟内", Unit::Wall, 30 * kMin, "３０　分钟内");  // U+3000 and full-width digits
  check("２４小时内答复。", Unit::Wall, 24 * kH, "２４小时内");
  check("２４Ｈ内", Unit::Wall, 24 * kH, "２４Ｈ内");
  check("2 个 工作日 内", Unit::WorkDays, 2, "2 个 工作日 内");
}

TEST_CASE("a time limit: Han numerals, ranges and halves") {
  check("两个工作日内", Unit::WorkDays, 2, "两个工作日内");
  check("预计二十四小时之内给您答复。", Unit::Wall, 24 * kH, "二十四小时之内");
  check("十五分钟内到达。", Unit::Wall, 15 * kMin, "十五分钟内");
  check("一百秒内", Unit::Wall, 100 * kS, "一百秒内");
  check("一百零五分钟内", Unit::Wall, 105 * kMin, "一百零五分钟内");
  check("三四天内", Unit::Wall, 4 * kDay, "三四天内");  // "three or four": the upper end
  check("预计1-3个工作日内完成。", Unit::WorkDays, 3, "1-3个工作日内");
  check("１～３个工作日内", Unit::WorkDays, 3, "１～３个工作日内");
  check("1到3天内", Unit::Wall, 3 * kDay, "1到3天内");
  check("预计一至三个工作日内完成。", Unit::WorkDays, 3, "一至三个工作日内");
  check("半小时内处理。", Unit::Wall, 30 * kMin, "半小时内");
  check("半个小时内", Unit::Wall, 30 * kMin, "半个小时内");
  check("一个半小时内回电。", Unit::Wall, 90 * kMin, "一个半小时内");  // not "半小时内"
  check("两个半小时内", Unit::Wall, 150 * kMin, "两个半小时内");
  check("半天内", Unit::Wall, 12 * kH, "半天内");
  check("一天半内", Unit::Wall, 36 * kH, "一天半内");
  check("1.5小时内", Unit::Wall, 90 * kMin, "1.5小时内");
}

TEST_CASE("a time limit: a marker before the number needs none after the unit") {
  check("最迟3天给您答复。", Unit::Wall, 3 * kDay, "最迟3天");
  check("处理时间不超过24小时。", Unit::Wall, 24 * kH, "不超过24小时");
  check("最晚两个工作日回复您。", Unit::WorkDays, 2, "最晚两个工作日");
  check("不会超过 30 分钟。", Unit::Wall, 30 * kMin, "不会超过 30 分钟");
  check("最迟3天内", Unit::Wall, 3 * kDay, "最迟3天内");
  check("3个工作日之前给您回复。", Unit::WorkDays, 3, "3个工作日之前");
  check("我们会在3天之前联系您。", Unit::Wall, 3 * kDay, "3天之前");
}

TEST_CASE("every time limit of a text is found, in order") {
  const auto found = limits("我们会在30分钟内回电，并在2个工作日内给您结果；最迟不超过５天。");
  REQUIRE(found.size() == 3);
  CHECK(found[0].words == "30分钟内");
  CHECK(found[1].words == "2个工作日内");
  CHECK(found[2].words == "不超过５天");
  // each case of a select is its own promise
  CHECK(limits("{kind, select, fast {2小时内} other {24小时内}}").size() == 2);
}

TEST_CASE("near misses promise no time") {
  for (const char* text : {
           "预计{due_hours}小时内会有专人联系您。",  // a placeholder: unknown when compiled
           "{n}个工作日内",
           "1-{n}天内完成。",                        // a range whose end is a placeholder
           "不超过{n}小时",
           "请您在通话内容中说明。",                 // 内 without a limit
           "您的订单号是12345。",                    // a number without a unit
           "我们有3个工作日的处理流程。",            // a duration, but no marker: not a limit
           "您已经等了3天，非常抱歉。",
           "请在30分钟后再拨打。",                   // 后, not 内
           "3月5日之前",                             // a date
           "您3天之前反映的问题已处理。",            // 之前 after a duration: ago
           "3天之前的订单",
           "这3天内容很多。",                        // 内容, not 内
           "3个工作日前",                            // 前 alone: ago
           "3月内完成",                              // March, not three months
           "半个工作日内",                           // working time counts whole units
           "1.5个工作日内",
           "第一时间为您处理。",                     // no unit
           "十分感谢。"}) {
    INFO(text);
    CHECK(limits(text).empty());
  }
}

TEST_CASE("offsets are bytes of the original text") {
  const std::string s = "您好，预计２４小时内";
  const auto p = cs::find_promised_times(s);
  REQUIRE(p.size() == 1);
  CHECK(p[0].offset == std::string("您好，预计").size());
  CHECK(p[0].length == std::string("２４小时内").size());
}

TEST_CASE("revisit promise words: found robustly, denied ones and near misses are not") {
  CHECK(promise_words("我们保证为您解决。") == std::vector<std::string>{"保证"});
  CHECK(promise_words("我们一定会处理好。") == std::vector<std::string>{"一定"});
  CHECK(promise_words("我们会尽快为您转达。") == std::vector<std::string>{"尽快"});
  CHECK(promise_words("我们会尽 快为您转达。") == std::vector<std::string>{"尽 快"});
  CHECK(promise_words("我们会尽　快处理") == std::vector<std::string>{"尽　快"});
  CHECK(promise_words("马上为您处理，第一时间反馈，确保满意。") == std::vector<std::string>{"马上", "第一时间", "确保"});
  CHECK(promise_words("包您满意").size() == 1);
  CHECK(promise_words("不，一定会处理。") == std::vector<std::string>{"一定"});  // 不 ends a sentence: no negation
  CHECK(promise_words("我们不保证，立即反馈。") == std::vector<std::string>{"立即"});
  for (const char* text : {"我们不保证处理结果。", "我们不保证立即反馈。" /* the negation covers 立即 too */, "这不一定。", "我们无法承诺处理时间。", "不能保证", "不 保证",
                           "为了保证信息安全，请提供订单后四位。", "需缴纳保证金。", "在一定程度上", "祝您生活很快乐。",
                           "感谢您的肯定。", "感谢您的接听，祝您生活愉快。"}) {
    INFO(text);
    CHECK(promise_words(text).empty());
  }
}

TEST_CASE("promise words: a configured list, its index, and a sentence-start word") {
  const std::vector<std::string> words = {"稍后", "^放心"};
  const auto found = cs::find_promise_words("请放心，我们稍后回电。放心吧", words);
  REQUIRE(found.size() == 2);
  CHECK(found[0].word == 0);
  CHECK(found[1].word == 1);
  CHECK(cs::find_promise_words("尽快", std::vector<std::string>{}).empty());
}
