// Valid study files: every key lands in StudyConfig, defaults fill the rest, and
// relative paths are anchored at the study file's directory.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path studies_dir = fs::path(H5TUNE_TEST_DATA_DIR) / "studies";

constexpr const char* minimal_study = R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
)";

using h5tune::test::TempDir;

fs::path write_file(const TempDir& dir, const fs::path& relative, const std::string& text) {
  const fs::path file = dir.path() / relative;
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
  return file;
}

TEST(ConfigStudy, FullFileFillsEveryField) {
  const fs::path file = studies_dir / "full.toml";
  const h5tune::StudyConfig config = h5tune::load_study(file);

  EXPECT_EQ(config.name, "mlp-lr");
  EXPECT_EQ(config.direction, h5tune::Direction::maximize);
  EXPECT_EQ(config.metric, "val_acc");
  EXPECT_EQ(config.seed, 42u);
  EXPECT_EQ(config.max_trials, 200);
  ASSERT_TRUE(config.max_time.has_value());
  EXPECT_DOUBLE_EQ(config.max_time->count(), 5400.0);
  EXPECT_EQ(config.log, studies_dir / "runs" / "mlp-lr.h5");
  EXPECT_TRUE(config.log.is_absolute());
  EXPECT_TRUE(config.reproducible);
  EXPECT_EQ(config.source_path, file);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(config.source_text, text);

  EXPECT_EQ(config.strategy.kind, "grid");
  EXPECT_EQ(config.strategy.options.values().size(), 2u);
  EXPECT_EQ(config.strategy.options.get_int("points_per_axis", -1), 7);
  EXPECT_FALSE(config.strategy.options.get_bool("shuffle", true));

  ASSERT_EQ(config.space.size(), 3u);
  const auto& lr = config.space[0];
  EXPECT_EQ(lr.name, "lr");
  EXPECT_EQ(lr.kind, h5tune::ParamKind::real);
  EXPECT_DOUBLE_EQ(lr.low, 1e-5);
  EXPECT_DOUBLE_EQ(lr.high, 1e-1);
  EXPECT_TRUE(lr.log);
  const auto& layers = config.space[1];
  EXPECT_EQ(layers.name, "layers");
  EXPECT_EQ(layers.kind, h5tune::ParamKind::integer);
  EXPECT_EQ(layers.low, 1.0);
  EXPECT_EQ(layers.high, 4.0);
  EXPECT_FALSE(layers.log);
  const auto& act = config.space[2];
  EXPECT_EQ(act.name, "act");
  EXPECT_EQ(act.kind, h5tune::ParamKind::categorical);
  EXPECT_EQ(act.choices, (std::vector<std::string>{"relu", "tanh", "gelu"}));

  ASSERT_TRUE(config.command.has_value());
  const h5tune::CommandSpec& command = *config.command;
  EXPECT_EQ(command.argv, (std::vector<std::string>{"sh", "-c", "echo {lr} {layers} {act} {{literal}}", "{trial_id}",
                                                    "{seed}", "{trial_dir}", "{budget}"}));
  EXPECT_EQ(command.timeout, 600'000ms);
  EXPECT_EQ(command.kill_grace, 2'500ms);
  EXPECT_EQ(command.trials_dir, studies_dir / "scratch" / "trials");
  EXPECT_EQ(command.env, (std::vector<std::string>{"OMP_NUM_THREADS=1", "MODE=fast"}));
  EXPECT_EQ(command.stderr_tail_bytes, 4096u);
  ASSERT_EQ(command.regex_metrics.size(), 2u);
  EXPECT_EQ(command.regex_metrics[0], (h5tune::RegexMetric{"val_acc", "validation accuracy: ([0-9.eE+-]+)"}));
  EXPECT_EQ(command.regex_metrics[1], (h5tune::RegexMetric{"val_loss", "best validation loss: ([0-9.eE+-]+)"}));
}

TEST(ConfigStudy, DefaultsFillWhatTheFileLeavesOut) {
  const h5tune::StudyConfig config = h5tune::parse_study(minimal_study, "/experiments/sweep.toml");
  EXPECT_EQ(config.name, "sweep");  // the file's stem
  EXPECT_EQ(config.direction, h5tune::Direction::minimize);
  EXPECT_EQ(config.metric, "value");
  EXPECT_EQ(config.seed, 0u);
  EXPECT_EQ(config.max_trials, 100);
  EXPECT_FALSE(config.max_time.has_value());
  EXPECT_EQ(config.log, fs::path("/experiments/sweep.h5"));
  EXPECT_FALSE(config.reproducible);
  EXPECT_EQ(config.max_retries, 0);
  EXPECT_FALSE(config.max_failures.has_value());
  EXPECT_EQ(config.strategy.kind, "random");
  EXPECT_TRUE(config.strategy.options.values().empty());
  EXPECT_FALSE(config.command.has_value());
  EXPECT_EQ(config.source_text, minimal_study);
}

TEST(ConfigStudy, DefaultLogFollowsTheStudyName) {
  const auto config = h5tune::parse_study(R"([study]
name = "mlp"
direction = "maximize"
[space]
x = { float = [0, 1] }
)",
                                          "/experiments/sweep.toml");
  EXPECT_EQ(config.log, fs::path("/experiments/mlp.h5"));
}

TEST(ConfigStudy, ObjectiveDefaults) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
log = "out/run.h5"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh", "-c", "echo {x}"]
)",
                                          "/experiments/sweep.toml");
  ASSERT_TRUE(config.command.has_value());
  EXPECT_EQ(config.command->timeout, 0ms);
  EXPECT_EQ(config.command->kill_grace, 5000ms);
  EXPECT_EQ(config.command->trials_dir, fs::path("/experiments/out/run.trials"));
  EXPECT_TRUE(config.command->env.empty());
  EXPECT_TRUE(config.command->regex_metrics.empty());
  EXPECT_EQ(config.command->stderr_tail_bytes, 2048u);
}

