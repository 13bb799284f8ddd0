#pragma once
// Rank 0's transport in a simulated run (h5tune simulate): the real Manager, strategy and
// LogWriter talk to SimulatedWorkers on a virtual clock.
#include <functional>

#include "runtime/codec.hpp"
#include "runtime/simulated_workers.hpp"
#include "runtime/time_source.hpp"
#include "runtime/transport.hpp"

namespace h5tune::runtime {

/// Seconds of rank 0's own compute so far (a monotonic counter), read on rank 0's thread.
using ComputeClock = std::function<double()>;

/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID: user + system time, so HDF5's
/// writes count): rank 0's compute, unaffected by other processes competing for the cores.
double thread_cpu_seconds() noexcept;

/// Rank 0's end of a simulated run, and the run's virtual clock V (seconds since the start).
///
/// Discrete-event simulation (as SimGrid or a queueing simulator would, with rank 0's cost
/// measured instead of modelled): every call into the transport first charges the compute
/// rank 0 did since its previous call returned (read from the ComputeClock) to V, plus
/// `message_seconds` for the message sent or received. A receive then delivers the earliest
/// worker event (hellos at V = 0, results at start + duration); when that event lies in the
/// future rank 0 is idle and V jumps to it, or by the receive's timeout if that comes first.
/// Nothing sleeps: a timeout only advances V. Sends go to SimulatedWorkers, which schedule
/// results. The transport's own work (decoding work, drawing durations, encoding results)
/// stands for the workers' and is not charged.
///
/// As a TimeSource it gives the manager V plus the compute not yet charged (steady) and
/// `epoch` + that (Unix), so the log's times, the time budget and the flush pacing all run
/// on virtual time.
class VirtualTransport final : public Transport, public TimeSource {
 public:
  /// `epoch`: the Unix time virtual time 0 maps to in the log.
  VirtualTransport(SimulatedWorkers& workers, ComputeClock compute, double message_seconds, double epoch);

  int rank() const noexcept override { return 0; }
  int size() const noexcept override { return workers_.workers() + 1; }
  void send(int dest, Tag tag, std::span<const char> bytes) override;
  bool receive(Envelope& out, double timeout_seconds) override;

  double steady_now() const noexcept override;
  double unix_now() const noexcept override { return epoch_ + steady_now(); }

  /// Virtual seconds rank 0 spent computing (and messaging), charged so far.
  double rank0_busy_seconds() const noexcept { return busy_; }
  /// The virtual time the last worker was sent its stop message (the run's makespan), or V
  /// while workers remain.
  double makespan() const noexcept { return stopped_ == workers_.workers() ? stop_time_ : now_; }
  /// Messages rank 0 sent and received.
  std::int64_t messages() const noexcept { return messages_; }

 private:
  void charge();
  void resume() { mark_ = compute_(); }

  SimulatedWorkers& workers_;
  ComputeClock compute_;
  double message_seconds_;
  double epoch_;
  double now_ = 0.0;   ///< V
  double mark_ = 0.0;  ///< compute clock when rank 0 last left the transport
  double busy_ = 0.0;
  int stopped_ = 0;
  double stop_time_ = 0.0;
  std::int64_t messages_ = 0;
  Encoder encoder_;
  HelloMsg hello_;
  ResultMsg result_;
};

}  // namespace h5tune::runtime
