// The inputs of a callc command: FILE as given, DIR searched recursively for the extensions the
// command reads, sorted so that the output is the same on every machine.
#pragma once

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace callscript::cli {

inline bool collect_files(const std::string& arg, std::initializer_list<std::string_view> extensions, std::vector<std::string>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(arg, ec)) {
    if (!fs::exists(arg, ec)) {
      std::cerr << "callc: cannot read " << arg << ": no such file or directory\n";
      return false;
    }
    out.push_back(arg);
    return true;
  }
  std::vector<std::string> found;
  for (fs::recursive_directory_iterator it(arg, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file(ec) && std::find(extensions.begin(), extensions.end(), ext) != extensions.end())
      found.push_back(it->path().lexically_normal().string());
  }
  if (ec) {
    std::cerr << "callc: cannot read " << arg << ": " << ec.message() << "\n";
    return false;
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
  return true;
}

}  // namespace callscript::cli
