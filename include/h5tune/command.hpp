#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "h5tune/objective.hpp"

namespace h5tune {

/// A metric scraped from the output of a program we do not control.
struct RegexMetric {
  std::string name;
  std::string pattern;  ///< ECMAScript regex with one capture group holding the number
  friend bool operator==(const RegexMetric&, const RegexMetric&) = default;
};

/// How to run an external command for each trial.
struct CommandSpec {
  /// argv template. `{name}` is replaced by the parameter's text; also `{trial_id}`,
  /// `{seed}`, `{trial_dir}`, `{budget}`, `{checkpoint_dir}` and `{restore_from}` (PBT;
  /// empty text when the trial has none). `{{` and `}}` stand for literal braces. Each
  /// element stays one argument: no shell is involved.
  std::vector<std::string> argv;
  /// Time limit per trial (zero: none). On expiry: SIGTERM to the process group, then
  /// SIGKILL after `kill_grace`.
  std::chrono::milliseconds timeout{0};
  std::chrono::milliseconds kill_grace{std::chrono::seconds(5)};
  /// Metrics matched against each stdout and stderr line; the last match wins.
  std::vector<RegexMetric> regex_metrics;
  /// Parent of the per-trial directories `<trials_dir>/<id>`; created when missing.
  std::filesystem::path trials_dir;
  /// Extra environment variables (NAME=value) for every trial.
  std::vector<std::string> env;
  /// Bytes of stderr kept in Outcome::stderr_tail (the end of the stream).
  std::size_t stderr_tail_bytes = 2048;
  friend bool operator==(const CommandSpec&, const CommandSpec&) = default;
};

/// Runs an external program per trial (libEnsemble's executor model).
///
/// The argv template is expanded without a shell; the program (looked up like execvp, made
/// absolute) starts in its own process group (by a vfork-style clone, as posix_spawn, that
/// also makes the kernel kill it if the calling thread dies first), in its trial directory
/// (`Trial::dir()`, or `trial_directory(spec, id)` when that is empty; created when
/// missing; when it was there, processes an earlier attempt left in it, found by their
/// H5TUNE_TRIAL_DIR, are SIGKILLed first), stdin from /dev/null, with our environment plus `spec.env` plus
/// H5TUNE_TRIAL_ID, H5TUNE_SEED, H5TUNE_TRIAL_DIR and H5TUNE_BUDGET, and for a trial with
/// checkpoints (Trial::checkpoints(), PBT) H5TUNE_CHECKPOINT_DIR and H5TUNE_RESTORE_FROM
/// (otherwise both are removed from the environment). Its stdout and stderr
/// are read line by line while it runs (lines cut at 64 KiB) and copied to stdout.log /
/// stderr.log in the trial directory (16 MiB each at most, then a note). Protocol lines
/// `h5tune: step=3 loss=0.41 acc=0.9` on either stream become intermediate reports when
/// `step` is given and final metrics otherwise; RegexMetric patterns scrape other programs;
/// the last value of each metric wins, and a metric only ever reported counts as final with
/// its last reported value.
///
/// Endings: exit code 0 -> complete; non-zero exit, a signal, a timeout ("timed out after
/// 2.5 s") or a program that cannot start -> failed; Reporter::should_stop, or report()
/// returning false -> pruned ("stopped on request"). Stopping sends SIGTERM to the group,
/// then SIGKILL after `kill_grace`. When the program exits, whatever is left of its group
/// is SIGKILLed and the program reaped; output still in the pipes is read for at most
/// 200 ms (a process that left the group may hold them open). Warnings (malformed metric
/// values, regex captures that are no number) are appended to Outcome::message even when
/// complete. Outcome::stderr_tail always holds the last `stderr_tail_bytes` of stderr.
/// A failing system call of ours (pipe, poll, writing a log) throws ObjectiveError.
class CommandObjective final : public Objective {
 public:
  /// Throws InputError when the argv is empty or its template is malformed or names a
  /// placeholder that is no parameter, when the program (unless chosen by a placeholder)
  /// cannot be found, a regex does not compile or has no capture group, an env entry is not
  /// NAME=value, or a duration is negative. Starts nothing.
  CommandObjective(CommandSpec spec, const Space& space);
  Outcome evaluate(const Trial& trial, Reporter& reporter) override;

  const CommandSpec& spec() const noexcept { return spec_; }

 private:
  struct Compiled;  // the regex metrics, compiled once (keeps <regex> out of this header)
  CommandSpec spec_;
  std::shared_ptr<const Compiled> compiled_;
};

/// Checks an argv template against a space: every `{placeholder}` must be a parameter or a
/// built-in name. Returns the first problem as text, or an empty string.
std::string check_argv_template(const std::vector<std::string>& argv, const Space& space);

/// Expands one argv template for a trial (no shell: the result is the exec argv);
/// `{trial_dir}` is Trial::dir(). Throws InputError for a template check_argv_template rejects.
std::vector<std::string> expand_argv(const std::vector<std::string>& argv, const Trial& trial);

/// The directory of trial `id`: `<spec.trials_dir>/<id>`, made absolute (an empty
/// trials_dir means the current directory). The id is the only component added, so no
/// parameter value can make it point elsewhere. The runtime builds each Trial with it.
std::filesystem::path trial_directory(const CommandSpec& spec, std::int64_t id);

/// Finds an executable the way execvp would (a name with a slash is taken as a path).
/// Returns an empty path when none is found.
std::filesystem::path find_executable(const std::string& name);

}  // namespace h5tune
