// The values of literal tokens, and the lexical errors only a whole token shows: a bad escape in
// a string (E0103), a number or a duration out of range (E0104). Each returns a usable value
// (what decoded, or 0) after reporting, so that parsing goes on.
#pragma once

#include <callscript/diagnostics.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::syntax {

// A string literal at `token` in `source` (quotes included), its escapes decoded: \" \\ \n \t
// \u{hex}. `offsets`, when given, receives the source byte offset of each decoded byte, so that
// a problem found in the decoded text can be pointed at in the source.
std::string decode_string(std::string_view source, Span token, Diagnostics& diags, std::vector<std::uint32_t>* offsets = nullptr);

// An integer literal (32-bit; `negated`: the literal after a unary minus, which may be 2^31).
std::int64_t decode_integer(std::string_view text, Span token, bool negated, Diagnostics& diags);

// A duration literal (`30s`, `2h`), in milliseconds.
std::int64_t decode_duration(std::string_view text, Span token, Diagnostics& diags);

}  // namespace callscript::syntax
