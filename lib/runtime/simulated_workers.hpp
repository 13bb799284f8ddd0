#pragma once
// The worker side of a simulated run (h5tune simulate): W workers that take work messages
// and answer with results after a drawn duration, on a virtual clock kept by
// VirtualTransport. No thread, no process: a worker is a few numbers and an event.
#include <cstdint>
#include <queue>
#include <span>
#include <string>
#include <vector>

#include "h5tune/space.hpp"
#include "h5tune/trial.hpp"
#include "runtime/codec.hpp"
#include "runtime/messages.hpp"

namespace h5tune::runtime {

/// Trial durations, log-normal: median · exp(sigma · z) with z standard normal, drawn from
/// the trial's own seed (WorkMsg::seed, itself derived from the study seed and the trial
/// id), so trial k lasts the same whatever order the trials run in. sigma = 0 makes every
/// trial last exactly the median. z comes from Box–Muller over two uniform01 draws of
/// h5tune::Rng, whose outputs are fixed by the standard (std::normal_distribution is not).
struct DurationModel {
  double median_seconds = 30.0;
  double sigma = 0.5;
  double draw(std::uint64_t trial_seed) const;
};

/// The synthetic objective a simulated trial reports: a shifted sphere in the unit cube,
/// f(u) = Σ_i (u_i − c_i)² with u = space.to_unit(values) and c_i = 0.25 + 0.5 · frac(i · φ)
/// (φ = 0.618..., the golden ratio's fraction, so the optimum sits inside the box, away from
/// its centre and corners). Smooth, cheap and deterministic, so gp and tpe have a real
/// signal to model. Maximizing studies get −f, so the optimum is the same point.
double synthetic_objective(const Space& space, std::span<const double> values, Direction direction);

/// Time accounts of the simulated workers, in virtual seconds. Over [0, makespan] each
/// worker is running a trial (busy), idle with a hello or a result rank 0 has not answered
/// yet (waiting for rank 0), or idle after its last result with no more work to come
/// (drain); so busy + waiting + drain = W × makespan.
struct WorkerAccounts {
  double busy_seconds = 0.0;
  double waiting_seconds = 0.0;
  double drain_seconds = 0.0;
  std::int64_t results = 0;
};

/// W simulated workers (ranks 1..W) and their pending events, ordered by virtual time
/// (ties by the order they were scheduled, so a simulation is deterministic). Each worker
/// says hello at time 0. Work starts at the virtual time rank 0 sends it and ends after
/// DurationModel::draw; a cancel ends the running trial at once as pruned or interrupted;
/// reports (learning curves) are not simulated, so early stopping never fires.
class SimulatedWorkers {
 public:
  SimulatedWorkers(int workers, const Space& space, std::string metric, Direction direction, DurationModel durations);
  int workers() const noexcept { return static_cast<int>(state_.size()); }

  /// Rank 0 sent `tag` with `bytes` to `rank` at virtual time `now`.
  void on_message(int rank, Tag tag, std::span<const char> bytes, double now);

  /// Virtual time of the next event, +infinity when none is pending.
  double next_time();
  /// Takes the next event (call only when next_time() is finite): the worker's rank, its
  /// tag (hello or result), and the message filled in (`hello` or `result`; result times
  /// are `epoch` + virtual seconds).
  struct Event {
    int rank = 0;
    Tag tag = Tag::hello;
  };
  Event pop(double epoch, HelloMsg& hello, ResultMsg& result);

  /// The time accounts up to `makespan` (the virtual time rank 0 stopped the workers).
  WorkerAccounts accounts(double makespan) const;

 private:
  struct Worker {
    std::int64_t trial = -1;    ///< running trial, -1 when idle
    double start = 0.0;         ///< virtual start of the running trial
    double finish = 0.0;        ///< its virtual end (the result's time)
    double ready = 0.0;         ///< when it last became idle (hello or result)
    std::uint32_t generation = 0;  ///< bumped when a cancel replaces the scheduled result
    TrialState state = TrialState::complete;
    double value = 0.0;
  };
  struct Scheduled {
    double time;
    std::uint64_t order;
    int rank;
    Tag tag;
    std::uint32_t generation;
    bool operator>(const Scheduled& other) const {
      return time != other.time ? time > other.time : order > other.order;
    }
  };
  Worker& at(int rank);
  void schedule(int rank, Tag tag, double time);
  void start(int rank, const WorkMsg& work, double now);
  void cancel(int rank, const CancelMsg& cancel, double now);

  const Space& space_;
  std::string metric_;
  Direction direction_;
  DurationModel durations_;
  std::vector<Worker> state_;  ///< index rank - 1
  std::priority_queue<Scheduled, std::vector<Scheduled>, std::greater<>> events_;
  std::uint64_t order_ = 0;
  WorkerAccounts done_;  ///< busy and waiting time of finished stretches
  Decoder decoder_;
  WorkMsg work_;
  CancelMsg cancel_;
};

}  // namespace h5tune::runtime
