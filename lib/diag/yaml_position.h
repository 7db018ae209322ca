// Turning yaml-cpp's marks into spans of a SourceFile, shared by the readers of transcripts and
// string tables: yaml-cpp counts lines and columns from 0, columns in bytes, skips a byte-order
// mark, and marks only where a node starts, so the end of its token is found here.
#pragma once

#include <callscript/diagnostics.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace callscript::yamlpos {

// The byte offset of (line, column) as yaml-cpp counts them; the end of the text when the mark
// is unset or out of range.
std::uint32_t offset(const SourceFile& src, int line, int column);

// The end of the token at `begin`: a quoted scalar (to its closing quote), a flow collection (to
// its closing bracket), or a plain scalar (to the `: `, comment, comma or line end after it).
std::uint32_t token_end(std::string_view text, std::uint32_t begin);

// For each byte of the scalar `value` whose token starts at `begin` (its quote, or its first
// character when plain), the bytes of `text` that wrote it, so that a caret can point inside a
// text: an escape such as \u00e9 or a doubled '' maps to its whole spelling. Empty when the value
// cannot be traced on one line (block scalars, folded lines): the caret then covers the whole
// value.
std::vector<Span> scalar_bytes(std::string_view text, std::uint32_t begin, std::string_view value);

}  // namespace callscript::yamlpos
