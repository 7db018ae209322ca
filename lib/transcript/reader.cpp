#include "transcript/reader.h"

#include "diag/yaml_position.h"

#include <callscript/session.h>
#include "text/text.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <span>
#include <string_view>

namespace callscript::transcript {

namespace {

constexpr std::string_view kStepKeys[] = {"send", "input", "wait", "refused", "expect"};
constexpr std::string_view kExpectKeys[] = {"state",   "prompts", "prompt_ids", "choices",
                                            "effects", "timer",   "outcome",    "slots"};
constexpr std::string_view kTopKeys[] = {"script", "strings", "start", "description", "steps"};


constexpr Status kRefusals[] = {Status::NotPermitted, Status::UnknownEvent, Status::UnknownSlot,
                                Status::BadValue,     Status::Ended,        Status::StepLimit,
                                Status::NotAsked,     Status::NoMatch};

// A key of a mapping, with its value, in the order written.
struct Entry {
  std::string key;
  YAML::Node key_node, value;
};

}  // namespace

struct Reader::Impl {
  const SourceFile& src;
  Diagnostics& diags;
  YAML::Node root, steps;
  std::optional<Text> strings;  // `strings:`, the string table to apply to the script
  std::optional<Instant> start; // `start:`, where the virtual clock starts
  bool usable = false;

  // --- positions ------------------------------------------------------------------------------

  // yaml-cpp counts lines and columns from 0, columns in bytes, and skips a byte-order mark.
  std::uint32_t offset(const YAML::Mark& m) const {
    return m.is_null() ? static_cast<std::uint32_t>(src.text().size()) : yamlpos::offset(src, m.line, m.column);
  }
  std::uint32_t token_end(std::uint32_t begin) const { return yamlpos::token_end(src.text(), begin); }

  Span span(const YAML::Node& n, Span fallback) const {
    if (!n.IsDefined() || n.Mark().is_null()) return fallback;
    // An empty value (`timer:`) is marked where the next token starts; point at the key instead.
    if (n.IsNull() && fallback.end != 0) return fallback;
    const std::uint32_t b = offset(n.Mark());
    return {b, std::max(token_end(b), b)};
  }
  Span span(const YAML::Node& n) const { return span(n, {}); }

  Diagnostic& report(Code c, Span s, std::string message) { return diags.report(c, s, std::move(message)); }

  // --- shapes ---------------------------------------------------------------------------------

  static const char* shape(const YAML::Node& n) {
    if (n.IsMap()) return "a mapping";
    if (n.IsSequence()) return "a list";
    if (n.IsNull()) return "nothing";
    return "a scalar";
  }

  bool want(const YAML::Node& n, YAML::NodeType::value type, std::string_view what, std::string_view form, Span fallback) {
    if (n.Type() == type) return true;
    report(Code::T0003, span(n, fallback), text::cat(what, " must be ", form, ", not ", shape(n)));
    return false;
  }

  std::optional<Text> scalar(const YAML::Node& n, std::string_view what, Span fallback) {
    if (!want(n, YAML::NodeType::Scalar, what, "a scalar", fallback)) return std::nullopt;
    return Text{n.Scalar(), span(n, fallback)};
  }

