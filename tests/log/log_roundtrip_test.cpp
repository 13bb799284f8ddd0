#include <gtest/gtest.h>

#include "h5tune/error.hpp"
#include "log/log_fixture.hpp"

namespace h5tune {
namespace {

using test::sample_header;
using test::sample_trial;

void expect_same_space(const Space& want, const Space& got) {
  ASSERT_EQ(want.size(), got.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].name);
    EXPECT_EQ(want[i].name, got[i].name);
    EXPECT_EQ(want[i].kind, got[i].kind);
    EXPECT_EQ(want[i].low, got[i].low);
    EXPECT_EQ(want[i].high, got[i].high);
    EXPECT_EQ(want[i].log, got[i].log);
    EXPECT_EQ(want[i].choices, got[i].choices);
  }
}

TEST(LogRoundTrip, HeaderAndSpaceReadBackIdentically) {
  test::TempDir dir;
  LogHeader want = sample_header();
  want.enqueued = 3;
  { LogWriter writer(dir / "run.h5", want, false); }
  LogReader reader(dir / "run.h5");
  const LogHeader& got = reader.header();
  EXPECT_EQ(got.format_version, log_format_version);
  EXPECT_EQ(got.h5tune_version, want.h5tune_version);
  EXPECT_EQ(got.git_sha, want.git_sha);
  EXPECT_EQ(got.study_name, want.study_name);
  EXPECT_EQ(got.study_text, want.study_text);
  EXPECT_EQ(got.study_path, want.study_path);
  EXPECT_EQ(got.seed, want.seed);
  EXPECT_EQ(got.strategy, want.strategy);
  EXPECT_EQ(got.direction, want.direction);
  EXPECT_EQ(got.metric, want.metric);
  EXPECT_EQ(got.max_trials, want.max_trials);
  EXPECT_EQ(got.mpi_size, want.mpi_size);
  EXPECT_EQ(got.hostnames, want.hostnames);
  EXPECT_EQ(got.slurm_job_id, want.slurm_job_id);
  EXPECT_EQ(got.created, want.created);
  EXPECT_EQ(got.enqueued, 3);
  expect_same_space(want.space, got.space);
  EXPECT_EQ(reader.trial_count(), 0);
  EXPECT_TRUE(reader.trials().empty());
  EXPECT_TRUE(reader.events().empty());
  EXPECT_EQ(reader.path(), dir / "run.h5");
}

TEST(LogRoundTrip, EmptyFieldsAndEmptySpaceRoundTrip) {
  test::TempDir dir;
  LogHeader want;  // every string empty, no hosts, no parameters
  {
    LogWriter writer(dir / "run.h5", want, false);
    TrialRecord t;
    t.id = 0;
    t.state = TrialState::failed;
    t.message = "objective crashed";
    writer.write_trial(t);
  }
  LogReader reader(dir / "run.h5");
  EXPECT_EQ(reader.header().study_text, "");
  EXPECT_TRUE(reader.header().hostnames.empty());
  EXPECT_EQ(reader.header().enqueued, 0);
  EXPECT_TRUE(reader.header().space.empty());
  const auto trials = reader.trials();
  ASSERT_EQ(trials.size(), 1u);
  EXPECT_EQ(trials[0].state, TrialState::failed);
  EXPECT_EQ(trials[0].message, "objective crashed");
  EXPECT_TRUE(trials[0].values.empty());
}

