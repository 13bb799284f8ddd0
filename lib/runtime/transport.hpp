#pragma once
#include <span>
#include <vector>

#include "runtime/messages.hpp"

namespace h5tune::runtime {

/// A received message: its sender, tag and bytes (owned, reused between receives).
struct Envelope {
  int source = -1;
  Tag tag = Tag::stop;
  std::vector<char> bytes;
};

/// Point-to-point messaging between the ranks of one run. Implementations: MPI
/// (mpi_transport.hpp) and in-process queues (inprocess_transport.hpp) for one-process
/// runs and tests. The manager and worker loops only see this interface.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual int rank() const noexcept = 0;
  virtual int size() const noexcept = 0;
  /// Queue `bytes` for `dest`; returns without waiting for the receiver. Messages from one
  /// sender to one receiver arrive in the order sent.
  virtual void send(int dest, Tag tag, std::span<const char> bytes) = 0;
  /// Wait up to `timeout_seconds` (0: just look; negative: forever) for a message from any
  /// rank. Returns false on timeout.
  virtual bool receive(Envelope& out, double timeout_seconds) = 0;
};

}  // namespace h5tune::runtime
