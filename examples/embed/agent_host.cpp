// A minimal agent application embedding the callscript runtime: it loads a compiled script,
// resolves the event and slot names it uses once at start-up, then drives one call, showing
// the agent the current prompt and the permitted transitions and acting on effects.
//
//   build/callc build examples/consult.call -o build/consult.callbc
//   build/examples/agent_host build/consult.callbc
//
// It links callscript_runtime only: no parser, no YAML.
#include <callscript/program.h>
#include <callscript/session.h>

#include <fstream>
#include <iostream>
#include <iterator>

using namespace callscript;

namespace {

void show(const Session& call) {
  std::cout << "[" << call.state_name() << "]\n";
  for (const auto& p : call.prompts()) std::cout << "  say (" << p.id << "): " << p.text << "\n";
  // The slots this state asks get an input field; the rest of the screen is buttons.
  for (std::uint32_t slot : call.asked_slots()) std::cout << "  field: " << call.program().slot_name(slot) << "\n";
  for (const auto& c : call.choices()) std::cout << "  button: " << c.label << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: agent_host SCRIPT.callbc\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  // One Program per script, shared by every call on every thread.
  const LoadResult loaded = Program::load(bytes);
  if (!loaded.program) {
    std::cerr << argv[1] << ": " << loaded.error << "\n";
    return 1;
  }
  const Program& script = *loaded.program;

  // Resolve names once; the per-event calls below take ids and never hash a string.
  const auto pick_up = script.event_id("pick_up");
  const auto confirmed = script.event_id("confirmed");
  const auto simple = script.event_id("simple");
  const auto answer_found = script.event_id("answer_found");
  const auto need = script.slot_id("need");
  if (!pick_up || !confirmed || !simple || !answer_found || !need) {
    std::cerr << "this host drives the consult script; " << script.name() << " lacks its events\n";
    return 1;
  }

  // The host owns the clock: here a virtual one, in a real app the telephony platform's.
  Instant now{std::chrono::seconds(1'700'000'000)};
  Session call(script);
  call.start(now);
  call.send(*pick_up, now += std::chrono::seconds(2));
  show(call);

  // An event the script does not permit now is refused and changes nothing.
  if (call.send(*confirmed, now) != Status::Ok) std::cout << "  (confirmed refused: " << to_string(call.send(*confirmed, now)) << ")\n";

  // Input goes only to a slot the state asks (first_need asks `need`); once every asked slot has
  // a value the script moves on by itself. A value of the wrong type would be a nomatch: not
  // stored, and the script's reprompt said instead.
  call.input(*need, "请问你们的产品支持夜间模式吗", now += std::chrono::seconds(20));
  show(call);
  call.send(*confirmed, now += std::chrono::seconds(5));
  call.send(*simple, now);
  show(call);

  // Timers fire only when the host advances the clock.
  if (auto due = call.next_deadline()) {
    now = *due;
    call.advance(now);
    show(call);
  }
  call.send(*answer_found, now += std::chrono::seconds(10));
  show(call);
  for (const auto& effect : call.take_effects()) std::cout << "  effect: " << effect.name << "\n";
  return 0;
}
