// Other processes touching a log while `h5tune run` writes it: readers polling it (ours,
// and libhdf5 readers that take file locks, as h5py does by default) never make a run
// fail, and a second writer is refused without harming the live log.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <thread>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/log_polling.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"

namespace h5tune::test {
namespace {

/// While alive, a thread opens `path` and takes and drops a shared flock() on it as fast as
/// it can: what a libhdf5 1.10 reader with file locking on does each time it opens a file.
class LockingReader {
 public:
  explicit LockingReader(std::filesystem::path path)
      : thread_([this, path = std::move(path)] {
          while (!stop_) {
            const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) continue;
            if (::flock(fd, LOCK_SH | LOCK_NB) == 0) {
              ++locks_;
              ::flock(fd, LOCK_UN);
            }
            ::close(fd);
          }
        }) {}
  ~LockingReader() {
    stop_ = true;
    thread_.join();
  }
  LockingReader(const LockingReader&) = delete;
  LockingReader& operator=(const LockingReader&) = delete;
  long locks() const noexcept { return locks_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<long> locks_{0};
  std::thread thread_;
};

std::size_t staging_files(const std::filesystem::path& dir) {
  std::size_t count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    count += entry.path().filename().string().ends_with(".creating") ? 1 : 0;
  return count;
}

TEST(ConcurrentAccess, LockingReadersNeverStopARunFromStartingOrResuming) {
  TempDir dir;
  const auto log = dir / "run.h5";
  // Rounds, not one try: before the fix about one start in four failed with "unable to lock file".
  for (int round = 0; round < 6; ++round) {
    std::filesystem::remove(log);
    const auto study = write_file(dir / "study.toml", study_text(3));
    LockingReader reader(log);
    const auto fresh = run_process({cli, "run", study, "-q"});
    ASSERT_EQ(fresh.exit_code, 0) << "round " << round << ": " << fresh.output;
    write_file(dir / "study.toml", study_text(5));
    const auto resumed = run_process({cli, "run", study, "--resume", "-q"});
    ASSERT_EQ(resumed.exit_code, 0) << "round " << round << ": " << resumed.output;
    EXPECT_EQ(LogReader(log).trial_count(), 5);
    EXPECT_GT(reader.locks(), 0) << "the reader never got to the file";
  }
  EXPECT_EQ(staging_files(dir.path()), 0u) << "a new log is built aside and renamed into place";
}

/// A child process that opens `log` with LogReader as fast as it can until `stop` exists,
/// then writes the number of opens and the first unexpected error to `report`. A process,
/// not a thread: LogReader lowers RLIMIT_AS while it opens a file (log/memory_cap.hpp), and
/// a command forked by this process meanwhile would inherit the lower limit.
class PollingReader {
 public:
  PollingReader(const std::filesystem::path& log, std::filesystem::path stop, std::filesystem::path report)
      : stop_(std::move(stop)), report_(std::move(report)) {
    pid_ = fork();
    if (pid_ != 0) return;
    int opened = 0;
    std::string unexpected;
    while (!std::filesystem::exists(stop_)) {
      try {
        LogReader reader(log);
        reader.trials();
        ++opened;
      } catch (const LogFormatError& e) {
        // Only "no such file" may come before the log appears: never a half-built file.
        if (std::string(e.what()).find("no such file") == std::string::npos && unexpected.empty())
          unexpected = e.what();
      }
    }
    std::ofstream(report_) << opened << "\n" << unexpected;
    _exit(0);
  }
  ~PollingReader() {
    if (pid_ > 0) finish();
  }
  PollingReader(const PollingReader&) = delete;
  PollingReader& operator=(const PollingReader&) = delete;

  /// Stops the child; returns its number of opens and its first unexpected error ("" if none).
  std::pair<int, std::string> finish() {
    write_file(stop_, "");
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    std::ifstream in(report_);
    int opened = -1;
    in >> opened;
    in.ignore();
    std::string unexpected;
    std::getline(in, unexpected);
    return {opened, unexpected};
  }

 private:
  std::filesystem::path stop_, report_;
  pid_t pid_ = -1;
};

TEST(ConcurrentAccess, OurReaderPollingFromTheFirstMomentSeesAWholeLog) {
  TempDir dir;
  const auto log = dir / "run.h5";
  const auto study = write_file(dir / "study.toml", study_text(4, "random", 0.02));
  for (int round = 0; round < 4; ++round) {
    std::filesystem::remove(log);
    std::filesystem::remove(dir / "stop");
    PollingReader poller(log, dir / "stop", dir / "poller.txt");
    const auto run = run_process({cli, "run", study, "-q"});
    const auto [opened, unexpected] = poller.finish();
    ASSERT_EQ(run.exit_code, 0) << "round " << round << ": " << run.output;
    EXPECT_EQ(unexpected, "") << "round " << round;
    EXPECT_GT(opened, 0) << "round " << round;
  }
}

TEST(ConcurrentAccess, SecondWriterOfALiveLogIsRefusedAndTheLiveRunFinishes) {
  TempDir dir;
  const auto log = dir / "run.h5";
  // Trials from id 2 on wait while the hold file exists, so the first run is still live
  // when the second writer comes, however slow the machine (a sanitizer build was not).
  const auto hold = write_file(dir / "hold", "2");
  const auto study = write_file(dir / "study.toml", held_study_text(30, hold));
  BackgroundProcess first({cli, "run", study, "-q"}, (dir / "first.out").string());
  ASSERT_GE(wait_for_finished(log, 2, 60), 2) << read_file(dir / "first.out");

  const auto resume = run_process({cli, "run", study, "--resume", "-q"});
  EXPECT_EQ(resume.exit_code, 2) << resume.output;
  EXPECT_NE(resume.output.find("another process is writing this log"), std::string::npos) << resume.output;
  const auto force = run_process({cli, "run", study, "--force", "-q"});
  EXPECT_EQ(force.exit_code, 2) << force.output;
  EXPECT_NE(force.output.find("another process is writing this log"), std::string::npos) << force.output;

  std::filesystem::remove(hold);
  EXPECT_EQ(first.wait(), 0) << read_file(dir / "first.out");
  const auto trials = LogReader(log).trials();
  ASSERT_EQ(trials.size(), 30u) << "the live run kept its log";
  for (const auto& t : trials) EXPECT_EQ(t.state, TrialState::complete) << "trial " << t.id;

  const auto later = run_process({cli, "run", study, "--force", "-q"});
  EXPECT_EQ(later.exit_code, 0) << "once the run ended, --force replaces the log: " << later.output;
}

}  // namespace
}  // namespace h5tune::test
