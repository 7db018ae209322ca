// Retry campaigns (呼出操作手册规范篇) and the business-time pieces they stand on: `after` timers
// counted on the calendar, the `working_time` guard, and what the lowering of `campaign` does on a
// virtual clock. Times are Asia/Shanghai on the shipped calendar (09:00-12:00, 13:30-18:00).
#include <callscript/calendar.h>
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>

namespace cs = callscript;

namespace {

cs::Instant at(std::int64_t ms) { return cs::Instant(std::chrono::milliseconds(ms)); }

// "YYYY-MM-DD HH:MM" in Asia/Shanghai (UTC+8), as milliseconds since the epoch.
std::int64_t local(const char* text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  REQUIRE(std::sscanf(text, "%d-%d-%d %d:%d", &y, &mo, &d, &h, &mi) == 5);
  const std::chrono::sys_days day{std::chrono::year(y) / mo / d};
  return (cs::Instant(day) + std::chrono::hours(h - 8) + std::chrono::minutes(mi)).time_since_epoch().count();
}

// Named inside examples/ so that the relative calendar path resolves.
std::shared_ptr<const cs::Program> build(const std::string& src) {
  return cs::test::load_through_bytes(cs::test::compile_clean(CALLSCRIPT_SOURCE_DIR "/examples/campaign_test.call", src));
}

const char* kHotline = R"(script hotline {
  calendar "calendar/cn_business.yaml"
  event hangup "客户挂机"
  effect log(what: text)
  // 人工客服工作时间: an agent in working time, the voicemail otherwise.
  state route {
    when working_time -> desk
    -> voicemail
  }
  state desk {
    after 2 workhours { emit log(what: "desk_timeout") } -> voicemail
    on hangup -> done
  }
  state voicemail {
    after 1 workday { emit log(what: "callback_due") } -> done
    on hangup -> done
  }
  final done: completed
})";

// A raw string with a delimiter: the reasons' parentheses would end a plain R"( ... )".
const char* kCampaign = R"cs(script outbound {
  calendar "calendar/cn_business.yaml"
  slot numbers: number host = 2
  slot kind: enum(first, survey) host = first
  event ring "振铃"
  event connected "接通"
  event busy "忙音"
  event empty "空号"
  event voicemail "录音电话"
  event not_self "本人不在"
  effect log(what: text, passes: number)
  state prepare { on connected -> reach }
  campaign reach {
    numbers: numbers
    passes: kind { first: 2, survey: 1 }
    interval: 6h
    ring: 3 ring or 30s
    hours: calendar
    on connected -> talk
    on busy fail "忙音(占线)"
    on empty fail "空号"
    on voicemail fail "录音电话"
    exhausted { emit log(what: "unreachable", passes: reach.pass) } -> unreachable
    no_numbers -> no_number
  }
  state talk { on not_self -> reach failed "本人不在" }
  final unreachable: no_contact
  final no_number: no_contact
})cs";

struct Call {
  std::shared_ptr<const cs::Program> p;
  cs::Session s;
  std::int64_t now;
  Call(std::shared_ptr<const cs::Program> program, std::int64_t start) : p(std::move(program)), s(*p), now(start) {
    REQUIRE(s.start(at(now)) == cs::Status::Ok);
  }
  void input(std::string_view slot, std::string_view value) {
    const auto id = p->slot_id(slot);
    REQUIRE_MESSAGE(id, slot);
    REQUIRE(s.input(*id, value, at(now)) == cs::Status::Ok);
  }
  cs::Status send(std::string_view event) {
    const auto id = p->event_id(event);
    REQUIRE_MESSAGE(id, event);
    return s.send(*id, at(now));
  }
  void advance_to(std::int64_t t) {
    now = t;
    REQUIRE(s.advance(at(now)) == cs::Status::Ok);
  }
  std::string slot(std::string_view name) {
    const auto id = p->slot_id(name);
    REQUIRE_MESSAGE(id, name);
    return s.slot_text(*id);
  }
  // "dial(1,1)", "record_failure_reason(忙音(占线),需多次拨打,1)": each effect with its arguments.
  std::vector<std::string> effects() {
    std::vector<std::string> out;
    for (const cs::Effect& e : s.take_effects()) {
      std::string line = std::string(e.name) + "(";
      for (std::size_t i = 0; i < e.args.size(); ++i)
        line += (i ? "," : "") + (e.args[i].kind == cs::ValueKind::Text ? e.args[i].text : std::to_string(e.args[i].number));
      out.push_back(line + ")");
    }
    return out;
  }
};

