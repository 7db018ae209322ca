#include "prove/prove.h"

#include "prove/checks.h"

namespace callscript::prove {

void prove(const bc::Image& image, const SourceMap* map, Diagnostics& diags, const Options& options) {
  const Graph graph(image);
  Reporter report(graph, map, diags);
  check_questionnaires(graph, report);
  check_ask_loops(graph, report);
  check_commitments(graph, report, options);
}

}  // namespace callscript::prove
