// `h5tune replay run.h5 --trial N`: re-run logged trials with their stored parameters and
// seeds through the study's own command, and compare the results metric by metric.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/command.hpp"
#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "h5tune/strategy_replay.hpp"
#include "replay_check.hpp"
#include "replay_checkpoints.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

/// Exit code of a replay whose results differ from the log (docs/analysis.md).
constexpr int exit_not_reproduced = 4;

struct ReplayArgs {
  std::string log;
  std::vector<std::int64_t> trials;
  bool strategy = false;  ///< --strategy: re-derive every suggestion from the seed and the journal
  Tolerance tolerance;
};

/// Records the learning curve of a replayed trial. For a trial the run stopped early
/// (pruned, interrupted) it asks the objective to stop after the last step the log holds,
/// so both runs cover the same steps.
class RecordingReporter final : public Reporter {
 public:
  RecordingReporter(std::int64_t trial, std::optional<std::int64_t> stop_after_step)
      : trial_(trial), stop_after_step_(stop_after_step) {}
  bool report(std::int64_t step, const Metrics& metrics) override {
    reports_.push_back(Report{trial_, step, TrialRecord::nan, metrics});
    if (stop_after_step_ && step >= *stop_after_step_) stop_ = true;
    return !stop_;
  }
  bool should_stop() override { return stop_; }
  const std::vector<Report>& reports() const noexcept { return reports_; }

 private:
  std::int64_t trial_;
  std::optional<std::int64_t> stop_after_step_;
  bool stop_ = false;
  std::vector<Report> reports_;
};

bool same_file(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::error_code ec;
  const bool same = std::filesystem::equivalent(a, b, ec);
  return !ec && same;
}

/// The study as the run saw it. Its relative paths were anchored at the study file's
/// directory, and the header keeps that path as typed (maybe relative to a working
/// directory we do not know): take it as given when it leads back to this log, else
/// assume the study file sat next to the log.
StudyConfig stored_study(const LogReader& log) {
  const LogHeader& h = log.header();
  if (h.study_text.empty()) throw InputError(fmt::format("{}: the log holds no study file text", log.path().string()));
  const std::filesystem::path given = std::filesystem::path(h.study_path.empty() ? "study.toml" : h.study_path);
  const std::filesystem::path beside_log = std::filesystem::absolute(log.path()).parent_path() / given.filename();
  std::optional<StudyConfig> first;
  for (const auto& anchor : {given, beside_log}) {
    try {
      StudyConfig study = parse_study(h.study_text, anchor);
      if (same_file(study.log, log.path())) return study;
      if (!first) first = std::move(study);
    } catch (const InputError& e) {
      if (anchor == beside_log && !first)
        throw InputError(fmt::format("{}: the study stored in the log does not load any more: {}", log.path().string(), e.what()));
    }
  }
  return std::move(*first);
}

std::string cell(const std::string& text, std::size_t width) {
  return text.size() > width ? text.substr(0, width - 1) + "~" : text;
}

/// Where trial `id` is replayed: a fresh directory of its own, so the original trial
/// directory (checkpoints, logs) stays as the run left it.
std::filesystem::path replay_dir(const LogReader& log, std::int64_t id) {
  return std::filesystem::absolute(log.path().string() + ".replay") / std::to_string(id);
}