  // The entries of a mapping whose keys are among `allowed` (any key when empty); unknown,
  // repeated and non-scalar keys are reported and left out.
  std::vector<Entry> entries(const YAML::Node& map, std::span<const std::string_view> allowed, std::string_view where) {
    std::vector<Entry> out;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const YAML::Node key = it->first;
      if (!key.IsScalar()) {
        report(Code::T0003, span(key), text::cat("a key in ", where, " must be a scalar, not ", shape(key)));
        continue;
      }
      const std::string name = key.Scalar();
      if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        Diagnostic& d = report(Code::T0002, span(key), text::cat("unknown key `", name, "` in ", where));
        std::vector<std::string_view> names(allowed.begin(), allowed.end());
        if (auto near = closest_name(name, names)) d.hint = text::cat("did you mean `", *near, "`?");
        else d.hint = text::cat("the keys of ", where, " are ", join(names));
        continue;
      }
      if (auto seen = std::find_if(out.begin(), out.end(), [&](const Entry& e) { return e.key == name; }); seen != out.end()) {
        Diagnostic& d = report(Code::T0005, span(key), text::cat("`", name, "` is given twice in ", where));
        d.notes.push_back({span(seen->key_node), "first given here"});
        continue;
      }
      out.push_back({name, key, it->second});
    }
    return out;
  }

  static std::string join(const std::vector<std::string_view>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) text::append(s, i ? ", " : "", "`", names[i], "`");
    return s;
  }

  // Reports `name` when it is not among `known`, suggesting a close one.
  bool known(const Text& name, const std::vector<std::string_view>& all, std::string_view kind, const Program& p) {
    if (std::find(all.begin(), all.end(), name.value) != all.end()) return true;
    Diagnostic& d = report(Code::T0007, name.span, text::cat("no ", kind, " named `", name.value, "` in script `", p.name(), "`"));
    if (auto near = closest_name(name.value, all)) d.hint = text::cat("did you mean `", *near, "`?");
    else if (all.size() <= 12) d.hint = all.empty() ? text::cat("the script has no ", kind) : text::cat("expected one of ", join(all));
    return false;
  }

  // --- names the script defines ---------------------------------------------------------------

  struct Names {
    std::vector<std::string_view> events, slots, states, prompt_ids, effects, outcomes;
  };

  static Names names_of(const Program& p) {
    Names n;
    const bc::Image& im = p.image();
    for (EventId e = 0; e < p.event_count(); ++e) n.events.push_back(p.event_name(e));
    for (SlotId s = 0; s < p.slot_count(); ++s) n.slots.push_back(p.slot_name(s));
    for (StateId s = 0; s < p.state_count(); ++s) {
      n.states.push_back(p.state_name(s));
      if (im.states[s].outcome != bc::kNone) {
        const std::string_view o = im.str(im.states[s].outcome);
        if (std::find(n.outcomes.begin(), n.outcomes.end(), o) == n.outcomes.end()) n.outcomes.push_back(o);
      }
    }
    for (const bc::Prompt& pr : im.prompts) n.prompt_ids.push_back(im.str(pr.id));
    for (const bc::EffectDecl& e : im.effects) n.effects.push_back(im.str(e.name));
    return n;
  }

  // --- steps ----------------------------------------------------------------------------------

  std::optional<At<std::vector<Text>>> texts(const Entry& e, std::string_view where) {
    const Span at = span(e.value, span(e.key_node));
    if (!want(e.value, YAML::NodeType::Sequence, where, "a list", at)) return std::nullopt;
    At<std::vector<Text>> out{{}, at};
    for (const YAML::Node& item : e.value)
      if (auto t = scalar(item, text::cat("an item of ", where), at)) out.value.push_back(std::move(*t));
    return out;
  }

  std::optional<ExpectedEffect> effect(const YAML::Node& item, Span fallback, const Program* p, const Names& names) {
    ExpectedEffect out;
    if (item.IsScalar()) {
      out.name = {item.Scalar(), span(item)};
    } else if (item.IsMap() && item.size() == 1) {
      const YAML::Node key = item.begin()->first, args = item.begin()->second;
      if (!key.IsScalar()) {
        report(Code::T0003, span(key, fallback), "an effect's name must be a scalar");
        return std::nullopt;
      }
      out.name = {key.Scalar(), span(key)};
      if (!args.IsNull()) {
        if (!want(args, YAML::NodeType::Map, text::cat("the arguments of `", out.name.value, "`"), "a mapping", span(key)))
          return std::nullopt;
        for (const Entry& a : entries(args, {}, text::cat("the arguments of `", out.name.value, "`")))
          if (auto v = scalar(a.value, text::cat("argument `", a.key, "`"), span(a.key_node)))
            out.args.push_back({Text{a.key, span(a.key_node)}, std::move(*v)});
      }
    } else {
      report(Code::T0003, span(item, fallback), "an effect is `name` or `{name: {argument: value, ...}}`");
      return std::nullopt;
    }
    if (p == nullptr || !known(out.name, names.effects, "effect", *p)) return out;
    // The arguments the script's declaration of the effect names.
    const bc::Image& im = p->image();
    const auto decl = std::find(names.effects.begin(), names.effects.end(), out.name.value) - names.effects.begin();
    const bc::EffectDecl& d = im.effects[static_cast<std::size_t>(decl)];
    std::vector<std::string_view> params;
    for (std::uint32_t k = 0; k < d.argc; ++k) params.push_back(im.str(im.effect_args[d.first_arg + k]));
    for (const auto& [name, value] : out.args) known(name, params, text::cat("argument of `", out.name.value, "`"), *p);
    return out;
  }

  void expectations(const Entry& e, Step& step, const Program* p, const Names& names) {
    if (!want(e.value, YAML::NodeType::Map, "`expect`", "a mapping", span(e.key_node))) return;
    Expectations& x = step.expect;
    for (const Entry& k : entries(e.value, kExpectKeys, "`expect`")) {
      const Span key_span = span(k.key_node);
      const std::string where = text::cat("`", k.key, "`");
      if (k.key == "state") {
        x.state = scalar(k.value, where, key_span);
        if (x.state && p) known(*x.state, names.states, "state", *p);
      } else if (k.key == "prompts") {
        x.prompts = texts(k, where);
      } else if (k.key == "prompt_ids") {
        x.prompt_ids = texts(k, where);
        if (x.prompt_ids && p)
          for (const Text& t : x.prompt_ids->value) known(t, names.prompt_ids, "prompt id", *p);
      } else if (k.key == "choices") {
        x.choices = texts(k, where);
        if (x.choices && p)
          for (const Text& t : x.choices->value) known(t, names.events, "event", *p);
      } else if (k.key == "effects") {
        const Span at = span(k.value, key_span);
        if (!want(k.value, YAML::NodeType::Sequence, where, "a list", at)) continue;
        x.effects = At<std::vector<ExpectedEffect>>{{}, at};
        for (const YAML::Node& item : k.value)
          if (auto eff = effect(item, at, p, names)) x.effects->value.push_back(std::move(*eff));
      } else if (k.key == "timer") {
        const Span at = span(k.value, key_span);
        if (k.value.IsNull()) {
          x.timer = At<std::optional<Duration>>{std::nullopt, at};
        } else if (auto t = scalar(k.value, where, at)) {
          if (auto d = duration(*t)) x.timer = At<std::optional<Duration>>{*d, at};
        }
      } else if (k.key == "outcome") {
        const Span at = span(k.value, key_span);
        if (k.value.IsNull()) {
          x.outcome = At<std::optional<std::string>>{std::nullopt, at};
        } else if (auto t = scalar(k.value, where, at)) {
          if (p) known(*t, names.outcomes, "outcome", *p);
          x.outcome = At<std::optional<std::string>>{t->value, t->span};
        }
      } else if (k.key == "slots") {
        if (!want(k.value, YAML::NodeType::Map, where, "a mapping", key_span)) continue;
        for (const Entry& s : entries(k.value, {}, where)) {
          Text name{s.key, span(s.key_node)};
          if (p) known(name, names.slots, "slot", *p);
          if (auto v = scalar(s.value, text::cat("the value of slot `", s.key, "`"), name.span))
            x.slots.push_back({std::move(name), std::move(*v)});
        }
      }
    }
  }

  std::optional<Duration> duration(const Text& t) {
    if (auto d = text::parse_duration(t.value)) return d;
    report(Code::T0008, t.span, text::cat("invalid duration `", t.value, "`")).hint =
        "a duration is number-unit pairs without spaces: 30s, 2m, 1h30m, 1500ms (units ms, s, m, h, d)";
    return std::nullopt;
  }

  Step step(const YAML::Node& node, std::size_t number, const Program* p, const Names& names) {
    Step st;
    st.span = span(node);
    if (!want(node, YAML::NodeType::Map, text::cat("step ", number), "a mapping", st.span)) return st;
    const Entry* action = nullptr;
    const Entry* refused = nullptr;
    const std::vector<Entry> all = entries(node, kStepKeys, "a step");
    for (const Entry& e : all) {
      if (e.key == "expect") {
        expectations(e, st, p, names);
        continue;
      }
      if (e.key == "refused") {
        refused = &e;
        continue;
      }
      if (action != nullptr) {
        Diagnostic& d = report(Code::T0006, span(e.key_node), text::cat("step ", number, " has both `", action->key, "` and `", e.key, "`"));
        d.hint = "a step does one thing (send, input or wait); split it into two steps";
        continue;
      }
      action = &e;
      const std::string where = text::cat("`", e.key, "`");
      if (e.key == "send") {
        st.action = Action::Send;
        if (auto t = scalar(e.value, where, span(e.key_node))) {
          st.subject = *t;
          if (p && known(*t, names.events, "event", *p)) st.event = *p->event_id(t->value);
        }
      } else if (e.key == "wait") {
        st.action = Action::Wait;
        if (auto t = scalar(e.value, where, span(e.key_node))) {
          st.subject = *t;
          if (auto d = duration(*t)) st.wait = *d;
        }
      } else {
        st.action = Action::Input;
        if (!want(e.value, YAML::NodeType::Map, where, "a mapping of slot names to values", span(e.key_node))) continue;
        for (const Entry& s : entries(e.value, {}, where)) {
          Text name{s.key, span(s.key_node)};
          if (st.subject.value.empty()) st.subject = name;
          const bool ok = p == nullptr || known(name, names.slots, "slot", *p);
          auto v = scalar(s.value, text::cat("the value of slot `", s.key, "`"), name.span);
          if (v && ok) st.inputs.push_back({p ? *p->slot_id(s.key) : 0, std::move(*v)});
        }
        if (e.value.size() == 0) report(Code::T0004, span(e.key_node), "`input` needs at least one slot");
      }
    }
    const bool has_expect = std::any_of(all.begin(), all.end(), [](const Entry& e) { return e.key == "expect"; });
    if (action == nullptr && !has_expect)
      report(Code::T0004, st.span, text::cat("step ", number, " does nothing")).hint = "give it `send`, `input`, `wait` or `expect`";
    if (refused != nullptr) {
      if (auto t = scalar(refused->value, "`refused`", span(refused->key_node))) {
        std::vector<std::string_view> statuses;
        for (Status s : kRefusals) statuses.push_back(to_string(s));
        if (action == nullptr || st.action == Action::Wait)
          report(Code::T0004, span(refused->key_node), "`refused` needs a `send` or an `input` in the same step");
        else if (std::find(statuses.begin(), statuses.end(), t->value) != statuses.end())
          st.refused = *t;
        else
          report(Code::T0007, t->span, text::cat("no refusal named `", t->value, "`")).hint = text::cat("expected one of ", join(statuses));
      }
    }
    if (action) st.label = text::cat(action->key, ": ", st.subject.value);
    else st.label = "expect";
    return st;
  }
};

