#include "transcript/transcript.h"

#include "text/text.h"
#include "transcript/reader.h"

#include <callscript/compiler.h>
#include <callscript/program.h>
#include <callscript/session.h>
#include <callscript/string_table.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <ostream>

namespace callscript::transcript {

namespace fs = std::filesystem;

namespace {

// A script with a string table applied. The table changes only prompt texts, so its runs count
// towards the coverage of the script itself.
struct Translated {
  std::string key;                         // the table's canonical path
  std::shared_ptr<const Program> program;  // null when the table could not be applied
  std::string error;                       // why not
};

}  // namespace

// A script under test: loaded once, with what every transcript run on it reached.
struct Suite::Script {
  std::string key;    // canonical path, to recognise the same file by another route
  std::string shown;  // the path as the first transcript resolved it
  std::shared_ptr<const Program> program;  // null when it could not be loaded
  std::string error;                       // why not
  std::vector<bool> entered, taken;
  std::vector<Translated> translated;      // one per string table used with it
};

namespace {

// Marks what a session reaches in its script's coverage.
class Tracker final : public SessionObserver {
 public:
  Tracker(std::vector<bool>& entered, std::vector<bool>& taken) : entered_(entered), taken_(taken) {}
  void on_transition(std::uint32_t t) override { taken_[t] = true; }
  void on_enter(StateId s) override { entered_[s] = true; }

 private:
  std::vector<bool>& entered_;
  std::vector<bool>& taken_;
};

// An effect as the host saw it, its arguments in text form (as slot_text would show them).
struct Emitted {
  std::string name;
  std::vector<std::pair<std::string, std::string>> args;
  std::vector<bool> pii;  // per argument: shown masked in reports
};

std::string arg_text(const EffectArg& a) {
  if (a.kind == ValueKind::Text) return a.text;
  if (a.kind == ValueKind::Bool) return a.number ? "true" : "false";
  return std::to_string(a.number);
}

std::string show(const Emitted& e) {
  std::string s = e.name + "(";
  for (std::size_t i = 0; i < e.args.size(); ++i)
    text::append(s, i ? ", " : "", e.args[i].first, ": ", e.pii[i] ? std::string(text::kMasked) : e.args[i].second);
  return s + ")";
}

std::string show(const ExpectedEffect& e) {
  std::string s = e.name.value;
  if (e.args.empty()) return s;
  s += "(";
  for (std::size_t i = 0; i < e.args.size(); ++i) text::append(s, i ? ", " : "", e.args[i].first.value, ": ", e.args[i].second.value);
  return s + ")";
}

// Only the arguments the transcript gives are compared.
bool matches(const ExpectedEffect& x, const Emitted& e) {
  if (x.name.value != e.name) return false;
  for (const auto& [name, value] : x.args) {
    auto it = std::find_if(e.args.begin(), e.args.end(), [&](const auto& a) { return a.first == name.value; });
    if (it == e.args.end() || it->second != value.value) return false;
  }
  return true;
}

// The two lists line by line, common lines kept: "- " expected only, "+ " actual only. The
// lists are a step's prompts or effects, so the quadratic longest common subsequence is fine.
template <class X, class A, class Eq, class ShowX, class ShowA>
std::string diff(const std::vector<X>& xs, const std::vector<A>& as, Eq eq, ShowX show_x, ShowA show_a) {
  const std::size_t n = xs.size(), m = as.size();
  std::vector<std::vector<std::size_t>> lcs(n + 1, std::vector<std::size_t>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = eq(xs[i], as[j]) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out = "expected (-) and actual (+):";
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && eq(xs[i], as[j])) {
      text::append(out, "\n        ", show_a(as[j]));
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      text::append(out, "\n      - ", show_x(xs[i++]));
    } else {
      text::append(out, "\n      + ", show_a(as[j++]));
    }
  }
  if (n == 0 && m == 0) out += " both empty";
  return out;
}

std::string names_list(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) text::append(s, i ? ", " : "", "`", names[i], "`");
  return s.empty() ? "none" : s;
}

