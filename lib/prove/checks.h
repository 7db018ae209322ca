// The proofs, each over the program's graph, reporting through one Reporter (prove.h lists them).
#pragma once

#include "prove/report.h"

namespace callscript::prove {

void check_commitments(const Graph& graph, Reporter& report, const Options& options);  // E0434, E0437, E0438
void check_questionnaires(const Graph& graph, Reporter& report);                        // E0435
void check_ask_loops(const Graph& graph, Reporter& report);                             // E0436

}  // namespace callscript::prove
