// Cost of logging trials to HDF5 (docs/log-format.md), amortized per trial.
//
// One iteration is one trial's life as the runtime logs it: created as running (with an
// ask and a start event), and completed with two metrics (with a tell event) `lag` trials
// later, so that with lag == flush interval every trial's row reaches the file twice,
// as it does when trials outlive the once-a-second flush. The writer flushes every
// `flush_every` trials; flush_every = 1 is the per-row flush the buffering avoids.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "h5tune/log.hpp"

namespace {

using namespace h5tune;

std::filesystem::path bench_file(const char* name) {
  return std::filesystem::temp_directory_path() /
         ("h5tune-log-bench-" + std::to_string(getpid()) + "-" + name + ".h5");
}

LogHeader bench_header() {
  LogHeader h;
  h.study_name = "bench";
  h.strategy = "random";
  h.space.add_float("lr", 1e-5, 1e-1, true).add_int("layers", 1, 8).add_choice("act", {"relu", "tanh", "gelu"});
  return h;
}

TrialRecord trial(std::int64_t id, bool finished) {
  TrialRecord t;
  t.id = id;
  t.seed = static_cast<std::uint64_t>(id) * 2654435761u;
  t.state = finished ? TrialState::complete : TrialState::running;
  t.values = {1e-3, static_cast<double>(id % 8 + 1), static_cast<double>(id % 3)};
  t.rank = static_cast<int>(id % 16) + 1;
  t.host = 0;
  t.t_created = 1.7e9 + static_cast<double>(id);
  t.t_started = t.t_created + 0.01;
  if (finished) {
    t.t_finished = t.t_started + 1.0;
    t.value = 0.5;
    t.metrics = {{"val_loss", 0.5}, {"train_loss", 0.4}};
  }
  return t;
}

double max_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_LogTrial(benchmark::State& state) {
  const std::int64_t flush_every = state.range(0);
  const std::int64_t lag = flush_every;
  const auto path = bench_file(("flush" + std::to_string(flush_every)).c_str());
  std::int64_t id = 0;
  {
    LogWriter writer(path, bench_header(), true);
    writer.host_index("node001");
    for (auto _ : state) {
      writer.write_trial(trial(id, false));
      writer.write_event({1.7e9, EventKind::ask, id, 0});
      writer.write_event({1.7e9, EventKind::start, id, 1});
      if (id >= lag) {
        writer.write_trial(trial(id - lag, true));
        writer.write_event({1.7e9, EventKind::tell, id - lag, 0});
      }
      if (++id % flush_every == 0) writer.flush();
    }
    writer.flush();
  }
  state.SetItemsProcessed(id);
  state.counters["trials"] = static_cast<double>(id);
  state.counters["file_MiB"] = static_cast<double>(std::filesystem::file_size(path)) / (1024.0 * 1024.0);
  state.counters["max_rss_MiB"] = max_rss_mib();
  std::filesystem::remove(path);
}
BENCHMARK(BM_LogTrial)->Arg(1)->Arg(64)->Arg(1024)->Unit(benchmark::kMicrosecond);

// Reading trials back (with params and metrics), per trial.
void BM_LogReadTrials(benchmark::State& state) {
  const auto path = bench_file("read");
  const std::int64_t count = state.range(0);
  {
    LogWriter writer(path, bench_header(), true);
    for (std::int64_t id = 0; id < count; ++id) {
      writer.write_trial(trial(id, true));
      if (id % 1024 == 1023) writer.flush();
    }
  }
  for (auto _ : state) {
    LogReader reader(path);
    benchmark::DoNotOptimize(reader.trials());
  }
  state.SetItemsProcessed(state.iterations() * count);
  std::filesystem::remove(path);
}
BENCHMARK(BM_LogReadTrials)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
