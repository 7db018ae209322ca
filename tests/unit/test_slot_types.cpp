// The phone and time slot types: what input they take and how they show, through an asked or a
// host slot of the ask tests' script.
#include "asks_fixture.h"

#include <doctest/doctest.h>

TEST_CASE("phone numbers: mainland mobiles and landlines, with or without the dash") {
  Call c;
  const auto ok = [&](std::string_view v) {
    INFO("phone " << v);
    CHECK(c.input("phone_h", v) == cs::Status::Ok);
    CHECK(c.text("phone_h") == v);  // kept as given
  };
  const auto bad = [&](std::string_view v) {
    INFO("phone " << v);
    const std::string before = c.text("phone_h");
    CHECK(c.input("phone_h", v) == cs::Status::BadValue);
    CHECK(c.text("phone_h") == before);
  };
  ok("13812345678");
  ok("19912345678");
  ok("01012345678");
  ok("0101234567");
  ok("075512345678");
  ok("010-12345678");
  ok("010-1234567");
  ok("0755-1234567");
  ok("0755-12345678");
  bad("12812345678");     // 1 then 2: no such mobile range
  bad("1381234567");      // 10 digits
  bad("138123456789");    // 12 digits
  bad("23812345678");     // neither 1 nor 0
  bad("+8613812345678");  // no country code
  bad("138 1234 5678");   // no spaces
  bad("");
  bad("010123456");       // landline too short
  bad("0101234567890");   // landline too long
  bad("010-123456");      // 6 digits after the area code
  bad("010-123456789");   // 9 digits after the area code
  bad("01-12345678");     // area code too short
  bad("07555-1234567");   // area code too long
  bad("010-1234-5678");
  bad("010-");
  bad("0755-12a4567");
  bad("１３８１２３４５６７８");  // full-width digits

  // An asked phone slot: a bad number is a nomatch, a good one fills.
  Call d;
  REQUIRE(d.send("go_phone") == cs::Status::Ok);
  CHECK(d.input("phone", "0755-123456", 2) == cs::Status::NoMatch);
  CHECK(d.text("phone") == "");
  CHECK(d.input("phone", "0755-1234567", 3) == cs::Status::Ok);
  CHECK(d.s.state_name() == "got_phone");
  CHECK(d.text("phone") == "0755-1234567");
}

TEST_CASE("times of day: H:MM or HH:MM from 00:00 to 23:59, shown as HH:MM") {
  Call c;
  CHECK(c.text("at_h") == "00:00");
  const auto ok = [&](std::string_view v, std::string_view shown) {
    INFO("time " << v);
    CHECK(c.input("at_h", v) == cs::Status::Ok);
    CHECK(c.text("at_h") == shown);
  };
  const auto bad = [&](std::string_view v) {
    INFO("time " << v);
    const std::string before = c.text("at_h");
    CHECK(c.input("at_h", v) == cs::Status::BadValue);
    CHECK(c.text("at_h") == before);
  };
  ok("9:05", "09:05");
  ok("23:59", "23:59");
  ok("0:00", "00:00");
  ok("12:30", "12:30");
  ok("09:05", "09:05");
  bad("24:00");
  bad("12:60");
  bad("1230");
  bad("");
  bad(":30");
  bad("9:5");
  bad("123:45");
  bad("12:345");
  bad("12:3a");
  bad("ab:cd");
  bad(" 9:05");
  bad("9:05 ");
  bad("+9:05");
  bad("9:-5");
  bad("-1:05");  // no negative hours
  bad("-0:05");
  bad("9：05");  // a full-width colon
  CHECK(c.text("at_h") == "09:05");
}
