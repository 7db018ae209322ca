// Hostile bytes: the compiled consult and complaint examples damaged byte by byte, truncated, and
// replaced by random bytes. Each case says what the loader must do with it, from where the damage
// lies in the file (the layout of include/callscript/bytecode.h): refuse it with the reason of
// the check that guards that place; accept it and run exactly as the undamaged program (bytes no
// reader looks at: the minor version, padding, source lines); or, where the damage is to a
// section's contents and the outcome depends on the values, refuse it from the section decoder
// or the verifier, or accept it and run safely (every status one the API documents for that
// call, every state, choice and prompt in range). The sanitizer build turns a stray read into a
// failure.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "runtime_image.h"
#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <random>
#include <sstream>

namespace cs = callscript;

namespace {

std::vector<std::uint8_t> consult_bytes() { return cs::bc::serialize(cs::test::compile_repo_file("examples/consult.call")); }

// A Monday inside the example calendar, so that business-time SLAs go through the table.
const cs::Instant kMonday = cs::Instant(std::chrono::sys_days{std::chrono::year(2025) / 3 / 3}) + std::chrono::hours(1);

bool one_of(cs::Status s, const auto& allowed) { return std::find(allowed.begin(), allowed.end(), s) != allowed.end(); }

// Drives a program through every event, input and timer a host could send, checking that the
// session stays within what the API promises, and returns a trace of everything the host sees.
std::string exercise(const cs::Program& p) {
  using S = cs::Status;
  std::ostringstream trace;
  cs::Session s(p);
  const auto seen = [&](const char* call, S status, const auto& allowed) {
    CHECK_MESSAGE(one_of(status, allowed), call << " returned " << cs::to_string(status));
    REQUIRE(s.state() < p.state_count());
    const auto prompts = s.prompts();
    CHECK(prompts.size() == s.prompt_refs().size());
    trace << call << ' ' << cs::to_string(status) << " @" << s.state_name() << " [";
    for (const auto& pr : prompts) trace << pr.id << ':' << pr.text << ';';
    trace << "]\n";
  };
  seen("start", s.start(kMonday), std::array{S::Ok, S::StepLimit});
  for (int round = 0; round < 3 && !s.ended(); ++round) {
    for (const cs::Choice& c : s.choices()) {
      REQUIRE(c.event < p.event_count());
      CHECK(c.name == p.event_name(c.event));
      trace << "choice " << c.name << " -> " << c.target << '\n';
    }
    for (cs::SlotId slot = 0; slot < p.slot_count(); ++slot)
      for (const char* value : {"1234", "13800138000"})
        seen("input", s.input(slot, value, kMonday), std::array{S::Ok, S::NoMatch, S::NotAsked, S::BadValue, S::Ended, S::StepLimit});
    for (cs::EventId e = 0; e < p.event_count() && !s.ended(); ++e)
      seen("send", s.send(e, kMonday), std::array{S::Ok, S::NotPermitted, S::Ended, S::StepLimit});
    for (std::uint32_t sla = 0; sla < p.sla_count(); ++sla) trace << "sla " << s.sla_deadline(sla).has_value() << '\n';
    for (std::uint32_t slot : s.asked_slots()) REQUIRE(slot < p.slot_count());
    if (auto due = s.next_deadline()) seen("advance", s.advance(*due), std::array{S::Ok, S::Ended, S::StepLimit});
    for (const cs::Effect& e : s.take_effects()) {
      trace << "effect " << e.name;
      for (const cs::EffectArg& a : e.args) trace << ' ' << a.name << '=' << a.number << '/' << a.text;
      trace << '\n';
    }
  }
  for (cs::SlotId slot = 0; slot < p.slot_count(); ++slot) trace << "slot " << s.slot_text(slot) << '\n';
  trace << "outcome " << s.outcome() << '\n';
  return trace.str();
}

// --- where a byte lies, and what damage there must lead to ----------------------------------------

constexpr std::size_t kHeader = 12, kEntry = 12, kTrailer = 4;
constexpr const char* kNames[] = {"?", "Strings", "Script", "Slots", "EnumMembers", "Events", "Prompts", "Effects",
                                  "EffectArgs", "States", "Transitions", "Code", "AskSlots", "Slas", "Flows", "Calendar", "Kinds"};
constexpr std::uint32_t kLastId = 16;
// Bytes of one record, per section id (0: a section of its own shape).
constexpr std::size_t kRecord[] = {0, 0, 0, 28, 4, 8, 12, 12, 4, 36, 36, 1, 4, 20, 12, 1, 4};
constexpr std::uint32_t kRequired[] = {1, 2, 9, 10, 11};  // in the order the decoder checks them

std::uint32_t rd32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 | std::uint32_t{b[at + 3]} << 24;
}

