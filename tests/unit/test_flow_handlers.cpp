// Handlers written inside a flow: looked up after the state's own transitions and before the
// script-wide ones, for the flow's own states only; `-> return` from one; choices show them; a
// script-wide handler that leaves the flows for a top-level state empties the call stack.
#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>

#include "test_support.h"

#include <doctest/doctest.h>

namespace cs = callscript;

namespace {

const char* kScript = R"(script handlers {
  event help "求助"
  event cancel "取消"
  event deep "深入"
  event hangup "挂机"
  event next "下一步"
  on help { say "全局帮助。" } -> helpdesk
  on hangup -> abandoned

  state main {
    say "主菜单。"
    on next -> call form then after_form
    on deep -> call outer
  }
  state after_form {
    on next -> done
  }
  state helpdesk {
    say "人工帮助。"
    on next -> main
  }
  flow form {
    on help { say "表单帮助。" }
    on cancel -> return
    state first {
      say "第一步。"
      on next -> second
    }
    state second {
      on next -> return
    }
  }
  flow outer {
    on help { say "外层帮助。" }
    on cancel -> return
    state o1 {
      on deep -> call inner
    }
  }
  flow inner {
    state i1 {
      on cancel -> return
    }
  }
  final done: resolved
  final abandoned: abandoned
})";

cs::Instant at(int s) { return cs::Instant(std::chrono::seconds(s)); }

struct Call {
  std::shared_ptr<const cs::Program> p;
  cs::Session s;
  Call() : p(program()), s(*p) { REQUIRE(s.start(at(0)) == cs::Status::Ok); }
  static std::shared_ptr<const cs::Program> program() {
    static const auto p = cs::test::load_through_bytes(cs::test::compile_clean("handlers.call", kScript));
    return p;
  }
  cs::Status send(std::string_view event) {
    const auto id = p->event_id(event);
    REQUIRE_MESSAGE(id, event);
    return s.send(*id, at(++clock));
  }
  std::vector<std::string> said() const {
    std::vector<std::string> ids;
    for (const cs::RenderedPrompt& r : s.prompts()) ids.emplace_back(r.id);
    return ids;
  }
  int clock = 0;
};

using Ids = std::vector<std::string>;

}  // namespace

TEST_CASE("a flow's handler overrides the script-wide one, for the flow's own states only") {
  Call c;
  // At the top level: the script's handler.
  REQUIRE(c.send("help") == cs::Status::Ok);
  CHECK(c.s.state_name() == "helpdesk");
  CHECK(c.said() == Ids{"@handlers.1", "helpdesk.1"});
  REQUIRE(c.send("next") == cs::Status::Ok);
  CHECK(c.s.state_name() == "main");

  // In the flow's states: the flow's handler, which stays.
  REQUIRE(c.send("next") == cs::Status::Ok);
  CHECK(c.s.state_name() == "form.first");
  REQUIRE(c.send("help") == cs::Status::Ok);
  CHECK(c.s.state_name() == "form.first");
  CHECK(c.said() == Ids{"form.@handlers.1"});
  CHECK(c.s.prompts()[0].text == "表单帮助。");
  REQUIRE(c.send("next") == cs::Status::Ok);
  CHECK(c.s.state_name() == "form.second");
  REQUIRE(c.send("help") == cs::Status::Ok);
  CHECK(c.s.state_name() == "form.second");
  CHECK(c.said() == Ids{"form.@handlers.1"});
  // A handler the flow does not override is still the script's.
  REQUIRE(c.send("hangup") == cs::Status::Ok);
  CHECK(c.s.outcome() == "abandoned");
}

TEST_CASE("a flow's handlers do not reach into the flows it calls") {
  Call c;
  REQUIRE(c.send("deep") == cs::Status::Ok);
  CHECK(c.s.state_name() == "outer.o1");
  REQUIRE(c.send("help") == cs::Status::Ok);
  CHECK(c.said() == Ids{"outer.@handlers.1"});
  REQUIRE(c.send("deep") == cs::Status::Ok);
  CHECK(c.s.state_name() == "inner.i1");
  // inner has no help handler: the script's applies, not outer's.
  REQUIRE(c.send("help") == cs::Status::Ok);
  CHECK(c.s.state_name() == "helpdesk");
  CHECK(c.said() == Ids{"@handlers.1", "helpdesk.1"});
}

