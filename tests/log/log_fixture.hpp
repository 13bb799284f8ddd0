#pragma once
// Shared helpers of the log tests: a study header with every field set, trials with every
// field set, NaN-aware comparisons, and a byte-level file copy for corruption tests.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "h5tune/log.hpp"
#include "support/temp_dir.hpp"

namespace h5tune::test {

inline Space sample_space() {
  Space s;
  s.add_float("x", -2.0, 3.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("layers", 1, 4)
      .add_int("width", 8, 1024, true)
      .add_choice("act", {"relu", "tanh", "gelu_approximate"});
  return s;
}

inline LogHeader sample_header() {
  LogHeader h;
  h.h5tune_version = "0.1.0";
  h.git_sha = "0123456789abcdef0123456789abcdef01234567";
  h.study_name = "mlp-lr";
  // Larger than HDF5's 64 KiB attribute limit: the study text lives in a dataset.
  h.study_text = "[study]\nname = \"mlp-lr\"\n" + std::string(100000, '#') + "\n# end\n";
  h.study_path = "studies/mlp-lr.toml";
  h.seed = 0xFEDCBA9876543210ULL;
  h.strategy = "tpe";
  h.direction = "maximize";
  h.metric = "val_acc";
  h.max_trials = 200;
  h.mpi_size = 3;
  h.hostnames = {"node001", "node002.cluster.example", "node001"};
  h.slurm_job_id = "4242";
  h.created = "2024-05-01T12:00:00Z";
  h.space = sample_space();
  return h;
}

/// A trial with every field set; `finished` makes it complete with two metrics.
inline TrialRecord sample_trial(std::int64_t id, bool finished) {
  TrialRecord t;
  t.id = id;
  t.seed = 1000003ULL * static_cast<std::uint64_t>(id + 1);
  t.state = finished ? TrialState::complete : TrialState::running;
  t.values = {0.25 + static_cast<double>(id % 7) * 0.1, 1e-3 * static_cast<double>(id % 5 + 1),
              static_cast<double>(id % 4 + 1), static_cast<double>(8 << (id % 7)),
              static_cast<double>(id % 3)};
  t.rank = static_cast<int>(id % 3);
  t.host = static_cast<int>(id % 2);
  t.t_created = 1.7e9 + static_cast<double>(id);
  t.t_started = t.t_created + 0.5;
  t.parent = id > 0 ? id - 1 : -1;
  t.budget = 10 * id;
  t.attempt = static_cast<std::int32_t>(id % 2);
  if (finished) {
    t.t_finished = t.t_started + 2.0;
    t.value = 0.5 + static_cast<double>(id) * 1e-3;
    t.metrics = {{"val_acc", t.value}, {"train_loss", 1.0 / static_cast<double>(id + 1)}};
  }
  return t;
}

inline bool same_double(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

inline void expect_same_trial(const TrialRecord& want, const TrialRecord& got) {
  SCOPED_TRACE("trial " + std::to_string(want.id));
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.seed, got.seed);
  EXPECT_EQ(want.state, got.state);
  ASSERT_EQ(want.values.size(), got.values.size());
  for (std::size_t i = 0; i < want.values.size(); ++i)
    EXPECT_TRUE(same_double(want.values[i], got.values[i])) << "param " << i << ": " << got.values[i];
  EXPECT_TRUE(same_double(want.value, got.value)) << got.value;
  EXPECT_EQ(want.metrics, got.metrics);
  EXPECT_EQ(want.rank, got.rank);
  EXPECT_EQ(want.host, got.host);
  EXPECT_TRUE(same_double(want.t_created, got.t_created));
  EXPECT_TRUE(same_double(want.t_started, got.t_started));
  EXPECT_TRUE(same_double(want.t_finished, got.t_finished));
  EXPECT_EQ(want.parent, got.parent);
  EXPECT_EQ(want.budget, got.budget);
  EXPECT_EQ(want.attempt, got.attempt);
  EXPECT_EQ(want.message, got.message);
  EXPECT_EQ(want.stderr_tail, got.stderr_tail);
}

inline std::string file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Read everything a reader offers (so corrupt data deep inside the file is reached).
inline void read_everything(const std::filesystem::path& path) {
  LogReader reader(path);
  reader.refresh();
  (void)reader.trials();
  (void)reader.reports();
  (void)reader.events();
  (void)reader.hosts();
  (void)reader.metric_names();
}

}  // namespace h5tune::test
