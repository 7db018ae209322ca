#include <callscript/calendar_yaml.h>
#include <callscript/compiler.h>

#include "codegen/codegen.h"
#include "compiler/calendar_coverage.h"
#include "imports/imports.h"
#include "lower/lower.h"
#include "sema/check.h"
#include "syntax/parse.h"
#include "text/text.h"

#include <exception>
#include <filesystem>

namespace callscript {

namespace {

// The calendar a script names, read relative to the script's file and turned into its table's
// bytes. Its own problems are listed as notes of one E0424 at the script's `calendar` line, so
// that a script's diagnostics stay about one file.
std::optional<std::vector<std::uint8_t>> load_script_calendar(const ast::Script& script, const SourceFile& source,
                                                              Diagnostics& diags) {
  if (!script.calendar.given) return std::vector<std::uint8_t>();
  const auto path = (std::filesystem::path(source.name()).parent_path() / script.calendar.value).lexically_normal();
  std::string content, why;
  if (!text::read_file(path, content, why)) {
    diags.report(Code::E0424, script.calendar.span, "cannot read calendar `" + path.string() + "`: " + why).hint =
        "the path is relative to the script's own file";
    return std::nullopt;
  }
  SourceFile file(path.string(), std::move(content));
  Diagnostics problems(file);
  std::optional<BusinessCalendar> calendar = load_calendar(file, problems);
  if (!calendar) {
    auto& d = diags.report(Code::E0424, script.calendar.span, "calendar `" + path.string() + "` has errors");
    for (const Diagnostic& p : problems.all()) {
      const Position at = file.position(p.span.begin);
      d.notes.push_back({std::nullopt, path.string() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                                           std::string(code_name(p.code)) + ": " + p.message});
    }
    return std::nullopt;
  }
  return calendar->to_bytes();
}

std::optional<bc::Image> run_stages(const SourceFile& source, Diagnostics& diags, const CompileOptions& options) {
  auto script = syntax::parse(source, diags);
  if (!script) return std::nullopt;
  // After a syntax error the recovered tree has holes; checking names on it would only add
  // noise, so sema runs on a clean parse (and then reports every error it finds).
  if (diags.error_count() > 0) return std::nullopt;
  if (!imports::resolve(*script, source, diags)) return std::nullopt;
  if (!lower::lower_campaigns(*script, diags)) return std::nullopt;
  if (!lower::lower_asks(*script, diags)) return std::nullopt;
  if (!sema::check(*script, diags)) return std::nullopt;
  auto calendar = load_script_calendar(*script, source, diags);
  if (!calendar) return std::nullopt;
  if (options.today && !calendar->empty())
    if (const auto loaded = BusinessCalendar::from_bytes(*calendar); loaded.calendar)
      check_calendar_coverage(*loaded.calendar, script->calendar.span, *options.today, diags);
  return codegen::generate(*script, diags, std::move(*calendar));
}

}  // namespace

std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags, const CompileOptions& options) {
  try {
    auto image = run_stages(source, diags, options);
    diags.sort_by_position();
    return image;
  } catch (const std::exception& e) {
    // ANTLR's runtime may throw on conditions our listener does not see; never let it escape.
    diags.report(Code::E0100, {0, 0}, std::string("the parser gave up: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace callscript
