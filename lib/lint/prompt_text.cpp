#include "lint/prompt_text.h"

#include "syntax/parse.h"

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <memory>

namespace callscript::lint {

namespace {

// The decoded pattern of a `say`, one glyph a code point. A code point's source bytes run from
// where its decoded bytes came from to where the next one's did (or the closing quote).
Glyphs decode(const ast::Action& say) {
  Glyphs out;
  const std::string& t = say.text;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(t.data());
  const auto n = static_cast<std::int32_t>(t.size());
  const auto source_at = [&](std::int32_t i) {
    if (static_cast<std::size_t>(i) < say.text_offsets.size()) return say.text_offsets[static_cast<std::size_t>(i)];
    return say.text_span.end > say.text_span.begin ? say.text_span.end - 1 : say.text_span.end;
  };
  for (std::int32_t i = 0; i < n;) {
    const std::int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, n, c);
    out.push_back({c < 0 ? 0xFFFD : c, {source_at(start), source_at(i)}});
  }
  return out;
}

// A MessageFormat pattern as far as the rules care: literal text, simple arguments ({slot},
// {n, number}, plural's #) and select/plural arguments with their cases. Quoting follows ICU's
// default (a doubled '' is a quote; a quote before { } # | starts a literal run). The scanner is
// lenient: the compiler reports a malformed pattern (E0209), the linter only must not stumble.
struct Message;
struct Piece {
  enum class Kind { Text, Arg, Choice };
  Kind kind = Kind::Text;
  Glyph glyph{};  // Text; Arg and Choice: kSlot over the whole argument
  std::vector<Message> cases;
};
struct Message {
  std::vector<Piece> pieces;
};

class Scanner {
 public:
  explicit Scanner(const Glyphs& g) : g_(g) {}
  Message message(bool in_case, bool plural) {
    Message m;
    while (i_ < g_.size()) {
      const UChar32 c = g_[i_].c;
      if (c == '\'') {
        quoted(m, plural);
      } else if (c == '{') {
        m.pieces.push_back(argument());
      } else if (c == '}' && in_case) {
        ++i_;
        return m;
      } else if (c == '#' && plural) {
        m.pieces.push_back({Piece::Kind::Arg, {kSlot, g_[i_++].src}, {}});
      } else {
        text(m, g_[i_++]);
      }
    }
    return m;
  }

 private:
  static void text(Message& m, Glyph g) { m.pieces.push_back({Piece::Kind::Text, g, {}}); }
  bool at(std::size_t k, UChar32 c) const { return k < g_.size() && g_[k].c == c; }

  void quoted(Message& m, bool plural) {
    if (at(i_ + 1, '\'')) {
      text(m, {'\'', {g_[i_].src.begin, g_[i_ + 1].src.end}});
      i_ += 2;
      return;
    }
    const bool opens = i_ + 1 < g_.size() && (at(i_ + 1, '{') || at(i_ + 1, '}') || at(i_ + 1, '|') || (plural && at(i_ + 1, '#')));
    if (!opens) {
      text(m, g_[i_++]);
      return;
    }
    for (++i_; i_ < g_.size(); ++i_) {
      if (!at(i_, '\'')) text(m, g_[i_]);
      else if (at(i_ + 1, '\'')) text(m, g_[++i_]);
      else break;
    }
    ++i_;  // the closing quote
  }

  Piece argument() {
    const std::size_t start = i_++;
    std::u32string type;
    std::size_t commas = 0;
    while (i_ < g_.size() && !at(i_, '}') && !at(i_, '{') && !(commas == 1 && at(i_, ','))) {
      if (at(i_, ',')) ++commas;
      else if (commas == 1 && !u_isUWhiteSpace(g_[i_].c)) type += static_cast<char32_t>(g_[i_].c);
      ++i_;
    }
    Piece p{Piece::Kind::Arg, {}, {}};
    // Choices nest by recursion here and in collect() and read(); past the compiler's own nesting
    // bound the rest is read as one argument, so a hostile pattern cannot exhaust the stack.
    if ((type == U"select" || type == U"plural" || type == U"selectordinal") && depth_ < syntax::kMaxNesting) {
      p.kind = Piece::Kind::Choice;
      ++depth_;
      while (i_ < g_.size() && !at(i_, '}')) {
        if (at(i_, '{')) {
          ++i_;
          p.cases.push_back(message(true, type != U"select"));
        } else {
          ++i_;  // a case's keyword, `=0`, `offset:1`
        }
      }
      --depth_;
    } else {
      for (int depth = 0; i_ < g_.size() && !(depth == 0 && at(i_, '}')); ++i_) {
        if (at(i_, '{')) ++depth;
        else if (at(i_, '}')) --depth;
      }
    }
    const std::size_t last = std::min(i_, g_.size() - 1);
    if (i_ < g_.size()) ++i_;  // the closing brace
    p.glyph = {kSlot, {g_[start].src.begin, g_[last].src.end}};
    return p;
  }

