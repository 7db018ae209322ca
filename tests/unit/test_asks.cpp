// Slot filling end to end: `ask` compiled from source and driven through Session. Input only for
// the slots the state asks (or `host` slots), nomatch and noinput reprompts that escalate line by
// line, the shared maximum, `filled` after every asked slot. The fixture is asks_fixture.h.
#include "asks_fixture.h"

#include <doctest/doctest.h>

#include <algorithm>

TEST_CASE("input for a slot the state does not ask is refused as NotAsked and changes nothing") {
  Call c;
  CHECK(c.s.state_name() == "idle");
  CHECK(c.input("tail", "1234") == cs::Status::NotAsked);
  CHECK(c.input("name", "张三") == cs::Status::NotAsked);
  CHECK(c.text("tail") == "");
  CHECK(c.text("name") == "");
  CHECK(said(c.s) == Ids{"idle.1"});

  REQUIRE(c.send("go_tail") == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_tail.1"});
  // Another slot, even a valid value for it, is not an answer to this question.
  CHECK(c.input("phone", "13812345678", 2) == cs::Status::NotAsked);
  CHECK(c.input("name", "张三", 2) == cs::Status::NotAsked);
  CHECK(c.input("callback", "9:05", 2) == cs::Status::NotAsked);
  CHECK(c.text("phone") == "");
  CHECK(c.text("name") == "");
  CHECK(c.text("callback") == "00:00");
  CHECK(c.s.state_name() == "get_tail");
  CHECK(said(c.s) == Ids{"get_tail.1"});
  CHECK(c.text("get_tail.nomatch") == "0");
  CHECK(c.text("get_tail.noinput") == "0");
  CHECK(logged(c.s).empty());
  // The asked slot itself is taken.
  CHECK(c.input("tail", "1234", 3) == cs::Status::Ok);
  CHECK(c.text("tail") == "1234");
  CHECK(c.s.outcome() == "resolved");
  CHECK(c.s.state_name() == "got_tail");
}

TEST_CASE("a host slot takes input in any state; a bad value is BadValue and changes nothing") {
  Call c;
  CHECK(c.input("vip", "是") == cs::Status::Ok);
  CHECK(c.text("vip") == "true");
  CHECK(c.input("vip", "maybe") == cs::Status::BadValue);
  CHECK(c.text("vip") == "true");
  CHECK(said(c.s) == Ids{"idle.1"});

  REQUIRE(c.send("go_tail", 2) == cs::Status::Ok);
  CHECK(c.input("ticket", "T-1", 3) == cs::Status::Ok);
  CHECK(c.text("ticket") == "T-1");
  CHECK(c.s.state_name() == "get_tail");
  // A bad host value is the host's mistake, not a customer to reprompt: no nomatch is counted.
  CHECK(c.input("phone_h", "12345", 4) == cs::Status::BadValue);
  CHECK(c.input("at_h", "25:00", 4) == cs::Status::BadValue);
  CHECK(c.text("phone_h") == "");
  CHECK(c.text("at_h") == "00:00");
  CHECK(c.text("get_tail.nomatch") == "0");
  CHECK(said(c.s) == Ids{"get_tail.1"});
  CHECK(c.s.state_name() == "get_tail");

  // Host input is followed by eventless transitions.
  REQUIRE(c.send("back", 5) == cs::Status::Ok);
  CHECK(c.input("ticket", "T-9", 6) == cs::Status::Ok);
  CHECK(c.s.state_name() == "ticketed");
  CHECK(c.s.ended());
}

TEST_CASE("nomatch reprompts escalate line by line and the last one repeats") {
  Call c;
  REQUIRE(c.send("go_tail") == cs::Status::Ok);
  const Ids expected[] = {{"get_tail.2"}, {"get_tail.3"}, {"get_tail.4"}, {"get_tail.4"}, {"get_tail.4"}};
  std::int64_t t = 10;
  for (const Ids& want : expected) {
    // A value that does not fit the slot's type is a nomatch: handled, not stored.
    CHECK(c.input("tail", "12a4", t++) == cs::Status::NoMatch);
    CHECK(said(c.s) == want);
    CHECK(c.s.state_name() == "get_tail");
  }
  CHECK(c.text("tail") == "");
  CHECK(c.text("get_tail.nomatch") == "5");
  CHECK(c.text("get_tail.noinput") == "0");
  // The host's own nomatch (an answer its NLU could not use) counts the same.
  CHECK(c.send("nomatch", t++) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_tail.4"});
  CHECK(c.text("get_tail.nomatch") == "6");
  CHECK(c.s.prompts()[0].text == "最后一次，请说四位数字。");
  CHECK(logged(c.s).empty());
}

TEST_CASE("noinput reprompts escalate likewise, counted apart from nomatch") {
  Call c;
  REQUIRE(c.send("go_tail") == cs::Status::Ok);
  // One nomatch first: the first silence still says the first noinput line.
  CHECK(c.input("tail", "1", 2) == cs::Status::NoMatch);
  CHECK(said(c.s) == Ids{"get_tail.2"});
  const Ids expected[] = {{"get_tail.5"}, {"get_tail.6"}, {"get_tail.6"}, {"get_tail.6"}};
  std::int64_t t = 10;
  for (const Ids& want : expected) {
    CHECK(c.send("noinput", t++) == cs::Status::Ok);
    CHECK(said(c.s) == want);
    CHECK(c.s.state_name() == "get_tail");
  }
  CHECK(c.text("get_tail.noinput") == "4");
  CHECK(c.text("get_tail.nomatch") == "1");
  // And the next nomatch goes on from where that kind was.
  CHECK(c.input("tail", "12345", t++) == cs::Status::NoMatch);
  CHECK(said(c.s) == Ids{"get_tail.3"});
}

TEST_CASE("the failure counters start again at zero on every entry to the asking state") {
  Call c;
  REQUIRE(c.send("go_tail") == cs::Status::Ok);
  CHECK(c.input("tail", "x", 2) == cs::Status::NoMatch);
  CHECK(c.input("tail", "y", 3) == cs::Status::NoMatch);
  CHECK(c.send("noinput", 4) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_tail.5"});
  CHECK(c.text("get_tail.nomatch") == "2");
  REQUIRE(c.send("back", 5) == cs::Status::Ok);
  REQUIRE(c.send("go_tail", 6) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_tail.1"});
  CHECK(c.text("get_tail.nomatch") == "0");
  CHECK(c.text("get_tail.noinput") == "0");
  CHECK(c.input("tail", "x", 7) == cs::Status::NoMatch);
  CHECK(said(c.s) == Ids{"get_tail.2"});  // the first line again
  CHECK(c.send("noinput", 8) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_tail.5"});

  // The maximum counts per visit too: get_time has max 3; two failures, leave, come back, and
  // two more failures still reprompt.
  Call d;
  REQUIRE(d.send("go_time") == cs::Status::Ok);
  CHECK(d.input("callback", "25:00", 2) == cs::Status::NoMatch);
  CHECK(d.send("noinput", 3) == cs::Status::Ok);
  REQUIRE(d.send("back", 4) == cs::Status::Ok);
  REQUIRE(d.send("go_time", 5) == cs::Status::Ok);
  CHECK(d.input("callback", "25:00", 6) == cs::Status::NoMatch);
  CHECK(d.send("noinput", 7) == cs::Status::Ok);
  CHECK(d.s.state_name() == "get_time");
  CHECK(d.send("noinput", 8) == cs::Status::Ok);  // the third of this visit
  CHECK(d.s.state_name() == "failed");
}

TEST_CASE("max counts noinput and nomatch together and goes to its target without a reprompt") {
  Call c;
  REQUIRE(c.send("go_phone", 0) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_phone.1"});
  CHECK(c.send("noinput", 1000) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_phone.2"});
  CHECK(c.input("phone", "123", 2000) == cs::Status::NoMatch);
  CHECK(said(c.s) == Ids{"get_phone.3"});
  CHECK(c.s.state_name() == "get_phone");
  CHECK(logged(c.s).empty());
  // The third failure, of either kind, is the maximum.
  CHECK(c.send("noinput", 3000) == cs::Status::Ok);
  CHECK(c.s.state_name() == "failed");
  CHECK(c.s.outcome() == "no_answer");
  CHECK(said(c.s) == Ids{"failed.1"});  // the target's prompt, no reprompt
  CHECK(logged(c.s) == std::vector<std::string>{"phone_max"});
  CHECK(c.text("get_phone.noinput") == "2");
  CHECK(c.text("get_phone.nomatch") == "1");

  // Three nomatches, the last by input: input still says NoMatch, and the call has moved on.
  Call d;
  REQUIRE(d.send("go_phone", 0) == cs::Status::Ok);
  CHECK(d.send("nomatch", 1) == cs::Status::Ok);
  CHECK(d.input("phone", "+8613812345678", 2) == cs::Status::NoMatch);
  CHECK(d.s.state_name() == "get_phone");
  CHECK(d.input("phone", "", 3) == cs::Status::NoMatch);
  CHECK(d.s.state_name() == "failed");
  CHECK(logged(d.s) == std::vector<std::string>{"phone_max"});
  CHECK(d.input("phone", "13812345678", 4) == cs::Status::Ended);
}

TEST_CASE("choices of an asking state include noinput and nomatch, leading out at the maximum") {
  Call c;
  REQUIRE(c.send("go_phone", 0) == cs::Status::Ok);
  auto find = [&](std::string_view name) {
    for (const cs::Choice& ch : c.s.choices())
      if (ch.name == name) return ch;
    FAIL("no choice " << name);
    return cs::Choice{};
  };
  CHECK(find("noinput").label == "客户无应答");
  CHECK(find("nomatch").label == "无法识别客户的回答");
  CHECK_FALSE(find("noinput").leaves_state);
  CHECK(find("noinput").target.empty());
  CHECK(c.send("noinput", 1) == cs::Status::Ok);
  CHECK(c.send("noinput", 2) == cs::Status::Ok);
  CHECK(find("noinput").target == "failed");
  CHECK(find("nomatch").target == "failed");
  CHECK(find("nomatch").leaves_state);
}

TEST_CASE("a reprompt stays in the state: no entry actions, and its timers keep running") {
  Call c;
  REQUIRE(c.send("go_phone", 0) == cs::Status::Ok);
  CHECK(c.send("noinput", 30'000) == cs::Status::Ok);
  CHECK(said(c.s) == Ids{"get_phone.2"});
  CHECK(c.s.next_deadline() == at(60'000));
  CHECK(c.s.advance(at(59'999)) == cs::Status::Ok);
  CHECK(c.s.state_name() == "get_phone");
  CHECK(c.s.advance(at(60'000)) == cs::Status::Ok);
  CHECK(c.s.state_name() == "failed");
}

TEST_CASE("filled is taken only once every asked slot has a value") {
  Call c;
  REQUIRE(c.send("go_verify") == cs::Status::Ok);
  CHECK(c.asked() == std::vector<std::string>{"name", "tail"});
  CHECK(c.input("name", "张", 2) == cs::Status::Ok);
  CHECK(c.s.state_name() == "verify");
  CHECK(c.input("name", "李", 3) == cs::Status::Ok);  // the same slot twice is still one
  CHECK(c.s.state_name() == "verify");
  CHECK(c.text("name") == "李");
  // A bad value for the other slot is a nomatch; the name given stays.
  CHECK(c.input("tail", "12a4", 4) == cs::Status::NoMatch);
  CHECK(c.s.state_name() == "verify");
  CHECK(c.text("name") == "李");
  CHECK(c.input("tail", "1234", 5) == cs::Status::Ok);
  CHECK(c.s.state_name() == "verified");

  // The first filled whose guard holds: its actions and its target.
  Call d;
  REQUIRE(d.send("go_verify") == cs::Status::Ok);
  CHECK(d.input("tail", "0000", 2) == cs::Status::Ok);
  CHECK(d.s.state_name() == "verify");
  CHECK(logged(d.s).empty());
  CHECK(d.input("name", "王", 3) == cs::Status::Ok);
  CHECK(d.s.state_name() == "failed");
  CHECK(logged(d.s) == std::vector<std::string>{"test_order"});
}

// Blank: empty, or only characters with Unicode's White_Space property (ASCII space, tab and line
// breaks, the full-width space U+3000, no-break space U+00A0, line separator U+2028).
const std::string_view kBlanks[] = {"", " ", "\t\r\n", "\u3000\u3000", " \u3000\t\u00a0", "\u2028"};

TEST_CASE("an empty or blank answer for an asked text slot is a nomatch, not an answer") {
  for (const std::string_view blank : kBlanks) {
    INFO("blank: \"" << std::string(blank) << "\"");
    Call c;
    REQUIRE(c.send("go_verify") == cs::Status::Ok);
    CHECK(c.input("name", blank, 2) == cs::Status::NoMatch);
    CHECK(c.text("name") == "");
    CHECK(c.text("verify.nomatch") == "1");
    CHECK(c.s.state_name() == "verify");
    // The name is still missing: the other slot alone does not fill the ask.
    CHECK(c.input("tail", "1234", 3) == cs::Status::Ok);
    CHECK(c.s.state_name() == "verify");
    CHECK(c.input("name", "张", 4) == cs::Status::Ok);
    CHECK(c.s.state_name() == "verified");
  }
  // Text with white space around or inside it is an answer, kept as given; so is a character
  // that is invisible but not white space (U+200B ZERO WIDTH SPACE).
  for (const std::string_view answer : {" 张 三 ", "\u3000王\u3000", "\u200b"}) {
    Call c;
    REQUIRE(c.send("go_verify") == cs::Status::Ok);
    CHECK(c.input("name", answer, 2) == cs::Status::Ok);
    CHECK(c.text("name") == answer);
    CHECK(c.text("verify.nomatch") == "0");
  }
}

TEST_CASE("a blank text from the host is BadValue and leaves the slot as it was") {
  Call c;
  REQUIRE(c.input("ticket", "T-1") == cs::Status::Ok);
  REQUIRE(c.send("go_tail", 2) == cs::Status::Ok);
  for (const std::string_view blank : kBlanks) {
    INFO("blank: \"" << std::string(blank) << "\"");
    CHECK(c.input("ticket", blank, 3) == cs::Status::BadValue);
    CHECK(c.text("ticket") == "T-1");
  }
  // Refused, not a customer's nomatch: nothing counted, nothing said.
  CHECK(c.text("get_tail.nomatch") == "0");
  CHECK(said(c.s) == Ids{"get_tail.1"});
  CHECK(c.s.state_name() == "get_tail");
}

TEST_CASE("a filled whose guard is false leaves the call in the state, waiting") {
  Call c;
  REQUIRE(c.send("go_verify") == cs::Status::Ok);
  CHECK(c.input("name", "张", 2) == cs::Status::Ok);
  CHECK(c.input("tail", "9999", 3) == cs::Status::Ok);  // every slot given; neither guard holds
  CHECK(c.s.state_name() == "verify");
  CHECK(said(c.s) == Ids{"verify.1"});
  CHECK(c.text("tail") == "9999");
  CHECK(logged(c.s).empty());
  // The next valid input for an asked slot tries again.
  CHECK(c.input("tail", "4321", 4) == cs::Status::Ok);
  CHECK(c.s.state_name() == "verified");
}

TEST_CASE("a filled without a target stays, and is taken again on each valid input") {
  Call c;
  REQUIRE(c.send("go_time") == cs::Status::Ok);
  CHECK(c.input("callback", "14:30", 2) == cs::Status::Ok);
  CHECK(c.text("callback") == "14:30");
  CHECK(c.s.state_name() == "get_time");
  CHECK(logged(c.s) == std::vector<std::string>{"time"});
  CHECK(c.input("callback", "9:05", 3) == cs::Status::Ok);
  CHECK(c.text("callback") == "09:05");
  CHECK(logged(c.s) == std::vector<std::string>{"time"});
  CHECK(c.input("callback", "24:00", 4) == cs::Status::NoMatch);
  CHECK(c.text("callback") == "09:05");
  CHECK(c.text("get_time.nomatch") == "1");
  CHECK(logged(c.s).empty());
}

TEST_CASE("asked_slots lists what the current state asks, in the ask's order") {
  auto p = program();
  cs::Session s(*p);
  CHECK(s.asked_slots().empty());  // not started
  Call c;
  CHECK(c.asked().empty());
  REQUIRE(c.send("go_tail") == cs::Status::Ok);
  CHECK(c.asked() == std::vector<std::string>{"tail"});
  REQUIRE(c.send("back", 2) == cs::Status::Ok);
  CHECK(c.asked().empty());
  REQUIRE(c.send("go_verify", 3) == cs::Status::Ok);
  CHECK(c.asked() == std::vector<std::string>{"name", "tail"});
  REQUIRE(c.input("name", "张", 4) == cs::Status::Ok);
  REQUIRE(c.input("tail", "1234", 5) == cs::Status::Ok);
  CHECK(c.s.state_name() == "verified");
  CHECK(c.asked().empty());
}

TEST_CASE("reprompt prompt ids follow the source order of the lines") {
  auto p = program();
  std::vector<std::pair<std::string, std::string>> ids;
  for (const auto& pr : p->image().prompts)
    ids.emplace_back(p->image().str(pr.id), p->image().str(pr.text));
  const auto id_of = [&](std::string_view text) {
    for (const auto& [id, t] : ids)
      if (t == text) return id;
    return std::string("?");
  };
  // get_tail writes its nomatch lines before its noinput lines.
  CHECK(id_of("请提供订单后四位。") == "get_tail.1");
  CHECK(id_of("没听清，请再说一遍订单后四位。") == "get_tail.2");
  CHECK(id_of("请您说四位数字。") == "get_tail.3");
  CHECK(id_of("最后一次，请说四位数字。") == "get_tail.4");
  CHECK(id_of("您好，能听到吗？") == "get_tail.5");
  CHECK(id_of("您好，请说订单后四位。") == "get_tail.6");
  // get_phone writes noinput first.
  CHECK(id_of("请说您的电话。") == "get_phone.2");
  CHECK(id_of("号码不对，请再说一遍。") == "get_phone.3");

  // And the session says them under those ids.
  Call c;
  REQUIRE(c.send("go_phone") == cs::Status::Ok);
  CHECK(c.input("phone", "1", 2) == cs::Status::NoMatch);
  CHECK(said(c.s) == Ids{"get_phone.3"});
  CHECK(c.s.prompts()[0].text == "号码不对，请再说一遍。");
}

TEST_CASE("an ask inside a flow names its counters after the flow") {
  const char* src = R"(script flowask {
  event go "开始"
  state start_here {
    on go -> call form then done
  }
  flow form {
    state code {
      ask pin {
        nomatch "请输入四位数字。"
        max 2 -> return
        filled -> return
      }
    }
  }
  slot pin: digits(4)
  final done: resolved
})";
  auto p = cs::test::load_through_bytes(cs::test::compile_clean("flowask.call", src));
  REQUIRE(p->slot_id("form.code.nomatch"));
  REQUIRE(p->slot_id("form.code.noinput"));
  cs::Session s(*p);
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  REQUIRE(s.send(*p->event_id("go"), at(1)) == cs::Status::Ok);
  CHECK(s.state_name() == "form.code");
  CHECK(s.input(*p->slot_id("pin"), "12", at(2)) == cs::Status::NoMatch);
  CHECK(s.slot_text(*p->slot_id("form.code.nomatch")) == "1");
  CHECK(s.prompts()[0].id == "form.code.1");
  // The maximum's `-> return` goes back to the caller's `then`.
  CHECK(s.input(*p->slot_id("pin"), "12", at(3)) == cs::Status::NoMatch);
  CHECK(s.state_name() == "done");
}

TEST_CASE("noinput and nomatch are not permitted in a state that asks nothing") {
  Call c;
  CHECK(c.send("noinput") == cs::Status::NotPermitted);
  CHECK(c.send("nomatch") == cs::Status::NotPermitted);
  CHECK(said(c.s) == Ids{"idle.1"});
}

TEST_CASE("filled counts only values input during this visit") {
  const char* src = R"(script visits {
  slot name: text = "张三"
  slot code: digits(4) host
  slot tail: digits(4)
  event back "返回"
  event again "再问"
  state idle {
    on again -> q
  }
  state q {
    ask name, tail, code {
      max 5 -> failed
      filled -> done
    }
    on back -> idle
  }
  final done: resolved
  final failed: no_answer
})";
  auto p = cs::test::load_through_bytes(cs::test::compile_clean("visits.call", src));
  const auto slot = [&](std::string_view n) { return *p->slot_id(n); };
  cs::Session s(*p);
  REQUIRE(s.start(at(0)) == cs::Status::Ok);
  // A host slot that no state is asking: the host's data, a bad value refused.
  CHECK(s.input(slot("code"), "12", at(1)) == cs::Status::BadValue);
  CHECK(s.input(slot("code"), "1111", at(1)) == cs::Status::Ok);
  REQUIRE(s.send(*p->event_id("again"), at(2)) == cs::Status::Ok);
  CHECK(s.state_name() == "q");
  // Asked, the same host slot is an answer: a bad value is a nomatch.
  CHECK(s.input(slot("code"), "12", at(3)) == cs::Status::NoMatch);
  CHECK(s.slot_text(slot("q.nomatch")) == "1");
  CHECK(s.slot_text(slot("code")) == "1111");
  // name has its initial value and code a value from before: neither counts yet.
  CHECK(s.input(slot("tail"), "1234", at(4)) == cs::Status::Ok);
  CHECK(s.state_name() == "q");
  CHECK(s.input(slot("code"), "2222", at(5)) == cs::Status::Ok);
  CHECK(s.state_name() == "q");
  // Values from an earlier visit do not count either.
  REQUIRE(s.send(*p->event_id("back"), at(6)) == cs::Status::Ok);
  REQUIRE(s.send(*p->event_id("again"), at(7)) == cs::Status::Ok);
  CHECK(s.input(slot("name"), "李四", at(8)) == cs::Status::Ok);
  CHECK(s.input(slot("tail"), "4321", at(9)) == cs::Status::Ok);
  CHECK(s.state_name() == "q");
  CHECK(s.input(slot("code"), "3333", at(10)) == cs::Status::Ok);
  CHECK(s.state_name() == "done");
}

TEST_CASE("a say in a max block is one prompt with one id, whichever failure reaches the maximum") {
  auto loaded = cs::Program::from_image(cs::test::compile_clean("max_say.call", R"(script m {
  slot tail: digits(4)
  event go
  state asking {
    say "请提供订单后四位。"
    ask tail {
      nomatch "很抱歉，请您再说一遍。"
      max 2 { say "抱歉，我这里听不到您声音，我们将改日与您联系，再见！" } -> done
      filled -> done
    }
  }
  final done: ended
})"));
  REQUIRE(loaded.program);
  const cs::bc::Image& im = loaded.program->image();
  std::vector<std::string> ids;
  for (const auto& pr : im.prompts) ids.emplace_back(im.str(pr.id));
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<std::string>{"asking.1", "asking.2", "asking.3"});
  for (const char* last : {"noinput", "nomatch"}) {
    cs::Session s(*loaded.program);
    REQUIRE(s.start(cs::Instant{}) == cs::Status::Ok);
    CHECK(s.input(*loaded.program->slot_id("tail"), "12", cs::Instant{}) == cs::Status::NoMatch);
    CHECK(s.send(*loaded.program->event_id(last), cs::Instant{}) == cs::Status::Ok);
    CHECK(s.state_name() == "done");
    REQUIRE(s.prompts().size() == 1);
    CHECK(s.prompts()[0].id == "asking.3");
  }
}
