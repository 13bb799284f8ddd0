#pragma once
// `h5tune show run.h5 --lineage` and the lineage part of `show --trial N`: a PBT member's
// ancestry through the parent column, and the hyperparameter schedule it trained with.
#include <cstdint>
#include <ostream>
#include <vector>

#include "h5tune/log.hpp"

namespace h5tune::cli {

/// The trials from the root of `id`'s parent chain to `id`, in that order (a trial
/// without a parent: just itself). The position in the chain is the segment's generation.
/// Throws LogFormatError for a parent that is no earlier trial of the log (a cycle or a
/// corrupt row).
std::vector<TrialRecord> ancestry(const LogReader& log, std::int64_t id);

/// Prints trial `id`'s ancestry as a table (generation, trial, state, objective value,
/// budget, parameters, and "explore" where a segment's parameters differ from its parent's)
/// followed by its hyperparameter schedule: the parameters by range of cumulative steps
/// (budgets summed along the chain).
void print_lineage(std::ostream& out, const LogReader& log, std::int64_t id);

/// Prints the lineage of the best complete trial. Throws InputError when none completed.
void print_best_lineage(std::ostream& out, const LogReader& log);

}  // namespace h5tune::cli
