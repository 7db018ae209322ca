#include "codegen/codegen.h"

#include <callscript/opcodes.h>

#include <algorithm>
#include <map>
#include <span>
#include <unordered_map>

namespace callscript::codegen {

namespace {

using bc::Op;

class Generator {
 public:
  Generator(const ast::Script& s, const Diagnostics& files, std::vector<std::uint8_t> calendar, prove::SourceMap& map)
      : script_(s), files_(files), calendar_(std::move(calendar)), map_(map) {}

  bc::Image run() {
    auto& sc = img_.script;
    sc.name = str(script_.name.text);
    sc.title = str(script_.title.value);
    sc.locale = str(script_.locale.given ? script_.locale.value : "zh-CN");
    sc.channel = str(script_.channel.given ? script_.channel.value : "phone");
    sc.source = str(files_.source().name());
    sc.start_state = static_cast<std::uint32_t>(script_.start_index);
    sc.noinput_event = script_.noinput_event >= 0 ? static_cast<std::uint32_t>(script_.noinput_event) : bc::kNone;
    sc.nomatch_event = script_.nomatch_event >= 0 ? static_cast<std::uint32_t>(script_.nomatch_event) : bc::kNone;
    for (const auto& slot : script_.slots) slot_record(slot);
    for (const auto& ev : script_.events)
      img_.events.push_back({str(ev.name.text), ev.label.empty() ? bc::kNone : str(ev.label)});

    // States first, so that transitions can be laid out in one run per state.
    for (const auto& st : script_.states) {
      bc::State rec;
      // A flow's states are named `flow.state` in the program, so names stay unique.
      begin_scope(st.flow < 0 ? st.name.text : script_.flows[static_cast<std::size_t>(st.flow)].name.text + "." + st.name.text,
                  &st.entry, st.transitions);
      rec.name = str(scope_);
      rec.outcome = st.final ? str(st.outcome.text) : bc::kNone;
      rec.line = line(st.name.span);
      map_.states.push_back(st.name.span);
      rec.flow = st.flow < 0 ? bc::kNone : static_cast<std::uint32_t>(st.flow);
      if (st.ask) {
        rec.ask_first = static_cast<std::uint32_t>(img_.ask_slots.size());
        rec.ask_count = static_cast<std::uint32_t>(st.ask->slot_indices.size());
        for (std::int32_t slot : st.ask->slot_indices) img_.ask_slots.push_back(static_cast<std::uint32_t>(slot));
      }
      rec.entry = actions(st.entry);
      rec.first_transition = static_cast<std::uint32_t>(img_.transitions.size());
      for (const auto& t : st.transitions) transition(t);
      rec.transition_count = static_cast<std::uint32_t>(img_.transitions.size()) - rec.first_transition;
      img_.states.push_back(rec);
    }
    begin_scope("@handlers", nullptr, script_.handlers);
    sc.first_handler = static_cast<std::uint32_t>(img_.transitions.size());
    for (const auto& h : script_.handlers) transition(h);
    sc.handler_count = static_cast<std::uint32_t>(img_.transitions.size()) - sc.first_handler;
    for (const auto& f : script_.flows) {
      begin_scope(f.name.text + ".@handlers", nullptr, f.handlers);
      bc::Flow rec{str(f.name.text), static_cast<std::uint32_t>(img_.transitions.size()), 0};
      for (const auto& h : f.handlers) transition(h);
      rec.handler_count = static_cast<std::uint32_t>(img_.transitions.size()) - rec.first_handler;
      img_.flows.push_back(rec);
    }
    for (const auto& sla : script_.slas) {
      begin_scope("@sla." + sla.name.text, nullptr, std::span(&sla.breach, 1));
      using U = ast::Duration::Unit;
      bc::Sla rec;
      rec.name = str(sla.name.text);
      rec.unit = sla.duration.unit == U::Wall ? bc::DurationUnit::Wall
                 : sla.duration.unit == U::WorkTime ? bc::DurationUnit::WorkTime : bc::DurationUnit::WorkDays;
      rec.promise = sla.promise ? 1 : 0;
      rec.amount = sla.duration.amount;
      rec.breach = static_cast<std::uint32_t>(img_.transitions.size());
      transition(sla.breach);
      img_.transitions.back().trigger = bc::Trigger::Breach;
      img_.transitions.back().event = bc::kNone;
      img_.slas.push_back(rec);
    }
    img_.calendar = calendar_;
    if (!script_.campaigns.empty()) img_.script_kind |= bc::kScriptRevisit;
    if (std::any_of(script_.flows.begin(), script_.flows.end(), [](const ast::Flow& f) { return f.questionnaire; }))
      for (const auto& f : script_.flows) img_.flow_kinds.push_back(f.questionnaire ? bc::kFlowQuestionnaire : 0);
    return std::move(img_);
  }

