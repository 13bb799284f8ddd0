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
  const auto start = clock::now();
  const auto deadline = start + std::chrono::duration_cast<clock::duration>(
                                    std::chrono::duration<double>(timeout_seconds < 0 ? 1e9 : timeout_seconds));
  // Spin, then spin yielding the core, then sleep in growing naps. The spins are timed,
  // not counted: with a free core a yield returns at once and a counted spin would end
  // after a microsecond, putting a whole timer-slack sleep (~60 us) into every exchange
  // with a worker that answers in a few microseconds. Yielding at once instead hands the
  // core to any other busy process for a whole time slice, hence the short plain spin
  // first. The nap cap bounds how late an idle rank sees a message (docs/benchmarks.md).
  constexpr auto busy_window = std::chrono::microseconds(50);
  constexpr auto spin_window = std::chrono::microseconds(200);
  constexpr auto first_nap = std::chrono::microseconds(50);
  constexpr auto longest_nap = std::chrono::microseconds(250);
  auto nap = first_nap;
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
    const auto now = clock::now();
    if (now >= deadline) return false;
    if (now - start < busy_window) {
      continue;
    } else if (now - start < spin_window) {
      std::this_thread::yield();
    } else {
      std::this_thread::sleep_for(std::min<clock::duration>(nap, deadline - now));
      nap = std::min(nap * 2, longest_nap);
    }
  }
}

void MpiTransport::drain() {
  for (auto& out : outgoing_) check_mpi(MPI_Wait(&out.request, MPI_STATUS_IGNORE), "completing a send");
  outgoing_.clear();
}

}  // namespace h5tune::runtime