std::string named(std::uint32_t id) { return std::string(id >= 1 && id <= kLastId ? kNames[id] : "unknown") + " (id " + std::to_string(id) + ")"; }

struct Entry {
  std::uint32_t id, offset, size;
};

// Bytes within a record that no reader looks at: padding, and the source lines kept for traces.
bool inert(std::uint32_t id, std::size_t in_record) {
  switch (id) {
    case 6: return in_record >= 8;                                              // Prompts: line
    case 9: return in_record >= 20 && in_record < 24;                           // States: line
    case 10: return in_record == 2 || in_record == 3 || (in_record >= 28 && in_record < 32);  // Transitions
    case 13: return in_record == 6 || in_record == 7;                           // Slas: padding
    default: return false;
  }
}

struct Expect {
  enum Kind {
    Refused,   // with exactly `reason` at the start of its error (after "bad bytecode: ")
    RefusedAny,
    Same,      // accepted, and runs exactly as the undamaged program
    Contents,  // refused by the section decoder or the verifier, or accepted and run safely
  } kind;
  std::string reason;
};

// The undamaged file's layout, and what the loader must make of one byte of it set to `value`.
struct Layout {
  std::vector<std::uint8_t> good;
  std::vector<Entry> table;
  std::uint64_t body;

  explicit Layout(std::vector<std::uint8_t> bytes) : good(std::move(bytes)), body(good.size() - kTrailer) {
    for (std::uint32_t i = 0, n = rd32(good, 8); i < n; ++i)
      table.push_back({rd32(good, kHeader + i * kEntry), rd32(good, kHeader + i * kEntry + 4), rd32(good, kHeader + i * kEntry + 8)});
    // Every section once, in id order (what serialize writes): the rules below assume it.
    REQUIRE(table.size() == kLastId);
    for (std::uint32_t k = 0; k < kLastId; ++k) REQUIRE(table[k].id == k + 1);
  }
  std::uint64_t sections_start() const { return kHeader + table.size() * kEntry; }

  std::string outside(const Entry& e, std::uint64_t offset, std::uint64_t size, std::uint64_t start) const {
    return "section " + named(e.id) + ": bytes " + std::to_string(offset) + ".." + std::to_string(offset + size) +
           " lie outside the sections area " + std::to_string(start) + ".." + std::to_string(body);
  }

  // The file read without the entries `dropped` (a table entry whose id no reader knows is skipped).
  Expect without(const std::vector<std::size_t>& dropped) const {
    for (std::uint32_t id : kRequired)
      for (std::size_t k : dropped)
        if (table[k].id == id) return {Expect::Refused, "missing required section " + named(id)};
    const bool all_empty = std::all_of(dropped.begin(), dropped.end(), [&](std::size_t k) { return table[k].size == 0; });
    return {all_empty ? Expect::Same : Expect::Contents, {}};
  }

