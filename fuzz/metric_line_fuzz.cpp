// Fuzz target: what a trial prints. Each input is a run of output lines fed to the
// metric collector (protocol lines `h5tune: step=3 loss=0.41` and two regex metrics, as a
// study's [objective.metrics] compiles them), and each line to parse_metric_line directly.
// Output is data: parsing never throws, never crashes, and every metric it yields has a
// valid name.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "h5tune/metric_line.hpp"
#include "objective/metric_collector.hpp"

namespace {

using h5tune::objective_detail::CompiledRegexMetric;

const std::vector<CompiledRegexMetric>& regex_metrics() {
  static const std::vector<CompiledRegexMetric> metrics{
      {"loss", std::regex(R"(loss: ([0-9.eE+-]+))", std::regex::ECMAScript)},
      {"acc", std::regex(R"(acc(?:uracy)?\s*=\s*(\S+))", std::regex::ECMAScript)},
  };
  return metrics;
}

bool valid_name(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-')) return false;
  return true;
}

void check_line(std::string_view line) {
  std::string error;
  const auto parsed = h5tune::parse_metric_line(line, &error);
  if (!parsed) return;
  for (const auto& metric : parsed->metrics) {
    if (!valid_name(metric.name) || metric.name == "step") {
      std::fprintf(stderr, "parse_metric_line yielded the metric name '%s'\n", metric.name.c_str());
      std::abort();
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view output(reinterpret_cast<const char*>(data), size);
  h5tune::objective_detail::MetricCollector collector(regex_metrics());
  std::size_t begin = 0;
  while (begin <= output.size()) {
    std::size_t end = output.find('\n', begin);
    if (end == std::string_view::npos) end = output.size();
    const std::string_view line = output.substr(begin, end - begin);
    check_line(line);
    // The first byte picks the truncation flag, as a line cut at 64 KiB would be.
    (void)collector.read_line(line, size > 0 && (data[0] & 1) != 0, "stdout");
    begin = end + 1;
  }
  (void)collector.final_metrics();
  (void)collector.warnings();
  return 0;
}
