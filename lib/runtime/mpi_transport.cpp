#include "runtime/mpi_transport.hpp"

#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::runtime {

void check_mpi(int code, const char* what) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw TransportError(fmt::format("MPI failed while {}: {}", what, std::string(text, static_cast<std::size_t>(length))));
}

MpiTransport::MpiTransport(MPI_Comm comm) : comm_(comm) {
  check_mpi(MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN), "setting the error handler");
  check_mpi(MPI_Comm_rank(comm_, &rank_), "asking the rank");
  check_mpi(MPI_Comm_size(comm_, &size_), "asking the size");
}

MpiTransport::~MpiTransport() {
  try {
    drain();
  } catch (...) {
    // A destructor must not throw; MPI is failing anyway.
  }
}

void MpiTransport::reap_sends() {
  while (!outgoing_.empty()) {
    int done = 0;
    check_mpi(MPI_Test(&outgoing_.front().request, &done, MPI_STATUS_IGNORE), "completing a send");
    if (!done) break;
    spare_buffers_.push_back(std::move(outgoing_.front().bytes));
    outgoing_.pop_front();
  }
}

void MpiTransport::send(int dest, Tag tag, std::span<const char> bytes) {
  reap_sends();
  Outgoing out;
  if (!spare_buffers_.empty()) {
    out.bytes = std::move(spare_buffers_.back());
    spare_buffers_.pop_back();
  }
  out.bytes.assign(bytes.begin(), bytes.end());
  outgoing_.push_back(std::move(out));
  auto& queued = outgoing_.back();
  check_mpi(MPI_Isend(queued.bytes.data(), static_cast<int>(queued.bytes.size()), MPI_BYTE, dest,
                      static_cast<int>(tag), comm_, &queued.request),
            "sending a message");
}

bool MpiTransport::receive(Envelope& out, double timeout_seconds) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + std::chrono::duration_cast<clock::duration>(
                                           std::chrono::duration<double>(timeout_seconds < 0 ? 1e9 : timeout_seconds));
  // Back off from spinning to sleeping: a busy rank gets its next message within
  // microseconds, an idle one does not steal a core from the ranks that share it.
  int idle_rounds = 0;
  for (;;) {
    int found = 0;
    MPI_Message message;
    MPI_Status status;
    check_mpi(MPI_Improbe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &found, &message, &status), "probing for messages");
    if (found) {
      int count = 0;
      check_mpi(MPI_Get_count(&status, MPI_BYTE, &count), "sizing a message");
      out.bytes.resize(static_cast<std::size_t>(count));
      check_mpi(MPI_Mrecv(out.bytes.data(), count, MPI_BYTE, &message, MPI_STATUS_IGNORE), "receiving a message");
      out.source = status.MPI_SOURCE;
      out.tag = static_cast<Tag>(status.MPI_TAG);
      return true;
    }
    reap_sends();
    if (clock::now() >= deadline) return false;
    ++idle_rounds;
    if (idle_rounds < 64) {
      std::this_thread::yield();
    } else {
      const auto nap = std::chrono::microseconds(std::min(1000, 10 * (idle_rounds - 63)));
      std::this_thread::sleep_for(std::min<clock::duration>(nap, deadline - clock::now()));
    }
  }
}

void MpiTransport::drain() {
  for (auto& out : outgoing_) check_mpi(MPI_Wait(&out.request, MPI_STATUS_IGNORE), "completing a send");
  outgoing_.clear();
}

}  // namespace h5tune::runtime