TEST(LogRoundTrip, EveryTrialFieldReportEventAndHostRoundTrips) {
  test::TempDir dir;
  std::vector<TrialRecord> want;
  for (int id = 0; id < 5; ++id) want.push_back(sample_trial(id, id != 2));
  want[3].state = TrialState::failed;
  want[3].value = TrialRecord::nan;
  want[3].message = "exit code 3";
  want[3].stderr_tail = "Traceback (most recent call last):\n  ValueError: boom\n";
  want[4].state = TrialState::pruned;
  want[4].metrics = {{"val_acc", 0.25}};
  const std::vector<Report> reports{{0, 1, 1.7e9 + 1, {{"val_acc", 0.1}, {"train_loss", 2.0}}},
                                    {0, 2, 1.7e9 + 2, {{"val_acc", 0.2}}},
                                    {1, 1, 1.7e9 + 3, {{"epoch_time", 3.5}}, 1}};  // trial 1 is at attempt 1
  const std::vector<Event> events{{1.7e9, EventKind::run_start, -1, 0},
                                  {1.7e9 + 0.1, EventKind::ask, 0, 0},
                                  {1.7e9 + 0.2, EventKind::start, 0, 1},
                                  {1.7e9 + 0.3, EventKind::tell, 0, 0},
                                  {1.7e9 + 9, EventKind::run_stop, -1, 0}};
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    EXPECT_EQ(writer.host_index("node001"), 0);
    EXPECT_EQ(writer.host_index("node002"), 1);
    EXPECT_EQ(writer.host_index("node001"), 0);
    for (const auto& t : want) writer.write_trial(t);
    for (const auto& r : reports) writer.write_report(r);
    for (const auto& e : events) writer.write_event(e);
    writer.close();
    EXPECT_THROW(writer.write_trial(want[0]), LogError);
  }
  LogReader reader(dir / "run.h5");
  ASSERT_EQ(reader.trial_count(), 5);
  const auto got = reader.trials();
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) test::expect_same_trial(want[i], got[i]);
  EXPECT_EQ(reader.reports(), reports);
  EXPECT_EQ(reader.events(), events);
  EXPECT_EQ(reader.hosts(), (std::vector<std::string>{"node001", "node002"}));
  EXPECT_EQ(reader.metric_names(), (std::vector<std::string>{"val_acc", "train_loss", "epoch_time"}));
  // A slice starts at its first id and carries its metrics.
  const auto slice = reader.trials(3, 10);
  ASSERT_EQ(slice.size(), 2u);
  test::expect_same_trial(want[3], slice[0]);
  test::expect_same_trial(want[4], slice[1]);
}

TEST(LogRoundTrip, StateChangeRewritesTheTrialsRow) {
  test::TempDir dir;
  LogWriter writer(dir / "run.h5", sample_header(), false);
  writer.write_trial(sample_trial(0, false));
  writer.write_trial(sample_trial(1, false));
  writer.flush();
  writer.write_trial(sample_trial(1, true));
  writer.close();
  LogReader reader(dir / "run.h5");
  const auto trials = reader.trials();
  ASSERT_EQ(trials.size(), 2u);
  test::expect_same_trial(sample_trial(0, false), trials[0]);
  test::expect_same_trial(sample_trial(1, true), trials[1]);
}

TEST(LogRoundTrip, OnlyTheLatestStateWrittenBeforeAFlushCounts) {
  test::TempDir dir;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    writer.write_trial(sample_trial(0, false));
    writer.write_trial(sample_trial(0, true));
  }
  LogReader reader(dir / "run.h5");
  const auto trials = reader.trials();
  ASSERT_EQ(trials.size(), 1u);
  test::expect_same_trial(sample_trial(0, true), trials[0]);
}

TEST(LogRoundTrip, OutOfOrderIdsAndGapsReadAsPendingRows) {
  test::TempDir dir;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    for (int id : {3, 1, 0}) writer.write_trial(sample_trial(id, true));
    writer.flush();
    writer.write_trial(sample_trial(7, false));  // 4..6 never written
  }
  LogReader reader(dir / "run.h5");
  const auto trials = reader.trials();
  ASSERT_EQ(trials.size(), 8u);
  for (int id : {0, 1, 3}) test::expect_same_trial(sample_trial(id, true), trials[static_cast<std::size_t>(id)]);
  test::expect_same_trial(sample_trial(7, false), trials[7]);
  for (int id : {2, 4, 5, 6}) {
    const auto& t = trials[static_cast<std::size_t>(id)];
    EXPECT_EQ(t.id, id);
    EXPECT_EQ(t.state, TrialState::pending);
    EXPECT_TRUE(t.values.empty());
    EXPECT_TRUE(t.metrics.empty());
  }
}

TEST(LogRoundTrip, LongTextIsCutToItsFieldKeepingTheStderrTail) {
  test::TempDir dir;
  TrialRecord t = sample_trial(0, false);
  t.state = TrialState::failed;
  t.message = std::string(300, 'm') + "END";
  t.stderr_tail = "START" + std::string(3000, 'e') + "last line\n";
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    writer.write_trial(t);
  }
  const auto got = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].message, std::string(256, 'm'));
  ASSERT_EQ(got[0].stderr_tail.size(), 2048u);
  EXPECT_TRUE(got[0].stderr_tail.ends_with("last line\n"));
}

