// The .callbc byte format: round trip, and every way deserialize refuses bytes.
#include <callscript/bytecode.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include <doctest/doctest.h>

#include <random>

#include "runtime_image.h"

using namespace callscript;
using namespace callscript::test;

namespace {

bc::Image sample_image() {
  ImageBuilder b("consult");
  const auto name = b.slot("name", bc::SlotType::Text, 0, b.str("张三"));
  b.slot("phone", bc::SlotType::Digits, 0, b.str("13800138000"), 11);
  b.slot("age", bc::SlotType::Number, -42);
  b.slot("vip", bc::SlotType::Bool, 1);
  b.enum_slot("kind", {"query", "complaint"}, 1);
  const auto hangup = b.event("hangup", "挂机");
  const auto go = b.event("go");
  const auto hello = b.prompt("greet.1", "您好{name}", 3);
  const auto ticket = b.effect("create_ticket", {"who", "age"});
  const auto entry = b.code({{Op::Say, hello}, {Op::Load, name}, {Op::PushInt, -7},
                             {Op::Emit, ticket}, {Op::Ret}});
  const auto guard = b.code({{Op::PushBool, 1}, {Op::Ret}});
  const auto greet = b.state("greet", entry);
  const auto done = b.state("done", kNone, "resolved");
  b.on(greet, go, done, guard);
  b.after(greet, 30000, done);
  b.handler(hangup, done);
  return b.build();
}

void check_same(const bc::Image& a, const bc::Image& b) {
  CHECK(a.major == b.major);
  CHECK(a.minor == b.minor);
  CHECK(a.strings == b.strings);
  CHECK(a.script.name == b.script.name);
  CHECK(a.script.title == b.script.title);
  CHECK(a.script.locale == b.script.locale);
  CHECK(a.script.channel == b.script.channel);
  CHECK(a.script.start_state == b.script.start_state);
  CHECK(a.script.first_handler == b.script.first_handler);
  CHECK(a.script.handler_count == b.script.handler_count);
  CHECK(a.script.source == b.script.source);
  REQUIRE(a.slots.size() == b.slots.size());
  for (std::size_t i = 0; i < a.slots.size(); ++i) {
    CHECK(a.slots[i].name == b.slots[i].name);
    CHECK(a.slots[i].type == b.slots[i].type);
    CHECK(a.slots[i].digits == b.slots[i].digits);
    CHECK(a.slots[i].enum_first == b.slots[i].enum_first);
    CHECK(a.slots[i].enum_count == b.slots[i].enum_count);
    CHECK(a.slots[i].init_int == b.slots[i].init_int);
    CHECK(a.slots[i].init_str == b.slots[i].init_str);
  }
  CHECK(a.enum_members == b.enum_members);
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CHECK(a.events[i].name == b.events[i].name);
    CHECK(a.events[i].label == b.events[i].label);
  }
  REQUIRE(a.prompts.size() == b.prompts.size());
  for (std::size_t i = 0; i < a.prompts.size(); ++i) {
    CHECK(a.prompts[i].id == b.prompts[i].id);
    CHECK(a.prompts[i].text == b.prompts[i].text);
    CHECK(a.prompts[i].line == b.prompts[i].line);
  }
  REQUIRE(a.effects.size() == b.effects.size());
  for (std::size_t i = 0; i < a.effects.size(); ++i) {
    CHECK(a.effects[i].name == b.effects[i].name);
    CHECK(a.effects[i].first_arg == b.effects[i].first_arg);
    CHECK(a.effects[i].argc == b.effects[i].argc);
  }
  CHECK(a.effect_args == b.effect_args);
  REQUIRE(a.states.size() == b.states.size());
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    CHECK(a.states[i].name == b.states[i].name);
    CHECK(a.states[i].outcome == b.states[i].outcome);
    CHECK(a.states[i].entry == b.states[i].entry);
    CHECK(a.states[i].first_transition == b.states[i].first_transition);
    CHECK(a.states[i].transition_count == b.states[i].transition_count);
    CHECK(a.states[i].line == b.states[i].line);
  }
  REQUIRE(a.transitions.size() == b.transitions.size());
  for (std::size_t i = 0; i < a.transitions.size(); ++i) {
    const bc::Transition &x = a.transitions[i], &y = b.transitions[i];
    CHECK(x.trigger == y.trigger);
    CHECK(x.event == y.event);
    CHECK(x.after_ms == y.after_ms);
    CHECK(x.guard == y.guard);
    CHECK(x.action == y.action);
    CHECK(x.target == y.target);
    CHECK(x.line == y.line);
  }
  CHECK(a.code == b.code);
}

std::uint32_t get32(const std::vector<std::uint8_t>& b, std::size_t at) {
  return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 |
         std::uint32_t{b[at + 3]} << 24;
}
void set32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  for (int k = 0; k < 4; ++k) b[at + k] = static_cast<std::uint8_t>(v >> (8 * k));
}
// Section table entry i: id at 12 + 12i, offset at +4, size at +8. serialize writes the
// sections in id order, so entry i is section id i + 1.
std::size_t entry(std::size_t i) { return 12 + 12 * i; }

