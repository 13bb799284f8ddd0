#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"
#include "objective/objective_test_support.hpp"

namespace h5tune {
namespace {

class ArgvTemplate : public ::testing::Test {
 protected:
  Space space_ = test::sample_space();
  TrialRecord record_ = test::sample_record();
  Trial trial_{space_, record_, "/runs/trials/12"};
};

TEST_F(ArgvTemplate, ExpandsParametersAndBuiltins) {
  const std::vector<std::string> argv{"train", "--lr={lr}", "{layers}", "--seed", "{seed}",
                                      "{trial_id}:{budget}", "{trial_dir}/ckpt"};
  EXPECT_EQ(check_argv_template(argv, space_), "");
  EXPECT_EQ(expand_argv(argv, trial_),
            (std::vector<std::string>{"train", "--lr=" + trial_.text("lr"), "3", "--seed",
                                      "18446744073709551615", "12:7", "/runs/trials/12/ckpt"}));
}

TEST_F(ArgvTemplate, DoubledBracesAreLiteral) {
  const std::vector<std::string> argv{"x", "{{layers}}={layers}", "}}{{", "{{{layers}}}"};
  EXPECT_EQ(check_argv_template(argv, space_), "");
  EXPECT_EQ(expand_argv(argv, trial_), (std::vector<std::string>{"x", "{layers}=3", "}{", "{3}"}));
}

TEST_F(ArgvTemplate, ValueWithShellCharactersStaysOneArgument) {
  record_.values[2] = 2.0;
  const auto expanded = expand_argv({"prog", "{act}", "--act={act}"}, trial_);
  ASSERT_EQ(expanded.size(), 3u);
  EXPECT_EQ(expanded[1], space_[2].choices[2]);
  EXPECT_EQ(expanded[2], "--act=" + space_[2].choices[2]);
}

TEST_F(ArgvTemplate, UnknownPlaceholderIsNamedWithTheKnownOnes) {
  const std::string problem = check_argv_template({"prog", "--lr={lrr}"}, space_);
  EXPECT_NE(problem.find("{lrr}"), std::string::npos) << problem;
  EXPECT_NE(problem.find("argument 1"), std::string::npos) << problem;
  EXPECT_NE(problem.find("{lr}, {layers}, {act}, {trial_id}, {seed}, {trial_dir}, {budget}"),
            std::string::npos)
      << problem;
  EXPECT_THROW(expand_argv({"prog", "{lrr}"}, trial_), InputError);
}

TEST_F(ArgvTemplate, UnbalancedBracesAreReported) {
  EXPECT_NE(check_argv_template({"prog", "{lr"}, space_).find("unbalanced '{'"), std::string::npos);
  EXPECT_NE(check_argv_template({"prog", "lr}"}, space_).find("unbalanced '}'"), std::string::npos);
  EXPECT_NE(check_argv_template({"prog", "{l{r}"}, space_).find("unbalanced '{'"), std::string::npos);
  EXPECT_NE(check_argv_template({"prog", "{}"}, space_).find("empty placeholder"), std::string::npos);
  EXPECT_NE(check_argv_template({}, space_).find("empty"), std::string::npos);
}

TEST_F(ArgvTemplate, ParameterNamedLikeABuiltinIsAmbiguous) {
  Space space;
  space.add_int("seed", 0, 9);
  EXPECT_NE(check_argv_template({"prog", "{seed}"}, space).find("ambiguous"), std::string::npos);
  EXPECT_EQ(check_argv_template({"prog", "{trial_id}"}, space), "");
}

TEST_F(ArgvTemplate, AParameterNamedLikeABuiltinIsListedOnceAmongTheKnown) {
  Space space;
  space.add_int("seed", 0, 9);
  const std::string problem = check_argv_template({"prog", "{sede}"}, space);
  EXPECT_NE(problem.find("known: {seed}, {trial_id}, {trial_dir}"), std::string::npos) << problem;
  EXPECT_EQ(problem.find("{seed}"), problem.rfind("{seed}")) << "listed twice: " << problem;
}

TEST(TrialDirectory, IsTheIdUnderTheTrialsDirectory) {
  CommandSpec spec;
  spec.trials_dir = "/runs/study/trials";
  EXPECT_EQ(trial_directory(spec, 42), std::filesystem::path("/runs/study/trials/42"));
  spec.trials_dir = "relative";
  const auto dir = trial_directory(spec, 3);
  EXPECT_TRUE(dir.is_absolute());
  EXPECT_EQ(dir, std::filesystem::current_path() / "relative" / "3");
}

using FindExecutable = test::TempDirTest;

TEST_F(FindExecutable, SearchesPathLikeExecvp) {
  const auto sh = find_executable("sh");
  ASSERT_FALSE(sh.empty());
  EXPECT_EQ(sh.filename(), "sh");
  EXPECT_TRUE(find_executable("h5tune-no-such-program-here").empty());
  EXPECT_TRUE(find_executable("").empty());
}

TEST_F(FindExecutable, NameWithSlashIsAPathThatMustBeExecutable) {
  EXPECT_EQ(find_executable("/bin/sh"), std::filesystem::path("/bin/sh"));
  const auto plain = dir_ / "plain.txt";
  std::ofstream(plain) << "text\n";
  ::chmod(plain.c_str(), 0644);
  EXPECT_TRUE(find_executable(plain.string()).empty());
  ::chmod(plain.c_str(), 0755);
  EXPECT_EQ(find_executable(plain.string()), plain);
  EXPECT_TRUE(find_executable(dir_.string()).empty()) << "a directory is no program";
  EXPECT_TRUE(find_executable((dir_ / "missing").string()).empty());
}

TEST_F(FindExecutable, UsesEachPathEntryInOrderAndSkipsNonExecutables) {
  std::filesystem::create_directories(dir_ / "a");
  std::filesystem::create_directories(dir_ / "b");
  std::ofstream(dir_ / "a" / "tool") << "#!/bin/sh\n";
  std::ofstream(dir_ / "b" / "tool") << "#!/bin/sh\n";
  ::chmod((dir_ / "a" / "tool").c_str(), 0644);
  ::chmod((dir_ / "b" / "tool").c_str(), 0755);
  const char* old = std::getenv("PATH");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("PATH", ((dir_ / "a").string() + ":" + (dir_ / "b").string()).c_str(), 1);
  const auto found = find_executable("tool");
  ::setenv("PATH", saved.c_str(), 1);
  EXPECT_EQ(found, dir_ / "b" / "tool");
}

}  // namespace
}  // namespace h5tune
