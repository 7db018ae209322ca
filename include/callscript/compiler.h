// The compiler's front door: .call source in, a bytecode Image and diagnostics out.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <optional>

namespace callscript {

// Parses, checks and generates code for `source`. Every problem goes to `diags` (which must be
// made for `source`); the image is returned only when there were no errors. Never throws.
std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags);

}  // namespace callscript
