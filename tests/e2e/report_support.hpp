#pragma once
// Looking into the page `h5tune report` writes: one plot's <svg>, and counting its marks.
#include <string>

namespace h5tune::test {

/// The <svg> element of plot `name` (empty when missing).
inline std::string plot(const std::string& html, const std::string& name) {
  const auto at = html.find("data-plot=\"" + name + "\"");
  if (at == std::string::npos) return {};
  const auto start = html.rfind("<svg", at);
  const auto end = html.find("</svg>", at);
  if (start == std::string::npos || end == std::string::npos) return {};
  return html.substr(start, end - start);
}

/// How often `what` occurs in `text`.
inline std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

}  // namespace h5tune::test
