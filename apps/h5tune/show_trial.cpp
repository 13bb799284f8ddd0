#include "show_trial.hpp"

#include <time.h>

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "show_lineage.hpp"

namespace h5tune::cli {
namespace {

constexpr std::size_t curve_rows_kept = 10;  // at each end of a long learning curve

std::string utc(double unix_seconds) {
  if (!std::isfinite(unix_seconds)) return "-";
  const auto whole = static_cast<time_t>(std::floor(unix_seconds));
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", text, static_cast<int>((unix_seconds - std::floor(unix_seconds)) * 1000));
}

std::string seconds(double s) { return std::isfinite(s) ? fmt::format("{:.3f} s", s) : "-"; }

void print_curve(std::ostream& out, const std::vector<Report>& reports) {
  std::vector<std::string> names;
  for (const auto& r : reports)
    for (const auto& m : r.metrics)
      if (std::find(names.begin(), names.end(), m.name) == names.end()) names.push_back(m.name);
  out << fmt::format("\nlearning curve ({} reports):\n  {:>8}", reports.size(), "step");
  for (const auto& n : names) out << fmt::format("  {:>14}", n.size() > 14 ? n.substr(0, 13) + "~" : n);
  out << '\n';
  const bool cut = reports.size() > 2 * curve_rows_kept;
  for (std::size_t i = 0; i < reports.size(); ++i) {
    if (cut && i == curve_rows_kept) {
      out << fmt::format("  {:>8}\n", fmt::format("({} more)", reports.size() - 2 * curve_rows_kept));
      i = reports.size() - curve_rows_kept;
    }
    out << fmt::format("  {:>8}", reports[i].step);
    for (const auto& n : names) {
      const auto v = find_metric(reports[i].metrics, n);
      out << fmt::format("  {:>14}", v ? fmt::format("{:.8g}", *v) : std::string("-"));
    }
    out << '\n';
  }
}

}  // namespace

void print_trial(std::ostream& out, const LogReader& log, std::int64_t id) {
  const std::int64_t count = log.trial_count();
  if (id < 0 || id >= count)
    throw InputError(fmt::format("{}: no trial {} (the log holds trials 0..{})", log.path().string(), id, count - 1));
  const TrialRecord t = log.trials(id, 1).at(0);
  const LogHeader& h = log.header();
  const auto hosts = log.hosts();
  out << fmt::format("trial      {} of study {}\n", t.id, h.study_name);
  if (t.id < h.enqueued) out << fmt::format("origin     [[enqueue]] point {} of {}\n", t.id + 1, h.enqueued);
  else out << fmt::format("origin     strategy {}\n", h.strategy);
  // Counted from 1, as failure messages count ("attempt 2: ...; earlier attempt 1: ..."); the
  // log's attempt column counts re-runs from 0.
  out << fmt::format("state      {}{}\n", to_string(t.state), t.attempt ? fmt::format(" (attempt {})", t.attempt + 1) : "");
  out << fmt::format("{:<10} {}\n", h.metric, std::isnan(t.value) ? std::string("-") : fmt::format("{:.10g}", t.value));
  out << fmt::format("seed       {}\n", t.seed);
  if (t.parent >= 0) out << fmt::format("parent     {}\n", t.parent);
  if (t.budget > 0) out << fmt::format("budget     {}\n", t.budget);
  const std::string host = t.host >= 0 && static_cast<std::size_t>(t.host) < hosts.size() ? hosts[static_cast<std::size_t>(t.host)] : "-";
  out << fmt::format("rank       {} (host {})\n", t.rank, host);
  out << fmt::format("created    {}\n", utc(t.t_created));
  out << fmt::format("started    {} (queued {})\n", utc(t.t_started), seconds(t.t_started - t.t_created));
  out << fmt::format("finished   {} (ran {})\n", utc(t.t_finished), seconds(t.t_finished - t.t_started));
  out << "\nparameters:\n";
  for (std::size_t i = 0; i < h.space.size(); ++i)
    out << fmt::format("  {:<16} {}\n", h.space[i].name, i < t.values.size() ? h.space.format(i, t.values[i]) : "-");
  if (!t.metrics.empty()) {
    out << "\nmetrics:\n";
    for (const auto& m : t.metrics) out << fmt::format("  {:<16} {:.10g}\n", m.name, m.value);
  }
  if (!t.message.empty()) out << fmt::format("\nmessage:\n  {}\n", t.message);
  if (!t.stderr_tail.empty()) {
    out << "\nstderr (tail):\n";
    std::string line;
    for (char c : t.stderr_tail) {
      if (c == '\n') {
        out << "  " << line << '\n';
        line.clear();
      } else {
        line += c;
      }
    }
    if (!line.empty()) out << "  " << line << '\n';
  }
  if (t.parent >= 0) {
    out << '\n';
    print_lineage(out, log, id);
  }
  std::vector<Report> reports;
  for (auto& r : log.reports())
    if (r.trial == id) reports.push_back(std::move(r));
  if (reports.empty()) out << "\nlearning curve: no intermediate reports\n";
  else print_curve(out, reports);
}

}  // namespace h5tune::cli
