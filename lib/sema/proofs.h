// Two proofs on the state graph (issue 5), for a script free of other errors: a questionnaire
// flow asks its questions in the order written, none skipped, before it returns (E0435); and an
// ask, once at its maximum, cannot come back to itself without a real event (E0436).
#pragma once

#include "syntax/ast.h"

namespace callscript::sema {

void check_questionnaires(const ast::Script& script, Diagnostics& diags);
void check_ask_loops(const ast::Script& script, Diagnostics& diags);

// Both of the above.
void check_proofs(const ast::Script& script, Diagnostics& diags);

}  // namespace callscript::sema
