#include "objective/metric_collector.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "objective/number_text.hpp"

namespace h5tune::objective_detail {
namespace {

// Quotes of program output in warnings are cut: the message ends up in the log.
std::string excerpt(std::string_view text, std::size_t max = 40) {
  return text.size() <= max ? std::string(text) : std::string(text.substr(0, max)) + "...";
}

}  // namespace

std::optional<MetricLine> MetricCollector::read_line(std::string_view line, bool truncated,
                                                     std::string_view source) {
  std::optional<MetricLine> report;
  // A cut line could carry a cut number: only whole lines are protocol lines.
  if (!truncated) {
    std::string error;
    if (auto parsed = parse_metric_line(line, &error)) {
      if (!error.empty()) warn(fmt::format("{} protocol line: {}", source, excerpt(error, 200)));
      if (parsed->step) {
        for (const auto& m : parsed->metrics) set(reported_, m.name, m.value);
        report = std::move(parsed);
      } else {
        for (const auto& m : parsed->metrics) set(final_, m.name, m.value);
      }
    } else if (!error.empty()) {
      warn(fmt::format("{}: {}", source, error));
    }
  }
  // std::regex (libstdc++) matches by recursion, one level per character: a 25 KB match
  // overflowed the 8 MB stack (found by fuzz/metric_line_fuzz.cpp). Lines that carry a
  // metric are short; longer ones are output, not data for the regexes.
  if (!regex_metrics_->empty() && line.size() > max_regex_line) {
    warn(fmt::format("regex metrics skip {} lines longer than {} bytes", source, max_regex_line));
    return report;
  }
  for (const auto& metric : *regex_metrics_) {
    std::match_results<std::string_view::const_iterator> match;
    if (!std::regex_search(line.begin(), line.end(), match, metric.pattern)) continue;
    const std::string_view capture =
        match.size() > 1 && match[1].matched
            ? line.substr(static_cast<std::size_t>(match.position(1)),
                          static_cast<std::size_t>(match.length(1)))
            : std::string_view();
    if (const auto value = parse_number(capture))
      set(final_, metric.name, *value);
    else
      warn(fmt::format("metric '{}': regex matched on {} but captured '{}', which is not a number",
                       metric.name, source, excerpt(capture)));
  }
  return report;
}

Metrics MetricCollector::final_metrics() const {
  Metrics metrics = final_;
  for (const auto& m : reported_)
    if (std::none_of(metrics.begin(), metrics.end(), [&](const Metric& f) { return f.name == m.name; }))
      metrics.push_back(m);
  return metrics;
}

std::string MetricCollector::warnings() const {
  std::string text;
  for (const auto& w : warnings_) text += (text.empty() ? "" : "; ") + w;
  if (more_warnings_ > 0) text += fmt::format("; and {} more warnings", more_warnings_);
  return text;
}

void MetricCollector::warn(std::string text) {
  if (std::find(warnings_.begin(), warnings_.end(), text) != warnings_.end()) return;
  if (warnings_.size() < max_warnings) warnings_.push_back(std::move(text));
  else ++more_warnings_;
}

void MetricCollector::set(Metrics& metrics, const std::string& name, double value) {
  for (auto& m : metrics)
    if (m.name == name) {
      m.value = value;
      return;
    }
  metrics.push_back({name, value});
}

}  // namespace h5tune::objective_detail
