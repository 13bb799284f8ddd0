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
    box.queue.push_back(Envelope{rank_, tag, std::vector<char>(bytes.begin(), bytes.end())});
  }
  box.ready.notify_one();
}

bool InProcessTransport::receive(Envelope& out, double timeout_seconds) {
  auto& box = *hub_.boxes_[static_cast<std::size_t>(rank_)];
  std::unique_lock lock(box.mutex);
  auto has_mail = [&] { return !box.queue.empty(); };
  if (timeout_seconds < 0) {
    box.ready.wait(lock, has_mail);
  } else if (!box.ready.wait_for(lock, std::chrono::duration<double>(timeout_seconds), has_mail)) {
    return false;
  }
  out = std::move(box.queue.front());
  box.queue.pop_front();
  return true;
}

}  // namespace h5tune::runtime