using text::read_file;

// Runs the steps of one transcript on one session and checks each step's expectations.
class Run {
 public:
  Run(const Program& p, Diagnostics& diags, Instant start) : program_(p), session_(p), diags_(diags), origin_(start), now_(start) {}

  void observe(SessionObserver* o) { session_.set_observer(o); }

  bool steps(const std::vector<Step>& steps) {
    if (Status s = session_.start(now_); s != Status::Ok) {
      diags_.report(Code::T0010, {}, text::cat("the call could not start: ", to_string(s)));
      return false;
    }
    collect();
    for (std::size_t i = 0; i < steps.size(); ++i) {
      prefix_ = text::cat("step ", i + 1, " (", steps[i].label, "): ");
      if (!step(steps[i])) return false;
      effects_.clear();
    }
    return true;
  }

 private:
  bool step(const Step& st) {
    Status status = Status::Ok;
    const Text* refused_value = &st.subject;
    switch (st.action) {
      case Action::Expect: break;
      case Action::Send: status = session_.send(st.event, now_); break;
      case Action::Input:
        // Several slots go in one by one; the first refusal ends the step.
        for (const auto& [slot, value] : st.inputs) {
          refused_value = &value;
          status = session_.input(slot, value.value, now_);
          if (status != Status::Ok) break;
        }
        break;
      case Action::Wait:
        if (st.wait.count() > std::numeric_limits<std::int64_t>::max() - now_.time_since_epoch().count()) {
          fail(st.subject.span, "the virtual clock would overflow");
          return false;
        }
        now_ += st.wait;
        status = session_.advance(now_);
        break;
    }
    collect();
    if (st.refused) {
      if (status == Status::Ok) {
        fail(st.refused->span, text::cat("expected the step to be refused (", st.refused->value,
                                         "), but it was taken; now in state `", session_.state_name(), "`"));
        return false;
      }
      if (to_string(status) != st.refused->value) {
        fail(st.refused->span, text::cat("expected refusal `", st.refused->value, "`, got `", to_string(status), "`"));
        return false;
      }
    } else if (status != Status::Ok) {
      Diagnostic& d = fail(refused_value->span, text::cat("refused: ", to_string(status)));
      if (status == Status::NotPermitted) {
        std::vector<std::string> names;
        for (const Choice& c : session_.choices()) names.emplace_back(c.name);
        d.notes.push_back({std::nullopt, text::cat("in state `", session_.state_name(), "` the choices are ", names_list(names))});
      }
      d.hint = "if the refusal is what the script should do, say so with `refused: " + std::string(to_string(status)) + "`";
      return false;
    }
    return check(st.expect);
  }

  void collect() {
    for (const Effect& e : session_.take_effects()) {
      Emitted out{std::string(e.name), {}, {}};
      for (const EffectArg& a : e.args) {
        out.args.emplace_back(std::string(a.name), arg_text(a));
        out.pii.push_back(a.pii);
      }
      effects_.push_back(std::move(out));
    }
  }

  Diagnostic& fail(Span at, std::string message) { return diags_.report(Code::T0010, at, prefix_ + message); }

  template <class A, class Eq, class ShowA>
  bool same_list(const At<std::vector<Text>>& x, const std::vector<A>& actual, std::string_view what, Eq eq, ShowA show_a) {
    bool same = x.value.size() == actual.size();
    for (std::size_t i = 0; same && i < actual.size(); ++i) same = eq(x.value[i], actual[i]);
    if (same) return true;
    fail(x.span, text::cat(what, " differ")).notes.push_back(
        {std::nullopt, diff(x.value, actual, eq, [](const Text& t) { return t.value; }, show_a)});
    return false;
  }

