// The compiler's front door: .call source in, a bytecode Image and diagnostics out.
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

#include <chrono>
#include <optional>

namespace callscript {

struct CompileOptions {
  // Today's date, for W0003: the business calendar the script names should cover today and the
  // 60 days after it. Unset, the check is not made, so that what compiles does not depend on
  // the day it is compiled; `callc check` and `callc build` set it (the system clock's date in
  // UTC, or their --today).
  std::optional<std::chrono::sys_days> today;
};

// Parses, checks and generates code for `source`. Every problem goes to `diags` (which must be
// made for `source`); the image is returned only when there were no errors. Never throws.
std::optional<bc::Image> compile(const SourceFile& source, Diagnostics& diags, const CompileOptions& options = {});

}  // namespace callscript
