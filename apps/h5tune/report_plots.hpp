#pragma once
// The plots of `h5tune report`, each one inline <svg data-plot="..."> whose data points
// carry class "mark" (tests count them).
#include <cstddef>
#include <string>
#include <vector>

#include "h5tune/log.hpp"
#include "report_curves.hpp"

namespace h5tune::cli::report {

/// What the plots draw from: one log, read once.
struct ReportData {
  const LogHeader* header = nullptr;
  std::vector<TrialRecord> trials;  ///< id order
  Curves curves;  ///< learning curves, already thinned to about max_points points
  bool minimize = true;
  /// Plots with more points than this draw an even sample of them (always keeping the
  /// trials that improved the best value) and add a line to `notes` saying so.
  std::size_t max_points = 5000;
  std::vector<std::string>* notes = nullptr;
};

/// The objective value of every complete trial against its id (one mark per trial: failed,
/// pruned and unfinished trials as crosses or rings on the top edge), and the best-so-far line.
std::string history_plot(const ReportData& data);
/// One small plot per parameter: the objective value against the parameter's value, coloured
/// from early (dark) to late (bright) trials. Categorical values are spread around their
/// choice by a fixed offset per trial id, so equal points stay visible.
std::vector<std::string> slice_plots(const ReportData& data);
/// One vertical axis per parameter plus the objective, one line per complete trial, coloured
/// by the objective's rank (bright: best) and drawn best last.
std::string parallel_plot(const ReportData& data);
/// The learning curves of `data.curves` (the study's metric when reported, else the first
/// reported one): one line per trial; pruned trials end in a red cross.
std::string curves_plot(const ReportData& data);

/// The worker timeline and how busy the workers were.
struct Timeline {
  std::string svg;
  double utilization = 0.0;  ///< busy time of all ranks / (ranks x span); NaN without timed trials
  std::size_t ranks = 0;
  double span_seconds = 0.0;
};
/// A Gantt chart: one row per rank, one bar per trial from t_started to t_finished (running
/// trials until the latest time in the log), coloured by state. Beyond max_points bars, bars
/// closer than a pixel on a rank are merged.
Timeline timeline_plot(const ReportData& data);

/// Indices 0..n-1 thinned to about `limit` by an even stride, plus every index in `keep`
/// (sorted, unique).
std::vector<std::size_t> thin(std::size_t n, std::size_t limit, const std::vector<std::size_t>& keep = {});

}  // namespace h5tune::cli::report
