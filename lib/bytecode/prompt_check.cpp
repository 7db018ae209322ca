#include "bytecode/prompt_check.h"

#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>

#include <string>

namespace callscript::bc {

namespace {

// ICU reports an unmatched brace at the start of the pattern; find the brace itself. Quoting
// follows ICU's default: '' is a quote, and a quote before { or } starts a literal run.
std::int32_t unmatched_brace(const icu::UnicodeString& u) {
  std::vector<std::int32_t> open;
  bool quoted = false;
  for (std::int32_t i = 0; i < u.length(); ++i) {
    const char16_t c = u.charAt(i);
    if (c == u'\'') {
      if (i + 1 < u.length() && u.charAt(i + 1) == u'\'') ++i;
      else if (quoted || (i + 1 < u.length() && (u.charAt(i + 1) == u'{' || u.charAt(i + 1) == u'}'))) quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    if (c == u'{') open.push_back(i);
    else if (c == u'}') {
      if (open.empty()) return i;
      open.pop_back();
    }
  }
  return open.empty() ? 0 : open.back();
}

std::string syntax_message(UErrorCode status) {
  switch (status) {
    case U_UNMATCHED_BRACES: return "unmatched brace";
    case U_DEFAULT_KEYWORD_MISSING: return "a select or plural needs an `other` case";
    case U_DUPLICATE_KEYWORD: return "a select or plural names the same case twice";
    case U_PATTERN_SYNTAX_ERROR: return "syntax error in the pattern";
    case U_ILLEGAL_ARGUMENT_ERROR: return "bad argument";
    case U_ARGUMENT_TYPE_MISMATCH: return "argument of the wrong kind";
    default: return u_errorName(status);
  }
}

// A script's prompts share one locale: parsing its tag for each of them cost as much as the rest
// of the check, so the last one parsed is kept (per thread, as ICU objects are not shared).
const icu::Locale& locale_for(std::string_view tag) {
  thread_local std::string last_tag;
  thread_local icu::Locale last = icu::Locale::getRoot();
  thread_local bool parsed = false;
  if (!parsed || tag != last_tag) {
    UErrorCode status = U_ZERO_ERROR;
    last = icu::Locale::forLanguageTag(icu::StringPiece(tag.data(), static_cast<std::int32_t>(tag.size())), status);
    if (U_FAILURE(status)) last = icu::Locale::getRoot();
    last_tag = tag;
    parsed = true;
  }
  return last;
}

}  // namespace

std::vector<PromptProblem> check_prompt(std::string_view pattern, std::string_view locale_tag,
                                        const std::function<std::optional<SlotType>(std::string_view)>& slot_type) {
  std::vector<PromptProblem> problems;
  const icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(pattern.data(), static_cast<std::int32_t>(pattern.size())));
  auto byte_offset = [&](std::int32_t index16) {
    std::string prefix;
    u.tempSubString(0, index16).toUTF8String(prefix);
    return static_cast<std::uint32_t>(prefix.size());
  };
  UErrorCode status = U_ZERO_ERROR;
  UParseError perr{};
  icu::MessagePattern mp(u, &perr, status);
  if (U_FAILURE(status)) {
    const std::int32_t at = status == U_UNMATCHED_BRACES ? unmatched_brace(u) : std::max(0, perr.offset);
    problems.push_back({PromptProblem::Kind::Syntax, syntax_message(status), byte_offset(at), 1, {}});
    return problems;
  }

  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (std::int32_t k = 0; k + 1 < mp.countParts(); ++k) {
    const auto& start = mp.getPart(k);
    if (start.getType() != UMSGPAT_PART_TYPE_ARG_START) continue;
    const auto& name_part = mp.getPart(k + 1);
    std::string name;
    mp.getSubstring(name_part).toUTF8String(name);
    const std::uint32_t at = byte_offset(name_part.getIndex());
    const auto length = static_cast<std::uint32_t>(name.size());
    if (name_part.getType() == UMSGPAT_PART_TYPE_ARG_NUMBER) {
      problems.push_back({PromptProblem::Kind::Numbered, "{" + name + "}: prompt arguments are slot names, not numbers", at, length, name});
      continue;
    }
    const auto type = slot_type(name);
    if (!type) {
      problems.push_back({PromptProblem::Kind::UnknownSlot, "prompt refers to `" + name + "`, which is not a slot", at, length, name});
      continue;
    }
    const bool numeric = *type == SlotType::Number;
    const auto arg = start.getArgType();
    if (arg == UMSGPAT_ARG_TYPE_SELECT && numeric) {
      problems.push_back({PromptProblem::Kind::Style, "`" + name + "` is a number slot; `select` chooses by text, bool or enum", at, length, name});
      continue;
    }
    if ((arg == UMSGPAT_ARG_TYPE_SIMPLE || arg == UMSGPAT_ARG_TYPE_CHOICE || arg == UMSGPAT_ARG_TYPE_PLURAL ||
         arg == UMSGPAT_ARG_TYPE_SELECTORDINAL) && !numeric) {
      problems.push_back({PromptProblem::Kind::Style, "`" + name + "` is not a number slot, but this argument formats a number", at, length, name});
      continue;
    }
    names.push_back(mp.getSubstring(name_part));
    values.push_back(numeric ? icu::Formattable(static_cast<int64_t>(0)) : icu::Formattable(icu::UnicodeString()));
  }
  if (!problems.empty()) return problems;

  // One trial render with placeholder values catches what ICU checks only when formatting.
  icu::MessageFormat format(u, locale_for(locale_tag), perr, status);
  icu::UnicodeString out;
  if (U_SUCCESS(status)) format.format(names.data(), values.data(), static_cast<std::int32_t>(names.size()), out, status);
  if (U_FAILURE(status)) problems.push_back({PromptProblem::Kind::Syntax, "ICU cannot format this prompt: " + syntax_message(status), byte_offset(std::max(0, perr.offset)), 1, {}});
  return problems;
}

}  // namespace callscript::bc