 private:
  // Prompt ids number a scope's `say`s (`greet.1`, `greet.2`) in source order, whatever order
  // codegen meets them in: the lowering puts an ask's way out before its reprompts.
  void begin_scope(std::string name, const std::vector<ast::Action>* entry, std::span<const ast::Transition> transitions) {
    scope_ = std::move(name);
    std::vector<std::uint64_t> at;
    const auto add = [&](const std::vector<ast::Action>& list) {
      for (const auto& a : list)
        if (a.kind == ast::Action::Kind::Say && a.name.text.empty()) at.push_back(key(a.text_span));
    };
    if (entry) add(*entry);
    for (const auto& t : transitions) add(t.actions);
    std::sort(at.begin(), at.end());
    at.erase(std::unique(at.begin(), at.end()), at.end());
    says_ = std::move(at);
  }

  // N of a say's id in the current scope: its place among the scope's says in the source.
  std::uint32_t ordinal(Span text_span) const {
    return static_cast<std::uint32_t>(std::lower_bound(says_.begin(), says_.end(), key(text_span)) - says_.begin() + 1);
  }

  // A place in the sources: in the script or in a file it imports.
  static std::uint64_t key(Span s) { return std::uint64_t{s.file} << 32 | s.begin; }

  std::uint32_t str(const std::string& s) {
    auto [it, fresh] = strings_.emplace(s, static_cast<std::uint32_t>(img_.strings.size()));
    if (fresh) img_.strings.push_back(s);
    return it->second;
  }

  // Lines are stored for traces and the disassembler; computed from the span's byte offset.
  // 0 for what an imported file wrote: a line number alone would point into the wrong file.
  std::uint32_t line(Span s) const { return s.file == 0 ? files_.source().position(s.begin).line : 0; }

  void slot_record(const ast::Slot& slot) {
    bc::Slot rec;
    rec.name = str(slot.name.text);
    rec.type = slot.type.kind;
    rec.digits = slot.type.digits;
    rec.flags = static_cast<std::uint8_t>((slot.pii ? bc::kSlotPii : 0) | (slot.host ? bc::kSlotHost : 0) |
                                          (slot.identity ? bc::kSlotIdentity : 0));
    if (rec.type == bc::SlotType::Enum) {
      rec.enum_first = static_cast<std::uint32_t>(img_.enum_members.size());
      rec.enum_count = static_cast<std::uint32_t>(slot.type.members.size());
      for (const auto& m : slot.type.members) img_.enum_members.push_back(str(m.text));
    }
    if (const auto* init = slot.init.get()) {
      switch (init->kind) {
        case ast::Expr::Kind::Str: rec.init_str = str(init->text); break;
        case ast::Expr::Kind::Neg: rec.init_int = -init->lhs->number; break;
        case ast::Expr::Kind::Name: rec.init_int = init->member; break;
        default: rec.init_int = init->number;
      }
    }
    img_.slots.push_back(rec);
  }

  void transition(const ast::Transition& t) {
    using T = ast::Transition::Trigger;
    bc::Transition rec;
    rec.trigger = t.trigger == T::Event    ? bc::Trigger::Event
                  : t.trigger == T::After  ? bc::Trigger::After
                  : t.trigger == T::Filled ? bc::Trigger::Filled
                                           : bc::Trigger::Eventless;
    rec.event = t.event_index >= 0 ? static_cast<std::uint32_t>(t.event_index) : bc::kNone;
    rec.after_ms = t.after_ms;
    rec.after_unit = t.after_unit;
    rec.line = line(t.span);
    map_.transitions.push_back(t.span);
    if (t.guard) {
      rec.guard = static_cast<std::uint32_t>(img_.code.size());
      expr(*t.guard);
      op(Op::Ret);
    }
    rec.action = actions(t.actions);
    rec.target = t.target_index >= 0 ? static_cast<std::uint32_t>(t.target_index) : bc::kNone;
    if (t.goes == ast::Transition::Goes::Return) rec.target = bc::kReturn;
    if (t.goes == ast::Transition::Goes::Call)
      rec.call = static_cast<std::uint32_t>(script_.flows[static_cast<std::size_t>(t.call_index)].first_state);
    img_.transitions.push_back(rec);
  }

  std::uint32_t actions(const std::vector<ast::Action>& list) {
    if (list.empty()) return bc::kNone;
    const auto start = static_cast<std::uint32_t>(img_.code.size());
    for (const auto& a : list) action(a);
    op(Op::Ret);
    return start;
  }

