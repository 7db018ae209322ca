// The only file that sees ANTLR: it lexes, parses with our own error listener, and turns the
// parse tree into the AST. Nothing of ANTLR escapes it.
#include "syntax/parse.h"

#include "CallScriptLexer.h"
#include "CallScriptParser.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

namespace callscript::syntax {

namespace {

using P = callscript_gen::CallScriptParser;
using L = callscript_gen::CallScriptLexer;

constexpr std::size_t kMaxSyntaxErrors = 20;

class Builder {
 public:
  Builder(const SourceFile& source, Diagnostics& diags) : src_(source), diags_(diags) {}

  Span span(const antlr4::Token* t) const {
    if (!t || t->getType() == antlr4::Token::EOF) {
      const auto end = static_cast<std::uint32_t>(src_.text().size());
      if (t && t->getStartIndex() != INVALID_INDEX) return {src_.byte_offset(t->getStartIndex()), src_.byte_offset(t->getStartIndex())};
      return {end, end};
    }
    return {src_.byte_offset(t->getStartIndex()), src_.byte_offset(t->getStopIndex() + 1)};
  }
  Span span(antlr4::tree::TerminalNode* n) const { return n ? span(n->getSymbol()) : Span{}; }
  Span span(antlr4::ParserRuleContext* c) const {
    if (!c || !c->getStart()) return {};
    Span s = span(c->getStart());
    if (c->getStop() && c->getStop()->getStopIndex() != INVALID_INDEX && c->getStop()->getStopIndex() + 1 >= c->getStart()->getStartIndex())
      s.end = std::max(s.end, span(c->getStop()).end);
    return s;
  }
  ast::Name name(antlr4::tree::TerminalNode* n) const { return n ? ast::Name{n->getText(), span(n)} : ast::Name{}; }
  ast::Name name(P::QnameContext* q) const {
    if (!q) return {};
    ast::Name out{"", span(q)};
    for (auto* id : q->IDENT()) {
      if (!out.text.empty()) out.text += '.';
      out.text += id->getText();
    }
    return out;
  }

