// Building blocks for the lowering passes: AST nodes made from code rather than from source.
// What they make carries the span of what the author wrote, so diagnostics point there.
#pragma once

#include "syntax/ast.h"

#include <memory>
#include <string>

namespace callscript::lower::make {

using Expr = ast::Expr;
using Op = ast::BinaryOp;

inline std::unique_ptr<Expr> name_expr(const std::string& name, Span at) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::Name;
  e->text = name;
  e->span = at;
  return e;
}

inline std::unique_ptr<Expr> int_expr(std::int64_t v, Span at) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::Int;
  e->number = v;
  e->span = at;
  return e;
}

inline std::unique_ptr<Expr> binary(ast::BinaryOp op, std::unique_ptr<Expr> l, std::unique_ptr<Expr> r, Span at) {
  auto e = std::make_unique<Expr>();
  e->kind = Expr::Kind::Binary;
  e->op = op;
  e->lhs = std::move(l);
  e->rhs = std::move(r);
  e->span = at;
  return e;
}

inline ast::Action set_action(const std::string& slot, std::unique_ptr<Expr> value, Span at) {
  ast::Action a;
  a.kind = ast::Action::Kind::Set;
  a.span = at;
  a.name = {slot, at};
  a.value = std::move(value);
  return a;
}

inline std::unique_ptr<Expr> clone(const Expr* e) {
  if (e == nullptr) return nullptr;
  auto c = std::make_unique<Expr>();
  c->kind = e->kind;
  c->span = e->span;
  c->number = e->number;
  c->text = e->text;
  c->op = e->op;
  c->lhs = clone(e->lhs.get());
  c->rhs = clone(e->rhs.get());
  return c;
}

// A fresh copy of an action as the parser made it (before sema fills anything in).
inline ast::Action clone(const ast::Action& from) {
  ast::Action a;
  a.kind = from.kind;
  a.span = from.span;
  a.text = from.text;
  a.text_span = from.text_span;
  a.text_offsets = from.text_offsets;
  a.name = from.name;
  a.value = clone(from.value.get());
  for (const auto& arg : from.args) a.args.push_back({arg.name, clone(arg.value.get())});
  return a;
}

// Sends `to` where `from` goes (`max N -> T` gives one arrow to both kinds of failure).
inline void copy_target(const ast::Transition& from, ast::Transition& to) {
  to.goes = from.goes;
  to.target = from.target;
  to.call = from.call;
  to.failure = from.failure;
  to.arrow_span = from.arrow_span;
}

// A fresh copy of a transition as the parser made it: its trigger, guard, actions and arrow.
inline ast::Transition clone(const ast::Transition& from) {
  ast::Transition t;
  t.trigger = from.trigger;
  t.span = from.span;
  t.event = from.event;
  t.after_ms = from.after_ms;
  t.after_unit = from.after_unit;
  t.after_span = from.after_span;
  t.guard = clone(from.guard.get());
  t.has_block = from.has_block;
  for (const auto& a : from.actions) t.actions.push_back(clone(a));
  copy_target(from, t);
  return t;
}

}  // namespace callscript::lower::make