  Expect at(std::size_t i, std::uint8_t value) const {
    const auto changed = [&](std::size_t field) {  // the u32 field at `field` with the byte replaced
      auto copy = good;
      copy[i] = value;
      return std::uint64_t{rd32(copy, field)};
    };
    if (i < 4) return {Expect::Refused, "not a .callbc file (bad magic)"};
    if (i < 6) return {Expect::Refused, "format version "};
    if (i < 8) return {Expect::Same, {}};  // a newer minor only adds sections
    if (i < kHeader) {
      const std::uint64_t count = changed(8);
      if (kHeader + count * kEntry > body)
        return {Expect::Refused, "section table of " + std::to_string(count) + " entries runs past the end of the file"};
      if (count > table.size())  // the table now covers the first section's bytes
        return {Expect::Refused, outside(table[0], table[0].offset, table[0].size, kHeader + count * kEntry)};
      std::vector<std::size_t> dropped;
      for (std::size_t k = count; k < table.size(); ++k) dropped.push_back(k);
      return without(dropped);
    }
    if (i < sections_start()) {
      const std::size_t k = (i - kHeader) / kEntry, field = kHeader + k * kEntry + (i - kHeader) % kEntry / 4 * 4;
      const Entry& e = table[k];
      const std::uint64_t v = changed(field);
      switch ((i - kHeader) % kEntry / 4) {
        case 0: {  // id
          if (v < 1 || v > kLastId) return without({k});
          const auto other = std::find_if(table.begin(), table.end(), [&](const Entry& o) { return o.id == v; });
          if (other - table.begin() < static_cast<std::ptrdiff_t>(k))
            return {Expect::Refused, "duplicate section " + named(static_cast<std::uint32_t>(v))};
          return {Expect::RefusedAny, {}};  // read as that section, then a duplicate at the latest
        }
        case 1:  // offset
          if (v < sections_start() || v + e.size > body) return {Expect::Refused, outside(e, v, e.size, sections_start())};
          return {e.size == 0 ? Expect::Same : Expect::Contents, {}};
        default:  // size
          if (e.offset + v > body) return {Expect::Refused, outside(e, e.offset, v, sections_start())};
          if (kRecord[e.id] > 1 && v % kRecord[e.id] != 0)
            return {Expect::Refused, "section " + std::string(kNames[e.id]) + ": size " + std::to_string(v) +
                                         " is not a multiple of its record size " + std::to_string(kRecord[e.id])};
          return {Expect::Contents, {}};
      }
    }
    REQUIRE(i < body);
    return {unread(i) ? Expect::Same : Expect::Contents, {}};
  }

  // Whether no reader looks at byte `i`: the minor version, and padding and lines in records.
  bool unread(std::size_t i) const {
    if (i == 6 || i == 7) return true;
    for (const Entry& e : table)
      if (i >= e.offset && i < e.offset + e.size) return kRecord[e.id] > 1 && inert(e.id, (i - e.offset) % kRecord[e.id]);
    return false;
  }
};

// The reasons the header and the section table give: a section's contents never cause them.
bool table_reason(const std::string& error) {
  for (const char* prefix : {"bad bytecode: file too short", "bad bytecode: not a .callbc", "bad bytecode: format version",
                             "bad bytecode: checksum", "bad bytecode: section ", "bad bytecode: duplicate section",
                             "bad bytecode: missing required section"})
    if (error.rfind(prefix, 0) == 0) return true;
  return false;
}

// Loads `bytes` and checks the outcome against `want`; counts what the Contents cases came to.
struct Checker {
  std::string good_trace;
  std::size_t accepted = 0, refused = 0;

  void load(const std::vector<std::uint8_t>& bytes, const Expect& want) {
    auto r = cs::Program::load(bytes);
    INFO("expected " << int(want.kind) << " " << want.reason << "; got " << (r.program ? "accepted" : r.error));
    switch (want.kind) {
      case Expect::Refused:
        CHECK_FALSE(r.program);
        CHECK(r.error.rfind("bad bytecode: " + want.reason, 0) == 0);
        return;
      case Expect::RefusedAny:
        CHECK_FALSE(r.program);
        CHECK(r.error.rfind("bad bytecode: ", 0) == 0);
        return;
      case Expect::Same:
        CHECK(r.program);
        if (r.program) CHECK(exercise(*r.program) == good_trace);
        return;
      case Expect::Contents:
        if (r.program) {
          ++accepted;
          (void)exercise(*r.program);
        } else {
          ++refused;
          CHECK(r.error.rfind("bad bytecode: ", 0) == 0);
          CHECK_FALSE(table_reason(r.error));
        }
        return;
    }
  }
};

