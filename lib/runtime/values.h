// Parsing what the host inputs for a slot, by the slot's type. Shared by Session::input and
// nothing else; kept apart so that the rules for each type read in one place.
#pragma once

#include <callscript/bytecode.h>

#include <cstdint>
#include <string_view>

namespace callscript {

// Whether `value` fits slot `s` (digits of its length, a phone number, a number, true/false/是/否,
// HH:MM, one of its enum members' names, valid UTF-8 text that is not blank). Numbers, bools,
// times (minutes) and enum members (their index) go to `number`.
bool parse_slot_value(const bc::Image& im, const bc::Slot& s, std::string_view value, std::int64_t& number);

// "HH:MM" or "H:MM", 00:00 to 23:59, as minutes since midnight: the input rule of a time slot,
// which sema also applies to time literals.
bool parse_time_of_day(std::string_view v, std::int64_t& minutes);

}  // namespace callscript
