// The lowering stage: sugar turned into core constructs. It runs before sema rather than after,
// so that sema checks what it generates like anything the author wrote. An `ask` becomes two
// counter slots, reset on entering the state, and ordinary transitions on the `noinput` and
// `nomatch` events that reprompt or, after the maximum, leave. A `campaign` becomes states,
// counters and timers (campaign.cpp says which).
// What it generates carries the span of what the author wrote, so diagnostics on it point there.
#pragma once

#include "syntax/ast.h"

namespace callscript::lower {

// Reports malformed campaigns (E0427, E0428, E0429, and E0203, E0207, E0407, E0423 on their
// settings); returns true when there were none. Runs before lower_asks: a `failed` target may
// sit in an ask's `max` or `filled`.
bool lower_campaigns(ast::Script& script, Diagnostics& diags);

// Reports malformed asks (E0420, E0421, E0203) to `diags`; returns true when there were none.
bool lower_asks(ast::Script& script, Diagnostics& diags);

}  // namespace callscript::lower
