// What makes a prompt pattern renderable, in one place: the compiler reports these problems as
// diagnostics, the verifier refuses bytecode that has any. Prompts are ICU MessageFormat
// patterns whose arguments are slot names; number slots are passed as numbers, every other
// slot as text (bools as true/false, enums as the member's name).
#pragma once

#include <callscript/bytecode.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::bc {

struct PromptProblem {
  enum class Kind { Syntax, Numbered, UnknownSlot, Style };
  Kind kind;
  std::string message;
  std::uint32_t offset = 0;  // UTF-8 byte offset in the pattern
  std::uint32_t length = 1;  // bytes
  std::string name;          // the argument, for UnknownSlot and Style
};

// `slot_type` answers the type of a slot by name, or nothing when there is no such slot.
std::vector<PromptProblem> check_prompt(std::string_view pattern, std::string_view locale,
                                        const std::function<std::optional<SlotType>(std::string_view)>& slot_type);

}  // namespace callscript::bc
