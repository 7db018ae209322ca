// The script the ask tests share (asks, host slots, a flow, the phone and time types) and a
// Call that drives it by names.
#pragma once

#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

#include <algorithm>

namespace cs = callscript;

namespace {  // internal to each test file that includes it

const char* kScript = R"(script asks {
  slot name: text
  slot tail: digits(4)
  slot phone: phone
  slot callback: time
  slot ticket: text host
  slot vip: bool host
  slot phone_h: phone host
  slot at_h: time host
  event go_tail "订单"
  event go_phone "电话"
  event go_verify "核验"
  event go_time "预约"
  event back "返回"
  effect log(what: text)

  state idle {
    say "请稍候。"
    on go_tail -> get_tail
    on go_phone -> get_phone
    on go_verify -> verify
    on go_time -> get_time
    when ticket == "T-9" -> ticketed
  }
  // nomatch lines are written first: they get the lower prompt ids.
  state get_tail {
    say "请提供订单后四位。"
    on back -> idle
    ask tail {
      nomatch "没听清，请再说一遍订单后四位。"
      nomatch "请您说四位数字。"
      nomatch "最后一次，请说四位数字。"
      noinput "您好，能听到吗？"
      noinput "您好，请说订单后四位。"
      max 9 { emit log(what: "tail_max") } -> failed
      filled -> got_tail
    }
  }
  // noinput first here.
  state get_phone {
    say "请提供联系电话。"
    ask phone {
      noinput "请说您的电话。"
      nomatch "号码不对，请再说一遍。"
      max 3 { emit log(what: "phone_max") } -> failed
      filled -> got_phone
    }
    after 60s -> failed
  }
  state verify {
    say "请问您贵姓，订单后四位是？"
    ask name, tail {
      max 3 -> failed
      filled when tail == "0000" { emit log(what: "test_order") } -> failed
      filled when tail != "9999" -> verified
    }
  }
  state get_time {
    say "您希望几点回访？"
    ask callback {
      max 3 -> failed
      filled { emit log(what: "time") }
    }
    on back -> idle
  }
  final got_tail: resolved
  final got_phone: resolved
  final verified: resolved
  final ticketed: resolved
  final failed: no_answer {
    say "抱歉，我们稍后再联系您。"
  }
})";

std::shared_ptr<const cs::Program> program() {
  static const auto p = cs::test::load_through_bytes(cs::test::compile_clean("asks.call", kScript));
  return p;
}

cs::Instant at(std::int64_t ms) { return cs::Instant(std::chrono::milliseconds(ms)); }

using Ids = std::vector<std::string>;

Ids said(const cs::Session& s) {
  Ids ids;
  for (const cs::RenderedPrompt& p : s.prompts()) ids.emplace_back(p.id);
  return ids;
}

// The `what` argument of each effect queued since the last call.
std::vector<std::string> logged(cs::Session& s) {
  std::vector<std::string> out;
  for (const cs::Effect& e : s.take_effects()) {
    REQUIRE(e.name == "log");
    REQUIRE(e.args.size() == 1);
    out.push_back(e.args[0].text);
  }
  return out;
}

struct Call {
  std::shared_ptr<const cs::Program> p = program();
  cs::Session s{*p};
  Call() { REQUIRE(s.start(at(0)) == cs::Status::Ok); }
  cs::EventId ev(std::string_view name) const {
    const auto id = p->event_id(name);
    REQUIRE_MESSAGE(id, name);
    return *id;
  }
  cs::SlotId slot(std::string_view name) const {
    const auto id = p->slot_id(name);
    REQUIRE_MESSAGE(id, name);
    return *id;
  }
  cs::Status send(std::string_view event, std::int64_t ms = 1) { return s.send(ev(event), at(ms)); }
  cs::Status input(std::string_view name, std::string_view value, std::int64_t ms = 1) {
    return s.input(slot(name), value, at(ms));
  }
  std::string text(std::string_view name) const { return s.slot_text(slot(name)); }
  std::vector<std::string> asked() const {
    std::vector<std::string> out;
    for (std::uint32_t id : s.asked_slots()) out.emplace_back(p->slot_name(id));
    return out;
  }
};

}  // namespace
