// The texts of a string table (<callscript/string_table.h>) as the linter reads them: each prompt's
// text with the YAML bytes that wrote each of its bytes, so that a finding points into the table.
// The table is read after apply_string_table accepted it: what it would refuse is not reported
// again here, only left out.
#pragma once

#include "syntax/ast.h"

#include <callscript/diagnostics.h>

#include <optional>
#include <string>
#include <vector>

namespace callscript::lint {

struct TableText {
  std::string id;
  Span key;            // the id in the YAML
  ast::Action said;    // a `say` of the text, its offsets in the YAML file
};

struct TableTexts {
  std::optional<std::string> locale;
  std::vector<TableText> texts;
};

TableTexts read_table_texts(const SourceFile& table);

}  // namespace callscript::lint
