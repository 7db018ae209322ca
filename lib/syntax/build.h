// Inside the syntax stage only: the AST builder's entry, and token positions as byte spans. The
// generated parser's classes appear here and in lib/syntax's .cpp files, never further out.
#pragma once

#include "CallScriptParser.h"
#include "syntax/ast.h"

namespace callscript::syntax {

// A token's bytes in `source`, file `file` (ANTLR counts code points); end of file is an empty
// span at the end.
Span token_span(const SourceFile& source, const antlr4::Token* t, std::uint16_t file);

// The AST of a parse tree, which may hold the holes of error recovery.
ast::Script build_script(callscript_gen::CallScriptParser::FileContext* tree, const SourceFile& source, std::uint16_t file,
                         Diagnostics& diags);

}  // namespace callscript::syntax
