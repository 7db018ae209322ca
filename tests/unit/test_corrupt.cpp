// Hostile bytes: the compiled consult example corrupted byte by byte, truncated, and replaced by
// random bytes. The loader must refuse or accept each without crashing (the sanitizer build
// turns any stray read into a failure); whatever it accepts must run safely.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "runtime_image.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <random>

namespace cs = callscript;

namespace {

std::vector<std::uint8_t> consult_bytes() { return cs::bc::serialize(cs::test::compile_repo_file("examples/consult.call")); }

// A Monday inside the example calendar, so that business-time SLAs go through the table.
const cs::Instant kMonday = cs::Instant(std::chrono::sys_days{std::chrono::year(2025) / 3 / 3}) + std::chrono::hours(1);

// Drives an accepted program through every event, input and timer a host could send.
void exercise(const cs::Program& p) {
  cs::Session s(p);
  if (s.start(kMonday) != cs::Status::Ok) return;
  for (int round = 0; round < 3 && !s.ended(); ++round) {
    (void)s.prompts();
    (void)s.choices();
    for (cs::SlotId slot = 0; slot < p.slot_count(); ++slot) {
      (void)s.input(slot, "1234", kMonday);
      (void)s.input(slot, "13800138000", kMonday);
    }
    for (cs::EventId e = 0; e < p.event_count() && !s.ended(); ++e) (void)s.send(e, kMonday);
    for (std::uint32_t sla = 0; sla < p.sla_count(); ++sla) (void)s.sla_deadline(sla);
    (void)s.asked_slots();
    if (auto due = s.next_deadline()) (void)s.advance(*due);
    (void)s.take_effects();
  }
}

struct Tally {
  std::size_t accepted = 0, refused = 0;
  void load(const std::vector<std::uint8_t>& bytes) {
    auto r = cs::Program::load(bytes);
    if (r.program) {
      ++accepted;
      exercise(*r.program);
    } else {
      CHECK_FALSE(r.error.empty());
      ++refused;
    }
  }
};

}  // namespace

TEST_CASE("corrupt bytecode: every single-byte change is caught by the checksum") {
  const auto good = consult_bytes();
  REQUIRE(cs::Program::load(good).program);
  Tally t;
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0x5A;
    t.load(bad);
  }
  CHECK(t.accepted == 0);
  CHECK(t.refused == good.size());
}

TEST_CASE("corrupt bytecode: byte changes behind a valid checksum are refused or run safely") {
  const auto good = consult_bytes();
  Tally t;
  for (std::size_t i = 0; i + 4 < good.size(); ++i) {
    for (const std::uint8_t mask : {std::uint8_t{0xFF}, std::uint8_t{0x01}}) {
      auto bad = good;
      bad[i] ^= mask;
      callscript::test::fix_checksum(bad);
      t.load(bad);
    }
  }
  MESSAGE("accepted " << t.accepted << ", refused " << t.refused << " of " << (t.accepted + t.refused));
  CHECK(t.refused > 0);
  CHECK(t.accepted + t.refused == 2 * (good.size() - 4));
}

TEST_CASE("corrupt bytecode: every truncation is refused") {
  const auto good = consult_bytes();
  Tally t;
  for (std::size_t n = 0; n < good.size(); ++n) {
    std::vector<std::uint8_t> cut(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n));
    t.load(cut);
    callscript::test::fix_checksum(cut);
    t.load(cut);
  }
  CHECK(t.accepted == 0);
}

TEST_CASE("corrupt bytecode: random bytes, and random bytes behind a valid header, are refused") {
  const auto good = consult_bytes();
  std::mt19937 rng(20261122);
  Tally t;
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 512);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    if (i % 2 && bytes.size() > 32) {
      // Keep the magic, version and section table of the real file; randomise the rest.
      std::copy(good.begin(), good.begin() + 32, bytes.begin());
      callscript::test::fix_checksum(bytes);
    }
    t.load(bytes);
  }
  CHECK(t.accepted == 0);
}

// The complaint example has what consult lacks: SLAs (in business time, with the calendar's
// table in the file), flow handlers and breaches.
TEST_CASE("corrupt bytecode: damage to a script with SLAs, a calendar and flow handlers never crashes") {
  const auto good = cs::bc::serialize(cs::test::compile_clean(CALLSCRIPT_SOURCE_DIR "/examples/complaint.call",
                                                              cs::test::read_file(CALLSCRIPT_SOURCE_DIR "/examples/complaint.call")));
  {
    auto r = cs::Program::load(good);
    REQUIRE(r.program);
    REQUIRE(r.program->calendar());
    REQUIRE(r.program->sla_count() > 0);
    exercise(*r.program);
  }
  std::mt19937 rng(7);
  Tally t;
  for (int i = 0; i < 1500; ++i) {
    auto bad = good;
    const int hits = 1 + static_cast<int>(rng() % 4);
    for (int h = 0; h < hits; ++h) bad[rng() % (bad.size() - 4)] ^= static_cast<std::uint8_t>(1 + rng() % 255);
    callscript::test::fix_checksum(bad);
    t.load(bad);
  }
  MESSAGE("accepted " << t.accepted << ", refused " << t.refused);
  CHECK(t.accepted + t.refused == 1500);
  CHECK(t.accepted > 0);
}

TEST_CASE("corrupt bytecode: random multi-byte damage behind a valid checksum never crashes") {
  const auto good = consult_bytes();
  std::mt19937 rng(4);
  Tally t;
  for (int i = 0; i < 3000; ++i) {
    auto bad = good;
    const int hits = 1 + static_cast<int>(rng() % 8);
    for (int h = 0; h < hits; ++h) bad[rng() % (bad.size() - 4)] = static_cast<std::uint8_t>(rng());
    callscript::test::fix_checksum(bad);
    t.load(bad);
  }
  MESSAGE("accepted " << t.accepted << ", refused " << t.refused);
  CHECK(t.accepted + t.refused == 3000);
}
