#include <callscript/compiler.h>

#include "codegen/codegen.h"
#include "sema/check.h"
#include "syntax/parse.h"

#include <exception>

namespace callscript {

namespace {

std::optional<bc::Image> run_stages(const SourceFile& source, Diagnostics& diags) {
  auto script = syntax::parse(source, diags);
  if (!script) return std::nullopt;
  // After a syntax error the recovered tree has holes; checking names on it would only add
  // noise, so sema runs on a clean parse (and then reports every error it finds).
  if (diags.error_count() > 0) return std::nullopt;
  if (!sema::check(*script, diags)) return std::nullopt;
    return codegen::generate(*script, source);
}

}  // namespace

std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags) {
  try {
    auto image = run_stages(source, diags);
    diags.sort_by_position();
    return image;
  } catch (const std::exception& e) {
    // ANTLR's runtime may throw on conditions our listener does not see; never let it escape.
    diags.report(Code::E0100, {0, 0}, std::string("the parser gave up: ") + e.what());
    return std::nullopt;
  }
}

}  // namespace callscript
