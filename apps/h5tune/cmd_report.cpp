// `h5tune report run.h5 -o report.html`: one self-contained HTML page of plots and tables.
// The plots are inline SVG computed here: the page loads nothing (no script, no CDN), so it
// can be mailed, archived next to the log, or opened on a cluster without network.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/version.hpp"
#include "hdf5_output_guard.hpp"
#include "report_importance.hpp"
#include "report_lineage.hpp"
#include "report_plots.hpp"
#include "report_stats.hpp"
#include "report_svg.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

using report::escape;
using report::short_number;

struct ReportArgs {
  std::string log;
  std::string output;
  std::size_t max_points = 5000;
  int top = 10;
  bool force = false;  ///< --force: replace an output file that is an HDF5 file
};

constexpr const char* style = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1000px; color: #222; }
h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 32px; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; margin: 8px 0; } td, th { padding: 2px 10px; text-align: left; border-bottom: 1px solid #eee; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.notes { background: #fff8e0; border: 1px solid #e8d9a0; padding: 6px 10px; }
.slices { display: flex; flex-wrap: wrap; gap: 8px; }
svg { background: #fff; display: block; margin: 8px 0; }
svg .title { font-weight: 600; font-size: 13px; } svg .tick { font-size: 11px; fill: #555; } svg .label { font-size: 12px; }
svg .frame { fill: none; stroke: #999; } svg .grid { stroke: #eee; } svg .axis { stroke: #666; }
svg circle.state-complete { fill: #3b528b; fill-opacity: 0.75; }
svg circle.state-pending, svg circle.state-running { fill: none; stroke: #888; }
svg path.mark { stroke: #c0392b; stroke-width: 1.5; fill: none; } svg path.state-interrupted { stroke: #888; }
svg .best { fill: none; stroke: #e67e22; stroke-width: 2; }
svg polyline.line { fill: none; stroke-opacity: 0.55; stroke-width: 1.2; }
svg polyline.curve { fill: none; stroke: #3b528b; stroke-opacity: 0.45; } svg polyline.curve.state-pruned { stroke: #e67e22; }
svg polyline.curve.state-failed { stroke: #c0392b; } svg circle.end { fill: #3b528b; }
svg rect.bar { fill: #21918c; } svg rect.state-failed { fill: #c0392b; } svg rect.state-pruned { fill: #e67e22; }
svg rect.state-running { fill: #9ecae1; }
svg rect.cell { stroke: none; } svg line.link { stroke-opacity: 0.5; } svg circle.point { fill: #fff; fill-opacity: 0.8; stroke: #222; stroke-width: 0.8; }
 svg rect.state-interrupted { fill: #999; } svg rect.state-merged { fill: #5e8f8c; }
)css";

std::string row(std::string_view key, const std::string& value) {
  return fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", escape(key), escape(value));
}

std::string summary_table(const LogReader& log, const report::StudyStats& stats, const report::Timeline& timeline) {
  const LogHeader& h = log.header();
  std::string states;
  for (std::size_t s = 0; s < stats.by_state.size(); ++s)
    if (stats.by_state[s]) states += fmt::format("{}{} {}", states.empty() ? "" : ", ", stats.by_state[s], to_string(static_cast<TrialState>(s)));
  std::string hosts;
  for (const auto& host : log.hosts()) hosts += (hosts.empty() ? "" : ", ") + host;
  std::string out = "<table class=\"summary\">\n";
  out += row("study", h.study_name);
  out += row("log", log.path().filename().string() + fmt::format(" (format {}, h5tune {} {})", h.format_version, h.h5tune_version, h.git_sha));
  out += row("created", h.created);
  out += row("strategy", fmt::format("{} (seed {})", h.strategy, h.seed));
  out += row("objective", fmt::format("{} {}", h.direction, h.metric));
  out += row("budget", h.max_trials > 0 ? trials_text(h.max_trials) : std::string("none"));
  out += row("trials", fmt::format("{}{}{}", stats.trials, states.empty() ? "" : ": ", states));
  if (h.enqueued > 0) out += row("enqueued", enqueued_text(h.enqueued));
  if (stats.best) {
    out += row("best value", fmt::format("{} (trial {}, found after {} finished trials)", short_number(stats.best->value),
                                         stats.best->id, stats.trials_to_best));
    out += row("best parameters", format_params(h.space, *stats.best));
  } else {
    out += row("best value", "no trial completed");
  }
  out += row("wall time", std::isnan(stats.wall_seconds) ? std::string("-") : fmt::format("{:.1f} s", stats.wall_seconds));
  out += row("ranks", fmt::format("{} in the run, {} ran trials (hosts: {})", h.mpi_size, timeline.ranks, hosts.empty() ? "-" : hosts));
  out += row("worker utilization",
             std::isnan(timeline.utilization) ? std::string("-") : fmt::format("{:.1f} %", 100 * timeline.utilization));
  if (!h.slurm_job_id.empty()) out += row("slurm job", h.slurm_job_id);
  return out + "</table>\n";
}

std::string best_table(const LogHeader& h, const std::vector<TrialRecord>& trials, bool minimize, int top) {
  std::vector<const TrialRecord*> complete;
  for (const auto& t : trials)
    if (t.state == TrialState::complete && std::isfinite(t.value)) complete.push_back(&t);
  const auto count = std::min<std::size_t>(complete.size(), static_cast<std::size_t>(std::max(top, 0)));
  std::partial_sort(complete.begin(), complete.begin() + static_cast<std::ptrdiff_t>(count), complete.end(),
                    [&](const TrialRecord* a, const TrialRecord* b) { return minimize ? a->value < b->value : a->value > b->value; });
  std::string out = fmt::format("<table class=\"best\">\n<tr><th>trial</th><th>{}</th><th>seconds</th>", escape(h.metric));
  for (const auto& p : h.space.parameters()) out += fmt::format("<th>{}</th>", escape(p.name));
  out += "</tr>\n";
  for (std::size_t i = 0; i < count; ++i) {
    const auto& t = *complete[i];
    out += fmt::format("<tr><td class=\"num\">{}{}</td><td class=\"num\">{}</td><td class=\"num\">{:.3g}</td>", t.id,
                       t.id < h.enqueued ? " (enqueued)" : "", fmt::format("{:.8g}", t.value), t.t_finished - t.t_started);
    for (std::size_t p = 0; p < h.space.size(); ++p)
      out += fmt::format("<td class=\"num\">{}</td>", p < t.values.size() ? escape(h.space.format(p, t.values[p])) : "");
    out += "</tr>\n";
  }
  return out + "</table>\n";
}

std::string default_output(const std::string& log) {
  std::filesystem::path path(log);
  path.replace_extension(".html");
  return path.string();
}

int report_command(const ReportArgs& args) {
  LogReader log(args.log);
  const std::string output = args.output.empty() ? default_output(args.log) : args.output;
  // Truncating the log would lose the study (also under a running study's writer); a log
  // named *.html is its own default output.
  if (same_file(output, args.log))
    throw InputError(fmt::format("{}: that is the log being read; the report would overwrite it (pass -o another file)", output));
  refuse_hdf5_output(output, args.force, "report");
  const LogHeader& h = log.header();
  std::vector<std::string> notes;
  report::ReportData data;
  data.header = &h;
  data.minimize = h.direction != "maximize";
  data.max_points = args.max_points;
  data.notes = &notes;
  // The plots need no final metrics and no stderr: leaving them out keeps a 10^6-trial
  // study well under a gigabyte (docs/benchmarks.md).
  data.trials.reserve(static_cast<std::size_t>(log.trial_count()));
  for_each_trial(log, [&](const TrialRecord& t) {
    data.trials.push_back(t);
    data.trials.back().metrics = {};
    data.trials.back().stderr_tail = {};
  });
  data.curves = report::load_curves(log, h.metric, args.max_points);

  const auto stats = report::study_stats(data.trials, data.minimize);
  const std::string history = report::history_plot(data);
  const auto slices = report::slice_plots(data);
  const std::string parallel = report::parallel_plot(data);
  const std::string curves = report::curves_plot(data);
  const report::Timeline timeline = report::timeline_plot(data);
  const auto importance = report::fit_importance(data);
  const std::string importance_svg = report::importance_plot(data, importance);
  const std::string contour = report::contour_plot(data, importance);
  const auto lineage = report::lineage_plot(data);

  std::ostringstream page;
  page << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
       << fmt::format("<title>h5tune report: {}</title>\n", escape(h.study_name)) << "<style>" << style
       << "</style>\n</head>\n<body>\n"
       << fmt::format("<h1>h5tune study <q>{}</q></h1>\n", escape(h.study_name));
  if (!notes.empty()) {
    page << "<div class=\"notes\"><p>Large study: some plots are down-sampled (at most " << args.max_points
         << " points each; <code>--max-points</code> changes it).</p><ul>\n";
    for (const auto& n : notes) page << "<li>" << escape(n) << "</li>\n";
    page << "</ul></div>\n";
  }
  page << "<section id=\"summary\"><h2>Summary</h2>\n" << summary_table(log, stats, timeline)
       << fmt::format("<h3>Best {} trials</h3>\n", args.top) << best_table(h, data.trials, data.minimize, args.top)
       << "</section>\n";
  page << "<section id=\"history\"><h2>Optimization history</h2>\n" << history << "</section>\n";
  page << "<section id=\"importance\"><h2>Parameter importance</h2>\n"
       << "<p>Functional ANOVA (Hutter et al. 2014) on a random forest of 64 trees fitted to the complete trials in the "
          "unit cube of the space: the share of the objective's variance each parameter explains alone; the rest is "
          "interactions. The contour shows the forest's prediction over the two most important parameters, the others "
          "averaged out, with the trials on top.</p>\n"
       << importance_svg << contour << "</section>\n";
  page << "<section id=\"slices\"><h2>Slice plots</h2>\n<div class=\"slices\">\n";
  for (const auto& s : slices) page << s << "\n";
  page << "</div></section>\n";
  page << "<section id=\"parallel\"><h2>Parallel coordinates</h2>\n" << parallel << "</section>\n";
  page << "<section id=\"curves\"><h2>Learning curves</h2>\n" << curves << "</section>\n";
  if (lineage)
    page << "<section id=\"lineage\"><h2>PBT lineage</h2>\n<p>Each mark is a trial (a segment of a population "
            "member's training), placed at its generation (its depth in the chain of parents) and linked to the trial "
            "it continued from; colours tell the members apart.</p>\n"
         << *lineage << "</section>\n";
  page << "<section id=\"timeline\"><h2>Worker timeline</h2>\n"
       << fmt::format("<p>Ranks that ran trials: {}; span {:.1f} s; utilization {}.</p>\n", timeline.ranks,
                      timeline.span_seconds,
                      std::isnan(timeline.utilization) ? std::string("-") : fmt::format("{:.1f} %", 100 * timeline.utilization))
       << timeline.svg << "</section>\n";
  page << fmt::format("<footer><p>Generated by h5tune {} from {}.</p></footer>\n</body>\n</html>\n", version(),
                      escape(log.path().filename().string()));

  std::ofstream file(output, std::ios::binary | std::ios::trunc);
  if (!file) throw InputError(fmt::format("{}: cannot write the report", output));
  file << page.str();
  file.close();
  if (!file) throw Error(fmt::format("{}: writing the report failed", output));
  fmt::print("report: {} ({})\n", output, trials_text(static_cast<std::int64_t>(data.trials.size())));
  return exit_ok;
}

}  // namespace

Command add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* sub = app.add_subcommand("report", "Write one self-contained HTML page of plots and tables about a log");
  sub->add_option("log", args->log, "HDF5 log of a study (finished or running)")->required();
  sub->add_option("-o,--output", args->output, "HTML file to write (default: the log's name with .html)");
  sub->add_flag("--force", args->force, "Overwrite the output file even when it is an HDF5 file (another study's log)");
  sub->add_option("--max-points", args->max_points, "Down-sample plots with more points than this (default 5000)")
      ->check(CLI::PositiveNumber);
  sub->add_option("-k,--top", args->top, "How many best trials the summary lists (default 10)")->check(CLI::NonNegativeNumber);
  return [args] { return report_command(*args); };
}

}  // namespace h5tune::cli
