// Files that are not usable logs, given to `show`, `export` and `run --resume`: truncated,
// corrupt, foreign (another program's HDF5) and newer-format. Each is refused with exit
// code 2 and a message naming the file, never a crash, and --resume leaves it untouched.
// Also: parameter values and metric lines are data. A choice such as "../../x" reaches the
// program as one argument and never becomes a path (trial directories are
// <trials_dir>/<id>), and a metric line holding shell syntax runs nothing.
// (tests/log/log_refuse_test.cpp checks the reader itself on the same kinds of file.)
#include <gtest/gtest.h>

#include <random>
#include <set>

#include <fmt/format.h>

#include "e2e/cli_support.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

namespace fs = std::filesystem;

class HostileLog : public ::testing::Test {
 protected:
  /// A finished log of study_text(4), made once for the suite.
  static void SetUpTestSuite() {
    good_dir_ = new TempDir;
    const auto study = write_file(*good_dir_ / "study.toml", study_text(4));
    const auto run = run_process({cli, "run", study, "-q"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
    good_ = new std::string(read_file(*good_dir_ / "run.h5"));
  }
  static void TearDownTestSuite() {
    delete good_;
    delete good_dir_;
  }

  /// Writes `bytes` as dir/run.h5 next to a copy of the study, then checks that show,
  /// export and run --resume each refuse it with exit code 2, naming the file and
  /// `expect`, and that the file is left as it was.
  void expect_refused(const std::string& bytes, const std::string& expect) {
    TempDir dir;
    const auto study = write_file(dir / "study.toml", study_text(4));
    const auto log = write_file(dir / "run.h5", bytes);
    for (const std::vector<std::string>& args : {std::vector<std::string>{cli, "show", log},
                                                 std::vector<std::string>{cli, "export", log, "--format", "json"},
                                                 std::vector<std::string>{cli, "run", study, "--resume", "-q"}}) {
      SCOPED_TRACE(args[1]);
      const auto result = run_process(args);
      EXPECT_EQ(result.exit_code, 2) << result.output;
      EXPECT_NE(result.output.find("run.h5: "), std::string::npos) << result.output;
      EXPECT_NE(result.output.find(expect), std::string::npos) << result.output;
      EXPECT_EQ(read_file(log), bytes) << "the refused file was changed";
      EXPECT_FALSE(fs::exists(dir / "run.trials")) << "a trial ran";
    }
  }

  /// Runs a python3 h5py snippet on `path` (the Debian python, as the other tests do).
  static void h5py(const std::string& code, const fs::path& path) {
    const auto result = run_process({"/usr/bin/python3", "-c", "import sys, h5py\np = sys.argv[1]\n" + code, path.string()});
    ASSERT_EQ(result.exit_code, 0) << result.output;
  }

  static TempDir* good_dir_;
  static std::string* good_;
};
TempDir* HostileLog::good_dir_ = nullptr;
std::string* HostileLog::good_ = nullptr;

TEST_F(HostileLog, TruncatedLogsAreRefused) {
  for (const std::size_t size : {std::size_t{0}, std::size_t{7}, std::size_t{600}, good_->size() / 3, good_->size() - 1}) {
    SCOPED_TRACE("truncated to " + std::to_string(size));
    expect_refused(good_->substr(0, size), size < 8 ? "not an HDF5 file" : "");
  }
}

TEST_F(HostileLog, ForeignHdf5FileIsRefused) {
  TempDir dir;
  h5py("with h5py.File(p, 'w') as f:\n  f['trials'] = [1.0, 2.0]\n  f.attrs['study'] = 'not ours'\n", dir / "foreign.h5");
  expect_refused(read_file(dir / "foreign.h5"), "not an h5tune log");
}

TEST_F(HostileLog, NewerFormatIsRefused) {
  TempDir dir;
  write_file(dir / "newer.h5", *good_);
  h5py("with h5py.File(p, 'r+') as f:\n  f.attrs.modify('format_version', 99)\n", dir / "newer.h5");
  expect_refused(read_file(dir / "newer.h5"), "written by a newer h5tune (format 99)");
}

TEST_F(HostileLog, ANegativeEnqueuedCountIsRefused) {
  TempDir dir;
  write_file(dir / "negative.h5", *good_);
  h5py("with h5py.File(p, 'r+') as f:\n  f.attrs.create('enqueued', -2, dtype='int64')\n", dir / "negative.h5");
  expect_refused(read_file(dir / "negative.h5"), "attribute enqueued is negative (-2)");
}

// Read as one value, an array attribute would be written past the variable it is read into.
TEST_F(HostileLog, AnArrayWhereOneValueBelongsIsRefused) {
  for (const char* name : {"format_version", "seed", "max_trials", "mpi_size", "enqueued"}) {
    SCOPED_TRACE(name);
    TempDir dir;
    write_file(dir / "array.h5", *good_);
    h5py(fmt::format("import numpy as np\nwith h5py.File(p, 'r+') as f:\n  f.attrs.pop('{0}', None)\n"
                     "  f.attrs['{0}'] = np.array([1, 2, 3, 4], dtype='int64')\n", name),
         dir / "array.h5");
    expect_refused(read_file(dir / "array.h5"), fmt::format("attribute {} holds 4 values, not one", name));
  }
}

TEST_F(HostileLog, AStudyFileOfSeveralStringsIsRefused) {
  TempDir dir;
  write_file(dir / "array.h5", *good_);
  h5py("import numpy as np\nwith h5py.File(p, 'r+') as f:\n  del f['study_file']\n"
       "  f['study_file'] = np.array([b'[study]', b'name = 1'], dtype='S16')\n",
       dir / "array.h5");
  expect_refused(read_file(dir / "array.h5"), "/study_file holds 2 values, not one");
}

TEST_F(HostileLog, AnArrayOfResumeCountsIsRefusedByResume) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", study_text(4));
  const auto log = write_file(dir / "run.h5", *good_);
  h5py("import numpy as np\nwith h5py.File(p, 'r+') as f:\n  f.attrs['resumed'] = np.array([1, 2], dtype='int32')\n",
       log);
  const std::string before = read_file(log);
  const auto result = run_process({cli, "run", study, "--resume", "-q"});
  EXPECT_EQ(result.exit_code, 2) << result.output;
  EXPECT_NE(result.output.find("run.h5: cannot append to it, truncated or corrupt h5tune log: attribute resumed holds 2 "
                               "values, not one"),
            std::string::npos)
      << result.output;
  EXPECT_EQ(read_file(log), before) << "the refused file was changed";
}

TEST_F(HostileLog, CorruptMetadataIsRefused) {
  // The superblock and object headers carry checksums: a flipped byte there is caught.
  std::string bytes = *good_;
  for (std::size_t at : {std::size_t{20}, std::size_t{40}}) bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
  expect_refused(bytes, "");
}

TEST_F(HostileLog, RandomlyCorruptedLogsNeverCrashTheReaders) {
  // Damage in raw data can go unnoticed (the file still reads); it must never crash.
  std::mt19937_64 rng(2024);
  for (int round = 0; round < 12; ++round) {
    TempDir dir;
    std::string bytes = *good_;
    for (int k = 0; k < 16; ++k) {
      const auto at = std::uniform_int_distribution<std::size_t>(0, bytes.size() - 1)(rng);
      bytes[at] = static_cast<char>(rng());
    }
    const auto log = write_file(dir / "run.h5", bytes);
    for (const char* command : {"show", "export"}) {
      const auto result = run_process({cli, command, log});
      SCOPED_TRACE(std::string(command) + " round " + std::to_string(round));
      EXPECT_TRUE(result.exit_code == 0 || result.exit_code == 2) << result.exit_code << "\n" << result.output;
    }
  }
}

TEST(HostileValues, ParameterValuesNeverBecomePathsAndMetricLinesRunNothing) {
  TempDir dir;
  const fs::path canary = dir / "pwned";
  // The program records its argument, then prints metric lines full of shell syntax.
  const auto script = write_file(dir / "objective.sh", fmt::format(R"(#!/bin/sh
printf '%s' "$1" > arg.txt
echo 'h5tune: note=$(touch {0}) loss=1'
echo "h5tune: loss=\`touch {0}\`"
echo 'h5tune: loss=2; touch {0}'
echo 'h5tune: loss=3 acc=0.5'
)",
                                                                   canary.string()));
  const auto study = write_file(dir / "study.toml", fmt::format(R"toml([study]
direction = "minimize"
metric = "loss"
max_trials = 6
log = "run.h5"
[objective]
command = ["sh", "{}", "{{where}}"]
workdir = "work/{{where}}"
[space]
where = {{ choice = ["../../x", "/etc/passwd", "$(touch {})", "a b;c"] }}
)toml",
                                                                script, canary.string()));
  const auto run = run_process({cli, "run", study, "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.output;

  EXPECT_FALSE(fs::exists(canary)) << "output or a value was run as code";
  EXPECT_FALSE(fs::exists(dir / "x")) << "a value became a path";
  EXPECT_FALSE(fs::exists(dir / "work" / "x"));
  // The workdir is taken literally; each trial's directory is its id under it.
  std::set<std::string> entries;
  for (const auto& entry : fs::directory_iterator(dir.path())) entries.insert(entry.path().filename().string());
  EXPECT_EQ(entries, (std::set<std::string>{"objective.sh", "study.toml", "run.h5", "work"}));
  std::set<std::string> trial_dirs;
  for (const auto& entry : fs::directory_iterator(dir / "work" / "{where}")) trial_dirs.insert(entry.path().filename().string());
  EXPECT_EQ(trial_dirs, (std::set<std::string>{"0", "1", "2", "3", "4", "5"}));

  LogReader log(dir / "run.h5");
  const auto& space = log.header().space;
  for (const auto& t : log.trials()) {
    ASSERT_EQ(t.state, TrialState::complete) << t.message;
    // The last whole value of loss wins; the malformed pairs are warnings, not code.
    EXPECT_EQ(t.value, 3.0);
    const auto arg = read_file(dir / "work" / "{where}" / std::to_string(t.id) / "arg.txt");
    EXPECT_EQ(arg, space.format(0, t.values[0])) << "the value reached the program as one argument, verbatim";
  }
}

}  // namespace
}  // namespace h5tune::test
