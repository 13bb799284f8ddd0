// Hostile input through the real CLI, as a table: malformed study files and malformed
// argument lists. Each row must end with exit code 2, one message naming the place (file,
// line, key or option) and what is expected, and leave the directory exactly as it was:
// no log written, an existing log not touched (bytes and modification time).
// (tests/unit/config_errors_test.cpp covers the parser's messages case by case;
// bad_input_test.cpp the first few CLI cases. These rows are the rest, end to end.)
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <map>
#include <string_view>
#include <utility>

#include "e2e/cli_support.hpp"

namespace h5tune::test {
namespace {

namespace fs = std::filesystem;

/// What study.toml holds for a row: the valid study with one replacement, or a text.
struct StudyFile {
  std::string from;  ///< replaced in study_text(3); empty: `text` is the whole file
  std::string to;
  std::string text;
};

StudyFile edit(std::string from, std::string to) { return {std::move(from), std::move(to), ""}; }
StudyFile whole(std::string text) { return {"", "", std::move(text)}; }
const StudyFile valid_study = edit("seed = 11", "seed = 11");

/// What {log} holds before the command runs.
enum class Log { none, finished, junk };
constexpr auto none = Log::none;
constexpr auto finished = Log::finished;  ///< a finished log of the valid study

struct Row {
  const char* name;
  StudyFile study;                ///< written to {study}
  Log log;
  std::vector<std::string> args;  ///< after the program name; {dir}, {study}, {log} expanded
  std::vector<std::string> expect;  ///< substrings of the output
};

void PrintTo(const Row& row, std::ostream* out) { *out << row.name; }

std::string study_from(const StudyFile& file) {
  if (file.from.empty()) return file.text;
  std::string text = study_text(3);
  const auto at = text.find(file.from);
  if (at == std::string::npos) throw std::runtime_error("not in the study text: " + file.from);
  return text.replace(at, file.from.size(), file.to);
}

std::string expand(std::string arg, const TempDir& dir) {
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"{study}", (dir / "study.toml").string()},
                                    {"{log}", (dir / "run.h5").string()},
                                    {"{dir}", dir.path().string()}})
    for (auto at = arg.find(name); at != std::string::npos; at = arg.find(name))
      arg.replace(at, name.size(), value);
  return arg;
}

/// Every entry under a directory with its bytes and modification time (ns).
std::map<std::string, std::pair<std::string, long long>> snapshot(const fs::path& root) {
  std::map<std::string, std::pair<std::string, long long>> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    struct stat st {};
    ::stat(entry.path().c_str(), &st);
    const long long mtime = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
    files[entry.path().string()] = {entry.is_regular_file() ? read_file(entry.path()) : std::string("<dir>"), mtime};
  }
  return files;
}

