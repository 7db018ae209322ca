// The fixture the session tests share: a consult-shaped program assembled by hand, and small
// helpers to load it and read what a session said.
#pragma once

#include <callscript/program.h>
#include <callscript/session.h>

#include <doctest/doctest.h>

#include "runtime_image.h"

namespace callscript::test {

using std::chrono::milliseconds;

inline std::shared_ptr<const Program> make(const ImageBuilder& b) {
  LoadResult r = Program::from_image(b.build());
  INFO("load error: " << r.error);
  REQUIRE(r.program);
  return r.program;
}

inline Instant at(std::int64_t ms) { return Instant(milliseconds(ms)); }

inline std::vector<std::string> said(const Session& s) {
  std::vector<std::string> ids;
  for (const RenderedPrompt& p : s.prompts()) ids.emplace_back(p.id);
  return ids;
}
using Ids = std::vector<std::string>;

// A consult-shaped script used by several cases:
//   slots   name:text, count:number = 0, kind:enum(query, complaint), vip:bool
//   greet   entry: say greet.1
//           on go [vip] -> vip_desk
//           on go -> question
//           on help: say help.1                (stays)
//           after 30000ms -> timeout
//   ask     entry: say ask.1;  on go -> done
//   vip_desk entry: say vip.1; on go -> done
//   timeout final no_contact;  done final resolved
//   handlers: on hangup -> hung (final abandoned); on help -> question; on note: emit log(count)
struct Consult {
  ImageBuilder b;
  std::uint32_t name, count, kind, vip;
  std::uint32_t hangup, go, help, note;
  std::uint32_t greet, ask, vip_desk, timeout, done, hung;
  Consult() {
    name = b.slot("name", bc::SlotType::Text);
    count = b.slot("count", bc::SlotType::Number);
    kind = b.enum_slot("kind", {"query", "complaint"});
    vip = b.slot("vip", bc::SlotType::Bool);
    hangup = b.event("hangup", "挂机");
    go = b.event("go", "继续");
    help = b.event("help");
    note = b.event("note");
    const auto p_greet = b.prompt("greet.1", "您好{name}，请问有什么可以帮您？");
    const auto p_help = b.prompt("help.1", "请说出您的问题。");
    const auto p_ask = b.prompt("question.1", "好的，请讲。");
    const auto p_vip = b.prompt("vip.1", "尊贵的客户您好。");
    const auto log = b.effect("log", {"count"});
    greet = b.state("greet", b.code({{Op::Say, p_greet}, {Op::Ret}}));
    ask = b.state("question", b.code({{Op::Say, p_ask}, {Op::Ret}}));
    vip_desk = b.state("vip_desk", b.code({{Op::Say, p_vip}, {Op::Ret}}));
    timeout = b.state("timeout", kNone, "no_contact");
    done = b.state("done", kNone, "resolved");
    hung = b.state("hung", kNone, "abandoned");
    b.on(greet, go, vip_desk, b.code({{Op::Load, vip}, {Op::Ret}}));
    b.on(greet, go, ask);
    b.on(greet, help, kNone, kNone, b.code({{Op::Say, p_help}, {Op::Ret}}));
    b.after(greet, 30000, timeout);
    b.on(ask, go, done);
    b.on(vip_desk, go, done);
    b.handler(hangup, hung);
    b.handler(help, ask);
    b.handler(note, kNone, kNone, b.code({{Op::Load, count}, {Op::Emit, log}, {Op::Ret}}));
  }
};

}  // namespace callscript::test
