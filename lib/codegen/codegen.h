// The codegen stage: a checked AST in, a bytecode Image out.
#pragma once

#include "syntax/ast.h"

#include <callscript/bytecode.h>

namespace callscript::codegen {

// `script` must have passed sema::check without errors.
bc::Image generate(const ast::Script& script, const SourceFile& source);

}  // namespace callscript::codegen
