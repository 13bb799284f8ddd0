#pragma once
// The PBT lineage plot of `h5tune report`: every segment against its generation, linked to
// the segment it continued from (the log's parent column).
#include <optional>
#include <string>

#include "report_plots.hpp"

namespace h5tune::cli::report {

/// One mark per trial (class "mark"): the objective against the generation (0 for a trial
/// without a parent, else its parent's plus one), a line to its parent (class "link"),
/// coloured by the member (the chain's first trial); the best trial's ancestry drawn on top
/// (class "best"). Nothing when no trial has a parent.
std::optional<std::string> lineage_plot(const ReportData& data);

}  // namespace h5tune::cli::report