std::string load_error(std::vector<std::uint8_t> bytes) {
  bc::Image im;
  return bc::deserialize(bytes, im);
}

}  // namespace

TEST_CASE("crc32 matches the IEEE check value") {
  const std::string s = "123456789";
  CHECK(bc::crc32(std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())) ==
        0xCBF43926u);
  CHECK(bc::crc32({}) == 0u);
}

TEST_CASE("serialize then deserialize gives back the same image") {
  const bc::Image im = sample_image();
  REQUIRE(bc::verify(im) == "");
  const auto bytes = bc::serialize(im);
  CHECK(bytes[0] == 'C');
  CHECK(bytes[3] == 'C');
  bc::Image back;
  REQUIRE(bc::deserialize(bytes, back) == "");
  check_same(im, back);
  CHECK(bc::serialize(back) == bytes);
}

TEST_CASE("an image with empty optional tables round-trips") {
  ImageBuilder b;
  b.state("only", kNone, "done");
  const bc::Image im = b.build();
  bc::Image back;
  REQUIRE(bc::deserialize(bc::serialize(im), back) == "");
  check_same(im, back);
  CHECK(bc::verify(back) == "");
}

TEST_CASE("deserialize refuses a file shorter than header and trailer") {
  CHECK(load_error({}).find("file too short: 0 bytes") != std::string::npos);
  auto bytes = bc::serialize(sample_image());
  bytes.resize(15);
  CHECK(load_error(bytes).find("file too short: 15 bytes") != std::string::npos);
}

TEST_CASE("deserialize refuses bad magic") {
  auto bytes = bc::serialize(sample_image());
  bytes[1] = 'X';
  CHECK(load_error(bytes) == "not a .callbc file (bad magic)");
}

TEST_CASE("deserialize refuses another major version, naming both") {
  bc::Image im = sample_image();
  im.major = 1;
  im.minor = 3;
  const std::string err = load_error(bc::serialize(im));
  CHECK(err.find("format version 1.3 is not supported") != std::string::npos);
  CHECK(err.find("reads version 2.x") != std::string::npos);
}

TEST_CASE("deserialize accepts a newer minor version") {
  bc::Image im = sample_image();
  im.minor = 7;
  bc::Image back;
  CHECK(bc::deserialize(bc::serialize(im), back) == "");
  CHECK(back.minor == 7);
}

TEST_CASE("deserialize refuses a checksum mismatch") {
  auto bytes = bc::serialize(sample_image());
  bytes[bytes.size() / 2] ^= 0x40;
  CHECK(load_error(bytes).find("checksum mismatch") != std::string::npos);
  auto truncated = bc::serialize(sample_image());
  truncated.pop_back();
  CHECK(load_error(truncated).find("checksum mismatch") != std::string::npos);
}

TEST_CASE("deserialize refuses a section table past the end") {
  auto bytes = bc::serialize(sample_image());
  set32(bytes, 8, 100000);
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("section table of 100000 entries runs past the end") !=
        std::string::npos);
  set32(bytes, 8, 0xFFFFFFFFu);  // must not wrap around in the size arithmetic
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("runs past the end") != std::string::npos);
}

TEST_CASE("deserialize refuses a section outside the file") {
  auto bytes = bc::serialize(sample_image());
  set32(bytes, entry(2) + 8, 0xFFFFFFF0u);  // Slots: huge size
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("section Slots (id 3): bytes") != std::string::npos);

  bytes = bc::serialize(sample_image());
  set32(bytes, entry(0) + 4, 4);  // Strings starting inside the header
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("lie outside the sections area") != std::string::npos);

  bytes = bc::serialize(sample_image());
  set32(bytes, entry(10) + 8, get32(bytes, entry(10) + 8) + 1);  // Code over the trailer
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("section Code (id 11)") != std::string::npos);
}

TEST_CASE("deserialize refuses a duplicate section") {
  auto bytes = bc::serialize(sample_image());
  set32(bytes, entry(3), 3);  // EnumMembers relabelled as a second Slots
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "duplicate section Slots (id 3)");
}

TEST_CASE("deserialize refuses a missing required section") {
  for (std::uint32_t id : {1u, 2u, 9u, 10u, 11u}) {
    auto bytes = bc::serialize(sample_image());
    set32(bytes, entry(id - 1), 1000 + id);  // an unknown id is skipped, so the section is gone
    test::fix_checksum(bytes);
    CHECK(load_error(bytes).find("missing required section") != std::string::npos);
  }
  auto bytes = bc::serialize(sample_image());
  set32(bytes, entry(10), 1000);
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "missing required section Code (id 11)");
}

