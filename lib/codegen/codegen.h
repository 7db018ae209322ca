// The codegen stage: a checked AST in, a bytecode Image out.
#pragma once

#include "syntax/ast.h"

#include <callscript/bytecode.h>

namespace callscript::codegen {

// `script` must have passed sema::check without errors. `calendar`: the bytes of the business
// calendar the script names (BusinessCalendar::to_bytes), empty when it names none.
bc::Image generate(const ast::Script& script, const SourceFile& source, std::vector<std::uint8_t> calendar);

}  // namespace callscript::codegen