  const Glyphs& g_;
  std::size_t i_ = 0;
  std::size_t depth_ = 0;
};

void collect(const Message& m, std::vector<Glyphs>& out) {
  const std::size_t mine = out.size();
  out.emplace_back();
  for (const Piece& p : m.pieces) {
    out[mine].push_back(p.glyph);
    for (const Message& c : p.cases) collect(c, out);
  }
}

std::size_t spoken(const Glyphs& g) {
  return static_cast<std::size_t>(std::count_if(g.begin(), g.end(), [](const Glyph& x) { return !is_skipped(x.c); }));
}

Glyphs read(const Message& m, std::uint32_t placeholder) {
  Glyphs out;
  for (const Piece& p : m.pieces) {
    if (p.kind == Piece::Kind::Text) {
      out.push_back(p.glyph);
    } else if (p.kind == Piece::Kind::Arg) {
      out.insert(out.end(), placeholder, p.glyph);
    } else {
      Glyphs longest;
      for (const Message& c : p.cases)
        if (Glyphs r = read(c, placeholder); spoken(r) > spoken(longest)) longest = std::move(r);
      out.insert(out.end(), longest.begin(), longest.end());
    }
  }
  return out;
}

Message parse(const ast::Action& say) {
  const Glyphs g = decode(say);
  return Scanner(g).message(false, false);
}

// A UTF-16 copy of glyphs [begin, end) for ICU, with the glyph of each UTF-16 unit.
struct Utf16 {
  icu::UnicodeString text;
  std::vector<std::size_t> glyph;
};
Utf16 utf16(const Glyphs& g, std::size_t begin, std::size_t end) {
  Utf16 u;
  for (std::size_t k = begin; k < end; ++k) {
    u.text.append(g[k].c);
    u.glyph.resize(static_cast<std::size_t>(u.text.length()), k);
  }
  u.glyph.push_back(end);
  return u;
}

// Break iterators are costly to make and cheap to reuse: one of each kind a thread.
enum class Unit { Sentence, Word, Character };
icu::BreakIterator& breaker(Unit unit) {
  thread_local std::unique_ptr<icu::BreakIterator> iterators[3];
  auto& it = iterators[static_cast<int>(unit)];
  if (!it) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Locale zh("zh");
    it.reset(unit == Unit::Sentence ? icu::BreakIterator::createSentenceInstance(zh, status)
             : unit == Unit::Word   ? icu::BreakIterator::createWordInstance(zh, status)
                                    : icu::BreakIterator::createCharacterInstance(zh, status));
    if (U_FAILURE(status) || !it) throw std::runtime_error("ICU has no break iterator for zh");
  }
  return *it;
}

std::uint32_t graphemes(const icu::UnicodeString& text, std::int32_t begin, std::int32_t end) {
  icu::BreakIterator& it = breaker(Unit::Character);
  it.setText(text);
  std::uint32_t n = 0;
  for (std::int32_t b = it.following(begin - 1), e = it.next(); b < end && e != icu::BreakIterator::DONE; b = e, e = it.next())
    if (!is_skipped(text.char32At(b))) ++n;
  return n;
}

bool slash(UChar32 c) { return c == '/' || c == 0xFF0F; }

}  // namespace

std::vector<Glyphs> fragments(const ast::Action& say) {
  std::vector<Glyphs> out;
  collect(parse(say), out);
  return out;
}

Glyphs reading(const ast::Action& say, std::uint32_t placeholder) { return read(parse(say), placeholder); }

std::vector<std::pair<std::size_t, std::size_t>> sentences(const Glyphs& text) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  if (text.empty()) return out;
  const Utf16 u = utf16(text, 0, text.size());
  icu::BreakIterator& it = breaker(Unit::Sentence);
  it.setText(u.text);
  for (std::int32_t b = it.first(), e = it.next(); e != icu::BreakIterator::DONE; b = e, e = it.next())
    out.emplace_back(u.glyph[static_cast<std::size_t>(b)], u.glyph[static_cast<std::size_t>(e)]);
  return out;
}

std::vector<std::pair<std::size_t, std::size_t>> clauses(const Glyphs& text, std::size_t begin, std::size_t end) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t from = begin;
  for (std::size_t k = begin; k < end; ++k) {
    const UChar32 c = text[k].c;
    if (c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';' || c == 0xFF1A || c == ':') {
      out.emplace_back(from, k + 1);
      from = k + 1;
    }
  }
  if (from < end) out.emplace_back(from, end);
  return out;
}

std::uint32_t reader_length(const Glyphs& text, std::size_t begin, std::size_t end) {
  if (begin >= end) return 0;
  const Utf16 u = utf16(text, begin, end);
  std::uint32_t n = graphemes(u.text, 0, u.text.length());
  // The words on either side of a slash, as ICU's dictionary segments Chinese.
  icu::BreakIterator& words = breaker(Unit::Word);
  words.setText(u.text);
  for (std::int32_t k = 0; k < u.text.length(); ++k) {
    if (!slash(u.text.char32At(k)) || k == 0 || k + 1 >= u.text.length()) continue;
    const std::int32_t before = words.preceding(k), after = words.following(k + 1);
    if (before == icu::BreakIterator::DONE || after == icu::BreakIterator::DONE) continue;
    const std::uint32_t left = graphemes(u.text, before, k), right = graphemes(u.text, k + 1, after);
    n -= std::min({left, right, n});
    words.setText(u.text);
  }
  return n;
}

}  // namespace callscript::lint
