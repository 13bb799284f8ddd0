#include "runtime/manager.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/objective.hpp"
#include "h5tune/seed.hpp"
#include "h5tune/stopping.hpp"

namespace h5tune::runtime {

Manager::Manager(const StudyConfig& study, Transport& transport, LogWriter& log, Strategy& strategy,
                 const RunOptions& options, const std::atomic<bool>* stop_requested, const TimeSource* time)
    : study_(study),
      transport_(transport),
      log_(log),
      strategy_(strategy),
      options_(options),
      stop_requested_(stop_requested),
      time_(time ? *time : wall_time()),
      progress_(options.out, options.verbosity, study.max_trials, study.space),
      clock_(options.profile),
      workers_(transport.size() - 1),
      rank_host_(static_cast<std::size_t>(transport.size()), -1),
      rank_trial_(static_cast<std::size_t>(transport.size()), -1),
      rule_(workers_),
      failures_(study),
      stopper_(study) {
  if (workers_ < 1) throw TransportError("the manager needs at least one worker rank");
  summary_.log = log.path();
}

bool Manager::may_create() const {
  return !stopping_ && next_id_ < study_.max_trials && !strategy_.exhausted();
}

void Manager::resume(ResumePlan plan) {
  next_id_ = plan.next_id;
  rerun_ = std::move(plan.rerun);
  next_rerun_ = 0;
  rule_ = std::move(plan.rule);
  summary_.best = std::move(plan.best);
  failures_.count_earlier(plan.kept, plan.kept_failed);
  RunSummary earlier;
  earlier.failed = plan.kept_failed;
  earlier.pruned = plan.kept_pruned;
  earlier.complete = plan.kept - plan.kept_failed - plan.kept_pruned;
  progress_.count_earlier(earlier);
  stopper_.replay(plan.stopping_reports, plan.stopping_trials);
}

void Manager::start_trial(Suggestion suggestion, int rank) {
  const double now = time_.unix_now();
  TrialRecord trial;
  trial.id = next_id_++;
  trial.seed = suggestion_seed(study_.seed, trial.id, suggestion);
  trial.values = std::move(suggestion.values);
  trial.parent = suggestion.parent;
  trial.budget = suggestion.budget;
  trial.t_created = now;
  if (!study_.space.contains(trial.values))
    throw Error(fmt::format("strategy '{}' suggested a point outside the space (trial {})", strategy_.kind(), trial.id));
  launch(std::move(trial), rank, now, true);
}

void Manager::launch(TrialRecord trial, int rank, double now, bool asked) {
  trial.state = TrialState::running;
  trial.rank = rank;
  trial.host = rank_host_[static_cast<std::size_t>(rank)];

  work_.trial = trial.id;
  work_.seed = trial.seed;
  work_.parent = trial.parent;
  work_.budget = trial.budget;
  work_.attempt = trial.attempt;
  work_.values = trial.values;
  send(rank, Tag::work, work_);

  {
    const ScopedPhase phase(clock_, Phase::log);
    if (asked) log_.write_event({now, EventKind::ask, trial.id, -1});
    log_.write_event({now, EventKind::start, trial.id, rank});
    log_.write_trial(trial);
  }
  dirty_ = true;
  rank_trial_[static_cast<std::size_t>(rank)] = trial.id;
  running_index_[trial.id] = running_.size();
  running_.push_back(std::move(trial));
}

void Manager::dispatch() {
  // Trials go out once every worker said hello: otherwise a fast first worker can run a
  // short study alone before the others have started (a thread start is ~100 us, a no-op
  // trial ~3 us).
  if (hellos_ < workers_ || idle_.empty()) return;
  // A resumed run's unfinished trials go first, so that they are pending at every ask.
  while (!stopping_ && next_rerun_ < rerun_.size() && !idle_.empty()) {
    const int rank = idle_.back();
    idle_.pop_back();
    launch(std::move(rerun_[next_rerun_++]), rank, time_.unix_now(), false);
  }
  while (!stopping_ && !retries_.empty() && !idle_.empty()) {
    const int rank = idle_.back();
    idle_.pop_back();
    launch(std::move(retries_.front()), rank, time_.unix_now(), false);
    retries_.pop_front();
  }
  if (idle_.empty() || !may_create()) return;
  const ScopedPhase phase(clock_, Phase::ask);
  if (study_.reproducible) dispatch_reproducible();
  else dispatch_async();
}

void Manager::dispatch_async() {
  const auto room = static_cast<std::size_t>(study_.max_trials - next_id_);
  auto suggestions = strategy_.ask(std::min(idle_.size(), room), running_);
  if (suggestions.empty() && running_.empty() && !strategy_.exhausted())
    throw Error(fmt::format("strategy '{}' suggested nothing while no trial was running", strategy_.kind()));
  for (auto& suggestion : suggestions) {
    if (idle_.empty()) break;
    const int rank = idle_.back();
    idle_.pop_back();
    start_trial(std::move(suggestion), rank);
  }
}

const TrialRecord* Manager::find_running(std::int64_t id) const {
  const auto it = running_index_.find(id);
  return it == running_index_.end() ? nullptr : &running_[it->second];
}

void Manager::dispatch_reproducible() {
  const auto find_running = [this](std::int64_t id) { return this->find_running(id); };
  const auto log_tell = [&](const TrialRecord& trial) {
    const ScopedPhase phase(clock_, Phase::log);
    log_.write_event({time_.unix_now(), EventKind::tell, trial.id, -1});
  };
  while (!idle_.empty() && may_create()) {
    auto suggestion = rule_.suggest(next_id_, strategy_, find_running, log_tell);
    if (!suggestion) return;  // waiting for an earlier trial's result
    const int rank = idle_.back();
    idle_.pop_back();
    start_trial(std::move(*suggestion), rank);
  }
}

void Manager::finalize(TrialRecord& trial, const ResultMsg& result) {
  trial.state = result.state;
  trial.t_started = result.t_started;
  trial.t_finished = result.t_finished;
  trial.metrics = result.metrics;
  trial.message = result.message;
  trial.stderr_tail = result.stderr_tail;
  if (auto cancel = cancelled_.find(trial.id); cancel != cancelled_.end()) {
    if (trial.state != TrialState::complete) {
      trial.state = cancel->second.reason == CancelReason::interrupted ? TrialState::interrupted : TrialState::pruned;
      // The objective only knows that it was asked to stop; rank 0 knows why. What the
      // objective said besides (a command's exit status) follows in parentheses.
      const bool generic = trial.message.empty() || trial.message == stop_request_message;
      trial.message = generic ? cancel->second.why : fmt::format("{} ({})", cancel->second.why, trial.message);
    }
    cancelled_.erase(cancel);
  }
  if (trial.state != TrialState::complete) return;
  const auto value = find_metric(trial.metrics, study_.metric);
  const std::string warnings = trial.message.empty() ? "" : " (" + trial.message + ")";
  if (!value) {
    trial.state = TrialState::failed;
    trial.message = fmt::format("no value for metric '{}'{}", study_.metric, warnings);
  } else if (!std::isfinite(*value)) {
    trial.state = TrialState::failed;
    trial.message = fmt::format("metric '{}' is {}{}", study_.metric, *value, warnings);
  } else {
    trial.value = *value;
  }
}

void Manager::on_result(int rank, const ResultMsg& result) {
  const ScopedPhase tell_phase(clock_, Phase::tell);
  auto found = running_index_.find(result.trial);
  if (found == running_index_.end() || rank_trial_[static_cast<std::size_t>(rank)] != result.trial)
    throw TransportError(fmt::format("rank {} reported a result for trial {} it was not running", rank, result.trial));
  const std::size_t slot = found->second;
  TrialRecord trial = std::move(running_[slot]);
  running_index_.erase(found);
  if (slot + 1 != running_.size()) {
    running_[slot] = std::move(running_.back());
    running_index_[running_[slot].id] = slot;
  }
  running_.pop_back();
  rank_trial_[static_cast<std::size_t>(rank)] = -1;
  idle_.push_back(rank);

  finalize(trial, result);
  stopper_.finished(trial);
  if (!stopping_ && failures_.retry(trial)) {
    schedule_retry(trial, rank);
    return;
  }
  trial.message = failures_.final_message(trial);
  ++summary_.trials;
  switch (trial.state) {
    case TrialState::complete: {
      ++summary_.complete;
      const bool better = !summary_.best || (study_.direction == Direction::minimize ? trial.value < summary_.best->value
                                                                                     : trial.value > summary_.best->value);
      if (better) summary_.best = trial;
      break;
    }
    case TrialState::pruned: ++summary_.pruned; break;
    case TrialState::interrupted: ++summary_.interrupted; break;
    default: ++summary_.failed; break;
  }
  {
    const ScopedPhase phase(clock_, Phase::log);
    log_.write_trial(trial);
  }
  dirty_ = true;
  progress_.trial_finished(trial);
  if (study_.reproducible) {
    rule_.add_result(std::move(trial));
  } else {
    strategy_.tell(trial);
    const ScopedPhase phase(clock_, Phase::log);
    log_.write_event({time_.unix_now(), EventKind::tell, trial.id, rank});
  }
  if (!stopping_) {
    if (auto why = failures_.limit_reached(summary_)) {
      summary_.failure_limit = std::move(why);
      request_stop(fmt::format("interrupted: the run stopped because {}", *summary_.failure_limit));
    }
  }
}

void Manager::schedule_retry(const TrialRecord& failed, int rank) {
  // Same id, seed and parameters; its row stays `running` until the retry starts, so a
  // run killed meanwhile runs it again on resume.
  TrialRecord again;
  again.id = failed.id;
  again.seed = failed.seed;
  again.values = failed.values;
  again.parent = failed.parent;
  again.budget = failed.budget;
  again.t_created = failed.t_created;
  again.attempt = failed.attempt + 1;
  retries_.push_back(std::move(again));
  ++summary_.retried;
  const ScopedPhase phase(clock_, Phase::log);
  log_.write_event({time_.unix_now(), EventKind::retry, failed.id, rank});
  dirty_ = true;
}

void Manager::handle(const Envelope& envelope) {
  const int rank = envelope.source;
  switch (envelope.tag) {
    case Tag::hello: {
      HelloMsg hello;
      decoder_.decode(envelope.bytes, hello);
      const ScopedPhase phase(clock_, Phase::log);
      rank_host_[static_cast<std::size_t>(rank)] = log_.host_index(hello.host);
      idle_.push_back(rank);
      ++hellos_;
      break;
    }
    case Tag::report: {
      {
        const ScopedPhase phase(clock_, Phase::serialize);
        decoder_.decode(envelope.bytes, report_);
      }
      const ScopedPhase phase(clock_, Phase::log);
      const TrialRecord* running = find_running(report_.trial);
      log_.write_report(Report{report_.trial, report_.step, report_.time, report_.metrics, running ? running->attempt : 0});
      dirty_ = true;
      // Early stopping: the rule's verdict cancels a running trial as pruned, once.
      if (stopper_.should_stop(report_.trial, report_.step, report_.metrics) && running &&
          !cancelled_.contains(report_.trial)) {
        cancelled_[report_.trial] = {CancelReason::pruned,
                                     fmt::format("pruned by the {} rule at step {}", to_string(study_.stopping->kind),
                                                 report_.step)};
        send(rank, Tag::cancel, CancelMsg{report_.trial, CancelReason::pruned});
      }
      break;
    }
    case Tag::result: {
      {
        const ScopedPhase phase(clock_, Phase::serialize);
        decoder_.decode(envelope.bytes, result_);
      }
      on_result(rank, result_);
      break;
    }
    default:
      throw TransportError(fmt::format("unexpected message tag {} from rank {}", static_cast<int>(envelope.tag), rank));
  }
}

void Manager::request_stop(const std::string& why) {
  if (stopping_) return;
  stopping_ = true;
  // Retries that never started: interrupted, so that --resume runs them.
  for (auto& trial : retries_) {
    trial.state = TrialState::interrupted;
    --trial.attempt;
    trial.message = "the run stopped before this failed trial ran again";
    const ScopedPhase phase(clock_, Phase::log);
    log_.write_trial(trial);
    dirty_ = true;
  }
  retries_.clear();
  for (const auto& trial : running_) {
    cancelled_[trial.id] = {CancelReason::interrupted, why};
    send(trial.rank, Tag::cancel, CancelMsg{trial.id, CancelReason::interrupted});
  }
}

void Manager::maybe_flush(bool force) {
  const double now = time_.steady_now();
  if (!force && (!dirty_ || now - last_flush_ < options_.flush_interval_seconds)) return;
  const ScopedPhase phase(clock_, Phase::log);
  log_.flush();
  last_flush_ = now;
  dirty_ = false;
}

double Manager::receive_timeout() const {
  // Wake up for a stop request, the next scheduled flush and the time limit.
  const double now = time_.steady_now();
  double timeout = options_.idle_wake_seconds;
  if (dirty_) timeout = std::min(timeout, std::max(0.0, last_flush_ + options_.flush_interval_seconds - now));
  if (study_.max_time && !stopping_)
    timeout = std::min(timeout, std::max(0.0, started_ + study_.max_time->count() - now));
  return timeout;
}

void Manager::send_stop_to_all() {
  for (int rank = 1; rank <= workers_; ++rank) send(rank, Tag::stop, StopMsg{});
}

bool Manager::receive(Envelope& envelope, double timeout_seconds) {
  if (!clock_.enabled()) return transport_.receive(envelope, timeout_seconds);
  // Profiling: look first, so that time spent waiting for the workers is told apart from
  // the cost of taking a message that had already arrived.
  const ScopedPhase phase(clock_, Phase::messaging);
  if (transport_.receive(envelope, 0.0)) return true;
  if (timeout_seconds == 0.0) return false;
  // Nothing has arrived: what follows is waiting for the workers.
  clock_.enter(Phase::wait);
  return transport_.receive(envelope, timeout_seconds);
}

RunSummary Manager::run() {
  clock_.start();
  started_ = time_.steady_now();
  last_flush_ = started_;
  log_.write_event({time_.unix_now(), EventKind::run_start, -1, -1});
  Envelope envelope;
  for (;;) {
    if (!stopping_) {
      const bool out_of_time = study_.max_time && time_.steady_now() - started_ >= study_.max_time->count();
      const bool asked_to_stop = stop_requested_ && stop_requested_->load(std::memory_order_relaxed);
      summary_.stopped_by_signal = asked_to_stop;
      if (asked_to_stop) request_stop("interrupted: the run was asked to stop (SIGINT or SIGTERM); --resume runs it again");
      else if (out_of_time)
        request_stop(fmt::format("interrupted: the study's max_time ({:g} s) ran out", study_.max_time->count()));
    }
    dispatch();
    retention_.collect(strategy_, summary_.best);
    if (running_.empty() && !may_create() && (stopping_ || (next_rerun_ == rerun_.size() && retries_.empty()))) break;
    // Drain whatever has arrived before going back to the strategy: one ask serves every
    // idle worker.
    if (receive(envelope, receive_timeout())) {
      handle(envelope);
      while (receive(envelope, 0.0)) handle(envelope);
    }
    maybe_flush(false);
    progress_.tick(summary_, running_.size(), time_.steady_now() - started_);
  }
  if (study_.reproducible)
    rule_.tell_up_to(next_id_, strategy_, [&](const TrialRecord& trial) {
      log_.write_event({time_.unix_now(), EventKind::tell, trial.id, -1});
    });
  retention_.collect(strategy_, summary_.best);
  send_stop_to_all();
  log_.write_event({time_.unix_now(), EventKind::run_stop, -1, -1});
  maybe_flush(true);
  summary_.wall_seconds = time_.steady_now() - started_;
  progress_.finish(summary_, summary_.wall_seconds);
  if (clock_.enabled()) summary_.profile = clock_.profile();
  return summary_;
}

}  // namespace h5tune::runtime