TEST(ConfigStudy, DurationsAcceptNumbersOfSeconds) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
max_time = 90
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
timeout = 1.5
kill_grace = 0
)",
                                          "/s.toml");
  EXPECT_DOUBLE_EQ(config.max_time->count(), 90.0);
  EXPECT_EQ(config.command->timeout, 1500ms);
  EXPECT_EQ(config.command->kill_grace, 0ms);
}

TEST(ConfigStudy, TinyTimeoutStaysALimit) {
  // 0.1 ms rounds to 0 ms, which CommandSpec reads as "no limit"; it must stay a limit.
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
timeout = 0.0001
)",
                                          "/s.toml");
  EXPECT_EQ(config.command->timeout, 1ms);
}

TEST(ConfigStudy, RelativePathsResolveAgainstTheStudyFile) {
  TempDir dir;
  const fs::path file = write_file(dir, "project/study.toml", R"([study]
direction = "minimize"
log = "../logs/run.h5"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
workdir = "work"
)");
  const auto config = h5tune::load_study(file);
  EXPECT_EQ(config.log, dir.path() / "logs" / "run.h5");
  EXPECT_EQ(config.command->trials_dir, dir.path() / "project" / "work");
}

TEST(ConfigStudy, AbsolutePathsAreKept) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
log = "/data/run.h5"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh"]
workdir = "/scratch/trials"
)",
                                          "/experiments/s.toml");
  EXPECT_EQ(config.log, fs::path("/data/run.h5"));
  EXPECT_EQ(config.command->trials_dir, fs::path("/scratch/trials"));
}

TEST(ConfigStudy, RelativeStudyPathIsTakenFromTheWorkingDirectory) {
  const auto config = h5tune::parse_study(minimal_study, "sub/s.toml");
  EXPECT_EQ(config.log, fs::current_path() / "sub" / "s.h5");
  EXPECT_EQ(config.source_path, fs::path("sub/s.toml"));
}

TEST(ConfigStudy, ProgramPathIsResolvedAgainstTheStudyFile) {
  TempDir dir;
  const fs::path script = write_file(dir, "bin/train.sh", "#!/bin/sh\necho ok\n");
  fs::permissions(script, fs::perms::owner_all);
  const fs::path file = write_file(dir, "study.toml", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["./bin/train.sh", "{x}"]
)");
  const auto config = h5tune::load_study(file);
  EXPECT_EQ(config.command->argv, (std::vector<std::string>{script.string(), "{x}"}));
}

TEST(ConfigStudy, ProgramPathThatIsNotExecutableIsAnError) {
  TempDir dir;
  const fs::path script = write_file(dir, "train.sh", "echo ok\n");
  fs::permissions(script, fs::perms::owner_read | fs::perms::owner_write);
  const fs::path file = write_file(dir, "study.toml", R"([study]
direction = "minimize"
[space]
x = { float = [0, 1] }
[objective]
command = ["./train.sh"]
)");
  try {
    (void)h5tune::load_study(file);
    FAIL() << "no ConfigError";
  } catch (const h5tune::ConfigError& e) {
    EXPECT_EQ(e.line(), 6);
    EXPECT_NE(std::string(e.what()).find("program './train.sh' not found or not executable"), std::string::npos)
        << e.what();
  }
}

TEST(ConfigStudy, ChoicesOfEveryScalarTypeBecomeText) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[space]
mixed = { choice = [1, 2.5, 1.0, 1e-3, true, "x"] }
)",
                                          "/s.toml");
  EXPECT_EQ(config.space[0].choices, (std::vector<std::string>{"1", "2.5", "1.0", "0.001", "true", "x"}));
}

