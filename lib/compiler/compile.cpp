#include <callscript/calendar_yaml.h>
#include <callscript/compiler.h>
#include <callscript/string_table.h>

#include "codegen/codegen.h"
#include "compiler/stage.h"
#include "compiler/calendar_coverage.h"
#include "imports/imports.h"
#include "lower/lower.h"
#include "prove/prove.h"
#include "sema/check.h"
#include "syntax/parse.h"

#include <exception>
#include <filesystem>

namespace callscript {

namespace compiler {

std::string_view stage_name(Stage stage) {
  switch (stage) {
    case Stage::Parse: return "parse";
    case Stage::Imports: return "imports";
    case Stage::Lower: return "lower";
    case Stage::Sema: return "sema";
    case Stage::Calendar: return "calendar";
    case Stage::Codegen: return "codegen";
    case Stage::Strings: return "string table";
    case Stage::Prove: return "proofs";
  }
  return "unknown";
}

void report_internal_error(Diagnostics& diags, Stage stage) {
  std::string what = "an exception that is not a std::exception";
  try {
    throw;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  // No span of the script is to blame: the report stands at its start.
  diags.report(Code::E0900, {0, 0}, "internal error in the " + std::string(stage_name(stage)) + " stage (" + what +
                                        "); this is a bug in callc, not in the script")
      .hint = "please report it with the script and the files it names; the script may well be correct";
}

}  // namespace compiler

namespace {

using compiler::Stage;

// The calendar a script names, relative to the script's file and turned into its table's bytes.
// Its own problems are listed as notes of one E0424 at the script's `calendar` line, so that a
// script's diagnostics stay about one file.
std::optional<std::vector<std::uint8_t>> load_script_calendar(const ast::Script& script, const SourceFile& source,
                                                              Diagnostics& diags, SourceProvider& sources) {
  if (!script.calendar.given) return std::vector<std::uint8_t>();
  const std::string path =
      (std::filesystem::path(source.name()).parent_path() / script.calendar.value).lexically_normal().string();
  SourceRead read = sources.read(path);
  if (!read.text) {
    diags.report(Code::E0424, script.calendar.span, "cannot read calendar `" + path + "`: " + read.error).hint =
        "the path is relative to the script's own file";
    return std::nullopt;
  }
  SourceFile file(path, std::move(*read.text));
  Diagnostics problems(file);
  std::optional<BusinessCalendar> calendar = load_calendar(file, problems);
  if (!calendar) {
    auto& d = diags.report(Code::E0424, script.calendar.span, "calendar `" + path + "` has errors");
    for (const Diagnostic& p : problems.all()) {
      const Position at = file.position(p.span.begin);
      d.notes.push_back({std::nullopt, path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                                           std::string(code_name(p.code)) + ": " + p.message});
    }
    return std::nullopt;
  }
  return calendar->to_bytes();
}

// The table's texts replace the prompts', and the source map follows them into the table's
// file, so that a proof about a translated text points at the translation.
bool apply_strings(bc::Image& image, prove::SourceMap& map, const StringsToApply& strings, Diagnostics& diags) {
  std::vector<TablePlace> places;
  if (!apply_string_table(strings.table, image, strings.diags, &places)) return false;
  const std::uint16_t file = diags.add_source(strings.table);
  for (std::size_t i = 0; i < places.size() && i < map.prompts.size(); ++i) {
    if (places[i].text.end == 0) continue;
    Span at = places[i].text;
    at.file = file;
    map.prompts[i] = {at, std::move(places[i].offsets)};
  }
  return true;
}

// `stage` says which stage is running, for the report of an exception that escapes it.
std::optional<bc::Image> run_stages(const SourceFile& source, Diagnostics& diags, const CompileOptions& options, Stage& stage) {
  stage = Stage::Parse;
  auto script = syntax::parse(source, diags);
  if (!script) return std::nullopt;
  // After a syntax error the recovered tree has holes; checking names on it would only add
  // noise, so sema runs on a clean parse (and then reports every error it finds).
  if (diags.error_count() > 0) return std::nullopt;
  stage = Stage::Imports;
  if (!imports::resolve(*script, source, diags, options.sources)) return std::nullopt;
  stage = Stage::Lower;
  if (!lower::lower_campaigns(*script, diags)) return std::nullopt;
  if (!lower::lower_asks(*script, diags)) return std::nullopt;
  stage = Stage::Sema;
  if (!sema::check(*script, diags)) return std::nullopt;
  stage = Stage::Calendar;
  auto calendar = load_script_calendar(*script, source, diags, options.sources);
  if (!calendar) return std::nullopt;
  if (options.today && !calendar->empty())
    if (const auto loaded = BusinessCalendar::from_bytes(*calendar); loaded.calendar)
      check_calendar_coverage(*loaded.calendar, script->calendar.span, *options.today, diags);
  stage = Stage::Codegen;
  prove::SourceMap map;
  bc::Image image = codegen::generate(*script, diags, std::move(*calendar), map);
  stage = Stage::Strings;
  if (options.strings && !apply_strings(image, map, *options.strings, diags)) return std::nullopt;
  // The proofs run on what the session will run: the program, with its string table applied.
  stage = Stage::Prove;
  prove::prove(image, &map, diags, {options.revisit_promise_words, options.revisit_promise_near_misses});
  if (diags.error_count() > 0) return std::nullopt;
  return image;
}

}  // namespace

// ANTLR's runtime reports every recognition error to our listener (E0100) and recovers; what it
// throws past the listener is a failure of the runtime, not of the input, so it is an internal
// error like any other exception.
std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags, const CompileOptions& options) {
  Stage stage = Stage::Parse;
  std::optional<bc::Image> image;
  try {
    image = run_stages(source, diags, options, stage);
  } catch (...) {
    compiler::report_internal_error(diags, stage);
    image.reset();
  }
  diags.sort_by_position();
  return image;
}

void prove_program(const bc::Image& image, Diagnostics& diags, std::span<const std::string> revisit_promise_words,
                   std::span<const std::string> revisit_promise_near_misses) {
  try {
    prove::prove(image, nullptr, diags, {revisit_promise_words, revisit_promise_near_misses});
  } catch (...) {
    compiler::report_internal_error(diags, Stage::Prove);
  }
}

}  // namespace callscript