  bool check(const Expectations& x) {
    bool ok = true;
    if (x.state && x.state->value != session_.state_name()) {
      fail(x.state->span, text::cat("expected state `", x.state->value, "`, got `", session_.state_name(), "`"));
      ok = false;
    }
    auto text_eq = [](const Text& t, const std::string& s) { return t.value == s; };
    auto as_is = [](const std::string& s) { return s; };
    if (x.prompts || x.prompt_ids) {
      std::vector<std::string> texts, ids;
      for (const RenderedPrompt& p : session_.prompts()) {
        texts.push_back(p.text);
        ids.emplace_back(p.id);
      }
      if (x.prompts) ok &= same_list(*x.prompts, texts, "prompts", text_eq, as_is);
      if (x.prompt_ids) ok &= same_list(*x.prompt_ids, ids, "prompt ids", text_eq, as_is);
    }
    if (x.choices) {
      std::vector<std::string> names;
      for (const Choice& c : session_.choices()) names.emplace_back(c.name);
      ok &= same_list(*x.choices, names, "choices", text_eq, as_is);
    }
    if (x.effects) {
      const auto& want = x.effects->value;
      bool same = want.size() == effects_.size();
      for (std::size_t i = 0; same && i < want.size(); ++i) same = matches(want[i], effects_[i]);
      if (!same) {
        fail(x.effects->span, "effects differ")
            .notes.push_back({std::nullopt, diff(want, effects_, matches, [](const ExpectedEffect& e) { return show(e); },
                                                 [](const Emitted& e) { return show(e); })});
        ok = false;
      }
    }
    if (x.timer) {
      std::optional<Duration> next;
      if (auto due = session_.next_deadline()) next = std::chrono::duration_cast<Duration>(*due - origin_);
      if (next != x.timer->value) {
        auto say = [](const std::optional<Duration>& d) { return d ? "at " + text::format_duration(*d) : std::string("none"); };
        fail(x.timer->span, text::cat("expected the next timer ", say(x.timer->value), ", got ", say(next)));
        ok = false;
      }
    }
    if (x.outcome) {
      const std::optional<std::string> got = session_.ended() ? std::optional<std::string>(session_.outcome()) : std::nullopt;
      if (got != x.outcome->value) {
        if (!x.outcome->value)
          fail(x.outcome->span, text::cat("expected the call to go on, but it ended: `", *got, "`"));
        else if (!got)
          fail(x.outcome->span, text::cat("expected outcome `", *x.outcome->value, "`, but the call goes on in state `", session_.state_name(), "`"));
        else
          fail(x.outcome->span, text::cat("expected outcome `", *x.outcome->value, "`, got `", *got, "`"));
        ok = false;
      }
    }
    for (const auto& [name, value] : x.slots) {
      const SlotId slot = *program_.slot_id(name.value);
      const std::string got = session_.slot_text(slot);
      if (got != value.value) {
        // A pii slot's value stays out of the report; the transcript's own value is shown.
        fail(value.span, text::cat("expected slot `", name.value, "` = `", value.value, "`, got `",
                                   program_.slot_is_pii(slot) ? std::string(text::kMasked) : got, "`"));
        ok = false;
      }
    }
    return ok;
  }

  const Program& program_;
  Session session_;
  Diagnostics& diags_;
  Instant origin_{};  // where the virtual clock starts: times in expectations count from here
  Instant now_{};
  std::vector<Emitted> effects_;  // emitted since the last step's expectations were checked
  std::string prefix_;
};

std::string canonical_key(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path.string() : canonical.string();
}

