#include "runtime/simulated_workers.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/seed.hpp"

namespace h5tune::runtime {

double DurationModel::draw(std::uint64_t trial_seed) const {
  if (sigma == 0.0) return median_seconds;
  Rng rng(trial_seed);
  const double u1 = 1.0 - uniform01(rng);  // in (0, 1]: log(u1) is finite
  const double u2 = uniform01(rng);
  const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  return median_seconds * std::exp(sigma * z);
}

double synthetic_objective(const Space& space, std::span<const double> values, Direction direction) {
  const std::vector<double> unit = space.to_unit(values);
  double sum = 0.0;
  for (std::size_t i = 0; i < unit.size(); ++i) {
    const double shifted = static_cast<double>(i + 1) * (std::numbers::phi - 1.0);
    const double centre = 0.25 + 0.5 * (shifted - std::floor(shifted));
    sum += (unit[i] - centre) * (unit[i] - centre);
  }
  return direction == Direction::maximize ? -sum : sum;
}

SimulatedWorkers::SimulatedWorkers(int workers, const Space& space, std::string metric, Direction direction,
                                   DurationModel durations)
    : space_(space), metric_(std::move(metric)), direction_(direction), durations_(durations) {
  if (workers < 1) throw InputError(fmt::format("a simulation needs at least 1 worker, got {}", workers));
  state_.resize(static_cast<std::size_t>(workers));
  for (int rank = 1; rank <= workers; ++rank) schedule(rank, Tag::hello, 0.0);
}

SimulatedWorkers::Worker& SimulatedWorkers::at(int rank) {
  if (rank < 1 || rank > workers())
    throw TransportError(fmt::format("simulation: no worker rank {} (ranks 1..{})", rank, workers()));
  return state_[static_cast<std::size_t>(rank - 1)];
}

void SimulatedWorkers::schedule(int rank, Tag tag, double time) {
  events_.push(Scheduled{time, order_++, rank, tag, at(rank).generation});
}

void SimulatedWorkers::on_message(int rank, Tag tag, std::span<const char> bytes, double now) {
  switch (tag) {
    case Tag::work:
      decoder_.decode(bytes, work_);
      start(rank, work_, now);
      break;
    case Tag::cancel:
      decoder_.decode(bytes, cancel_);
      cancel(rank, cancel_, now);
      break;
    case Tag::stop:
      // The manager stops workers only when no trial runs; a busy one would end its trial
      // as interrupted first, which cancel() models.
      if (at(rank).trial >= 0) cancel(rank, CancelMsg{at(rank).trial, CancelReason::interrupted}, now);
      break;
    default:
      throw TransportError(fmt::format("simulation: rank 0 sent tag {} to a worker", static_cast<int>(tag)));
  }
}

void SimulatedWorkers::start(int rank, const WorkMsg& work, double now) {
  Worker& worker = at(rank);
  if (worker.trial >= 0)
    throw TransportError(fmt::format("simulation: trial {} sent to rank {}, which is running trial {}", work.trial,
                                     rank, worker.trial));
  done_.waiting_seconds += now - worker.ready;
  worker.trial = work.trial;
  worker.start = now;
  worker.finish = now + durations_.draw(work.seed);
  worker.state = TrialState::complete;
  worker.value = synthetic_objective(space_, work.values, direction_);
  schedule(rank, Tag::result, worker.finish);
}

void SimulatedWorkers::cancel(int rank, const CancelMsg& cancel, double now) {
  Worker& worker = at(rank);
  // A cancel for a trial that has already ended (its result is on the way) is stale, as for
  // a real worker.
  if (worker.trial != cancel.trial || worker.finish <= now) return;
  worker.finish = now;
  worker.state = cancel.reason == CancelReason::pruned ? TrialState::pruned : TrialState::interrupted;
  ++worker.generation;  // the result scheduled at the old finish is dropped
  schedule(rank, Tag::result, now);
}

double SimulatedWorkers::next_time() {
  while (!events_.empty()) {
    const Scheduled& top = events_.top();
    if (top.generation == state_[static_cast<std::size_t>(top.rank - 1)].generation) return top.time;
    events_.pop();  // replaced by a cancel
  }
  return std::numeric_limits<double>::infinity();
}

SimulatedWorkers::Event SimulatedWorkers::pop(double epoch, HelloMsg& hello, ResultMsg& result) {
  if (!std::isfinite(next_time())) throw TransportError("simulation: no pending event");
  const Scheduled event = events_.top();
  events_.pop();
  Worker& worker = at(event.rank);
  if (event.tag == Tag::hello) {
    hello.host = "simulated";
    hello.pid = event.rank;
    return {event.rank, Tag::hello};
  }
  result.trial = worker.trial;
  result.state = worker.state;
  result.t_started = epoch + worker.start;
  result.t_finished = epoch + worker.finish;
  result.metrics.clear();
  if (worker.state == TrialState::complete) result.metrics.push_back(Metric{metric_, worker.value});
  result.message.clear();
  result.stderr_tail.clear();
  done_.busy_seconds += worker.finish - worker.start;
  ++done_.results;
  worker.trial = -1;
  worker.ready = worker.finish;
  return {event.rank, Tag::result};
}

WorkerAccounts SimulatedWorkers::accounts(double makespan) const {
  WorkerAccounts out = done_;
  for (const Worker& worker : state_) {
    if (worker.trial >= 0) {
      // Still running (or its result not yet taken) when the run ended.
      out.busy_seconds += std::max(0.0, std::min(worker.finish, makespan) - worker.start);
      out.drain_seconds += std::max(0.0, makespan - worker.finish);
    } else {
      out.drain_seconds += std::max(0.0, makespan - worker.ready);
    }
  }
  return out;
}

}  // namespace h5tune::runtime
