#include "runtime/inprocess_transport.hpp"

#include <chrono>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::runtime {

InProcessHub::InProcessHub(int size) {
  if (size < 1) throw TransportError(fmt::format("in-process transport needs at least 1 rank, got {}", size));
  for (int i = 0; i < size; ++i) boxes_.push_back(std::make_unique<Mailbox>());
}

std::unique_ptr<Transport> InProcessHub::endpoint(int rank) {
  if (rank < 0 || rank >= size()) throw TransportError(fmt::format("no rank {} in a hub of {}", rank, size()));
  return std::make_unique<InProcessTransport>(*this, rank);
}

void InProcessTransport::send(int dest, Tag tag, std::span<const char> bytes) {
  if (dest < 0 || dest >= size()) throw TransportError(fmt::format("send to rank {} of {}", dest, size()));
  auto& box = *hub_.boxes_[static_cast<std::size_t>(dest)];
  {
    std::lock_guard lock(box.mutex);
    std::vector<char> copy;
    if (!box.spare.empty()) {
      copy = std::move(box.spare.back());
      box.spare.pop_back();
    }
    copy.assign(bytes.begin(), bytes.end());
    box.queue.push_back(Envelope{rank_, tag, std::move(copy)});
    box.queued.store(box.queue.size(), std::memory_order_release);
  }
  box.ready.notify_one();
}

bool InProcessTransport::receive(Envelope& out, double timeout_seconds) {
  auto& box = *hub_.boxes_[static_cast<std::size_t>(rank_)];
  // A look that finds nothing stays off the mutex and the condition variable: the manager
  // and the objective's should_stop() look often.
  if (timeout_seconds == 0.0 && box.queued.load(std::memory_order_acquire) == 0) return false;
  if (timeout_seconds != 0.0 && box.queued.load(std::memory_order_acquire) == 0) {
    using clock = std::chrono::steady_clock;
    constexpr auto spin_window = std::chrono::microseconds(50);
    const auto spin_until = clock::now() + spin_window;
    while (box.queued.load(std::memory_order_acquire) == 0 && clock::now() < spin_until) {
    }
  }
  std::unique_lock lock(box.mutex);
  auto has_mail = [&] { return !box.queue.empty(); };
  if (timeout_seconds < 0) {
    box.ready.wait(lock, has_mail);
  } else if (!box.ready.wait_for(lock, std::chrono::duration<double>(timeout_seconds), has_mail)) {
    return false;
  }
  // The caller's old buffer goes back to the mailbox for the next sender to fill.
  if (out.bytes.capacity() > 0) box.spare.push_back(std::move(out.bytes));
  out = std::move(box.queue.front());
  box.queue.pop_front();
  box.queued.store(box.queue.size(), std::memory_order_release);
  return true;
}

}  // namespace h5tune::runtime
