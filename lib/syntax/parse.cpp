// Lexing and parsing: our own error listener turns ANTLR's reports into diagnostics, and a scan
// of the tokens reports lexical errors and bounds nesting before the parser runs. The AST is built
// in build.cpp. Nothing of ANTLR escapes lib/syntax.
#include "syntax/parse.h"

#include "CallScriptLexer.h"
#include "syntax/build.h"

#include <algorithm>
#include <set>

namespace callscript::syntax {

namespace {

using P = callscript_gen::CallScriptParser;
using L = callscript_gen::CallScriptLexer;

constexpr std::size_t kMaxSyntaxErrors = 20;

// Turns ANTLR's reports into our diagnostics: "expected X, found Y" with the token's span.
class ErrorListener : public antlr4::BaseErrorListener {
 public:
  ErrorListener(const SourceFile& source, std::uint16_t file, Diagnostics& diags) : src_(source), file_(file), diags_(diags) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t, size_t, const std::string& msg,
                   std::exception_ptr) override {
    // Lexical errors were reported when the tokens were scanned; don't report them twice.
    if (offending && (offending->getType() == L::BAD_CHAR || offending->getType() == L::OPEN_STRING)) return;
    if (++count_ > kMaxSyntaxErrors) return;
    auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
    // "a name, `return` or `call`": kinds of token first, then keywords and punctuation.
    std::vector<std::string> words;
    if (parser)
      for (const auto t : parser->getExpectedTokens().toList()) words.push_back(describe(parser->getVocabulary(), t));
    std::stable_partition(words.begin(), words.end(), [](const std::string& w) { return w.front() != '`'; });
    std::string expected;
    const std::size_t shown = std::min<std::size_t>(words.size(), 8);
    for (std::size_t i = 0; i < shown; ++i)
      expected += (i == 0 ? "" : i + 1 == shown && shown == words.size() ? " or " : ", ") + words[i];
    if (shown < words.size()) expected += ", ...";
    const std::string found = !offending || offending->getType() == antlr4::Token::EOF ? "end of file" : "`" + offending->getText() + "`";
    std::string message = "unexpected " + found;
    if (!expected.empty()) message += "; expected " + expected;
    else if (!msg.empty()) message += " (" + msg + ")";
    auto& d = diags_.report(Code::E0100, token_span(src_, offending, file_), message);
    if (offending && offending->getType() == L::IDENT && expected.find("`->`") != std::string::npos)
      d.hint = "a transition names its target after `->`";
    if (parser && naming_keyword(*parser, offending)) d.hint = "`" + offending->getText() + "` is a keyword; choose another name";
  }

 private:
  // A keyword where a declaration wanted its name (`state start`): worth saying it's reserved.
  static bool naming_keyword(antlr4::Parser& parser, antlr4::Token* offending) {
    if (!offending || offending->getType() == L::IDENT || offending->getType() == antlr4::Token::EOF) return false;
    const std::string text = offending->getText();
    if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; })) return false;
    auto* stream = parser.getTokenStream();
    for (auto i = static_cast<std::ptrdiff_t>(offending->getTokenIndex()) - 1; i >= 0; --i) {
      antlr4::Token* before = stream->get(static_cast<std::size_t>(i));
      if (before->getChannel() != antlr4::Token::DEFAULT_CHANNEL) continue;
      static const std::set<std::string> kDeclarations = {"state", "final", "slot", "event", "flow", "script", "start", "call", "then"};
      return kDeclarations.contains(before->getText());
    }
    return false;
  }

  static std::string describe(const antlr4::dfa::Vocabulary& vocab, std::size_t t) {
    switch (t) {
      case L::IDENT: return "a name";
      case L::STRING: return "a string";
      case L::INT: return "an integer";
      case L::DURATION: return "a duration";
      case antlr4::Token::EOF: return "end of file";
    }
    std::string lit = vocab.getLiteralName(t);
    if (lit.size() >= 2 && lit.front() == '\'') return "`" + lit.substr(1, lit.size() - 2) + "`";
    return vocab.getDisplayName(t);
  }

  const SourceFile& src_;
  std::uint16_t file_;
  Diagnostics& diags_;
  std::size_t count_ = 0;
};

