// Rendering prompts with ICU MessageFormat. This is the UI path, off the per-event hot path: it
// may allocate and parse. The verifier has already formatted every prompt once with values of
// the right kinds, so an error here should not happen; if one does, the host gets the raw
// pattern rather than an exception or an empty line.
#include <callscript/session.h>

#include <unicode/locid.h>
#include <unicode/messagepattern.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

namespace callscript {
namespace {

icu::Locale script_locale(const Program& program) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Locale locale =
      icu::Locale::forLanguageTag(program.image().str(program.image().script.locale), status);
  return U_FAILURE(status) ? icu::Locale::getRoot() : locale;
}

}  // namespace

std::vector<RenderedPrompt> Session::prompts() const {
  std::vector<RenderedPrompt> out;
  out.reserve(prompts_.size());
  const bc::Image& im = program_->image();
  const icu::Locale locale = script_locale(*program_);
  for (const PromptRef& ref : prompts_) {
    const bc::Prompt& p = im.prompts[ref.prompt];
    const std::string_view raw = im.str(p.text);
    const icu::UnicodeString pattern = icu::UnicodeString::fromUTF8(raw);

    // Pass exactly the slots the pattern names, each as the kind the verifier checked it for:
    // numbers as int64, everything else as the text slot_text gives (true/false, member name).
    UErrorCode status = U_ZERO_ERROR;
    UParseError perr{};
    icu::MessagePattern parts(pattern, &perr, status);
    std::vector<icu::UnicodeString> names;
    std::vector<icu::Formattable> values;
    for (int32_t k = 0; U_SUCCESS(status) && k < parts.countParts(); ++k) {
      const icu::MessagePattern::Part& part = parts.getPart(k);
      if (part.getType() != UMSGPAT_PART_TYPE_ARG_NAME) continue;
      icu::UnicodeString name = parts.getSubstring(part);
      std::string utf8;
      name.toUTF8String(utf8);
      const std::optional<SlotId> slot = program_->slot_id(utf8);
      if (!slot) continue;
      if (im.slots[*slot].type == bc::SlotType::Number)
        values.emplace_back(static_cast<int64_t>(ints_[program_->slot_storage(*slot)]));
      else
        values.emplace_back(icu::UnicodeString::fromUTF8(slot_text(*slot)));
      names.push_back(std::move(name));
    }

    icu::UnicodeString rendered;
    if (U_SUCCESS(status)) {
      icu::MessageFormat format(pattern, locale, perr, status);
      if (U_SUCCESS(status))
        format.format(names.data(), values.data(), static_cast<int32_t>(names.size()), rendered,
                      status);
    }
    std::string text;
    if (U_SUCCESS(status))
      rendered.toUTF8String(text);
    else
      text.assign(raw);
    out.push_back(RenderedPrompt{im.str(p.id), std::move(text)});
  }
  return out;
}

}  // namespace callscript
