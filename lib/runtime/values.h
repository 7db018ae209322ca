// Parsing what the host inputs for a slot, by the slot's type. Shared by Session::input and
// nothing else; kept apart so that the rules for each type read in one place.
#pragma once

#include <callscript/bytecode.h>

#include <cstdint>
#include <string_view>

namespace callscript {

// Whether `value` fits slot `s` (digits of its length, a phone number, a number, true/false/是/否,
// HH:MM, one of its enum members' names, any valid UTF-8 text). Numbers, bools, times (minutes)
// and enum members (their index) go to `number`.
bool parse_slot_value(const bc::Image& im, const bc::Slot& s, std::string_view value, std::int64_t& number);

}  // namespace callscript
