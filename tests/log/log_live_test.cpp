#include <gtest/gtest.h>

#include <csignal>

#include "h5tune/error.hpp"
#include "log/child_process.hpp"
#include "log/log_fixture.hpp"

namespace h5tune {
namespace {

using test::sample_header;
using test::sample_trial;

TEST(LogLive, ReaderSeesRowsOnlyAfterFlushAndNewOnesAfterRefresh) {
  test::TempDir dir;
  const auto path = dir / "live.h5";
  test::ChildProcess writer_process([&](test::ChildProcess& self) {
    LogWriter writer(path, sample_header(), false);
    for (int id = 0; id < 5; ++id) writer.write_trial(sample_trial(id, true));
    self.child_send('A');  // written, not flushed
    if (self.child_receive() != 'g') return;
    writer.flush();
    self.child_send('B');
    if (self.child_receive() != 'g') return;
    for (int id = 5; id < 10; ++id) writer.write_trial(sample_trial(id, false));
    writer.write_trial(sample_trial(2, true));
    writer.write_event({1.7e9, EventKind::ask, 9, 0});
    writer.flush();
    self.child_send('C');
    if (self.child_receive() != 'g') return;
    writer.close();
  });

  ASSERT_EQ(writer_process.receive(), 'A');
  LogReader reader(path);
  EXPECT_EQ(reader.trial_count(), 0);
  EXPECT_TRUE(reader.trials().empty());

  writer_process.send('g');
  ASSERT_EQ(writer_process.receive(), 'B');
  EXPECT_EQ(reader.trial_count(), 0) << "growth must be invisible until refresh()";
  reader.refresh();
  ASSERT_EQ(reader.trial_count(), 5);
  auto trials = reader.trials();
  ASSERT_EQ(trials.size(), 5u);
  for (int id = 0; id < 5; ++id) test::expect_same_trial(sample_trial(id, true), trials[static_cast<std::size_t>(id)]);

  writer_process.send('g');
  ASSERT_EQ(writer_process.receive(), 'C');
  reader.refresh();
  ASSERT_EQ(reader.trial_count(), 10);
  trials = reader.trials();
  for (int id = 5; id < 10; ++id) test::expect_same_trial(sample_trial(id, false), trials[static_cast<std::size_t>(id)]);
  EXPECT_EQ(reader.events().size(), 1u);

  writer_process.send('g');
  const int status = writer_process.wait_status();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(LogLive, SigkilledWriterLeavesExactlyTheFlushedTrials) {
  test::TempDir dir;
  const auto path = dir / "killed.h5";
  constexpr int flushed = 300;
  test::ChildProcess writer_process([&](test::ChildProcess&) {
    LogWriter writer(path, sample_header(), false);
    for (int id = 0; id < flushed; ++id) {
      writer.write_trial(sample_trial(id, true));
      writer.write_event({1.7e9 + id, EventKind::tell, id, 1});
      if (id % 64 == 63) writer.flush();
    }
    writer.flush();
    for (int id = flushed; id < flushed + 50; ++id) {
      writer.write_trial(sample_trial(id, true));
      writer.write_event({1.7e9 + id, EventKind::tell, id, 1});
    }
    raise(SIGKILL);
  });
  const int status = writer_process.wait_status();
  ASSERT_TRUE(WIFSIGNALED(status));
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  LogReader reader(path);
  ASSERT_EQ(reader.trial_count(), flushed);
  const auto trials = reader.trials();
  ASSERT_EQ(trials.size(), static_cast<std::size_t>(flushed));
  for (int id = 0; id < flushed; ++id) test::expect_same_trial(sample_trial(id, true), trials[static_cast<std::size_t>(id)]);
  EXPECT_EQ(reader.events().size(), static_cast<std::size_t>(flushed));
  EXPECT_EQ(reader.header().study_name, sample_header().study_name);
}

}  // namespace
}  // namespace h5tune
