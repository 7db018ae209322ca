// The semantic stage: resolves names, checks types, and checks the state graph (reachability,
// dead ends, eventless cycles). It annotates the AST in place for codegen.
#pragma once

#include "syntax/ast.h"

namespace callscript::sema {

// Reports to `diags`; returns true when the script has no errors (warnings allowed).
bool check(ast::Script& script, Diagnostics& diags);

}  // namespace callscript::sema
