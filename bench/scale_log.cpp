// Writes a synthetic log of N finished trials as a run would log them, for timing the
// analysis commands at scale (bench/analysis_scale.sh, docs/benchmarks.md):
//
//   build/bench/scale_log FILE [TRIALS] [STEPS]      defaults: 1000000 trials, 3 steps
//
// Five parameters (float, log float, int, choice, float), each trial created, started and
// told (ask, start and tell events), `STEPS` reports of two metrics (a learning curve), two
// final metrics; 16 ranks; 1 in 20 trials failed and 1 in 10 pruned after its first step.
// The objective is a known function of the parameters (x and lr matter, dropout does not),
// drawn from a fixed seed, so the report's importances are checkable at scale too.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "h5tune/log.hpp"
#include "h5tune/seed.hpp"

using namespace h5tune;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE [TRIALS] [STEPS]\n", argv[0]);
    return 2;
  }
  const std::string path = argv[1];
  const long long trials = argc > 2 ? std::atoll(argv[2]) : 1000000;
  const long long steps = argc > 3 ? std::atoll(argv[3]) : 3;
  LogHeader header;
  header.study_name = "scale";
  header.strategy = "random";
  header.seed = 7;
  header.metric = "loss";
  header.max_trials = trials;
  header.mpi_size = 17;
  header.space.add_float("x", -4, 4)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("layers", 1, 8)
      .add_choice("act", {"relu", "tanh", "gelu"})
      .add_float("dropout", 0, 0.5);
  LogWriter writer(path, header, true);
  const int host = writer.host_index("node001");
  Rng rng(derive_seed(header.seed, SeedStream::strategy, 0));
  const double t0 = 1.7e9;
  writer.write_event({t0, EventKind::run_start, -1, -1});
  for (long long id = 0; id < trials; ++id) {
    TrialRecord t;
    t.id = id;
    t.seed = trial_seed(header.seed, id);
    std::vector<double> unit(header.space.size());
    for (auto& u : unit) u = uniform01(rng);
    t.values = header.space.from_unit(unit);
    t.rank = static_cast<int>(id % 16) + 1;
    t.host = host;
    t.t_created = t0 + static_cast<double>(id) / 16.0;
    t.t_started = t.t_created + 0.001;
    t.t_finished = t.t_started + 1.0 / 16.0 - 0.002;
    const double loss = (t.values[0] - 1) * (t.values[0] - 1) + std::abs(std::log10(t.values[1]) + 3) + 0.1 * t.values[2];
    const bool failed = id % 20 == 7, pruned = id % 10 == 3;
    for (long long s = 1; s <= steps && !failed && (!pruned || s == 1); ++s)
      writer.write_report({id, s, t.t_started + 0.01 * static_cast<double>(s),
                           {{"loss", loss + 1.0 / static_cast<double>(s)}, {"acc", 1 / (1 + loss)}}});
    t.state = failed ? TrialState::failed : pruned ? TrialState::pruned : TrialState::complete;
    if (!failed) {
      t.metrics = {{"loss", loss}, {"acc", 1 / (1 + loss)}};
      if (!pruned) t.value = loss;
    } else {
      t.message = "command exited with status 1";
    }
    writer.write_event({t.t_created, EventKind::ask, id, -1});
    writer.write_event({t.t_created, EventKind::start, id, t.rank});
    writer.write_trial(t);
    writer.write_event({t.t_finished, EventKind::tell, id, t.rank});
  }
  writer.write_event({t0 + static_cast<double>(trials) / 16.0, EventKind::run_stop, -1, -1});
  writer.close();
  std::printf("%s: %lld trials, %lld steps each\n", path.c_str(), trials, steps);
  return 0;
}
