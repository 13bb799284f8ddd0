#pragma once
// Every message between rank 0 and the workers, with its tag: the one place that defines
// the wire protocol (libEnsemble keeps its message numbers in one file for the same reason).
//
// Messages are Boost.Serialization binary archives. Every type here is `object_serializable`
// and never tracked, so an archive writes no per-class preamble: one long-lived archive per
// direction can encode message after message into a reused buffer, and any decoder can read
// a message from any sender.
#include <cstdint>
#include <string>
#include <vector>

#include <boost/serialization/level.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/vector.hpp>

#include "h5tune/trial.hpp"

namespace h5tune::runtime {

/// Message tags. Values are the MPI tags: never renumber.
enum class Tag : int {
  hello = 1,   ///< worker -> manager: I am up (host, pid); also means "idle"
  work = 2,    ///< manager -> worker: evaluate this trial
  report = 3,  ///< worker -> manager: an intermediate report of the running trial
  result = 4,  ///< worker -> manager: the trial finished; the worker is idle again
  cancel = 5,  ///< manager -> worker: stop the running trial (pruned or run stopping)
  stop = 6,    ///< manager -> worker: no more work; leave the loop
};

struct HelloMsg {
  std::string host;
  std::int64_t pid = 0;
  template <class A> void serialize(A& ar, unsigned) { ar & host & pid; }
};

struct WorkMsg {
  std::int64_t trial = -1;
  std::uint64_t seed = 0;
  std::int64_t parent = -1;
  std::int64_t budget = 0;
  std::int32_t attempt = 0;
  std::vector<double> values;
  template <class A> void serialize(A& ar, unsigned) { ar & trial & seed & parent & budget & attempt & values; }
};

struct ReportMsg {
  std::int64_t trial = -1;
  std::int64_t step = 0;
  double time = 0.0;
  Metrics metrics;
  template <class A> void serialize(A& ar, unsigned) { ar & trial & step & time & metrics; }
};

struct ResultMsg {
  std::int64_t trial = -1;
  TrialState state = TrialState::failed;
  double t_started = 0.0;
  double t_finished = 0.0;
  Metrics metrics;
  std::string message;
  std::string stderr_tail;
  template <class A> void serialize(A& ar, unsigned) {
    ar & trial & state & t_started & t_finished & metrics & message & stderr_tail;
  }
};

/// Why rank 0 stops a running trial; decides the trial's final state.
enum class CancelReason : std::uint8_t { pruned = 0, interrupted = 1 };

struct CancelMsg {
  std::int64_t trial = -1;
  CancelReason reason = CancelReason::interrupted;
  template <class A> void serialize(A& ar, unsigned) { ar & trial & reason; }
};

struct StopMsg {
  template <class A> void serialize(A&, unsigned) {}
};

}  // namespace h5tune::runtime

namespace boost::serialization {
template <class A> void serialize(A& ar, h5tune::Metric& m, unsigned) { ar & m.name & m.value; }
}  // namespace boost::serialization

#define H5TUNE_WIRE_TYPE(T)                                              \
  BOOST_CLASS_IMPLEMENTATION(T, boost::serialization::object_serializable) \
  BOOST_CLASS_TRACKING(T, boost::serialization::track_never)

H5TUNE_WIRE_TYPE(h5tune::Metric)
// Boost marks vectors of primitives object_serializable, but not vectors of our structs.
H5TUNE_WIRE_TYPE(h5tune::Metrics)
H5TUNE_WIRE_TYPE(h5tune::runtime::HelloMsg)
H5TUNE_WIRE_TYPE(h5tune::runtime::WorkMsg)
H5TUNE_WIRE_TYPE(h5tune::runtime::ReportMsg)
H5TUNE_WIRE_TYPE(h5tune::runtime::ResultMsg)
H5TUNE_WIRE_TYPE(h5tune::runtime::CancelMsg)
H5TUNE_WIRE_TYPE(h5tune::runtime::StopMsg)
#undef H5TUNE_WIRE_TYPE
