// Diagnostics shared by every stage of the compiler and by the linter: a code, a severity, a
// message, the span it is about, notes that point elsewhere, and a hint.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript {

// Byte offsets into a SourceFile's text, end exclusive. `file` says which: 0 is the file being
// compiled, others are files it imports (Diagnostics::add_source).
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  std::uint16_t file = 0;
};

struct Position {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in Unicode code points
};

// A source text with its name, and the index that maps byte offsets to lines and columns.
class SourceFile {
 public:
  SourceFile(std::string name, std::string text);
  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  Position position(std::uint32_t byte_offset) const;
  std::string_view line_text(std::uint32_t line) const;  // without the line break
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }
  // Byte offset of the first invalid UTF-8 sequence, if any (checked with ICU).
  std::optional<std::uint32_t> invalid_utf8() const { return invalid_utf8_; }
  // Byte offset of the n-th code point (ANTLR positions count code points).
  std::uint32_t byte_offset(std::size_t code_point) const;

 private:
  std::string name_, text_;
  std::vector<std::uint32_t> line_starts_;
  std::vector<std::uint32_t> code_points_;  // byte offset of each code point; empty if invalid
  std::optional<std::uint32_t> invalid_utf8_;
};

enum class Severity : std::uint8_t { Error, Warning, Note };