TEST_CASE("-> return from a flow's handler goes back to where the flow was called from") {
  Call c;
  REQUIRE(c.send("next") == cs::Status::Ok);  // call form then after_form
  REQUIRE(c.send("next") == cs::Status::Ok);
  CHECK(c.s.state_name() == "form.second");
  REQUIRE(c.send("cancel") == cs::Status::Ok);
  CHECK(c.s.state_name() == "after_form");

  Call d;
  REQUIRE(d.send("deep") == cs::Status::Ok);  // call outer, back to main
  REQUIRE(d.send("deep") == cs::Status::Ok);  // call inner, back to outer.o1
  // inner's own cancel returns one level; then outer's handler returns to main.
  REQUIRE(d.send("cancel") == cs::Status::Ok);
  CHECK(d.s.state_name() == "outer.o1");
  REQUIRE(d.send("cancel") == cs::Status::Ok);
  CHECK(d.s.state_name() == "main");
  CHECK(d.said() == Ids{"main.1"});  // the caller is re-entered
  // With nothing to return to, cancel is not permitted at the top level.
  CHECK(d.send("cancel") == cs::Status::NotPermitted);
}

TEST_CASE("choices list a flow's handlers in place of the script's") {
  Call c;
  const auto choice = [&](std::string_view name) -> std::optional<cs::Choice> {
    for (const cs::Choice& ch : c.s.choices())
      if (ch.name == name) return ch;
    return std::nullopt;
  };
  REQUIRE(choice("help"));
  CHECK(choice("help")->target == "helpdesk");
  CHECK_FALSE(choice("cancel"));

  REQUIRE(c.send("next") == cs::Status::Ok);
  std::vector<std::string> order;
  for (const cs::Choice& ch : c.s.choices()) order.emplace_back(ch.name);
  // The state's own, then the flow's handlers, then the script's.
  CHECK(order == std::vector<std::string>{"next", "help", "cancel", "hangup"});
  REQUIRE(choice("help"));
  CHECK(choice("help")->target.empty());  // the flow's help stays
  CHECK_FALSE(choice("help")->leaves_state);
  REQUIRE(choice("cancel"));
  CHECK(choice("cancel")->target == "after_form");  // where the return goes
  CHECK(choice("cancel")->leaves_state);
  CHECK(choice("hangup")->target == "abandoned");
}

TEST_CASE("a script-wide handler out of nested flows empties the call stack") {
  Call c;
  // Each round enters two flows and leaves them by the script's help handler. Were the frames
  // kept, the 8-deep stack would fill after four rounds and the calls would stop working.
  for (int round = 0; round < 3 * static_cast<int>(cs::bc::kMaxCallDepth); ++round) {
    INFO("round " << round);
    REQUIRE(c.send("deep") == cs::Status::Ok);
    CHECK(c.s.state_name() == "outer.o1");
    REQUIRE(c.send("deep") == cs::Status::Ok);
    CHECK(c.s.state_name() == "inner.i1");
    REQUIRE(c.send("help") == cs::Status::Ok);
    CHECK(c.s.state_name() == "helpdesk");
    REQUIRE(c.send("next") == cs::Status::Ok);
    CHECK(c.s.state_name() == "main");
  }
  // Calls and returns still work, each return going back one level.
  REQUIRE(c.send("deep") == cs::Status::Ok);
  REQUIRE(c.send("deep") == cs::Status::Ok);
  CHECK(c.s.state_name() == "inner.i1");
  REQUIRE(c.send("cancel") == cs::Status::Ok);
  CHECK(c.s.state_name() == "outer.o1");
  REQUIRE(c.send("cancel") == cs::Status::Ok);
  CHECK(c.s.state_name() == "main");
  CHECK(c.send("cancel") == cs::Status::NotPermitted);
}

TEST_CASE("the disassembler lists a flow's handlers") {
  const std::string listing = cs::bc::disassemble(Call::program()->image());
  CHECK(listing.find("flow form handlers:") != std::string::npos);
  CHECK(listing.find("flow outer handlers:") != std::string::npos);
  CHECK(listing.find("form.@handlers.1") != std::string::npos);
}
