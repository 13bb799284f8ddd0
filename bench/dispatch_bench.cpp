// Dispatch throughput of the runtime against the physical floor of the same run
// (docs/benchmarks.md, "Dispatch").
//
//   mpiexec -n N build/bench/dispatch_bench --trials 200000   (N >= 2: MPI ranks)
//   build/bench/dispatch_bench --trials 200000                (one rank: in-process mode)
//
// In one program run it measures, in this order:
//   1. ping-pong: 8-byte round trips between ranks 0 and 1 (MPI only);
//   2. raw dispatch: rank 0 hands 8-byte items to the workers and gets 8 bytes back,
//      keeping every worker busy, no serialization: plain MPI (or, with one rank, the
//      in-process transport to one worker thread) - the floor any runtime pays;
//   3. transport dispatch: the same loop over our MpiTransport, to separate the
//      transport's probing from the rest of the runtime (MPI only);
//   4. h5tune: run_study with random search over a 5-parameter space and a no-op
//      CallableObjective returning one metric, logging to HDF5, with RunOptions::profile
//      on so rank 0's time per trial is split into phases.
// Rank 0 prints `key=value` lines (parsed by bench/dispatch.sh) and a short summary.
// With --rss, the objective prints the process's VmRSS at 10^3..10^6 trials (in one rank,
// the manager and the worker thread share the process).
#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "h5tune/objective.hpp"
#include "h5tune/runtime.hpp"
#include "h5tune/study.hpp"
#include "runtime/inprocess_transport.hpp"
#include "runtime/mpi_transport.hpp"

namespace {

using namespace h5tune;
using bench_clock = std::chrono::steady_clock;

struct Args {
  std::int64_t trials = 200000;
  std::int64_t raw_items = -1;  ///< default: as many as trials
  std::int64_t pingpongs = 100000;
  std::string log;              ///< default: a file in the temp directory, removed after
  bool keep_log = false;
  bool rss = false;
};

[[noreturn]] void usage(const char* program) {
  std::fprintf(stderr,
               "usage: %s [--trials N] [--raw-items N] [--pingpongs N] [--log FILE] [--keep-log] [--rss]\n",
               program);
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto next = [&]() -> const char* {
      if (i + 1 >= argc) usage(argv[0]);
      return argv[++i];
    };
    if (flag == "--trials") args.trials = std::atoll(next());
    else if (flag == "--raw-items") args.raw_items = std::atoll(next());
    else if (flag == "--pingpongs") args.pingpongs = std::atoll(next());
    else if (flag == "--log") args.log = next();
    else if (flag == "--keep-log") args.keep_log = true;
    else if (flag == "--rss") args.rss = true;
    else usage(argv[0]);
  }
  if (args.trials < 1) usage(argv[0]);
  if (args.raw_items < 0) args.raw_items = args.trials;
  return args;
}

double seconds_since(bench_clock::time_point start) {
  return std::chrono::duration<double>(bench_clock::now() - start).count();
}

// Resident set size of this process in KiB, from /proc/self/status.
long vm_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

constexpr int item_tag = 1;
constexpr int stop_tag = 2;