using Strings = std::vector<std::string>;

}  // namespace

TEST_CASE("working_time is true only in the calendar's working hours") {
  const auto p = build(kHotline);
  for (const auto& [when, state] : std::vector<std::pair<const char*, const char*>>{
           {"2025-03-03 09:00", "desk"},        // Monday, the first working minute
           {"2025-03-03 11:59", "desk"},
           {"2025-03-03 12:00", "voicemail"},   // lunch: an interval's end is not working time
           {"2025-03-03 13:30", "desk"},
           {"2025-03-03 18:00", "voicemail"},
           {"2025-03-08 10:00", "voicemail"},   // Saturday
           {"2025-02-08 10:00", "desk"},        // a Saturday made a working day (调休)
           {"2025-10-01 10:00", "voicemail"}}) {  // 国庆节
    INFO(when);
    Call c(p, local(when));
    CHECK(c.s.state_name() == state);
  }
}

TEST_CASE("an `after` in business time fires when that much working time has passed") {
  const auto p = build(kHotline);
  Call c(p, local("2025-03-07 17:00"));  // Friday: one working hour left
  REQUIRE(c.s.state_name() == "desk");
  // 2 working hours from Friday 17:00 is Monday 10:00, not Friday 19:00.
  REQUIRE(c.s.next_deadline() == at(local("2025-03-10 10:00")));
  c.advance_to(local("2025-03-10 10:00") - 1);
  CHECK(c.s.state_name() == "desk");
  CHECK(c.effects().empty());
  c.advance_to(local("2025-03-10 10:00"));
  CHECK(c.s.state_name() == "voicemail");
  CHECK(c.effects() == Strings{"log(desk_timeout)"});
  // 1 working day from Monday 10:00 is Tuesday 10:00.
  CHECK(c.s.next_deadline() == at(local("2025-03-11 10:00")));
}

