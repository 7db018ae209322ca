// A prompt's text as the lint rules read it: the decoded MessageFormat pattern of a `say`, with the
// `{slot}` arguments kept out of the words, each character traced back to its bytes in the .call
// file so that a finding's caret and a fix land on exactly the characters written there.
#pragma once

#include "syntax/ast.h"
#include "text/normalize.h"

#include <unicode/uchar.h>

#include <string>
#include <vector>

namespace callscript::lint {

// Where an argument stood: it never matches a word, and counts as Config::placeholder_length.
inline constexpr UChar32 kSlot = 0xFFFC;

// A code point of a prompt and the source bytes that wrote it: a whole escape such as \u{4F60}.
using text::Glyph;
using text::Glyphs;
using text::is_skipped;
using text::normalize;
using text::span_of;

// The pieces of text a phrase may be found in: the pattern's own text (an argument leaves a kSlot
// that no phrase crosses), and each case of a `select` or `plural` on its own.
std::vector<Glyphs> fragments(const ast::Action& say);

// The text the customer hears at the most: arguments as `placeholder` kSlots, a `select` or
// `plural` as its longest case.
Glyphs reading(const ast::Action& say, std::uint32_t placeholder);

// The sentences of a reading (ICU's sentence break rules for zh), as [begin, end) glyph indices.
std::vector<std::pair<std::size_t, std::size_t>> sentences(const Glyphs& text);

// The clauses of a sentence: split where a comma, semicolon or colon (full- or half-width) makes
// the speaker pause, as [begin, end) glyph indices.
std::vector<std::pair<std::size_t, std::size_t>> clauses(const Glyphs& text, std::size_t begin, std::size_t end);

// Characters as a reader counts them: grapheme clusters (ICU), not bytes or code points; white
// space and punctuation are not read and do not count; a kSlot counts one. Of two words written
// as alternatives (咨询/反馈, 先生/女士) only the longer is said, so the shorter does not count.
std::uint32_t reader_length(const Glyphs& text, std::size_t begin, std::size_t end);

}  // namespace callscript::lint