// Mean round trip of 8 bytes between ranks 0 and 1, in microseconds (rank 0's figure).
double pingpong_us(std::int64_t rounds) {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  std::uint64_t word = 0;
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = bench_clock::now();
  if (rank == 0) {
    for (std::int64_t i = 0; i < rounds; ++i) {
      MPI_Send(&word, 8, MPI_BYTE, 1, item_tag, MPI_COMM_WORLD);
      MPI_Recv(&word, 8, MPI_BYTE, 1, item_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
  } else if (rank == 1) {
    for (std::int64_t i = 0; i < rounds; ++i) {
      MPI_Recv(&word, 8, MPI_BYTE, 0, item_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(&word, 8, MPI_BYTE, 0, item_tag, MPI_COMM_WORLD);
    }
  }
  const double seconds = seconds_since(start);
  MPI_Barrier(MPI_COMM_WORLD);
  return seconds / static_cast<double>(rounds) * 1e6;
}

// Raw MPI dispatch: microseconds per item at rank 0, every worker kept busy.
double raw_mpi_us(std::int64_t items) {
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = bench_clock::now();
  std::uint64_t word = 0;
  if (rank == 0) {
    std::int64_t sent = 0;
    for (int w = 1; w < size && sent < items; ++w, ++sent) MPI_Send(&word, 8, MPI_BYTE, w, item_tag, MPI_COMM_WORLD);
    for (std::int64_t done = 0; done < items; ++done) {
      MPI_Status status;
      MPI_Recv(&word, 8, MPI_BYTE, MPI_ANY_SOURCE, item_tag, MPI_COMM_WORLD, &status);
      if (sent < items) {
        MPI_Send(&word, 8, MPI_BYTE, status.MPI_SOURCE, item_tag, MPI_COMM_WORLD);
        ++sent;
      }
    }
    for (int w = 1; w < size; ++w) MPI_Send(&word, 8, MPI_BYTE, w, stop_tag, MPI_COMM_WORLD);
  } else {
    for (;;) {
      MPI_Status status;
      MPI_Recv(&word, 8, MPI_BYTE, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status);
      if (status.MPI_TAG == stop_tag) break;
      ++word;
      MPI_Send(&word, 8, MPI_BYTE, 0, item_tag, MPI_COMM_WORLD);
    }
  }
  const double seconds = seconds_since(start);
  MPI_Barrier(MPI_COMM_WORLD);
  return seconds / static_cast<double>(items) * 1e6;
}

// The same loop over one of our transports (the manager's view of messaging).
void transport_manager(runtime::Transport& transport, std::int64_t items) {
  const std::uint64_t word = 0;
  const std::span<const char> bytes(reinterpret_cast<const char*>(&word), sizeof word);
  std::int64_t sent = 0;
  for (int w = 1; w < transport.size() && sent < items; ++w, ++sent) transport.send(w, runtime::Tag::work, bytes);
  runtime::Envelope envelope;
  for (std::int64_t done = 0; done < items;) {
    if (!transport.receive(envelope, -1.0)) continue;
    ++done;
    if (sent < items) {
      transport.send(envelope.source, runtime::Tag::work, bytes);
      ++sent;
    }
  }
  for (int w = 1; w < transport.size(); ++w) transport.send(w, runtime::Tag::stop, bytes);
}

void transport_worker(runtime::Transport& transport) {
  runtime::Envelope envelope;
  for (;;) {
    if (!transport.receive(envelope, -1.0)) continue;
    if (envelope.tag == runtime::Tag::stop) return;
    transport.send(0, runtime::Tag::result, envelope.bytes);
  }
}

double transport_mpi_us(std::int64_t items) {
  runtime::MpiTransport transport(MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  const auto start = bench_clock::now();
  if (transport.rank() == 0) transport_manager(transport, items);
  else transport_worker(transport);
  const double seconds = seconds_since(start);
  transport.drain();
  MPI_Barrier(MPI_COMM_WORLD);
  return seconds / static_cast<double>(items) * 1e6;
}

// One rank: rank 0 and one worker thread over the in-process transport.
double transport_inprocess_us(std::int64_t items) {
  runtime::InProcessHub hub(2);
  const auto start = bench_clock::now();
  std::thread worker([&] {
    auto transport = hub.endpoint(1);
    transport_worker(*transport);
  });
  auto transport = hub.endpoint(0);
  transport_manager(*transport, items);
  worker.join();
  return seconds_since(start) / static_cast<double>(items) * 1e6;
}

StudyConfig bench_study(const Args& args, const std::filesystem::path& log) {
  StudyConfig study;
  study.name = "dispatch-bench";
  study.metric = "value";
  study.seed = 7;
  study.max_trials = args.trials;
  study.log = log;
  study.strategy.kind = "random";
  study.space.add_float("x", -5.0, 5.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("layers", 1, 8)
      .add_choice("act", {"relu", "tanh", "gelu"})
      .add_float("dropout", 0.0, 0.5);
  return study;
}

void print_profile(const RunSummary& summary) {
  const ManagerProfile& p = *summary.profile;
  const double per_trial = 1e-3 / static_cast<double>(summary.trials);  // ns total -> us per trial
  std::printf("rank0_ask_us=%.3f\n", static_cast<double>(p.ask_ns) * per_trial);
  std::printf("rank0_serialize_us=%.3f\n", static_cast<double>(p.serialize_ns) * per_trial);
  std::printf("rank0_messaging_us=%.3f\n", static_cast<double>(p.messaging_ns) * per_trial);
  std::printf("rank0_tell_us=%.3f\n", static_cast<double>(p.tell_ns) * per_trial);
  std::printf("rank0_log_us=%.3f\n", static_cast<double>(p.log_ns) * per_trial);
  std::printf("rank0_other_us=%.3f\n", static_cast<double>(p.other_ns) * per_trial);
  std::printf("rank0_busy_us=%.3f\n", static_cast<double>(p.busy_ns()) * per_trial);
  std::printf("rank0_wait_us=%.3f\n", static_cast<double>(p.wait_ns) * per_trial);
}

}  // namespace

int main(int argc, char** argv) {
  Environment env(argc, argv);
  const Args args = parse(argc, argv);
  const bool root = env.rank() == 0;
  const int ranks = env.size();

  if (root) std::printf("ranks=%d\nworkers=%d\ntrials=%lld\n", ranks, std::max(1, ranks - 1),
                        static_cast<long long>(args.trials));
  double raw_us = 0.0;
  if (ranks >= 2) {
    const double rtt = pingpong_us(args.pingpongs);
    raw_us = raw_mpi_us(args.raw_items);
    const double transport_us = transport_mpi_us(args.raw_items);
    if (root) {
      std::printf("pingpong_rtt_us=%.3f\n", rtt);
      std::printf("raw_us_per_item=%.3f\n", raw_us);
      std::printf("transport_us_per_item=%.3f\n", transport_us);
    }
  } else {
    raw_us = transport_inprocess_us(args.raw_items);
    std::printf("raw_us_per_item=%.3f\n", raw_us);
  }
  std::fflush(stdout);

  // Every rank needs the study; only rank 0 writes the log, so only its path matters.
  const std::filesystem::path log =
      args.log.empty() ? std::filesystem::temp_directory_path() /
                             ("h5tune-dispatch-bench-" + std::to_string(getpid()) + ".h5")
                       : std::filesystem::path(args.log);
  const StudyConfig study = bench_study(args, log);
  CallableObjective objective([&](const Trial& trial, Reporter&) -> Metrics {
    if (args.rss) {
      const std::int64_t done = trial.id() + 1;
      for (std::int64_t mark = 1000; mark <= 1000000; mark *= 10)
        if (done == mark) std::printf("rss_kib_at_%lld=%ld\n", static_cast<long long>(mark), vm_rss_kib());
    }
    return {{"value", 0.0}};
  });
  RunOptions options;
  options.verbosity = 0;
  options.overwrite = true;
  options.profile = true;
  MPI_Barrier(MPI_COMM_WORLD);
  const RunSummary summary = run_study(study, objective, options);
  if (!root) return 0;

  const double per_trial_us = summary.wall_seconds / static_cast<double>(summary.trials) * 1e6;
  std::printf("h5tune_trials=%lld\n", static_cast<long long>(summary.trials));
  std::printf("h5tune_trials_per_s=%.0f\n", static_cast<double>(summary.trials) / summary.wall_seconds);
  std::printf("h5tune_us_per_trial=%.3f\n", per_trial_us);
  std::printf("ratio_to_raw=%.2f\n", per_trial_us / raw_us);
  print_profile(summary);
  const auto bytes = std::filesystem::file_size(log);
  std::printf("log_bytes_per_trial=%.1f\n", static_cast<double>(bytes) / static_cast<double>(summary.trials));
  if (args.rss) std::printf("rss_kib_end=%ld\n", vm_rss_kib());
  if (!args.keep_log) std::filesystem::remove(log);
  return 0;
}