  // Decodes a string literal's escapes: \" \\ \n \t \u{hex}. `raw` includes the quotes.
  // `offsets`, when given, receives the source byte offset of each decoded byte, so that a
  // problem found in the decoded text can be pointed at in the source.
  std::string unquote(antlr4::tree::TerminalNode* n, std::vector<std::uint32_t>* offsets = nullptr) {
    if (!n) return {};
    const Span s = span(n);
    const std::string_view raw = std::string_view(src_.text()).substr(s.begin, s.end - s.begin);
    std::string out;
    std::uint32_t from = s.begin + 1;  // where the bytes decoded by the previous step came from
    for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
      if (offsets) offsets->resize(out.size(), from);
      from = s.begin + static_cast<std::uint32_t>(i);
      if (raw[i] != '\\') {
        out += raw[i];
        continue;
      }
      const std::size_t at = i++;
      const Span esc{s.begin + static_cast<std::uint32_t>(at), s.begin + static_cast<std::uint32_t>(i + 1)};
      switch (raw[i]) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const std::size_t close = raw.find('}', i);
          std::uint32_t cp = 0;
          const bool braced = i + 1 < raw.size() && raw[i + 1] == '{' && close != std::string_view::npos && close < raw.size() - 1;
          const auto hex = braced ? raw.substr(i + 2, close - i - 2) : std::string_view();
          const auto r = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
          if (!braced || hex.empty() || r.ec != std::errc() || r.ptr != hex.data() + hex.size() || cp > 0x10FFFF ||
              (cp >= 0xD800 && cp <= 0xDFFF)) {
            diags_.report(Code::E0103, {esc.begin, braced ? s.begin + static_cast<std::uint32_t>(close + 1) : esc.end},
                          "invalid unicode escape")
                .hint = "write a code point as \\u{4F60}";
            break;
          }
          char buf[4];
          std::int32_t len = 0;
          U8_APPEND_UNSAFE(buf, len, static_cast<UChar32>(cp));
          out.append(buf, static_cast<std::size_t>(len));
          i = close;
          break;
        }
        default:
          diags_.report(Code::E0103, esc, "invalid escape sequence `\\" + std::string(1, raw[i]) + "`").hint =
              "the escapes are \\\" \\\\ \\n \\t and \\u{...}; a single quote or a brace needs no backslash";
      }
    }
    if (offsets) offsets->resize(out.size(), from);
    return out;
  }

  std::int64_t integer(antlr4::tree::TerminalNode* n, bool negated = false) {
    std::int64_t v = 0;
    if (!n) return 0;
    const std::string t = n->getText();
    const auto r = std::from_chars(t.data(), t.data() + t.size(), v);
    const std::int64_t limit = std::int64_t{std::numeric_limits<std::int32_t>::max()} + (negated ? 1 : 0);
    if (r.ec != std::errc() || v > limit) {
      diags_.report(Code::E0104, span(n), "integer `" + t + "` is out of range").hint =
          "integers are 32-bit: from -2147483648 to 2147483647";
      return 0;
    }
    return v;
  }

  std::int64_t duration_ms(antlr4::tree::TerminalNode* n) {
    if (!n) return 0;
    const std::string t = n->getText();
    std::size_t digits = 0;
    while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
    const std::string unit = t.substr(digits);
    const std::int64_t scale = unit == "ms" ? 1 : unit == "s" ? 1000 : unit == "m" ? 60'000 : unit == "h" ? 3'600'000 : 86'400'000;
    std::int64_t v = 0;
    const auto r = std::from_chars(t.data(), t.data() + digits, v);
    if (r.ec != std::errc() || v > std::numeric_limits<std::int64_t>::max() / scale / 1000) {
      diags_.report(Code::E0104, span(n), "duration `" + t + "` is out of range").hint = "durations go up to about 292 years";
      return 0;
    }
    return v * scale;
  }

  // `depth` bounds the recursion: a flat chain `a + b + c ...` nests as deep as it is long.
  std::unique_ptr<ast::Expr> expr(P::ExprContext* c, std::size_t depth = 0) {
    auto e = std::make_unique<ast::Expr>();
    e->span = span(c);
    if (!c) return e;
    if (depth > kMaxNesting) {
      if (!depth_reported_)
        diags_.report(Code::E0003, e->span, "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep").hint =
            "split it: set a slot to part of it first";
      depth_reported_ = true;
      return e;
    }
    ++depth;
    if (auto* x = dynamic_cast<P::ParenExprContext*>(c)) {
      auto inner = expr(x->expr(), depth);
      inner->span = e->span;
      return inner;
    }
    if (auto* n = dynamic_cast<P::NotExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Not;
      e->lhs = expr(n->expr(), depth);
    } else if (auto* neg = dynamic_cast<P::NegExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Neg;
      // -2147483648 is in range although 2147483648 alone is not.
      if (auto* lit = dynamic_cast<P::IntExprContext*>(neg->expr())) {
        e->lhs = std::make_unique<ast::Expr>();
        e->lhs->span = span(lit);
        e->lhs->number = integer(lit->INT(), true);
      } else {
        e->lhs = expr(neg->expr(), depth);
      }
    } else if (auto* i = dynamic_cast<P::IntExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Int;
      e->number = integer(i->INT());
    } else if (auto* str = dynamic_cast<P::StringExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Str;
      e->text = unquote(str->STRING());
    } else if (dynamic_cast<P::BoolExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Bool;
      e->number = c->getText() == "true";
    } else if (auto* nm = dynamic_cast<P::NameExprContext*>(c)) {
      e->kind = ast::Expr::Kind::Name;
      e->text = nm->IDENT() ? nm->IDENT()->getText() : "";
    } else {
      binary(c, *e, depth);
    }
    return e;
  }

  void binary(P::ExprContext* c, ast::Expr& e, std::size_t depth) {
    std::vector<P::ExprContext*> operands;
    e.kind = ast::Expr::Kind::Binary;
    if (auto* x = dynamic_cast<P::AddExprContext*>(c)) operands = x->expr(), e.op = x->op ? x->op->getText() : "+";
    else if (auto* y = dynamic_cast<P::CompareExprContext*>(c)) operands = y->expr(), e.op = y->op ? y->op->getText() : "<";
    else if (auto* z = dynamic_cast<P::EqualExprContext*>(c)) operands = z->expr(), e.op = z->op ? z->op->getText() : "==";
    else if (auto* a = dynamic_cast<P::AndExprContext*>(c)) operands = a->expr(), e.op = "and";
    else if (auto* o = dynamic_cast<P::OrExprContext*>(c)) operands = o->expr(), e.op = "or";
    e.lhs = expr(operands.size() > 0 ? operands[0] : nullptr, depth);
    e.rhs = expr(operands.size() > 1 ? operands[1] : nullptr, depth);
  }

  ast::Action action(P::ActionContext* c) {
    ast::Action a;
    a.span = span(c);
    if (auto* say = dynamic_cast<P::SayActionContext*>(c)) {
      a.kind = ast::Action::Kind::Say;
      a.text = unquote(say->STRING(), &a.text_offsets);
      a.text_span = span(say->STRING());
    } else if (auto* set = dynamic_cast<P::SetActionContext*>(c)) {
      a.kind = ast::Action::Kind::Set;
      a.name = name(set->IDENT());
      a.value = expr(set->expr());
    } else if (auto* emit = dynamic_cast<P::EmitActionContext*>(c)) {
      a.kind = ast::Action::Kind::Emit;
      a.name = name(emit->IDENT());
      for (auto* arg : emit->arg()) a.args.push_back({name(arg->IDENT()), expr(arg->expr())});
    } else if (auto* start = dynamic_cast<P::StartActionContext*>(c)) {
      a.kind = ast::Action::Kind::Start;
      a.name = name(start->IDENT());
    } else if (auto* stop = dynamic_cast<P::StopActionContext*>(c)) {
      a.kind = ast::Action::Kind::Stop;
      a.name = name(stop->IDENT());
    }
    return a;
  }

  void block(P::BlockContext* b, ast::Transition& t) {
    if (!b) return;
    t.has_block = true;
    for (auto* a : b->action()) t.actions.push_back(action(a));
  }

  ast::Transition transition(P::TransitionContext* c) {
    ast::Transition t;
    t.span = c->getStart() ? span(c->getStart()) : Span{};
    P::ArrowContext* arrow = nullptr;
    if (auto* on = dynamic_cast<P::OnTransitionContext*>(c)) {
      t.trigger = ast::Transition::Trigger::Event;
      t.event = name(on->qname());
      if (on->guard()) t.guard = expr(on->guard()->expr());
      block(on->block(), t);
      arrow = on->arrow();
    } else if (auto* after = dynamic_cast<P::AfterTransitionContext*>(c)) {
      t.trigger = ast::Transition::Trigger::After;
      t.after_ms = duration_ms(after->DURATION());
      t.after_span = span(after->DURATION());
      if (after->guard()) t.guard = expr(after->guard()->expr());
      block(after->block(), t);
      arrow = after->arrow();
    } else if (auto* when = dynamic_cast<P::WhenTransitionContext*>(c)) {
      t.trigger = ast::Transition::Trigger::When;
      t.guard = expr(when->expr());
      block(when->block(), t);
      arrow = when->arrow();
    } else if (auto* always = dynamic_cast<P::AlwaysTransitionContext*>(c)) {
      t.trigger = ast::Transition::Trigger::Always;
      block(always->block(), t);
      arrow = always->arrow();
    }
    target(arrow, t);
    return t;
  }

  void target(P::ArrowContext* arrow, ast::Transition& t) {
    P::TargetContext* to = arrow ? arrow->target() : nullptr;
    if (auto* state = dynamic_cast<P::StateTargetContext*>(to)) {
      if (state->IDENT()) t.target = name(state->IDENT());
    } else if (dynamic_cast<P::ReturnTargetContext*>(to)) {
      t.goes = ast::Transition::Goes::Return;
    } else if (auto* call = dynamic_cast<P::CallTargetContext*>(to)) {
      t.goes = ast::Transition::Goes::Call;
      if (call->flowName) t.call = ast::Name{call->flowName->getText(), span(call->flowName)};
      if (call->then) t.target = ast::Name{call->then->getText(), span(call->then)};
    }
    if (arrow) t.arrow_span = span(arrow);
  }

  ast::Ask ask(P::AskContext* c) {
    ast::Ask a;
    a.span = c->getStart() ? span(c->getStart()) : span(c);
    for (auto* id : c->IDENT()) a.slots.push_back(name(id));
    for (auto* item : c->askItem()) {
      auto reprompt = [&](antlr4::tree::TerminalNode* str) {
        ast::Action say;
        say.kind = ast::Action::Kind::Say;
        say.span = span(item);
        say.text = unquote(str, &say.text_offsets);
        say.text_span = span(str);
        return say;
      };
      if (auto* ni = dynamic_cast<P::NoinputItemContext*>(item)) {
        if (ni->STRING()) a.noinput.push_back(reprompt(ni->STRING()));
      } else if (auto* nm = dynamic_cast<P::NomatchItemContext*>(item)) {
        if (nm->STRING()) a.nomatch.push_back(reprompt(nm->STRING()));
      } else if (auto* mx = dynamic_cast<P::MaxItemContext*>(item)) {
        if (a.max != 0) {
          diags_.report(Code::E0420, span(item), "the ask's maximum is given twice").notes.push_back({a.max_span, "first given here"});
          continue;
        }
        a.max = std::max<std::int64_t>(integer(mx->INT()), 0);
        a.max_span = span(item);
        ast::Transition to;
        to.span = span(item);
        block(mx->block(), to);
        target(mx->arrow(), to);
        a.on_max = std::move(to);
        if (a.max == 0) {
          diags_.report(Code::E0420, span(mx->INT()), "an ask's maximum must be at least 1");
          a.max = 1;
        }
      } else if (auto* fi = dynamic_cast<P::FilledItemContext*>(item)) {
        ast::Transition t;
        t.trigger = ast::Transition::Trigger::Filled;
        t.span = span(fi->getStart());
        if (fi->guard()) t.guard = expr(fi->guard()->expr());
        block(fi->block(), t);
        target(fi->arrow(), t);
        a.filled.push_back(std::move(t));
      }
    }
    return a;
  }

  ast::Duration duration(P::DurationContext* c) {
    ast::Duration d;
    d.span = span(c);
    if (auto* wall = dynamic_cast<P::WallDurationContext*>(c)) {
      d.amount = duration_ms(wall->DURATION());
    } else if (auto* biz = dynamic_cast<P::BusinessDurationContext*>(c)) {
      const std::int64_t n = integer(biz->INT());
      const std::string unit = biz->unit ? biz->unit->getText() : "workdays";
      if (unit.starts_with("workday")) {
        d.unit = ast::Duration::Unit::WorkDays;
        d.amount = n;
      } else {
        d.unit = ast::Duration::Unit::WorkTime;
        d.amount = n * 3'600'000;
      }
    }
    return d;
  }

  ast::State state(P::StateContext* c) {
    ast::State s;
    s.span = span(c);
    if (auto* plain = dynamic_cast<P::PlainStateContext*>(c)) {
      s.name = name(plain->IDENT());
      for (auto* m : plain->member()) {
        if (m->action()) {
          s.entry.push_back(action(m->action()));
          if (!s.transitions.empty())
            diags_.report(Code::W0002, s.entry.back().span, "this runs when `" + s.name.text + "` is entered, not with the transition above it")
                .hint = "move it above the state's transitions, or into the transition's `{ }` if it belongs to it";
        } else if (m->transition()) {
          s.transitions.push_back(transition(m->transition()));
        } else if (m->ask()) {
          if (s.ask) {
            diags_.report(Code::E0420, span(m->ask()->getStart()), "a state asks once; `" + s.name.text + "` already asks")
                    .notes.push_back({s.ask->span, "the first ask"});
            continue;
          }
          s.ask = ask(m->ask());
        }
      }
    } else if (auto* fin = dynamic_cast<P::FinalStateContext*>(c)) {
      s.final = true;
      s.name = name(fin->IDENT(0));
      if (fin->outcome) s.outcome = {fin->outcome->getText(), span(fin->outcome)};
      for (auto* a : fin->action()) s.entry.push_back(action(a));
    }
    return s;
  }

  ast::SlotType type(P::TypeContext* c) {
    ast::SlotType t;
    t.span = span(c);
    if (dynamic_cast<P::NumberTypeContext*>(c)) t.kind = bc::SlotType::Number;
    else if (dynamic_cast<P::BoolTypeContext*>(c)) t.kind = bc::SlotType::Bool;
    else if (auto* d = dynamic_cast<P::DigitsTypeContext*>(c)) {
      t.kind = bc::SlotType::Digits;
      if (d->INT()) {
        const std::int64_t n = integer(d->INT());
        if (n < 1 || n > 64) diags_.report(Code::E0104, span(d->INT()), "a digits length must be between 1 and 64");
        else t.digits = static_cast<std::uint16_t>(n);
      }
    } else if (auto* e = dynamic_cast<P::EnumTypeContext*>(c)) {
      t.kind = bc::SlotType::Enum;
      for (auto* id : e->IDENT()) t.members.push_back(name(id));
    } else if (auto* named = dynamic_cast<P::NamedTypeContext*>(c)) {
      // `phone` and `time` are not keywords, so that slots may still be called phone or time.
      const std::string n = named->IDENT() ? named->IDENT()->getText() : "";
      if (n == "phone") t.kind = bc::SlotType::Phone;
      else if (n == "time") t.kind = bc::SlotType::Time;
      else
        diags_.report(Code::E0100, t.span, "`" + n + "` is not a slot type").hint =
            "the types are text, digits, digits(N), phone, number, bool, time and enum(A, B, ...)";
    }
    return t;
  }

  void meta(ast::Meta& m, std::string value, Span at, std::string_view what) {
    if (m.given) {
      diags_.report(Code::E0206, at, "the script's " + std::string(what) + " is given twice").notes.push_back({m.span, "first given here"});
      return;
    }
    m = {std::move(value), at, true};
  }

  ast::Script script(P::ScriptContext* c) {
    ast::Script s;
    s.span = span(c);
    s.name = c->name ? ast::Name{c->name->getText(), span(c->name)} : ast::Name{};
    if (c->title) s.title = {unquote(c->STRING()), span(c->title), true};
    for (auto* item : c->item()) {
      if (auto* x = dynamic_cast<P::TitleItemContext*>(item)) meta(s.title, unquote(x->STRING()), span(item), "title");
      else if (auto* l = dynamic_cast<P::LocaleItemContext*>(item)) meta(s.locale, unquote(l->STRING()), span(item), "locale");
      else if (auto* ch = dynamic_cast<P::ChannelItemContext*>(item)) meta(s.channel, ch->IDENT() ? ch->IDENT()->getText() : "", span(item), "channel");
      else if (auto* slot = dynamic_cast<P::SlotItemContext*>(item)) {
        ast::Slot sl{name(slot->IDENT()), type(slot->type()), slot->pii != nullptr, slot->host != nullptr, nullptr};
        if (slot->expr()) sl.init = expr(slot->expr());
        s.slots.push_back(std::move(sl));
      } else if (auto* ev = dynamic_cast<P::EventItemContext*>(item)) {
        s.events.push_back({name(ev->qname()), ev->STRING() ? unquote(ev->STRING()) : ""});
      } else if (auto* ef = dynamic_cast<P::EffectItemContext*>(item)) {
        ast::EffectDecl d{name(ef->IDENT()), {}};
        for (auto* prm : ef->param()) {
          const std::string kind = prm->kind ? prm->kind->getText() : "text";
          const auto type = kind == "number" ? ast::Expr::Type::Int : kind == "bool" ? ast::Expr::Type::Bool : ast::Expr::Type::Text;
          d.params.push_back({name(prm->IDENT()), type, prm->pii != nullptr});
        }
        s.effects.push_back(std::move(d));
      } else if (auto* st = dynamic_cast<P::StartItemContext*>(item)) {
        if (s.start) diags_.report(Code::E0206, span(item), "the start state is given twice").notes.push_back({s.start->span, "first given here"});
        else s.start = name(st->IDENT());
      } else if (auto* cal = dynamic_cast<P::CalendarItemContext*>(item)) {
        meta(s.calendar, unquote(cal->STRING()), span(cal->STRING()), "calendar");
      } else if (auto* si = dynamic_cast<P::SlaItemContext*>(item)) {
        P::SlaContext* sc = si->sla();
        if (!sc) continue;
        ast::Sla sla;
        sla.name = name(sc->IDENT());
        if (sc->duration()) sla.duration = duration(sc->duration());
        sla.promise = sc->promise != nullptr;
        sla.breach.span = sla.name.span;
        block(sc->block(), sla.breach);
        target(sc->arrow(), sla.breach);
        s.slas.push_back(std::move(sla));
      } else if (auto* h = dynamic_cast<P::HandlerItemContext*>(item)) {
        if (h->transition()) s.handlers.push_back(transition(h->transition()));
      } else if (auto* sti = dynamic_cast<P::StateItemContext*>(item)) {
        if (sti->state()) s.states.push_back(state(sti->state()));
      } else if (auto* fi = dynamic_cast<P::FlowItemContext*>(item)) {
        if (!fi->flow()) continue;
        ast::Flow f{name(fi->flow()->IDENT()), span(fi->flow()), s.states.size(), 0, {}};
        for (auto* member : fi->flow()->state()) {
          s.states.push_back(state(member));
          s.states.back().flow = static_cast<std::int32_t>(s.flows.size());
        }
        for (auto* handler : fi->flow()->transition()) f.handlers.push_back(transition(handler));
        f.state_count = s.states.size() - f.first_state;
        s.flows.push_back(std::move(f));
      }
    }
    return s;
  }

 private:
  const SourceFile& src_;
  Diagnostics& diags_;
  bool depth_reported_ = false;
};

