#include "runtime/virtual_transport.hpp"

#include <time.h>

#include <cmath>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::runtime {

double thread_cpu_seconds() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

VirtualTransport::VirtualTransport(SimulatedWorkers& workers, ComputeClock compute, double message_seconds,
                                   double epoch)
    : workers_(workers), compute_(std::move(compute)), message_seconds_(message_seconds), epoch_(epoch) {
  if (!compute_) throw Error("simulation: no compute clock");
  resume();
}

void VirtualTransport::charge() {
  const double spent = compute_() - mark_;
  now_ += spent;
  busy_ += spent;
}

double VirtualTransport::steady_now() const noexcept { return now_ + (compute_() - mark_); }

void VirtualTransport::send(int dest, Tag tag, std::span<const char> bytes) {
  charge();
  now_ += message_seconds_;
  busy_ += message_seconds_;
  ++messages_;
  workers_.on_message(dest, tag, bytes, now_);
  if (tag == Tag::stop && ++stopped_ == workers_.workers()) stop_time_ = now_;
  resume();
}

bool VirtualTransport::receive(Envelope& out, double timeout_seconds) {
  charge();
  const double next = workers_.next_time();
  if (next > now_) {
    // Nothing has arrived yet: rank 0 idles until the next event or the timeout.
    if (timeout_seconds == 0.0) {
      resume();
      return false;
    }
    if (timeout_seconds > 0.0 && next > now_ + timeout_seconds) {
      now_ += timeout_seconds;
      resume();
      return false;
    }
    if (!std::isfinite(next))
      throw TransportError("simulation: rank 0 waits forever for a message no simulated worker will send");
    now_ = next;
  }
  now_ += message_seconds_;
  busy_ += message_seconds_;
  ++messages_;
  const auto event = workers_.pop(epoch_, hello_, result_);
  out.source = event.rank;
  out.tag = event.tag;
  const auto bytes = event.tag == Tag::hello ? encoder_.encode(hello_) : encoder_.encode(result_);
  out.bytes.assign(bytes.begin(), bytes.end());
  resume();
  return true;
}

}  // namespace h5tune::runtime
