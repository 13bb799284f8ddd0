#pragma once
// The parameter-importance part of `h5tune report`: functional ANOVA on a random forest
// fitted to the complete trials (h5tune/importance.hpp), drawn as a bar chart, and the
// forest's joint marginal of the two most important parameters as a contour (heat map).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "h5tune/importance.hpp"
#include "report_plots.hpp"

namespace h5tune::cli::report {

/// The forest fitted to a study's complete trials and what it says.
struct ImportanceResult {
  std::unique_ptr<FanovaForest> forest;  ///< null when there is nothing to fit
  std::vector<double> importance;        ///< per parameter (Space order); empty without a forest
  std::vector<double> spread;            ///< standard deviation over the trees
  std::size_t complete = 0;              ///< complete trials with a finite value
};

/// Fits the forest (seeded from the study seed) when at least `min_trials` trials completed.
ImportanceResult fit_importance(const ReportData& data, std::size_t min_trials = 4);

/// Horizontal bars, one per parameter (class "mark bar"), most important on top.
std::string importance_plot(const ReportData& data, const ImportanceResult& result);

/// The forest's prediction for the two most important parameters (the others averaged
/// out) on a grid of cells (class "cell"), with the complete trials on top (class "mark point").
std::string contour_plot(const ReportData& data, const ImportanceResult& result);

}  // namespace h5tune::cli::report
