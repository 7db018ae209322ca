#include <callscript/diagnostics.h>

#include "text/text.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>

namespace callscript {

namespace {

struct CodeInfo {
  const char* name;
  Severity severity;
  const char* title;
};

constexpr CodeInfo kCodes[] = {
#define CALLSCRIPT_DIAG_INFO(code, severity, title) {#code, Severity::severity, title},
    CALLSCRIPT_DIAGNOSTICS(CALLSCRIPT_DIAG_INFO)
#undef CALLSCRIPT_DIAG_INFO
};

const char* severity_word(Severity s) {
  switch (s) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

struct Palette {
  bool on;
  const char* bold() const { return on ? "\x1b[1m" : ""; }
  const char* reset() const { return on ? "\x1b[0m" : ""; }
  const char* blue() const { return on ? "\x1b[1;34m" : ""; }
  const char* caret() const { return on ? "\x1b[1;32m" : ""; }
  const char* of(Severity s) const {
    if (!on) return "";
    switch (s) {
      case Severity::Error: return "\x1b[1;31m";
      case Severity::Warning: return "\x1b[1;35m";
      case Severity::Note: return "\x1b[1;36m";
    }
    return "";
  }
};

// Columns a code point takes on a terminal: East Asian wide and fullwidth characters take two.
int display_width(UChar32 c) {
  if (c == '\t') return 1;
  const auto w = static_cast<UEastAsianWidth>(u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH));
  if (w == U_EA_WIDE || w == U_EA_FULLWIDTH) return 2;
  if (u_getCombiningClass(c) != 0) return 0;
  return 1;
}

// The source line as printed (invalid bytes shown as U+FFFD) and the caret line under
// [from, to) byte offsets within it; tabs are kept in the padding so the caret lines up.
void render_line(std::string& out, std::string_view line, std::uint32_t from, std::uint32_t to,
                 std::string_view gutter, const Palette& p) {
  std::string shown, carets;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(line.data());
  const auto length = static_cast<std::int32_t>(line.size());
  bool marked = false;
  for (std::int32_t i = 0; i < length;) {
    const auto start = static_cast<std::uint32_t>(i);
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      shown += "\xEF\xBF\xBD";
    } else {
      shown.append(line.substr(start, static_cast<std::uint32_t>(i) - start));
    }
    const int width = c < 0 ? 1 : display_width(c);
    if (start < from) {
      carets.append(c == '\t' ? "\t" : std::string(static_cast<std::size_t>(width), ' '));
    } else if (start < to) {
      carets.append(static_cast<std::size_t>(std::max(width, 1)), '^');
      marked = true;
    }
  }
  if (!marked) carets += '^';  // an empty span, or one at the end of the line
  out += gutter;
  out += p.blue();
  out += " | ";
  out += p.reset();
  out += shown;
  out += '\n';
  out += std::string(gutter.size(), ' ');
  out += p.blue();
  out += " | ";
  out += p.reset();
  out += p.caret();
  out += carets;
  out += p.reset();
  out += '\n';
}

void render_snippet(std::string& out, const SourceFile& src, Span span, std::size_t gutter_width, const Palette& p) {
  const Position at = src.position(span.begin);
  const std::string_view line = src.line_text(at.line);
  const std::uint32_t line_start = static_cast<std::uint32_t>(line.data() - src.text().data());
  const std::uint32_t from = span.begin - line_start;
  // A span that runs past its first line is underlined to the end of that line.
  const std::uint32_t to = std::min<std::uint32_t>(std::max(span.end, span.begin + 1) - line_start,
                                                   static_cast<std::uint32_t>(line.size()));
  std::string gutter = std::to_string(at.line);
  gutter.insert(0, gutter_width > gutter.size() ? gutter_width - gutter.size() : 0, ' ');
  render_line(out, line, from, std::max(to, from + 1), gutter, p);
}

void append_json_location(std::string& out, const SourceFile& src, Span span) {
  const Position b = src.position(span.begin), e = src.position(span.end);
  out += "\"file\":";
  text::append_json_string(out, src.name());
  out += ",\"line\":" + std::to_string(b.line) + ",\"column\":" + std::to_string(b.column);
  out += ",\"end_line\":" + std::to_string(e.line) + ",\"end_column\":" + std::to_string(e.column);
}

void append_json_diagnostic(std::string& out, const Diagnostics& diags, const Diagnostic& d) {
  out += "{\"code\":\"";
  out += code_name(d.code);
  out += "\",\"severity\":\"";
  out += severity_word(d.severity);
  out += "\",\"message\":";
  text::append_json_string(out, d.message);
  out += ',';
  append_json_location(out, diags.source(d.span.file), d.span);
  out += ",\"notes\":[";
  for (std::size_t i = 0; i < d.notes.size(); ++i) {
    if (i) out += ',';
    out += "{\"message\":";
    text::append_json_string(out, d.notes[i].message);
    if (d.notes[i].span) {
      out += ',';
      append_json_location(out, diags.source(d.notes[i].span->file), *d.notes[i].span);
    }
    out += '}';
  }
  out += "],\"help\":";
  text::append_json_string(out, d.hint);
  if (!d.rule.empty()) {
    out += ",\"rule\":";
    text::append_json_string(out, d.rule);
  }
  out += '}';
}

}  // namespace