TEST(LogRoundTrip, ReportsAreThoseOfTheAttemptTheTrialsRowHolds) {
  test::TempDir dir;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    TrialRecord t = sample_trial(0, false);
    t.attempt = 0;
    writer.write_trial(t);
    writer.write_report(Report{0, 1, 10.0, {{"loss", 0.9}}, 0});
    writer.write_report(Report{0, 2, 11.0, {{"loss", 0.8}}, 0});
    writer.write_report(Report{1, 1, 12.0, {{"loss", 0.7}}, 0});  // a trial with no row yet
    writer.flush();
    t.attempt = 1;  // re-run: reports its steps again
    writer.write_trial(t);
    writer.write_report(Report{0, 1, 20.0, {{"loss", 0.5}}, 1});
  }
  const LogReader reader(dir / "run.h5");
  const std::vector<Report> want{{1, 1, 12.0, {{"loss", 0.7}}, 0}, {0, 1, 20.0, {{"loss", 0.5}}, 1}};
  EXPECT_EQ(reader.reports(), want);
  std::vector<Report> streamed;
  reader.for_each_report([&](const Report& r) { streamed.push_back(r); });
  EXPECT_EQ(streamed, want);
}

TEST(LogRoundTrip, MetricsOfARerunReplaceTheEarlierOnes) {
  test::TempDir dir;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    TrialRecord t = sample_trial(0, true);
    writer.write_trial(t);
    writer.flush();
    t.attempt = 1;
    t.metrics = {{"val_acc", 0.9}, {"extra", 7.0}};
    writer.write_trial(t);
  }
  const auto got = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(got.size(), 1u);
  const Metrics expected{{"val_acc", 0.9}, {"extra", 7.0}};
  EXPECT_EQ(got[0].metrics, expected);
}

TEST(LogRoundTrip, AReRunWithoutStderrHidesTheEarlierAttemptsTail) {
  test::TempDir dir;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    TrialRecord t = sample_trial(0, false);
    t.state = TrialState::failed;
    t.stderr_tail = "first attempt's traceback\n";
    writer.write_trial(t);
    writer.flush();
    t = sample_trial(0, true);
    t.attempt = 1;
    t.stderr_tail.clear();
    writer.write_trial(t);
  }
  const auto got = LogReader(dir / "run.h5").trials();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].attempt, 1);
  EXPECT_EQ(got[0].stderr_tail, "");
}

TEST(LogRoundTrip, WrongNumberOfParameterValuesIsRefused) {
  test::TempDir dir;
  LogWriter writer(dir / "run.h5", sample_header(), false);
  TrialRecord t = sample_trial(0, false);
  t.values.pop_back();
  EXPECT_THROW(writer.write_trial(t), LogError);
}

TEST(LogRoundTrip, HundredThousandTrialsReadBack) {
  test::TempDir dir;
  constexpr int n = 100000;
  {
    LogWriter writer(dir / "run.h5", sample_header(), false);
    for (int id = 0; id < n; ++id) {
      writer.write_trial(sample_trial(id, false));
      writer.write_trial(sample_trial(id, true));
      writer.write_event({1.7e9 + id, EventKind::tell, id, 1});
      if (id % 1000 == 999) writer.flush();
    }
  }
  LogReader reader(dir / "run.h5");
  ASSERT_EQ(reader.trial_count(), n);
  const auto all = reader.trials();
  ASSERT_EQ(all.size(), static_cast<std::size_t>(n));
  std::size_t complete = 0;
  for (const auto& t : all) complete += t.state == TrialState::complete && t.metrics.size() == 2;
  EXPECT_EQ(complete, static_cast<std::size_t>(n));
  test::expect_same_trial(sample_trial(n - 1, true), all.back());
  const auto slice = reader.trials(54321, 3);
  ASSERT_EQ(slice.size(), 3u);
  for (int i = 0; i < 3; ++i) test::expect_same_trial(sample_trial(54321 + i, true), slice[static_cast<std::size_t>(i)]);
  EXPECT_EQ(reader.events().size(), static_cast<std::size_t>(n));
}

TEST(EventKindNames, AreTheDocumentedOnes) {
  EXPECT_EQ(to_string(EventKind::ask), "ask");
  EXPECT_EQ(to_string(EventKind::start), "start");
  EXPECT_EQ(to_string(EventKind::tell), "tell");
  EXPECT_EQ(to_string(EventKind::run_start), "run_start");
  EXPECT_EQ(to_string(EventKind::run_stop), "run_stop");
  EXPECT_EQ(to_string(static_cast<EventKind>(99)), "unknown");
}

}  // namespace
}  // namespace h5tune