// `program` with the string table at `path` applied; made once per script and table, the
// table's own diagnostics written to `log` then.
const Translated& translate(std::vector<Translated>& done, const Program& program, const fs::path& path, bool color,
                            std::ostream& log) {
  const std::string key = canonical_key(path);
  if (auto it = std::find_if(done.begin(), done.end(), [&](const Translated& t) { return t.key == key; }); it != done.end())
    return *it;
  Translated t{key, nullptr, {}};
  std::string bytes, error;
  if (!read_file(path, bytes, error)) {
    t.error = text::cat("cannot read ", path.string(), ": ", error);
  } else {
    SourceFile table(path.string(), std::move(bytes));
    Diagnostics table_diags(table);
    bc::Image image = program.image();
    // A table's texts are prompts: the program with them is proved like any other.
    if (apply_string_table(table, image, table_diags) && (prove_program(image, table_diags), table_diags.error_count() == 0)) {
      LoadResult loaded = Program::from_image(std::move(image));
      t.program = loaded.program;
      t.error = loaded.error;
    } else {
      log << render_human(table_diags, {color});
      t.error = text::cat(path.string(), " has ", table_diags.error_count(), table_diags.error_count() == 1 ? " error" : " errors");
    }
  }
  done.push_back(std::move(t));
  return done.back();
}

// "in `ringing`: on ring -> ringing_late", for a coverage gap.
// ":LINE", or nothing for what an imported library wrote (codegen records line 0 for it).
std::string at_line(std::uint32_t line) { return line == 0 ? std::string(" (imported)") : text::cat(":", line); }

std::string describe(const Program& p, std::uint32_t index) {
  const bc::Image& im = p.image();
  const bc::Transition& t = im.transitions[index];
  std::string owner = "script-wide";
  for (StateId s = 0; s < im.states.size(); ++s)
    if (index >= im.states[s].first_transition && index < im.states[s].first_transition + im.states[s].transition_count)
      owner = text::cat("in `", p.state_name(s), "`");
  for (const bc::Flow& f : im.flows)
    if (index >= f.first_handler && index < f.first_handler + f.handler_count) owner = text::cat("in flow `", im.str(f.name), "`");
  for (const bc::Sla& sla : im.slas)
    if (index == sla.breach) owner = text::cat("SLA `", im.str(sla.name), "`");
  std::string s = owner + ": ";
  switch (t.trigger) {
    case bc::Trigger::Event: text::append(s, "on ", p.event_name(t.event)); break;
    case bc::Trigger::After:
      if (t.after_unit == bc::DurationUnit::WorkDays) text::append(s, "after ", t.after_ms, " workdays");
      else text::append(s, "after ", text::format_duration(Duration(t.after_ms)), t.after_unit == bc::DurationUnit::WorkTime ? " of work time" : "");
      break;
    case bc::Trigger::Eventless: s += "(eventless)"; break;
    case bc::Trigger::Filled: s += "filled"; break;
    case bc::Trigger::Breach: s += "breach"; break;
  }
  if (t.guard != bc::kNone) s += " when ...";
  const auto state = [&](std::uint32_t id) { return id < im.states.size() ? p.state_name(id) : std::string_view("?"); };
  if (t.call != bc::kNone) {
    text::append(s, " -> call ", state(t.call));
    if (t.target != bc::kNone) text::append(s, " then ", state(t.target));
  } else if (t.target == bc::kReturn) {
    s += " -> return";
  } else if (t.target != bc::kNone) {
    text::append(s, " -> ", state(t.target));
  } else {
    s += " (stays)";
  }
  return s;
}

}  // namespace

Suite::Suite(Options options) : options_(options) {}
Suite::~Suite() = default;

