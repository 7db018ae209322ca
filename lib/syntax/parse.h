// The syntax stage: UTF-8 text in, AST out, with every lexical and syntax error reported.
#pragma once

#include "syntax/ast.h"

#include <optional>

namespace callscript::syntax {

// Limits that keep hostile input from exhausting memory or the parser's stack.
inline constexpr std::size_t kMaxSourceBytes = 4u << 20;
inline constexpr std::size_t kMaxNesting = 64;

// Returns the AST, or nothing when the file could not be parsed at all. Syntax errors are
// reported to `diags`; when there are any, the AST holds what could be recovered. `file` is the
// id spans carry: 0 for the file being compiled, Diagnostics::add_source's for an import.
std::optional<ast::Script> parse(const SourceFile& source, Diagnostics& diags, std::uint16_t file = 0);

}  // namespace callscript::syntax