// Lexical errors, and the nesting bound that keeps the recursive-descent parser off the stack's
// edge. Returns false when parsing must not go on.
bool scan(antlr4::CommonTokenStream& tokens, const SourceFile& src, std::uint16_t file, Diagnostics& diags) {
  tokens.fill();
  // The types of the tokens that nest, looked up once (comparing every token's text would
  // build a string per token).
  static const struct Kinds {
    std::size_t open = 0, close = 0, negation = 0, minus = 0;
  } kinds = [&] {
    const antlr4::dfa::Vocabulary& v = static_cast<L*>(tokens.getTokenSource())->getVocabulary();
    Kinds k;
    for (std::size_t t = 1; t <= v.getMaxTokenType(); ++t) {
      const std::string literal = v.getLiteralName(t);
      if (literal == "'('") k.open = t;
      if (literal == "')'") k.close = t;
      if (literal == "'not'") k.negation = t;
      if (literal == "'-'") k.minus = t;
    }
    return k;
  }();
  std::size_t depth = 0, unary = 0;
  for (auto* t : tokens.getTokens()) {
    const auto type = t->getType();
    if (type == L::BAD_CHAR) {
      const Span s = token_span(src, t, file);
      if (t->getText() == "/" && s.end < src.text().size() && src.text()[s.end] == '*')
      {
        // Everything after it is commented-out text; lexing it as code would only add noise.
        diags.report(Code::E0105, {s.begin, s.end + 1, file}, "block comment is never closed").hint = "close it with `*/`";
        return false;
      } else
        diags.report(Code::E0101, s, "unexpected character `" + t->getText() + "`");
    } else if (type == L::OPEN_STRING) {
      diags.report(Code::E0102, token_span(src, t, file), "string is not closed before the end of the line").hint =
          "close it with `\"`; a string cannot span lines (write \\n for a line break)";
    }
    if (type == kinds.open) ++depth;
    if (type == kinds.close && depth > 0) --depth;
    unary = (type == kinds.negation || type == kinds.minus) ? unary + 1 : 0;
    if (depth > kMaxNesting || unary > kMaxNesting) {
      diags.report(Code::E0003, token_span(src, t, file), "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep").hint =
          "split it: set a slot to part of it first";
      return false;
    }
  }
  return true;
}


// ANTLR's lexer caches the transitions of its DFA for ASCII characters only (MAX_DFA_EDGE in
// LexerATNSimulator): every other character is simulated afresh on the ATN, and most of a
// script's text is Chinese prompts. Outside ASCII the grammar tells characters apart only as
// whitespace (U+3000, U+FEFF) or not, so the lexer reads a stand-in for each: a space for those
// two, and for the rest `@`, which is in no token of the grammar, so it stays a BAD_CHAR outside
// strings and comments, as the character it stands for would be. One code point stands for one,
// so positions (in code points) are the source's, and a token's text is read from the source.
// A byte-order mark at the start is a space too, so it is skipped and takes up its position.
class AsciiStandIns : public antlr4::ANTLRInputStream {
 public:
  explicit AsciiStandIns(const SourceFile& source) : source_(source) {
    const std::string& text = source.text();  // valid UTF-8
    _data.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
      const auto byte = static_cast<std::uint8_t>(text[i]);
      if (byte < 0x80) {
        _data.push_back(byte);
      } else if ((byte & 0xC0) != 0x80) {  // the first byte of a code point
        const bool space = text.compare(i, 3, "\xE3\x80\x80") == 0 || text.compare(i, 3, "\xEF\xBB\xBF") == 0;
        _data.push_back(space ? U' ' : U'@');
      }
    }
  }

  std::string getText(const antlr4::misc::Interval& interval) override {
    if (interval.a < 0 || interval.b < interval.a) return "";
    const auto from = static_cast<std::size_t>(interval.a);
    const std::size_t to = std::min(static_cast<std::size_t>(interval.b) + 1, _data.size());
    if (from >= to) return "";
    const std::uint32_t begin = source_.byte_offset(from);
    return source_.text().substr(begin, source_.byte_offset(to) - begin);
  }

 private:
  const SourceFile& source_;
};

// Parses with SLL prediction first, which decides from the grammar's DFA and is fast, and only
// when that fails, again with full LL prediction and error recovery. SLL either gives the tree
// LL would or fails (PredictionMode's documentation); the grammar's optional blocks and arrows
// (`on x { ... }` against `on x` then `{ ... } -> y`) put LL's full-context prediction on every
// transition, at a cost that grew with the file. Errors are reported by the second parse alone.
P::FileContext* parse_tree(P& parser, antlr4::CommonTokenStream& tokens, ErrorListener& listener) {
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    return parser.file();
  } catch (const antlr4::ParseCancellationException&) {
  }
  tokens.seek(0);
  parser.reset();
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
  parser.addErrorListener(&listener);
  return parser.file();
}

}  // namespace

std::optional<ast::Script> parse(const SourceFile& source, Diagnostics& diags, std::uint16_t file) {
  if (source.text().size() > kMaxSourceBytes) {
    diags.report(Code::E0002, {0, 0, file}, "source is " + std::to_string(source.text().size()) + " bytes; the limit is " +
                                          std::to_string(kMaxSourceBytes));
    return std::nullopt;
  }
  if (auto bad = source.invalid_utf8()) {
    diags.report(Code::E0001, {*bad, *bad + 1, file}, "source is not valid UTF-8").hint = "save the file as UTF-8";
    return std::nullopt;
  }
  AsciiStandIns input(source);
  L lexer(&input);
  lexer.removeErrorListeners();  // BAD_CHAR and OPEN_STRING catch everything the lexer could reject
  antlr4::CommonTokenStream tokens(&lexer);
  if (!scan(tokens, source, file, diags)) return std::nullopt;

  P parser(&tokens);
  ErrorListener listener(source, file, diags);
  P::FileContext* tree = parse_tree(parser, tokens, listener);
  if (!tree || (!tree->script() && !tree->library())) return std::nullopt;
  return build_script(tree, source, file, diags);
}

}  // namespace callscript::syntax
