// Two checks of verify() on flows as a whole, which the proofs rely on (lib/prove): every
// transition stays in its scope, and calls nest at most kMaxCallDepth deep, never in a cycle.
// Each returns an empty string, or the first problem found.
#pragma once

#include <callscript/bytecode.h>

#include <string>

namespace callscript::bc {

std::string check_scopes(const Image& im);
std::string check_calls(const Image& im);

}  // namespace callscript::bc
