// callc and the business calendar's edges: the days a script's calendar covers (`check`,
// `build`), W0003 on both sides of its 60-day boundary, and where `run` starts its clock without
// --start. "Today" is given with --today, so that nothing here depends on when it runs; the
// example calendar's last day is 2026-12-31.
#include "test_support.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using Run = callscript::test::CallcRun;
Run callc(const std::string& args) { return callscript::test::run_callc(args); }

bool has(const Run& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

using callscript::test::TempDir;

const char* kRange = "examples/revisit.call: calendar covers 2025-01-01 to 2026-12-31 (Asia/Shanghai)\n";

}  // namespace

TEST_CASE("callc check prints the calendar's days, and W0003 from 59 days before its last day") {
  // 61 and 60 days left: covered; no warning, the range all the same.
  for (const char* today : {"2026-10-31", "2026-11-01"}) {
    INFO(today);
    const Run r = callc(std::string("check --today ") + today + " examples/revisit.call");
    CHECK(r.status == 0);
    CHECK(r.out == kRange);
  }
  const Run near = callc("check --today 2026-11-02 examples/revisit.call");
  CHECK(near.status == 0);  // a warning: the script still checks
  // At the `calendar "..."` line of the example, wherever its comments put it.
  const std::string script = callscript::test::read_file(CALLSCRIPT_SOURCE_DIR "/examples/revisit.call");
  const std::size_t at = script.find("  calendar \"");
  REQUIRE(at != std::string::npos);
  const auto line = std::to_string(std::count(script.begin(), script.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  CHECK(has(near, "examples/revisit.call:" + line + ":12: warning[W0003]: the calendar's last day is 2026-12-31, 59 days after today (2026-11-02)"));
  CHECK(has(near, kRange));
  CHECK(has(near, "0 errors, 1 warning"));
  const Run last = callc("check --today 2026-12-31 examples/revisit.call");
  CHECK(has(last, "warning[W0003]: the calendar's last day is today (2026-12-31)"));
  const Run past = callc("check --today 2027-01-01 examples/revisit.call");
  CHECK(has(past, "warning[W0003]: the calendar ran out: its last day was 2026-12-31, 1 day before today (2027-01-01)"));
  const Run early = callc("check --today 2024-12-31 examples/revisit.call");
  CHECK(has(early, "warning[W0003]: the calendar starts on 2025-01-01, 1 day after today (2024-12-31)"));
  // A script without a calendar says nothing of one; with --format json, stdout is the array.
  CHECK(callc("check --today 2026-12-03 examples/consult.call").out.empty());
  const Run json = callc("check --format json --today 2026-12-03 examples/revisit.call");
  CHECK(json.out.find("[\n  {\"code\":\"W0003\"") == 0);
  CHECK_FALSE(has(json, "calendar covers"));
  // Without --today it is the system clock's date: the range is printed whatever that is.
  CHECK(has(callc("check examples/revisit.call"), kRange));
  const Run bad = callc("check --today 2026-02-30 examples/revisit.call");
  CHECK(bad.status == 2);
  CHECK(has(bad, "--today is a date like 2026-12-03"));
}

TEST_CASE("callc build prints the calendar's days and W0003, and still writes the bytecode") {
  const TempDir dir;
  const std::string out = (dir.path / "revisit.callbc").string();
  const Run near = callc("build --today 2026-12-03 examples/revisit.call -o " + out);
  CHECK(near.status == 0);
  CHECK(has(near, "warning[W0003]: the calendar's last day is 2026-12-31, 28 days after today (2026-12-03)"));
  CHECK(has(near, kRange));
  CHECK(fs::exists(out));
  const Run early = callc("build --today 2026-10-01 examples/revisit.call -o " + out);
  CHECK(early.status == 0);
  CHECK(early.out == kRange);
  CHECK(callc("build --today yesterday examples/revisit.call -o " + out).status == 2);
}

TEST_CASE("callc run without --start starts a script with a calendar where the calendar covers it") {
  const TempDir dir;
  const std::string quit = dir.write("quit.txt", "quit\n");
  // Thursday 3 December 2026: 09:00 that day. Saturday 5 December: Monday's opening.
  const Run thursday = callc("run --today 2026-12-03 --events " + quit + " examples/complaint.call");
  CHECK(thursday.status == 0);
  CHECK(thursday.out.find("the clock starts at 2026-12-03T09:00+08:00, the calendar's first working moment on or after today "
                          "(2026-12-03); --start sets another\ncall complaint") == 0);
  const Run saturday = callc("run --today 2026-12-05 --events " + quit + " examples/complaint.call");
  CHECK(has(saturday, "the clock starts at 2026-12-07T09:00+08:00"));
  // Past the table (or before it), its first working moment: 2 January 2025 (1 January is 元旦).
  const Run past = callc("run --today 2027-03-01 --events " + quit + " examples/complaint.call");
  CHECK(has(past, "today (2027-03-01) is past the calendar's last day (2026-12-31): the clock starts at its first working "
                  "moment, 2025-01-02T09:00+08:00; --start sets another"));
  const Run before = callc("run --today 2024-06-01 --events " + quit + " examples/complaint.call");
  CHECK(has(before, "today (2024-06-01) is before the calendar's first day (2025-01-01): the clock starts at its first "
                    "working moment, 2025-01-02T09:00+08:00"));
  // --start wins, and a script without a calendar starts at 1970 as before, silently.
  CHECK(callc("run --start 2025-03-03T09:00+08:00 --events " + quit + " examples/complaint.call").out.find("call complaint") == 0);
  CHECK(callc("run --events " + quit + " examples/consult.call").out.find("call consult") == 0);
}

TEST_CASE("callc run's business-time SLAs are not breached at once without --start") {
  const TempDir dir;
  // The complaint is taken and the 2 workdays promise is made (`start progress`): from Thursday
  // 3 December 2026 09:00 its internal timer is due after 12 of the 15 working hours, on Friday at
  // 15:00, 30 h later. (From 1970 it was due at once, and breached at the first `wait`.)
  const std::string events = dir.write("events.txt", "pick_up\ncomplaint_raised\ninput complaint 快递三次没有按约定时间送达\n"
                                                     "confirmed\ninput phone 13800138000\nwait 1s\nquit\n");
  const Run r = callc("run --today 2026-12-03 --events " + events + " examples/complaint.call");
  CHECK(r.status == 0);
  CHECK(has(r, "sla progress due at 30:00:00\n"));
  CHECK_FALSE(has(r, "progress_overdue"));
  CHECK_FALSE(has(r, "calendar alert"));
}

TEST_CASE("callc run says so when the calendar has no working moment to start at") {
  const TempDir dir;
  dir.write("closed.yaml", "time_zone: Asia/Shanghai\nworking_hours: [\"09:00-18:00\"]\n"
                           "weekend: [mon, tue, wed, thu, fri, sat, sun]\nrange: {from: 2026-01-01, to: 2026-12-31}\n");
  const std::string script = dir.write("closed.call", "script closed {\n  calendar \"closed.yaml\"\n  event hangup \"客户挂机\"\n"
                                                      "  state s {\n    when working_time -> done\n    on hangup -> done\n  }\n"
                                                      "  final done: completed\n}\n");
  const std::string quit = dir.write("quit.txt", "quit\n");
  const Run r = callc("run --today 2026-12-03 --events " + quit + " " + script);
  CHECK(r.status == 2);
  CHECK(has(r, "callc: the calendar has no working day, so there is no working moment to start the clock at; give --start"));
  CHECK(callc("run --start 2026-12-03T09:00+08:00 --events " + quit + " " + script).status == 0);
}

TEST_CASE("callc run shows the calendar's alert past its last day, and the dial waits for the opening hour") {
  const TempDir dir;
  const std::string events = dir.write("events.txt", "input numbers 1\nbegin\nwait 7h\nquit\n");
  // Tuesday 5 January 2027, 03:00: past the table.
  const Run r = callc("run --start 2027-01-05T03:00+08:00 --events " + events + " examples/revisit.call");
  CHECK(r.status == 0);
  CHECK(has(r, "[00:00:00] state reach.off_hours"));
  CHECK(has(r, "calendar alert: past its last day, working time and business deadlines follow the weekly pattern alone"));
  CHECK(has(r, "[06:00:00] timer fires\n[06:00:00] state reach.dialing\n  effect: dial(number: 1, pass: 1)"));
}
