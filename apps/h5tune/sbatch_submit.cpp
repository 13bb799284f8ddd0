#include "sbatch_submit.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "h5tune/error.hpp"

namespace h5tune::cli {

std::filesystem::path find_on_path(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    const auto colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs = colon == std::string_view::npos ? std::string_view{} : dirs.substr(colon + 1);
    const std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
    if (access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) return candidate;
  }
  return {};
}

std::string submit_with_sbatch(const std::filesystem::path& script) {
  const auto sbatch = find_on_path("sbatch");
  if (sbatch.empty())
    throw Error(fmt::format("sbatch is not on PATH: run h5tune submit where Slurm's client commands are (the script "
                            "is {}; submit it with `sbatch {}`)",
                            script.string(), script.string()));
  int out[2];
  if (pipe(out) != 0) throw Error(fmt::format("pipe: {}", std::strerror(errno)));
  const pid_t pid = fork();
  if (pid < 0) throw Error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    const std::string program = sbatch.string();
    const std::string script_path = script.string();
    std::vector<char*> argv{const_cast<char*>(program.c_str()), const_cast<char*>("--parsable"),
                            const_cast<char*>(script_path.c_str()), nullptr};
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string printed;
  char buffer[512];
  for (;;) {
    const ssize_t n = read(out[0], buffer, sizeof buffer);
    if (n > 0) printed.append(buffer, static_cast<std::size_t>(n));
    else if (n == 0 || errno != EINTR) break;
  }
  close(out[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw Error(fmt::format("sbatch {} failed (exit status {}); nothing was submitted", script.string(),
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)));
  // --parsable prints "jobid" or "jobid;cluster".
  const std::string id = printed.substr(0, printed.find_first_of(";\n"));
  if (id.empty()) throw Error(fmt::format("sbatch {} printed no job id", script.string()));
  return id;
}

}  // namespace h5tune::cli
