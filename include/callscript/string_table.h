// String tables: a YAML file that replaces the text of prompts by their stable ids, to translate
// a script or to reword it without touching its logic (part of callscript_compiler: yaml-cpp and
// ICU). The runtime only ever sees the image the table was applied to.
//
//   # zh-CN overrides for consult
//   locale: zh-CN                  # optional: the locale prompts are then rendered in
//   prompts:
//     greet.1: "您好，这里是客户服务中心，工号{agent_id}为您服务。"
//     hold.wait.1: "请您稍等。"     # a flow's prompt: FLOW.STATE.N
//     "@handlers.1": "再见！"        # a script-wide handler's (quoted: YAML reserves a leading @)
//
// Each text is checked as the compiler checks a `say` (bytecode/prompt_check.h): a MessageFormat
// pattern whose arguments are slots of the script, formatted as their types allow. Problems are
// S-code diagnostics at the YAML line and column (grammar/ERRORS.md).
#pragma once

#include <callscript/bytecode.h>
#include <callscript/diagnostics.h>

namespace callscript {

// Reads `table` and applies it to `image`: every prompt it names gets the table's text (a new
// entry in the string pool; the old text stays, since other records may share it), and the
// script's locale becomes the table's `locale` when it gives one. Every problem goes to `diags`
// (made for `table`). All or nothing: on any error `image` is left as it was and false is
// returned. Never throws.
// `places`, when given, gets one entry per prompt: where the table wrote its new text (an empty
// span for a prompt it left alone), and the table offset of each byte of the text when the
// value can be traced byte by byte (else empty), so that a finding about the words can point
// into the table.
struct TablePlace {
  Span text;
  std::vector<std::uint32_t> offsets;
};
bool apply_string_table(const SourceFile& table, bc::Image& image, Diagnostics& diags,
                        std::vector<TablePlace>* places = nullptr);

}  // namespace callscript