Checker checker_for(const std::vector<std::uint8_t>& good) {
  auto r = cs::Program::load(good);
  REQUIRE(r.program);
  return Checker{exercise(*r.program)};
}

}  // namespace

TEST_CASE("corrupt bytecode: every single-byte change is caught by the checksum, after the magic and version") {
  const auto good = consult_bytes();
  Checker c = checker_for(good);
  for (std::size_t i = 0; i < good.size(); ++i) {
    auto bad = good;
    bad[i] ^= 0x5A;
    INFO("byte " << i);
    c.load(bad, i < 4   ? Expect{Expect::Refused, "not a .callbc file (bad magic)"}
                : i < 6 ? Expect{Expect::Refused, "format version "}
                        : Expect{Expect::Refused, "checksum mismatch: "});
  }
}

TEST_CASE("corrupt bytecode: a byte changed behind a valid checksum meets the check that guards its place") {
  const Layout layout(consult_bytes());
  Checker c = checker_for(layout.good);
  std::size_t same = 0;
  for (std::size_t i = 0; i < layout.body; ++i) {
    for (const std::uint8_t mask : {std::uint8_t{0xFF}, std::uint8_t{0x01}}) {
      auto bad = layout.good;
      bad[i] ^= mask;
      cs::test::fix_checksum(bad);
      const Expect want = layout.at(i, bad[i]);
      same += want.kind == Expect::Same;
      INFO("byte " << i << " ^ " << int(mask));
      c.load(bad, want);
    }
  }
  MESSAGE("contents: accepted " << c.accepted << ", refused " << c.refused << "; unchanged " << same);
  // The verifier does refuse damaged contents, and does not refuse everything.
  CHECK(c.refused > 0);
  CHECK(c.accepted > 0);
  CHECK(same > 0);
}

TEST_CASE("corrupt bytecode: every truncation is refused, as too short, damaged, or with a section cut off") {
  const Layout layout(consult_bytes());
  Checker c = checker_for(layout.good);
  for (std::size_t n = 0; n < layout.good.size(); ++n) {
    INFO("first " << n << " bytes");
    std::vector<std::uint8_t> cut(layout.good.begin(), layout.good.begin() + static_cast<std::ptrdiff_t>(n));
    const std::string too_short = "file too short: " + std::to_string(n) + " bytes";
    c.load(cut, {Expect::Refused, n < kHeader + kTrailer ? too_short : "checksum mismatch: "});
    cs::test::fix_checksum(cut);
    if (n < kHeader + kTrailer) {
      c.load(cut, {Expect::Refused, too_short});
      continue;
    }
    // With a valid checksum the table is read: the first section that no longer fits is named.
    const std::uint64_t body = n - kTrailer;
    std::string reason = "section table of " + std::to_string(layout.table.size()) + " entries runs past the end of the file";
    if (layout.sections_start() <= body)
      for (const Entry& e : layout.table)
        if (e.offset + e.size > body) {
          reason = "section " + named(e.id) + ": bytes " + std::to_string(e.offset) + ".." + std::to_string(e.offset + e.size) +
                   " lie outside the sections area " + std::to_string(layout.sections_start()) + ".." + std::to_string(body);
          break;
        }
    c.load(cut, {Expect::Refused, reason});
  }
}

