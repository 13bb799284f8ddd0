#pragma once
#include <deque>
#include <vector>

#include <mpi.h>

#include "runtime/transport.hpp"

namespace h5tune::runtime {

/// Checks the return code of an MPI call: the one choke point that turns MPI failures
/// into TransportError with our message and MPI's error string.
void check_mpi(int code, const char* what);

/// Transport over MPI_COMM_WORLD (or another communicator).
///
/// Sends are non-blocking (MPI_Isend from a buffer the transport owns until completion), so
/// a manager never blocks on a worker that is itself sending. Receives probe any source
/// with MPI_Improbe, spinning for 50 us, then spinning with yields up to 200 us, then
/// sleeping in naps of at most 250 us while idle: an answer within microseconds is seen at once, and an idle
/// rank does not steal a core from ranks that share it.
class MpiTransport final : public Transport {
 public:
  explicit MpiTransport(MPI_Comm comm = MPI_COMM_WORLD);
  ~MpiTransport() override;
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return size_; }
  void send(int dest, Tag tag, std::span<const char> bytes) override;
  bool receive(Envelope& out, double timeout_seconds) override;
  /// Wait until every send has completed (before MPI_Finalize).
  void drain();

 private:
  struct Outgoing {
    MPI_Request request = MPI_REQUEST_NULL;
    std::vector<char> bytes;
  };
  void reap_sends();

  MPI_Comm comm_;
  int rank_ = 0;
  int size_ = 1;
  std::deque<Outgoing> outgoing_;
  std::vector<std::vector<char>> spare_buffers_;
};

}  // namespace h5tune::runtime