/// Re-runs one trial; prints its table; returns whether every row matched.
bool replay_trial(const StudyConfig& study, CommandObjective& objective, const LogReader& log,
                  const TrialRecord& logged, const std::vector<Report>& logged_reports, const ReplayArgs& args) {
  TrialRecord record = rerun_record(logged);
  record.rank = 0;

  const std::filesystem::path dir = replay_dir(log, logged.id);
  const CheckpointPaths checkpoints = replay_checkpoints(study, log.path(), logged, dir);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  std::optional<std::int64_t> stop_after;
  if ((logged.state == TrialState::pruned || logged.state == TrialState::interrupted) && !logged_reports.empty())
    stop_after = logged_reports.back().step;
  RecordingReporter reporter(logged.id, stop_after);
  const Trial trial(study.space, record, dir, checkpoints);
  const auto started = std::chrono::steady_clock::now();
  Outcome outcome = objective.evaluate(trial, reporter);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The runtime's rule: a complete run without a finite objective metric is a failure.
  TrialState state = outcome.state;
  if (state == TrialState::complete) {
    const auto value = find_metric(outcome.metrics, study.metric);
    if (!value || !std::isfinite(*value)) state = TrialState::failed;
  }
  if (stop_after && state == TrialState::pruned) state = logged.state;  // we stopped it where the run did

  const auto rows = check_replay(logged, logged_reports, state, outcome.metrics, reporter.reports(), args.tolerance);
  bool ok = true;
  for (const auto& row : rows) ok = ok && row.ok;

  std::cout << fmt::format("trial {} (seed {}, {}): replayed in {:.2f} s in {}\n", logged.id, logged.seed,
                           format_params(study.space, logged), seconds, dir.string());
  std::cout << fmt::format("  {:<20} {:>18} {:>18} {:>12}  {}\n", "metric", "logged", "replayed", "abs diff", "verdict");
  for (const auto& row : rows)
    std::cout << fmt::format("  {:<20} {:>18} {:>18} {:>12}  {}\n", cell(row.what, 20), cell(row.logged, 18),
                             cell(row.replayed, 18), std::isnan(row.abs_diff) ? "-" : fmt::format("{:.3g}", row.abs_diff),
                             row.ok ? "ok" : "DIFFERS");
  if (!ok && !outcome.message.empty()) std::cout << fmt::format("  replay message: {}\n", outcome.message);
  std::cout << fmt::format("  => {}\n\n", ok ? "reproduced" : "NOT reproduced");
  return ok;
}

std::string values_text(const Space& space, const std::vector<double>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size() && i < space.size(); ++i)
    out += fmt::format("{}{}={}", i ? " " : "", space[i].name, space.format(i, values[i]));
  return out;
}

/// `--strategy`: prints the check of every suggestion; returns whether all were identical.
bool check_strategy(const LogReader& log, const StudyConfig& study) {
  const auto result = replay_strategy(log, study);
  const LogHeader& h = log.header();
  std::cout << fmt::format("strategy replay: {} (seed {}, {} mode): {} suggestions re-derived from the seed and the journal\n",
                           h.strategy, h.seed, result.mode, result.checked);
  constexpr std::size_t shown = 20;
  for (std::size_t k = 0; k < result.mismatches.size() && k < shown; ++k) {
    const auto& m = result.mismatches[k];
    std::cout << fmt::format("  trial {} DIFFERS\n    logged  {}", m.trial, values_text(study.space, m.logged));
    if (m.logged_parent >= 0 || m.logged_budget) std::cout << fmt::format(" (parent {}, budget {})", m.logged_parent, m.logged_budget);
    std::cout << fmt::format("\n    derived {}", m.derived.empty() ? std::string("(no suggestion)") : values_text(study.space, m.derived));
    if (m.derived_parent >= 0 || m.derived_budget) std::cout << fmt::format(" (parent {}, budget {})", m.derived_parent, m.derived_budget);
    if (!m.derived.empty() && m.logged_seed != m.derived_seed)
      std::cout << fmt::format("\n    seed    logged {}, derived {}", m.logged_seed, m.derived_seed);
    std::cout << "\n";
  }
  if (result.mismatches.size() > shown) std::cout << fmt::format("  ... and {} more\n", result.mismatches.size() - shown);
  if (result.mismatches.size() > 1)
    std::cout << fmt::format("  the first difference is trial {}: later suggestions build on earlier trials and may differ "
                             "as a consequence\n",
                             result.mismatches.front().trial);
  if (result.unchecked) std::cout << fmt::format("  {} trials not compared: {}\n", result.unchecked, result.note);
  std::cout << fmt::format("{} of {} suggestions identical, bit for bit\n", result.checked - static_cast<std::int64_t>(result.mismatches.size()),
                           result.checked);
  return result.reproduced();
}

