// LogReader::for_each_report: the same reports as reports(), read in slices, including a
// report whose metric rows straddle a slice boundary.
#include <gtest/gtest.h>

#include "log/log_fixture.hpp"

namespace h5tune {
namespace {

TEST(LogReportStream, YieldsWhatReportsReturnsAcrossSliceBoundaries) {
  test::TempDir dir;
  // 3 metric rows per report: 70,000 reports are 210,000 rows, so the 65,536-row slices
  // end inside reports.
  std::vector<Report> written;
  {
    LogWriter writer(dir / "run.h5", test::sample_header(), false);
    for (std::int64_t i = 0; i < 70000; ++i) {
      written.push_back({i / 7, i % 7 + 1, 1.7e9 + static_cast<double>(i),
                         {{"val_acc", 0.5 + 1e-6 * static_cast<double>(i)}, {"loss", 1.0}, {"lr", 1e-3}}});
      writer.write_report(written.back());
    }
    writer.close();
  }
  LogReader reader(dir / "run.h5");
  std::vector<Report> streamed;
  reader.for_each_report([&](const Report& r) { streamed.push_back(r); });
  EXPECT_EQ(streamed, written);
  EXPECT_EQ(reader.reports(), written);
}

TEST(LogReportStream, EmptyLogVisitsNothing) {
  test::TempDir dir;
  { LogWriter writer(dir / "run.h5", test::sample_header(), false); }
  std::size_t visits = 0;
  LogReader(dir / "run.h5").for_each_report([&](const Report&) { ++visits; });
  EXPECT_EQ(visits, 0u);
}

}  // namespace
}  // namespace h5tune