Verdict Suite::run(const SourceFile& source, Diagnostics& diags, std::ostream& log) {
  Reader reader(source, diags);
  const std::optional<Text> script_path = reader.header();
  if (!script_path) return Verdict::Invalid;

  // The script, relative to the transcript; loaded once per suite.
  const fs::path path = (fs::path(source.name()).parent_path() / script_path->value).lexically_normal();
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = path;
  auto it = std::find_if(scripts_.begin(), scripts_.end(), [&](const auto& s) { return s->key == canonical.string(); });
  if (it == scripts_.end()) {
    auto s = std::make_unique<Script>();
    s->key = canonical.string();
    s->shown = path.string();
    std::string bytes, error;
    LoadResult loaded;
    if (!read_file(path, bytes, error)) {
      s->error = text::cat("cannot read ", s->shown, ": ", error);
    } else if (bc::has_bytecode_magic(bytes)) {
      loaded = Program::load({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()});
      if (!loaded.program) s->error = text::cat(s->shown, " was refused: ", loaded.error);
    } else {
      SourceFile script(s->shown, std::move(bytes));
      Diagnostics script_diags(script);
      FileSourceProvider files;
      if (auto image = compile(script, script_diags, {.sources = files})) loaded = Program::from_image(std::move(*image));
      else log << render_human(script_diags, {options_.color});
      if (!loaded.program)
        s->error = script_diags.error_count() ? text::cat(s->shown, " has ", script_diags.error_count(),
                                                          script_diags.error_count() == 1 ? " error" : " errors")
                                              : text::cat(s->shown, " was refused: ", loaded.error);
    }
    s->program = loaded.program;
    if (s->program) {
      s->entered.assign(s->program->state_count(), false);
      s->taken.assign(s->program->image().transitions.size(), false);
    }
    scripts_.push_back(std::move(s));
    it = scripts_.end() - 1;
  }
  Script& script = **it;
  if (!script.program) {
    diags.report(Code::T0009, script_path->span, "the script cannot be loaded: " + script.error);
    reader.steps(nullptr);  // still report what is wrong with the steps themselves
    diags.sort_by_position();
    return Verdict::Invalid;
  }

  // The string table: the transcript's own `strings:`, else the suite's (`callc test --strings`).
  std::shared_ptr<const Program> program = script.program;
  const std::optional<Text> table = reader.strings();
  if (table || !options_.strings.empty()) {
    const fs::path table_path =
        table ? (fs::path(source.name()).parent_path() / table->value).lexically_normal() : fs::path(options_.strings);
    const Translated& t = translate(script.translated, *script.program, table_path, options_.color, log);
    if (!t.program) {
      diags.report(Code::T0009, table ? table->span : Span{}, "the string table cannot be applied: " + t.error);
      reader.steps(nullptr);
      diags.sort_by_position();
      return Verdict::Invalid;
    }
    program = t.program;
  }

  const std::vector<Step> steps = reader.steps(program.get());
  if (diags.error_count() != 0) {
    diags.sort_by_position();
    return Verdict::Invalid;
  }
  Tracker tracker(script.entered, script.taken);
  Run run(*program, diags, reader.start());
  run.observe(&tracker);
  return run.steps(steps) ? Verdict::Passed : Verdict::Failed;
}

std::vector<Coverage> Suite::coverage() const {
  std::vector<Coverage> out;
  for (const auto& s : scripts_) {
    if (!s->program) continue;
    const Program& p = *s->program;
    const bc::Image& im = p.image();
    Coverage c;
    c.script = s->shown;
    c.states = im.states.size();
    c.transitions = im.transitions.size();
    std::vector<std::pair<std::uint32_t, std::string>> gaps;
    for (StateId st = 0; st < im.states.size(); ++st) {
      if (s->entered[st]) ++c.states_entered;
      else gaps.push_back({im.states[st].line, text::cat(s->shown, at_line(im.states[st].line), ": state `", p.state_name(st), "` never entered")});
    }
    for (std::uint32_t t = 0; t < im.transitions.size(); ++t) {
      if (s->taken[t]) ++c.transitions_taken;
      else gaps.push_back({im.transitions[t].line, text::cat(s->shown, at_line(im.transitions[t].line), ": transition never taken: ", describe(p, t))});
    }
    std::stable_sort(gaps.begin(), gaps.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& g : gaps) c.gaps.push_back(std::move(g.second));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace callscript::transcript
