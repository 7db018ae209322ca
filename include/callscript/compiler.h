// The compiler's front door: .call source in, a bytecode Image and diagnostics out.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <optional>

namespace callscript {

// A string table to apply to the program before it is proved (<callscript/string_table.h>): its
// own problems go to `diags`, made for `table`; the proofs' findings about its texts go to the
// script's diagnostics and point into `table`.
struct StringsToApply {
  const SourceFile& table;
  Diagnostics& diags;
};

// Parses, checks and generates code for `source`, applies `strings` when given, then proves the
// program (E0434-E0438: on the code the session will run, so a string table, an import or a
// lowering cannot slip past them). Every problem goes to `diags` (which must be made for
// `source`); the image is returned only when there were no errors. Never throws.
std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags, const StringsToApply* strings = nullptr);

// The proofs alone, on a verified program from anywhere (a .callbc someone else built): findings
// name states and prompt ids, since there are no sources to point into.
void prove_program(const bc::Image& image, Diagnostics& diags);

}  // namespace callscript