TEST(ConfigStudy, ParametersKeepFileOrder) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[space]
zeta = { float = [0, 1] }
alpha = { int = [0, 3] }
[space.mid]
choice = ["a", "b"]
)",
                                          "/s.toml");
  ASSERT_EQ(config.space.size(), 3u);
  EXPECT_EQ(config.space[0].name, "zeta");
  EXPECT_EQ(config.space[1].name, "alpha");
  EXPECT_EQ(config.space[2].name, "mid");
}

TEST(ConfigStudy, FloatRangeAcceptsIntegerBounds) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[space]
x = { float = [-1, 3] }
n = { int = [1, 1024], log = true }
)",
                                          "/s.toml");
  EXPECT_EQ(config.space[0].kind, h5tune::ParamKind::real);
  EXPECT_EQ(config.space[0].low, -1.0);
  EXPECT_EQ(config.space[0].high, 3.0);
  EXPECT_TRUE(config.space[1].log);
}

TEST(ConfigStudy, OptionsOfAnotherKindAreRead) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[strategy]
kind = "sobol"
skip = 8
[space]
x = { float = [0, 1] }
)",
                                          "/s.toml");
  EXPECT_EQ(config.strategy.kind, "sobol");
  EXPECT_EQ(config.strategy.options.get_int("skip", -1), 8);
}

TEST(ConfigStudy, StrategyTableWithoutKindIsRandom) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[strategy]
[space]
x = { float = [0, 1] }
)",
                                          "/s.toml");
  EXPECT_EQ(config.strategy, (h5tune::StrategyConfig{"random", {}}));
}

TEST(ConfigStudy, MissingFileNamesTheFile) {
  const fs::path missing = studies_dir / "no-such-study.toml";
  try {
    (void)h5tune::load_study(missing);
    FAIL() << "no ConfigError";
  } catch (const h5tune::ConfigError& e) {
    const std::string message = e.what();
    EXPECT_EQ(e.file(), missing.string());
    EXPECT_EQ(e.line(), 0);
    EXPECT_NE(message.find("cannot read study file"), std::string::npos) << message;
    EXPECT_NE(message.find("no-such-study.toml"), std::string::npos) << message;
  }
}

TEST(ConfigStudy, DirectoryIsNotAStudyFile) {
  EXPECT_THROW((void)h5tune::load_study(studies_dir), h5tune::ConfigError);
}

TEST(ConfigStudy, DefaultTrialsDirSitsNextToTheLog) {
  h5tune::StudyConfig config;
  config.log = "/runs/mlp.h5";
  EXPECT_EQ(config.default_trials_dir(), fs::path("/runs/mlp.trials"));
  config.log = "/runs/mlp.hdf5";
  EXPECT_EQ(config.default_trials_dir(), fs::path("/runs/mlp.hdf5.trials"));
  config.log = "relative/run";
  EXPECT_EQ(config.default_trials_dir(), fs::path("relative/run.trials"));
}

}  // namespace

TEST(ConfigStudy, StudyDirPlaceholderIsTheStudyFilesDirectory) {
  const auto config = h5tune::parse_study(R"([study]
direction = "minimize"
[objective]
command = ["sh", "{study_dir}/train.sh", "--out={study_dir}", "{{study_dir}}", "{x}"]
[space]
x = { float = [0, 1] }
)",
                                          "/experiments/{odd}/s.toml");
  ASSERT_TRUE(config.command);
  const std::vector<std::string> expected{"sh", "/experiments/{{odd}}/train.sh", "--out=/experiments/{{odd}}",
                                          "{{study_dir}}", "{x}"};
  EXPECT_EQ(config.command->argv, expected);
}

namespace {

h5tune::StudyConfig with_failure_keys(const std::string& keys) {
  return h5tune::parse_study("[study]\ndirection = \"minimize\"\n" + keys + "\n[space]\nx = { float = [0, 1] }\n",
                             "/experiments/flaky.toml");
}

}  // namespace

TEST(ConfigStudy, FailureKeysTakeACountOrAFraction) {
  const auto counted = with_failure_keys("max_retries = 2\nmax_failures = 10");
  EXPECT_EQ(counted.max_retries, 2);
  ASSERT_TRUE(counted.max_failures);
  EXPECT_EQ(counted.max_failures->count, 10);
  EXPECT_FALSE(counted.max_failures->fraction);

  const auto fraction = with_failure_keys("max_failures = 0.3");
  ASSERT_TRUE(fraction.max_failures);
  EXPECT_FALSE(fraction.max_failures->count);
  EXPECT_DOUBLE_EQ(*fraction.max_failures->fraction, 0.3);
}
