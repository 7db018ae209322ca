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
    const std::string text = type == antlr4::Token::EOF ? "" : t->getText();
    if (text == "(") ++depth;
    if (text == ")" && depth > 0) --depth;
    unary = (text == "not" || text == "-") ? unary + 1 : 0;
    if (depth > kMaxNesting || unary > kMaxNesting) {
      diags.report(Code::E0003, token_span(src, t, file), "expression is nested more than " + std::to_string(kMaxNesting) + " levels deep").hint =
          "split it: set a slot to part of it first";
      return false;
    }
  }
  return true;
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
  // ANTLR drops a leading byte-order mark, which would shift its code-point positions against
  // ours by one; a space keeps the count and is skipped like the mark would be.
  std::string text = source.text();
  if (text.starts_with("\xEF\xBB\xBF")) text.replace(0, 3, " ");
  antlr4::ANTLRInputStream input(text);
  L lexer(&input);
  lexer.removeErrorListeners();  // BAD_CHAR and OPEN_STRING catch everything the lexer could reject
  antlr4::CommonTokenStream tokens(&lexer);
  if (!scan(tokens, source, file, diags)) return std::nullopt;

  P parser(&tokens);
  ErrorListener listener(source, file, diags);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  P::FileContext* tree = parser.file();
  if (!tree || (!tree->script() && !tree->library())) return std::nullopt;
  return build_script(tree, source, file, diags);
}

}  // namespace callscript::syntax
