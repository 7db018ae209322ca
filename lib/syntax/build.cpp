// The AST builder: walks the parse tree and turns it into the AST, reporting what only shows once
// a construct is whole (an ask's maximum given twice, a campaign's setting of the wrong form);
// the values of literals come from literals.cpp.
#include "syntax/build.h"

#include "syntax/literals.h"
#include "syntax/parse.h"

#include <algorithm>

namespace callscript::syntax {

namespace {

using P = callscript_gen::CallScriptParser;

class Builder {
 public:
  Builder(const SourceFile& source, std::uint16_t file, Diagnostics& diags) : src_(source), file_(file), diags_(diags) {}

  Span span(const antlr4::Token* t) const { return token_span(src_, t, file_); }
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

  // The value of a literal token, its lexical errors reported (syntax/literals.h).
  std::string unquote(antlr4::tree::TerminalNode* n, std::vector<std::uint32_t>* offsets = nullptr) {
    return n ? decode_string(src_.text(), span(n), diags_, offsets) : std::string();
  }
  std::int64_t integer(antlr4::tree::TerminalNode* n, bool negated = false) {
    return n ? decode_integer(n->getText(), span(n), negated, diags_) : 0;
  }
  std::int64_t duration_ms(antlr4::tree::TerminalNode* n) { return n ? decode_duration(n->getText(), span(n), diags_) : 0; }

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
      e->text = name(nm->qname()).text;
    } else {
      binary(c, *e, depth);
    }
    return e;
  }