Reader::Reader(const SourceFile& source, Diagnostics& diags) : impl_(new Impl{source, diags, {}, {}, {}, {}, false}) {}
Reader::~Reader() = default;

std::optional<Text> Reader::header() {
  Impl& m = *impl_;
  if (auto bad = m.src.invalid_utf8()) {
    m.report(Code::T0001, {*bad, *bad + 1}, "transcript is not valid UTF-8");
    return std::nullopt;
  }
  try {
    m.root = YAML::Load(m.src.text());
  } catch (const YAML::Exception& e) {
    const std::uint32_t at = m.offset(e.mark);
    m.report(Code::T0001, {at, at + 1}, text::cat("transcript is not valid YAML: ", e.msg));
    return std::nullopt;
  }
  if (!m.root.IsMap()) {
    m.report(Code::T0003, m.span(m.root), text::cat("a transcript must be a mapping with `script` and `steps`, not ", Impl::shape(m.root)));
    return std::nullopt;
  }
  std::optional<Text> script;
  bool has_steps = false;
  for (const Entry& e : m.entries(m.root, kTopKeys, "a transcript")) {
    if (e.key == "script") script = m.scalar(e.value, "`script`", m.span(e.key_node));
    else if (e.key == "strings") m.strings = m.scalar(e.value, "`strings`", m.span(e.key_node));
    else if (e.key == "start") {
      if (auto v = m.scalar(e.value, "`start`", m.span(e.key_node))) {
        m.start = text::parse_instant(v->value);
        if (!m.start)
          m.report(Code::T0003, v->span, "`start` must be a time with its UTC offset, like 2025-03-03T09:00+08:00").hint =
              "the virtual clock starts there; without `start` it starts at 1970-01-01T00:00Z";
      }
    }
    else if (e.key == "description") m.scalar(e.value, "`description`", m.span(e.key_node));
    else if (m.want(e.value, YAML::NodeType::Sequence, "`steps`", "a list", m.span(e.key_node))) {
      has_steps = true;
      m.steps = e.value;
    }
  }
  const Span top = {0, m.token_end(0)};
  const YAML::Node& root = m.root;  // const: operator[] must not add the key
  if (!root["script"].IsDefined())
    m.report(Code::T0004, top, "the transcript names no `script`").hint = "add `script: PATH` (a .call or .callbc file, relative to the transcript)";
  if (!root["steps"].IsDefined())
    m.report(Code::T0004, top, "the transcript has no `steps`");
  m.usable = script.has_value() && has_steps;
  return m.usable ? script : std::nullopt;
}

std::optional<Text> Reader::strings() const { return impl_->strings; }
Instant Reader::start() const { return impl_->start.value_or(Instant{}); }

std::vector<Step> Reader::steps(const Program* program) {
  Impl& m = *impl_;
  std::vector<Step> out;
  if (!m.usable) return out;
  const Impl::Names names = program ? Impl::names_of(*program) : Impl::Names{};
  try {
    std::size_t number = 0;
    for (const YAML::Node& node : m.steps) out.push_back(m.step(node, ++number, program, names));
  } catch (const YAML::Exception& e) {  // not expected: every access above checks the node's type
    const std::uint32_t at = m.offset(e.mark);
    m.report(Code::T0001, {at, at + 1}, text::cat("transcript could not be read: ", e.msg));
  }
  return out;
}

}  // namespace callscript::transcript