// Every diagnostic code, once. Codes are never reused; grammar/ERRORS.md documents each one
// with a bad example and its fix, and tests/scripts (tests/transcripts for the T codes of
// `callc test`) has a file that triggers it. C codes are about business-calendar YAML
// (<callscript/calendar_yaml.h>); their files are in tests/calendars. S codes are about string
// tables (<callscript/string_table.h>); their files are in tests/strings. L codes are the house
// rules `callc lint` checks on prompt texts; the default severity given here is each rule's, and
// the rule's kebab-case name is in lib/lint/lint.h. K codes are about the linter's configuration
// (callscript.yaml). Their files are in tests/lint.
#define CALLSCRIPT_DIAGNOSTICS(X)                                                   \
  X(E0001, Error, "source is not valid UTF-8")                                      \
  X(E0002, Error, "source file too large")                                          \
  X(E0003, Error, "expression nested too deeply")                                   \
  X(E0100, Error, "syntax error")                                                   \
  X(E0101, Error, "unexpected character")                                           \
  X(E0102, Error, "unterminated string")                                            \
  X(E0103, Error, "invalid escape sequence")                                        \
  X(E0104, Error, "number out of range")                                            \
  X(E0105, Error, "unterminated block comment")                                     \
  X(E0201, Error, "undefined state")                                                \
  X(E0202, Error, "undefined event")                                                \
  X(E0203, Error, "undefined slot")                                                 \
  X(E0204, Error, "duplicate definition")                                           \
  X(E0205, Error, "script has no states")                                           \
  X(E0206, Error, "metadata given twice")                                           \
  X(E0207, Error, "not a member of the enum")                                       \
  X(E0208, Error, "prompt refers to an undefined slot")                             \
  X(E0209, Error, "invalid prompt pattern")                                         \
  X(E0301, Error, "mismatched types")                                               \
  X(E0302, Error, "guard is not a bool")                                            \
  X(E0303, Error, "value does not fit the slot")                                    \
  X(E0304, Error, "digits value of the wrong form")                                 \
  X(E0401, Error, "dead-end state")                                                 \
  X(E0402, Error, "eventless cycle never waits")                                    \
  X(E0403, Error, "transition does nothing")                                        \
  X(E0404, Error, "eventless transition must change state")                         \
  X(E0405, Error, "script-wide handlers must be `on EVENT`")                        \
  X(E0406, Error, "too many timers in one state")                                   \
  X(E0407, Error, "timer needs a positive duration")                                \
  X(E0408, Error, "expression too large for the operand stack")                     \
  X(E0409, Error, "the call can never end from this state")                         \
  X(E0410, Error, "`return` outside a flow")                                        \
  X(E0411, Error, "flows call each other in a cycle")                               \
  X(E0412, Error, "flow calls nested too deeply")                                   \
  X(E0413, Error, "a flow's state leaves the flow")                                 \
  X(E0414, Error, "flow has no states")                                             \
  X(E0415, Error, "undefined flow")                                                 \
  X(E0416, Error, "undefined effect")                                               \
  X(E0417, Error, "the effect has no such argument")                                \
  X(E0418, Error, "effect argument missing")                                        \
  X(E0419, Error, "private data passed to an argument not marked pii")              \
  X(E0420, Error, "malformed ask")                                                  \
  X(E0421, Error, "ask without a maximum")                                          \
  X(E0422, Error, "SLA without a breach handler")                                   \
  X(E0423, Error, "business time without a calendar")                               \
  X(E0424, Error, "the calendar cannot be loaded")                                  \
  X(E0425, Error, "undefined SLA")                                                  \
  X(E0426, Error, "too many SLAs")                                                  \
  X(E0427, Error, "malformed campaign")                                             \
  X(E0428, Error, "not a failure reason of the outbound calling manual")           \
  X(E0429, Error, "undefined campaign")                                             \
  X(E0430, Error, "import cannot be read")                                          \
  X(E0431, Error, "import cycle")                                                   \
  X(E0432, Error, "not a library")                                                  \
  X(E0433, Error, "undefined phrase")                                               \
  X(E0434, Error, "private data said before identity verification")                 \
  X(E0435, Error, "questionnaire question skipped or out of order")                 \
  X(E0436, Error, "an ask can start over forever")                                  \
  X(E0437, Error, "promised time limit without a timer to keep it")                 \
  X(E0438, Error, "a revisit promises a time or a result")                          \
  /* an exception escaped a stage of the compiler: callc's fault, never the script's */ \
  X(E0900, Error, "internal compiler error")                                        \
  X(W0001, Warning, "unreachable state")                                            \
  X(W0002, Warning, "entry action written after a transition")                      \
  X(W0003, Warning, "the calendar does not cover the next 60 days")                 \
  /* T: transcript tests (`callc test`), the transcript file and then its run */    \
  X(T0001, Error, "transcript is not valid YAML")                                   \
  X(T0002, Error, "unknown key in transcript")                                      \
  X(T0003, Error, "value of the wrong type in transcript")                          \
  X(T0004, Error, "required key missing in transcript")                             \
  X(T0005, Error, "key given twice in transcript")                                  \
  X(T0006, Error, "step does more than one thing")                                  \
  X(T0007, Error, "unknown name in transcript")                                     \
  X(T0008, Error, "invalid duration")                                               \
  X(T0009, Error, "script of the transcript cannot be loaded")                      \
  X(T0010, Error, "expectation not met")                                            \
  X(C0001, Error, "calendar is not valid YAML")                                     \
  X(C0002, Error, "unknown key in calendar")                                        \
  X(C0003, Error, "missing key in calendar")                                        \
  X(C0004, Error, "calendar value of the wrong kind")                               \
  X(C0005, Error, "unknown time zone")                                              \
  X(C0006, Error, "invalid date")                                                   \
  X(C0007, Error, "invalid working hours")                                          \
  X(C0008, Error, "working hours overlap")                                          \
  X(C0009, Error, "make-up working day is not a weekend day")                       \
  X(C0010, Error, "date outside the calendar's range")                              \
  X(C0011, Error, "day is both a holiday and a make-up working day")                \
  X(C0012, Error, "calendar key given twice")                                       \
  /* S: string tables (<callscript/string_table.h>): prompt texts by id, in YAML */ \
  X(S0001, Error, "string table is not valid YAML")                                 \
  X(S0002, Error, "unknown prompt id")                                              \
  X(S0003, Error, "prompt text refers to an undefined slot")                        \
  X(S0004, Error, "invalid prompt pattern in string table")                         \
  X(S0005, Error, "key given twice in string table")                                \
  X(S0006, Error, "string table value of the wrong kind")                           \
  X(S0007, Error, "unknown or missing key in string table")                       \
  /* L: house rules on prompt texts (`callc lint`, lib/lint/lint.h has the names) */ \
  X(L0001, Error, "forbidden phrase in a prompt")                                   \
  X(L0002, Warning, "informal form of address")                                     \
  X(L0003, Warning, "turning word in a prompt")                                     \
  X(L0004, Warning, "sentence too long")                                            \
  X(L0005, Error, "vague word in a revisit script")                                 \
  X(L0006, Warning, "shouting in an online reply")                                  \
  X(L0007, Warning, "unexplained jargon")                                           \
  X(L0008, Warning, "prompts too long for the state's time budget")                 \
  X(L0009, Warning, "allow comment without a reason or a known rule")               \
  X(L0010, Warning, "allow comment suppresses nothing")                             \
  X(L0011, Error, "promise of a time or a result in a revisit")                     \
  /* K: the linter's configuration (callscript.yaml) */                             \
  X(K0001, Error, "lint configuration is not valid YAML")                           \
  X(K0002, Error, "unknown key in lint configuration")                              \
  X(K0003, Error, "lint configuration value of the wrong kind")                     \
  X(K0004, Error, "unknown lint rule")                                              \
  X(K0005, Error, "bad value in lint configuration")                                \
  X(K0006, Error, "key given twice in lint configuration")