  void action(const ast::Action& a) {
    switch (a.kind) {
      case ast::Action::Kind::Say: {
        // One prompt (one id) per `say` in the source, even where the lowering copied it (the
        // actions of an ask's `max` run from both of its exits); one per phrase, `phrase.NAME` (`phrase` is a keyword, so no state has that name),
        // wherever it is said, so that a string table translates a standard phrase once.
        auto [it, fresh] = said_.emplace(key(a.text_span), static_cast<std::uint32_t>(img_.prompts.size()));
        if (fresh) {
          const std::string id = a.name.text.empty() ? scope_ + "." + std::to_string(ordinal(a.text_span)) : "phrase." + a.name.text;
          img_.prompts.push_back({str(id), str(a.text), line(a.span)});
          map_.prompts.push_back({a.text_span, a.text_offsets});
        }
        map_.says.emplace(static_cast<std::uint32_t>(img_.code.size()), a.span);
        op(Op::Say, it->second);
        break;
      }
      case ast::Action::Kind::Set:
        expr(*a.value);
        op(Op::Store, static_cast<std::uint32_t>(a.slot));
        break;
      case ast::Action::Kind::Emit: {
        // Arguments go in the declaration's order, whatever order the emit wrote them in, so a
        // host reads them the same way from every emit (expressions are pure: order is free).
        std::vector<std::uint32_t> names;
        for (const auto& param : script_.effects[static_cast<std::size_t>(a.effect)].params)
          for (const auto& arg : a.args)
            if (arg.name.text == param.name.text) {
              expr(*arg.value);
              names.push_back(str(arg.name.text));
            }
        op(Op::Emit, effect(str(a.name.text), names));
        break;
      }
      case ast::Action::Kind::Start: op(Op::SlaStart, static_cast<std::uint32_t>(a.sla)); break;
      case ast::Action::Kind::Stop: op(Op::SlaStop, static_cast<std::uint32_t>(a.sla)); break;
    }
  }

  std::uint32_t effect(std::uint32_t name, const std::vector<std::uint32_t>& args) {
    auto key = args;
    key.insert(key.begin(), name);
    if (auto it = effects_.find(key); it != effects_.end()) return it->second;
    bc::EffectDecl d{name, static_cast<std::uint32_t>(img_.effect_args.size()), static_cast<std::uint32_t>(args.size())};
    img_.effect_args.insert(img_.effect_args.end(), args.begin(), args.end());
    img_.effects.push_back(d);
    const auto index = static_cast<std::uint32_t>(img_.effects.size() - 1);
    effects_.emplace(std::move(key), index);
    return index;
  }

  void expr(const ast::Expr& e) {
    switch (e.kind) {
      case ast::Expr::Kind::Int: push_int(e.number); break;
      case ast::Expr::Kind::Bool: op(Op::PushBool, static_cast<std::uint32_t>(e.number != 0)); break;
      case ast::Expr::Kind::Str: op(Op::PushStr, str(e.text)); break;
      case ast::Expr::Kind::Name:
        if (e.slot >= 0) op(Op::Load, static_cast<std::uint32_t>(e.slot));
        else push_int(e.member);
        break;
      case ast::Expr::Kind::WorkingTime: op(Op::WorkingTime); break;
      case ast::Expr::Kind::Not:
        expr(*e.lhs);
        op(Op::Not);
        break;
      case ast::Expr::Kind::Neg:
        if (e.lhs->kind == ast::Expr::Kind::Int) {
          push_int(-e.lhs->number);
        } else {
          push_int(0);
          expr(*e.lhs);
          op(Op::Sub);
        }
        break;
      case ast::Expr::Kind::Binary:
        expr(*e.lhs);
        expr(*e.rhs);
        op(opcode(e.op));
        break;
    }
  }

  static Op opcode(ast::BinaryOp b) {
    switch (b) {
      case ast::BinaryOp::Add: return Op::Add;
      case ast::BinaryOp::Sub: return Op::Sub;
      case ast::BinaryOp::Lt: return Op::Lt;
      case ast::BinaryOp::Le: return Op::Le;
      case ast::BinaryOp::Gt: return Op::Gt;
      case ast::BinaryOp::Ge: return Op::Ge;
      case ast::BinaryOp::Eq: return Op::Eq;
      case ast::BinaryOp::Ne: return Op::Ne;
      case ast::BinaryOp::And: return Op::And;
      case ast::BinaryOp::Or: return Op::Or;
    }
    return Op::Eq;  // not reached: the switch names every operator
  }

  void push_int(std::int64_t v) { op(Op::PushInt, static_cast<std::uint32_t>(static_cast<std::int32_t>(v))); }

  // Encodes one instruction; the operand width comes from the opcode table.
  void op(Op o, std::uint32_t operand = 0) {
    img_.code.push_back(static_cast<std::uint8_t>(o));
    const std::size_t width = bc::operand_size(bc::kOpInfo[static_cast<std::size_t>(o)].operand);
    for (std::size_t i = 0; i < width; ++i) img_.code.push_back(static_cast<std::uint8_t>(operand >> (8 * i)));
  }

 private:
  const ast::Script& script_;
  const Diagnostics& files_;
  std::vector<std::uint8_t> calendar_;
  prove::SourceMap& map_;
  bc::Image img_;
  std::unordered_map<std::string, std::uint32_t> strings_;
  std::map<std::vector<std::uint32_t>, std::uint32_t> effects_;
  std::unordered_map<std::uint64_t, std::uint32_t> said_;  // a say's source offset -> its prompt
  std::string scope_;
  // The source places of the current scope's says, sorted (a cleared hash map would cost its
  // largest scope's buckets again for every scope).
  std::vector<std::uint64_t> says_;
};

}  // namespace

bc::Image generate(const ast::Script& script, const Diagnostics& files, std::vector<std::uint8_t> calendar, prove::SourceMap& map) {
  return Generator(script, files, std::move(calendar), map).run();
}

}  // namespace callscript::codegen
