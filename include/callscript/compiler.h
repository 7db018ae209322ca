// The compiler's front door: .call source in, a bytecode Image and diagnostics out.
//
// The compiler is a pure function of its inputs: the source it is given, and the files that
// source names (its imports, its calendar), which it asks a SourceProvider for. It opens no file
// itself, so a language server compiles unsaved buffers and a test compiles strings, with the
// same code `callc` runs on disk.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace callscript {

// What a SourceProvider answers: the file's text, or why there is none ("No such file or
// directory"); the reason is shown in the diagnostic (E0430, E0424) after the path.
struct SourceRead {
  std::optional<std::string> text;
  std::string error;
};

// Where the compiler gets the files a script names. A path is resolved by the compiler before it
// is asked for, relative to the name of the file that names it (SourceFile::name) and lexically
// normalised (`a/./b/../c.call` is `a/c.call`); the provider decides what it denotes.
// read() should answer, not throw: an exception from it is reported as the compiler's internal
// error (E0900) in the stage that asked, since only a broken provider throws.
class SourceProvider {
 public:
  virtual ~SourceProvider() = default;
  virtual SourceRead read(std::string_view path) = 0;
  // The name by which two spellings of one file are known to be the same file: a library imported
  // along two paths is merged once, and an import cycle is seen whatever the spelling. The default
  // is the path itself, lexically normalised.
  virtual std::string identity(std::string_view path);
};

// The files on disk, as `callc` reads them. A path relative to no directory is relative to the
// working directory; identity is the canonical absolute path, so that symbolic links and `..`
// name one file.
class FileSourceProvider final : public SourceProvider {
 public:
  SourceRead read(std::string_view path) override;
  std::string identity(std::string_view path) override;
};

// Files held in memory, by path: a language server's open buffers, a test's strings. Nothing else
// exists; reading another path answers "no such file among the in-memory sources".
class MemorySourceProvider final : public SourceProvider {
 public:
  // Adds or replaces the file at `path` (normalised as the compiler normalises the paths it asks for).
  void add(std::string_view path, std::string text);
  SourceRead read(std::string_view path) override;
  // Every path asked for, in order, read or not: what a compile depended on.
  const std::vector<std::string>& asked() const { return asked_; }

 private:
  std::map<std::string, std::string, std::less<>> files_;
  std::vector<std::string> asked_;
};

// A string table to apply to the program before it is proved (<callscript/string_table.h>): its
// own problems go to `diags`, made for `table`; the proofs' findings about its texts go to the
// script's diagnostics and point into `table`.
struct StringsToApply {
  const SourceFile& table;
  Diagnostics& diags;
};

// How to compile. Made with designated initializers, `{.sources = files}`, so that options added
// later keep every caller compiling.
struct CompileOptions {
  SourceProvider& sources;  // the script's imports and calendar come from here, and only from here
  const StringsToApply* strings = nullptr;  // applied before the proofs, when given
  // The words a revisit may not use to promise (E0438), and the longer words that contain one
  // without promising (保证金); both empty: the built-in lists (callscript.yaml changes them for
  // `callc`, as it does for the linter).
  std::span<const std::string> revisit_promise_words = {};
  std::span<const std::string> revisit_promise_near_misses = {};
  // Today's date, for W0003: the business calendar the script names should cover today and the
  // 60 days after it. Unset, the check is not made, so that what compiles does not depend on
  // the day it is compiled; `callc check` and `callc build` set it (the system clock's date in
  // UTC, or their --today).
  std::optional<std::chrono::sys_days> today = {};
};

// Parses, checks and generates code for `source`, applies `options.strings` when given, then
// proves the program (E0434-E0438: on the code the session will run, so a string table, an
// import or a lowering cannot slip past them). Every problem goes to `diags` (which must be
// made for `source`); the image is returned only when there were no errors. Never throws: an
// exception inside a stage (a bug in callc, or in `options.sources`) is reported as E0900, naming
// the stage, not as a problem of the script.
std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags, const CompileOptions& options);

// The proofs alone, on a verified program from anywhere (a .callbc someone else built): findings
// name states and prompt ids, since there are no sources to point into.
void prove_program(const bc::Image& image, Diagnostics& diags, std::span<const std::string> revisit_promise_words = {},
                   std::span<const std::string> revisit_promise_near_misses = {});

}  // namespace callscript
