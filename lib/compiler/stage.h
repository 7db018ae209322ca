// The compiler's stages by name, and what becomes of an exception that escapes one: an internal
// error of callc (E0900) naming the stage, never a problem of the script.
#pragma once

#include <callscript/diagnostics.h>

#include <string_view>

namespace callscript::compiler {

enum class Stage : std::uint8_t { Parse, Imports, Lower, Sema, Calendar, Codegen, Strings, Prove };

std::string_view stage_name(Stage stage);

// Reports the exception being handled (call it from a catch block) as E0900 in `stage`.
void report_internal_error(Diagnostics& diags, Stage stage);

}  // namespace callscript::compiler
