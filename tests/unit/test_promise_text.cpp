// Time limits read out of a prompt's Chinese words (sema/promise_text.h), as the E0437 and E0438
// proofs see them.
#include "sema/promise_text.h"

#include <doctest/doctest.h>

#include <string>

namespace cs = callscript::sema;
using Unit = cs::PromisedTime::Unit;

namespace {

struct Found {
  Unit unit;
  std::int64_t amount;
  std::string words;
};

std::optional<Found> promised(const std::string& text) {
  const auto p = cs::find_promised_time(text);
  if (!p) return std::nullopt;
  return Found{p->unit, p->amount, text.substr(p->offset, p->length)};
}

}  // namespace

TEST_CASE("a time limit is read with its unit, and the words it stands in") {
  const auto check = [](const std::string& text, Unit unit, std::int64_t amount, const std::string& words) {
    INFO(text);
    const auto f = promised(text);
    REQUIRE(f);
    CHECK(f->unit == unit);
    CHECK(f->amount == amount);
    CHECK(f->words == words);
  };
  check("工程师将在30分钟内与您联系。", Unit::Wall, 30 * 60'000, "30分钟内");
  check("我们将在2个工作日内联系您反馈处理进展。", Unit::WorkDays, 2, "2个工作日内");
  check("预计1-3个工作日内完成。", Unit::WorkDays, 3, "1-3个工作日内");   // a range promises its end
  check("预计一至三个工作日内完成。", Unit::WorkDays, 3, "一至三个工作日内");
  check("预计二十四小时之内给您答复。", Unit::Wall, 24 * 3'600'000, "二十四小时之内");
  check("两个小时以内回电。", Unit::Wall, 2 * 3'600'000, "两个小时以内");
  check("十五分钟内到达。", Unit::Wall, 15 * 60'000, "十五分钟内");
  check("半小时内处理。", Unit::Wall, 30 * 60'000, "半小时内");
  check("一个半小时内回电。", Unit::Wall, 90 * 60'000, "一个半小时内");  // not "半小时内"
  check("２４小时内答复。", Unit::Wall, 24 * 3'600'000, "２４小时内");  // full-width digits
  check("4个工作小时内处理。", Unit::WorkHours, 4, "4个工作小时内");
  check("7天内退货。", Unit::Wall, 7 * 86'400'000, "7天内");
}

TEST_CASE("near misses promise no time") {
  for (const char* text : {"预计{due_hours}小时内会有专人联系您。",  // a placeholder: unknown when compiled
                           "请您在通话内容中说明。",                 // 内 without a limit
                           "您的订单号是12345。",                   // a number without a unit
                           "我们有3个工作日的处理流程。",           // a duration, but no 内: not a limit
                           "请在30分钟后再拨打。"}) {              // 后, not 内
    INFO(text);
    CHECK_FALSE(cs::find_promised_time(text));
  }
}

TEST_CASE("a promised result is found, a denied one is not") {
  const auto words = [](const std::string& text) {
    const auto p = cs::find_promised_result(text);
    return p ? text.substr(p->first, p->second) : std::string();
  };
  CHECK(words("我们保证为您解决。") == "保证");
  CHECK(words("我们一定会处理好。") == "一定会");
  CHECK(words("我们会尽快为您转达。") == "尽快");
  CHECK(words("我们不保证立即反馈。") == "");
  CHECK(words("感谢您的接听，祝您生活愉快。") == "");
}
