#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "runtime/transport.hpp"

namespace h5tune::runtime {

/// Mailboxes for `size` ranks living as threads of one process. Hand each thread its
/// endpoint(rank); the hub must outlive them.
class InProcessHub {
 public:
  explicit InProcessHub(int size);
  int size() const noexcept { return static_cast<int>(boxes_.size()); }
  /// The transport of one rank; create one per thread.
  std::unique_ptr<Transport> endpoint(int rank);

 private:
  friend class InProcessTransport;
  struct Mailbox {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Envelope> queue;
    std::atomic<std::size_t> queued{0};  ///< queue.size(), readable without the lock
    std::vector<std::vector<char>> spare;  ///< byte buffers of received messages, for reuse
  };
  std::vector<std::unique_ptr<Mailbox>> boxes_;
};

/// One rank's view of an InProcessHub. A receive spins for up to 50 us before
/// it blocks on the condition variable: a thread woken through a futex takes tens of
/// microseconds to run on a busy machine, which dominated one-rank dispatch.
class InProcessTransport final : public Transport {
 public:
  InProcessTransport(InProcessHub& hub, int rank) : hub_(hub), rank_(rank) {}
  int rank() const noexcept override { return rank_; }
  int size() const noexcept override { return hub_.size(); }
  void send(int dest, Tag tag, std::span<const char> bytes) override;
  bool receive(Envelope& out, double timeout_seconds) override;

 private:
  InProcessHub& hub_;
  int rank_;
};

}  // namespace h5tune::runtime
