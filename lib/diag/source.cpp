#include <callscript/diagnostics.h>

#include "text/text.h"

#include <algorithm>

namespace callscript {

SourceFile::SourceFile(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);

  if (auto bad = text::first_invalid_utf8(text_)) {
    invalid_utf8_ = static_cast<std::uint32_t>(*bad);
    return;
  }
  // Byte offset of each code point: ANTLR counts positions in code points.
  code_points_.reserve(text_.size());
  for (std::uint32_t i = 0; i < text_.size(); ++i)
    if ((static_cast<std::uint8_t>(text_[i]) & 0xC0) != 0x80) code_points_.push_back(i);
}

std::uint32_t SourceFile::byte_offset(std::size_t code_point) const {
  if (code_point < code_points_.size()) return code_points_[code_point];
  return static_cast<std::uint32_t>(text_.size());
}

Position SourceFile::position(std::uint32_t byte_offset) const {
  byte_offset = std::min<std::uint32_t>(byte_offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), byte_offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  const std::uint32_t start = line_starts_[line - 1];
  // Columns count code points; continuation bytes (10xxxxxx) do not start one. The table of
  // code points counts them without walking the line, which on a long line (a generated script
  // written on one) would cost the line's length for every position asked.
  std::uint32_t column = 1;
  if (!code_points_.empty()) {
    const auto first = std::lower_bound(code_points_.begin(), code_points_.end(), start);
    column += static_cast<std::uint32_t>(std::lower_bound(first, code_points_.end(), byte_offset) - first);
  } else {
    for (std::uint32_t i = start; i < byte_offset; ++i)
      if ((static_cast<std::uint8_t>(text_[i]) & 0xC0) != 0x80) ++column;
  }
  // A byte-order mark is invisible in every editor; don't count it as a column.
  if (line == 1 && byte_offset >= 3 && text_.starts_with("\xEF\xBB\xBF")) --column;
  return {line, column};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::uint32_t start = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<std::uint32_t>(text_.size());
  if (end > start && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(start, end - start);
}

}  // namespace callscript
