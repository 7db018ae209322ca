// The codegen stage: a checked AST in, a bytecode Image out.
#pragma once

#include "prove/prove.h"
#include "syntax/ast.h"

#include <callscript/bytecode.h>

namespace callscript::codegen {

// `script` must have passed sema::check without errors. `files`: the diagnostics the script was
// compiled with, which know its source files (lines of prompts and transitions, which may stand in
// an imported file). `calendar`: the bytes of the business calendar the script names
// (BusinessCalendar::to_bytes), empty when it names none. `map` gets where each state,
// transition, prompt and `say` of the image was written, for the proofs' diagnostics.
bc::Image generate(const ast::Script& script, const Diagnostics& files, std::vector<std::uint8_t> calendar, prove::SourceMap& map);

}  // namespace callscript::codegen
