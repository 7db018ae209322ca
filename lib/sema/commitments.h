// Proofs about what a script says to the customer, on the state graph (grammar/REFERENCE.md §9):
//
//   E0434  private data (a pii slot in a prompt) is said only once the caller's identity is
//          verified on every path there, flows and handlers included (seeds 000, 002)
//   E0437  a prompt that promises a time limit ("2个工作日内") is said only while an SLA is armed
//          whose deadline, with the 20 % buffer, falls before the promise (seeds 001, 004)
//   E0438  an outbound revisit (a script with a `campaign`) promises no time and no result (002)
//
// Each error shows one offending path, state by state, as notes.
#pragma once

#include "syntax/ast.h"

namespace callscript::sema {

// Runs on a script that sema checked without errors.
void check_commitments(const ast::Script& script, Diagnostics& diags);

}  // namespace callscript::sema
