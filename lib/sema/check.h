// The semantic stage: resolves names, checks types, and checks the state graph (reachability,
// dead ends, eventless cycles). It annotates the AST in place for codegen.
#pragma once

#include "syntax/ast.h"

namespace callscript::sema {

// Reports to `diags`; returns true when the script has no errors (warnings allowed).
bool check(ast::Script& script, Diagnostics& diags);

// The slot names a MessageFormat pattern refers to, or an error message with the UTF-8 byte
// offset it is about. Uses ICU's MessagePattern, the same parser the runtime renders with.
struct PatternArgs {
  std::vector<std::string> names;
  std::vector<std::uint32_t> offsets;  // byte offset of each name in the pattern
  std::string error;
  std::uint32_t error_offset = 0;
  bool numbered = false;  // the pattern uses {0}-style arguments
};
PatternArgs pattern_args(std::string_view pattern);

}  // namespace callscript::sema
