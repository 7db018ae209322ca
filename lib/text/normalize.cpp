#include "text/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace callscript::text {

Glyphs decode(std::string_view s) {
  Glyphs out;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(s.data());
  const auto n = static_cast<std::int32_t>(std::min<std::size_t>(s.size(), INT32_MAX));
  for (std::int32_t i = 0; i < n;) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, n, c);
    out.push_back({c < 0 ? 0xFFFD : c, {static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(i)}});
  }
  return out;
}

Glyphs normalize(const Glyphs& text, bool fold) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = fold ? icu::Normalizer2::getNFKCCasefoldInstance(status) : icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFKC data");
  Glyphs out;
  // Normalised a chunk at a time, between the points where NFKC cannot join two characters, so
  // that each output character is traced to the few source characters it came from.
  for (std::size_t b = 0; b < text.size();) {
    std::size_t e = b + 1;
    while (e < text.size() && !nfkc->hasBoundaryBefore(text[e].c)) ++e;
    icu::UnicodeString chunk;
    for (std::size_t k = b; k < e; ++k) chunk.append(text[k].c);
    const icu::UnicodeString n = nfkc->normalize(chunk, status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU could not normalise a text");
    const Span src = span_of(text, b, e);
    for (std::int32_t k = 0; k < n.length(); k = n.moveIndex32(k, 1)) out.push_back({n.char32At(k), src});
    b = e;
  }
  return out;
}

bool is_space(UChar32 c) { return u_isUWhiteSpace(c); }

bool is_skipped(UChar32 c) {
  if (u_isUWhiteSpace(c)) return true;
  switch (u_charType(c)) {
    case U_SPACE_SEPARATOR: case U_LINE_SEPARATOR: case U_PARAGRAPH_SEPARATOR: case U_CONTROL_CHAR: case U_FORMAT_CHAR:
    case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION: case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION: case U_INITIAL_PUNCTUATION: case U_FINAL_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

bool is_digit(UChar32 c) { return u_charDigitValue(c) >= 0; }

Glyphs compact(const Glyphs& text) {
  Glyphs out;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if (!is_space(text[k].c)) {
      out.push_back(text[k]);
      continue;
    }
    std::size_t e = k;
    while (e < text.size() && is_space(text[e].c)) ++e;
    if (!out.empty() && is_digit(out.back().c) && e < text.size() && is_digit(text[e].c)) out.push_back({' ', span_of(text, k, e)});
    k = e - 1;
  }
  return out;
}

Glyphs skeleton(const Glyphs& text) {
  Glyphs out;
  std::copy_if(text.begin(), text.end(), std::back_inserter(out), [](const Glyph& g) { return !is_skipped(g.c); });
  return out;
}

std::u32string codepoints(const Glyphs& text) {
  std::u32string out;
  for (const Glyph& g : text) out += static_cast<char32_t>(g.c);
  return out;
}

std::string utf8(std::u32string_view text) {
  std::string out;
  for (const char32_t c : text) icu::UnicodeString(static_cast<UChar32>(c)).toUTF8String(out);
  return out;
}

std::u32string match_form(std::string_view s) { return codepoints(skeleton(normalize(decode(s), true))); }

Span span_of(const Glyphs& text, std::size_t begin, std::size_t end) {
  Span s{text[begin].src.begin, text[begin].src.end, text[begin].src.file};
  for (std::size_t k = begin; k < end; ++k) {
    s.begin = std::min(s.begin, text[k].src.begin);
    s.end = std::max(s.end, text[k].src.end);
  }
  return s;
}

bool ends_sentence(UChar32 c) {
  return c == U'。' || c == '!' || c == '?' || c == '.' || c == ';' || c == U'；' || c == U'…' || c == U'｡';
}

bool latin_letter(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return u_isalpha(c) && uscript_getScript(c, &status) == USCRIPT_LATIN;
}

Folded fold(const Glyphs& raw) {
  Folded f;
  f.folded = normalize(raw, true);
  for (std::size_t k = 0; k < f.folded.size(); ++k) {
    if (is_skipped(f.folded[k].c)) continue;
    f.skel.push_back(f.folded[k]);
    f.at.push_back(k);
    f.chars += static_cast<char32_t>(f.folded[k].c);
  }
  return f;
}

Matcher compile(const WordList& list) {
  Matcher m;
  for (const std::string& w : list.words) {
    const bool start = w.starts_with("^");
    Word word{start ? w.substr(1) : w, {}, start};
    word.form = match_form(word.text);
    if (!word.form.empty()) m.words.push_back(std::move(word));
  }
  for (const std::string& a : list.allow)
    if (auto form = match_form(a); !form.empty()) m.allow.push_back(std::move(form));
  return m;
}

namespace {

// Whether skeleton character `k` starts a sentence: nothing but spaces and punctuation before
// it since the last sentence's end.
bool at_sentence_start(const Folded& f, std::size_t k) {
  for (std::size_t j = f.at[k]; j-- > 0;) {
    if (ends_sentence(f.folded[j].c)) return true;
    if (!is_skipped(f.folded[j].c)) return false;
  }
  return true;
}

bool whole_latin(const Folded& f, std::size_t b, std::size_t e) {
  const auto letter_at = [&](std::size_t j) { return j < f.folded.size() && latin_letter(f.folded[j].c); };
  if (latin_letter(f.skel[b].c) && f.at[b] > 0 && letter_at(f.at[b] - 1)) return false;
  return !(latin_letter(f.skel[e - 1].c) && letter_at(f.at[e - 1] + 1));
}

}  // namespace

std::vector<Hit> find(const Matcher& m, const Folded& f) {
  std::vector<Hit> hits;
  for (const Word& w : m.words)
    for (std::size_t p = f.chars.find(w.form); p != std::u32string::npos; p = f.chars.find(w.form, p + 1)) {
      const std::size_t e = p + w.form.size();
      if (w.sentence_start && !at_sentence_start(f, p)) continue;
      if (!whole_latin(f, p, e)) continue;
      const bool allowed = std::any_of(m.allow.begin(), m.allow.end(), [&](const std::u32string& a) {
        for (std::size_t q = f.chars.find(a, p >= a.size() ? p - a.size() + 1 : 0); q != std::u32string::npos && q < e; q = f.chars.find(a, q + 1))
          if (q + a.size() > p) return true;
        return false;
      });
      if (!allowed) hits.push_back({&w, p, e});
    }
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Hit> kept;
  for (const Hit& h : hits)
    if (kept.empty() || h.begin >= kept.back().end) kept.push_back(h);
  return kept;
}

}  // namespace callscript::text