enum class Code : std::uint16_t {
#define CALLSCRIPT_DIAG_ENUM(code, severity, title) code,
  CALLSCRIPT_DIAGNOSTICS(CALLSCRIPT_DIAG_ENUM)
#undef CALLSCRIPT_DIAG_ENUM
};

std::string_view code_name(Code c);      // "E0102"
Severity default_severity(Code c);
std::string_view code_title(Code c);     // one line, as in ERRORS.md

struct Note {
  std::optional<Span> span;  // a note may point at another place in the same file
  std::string message;
};

struct Diagnostic {
  Code code;
  Severity severity;
  std::string message;
  Span span;
  std::vector<Note> notes;
  std::string hint;  // "help: ..." line; empty when there is none
  // The linter's rule name (`turning-word`), like Clang's warning group: shown after the message
  // and as "rule" in JSON. Empty for the compiler's own diagnostics.
  std::string rule;
};

// Collects the diagnostics of one source file, and of the files it imports, across all stages.
class Diagnostics {
 public:
  explicit Diagnostics(const SourceFile& source) : source_(&source) {}
  Diagnostic& report(Code code, Span span, std::string message);
  const std::vector<Diagnostic>& all() const { return list_; }
  std::size_t error_count() const;
  std::size_t warning_count() const;
  // Orders by position in the file (stable: diagnostics at one place keep their order), and drops
  // exact repeats: code the lowering copies into two places (an ask's `max` actions) reports once.
  void sort_by_position();
  // The file a span points into: the main file (0), or one added below.
  const SourceFile& source(std::uint16_t file = 0) const {
    return file == 0 || file > imported_.size() ? *source_ : *imported_[file - 1u];
  }
  // Keeps an imported file for as long as its diagnostics can be rendered; returns its id.
  std::uint16_t add_source(SourceFile file);
  std::size_t source_count() const { return imported_.size() + 1; }

 private:
  const SourceFile* source_;
  std::vector<std::shared_ptr<const SourceFile>> imported_;
  std::vector<Diagnostic> list_;
};

struct RenderOptions {
  bool color = false;
};

// Clang/rustc style:  file:line:col: error[E0201]: message, the line, a caret under the span
// (as wide as the text is on screen: CJK characters take two columns), then notes and help.
std::string render_human(const Diagnostics& diags, RenderOptions options = {});
// One JSON object per diagnostic in an array, for editors and CI; several files give one array.
// A linter finding has "rule" too.
std::string render_json(const Diagnostics& diags);
std::string render_json(std::span<const Diagnostics* const> files);

// A name among `candidates` close enough to `name` to suggest ("did you mean ...?").
std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace callscript
