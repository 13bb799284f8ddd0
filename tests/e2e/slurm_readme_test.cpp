// slurm/README.md's job-array recipe, run as written on a `h5tune submit --dry-run` script:
// every array task must get its own study file and log (no Slurm needed, nothing submitted).
#include <cstdlib>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"

namespace h5tune::test {
namespace {

/// The ```sh block of `markdown` that contains `marker`, without its fences.
std::string code_block_with(const std::string& markdown, const std::string& marker) {
  const std::string fence = "```";
  for (std::size_t open = markdown.find(fence + "sh\n"); open != std::string::npos;
       open = markdown.find(fence + "sh\n", open + 1)) {
    const std::size_t begin = open + fence.size() + 3;
    const std::size_t end = markdown.find(fence, begin);
    const std::string block = markdown.substr(begin, end - begin);
    if (block.find(marker) != std::string::npos) return block;
  }
  return {};
}

TEST(SlurmReadme, TheJobArrayRecipeGivesEachTaskItsOwnStudyAndLog) {
  TempDir dir;
  // Repeat 0 of the README's loop, which gives each repeat its own log.
  std::string study = study_text(4);
  study.replace(study.find("log = \"run.h5\""), 14, "log = \"repeat-0.h5\"");
  write_file(dir / "repeat-0.toml", study);
  const std::string recipe = code_block_with(read_file(std::string(H5TUNE_SOURCE_DIR) + "/slurm/README.md"), "--array=");
  ASSERT_FALSE(recipe.empty()) << "slurm/README.md has no job-array recipe";
  // Everything but the submission itself.
  std::string render;
  for (const auto& line : lines(recipe))
    if (!line.starts_with("sbatch ")) render += line + "\n";
  write_file(dir / "render.sh", render);
  const std::string path = std::filesystem::path(cli).parent_path().string() + ":" + std::getenv("PATH");
  const auto rendered = run_process({"env", "PATH=" + path, "bash", "-e", "-o", "pipefail", "-c",
                                     "cd " + shell_quote(dir.path().string()) + " && . ./render.sh"});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.output;
  const std::string script = (dir / "repeats.sbatch").string();
  EXPECT_EQ(run_process({"bash", "-n", script}).exit_code, 0);

  // What the script of array task 3 runs: its own study file and log.
  std::string assignments;
  for (const auto& line : lines(read_file(script)))
    if (line.starts_with("study=") || line.starts_with("log=")) assignments += line + "\n";
  const auto task = run_process({"env", "SLURM_ARRAY_TASK_ID=3", "bash", "-c", assignments + "echo \"$study|$log\""});
  ASSERT_EQ(task.exit_code, 0) << task.output;
  EXPECT_EQ(task.output, fmt::format("{}|{}\n", (dir / "repeat-3.toml").string(), (dir / "repeat-3.h5").string()))
      << "the study file and log of task 3";
  EXPECT_NE(read_file(script).find("/repeat-%A_%a.out\n"), std::string::npos) << read_file(script);
}

}  // namespace
}  // namespace h5tune::test
