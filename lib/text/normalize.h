// Text as the rules read it, shared by the compiler's proofs (sema/promise_text.h) and the linter
// (lint/): each code point keeps the bytes of the original that wrote it, through normalisation,
// so that a finding points at the words as written (an escape, a full-width digit, an ideographic
// space). ICU does every piece of Unicode work: decoding, NFKC, case folding, white space and
// punctuation classes, digit values.
//
// Two readings are built on the normalised text:
//   - compact(): no white space, but what separates two numbers ("３　天" is "3天", "1 2" stays
//     two numbers), for reading numbers and their units;
//   - Folded (skeleton): no white space and no punctuation, for matching words ("尽 快",
//     "尽，快" and "尽　快" are all 尽快).
#pragma once

#include <callscript/diagnostics.h>

#include <unicode/uchar.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::text {

// One code point and the original bytes that wrote it (after normalisation, every code point of
// the few original ones it came from).
struct Glyph {
  UChar32 c;
  Span src;
};
using Glyphs = std::vector<Glyph>;

// UTF-8 as glyphs, each spanning its own bytes of `utf8` (file 0); an ill-formed sequence reads
// as U+FFFD.
Glyphs decode(std::string_view utf8);

// NFKC (and case folded when `fold`): full-width letters, digits and spaces become the ASCII ones,
// compatibility forms the plain ones (① is 1, ㏠ is 1日).
Glyphs normalize(const Glyphs& text, bool fold);

// White space as Unicode defines it: ASCII blanks, tab, line breaks, U+3000 ideographic space.
bool is_space(UChar32 c);
// What is not read: white space, punctuation, control and format characters.
bool is_skipped(UChar32 c);
// A decimal digit of any script, by ICU's Numeric_Type (full-width ones are ASCII after NFKC).
bool is_digit(UChar32 c);

// `text` (normalised) without white space, but a single space where white space stood between
// two digits, so that "1 2" is not read as 12.
Glyphs compact(const Glyphs& text);

// Without white space and punctuation.
Glyphs skeleton(const Glyphs& text);
std::u32string codepoints(const Glyphs& text);
std::string utf8(std::u32string_view text);

// A word of a configuration list as it is matched: NFKC, case folded, without white space and
// punctuation.
std::u32string match_form(std::string_view utf8);

// The original span from glyph `begin` to glyph `end - 1`.
Span span_of(const Glyphs& text, std::size_t begin, std::size_t end);

bool ends_sentence(UChar32 c);
bool latin_letter(UChar32 c);

// --- matching words --------------------------------------------------------------------------

// A text ready for matching: NFKC case folded, and its skeleton (no white space, no punctuation)
// with the index in `folded` of each skeleton character.
struct Folded {
  Glyphs folded, skel;
  std::vector<std::size_t> at;
  std::u32string chars;
};
Folded fold(const Glyphs& raw);

// A list of words to find, with the longer words that contain or overlap one of them and are not a
// hit (不过期 for 不过, 不可能 for 可能). A word starting with `^` is a hit only at the start of a
// sentence (喂 as a greeting).
struct WordList {
  std::vector<std::string> words;
  std::vector<std::string> allow;
};

struct Word {
  std::string text;  // as configured, without a leading ^
  std::u32string form;
  bool sentence_start = false;
};

struct Matcher {
  std::vector<Word> words;
  std::vector<std::u32string> allow;
};
Matcher compile(const WordList& list);

struct Hit {
  const Word* word;
  std::size_t begin, end;  // skeleton indices
};

// Every word of `m` in `f`, longest first where two overlap, none that an allowed longer word
// covers or overlaps; a Latin word only whole (SLA is not a hit inside SLAB).
std::vector<Hit> find(const Matcher& m, const Folded& f);

}  // namespace callscript::text
