// The state-graph checks of sema, on an AST whose names are resolved: reachability, dead ends,
// calls that can never end, eventless cycles, and flows that call each other in a cycle or too
// deep. Calls and returns are edges: a call goes to the flow's first state and (when the flow
// returns) to the state named after `then`, or back to the caller; `-> return` goes to every
// place a call of its flow returns to.
#pragma once

#include "syntax/ast.h"

namespace callscript::sema {

// `had_errors`: names failed to resolve, so the checks that would mostly echo them are skipped.
void check_graph(ast::Script& script, Diagnostics& diags, bool had_errors);

}  // namespace callscript::sema
