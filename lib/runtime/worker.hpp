#pragma once
#include <cstdint>

#include "h5tune/objective.hpp"
#include "h5tune/study.hpp"
#include "runtime/codec.hpp"
#include "runtime/transport.hpp"

namespace h5tune::runtime {

/// What a worker did, for its own summary.
struct WorkerSummary {
  std::int64_t trials = 0;
};

/// A worker rank's loop (libEnsemble's worker): say hello, then evaluate each trial rank 0
/// sends, streaming its reports back, until told to stop. It knows nothing of strategies or
/// the log. While a trial runs, the Reporter it hands the objective polls for a cancel.
class Worker {
 public:
  Worker(const StudyConfig& study, Transport& transport, Objective& objective, std::string host);
  WorkerSummary run();

 private:
  class TrialReporter;
  void evaluate(const WorkMsg& work);
  /// Handles a message that arrived while a trial runs; true if the trial must stop.
  void on_message_while_busy(const Envelope& envelope, std::int64_t trial);

  const StudyConfig& study_;
  Transport& transport_;
  Objective& objective_;
  std::string host_;
  Encoder encoder_;
  Decoder decoder_;
  bool stop_after_trial_ = false;
  bool cancel_requested_ = false;
  CancelReason cancel_reason_ = CancelReason::interrupted;
  WorkerSummary summary_;
};

}  // namespace h5tune::runtime
