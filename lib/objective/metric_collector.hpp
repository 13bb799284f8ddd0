#pragma once
// Turns a running program's output lines into metrics: protocol lines
// (`h5tune: step=3 loss=0.41`) and regex matches.
#include <cstddef>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "h5tune/metric_line.hpp"

namespace h5tune::objective_detail {

/// A RegexMetric with its pattern compiled (once, when the objective is built).
struct CompiledRegexMetric {
  std::string name;
  std::regex pattern;
};

/// Collects the metrics of one trial from its output lines.
///
/// Final metrics come from protocol lines without `step` and from regex matches (on lines
/// of at most 4 KiB: std::regex recurses per character matched); the last
/// value of each name wins. A metric seen only in step reports also counts as final with
/// its last reported value. Problems (malformed pairs, captures that are no number) are
/// remembered as warnings, at most `max_warnings` distinct ones plus a count of the rest.
class MetricCollector {
 public:
  explicit MetricCollector(const std::vector<CompiledRegexMetric>& regex_metrics)
      : regex_metrics_(&regex_metrics) {}

  /// Reads one line (`source` names the stream in warnings). Returns the line's
  /// intermediate report when it is a protocol line with a step.
  std::optional<MetricLine> read_line(std::string_view line, bool truncated, std::string_view source);

  /// The final metrics, in the order first seen.
  Metrics final_metrics() const;
  /// All warnings as one text ("" when there were none).
  std::string warnings() const;

 private:
  void warn(std::string text);
  static void set(Metrics& metrics, const std::string& name, double value);

  static constexpr std::size_t max_warnings = 8;
  /// Longest line the regex metrics are matched against (see read_line).
  static constexpr std::size_t max_regex_line = 4096;
  const std::vector<CompiledRegexMetric>* regex_metrics_;
  Metrics final_;
  Metrics reported_;
  std::vector<std::string> warnings_;
  std::size_t more_warnings_ = 0;
};

}  // namespace h5tune::objective_detail