// Turns ANTLR's reports into our diagnostics: "expected X, found Y" with the token's span.
class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(const Builder& builder, Diagnostics& diags) : builder_(builder), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    // Lexical errors were reported when the tokens were scanned; don't report them twice.
    if (offending && (offending->getType() == L::BAD_CHAR || offending->getType() == L::OPEN_STRING)) return;
    if (++count_ > kMaxSyntaxErrors) return;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    // "a name, `return` or `call`": kinds of token first, then keywords and punctuation.
    std::vector<std::string> words;
    if (parser)
      for (const auto t : parser->getExpectedTokens().toList()) words.push_back(describe(parser->getVocabulary(), t));
    std::stable_partition(words.begin(), words.end(), [](const std::string& w) { return w.front() != '`'; });
    std::string expected;
    const std::size_t shown = std::min<std::size_t>(words.size(), 8);
    for (std::size_t i = 0; i < shown; ++i)
      expected += (i == 0 ? "" : i + 1 == shown && shown == words.size() ? " or " : ", ") + words[i];
    if (shown < words.size()) expected += ", ...";
    const std::string found = !offending || offending->getType() == antlr4::Token::EOF ? "end of file" : "`" + offending->getText() + "`";
    std::string message = "unexpected " + found;
    if (!expected.empty()) message += "; expected " + expected;
    else if (!msg.empty()) message += " (" + msg + ")";
    auto& d = diags_.report(Code::E0100, builder_.span(offending), message);
    if (offending && offending->getType() == L::IDENT && expected.find("`->`") != std::string::npos)
      d.hint = "a transition names its target after `->`";
    if (parser && naming_keyword(*parser, offending)) d.hint = "`" + offending->getText() + "` is a keyword; choose another name";
  }

 private:
  // A keyword where a declaration wanted its name (`state start`): worth saying it's reserved.
  static bool naming_keyword(antlr4::Parser& parser, antlr4::Token* offending) {
    if (!offending || offending->getType() == L::IDENT || offending->getType() == antlr4::Token::EOF) return false;
    const std::string text = offending->getText();
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
    auto* stream = parser.getTokenStream();
    for (auto i = static_cast<std::ptrdiff_t>(offending->getTokenIndex()) - 1; i >= 0; --i) {
      antlr4::Token* before = stream->get(static_cast<std::size_t>(i));
      if (before->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
      static const std::set<std::string> kDeclarations = {"state", "final", "slot", "event", "flow", "script", "start", "call", "then"};
      return kDeclarations.contains(before->getText());
    }
    return false;
  }

  static std::string describe(const antlr4::dfa::Vocabulary& vocab, std::size_t t) {
    switch (t) {
      case L::IDENT: return "a name";
      case L::STRING: return "a string";
      case L::INT: return "an integer";
      case L::DURATION: return "a duration";
      case antlr4::Token::EOF: return "end of file";
    }
    std::string lit = vocab.getLiteralName(t);
    if (lit.size() >= 2 && lit.front() == '\'') return "`" + lit.substr(1, lit.size() - 2) + "`";
    return vocab.getDisplayName(t);
  }

  const Builder& builder_;
  Diagnostics& diags_;
  std::size_t count_ = 0;
};