  void binary(P::ExprContext* c, ast::Expr& e, std::size_t depth) {
    std::vector<P::ExprContext*> operands;
    e.kind = ast::Expr::Kind::Binary;
    // The operator token is missing only in a tree recovered from a syntax error, which sema
    // never sees; the rule's first operator stands in for it.
    const auto op = [](antlr4::Token* t, ast::BinaryOp missing) {
      return t ? ast::binary_op(t->getText()).value_or(missing) : missing;
    };
    if (auto* x = dynamic_cast<P::AddExprContext*>(c)) operands = x->expr(), e.op = op(x->op, ast::BinaryOp::Add);
    else if (auto* y = dynamic_cast<P::CompareExprContext*>(c)) operands = y->expr(), e.op = op(y->op, ast::BinaryOp::Lt);
    else if (auto* z = dynamic_cast<P::EqualExprContext*>(c)) operands = z->expr(), e.op = op(z->op, ast::BinaryOp::Eq);
    else if (auto* a = dynamic_cast<P::AndExprContext*>(c)) operands = a->expr(), e.op = ast::BinaryOp::And;
    else if (auto* o = dynamic_cast<P::OrExprContext*>(c)) operands = o->expr(), e.op = ast::BinaryOp::Or;
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
    } else if (auto* phrase = dynamic_cast<P::SayPhraseActionContext*>(c)) {
      a.kind = ast::Action::Kind::Say;
      a.name = name(phrase->IDENT());
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
      const ast::Duration d = duration(after->duration());
      t.after_ms = d.amount;
      t.after_unit = d.unit == ast::Duration::Unit::Wall       ? bc::DurationUnit::Wall
                     : d.unit == ast::Duration::Unit::WorkTime ? bc::DurationUnit::WorkTime
                                                               : bc::DurationUnit::WorkDays;
      t.after_span = d.span;
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
    } else if (auto* failed = dynamic_cast<P::FailedTargetContext*>(to)) {
      expect_word(failed->word, "failed", "`-> CAMPAIGN failed \"REASON\"` reports a failed dial to a campaign");
      if (failed->campaignName) t.target = ast::Name{failed->campaignName->getText(), span(failed->campaignName)};
      if (failed->STRING()) t.failure = ast::Name{unquote(failed->STRING()), span(failed->STRING())};
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

  void expect_word(antlr4::Token* word, std::string_view want, std::string_view hint) {
    if (word && word->getText() != want)
      diags_.report(Code::E0100, span(word), "unexpected `" + word->getText() + "`; expected `" + std::string(want) + "`").hint = hint;
  }

  // The clauses as written; whether they are complete and make sense is the lowering's check.
  ast::Campaign campaign(P::CampaignContext* c) {
    ast::Campaign k;
    k.name = name(c->IDENT());
    k.span = span(c);
    auto twice = [&](Span at, Span first, const std::string& what) {
      if (first.end == first.begin) return false;
      diags_.report(Code::E0427, at, "the campaign's `" + what + "` is given twice").notes.push_back({first, "first given here"});
      return true;
    };
    auto exit = [&](auto* clause) {
      ast::Transition t;
      t.span = span(clause->getStart());
      block(clause->block(), t);
      target(clause->arrow(), t);
      return t;
    };
    for (auto* clause : c->campaignClause()) {
      if (auto* fail = dynamic_cast<P::FailClauseContext*>(clause)) {
        expect_word(fail->word, "fail", "`on EVENT fail \"REASON\"` files a dial outcome under one of the outbound calling manual's failure reasons (回访不成功原因)");
        k.failures.push_back({name(fail->qname()), fail->STRING() ? ast::Name{unquote(fail->STRING()), span(fail->STRING())} : ast::Name{}});
      } else if (auto* conn = dynamic_cast<P::ConnectClauseContext*>(clause)) {
        ast::Transition t = exit(conn);
        t.event = name(conn->qname());
        if (k.connected) twice(span(clause), k.connected->span, "on ... ->");
        else k.connected = std::move(t);
      } else if (auto* ex = dynamic_cast<P::ExitClauseContext*>(clause)) {
        const std::string key = ex->key ? ex->key->getText() : "";
        std::optional<ast::Transition>* slot = key == "exhausted" ? &k.exhausted : key == "no_numbers" ? &k.no_numbers : nullptr;
        if (slot == nullptr) {
          auto& d = diags_.report(Code::E0427, span(ex->key), "a campaign has no way out called `" + key + "`");
          d.hint = "the ways out are `exhausted -> STATE` (every pass used up) and `no_numbers -> STATE` (nothing left to dial)";
        } else if (!*slot || !twice(span(clause), (*slot)->span, key)) {
          *slot = exit(ex);
        }
      } else if (auto* set = dynamic_cast<P::SettingClauseContext*>(clause)) {
        setting(k, set, twice);
      }
    }
    return k;
  }

  template <class Twice>
  void setting(ast::Campaign& k, P::SettingClauseContext* set, Twice& twice) {
    const std::string key = set->key ? set->key->getText() : "";
    const Span at = span(set);
    P::CampaignValueContext* v = set->campaignValue();
    auto wrong = [&](const std::string& want) {
      diags_.report(Code::E0427, span(v), "`" + key + "` takes " + want);
    };
    if (key == "numbers") {
      auto* slot = dynamic_cast<P::SlotValueContext*>(v);
      if (!slot || !slot->passCount().empty()) return wrong("the number slot that holds how many numbers the task has");
      if (k.numbers && twice(at, k.numbers->span, key)) return;
      k.numbers = name(slot->IDENT());
    } else if (key == "passes") {
      if (k.passes_span.end > k.passes_span.begin && twice(at, k.passes_span, key)) return;
      k.passes_span = at;
      if (auto* count = dynamic_cast<P::CountValueContext*>(v)) {
        k.passes = integer(count->INT());
      } else if (auto* by = dynamic_cast<P::SlotValueContext*>(v); by && !by->passCount().empty()) {
        k.passes_by = name(by->IDENT());
        for (auto* pc : by->passCount()) k.passes_table.push_back({name(pc->IDENT()), integer(pc->INT())});
      } else {
        wrong("a count (`passes: 4`) or a count per member of an enum slot (`passes: revisit_type { new_policy: 4, ... }`)");
      }
    } else if (key == "interval") {
      auto* d = dynamic_cast<P::IntervalValueContext*>(v);
      if (!d) return wrong("a duration, such as `6h`");
      if (twice(at, k.interval_span, key)) return;
      k.interval_ms = duration_ms(d->DURATION());
      k.interval_span = at;
    } else if (key == "ring") {
      auto* r = dynamic_cast<P::RingValueContext*>(v);
      if (!r) return wrong("a ring limit, such as `7 ring or 30s` (the 7th `ring` event, or 30 s without an answer)");
      if (twice(at, k.ring_span, key)) return;
      k.ring_max = integer(r->INT());
      k.ring_event = name(r->qname());
      k.ring_ms = duration_ms(r->DURATION());
      k.ring_span = at;
    } else if (key == "hours") {
      if (!dynamic_cast<P::CalendarValueContext*>(v)) return wrong("`calendar`: dial only in the calendar's working time");
      if (twice(at, k.hours_span, key)) return;
      k.hours = true;
      k.hours_span = at;
    } else {
      static const std::vector<std::string_view> kKeys = {"numbers", "passes", "interval", "ring", "hours"};
      auto& d = diags_.report(Code::E0427, span(set->key), "a campaign has no setting `" + key + "`");
      if (auto best = closest_name(key, kKeys)) d.hint = "did you mean `" + *best + "`?";
      else d.hint = "the settings are numbers, passes, interval, ring and hours";
    }
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

  ast::Script file(P::FileContext* f) {
    if (f->script()) return script(f->script());
    ast::Script s;
    if (P::LibraryContext* lib = f->library()) {
      s.library = true;
      s.span = span(lib);
      s.name = lib->name ? ast::Name{lib->name->getText(), span(lib->name)} : ast::Name{};
      items(s, lib->item());
      for (auto* item : lib->item()) {
        const bool shared = dynamic_cast<P::SlotItemContext*>(item) || dynamic_cast<P::EventItemContext*>(item) ||
                            dynamic_cast<P::EffectItemContext*>(item) || dynamic_cast<P::FlowItemContext*>(item) ||
                            dynamic_cast<P::PhraseItemContext*>(item) || dynamic_cast<P::ImportItemContext*>(item);
        if (!shared) s.not_in_library.push_back(span(item));
      }
    }
    return s;
  }

  ast::Script script(P::ScriptContext* c) {
    ast::Script s;
    s.span = span(c);
    s.name = c->name ? ast::Name{c->name->getText(), span(c->name)} : ast::Name{};
    if (c->title) s.title = {unquote(c->STRING()), span(c->title), true};
    items(s, c->item());
    return s;
  }

  void items(ast::Script& s, const std::vector<P::ItemContext*>& list) {
    for (auto* item : list) {
      if (auto* x = dynamic_cast<P::TitleItemContext*>(item)) meta(s.title, unquote(x->STRING()), span(item), "title");
      else if (auto* l = dynamic_cast<P::LocaleItemContext*>(item)) meta(s.locale, unquote(l->STRING()), span(item), "locale");
      else if (auto* ch = dynamic_cast<P::ChannelItemContext*>(item)) meta(s.channel, ch->IDENT() ? ch->IDENT()->getText() : "", span(item), "channel");
      else if (auto* slot = dynamic_cast<P::SlotItemContext*>(item)) {
        ast::Slot sl{name(slot->IDENT()), type(slot->type()), slot->pii != nullptr, slot->host != nullptr, slot->identity != nullptr, nullptr};
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
      } else if (auto* imp = dynamic_cast<P::ImportItemContext*>(item)) {
        s.imports.push_back({unquote(imp->STRING()), span(imp->STRING())});
      } else if (auto* ph = dynamic_cast<P::PhraseItemContext*>(item)) {
        ast::Phrase phrase{name(ph->IDENT()), "", span(ph->STRING()), {}};
        phrase.text = unquote(ph->STRING(), &phrase.text_offsets);
        s.phrases.push_back(std::move(phrase));
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
      } else if (auto* ci = dynamic_cast<P::CampaignItemContext*>(item)) {
        if (ci->campaign()) s.campaigns.push_back(campaign(ci->campaign()));
      } else if (auto* fi = dynamic_cast<P::FlowItemContext*>(item)) {
        if (!fi->flow()) continue;
        ast::Flow f{name(fi->flow()->IDENT()), span(fi->flow()), s.states.size(), 0, {}, fi->flow()->questionnaire != nullptr};
        for (auto* member : fi->flow()->state()) {
          s.states.push_back(state(member));
          s.states.back().flow = static_cast<std::int32_t>(s.flows.size());
        }
        for (auto* handler : fi->flow()->transition()) f.handlers.push_back(transition(handler));
        f.state_count = s.states.size() - f.first_state;
        s.flows.push_back(std::move(f));
      }
    }
  }

 private:
  const SourceFile& src_;
  std::uint16_t file_;
  Diagnostics& diags_;
  bool depth_reported_ = false;
};

}  // namespace

Span token_span(const SourceFile& source, const antlr4::Token* t, std::uint16_t file) {
  if (!t || t->getType() == antlr4::Token::EOF) {
    const auto end = static_cast<std::uint32_t>(source.text().size());
    if (t && t->getStartIndex() != INVALID_INDEX)
      return {source.byte_offset(t->getStartIndex()), source.byte_offset(t->getStartIndex()), file};
    return {end, end, file};
  }
  return {source.byte_offset(t->getStartIndex()), source.byte_offset(t->getStopIndex() + 1), file};
}

ast::Script build_script(callscript_gen::CallScriptParser::FileContext* tree, const SourceFile& source, std::uint16_t file,
                         Diagnostics& diags) {
  return Builder(source, file, diags).file(tree);
}

}  // namespace callscript::syntax
