// The import stage: the libraries a script imports (and the ones they import) are read, parsed
// and merged into the script's AST before anything else looks at it, so that lowering, sema and
// codegen see one script. Each imported file is registered with Diagnostics (add_source) and its
// spans carry its id, so a problem in a library is reported in the library, at its line.
//
// Then `say NAME` takes its phrase's text, with the phrase's span: a bad pattern in a shared
// phrase points into the file that wrote it.
#pragma once

#include "syntax/ast.h"

#include <callscript/compiler.h>

namespace callscript::imports {

// At most this many files are imported into one script, directly or not.
inline constexpr std::size_t kMaxImportedFiles = 64;

// Reports E0430 (cannot read), E0431 (import cycle), E0432 (a library where a script is wanted,
// or the other way round, or an item a library may not hold), E0433 (undefined phrase) and E0204
// (a phrase defined twice), plus any error in an imported file. True when there were none.
// Imported files are read from `sources` only, at their path relative to the importing file.
bool resolve(ast::Script& script, const SourceFile& source, Diagnostics& diags, SourceProvider& sources);

}  // namespace callscript::imports
