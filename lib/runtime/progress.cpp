#include "runtime/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "runtime/clock.hpp"

namespace h5tune::runtime {

namespace {

// The last non-blank line of a failed command's stderr: usually the error that ended it.
std::string last_line(const std::string& text) {
  constexpr std::size_t longest = 200;
  std::size_t end = text.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) return {};
  const std::size_t newline = text.rfind('\n', end);
  const std::size_t begin = newline == std::string::npos ? 0 : newline + 1;
  std::string line = text.substr(begin, end + 1 - begin);
  if (line.size() > longest) line = line.substr(0, longest) + "...";
  return line;
}

}  // namespace

Progress::Progress(std::ostream* out, int verbosity, std::int64_t max_trials, const Space& space)
    : out_(out ? out : &std::cerr),
      verbosity_(verbosity),
      terminal_(out_ == &std::cerr && isatty(STDERR_FILENO) == 1),
      max_trials_(max_trials),
      space_(space) {}

void Progress::count_earlier(const RunSummary& earlier) { earlier_ = earlier; }

void Progress::trial_finished(const TrialRecord& trial) {
  if (verbosity_ < 2) return;
  std::string params;
  for (std::size_t i = 0; i < space_.size() && i < trial.values.size(); ++i)
    params += fmt::format("{}{}={}", i ? " " : "", space_[i].name, space_.format(i, trial.values[i]));
  std::string why = trial.message;
  if (trial.state == TrialState::failed) {
    const std::string last = last_line(trial.stderr_tail);
    if (!last.empty()) why += (why.empty() ? "" : ": ") + last;
  }
  if (line_open_) *out_ << '\n';
  line_open_ = false;
  *out_ << fmt::format("trial {} {} value={} rank={} [{}]{}\n", trial.id, to_string(trial.state), trial.value,
                       trial.rank, params, why.empty() ? "" : " " + why);
}

std::string Progress::status(const RunSummary& s, std::size_t running, double elapsed) const {
  // Finished means complete, failed or pruned (README): an interrupted trial runs again on
  // --resume, so it is counted apart and left out of the rate and the ETA. The counts are
  // the study's, as max_trials is: a resumed run adds the trials earlier runs finished,
  // while its rate is its own.
  const std::int64_t finished = s.complete + s.failed + s.pruned;
  const std::int64_t complete = earlier_.complete + s.complete;
  const std::int64_t failed = earlier_.failed + s.failed;
  const std::int64_t pruned = earlier_.pruned + s.pruned;
  const std::int64_t study_finished = complete + failed + pruned;
  const double rate = elapsed > 0 ? static_cast<double>(finished) / elapsed * 60.0 : 0.0;
  std::string best = s.best ? fmt::format("{:.6g} (trial {})", s.best->value, s.best->id) : "-";
  std::string eta = "-";
  if (rate > 0 && finished > 0) {
    const double left = static_cast<double>(max_trials_ - study_finished) / rate * 60.0;
    eta = fmt::format("{:.0f}s", std::max(0.0, left));
  }
  const std::string interrupted = s.interrupted ? fmt::format(", {} interrupted", s.interrupted) : "";
  return fmt::format("[h5tune] {}/{} finished ({} complete, {} failed, {} pruned{}), {} running, best {}, {:.1f} trials/min, ETA {}",
                     study_finished, max_trials_, complete, failed, pruned, interrupted, running, best, rate, eta);
}

void Progress::tick(const RunSummary& summary, std::size_t running, double elapsed) {
  if (verbosity_ < 1) return;
  const double now = steady_now();
  const double period = terminal_ ? 0.2 : 10.0;
  if (now - last_print_ < period) return;
  last_print_ = now;
  if (terminal_) {
    *out_ << '\r' << status(summary, running, elapsed) << "\x1b[K" << std::flush;
    line_open_ = true;
  } else {
    *out_ << status(summary, running, elapsed) << '\n' << std::flush;
  }
}

void Progress::finish(const RunSummary& summary, double elapsed) {
  if (verbosity_ < 1) return;
  if (terminal_) *out_ << '\r' << status(summary, 0, elapsed) << "\x1b[K\n" << std::flush;
  else *out_ << status(summary, 0, elapsed) << '\n' << std::flush;
  line_open_ = false;
}

}  // namespace h5tune::runtime