// Lexical errors, and the nesting bound that keeps the recursive-descent parser off the stack's
// edge. Returns false when parsing must not go on.
bool scan(antlr4::CommonTokenStream& tokens, const Builder& b, const SourceFile& src, Diagnostics& diags) {
  tokens.fill();
  std::size_t depth = 0, unary = 0;
  for (auto* t : tokens.getTokens()) {
    const auto type = t->getType();
    if (type == L::BAD_CHAR) {
      const Span s = b.span(t);
      if (t->getText() == "/" && s.end < src.text().size() && src.text()[s.end] == '*')
      {
        // Everything after it is commented-out text; lexing it as code would only add noise.
        diags.report(Code::E0105, {s.begin, s.end + 1}, "block comment is never closed").hint = "close it with `*/`";
        return false;
      } else
        diags.report(Code::E0101, s, "unexpected character `" + t->getText() + "`");
    } else if (type == L::OPEN_STRING) {
      diags.report(Code::E0102, b.span(t), "string is not closed before the end of the line").hint =
          "close it with `\"`; a string cannot span lines (write \\n for a line break)";
    }
    const std::string text = type == antlr4::Token::EOF ? "" : t->getText();
    if (text == "(") ++depth;
    if (text == ")" && depth > 0) --depth;
    unary = (text == "not" || text == "-") ? unary + 1 : 0;
    if (depth > kMaxNesting || unary > kMaxNesting) {
      diags.report(Code::E0003, b.span(t), "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep").hint =
          "split it: set a slot to part of it first";
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<ast::Script> parse(const SourceFile& source, Diagnostics& diags) {
  if (source.text().size() > kMaxSourceBytes) {
    diags.report(Code::E0002, {0, 0}, "source is " + std::to_string(source.text().size()) + " bytes; the limit is " +
                                          std::to_string(kMaxSourceBytes));
    return std::nullopt;
  }
  if (auto bad = source.invalid_utf8()) {
    diags.report(Code::E0001, {*bad, *bad + 1}, "source is not valid UTF-8").hint = "save the file as UTF-8";
    return std::nullopt;
  }
  Builder builder(source, diags);
  // ANTLR drops a leading byte-order mark, which would shift its code-point positions against
  // ours by one; a space keeps the count and is skipped like the mark would be.
  std::string text = source.text();
  if (text.starts_with("\xEF\xBB\xBF")) text.replace(0, 3, " ");
  antlr4::ANTLRInputStream input(text);
  L lexer(&input);
  lexer.removeErrorListeners();  // BAD_CHAR and OPEN_STRING catch everything the lexer could reject
  antlr4::CommonTokenStream tokens(&lexer);
  if (!scan(tokens, builder, source, diags)) return std::nullopt;

  P parser(&tokens);
  ErrorListener listener(builder, diags);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  P::FileContext* tree = parser.file();
  if (!tree || !tree->script()) return std::nullopt;
  return builder.script(tree->script());
}

}  // namespace callscript::syntax