class CliMalformedInput : public ::testing::TestWithParam<Row> {
 protected:
  /// One finished log of the valid study, copied into every row that needs one.
  static void SetUpTestSuite() {
    log_dir_ = new TempDir;
    const auto study = write_file(*log_dir_ / "study.toml", study_text(3));
    const auto run = run_process({cli, "run", study, "-q"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  static void TearDownTestSuite() {
    delete log_dir_;
    log_dir_ = nullptr;
  }
  static TempDir* log_dir_;
};
TempDir* CliMalformedInput::log_dir_ = nullptr;

TEST_P(CliMalformedInput, ExitsWith2NamingTheProblemAndTouchesNothing) {
  const Row& row = GetParam();
  TempDir dir;
  write_file(dir / "study.toml", study_from(row.study));
  if (row.log == Log::finished) fs::copy_file(*log_dir_ / "run.h5", dir / "run.h5");
  if (row.log == Log::junk) write_file(dir / "run.h5", "\x89HDF\r\n\x1a\n then nothing an HDF5 library can read");
  std::vector<std::string> argv{cli};
  for (const auto& arg : row.args) argv.push_back(expand(arg, dir));
  const auto before = snapshot(dir.path());

  const auto result = run_process(argv);

  EXPECT_EQ(result.exit_code, 2) << result.output;
  for (const auto& expected : row.expect)
    EXPECT_NE(result.output.find(expand(expected, dir)), std::string::npos)
        << "expected '" << expected << "' in:\n" << result.output;
  EXPECT_EQ(lines(result.output).size(), 1U + (result.output.find("(see h5tune --help)") != std::string::npos))
      << "one error message, not a cascade:\n" << result.output;
  EXPECT_EQ(result.output.find("terminate called"), std::string::npos) << result.output;
  EXPECT_EQ(snapshot(dir.path()), before) << "the directory changed: a log or trial directory was written or touched";
}

// Lines of study_text(3): 5 seed, 6 max_trials, 7 log, 10 kind, 13 command, 14 timeout, 17-19 space.
const Row malformed_rows[] = {
    // --- study files given to `h5tune run`
    {"study_is_a_directory", valid_study, none, {"run", "{dir}"}, {"{dir}", "cannot read study file: it is a directory"}},
    {"study_is_empty", whole(""), none, {"run", "{study}"}, {"study.toml", "missing table [study]"}},
    {"study_is_binary", whole(std::string(std::string_view("\x7f" "ELF\x02\x01\x01\0\0\0\xff\xfe", 12))), none, {"run", "{study}"},
     {"study.toml:1", "TOML syntax error"}},
    {"study_is_invalid_utf8", edit("name = \"e2e\"", "name = \"e\xff\xfe\""), none, {"run", "{study}"},
     {"study.toml:2", "TOML syntax error"}},
    {"duplicate_key", edit("seed = 11", "seed = 11\nseed = 12"), none, {"run", "{study}"},
     {"study.toml:6", "seed"}},
    {"duplicate_table", edit("[strategy]", "[study]\nseed = 3\n[strategy]"), none, {"run", "{study}"},
     {"study.toml:9", "study"}},
    {"unknown_objective_key", edit("timeout = \"20s\"", "time_out = \"20s\""), none, {"run", "{study}"},
     {"study.toml:14", "objective.time_out", "expected one of"}},
    {"timeout_wrong_type", edit("timeout = \"20s\"", "timeout = [20]"), none, {"run", "{study}"},
     {"study.toml:14", "objective.timeout", "duration"}},
    {"timeout_in_parsecs", edit("timeout = \"20s\"", "timeout = \"5 parsecs\""), none, {"run", "{study}"},
     {"study.toml:14", "objective.timeout", "5 parsecs"}},
    {"max_trials_negative", edit("max_trials = 3", "max_trials = -1"), none, {"run", "{study}"},
     {"study.toml:6", "study.max_trials", "expected an integer >= 1, got -1"}},
    {"max_trials_overflows", edit("max_trials = 3", "max_trials = 99999999999999999999"), none, {"run", "{study}"},
     {"study.toml:6", "TOML syntax error"}},
    {"max_trials_float", edit("max_trials = 3", "max_trials = 3.5"), none, {"run", "{study}"},
     {"study.toml:6", "study.max_trials", "3.5"}},
    {"seed_is_text", edit("seed = 11", "seed = \"x\""), none, {"run", "{study}"},
     {"study.toml:5", "study.seed", "'x'"}},
    {"max_time_forever", edit("seed = 11", "seed = 11\nmax_time = \"forever\""), none, {"run", "{study}"},
     {"study.toml:6", "study.max_time", "forever"}},
    {"log_in_missing_directory", edit("log = \"run.h5\"", "log = \"no/such/dir/run.h5\""), none, {"run", "{study}"},
     {"no/such/dir"}},
    {"log_is_a_directory", edit("log = \"run.h5\"", "log = \".\""), none, {"run", "{study}"},
     {"{dir}", "is a directory, not a log file"}},
    {"parameter_name_with_slash", edit("x   =", "\"a/b\" ="), none, {"run", "{study}"},
     {"study.toml:17", "a/b"}},
    {"choice_is_a_table", edit("choice = [\"relu\", \"tanh\"]", "choice = { relu = 1 }"), none, {"run", "{study}"},
     {"study.toml:19", "space.act"}},
    {"strategy_kind_number", edit("kind = \"random\"", "kind = 7"), none, {"run", "{study}"},
     {"study.toml:10", "strategy.kind"}},
    {"command_is_a_table", edit("command = [", "command = { a = 1 } # ["), none, {"run", "{study}"},
     {"study.toml:13", "objective.command", "expected an array of strings"}},
    {"regex_pattern_too_long",
     edit("timeout = \"20s\"", "timeout = \"20s\"\n[objective.metrics]\nloss = { regex = '" + std::string(600, '(') +
                                    "([0-9]+)" + std::string(600, ')') + "' }"),
     none, {"run", "{study}"}, {"study.toml:16", "regex", "at most 1000 are allowed"}},
    {"deeply_nested_array", edit("seed = 11", "seed = " + std::string(4000, '[') + std::string(4000, ']')), none,
     {"run", "{study}"}, {"study.toml:5"}},
    // --- argument lists
    {"no_subcommand", valid_study, none, {}, {"a subcommand is required: one of run, show, export"}},
    {"unknown_subcommand", valid_study, none, {"frobnicate", "{study}"}, {"unknown subcommand 'frobnicate'; expected one of run"}},
    {"run_without_study", valid_study, none, {"run"}, {"study"}},
    {"run_two_studies", valid_study, none, {"run", "{study}", "{study}"}, {"study.toml"}},
    {"run_force_and_resume", valid_study, finished, {"run", "{study}", "--force", "--resume"},
     {"--force and --resume exclude each other"}},
    {"run_existing_log", valid_study, finished, {"run", "{study}"}, {"run.h5", "--force"}},
    {"resume_log_of_another_study", edit("seed = 11", "seed = 12"), finished, {"run", "{study}", "--resume"},
     {"run.h5", "cannot resume", "seed"}},
    {"resume_log_that_is_junk", valid_study, Log::junk, {"run", "{study}", "--resume"}, {"run.h5"}},
    {"run_log_is_the_study_file", edit("log = \"run.h5\"", "log = \"./study.toml\""), none, {"run", "{study}", "--force"},
     {"study.toml:7", "study.log", "is the study file itself"}},
    {"run_pid_file_in_missing_directory", valid_study, none,
     {"run", "{study}", "--pid-file", "{dir}/no/such/rank0.pid"}, {"--pid-file {dir}/no/such/rank0.pid", "cannot write"}},
    {"run_pid_file_is_the_study", valid_study, none, {"run", "{study}", "--pid-file", "{study}"},
     {"--pid-file {study}: that is the study file"}},
    {"run_pid_file_is_the_log", valid_study, finished, {"run", "{study}", "--resume", "--pid-file", "{dir}/./run.h5"},
     {"--pid-file {dir}/./run.h5: that is the study's log"}},
    {"show_trial_without_value", valid_study, finished, {"show", "{log}", "--trial"}, {"--trial"}},
    {"show_trial_not_a_number", valid_study, finished, {"show", "{log}", "--trial", "abc"}, {"--trial", "abc"}},
    {"show_trial_out_of_range", valid_study, finished, {"show", "{log}", "--trial", "99"}, {"no trial 99", "0..2"}},
    {"show_negative_top", valid_study, finished, {"show", "{log}", "--top", "-3"}, {"--top: -3 is out of range: it must not be negative"}},
    {"show_top_not_a_number", valid_study, finished, {"show", "{log}", "--top", "abc"}, {"--top: 'abc' is not a number"}},
    {"show_top_too_large", valid_study, finished, {"show", "{log}", "--top", "99999999999999"},
     {"--top: 99999999999999 is outside what this option can hold (too large, or not a whole number)"}},
    {"show_top_not_whole", valid_study, finished, {"show", "{log}", "--top", "2.5"},
     {"--top: 2.5 is outside what this option can hold"}},
    {"show_empty_log_path", valid_study, none, {"show", ""}, {"the log's path is empty"}},
    {"show_trial_and_lineage", valid_study, finished, {"show", "{log}", "--trial", "1", "--lineage"},
     {"--trial excludes --lineage"}},
    {"show_lineage_without_parents", valid_study, finished, {"show", "{log}", "--lineage"},
     {"{log}", "no trial continues another", "this one's strategy is"}},
    {"run_quiet_and_verbose", valid_study, none, {"run", "{study}", "-q", "-v"}, {"--quiet excludes --verbose"}},
    {"show_live_and_trial", valid_study, finished, {"show", "{log}", "--live", "--trial", "1"}, {"--trial excludes --live"}},
    {"show_interval_nan", valid_study, finished, {"show", "{log}", "--live", "--interval", "nan"},
     {"--interval: nan is not a finite number"}},
    {"show_interval_below_its_range", valid_study, finished, {"show", "{log}", "--live", "--interval", "0.05"},
     {"--interval: 0.05 is out of range: it must be in [0.1, 3600]"}},
    {"show_a_directory", valid_study, none, {"show", "{dir}"}, {"{dir}", "is a directory"}},
    {"show_a_study_file", valid_study, none, {"show", "{study}"}, {"study.toml", "not an HDF5 file"}},
    {"export_as_xml", valid_study, finished, {"export", "{log}", "--format", "xml"}, {"--format", "xml"}},
    {"export_into_missing_directory", valid_study, finished, {"export", "{log}", "-o", "{dir}/no/such/out.csv"},
     {"{dir}/no/such/out.csv", "cannot write"}},
    {"export_over_its_log", valid_study, finished, {"export", "{log}", "-o", "{dir}/./run.h5"},
     {"that is the log being read; the export would overwrite it"}},
    {"export_missing_log", valid_study, none, {"export", "{dir}/nope.h5"}, {"nope.h5", "no such file"}},
    {"replay_without_trial", valid_study, finished, {"replay", "{log}"}, {"--trial"}},
    {"replay_unknown_trial", valid_study, finished, {"replay", "{log}", "--trial", "42"}, {"no trial 42"}},
    {"replay_negative_tolerance", valid_study, finished, {"replay", "{log}", "--trial", "0", "--rtol", "-1"},
     {"--rtol: -1 is out of range: it must not be negative"}},
    {"replay_nan_tolerance", valid_study, finished, {"replay", "{log}", "--trial", "0", "--rtol", "nan"},
     {"--rtol: nan is not a finite number"}},
    {"replay_infinite_tolerance", valid_study, finished, {"replay", "{log}", "--trial", "0", "--atol", "inf"},
     {"--atol: inf is not a finite number"}},
    {"report_over_its_log", valid_study, finished, {"report", "{log}", "-o", "{log}"},
     {"{log}: that is the log being read; the report would overwrite it"}},
    {"report_zero_points", valid_study, finished, {"report", "{log}", "--max-points", "0"}, {"--max-points: 0 is out of range: it must be above 0"}},
    {"compare_without_logs", valid_study, none, {"compare"}, {"logs"}},
    {"simulate_negative_seed", valid_study, none, {"simulate", "{study}", "-w", "1", "--seed", "-1"},
     {"--seed: -1 is out of range: it must not be negative"}},
    {"simulate_workers_not_a_number", valid_study, none, {"simulate", "{study}", "-w", "abc"},
     {"--workers: 'abc' is not a number"}},
    {"simulate_zero_workers", valid_study, none, {"simulate", "{study}", "-w", "0"},
     {"--workers: 0 is out of range: it must be in [1, 16777216]"}},
    {"run_empty_study_path", valid_study, none, {"run", ""}, {"the study file's path is empty"}},
    // [objective] workdir that cannot be a directory: refused as the run starts, before the log
    {"run_workdir_under_a_file", edit("timeout = \"20s\"", "timeout = \"20s\"\nworkdir = \"study.toml/trials\""), none,
     {"run", "{study}"}, {"{study}: key 'objective.workdir'", "{study} exists and is not a directory"}},
    {"run_workdir_cannot_be_created", edit("timeout = \"20s\"", "timeout = \"20s\"\nworkdir = \"/proc/h5tune-none/trials\""),
     none, {"run", "{study}"}, {"key 'objective.workdir'", "cannot use /proc/h5tune-none/trials"}},
    {"resume_workdir_under_a_file", edit("timeout = \"20s\"", "timeout = \"20s\"\nworkdir = \"study.toml/trials\""), finished,
     {"run", "{study}", "--resume"}, {"key 'objective.workdir'", "{study} exists and is not a directory"}},
    {"simulate_log_over_the_study", valid_study, none, {"simulate", "{study}", "-w", "1", "-n", "2", "--log", "{study}", "--force"},
     {"--log {study}: that is the study file"}},
    // --script: never over the study or its log (checked by a dry run too, so no row submits)
    {"submit_script_over_the_study", valid_study, none,
     {"submit", "{study}", "--ntasks-per-node", "2", "--time", "00:10:00", "--script", "{study}", "--dry-run"},
     {"--script {study}: that is the study file"}},
    {"submit_script_over_the_log", valid_study, finished,
     {"submit", "{study}", "--ntasks-per-node", "2", "--time", "00:10:00", "--resume", "--script", "{log}", "--dry-run"},
     {"--script {log}: that is the study's log"}},
    {"submit_script_is_a_directory", valid_study, none,
     {"submit", "{study}", "--ntasks-per-node", "2", "--time", "00:10:00", "--script", "{dir}"},
     {"{dir}: cannot write the batch script: Is a directory"}},
    {"submit_time_with_four_fields", valid_study, none,
     {"submit", "{study}", "--ntasks-per-node", "2", "--time", "1:2:3:4", "--dry-run"},
     {"--time 1:2:3:4", "expected [D-]HH:MM:SS"}},
    {"submit_time_too_short_to_stop_before", valid_study, none,
     {"submit", "{study}", "--ntasks-per-node", "2", "--time", "00:00:01", "--dry-run"},
     {"--time 00:00:01: a limit of 1 s leaves no time to stop the run before it"}},
    {"submit_zero_nodes", valid_study, none,
     {"submit", "{study}", "--nodes", "0", "--ntasks-per-node", "2", "--time", "00:10:00", "--dry-run"},
     {"--nodes", "0"}},
    {"submit_without_time", valid_study, none, {"submit", "{study}", "--ntasks-per-node", "2", "--dry-run"},
     {"--time"}},
};

INSTANTIATE_TEST_SUITE_P(Rows, CliMalformedInput, ::testing::ValuesIn(malformed_rows),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace
}  // namespace h5tune::test