TEST_CASE("corrupt bytecode: random bytes are refused at the magic; behind a real header, at the first section") {
  const Layout layout(consult_bytes());
  Checker c = checker_for(layout.good);
  REQUIRE(layout.table[0].offset + layout.table[0].size > 512);  // the strings never fit in what follows
  std::mt19937 rng(20261122);
  for (int i = 0; i < 2000; ++i) {
    std::vector<std::uint8_t> bytes(rng() % 512);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    INFO("case " << i << ", " << bytes.size() << " bytes");
    if (i % 2 && bytes.size() > 32) {
      // Keep the magic, version and the start of the real file's section table; randomise the rest.
      std::copy(layout.good.begin(), layout.good.begin() + 32, bytes.begin());
      cs::test::fix_checksum(bytes);
      const std::uint64_t body = bytes.size() - kTrailer;
      const Entry& strings = layout.table[0];
      c.load(bytes, {Expect::Refused, layout.sections_start() > body
                                          ? "section table of " + std::to_string(layout.table.size()) + " entries runs past the end of the file"
                                          : "section " + named(strings.id) + ": bytes " + std::to_string(strings.offset) + ".." +
                                                std::to_string(strings.offset + strings.size) + " lie outside the sections area " +
                                                std::to_string(layout.sections_start()) + ".." + std::to_string(body)});
    } else {
      c.load(bytes, {Expect::Refused, bytes.size() < kHeader + kTrailer ? "file too short: " : "not a .callbc file (bad magic)"});
    }
  }
}

namespace {

// Several bytes at once: a single byte meets the rules above; damage confined to bytes no reader
// looks at changes nothing; anything else is refused or runs safely.
void damage(const std::vector<std::uint8_t>& good, std::uint32_t seed, int cases, int max_hits, bool xor_values) {
  const Layout layout(good);
  Checker c = checker_for(good);
  std::mt19937 rng(seed);
  for (int i = 0; i < cases; ++i) {
    auto bad = good;
    std::vector<std::size_t> hits;
    for (int h = 0, n = 1 + static_cast<int>(rng() % static_cast<std::uint32_t>(max_hits)); h < n; ++h) {
      const std::size_t at = rng() % (bad.size() - kTrailer);
      const auto v = static_cast<std::uint8_t>(xor_values ? 1 + rng() % 255 : rng());
      bad[at] = xor_values ? static_cast<std::uint8_t>(bad[at] ^ v) : v;
      if (bad[at] != good[at] && std::find(hits.begin(), hits.end(), at) == hits.end()) hits.push_back(at);
    }
    for (std::size_t k = 0; k < hits.size();)  // a byte set back to its value is no damage
      if (bad[hits[k]] == good[hits[k]]) hits.erase(hits.begin() + static_cast<std::ptrdiff_t>(k));
      else ++k;
    cs::test::fix_checksum(bad);
    INFO("case " << i << ", " << hits.size() << " bytes changed");
    if (hits.empty()) {
      c.load(bad, {Expect::Same, {}});
    } else if (hits.size() == 1) {
      c.load(bad, layout.at(hits[0], bad[hits[0]]));
    } else if (std::all_of(hits.begin(), hits.end(), [&](std::size_t at) { return layout.unread(at); })) {
      c.load(bad, {Expect::Same, {}});
    } else {
      auto r = cs::Program::load(bad);
      if (r.program) (void)exercise(*r.program);
      else CHECK(r.error.rfind("bad bytecode: ", 0) == 0);
      ++(r.program ? c.accepted : c.refused);
    }
  }
  MESSAGE("accepted " << c.accepted << ", refused " << c.refused << " of the cases not predicted exactly");
  CHECK(c.accepted > 0);
  CHECK(c.refused > 0);
}

}  // namespace

// The complaint example has what consult lacks: SLAs (in business time, with the calendar's
// table in the file), flow handlers and breaches.
TEST_CASE("corrupt bytecode: damage to a script with SLAs, a calendar and flow handlers") {
  const auto good = cs::bc::serialize(cs::test::compile_clean(CALLSCRIPT_SOURCE_DIR "/examples/complaint.call",
                                                              cs::test::read_file(CALLSCRIPT_SOURCE_DIR "/examples/complaint.call")));
  {
    auto r = cs::Program::load(good);
    REQUIRE(r.program);
    REQUIRE(r.program->calendar());
    REQUIRE(r.program->sla_count() > 0);
  }
  damage(good, 7, 1500, 4, true);
}

TEST_CASE("corrupt bytecode: random multi-byte damage behind a valid checksum") { damage(consult_bytes(), 4, 3000, 8, false); }
