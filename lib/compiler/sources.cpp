// The two source providers callscript ships: the files on disk (callc, the transcript runner, the
// linter) and files in memory (tests, a language server's buffers).
#include <callscript/compiler.h>

#include "text/text.h"

#include <filesystem>

namespace callscript {

namespace {

namespace fs = std::filesystem;

std::string normal(std::string_view path) { return fs::path(path).lexically_normal().string(); }

}  // namespace

std::string SourceProvider::identity(std::string_view path) { return normal(path); }

SourceRead FileSourceProvider::read(std::string_view path) {
  SourceRead r;
  std::string content;
  if (text::read_file(fs::path(path), content, r.error)) r.text = std::move(content);
  return r;
}

std::string FileSourceProvider::identity(std::string_view path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(fs::absolute(fs::path(path), ec), ec);
  return ec ? normal(path) : canonical.string();
}

void MemorySourceProvider::add(std::string_view path, std::string text) { files_.insert_or_assign(normal(path), std::move(text)); }

SourceRead MemorySourceProvider::read(std::string_view path) {
  asked_.emplace_back(path);
  if (auto it = files_.find(normal(path)); it != files_.end()) return {it->second, {}};
  return {std::nullopt, "no such file among the in-memory sources"};
}

}  // namespace callscript
