#pragma once
// The comma-separated lists the benchmark programs take on their command lines
// ("--workers 1,4", "--methods random,asha").
#include <sstream>
#include <string>
#include <vector>

namespace h5tune::bench {

/// The non-empty parts of `text` between `sep`s.
inline std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);)
    if (!part.empty()) parts.push_back(part);
  return parts;
}

/// "1,4" as {1, 4}; std::stoi's exceptions for what is not a number.
inline std::vector<int> split_ints(const std::string& text) {
  std::vector<int> values;
  for (const auto& part : split(text, ',')) values.push_back(std::stoi(part));
  return values;
}

}  // namespace h5tune::bench