TEST_CASE("a campaign dials each number once a pass and files each failure under the manual's group") {
  const auto p = build(kCampaign);
  Call c(p, local("2025-03-03 09:00"));
  REQUIRE(c.send("connected") == cs::Status::Ok);
  CHECK(c.s.state_name() == "reach.dialing");
  CHECK(c.slot("reach.passes") == "2");  // `first` makes 2 passes
  CHECK(c.effects() == Strings{"dial(1,1)"});
  // The 3rd ring is the limit: 无人接听, and the next number.
  CHECK(c.send("ring") == cs::Status::Ok);
  CHECK(c.send("ring") == cs::Status::Ok);
  CHECK(c.effects().empty());
  CHECK(c.send("ring") == cs::Status::Ok);
  CHECK(c.effects() == Strings{"record_failure_reason(无人接听,需多次拨打,1)", "dial(2,1)"});
  // 下次回访 ends the pass; the next is due 6 h later, in working time.
  CHECK(c.send("voicemail") == cs::Status::Ok);
  CHECK(c.effects() == Strings{"record_failure_reason(录音电话,下次回访,2)", "schedule_dial(2)"});
  CHECK(c.s.state_name() == "reach.between_passes");
  CHECK(c.s.next_deadline() == at(local("2025-03-03 15:00")));
  c.advance_to(local("2025-03-03 15:00"));
  CHECK(c.effects() == Strings{"dial(1,2)"});
  CHECK(c.slot("reach.pass") == "2");
  // Answered, but not the customer: reported from outside the campaign, the next number.
  REQUIRE(c.send("connected") == cs::Status::Ok);
  REQUIRE(c.send("not_self") == cs::Status::Ok);
  CHECK(c.effects() == Strings{"record_failure_reason(本人不在,需多次拨打,1)", "dial(2,2)"});
  // 30 s of ring-back tone on the last number of the last pass: the campaign is exhausted.
  c.advance_to(local("2025-03-03 15:00") + 30'000);
  CHECK(c.effects() == Strings{"record_failure_reason(无人接听,需多次拨打,2)", "log(unreachable,2)"});
  CHECK(c.s.state_name() == "unreachable");
}

TEST_CASE("a campaign with calling hours waits for the calendar's next working moment") {
  const auto p = build(kCampaign);
  Call c(p, local("2025-03-08 10:00"));  // Saturday
  c.input("kind", "survey");
  REQUIRE(c.send("connected") == cs::Status::Ok);
  CHECK(c.s.state_name() == "reach.off_hours");
  CHECK(c.effects().empty());
  CHECK(c.s.next_deadline() == at(local("2025-03-10 09:00")));
  c.advance_to(local("2025-03-10 09:00"));
  CHECK(c.s.state_name() == "reach.dialing");
  CHECK(c.effects() == Strings{"dial(1,1)"});
  CHECK(c.slot("reach.passes") == "1");
}

TEST_CASE("an empty number is struck off, and the list closes up behind it") {
  const auto p = build(kCampaign);
  Call c(p, local("2025-03-03 09:00"));
  c.input("numbers", "3");
  REQUIRE(c.send("connected") == cs::Status::Ok);
  c.effects();
  REQUIRE(c.send("empty") == cs::Status::Ok);
  CHECK(c.effects() == Strings{"record_failure_reason(空号,号码问题,1)", "drop_number(1)", "dial(1,1)"});
  CHECK(c.slot("numbers") == "2");
  REQUIRE(c.send("empty") == cs::Status::Ok);
  REQUIRE(c.send("empty") == cs::Status::Ok);
  CHECK(c.effects() == Strings{"record_failure_reason(空号,号码问题,1)", "drop_number(1)", "dial(1,1)",
                               "record_failure_reason(空号,号码问题,1)", "drop_number(1)"});
  CHECK(c.s.state_name() == "no_number");
}

TEST_CASE("a pass dials at most 4 numbers, whatever the task says") {
  const auto p = build(kCampaign);
  Call c(p, local("2025-03-03 09:00"));
  c.input("numbers", "6");
  REQUIRE(c.send("connected") == cs::Status::Ok);
  for (int n = 1; n <= 4; ++n) REQUIRE(c.send("busy") == cs::Status::Ok);
  const Strings effects = c.effects();
  CHECK(std::count_if(effects.begin(), effects.end(), [](const std::string& e) { return e.starts_with("dial("); }) == 4);
  CHECK(effects.back() == "schedule_dial(2)");
}

TEST_CASE("the verifier refuses business-time timers and WorkingTime without a calendar") {
  cs::bc::Image im = cs::test::compile_clean(CALLSCRIPT_SOURCE_DIR "/examples/campaign_test.call", kHotline);
  CHECK(cs::bc::verify(im).empty());
  cs::bc::Image no_calendar = im;
  no_calendar.calendar.clear();
  const std::string why = cs::bc::verify(no_calendar);
  CHECK(why.find("calendar section is missing") != std::string::npos);
  // An unknown unit in the bytes is refused when they are read.
  std::vector<std::uint8_t> bytes = cs::bc::serialize(im);
  cs::bc::Image back;
  REQUIRE(cs::bc::deserialize(bytes, back).empty());
  bool found = false;
  for (std::size_t i = 0; i < im.transitions.size(); ++i)
    if (im.transitions[i].trigger == cs::bc::Trigger::After) {
      im.transitions[i].after_unit = static_cast<cs::bc::DurationUnit>(7);
      found = true;
    }
  REQUIRE(found);
  CHECK(cs::bc::verify(im).find("unknown duration unit 7") != std::string::npos);
}

TEST_CASE("a struck-off number shifts the list up, and the pass still stops after 4 dials") {
  const auto p = build(kCampaign);
  Call c(p, local("2025-03-03 09:00"));
  c.input("numbers", "5");
  REQUIRE(c.send("connected") == cs::Status::Ok);
  REQUIRE(c.send("busy") == cs::Status::Ok);   // number 1
  REQUIRE(c.send("empty") == cs::Status::Ok);  // number 2 struck off: 3 becomes 2
  REQUIRE(c.send("busy") == cs::Status::Ok);   // the old number 3
  REQUIRE(c.send("busy") == cs::Status::Ok);   // the old number 4: the 4th dial
  const Strings effects = c.effects();
  CHECK(std::count_if(effects.begin(), effects.end(), [](const std::string& e) { return e.starts_with("dial("); }) == 4);
  CHECK(effects.back() == "schedule_dial(2)");
  CHECK(c.slot("reach.dialed") == "4");
}

TEST_CASE("calling hours ask the calendar even when a slot is named working_time") {
  std::string src = kCampaign;
  src.replace(src.find("  slot numbers"), 0, "  slot working_time: bool = true\n");
  const auto p = build(src);
  Call c(p, local("2025-03-08 10:00"));  // Saturday
  REQUIRE(c.send("connected") == cs::Status::Ok);
  CHECK(c.s.state_name() == "reach.off_hours");
}

TEST_CASE("a campaign started at 03:00 past the calendar's table dials at the next weekday's opening hour") {
  // The table ends on 2026-12-31; no 2027 holiday is known, so calling hours follow the weekly
  // pattern: never at night, never at a weekend, and the host is told.
  const auto p = build(kCampaign);
  struct Case {
    const char* start;
    const char* dial;
  };
  for (const Case& k : {Case{"2027-01-05 03:00", "2027-01-05 09:00"},    // Tuesday night: Tuesday's opening
                        Case{"2027-01-09 03:00", "2027-01-11 09:00"}}) {  // Saturday night: Monday's
    INFO(k.start);
    Call c(p, local(k.start));
    c.input("kind", "survey");
    REQUIRE(c.send("connected") == cs::Status::Ok);
    CHECK(c.s.state_name() == "reach.off_hours");
    CHECK(c.effects().empty());  // no dial at 3 a.m.
    CHECK(c.s.calendar_alerts().past_table);
    CHECK(c.s.next_deadline() == at(local(k.dial)));
    c.advance_to(local(k.start));
    CHECK(c.effects().empty());
    c.advance_to(local(k.dial) - 1);
    CHECK(c.s.state_name() == "reach.off_hours");
    CHECK(c.effects().empty());
    c.advance_to(local(k.dial));
    CHECK(c.s.state_name() == "reach.dialing");
    CHECK(c.effects() == Strings{"dial(1,1)"});
  }
}

TEST_CASE("working_time past the table follows the weekly hours; before it, it is never working time") {
  const auto p = build(kHotline);
  for (const auto& [when, state] : std::vector<std::pair<const char*, const char*>>{
           {"2027-01-04 03:00", "voicemail"},   // Monday, at night
           {"2027-01-04 10:00", "desk"},        // Monday, in working hours
           {"2027-01-04 12:30", "voicemail"},   // lunch
           {"2027-01-09 10:00", "voicemail"},   // Saturday
           {"2024-12-02 10:00", "voicemail"}}) {  // a Monday before the table's first day
    INFO(when);
    Call c(p, local(when));
    CHECK(c.s.state_name() == state);
    CHECK(c.s.calendar_alerts().any());
    CHECK(c.s.calendar_alerts().unplaced == (std::string_view(when) < "2025"));
  }
  // Before the table, the voicemail's `after 1 workday` has no deadline: it never fires.
  Call before(p, local("2024-12-02 10:00"));
  CHECK_FALSE(before.s.next_deadline());
  before.advance_to(local("2025-06-02 10:00"));
  CHECK(before.s.state_name() == "voicemail");
  CHECK(before.effects().empty());
}

TEST_CASE("a business-time timer past the table raises the alert as soon as its state is entered") {
  const auto p = build(R"(script waits {
  calendar "calendar/cn_business.yaml"
  event hangup "客户挂机"
  state waiting {
    after 1 workday -> done
    on hangup -> done
  }
  final done: completed
})");
  Call inside(p, local("2026-12-30 10:00"));
  CHECK_FALSE(inside.s.calendar_alerts().any());
  Call past(p, local("2027-01-04 10:00"));
  CHECK(past.s.calendar_alerts().past_table);  // before anyone asked for next_deadline
  CHECK(past.s.next_deadline() == at(local("2027-01-05 10:00")));
  // Inside the table, a timer whose deadline runs past it is marked as well.
  Call edge(p, local("2026-12-31 10:00"));
  CHECK(edge.s.calendar_alerts().past_table);
  CHECK(edge.s.next_deadline() == at(local("2027-01-01 10:00")));
}
