#include "runtime/worker.hpp"

#include <unistd.h>

#include <exception>

#include <fmt/format.h>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"
#include "runtime/checkpoint_paths.hpp"
#include "runtime/clock.hpp"

namespace h5tune::runtime {

/// Sends reports to rank 0 and answers should_stop() by looking for a cancel message.
class Worker::TrialReporter final : public Reporter {
 public:
  TrialReporter(Worker& worker, std::int64_t trial) : worker_(worker), trial_(trial) {}

  bool report(std::int64_t step, const Metrics& metrics) override {
    report_.trial = trial_;
    report_.step = step;
    report_.time = unix_now();
    report_.metrics = metrics;
    worker_.transport_.send(0, Tag::report, worker_.encoder_.encode(report_));
    return !should_stop();
  }

  bool should_stop() override {
    while (!worker_.cancel_requested_ && worker_.transport_.receive(envelope_, 0.0))
      worker_.on_message_while_busy(envelope_, trial_);
    return worker_.cancel_requested_;
  }

 private:
  Worker& worker_;
  std::int64_t trial_;
  ReportMsg report_;
  Envelope envelope_;
};

Worker::Worker(const StudyConfig& study, Transport& transport, Objective& objective, std::string host)
    : study_(study), transport_(transport), objective_(objective), host_(std::move(host)) {}

void Worker::on_message_while_busy(const Envelope& envelope, std::int64_t trial) {
  switch (envelope.tag) {
    case Tag::cancel: {
      CancelMsg cancel;
      decoder_.decode(envelope.bytes, cancel);
      if (cancel.trial == trial) {  // a cancel for a trial already finished is stale
        cancel_requested_ = true;
        cancel_reason_ = cancel.reason;
      }
      break;
    }
    case Tag::stop:
      stop_after_trial_ = true;
      cancel_requested_ = true;
      cancel_reason_ = CancelReason::interrupted;
      break;
    default:
      throw TransportError(fmt::format("rank {}: unexpected message tag {} while running trial {}", transport_.rank(),
                                       static_cast<int>(envelope.tag), trial));
  }
}

void Worker::evaluate(const WorkMsg& work) {
  TrialRecord record;
  record.id = work.trial;
  record.seed = work.seed;
  record.state = TrialState::running;
  record.values = work.values;
  record.parent = work.parent;
  record.budget = work.budget;
  record.attempt = work.attempt;
  record.rank = transport_.rank();
  const std::filesystem::path dir = study_.command ? trial_directory(*study_.command, work.trial) : std::filesystem::path();

  cancel_requested_ = false;
  ResultMsg result;
  result.trial = work.trial;
  result.t_started = unix_now();
  try {
    const Trial trial(study_.space, record, dir, checkpoint_paths(study_, work.trial, work.parent));
    TrialReporter reporter(*this, work.trial);
    Outcome outcome = objective_.evaluate(trial, reporter);
    result.state = outcome.state;
    result.metrics = std::move(outcome.metrics);
    result.message = std::move(outcome.message);
    result.stderr_tail = std::move(outcome.stderr_tail);
  } catch (const std::exception& e) {
    result.state = TrialState::failed;
    result.message = fmt::format("objective threw: {}", e.what());
  } catch (...) {
    result.state = TrialState::failed;
    result.message = "objective threw an unknown exception";
  }
  if (cancel_requested_ && result.state != TrialState::complete)
    result.state = cancel_reason_ == CancelReason::pruned ? TrialState::pruned : TrialState::interrupted;
  result.t_finished = unix_now();
  transport_.send(0, Tag::result, encoder_.encode(result));
  ++summary_.trials;
}

WorkerSummary Worker::run() {
  transport_.send(0, Tag::hello, encoder_.encode(HelloMsg{host_, static_cast<std::int64_t>(getpid())}));
  Envelope envelope;
  WorkMsg work;
  while (!stop_after_trial_) {
    if (!transport_.receive(envelope, -1.0)) continue;
    switch (envelope.tag) {
      case Tag::work:
        decoder_.decode(envelope.bytes, work);
        evaluate(work);
        break;
      case Tag::cancel:
        break;  // for a trial that already finished
      case Tag::stop:
        stop_after_trial_ = true;
        break;
      default:
        throw TransportError(fmt::format("rank {}: unexpected message tag {}", transport_.rank(),
                                         static_cast<int>(envelope.tag)));
    }
  }
  return summary_;
}

}  // namespace h5tune::runtime