int replay_command(const ReplayArgs& args) {
  if (args.trials.empty() && !args.strategy) throw InputError("replay: give --trial N (repeatable) or --strategy");
  LogReader log(args.log);
  const std::int64_t count = log.trial_count();
  const auto all_reports = args.trials.empty() ? std::vector<Report>{} : log.reports();
  // Check every requested trial before running any, so bad input costs nothing.
  std::vector<TrialRecord> selected;
  std::set<std::int64_t> seen;
  for (const auto id : args.trials) {
    if (!seen.insert(id).second) continue;  // `--trial 3 --trial 3` replays trial 3 once
    if (id < 0 || id >= count)
      throw InputError(fmt::format("{}: no trial {} (the log holds trials 0..{})", args.log, id, count - 1));
    auto trial = log.trials(id, 1).at(0);
    if (!is_finished(trial.state))
      throw InputError(fmt::format("{}: trial {} is {}: only finished trials can be replayed", args.log, id,
                                   to_string(trial.state)));
    // An interrupted trial is replayed up to its last logged step; with none, the replay
    // would run to the end and compare that with a result the run never had.
    if (trial.state == TrialState::interrupted &&
        std::none_of(all_reports.begin(), all_reports.end(), [&](const Report& r) { return r.trial == id; }))
      throw InputError(fmt::format("{}: trial {} was interrupted before it reported a step, so the log holds no result "
                                   "to compare (h5tune run --resume runs it again)",
                                   args.log, id));
    selected.push_back(std::move(trial));
  }
  StudyConfig study = stored_study(log);
  bool strategy_ok = true;
  if (args.strategy) {
    strategy_ok = check_strategy(log, study);
    if (selected.empty()) return strategy_ok ? exit_ok : exit_not_reproduced;
    std::cout << "\n";
  }
  if (!study.command)
    throw InputError(fmt::format("{}: the study has no [objective] command (a C++ objective): replay it from your program",
                                 args.log));
  CommandObjective objective(*study.command, study.space);
  // A trial continuing a checkpoint that is gone cannot reproduce: refuse before running any.
  for (const auto& trial : selected) replay_checkpoints(study, log.path(), trial, replay_dir(log, trial.id));

  int reproduced = 0;
  for (const auto& trial : selected) {
    std::vector<Report> reports;
    for (const auto& r : all_reports)
      if (r.trial == trial.id) reports.push_back(r);
    reproduced += replay_trial(study, objective, log, trial, reports, args) ? 1 : 0;
  }
  std::cout << fmt::format("{} of {} trials reproduced (rtol {}, atol {})\n", reproduced, selected.size(),
                           args.tolerance.rtol, args.tolerance.atol);
  return reproduced == static_cast<int>(selected.size()) && strategy_ok ? exit_ok : exit_not_reproduced;
}

}  // namespace

Command add_replay(CLI::App& app) {
  auto args = std::make_shared<ReplayArgs>();
  auto* sub = app.add_subcommand(
      "replay", "Re-run logged trials with their stored parameters and seeds and compare the results (exit 4: they differ)");
  sub->add_option("log", args->log, "HDF5 log of a study")->required();
  sub->add_option("-t,--trial", args->trials, "Id of a trial to replay (repeat for more)");
  sub->add_flag("--strategy", args->strategy,
                "Re-derive every suggestion from the study seed and the event journal and check it is bit-identical");
  sub->add_option("--rtol", args->tolerance.rtol, "Relative tolerance per metric (default 0: exact)")
      ->check(finite_number)
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--atol", args->tolerance.atol, "Absolute tolerance per metric (default 0: exact)")
      ->check(finite_number)
      ->check(CLI::NonNegativeNumber);
  return [args] { return replay_command(*args); };
}

}  // namespace h5tune::cli