std::string_view code_name(Code c) { return kCodes[static_cast<std::size_t>(c)].name; }
Severity default_severity(Code c) { return kCodes[static_cast<std::size_t>(c)].severity; }
std::string_view code_title(Code c) { return kCodes[static_cast<std::size_t>(c)].title; }

Diagnostic& Diagnostics::report(Code code, Span span, std::string message) {
  list_.push_back(Diagnostic{code, default_severity(code), std::move(message), span, {}, {}, {}});
  return list_.back();
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

std::size_t Diagnostics::warning_count() const {
  return static_cast<std::size_t>(std::count_if(list_.begin(), list_.end(), [](const Diagnostic& d) { return d.severity == Severity::Warning; }));
}

std::uint16_t Diagnostics::add_source(SourceFile file) {
  imported_.push_back(std::make_shared<const SourceFile>(std::move(file)));
  return static_cast<std::uint16_t>(imported_.size());
}

void Diagnostics::sort_by_position() {
  // The main file first, then each imported file in the order it was read.
  std::stable_sort(list_.begin(), list_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return a.span.file != b.span.file ? a.span.file < b.span.file : a.span.begin < b.span.begin;
  });
  const auto same = [](const Diagnostic& a, const Diagnostic& b) {
    return a.code == b.code && a.span.file == b.span.file && a.span.begin == b.span.begin && a.span.end == b.span.end &&
           a.message == b.message;
  };
  list_.erase(std::unique(list_.begin(), list_.end(), same), list_.end());
}

std::string render_human(const Diagnostics& diags, RenderOptions options) {
  const Palette p{options.color};
  std::string out;
  for (const Diagnostic& d : diags.all()) {
    const SourceFile& src = diags.source(d.span.file);
    const Position at = src.position(d.span.begin);
    out += p.bold();
    out += src.name() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": ";
    out += p.of(d.severity);
    out += severity_word(d.severity);
    out += "[";
    out += code_name(d.code);
    out += "]: ";
    out += p.reset();
    out += p.bold();
    out += d.message;
    if (!d.rule.empty()) out += " [" + d.rule + "]";
    out += p.reset();
    out += '\n';
    // One gutter width for the diagnostic and its notes, so that their bars line up.
    std::size_t width = std::to_string(at.line).size();
    for (const Note& n : d.notes)
      if (n.span) width = std::max(width, std::to_string(diags.source(n.span->file).position(n.span->begin).line).size());
    render_snippet(out, src, d.span, width, p);
    for (const Note& n : d.notes) {
      if (n.span) {
        const SourceFile& there = diags.source(n.span->file);
        const Position np = there.position(n.span->begin);
        out += there.name() + ":" + std::to_string(np.line) + ":" + std::to_string(np.column) + ": ";
        out += p.of(Severity::Note);
        out += "note: ";
        out += p.reset();
        out += n.message + "\n";
        render_snippet(out, there, *n.span, width, p);
      } else {
        out += std::string("  = ") + p.of(Severity::Note) + "note" + p.reset() + ": " + n.message + "\n";
      }
    }
    if (!d.hint.empty()) out += std::string("  = ") + p.bold() + "help" + p.reset() + ": " + d.hint + "\n";
  }
  return out;
}

std::string render_json(const Diagnostics& diags) {
  const Diagnostics* one[] = {&diags};
  return render_json(one);
}

std::string render_json(std::span<const Diagnostics* const> files) {
  std::string out = "[";
  bool first = true;
  for (const Diagnostics* diags : files)
    for (const Diagnostic& d : diags->all()) {
      out += first ? "\n  " : ",\n  ";
      first = false;
      append_json_diagnostic(out, *diags, d);
    }
  out += first ? "]\n" : "\n]\n";
  return out;
}

std::optional<std::string> closest_name(std::string_view name, const std::vector<std::string_view>& candidates) {
  // Levenshtein distance; a suggestion must be within a third of the name's length.
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = row[0];
      row[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t up = row[j];
        row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return row[b.size()];
  };
  std::optional<std::string> best;
  std::size_t best_distance = std::max<std::size_t>(1, name.size() / 3) + 1;
  for (const std::string_view c : candidates) {
    const std::size_t d = distance(name, c);
    if (d < best_distance) {
      best_distance = d;
      best = std::string(c);
    }
  }
  return best;
}

}  // namespace callscript