TEST_CASE("deserialize skips unknown sections and treats optional ones as empty") {
  auto bytes = bc::serialize(sample_image());
  set32(bytes, entry(6), 4242);  // Effects
  test::fix_checksum(bytes);
  bc::Image im;
  REQUIRE(bc::deserialize(bytes, im) == "");
  CHECK(im.effects.empty());
  CHECK(!im.effect_args.empty());
  // The effect is gone but the code still emits it: the verifier catches that.
  CHECK(bc::verify(im).find("Emit effect 0 out of range") != std::string::npos);
}

TEST_CASE("deserialize refuses a section that is not whole records") {
  auto bytes = bc::serialize(sample_image());
  set32(bytes, entry(2) + 8, get32(bytes, entry(2) + 8) - 1);  // Slots
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "section Slots: size 139 is not a multiple of its record size 28");

  bytes = bc::serialize(sample_image());
  set32(bytes, entry(1) + 8, 28);  // Script must be exactly one record
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("Script section: 28 bytes") != std::string::npos);
}

TEST_CASE("deserialize refuses a malformed strings section") {
  const auto good = bc::serialize(sample_image());
  const std::size_t at = get32(good, entry(0) + 4);

  auto bytes = good;
  set32(bytes, at, 0x40000000u);  // count far larger than the section
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("strings section: 1073741824 strings need") != std::string::npos);

  bytes = good;
  set32(bytes, at + 4, 1);  // first offset not 0
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "strings section: the first offset is not 0");

  bytes = good;
  set32(bytes, at + 12, 0);  // offset of string 2 goes below string 1's
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("goes backwards") != std::string::npos);

  bytes = good;
  set32(bytes, at + 8, 0x7FFFFFFFu);  // string 0 ends past the text
  test::fix_checksum(bytes);
  CHECK(load_error(bytes).find("string 0 ends at 2147483647") != std::string::npos);

  bytes = good;
  set32(bytes, entry(0) + 8, 2);  // too short for the count itself
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "strings section: too short for its count");
}

TEST_CASE("deserialize refuses enum values out of range") {
  const auto good = bc::serialize(sample_image());
  auto bytes = good;
  set32(bytes, get32(good, entry(2) + 4) + 28 + 4, 9);  // slot 1's type byte
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "slot 1: unknown type 9");

  bytes = good;
  bytes[get32(good, entry(9) + 4) + 36] = 5;  // transition 1's trigger (records are 36 bytes)
  test::fix_checksum(bytes);
  CHECK(load_error(bytes) == "transition 1: unknown trigger 5");
}

TEST_CASE("Program::load prefixes errors and accepts good bytes") {
  auto bytes = bc::serialize(sample_image());
  LoadResult ok = Program::load(bytes);
  REQUIRE(ok.program);
  CHECK(ok.error.empty());
  CHECK(ok.program->name() == "consult");
  bytes[0] = 0;
  LoadResult bad = Program::load(bytes);
  CHECK(!bad.program);
  CHECK(bad.error == "bad bytecode: not a .callbc file (bad magic)");
}

// Mutated files must be refused or run, never crash (the sanitizer build makes this bite).
TEST_CASE("loading randomly damaged files never crashes") {
  const auto good = bc::serialize(sample_image());
  std::mt19937 rng(12345);
  int loaded = 0;
  for (int round = 0; round < 4000; ++round) {
    auto bytes = good;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      const std::size_t at = rng() % (bytes.size() - 4);
      if (rng() % 3 == 0)
        bytes[at] = static_cast<std::uint8_t>(rng() % 2 ? 0xFF : 0x00);
      else
        bytes[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
    }
    if (rng() % 5 == 0) bytes.resize(16 + rng() % (bytes.size() - 16));
    if (bytes.size() >= 16) test::fix_checksum(bytes);
    bc::Image shaped;
    if (bc::deserialize(bytes, shaped).empty()) (void)bc::disassemble(shaped);  // even unverified
    LoadResult r = Program::load(bytes);
    if (!r.program) {
      CHECK(!r.error.empty());
      continue;
    }
    ++loaded;
    Session s(*r.program);
    const Instant t0{std::chrono::milliseconds(1000)};
    s.start(t0);
    for (EventId e = 0; e < r.program->event_count(); ++e) s.send(e, t0);
    s.advance(t0 + std::chrono::hours(1));
    (void)s.prompts();
    (void)s.choices();
    (void)s.take_effects();
    for (SlotId k = 0; k < r.program->slot_count(); ++k) (void)s.slot_text(k);
    (void)bc::disassemble(r.program->image());
  }
  CHECK(loaded > 0);
}

// The disassembler also reads unverified images: a run's count is bounded by its table, so a
// garbage count costs one line, not four billion words.
TEST_CASE("disassemble bounds an unverified ask run by the table") {
  bc::Image im = sample_image();
  REQUIRE_FALSE(im.states.empty());
  im.states[0].ask_first = 0;
  im.states[0].ask_count = 0xFFFFFFF0u;
  const std::string out = bc::disassemble(im);
  CHECK(out.find("ask <out of range>") != std::string::npos);
  CHECK(out.size() < 100000);
}
