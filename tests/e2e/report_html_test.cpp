// `h5tune report`: one self-contained HTML page with the expected plots, one history mark
// per trial, down-sampled beyond --max-points; and `show --trial`, `compare` on real logs.
#include <regex>

#include <gtest/gtest.h>

#include "e2e/cli_support.hpp"
#include "e2e/report_support.hpp"
#include "h5tune/command.hpp"

namespace h5tune::test {
namespace {

class CliReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const auto study = write_file(*dir_ / "study.toml", study_text(trials, "sobol"));
    const auto run = run_process({cli, "run", study, "--quiet"});
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string log() { return (*dir_ / "run.h5").string(); }
  static constexpr int trials = 24;
  static TempDir* dir_;
};
TempDir* CliReport::dir_ = nullptr;

TEST_F(CliReport, WritesOneSelfContainedPageWithEveryPlot) {
  const auto html_path = *dir_ / "report.html";
  const auto report = run_process({cli, "report", log(), "-o", html_path.string()});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string html = read_file(html_path);

  // Nothing is fetched: the only URL is the SVG namespace name, no scripts, no external refs.
  std::string stripped = html;
  for (const std::string xmlns = "xmlns=\"http://www.w3.org/2000/svg\"";;) {
    const auto at = stripped.find(xmlns);
    if (at == std::string::npos) break;
    stripped.erase(at, xmlns.size());
  }
  EXPECT_EQ(stripped.find("http://"), std::string::npos);
  EXPECT_EQ(stripped.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);

  for (const char* name : {"history", "slice-x", "slice-n", "slice-act", "parallel", "curves", "timeline"})
    EXPECT_FALSE(plot(html, name).empty()) << name;
  EXPECT_EQ(count(plot(html, "history"), "class=\"mark"), static_cast<std::size_t>(trials));
  EXPECT_EQ(count(plot(html, "parallel"), "class=\"mark"), static_cast<std::size_t>(trials));
  EXPECT_EQ(count(plot(html, "slice-x"), "class=\"mark"), static_cast<std::size_t>(trials));
  EXPECT_EQ(count(plot(html, "curves"), "class=\"curve"), static_cast<std::size_t>(trials));
  EXPECT_EQ(count(plot(html, "timeline"), "class=\"mark bar"), static_cast<std::size_t>(trials));
  EXPECT_NE(plot(html, "history").find("class=\"best\""), std::string::npos) << "the best-so-far line";
  EXPECT_NE(html.find("worker utilization"), std::string::npos);
  EXPECT_NE(html.find("24 complete"), std::string::npos);
  EXPECT_EQ(html.find("down-sampled"), std::string::npos) << "a small study is drawn in full";
}

TEST_F(CliReport, DownSamplesLargeStudiesAndSaysSo) {
  const auto html_path = *dir_ / "small.html";
  const auto report = run_process({cli, "report", log(), "-o", html_path.string(), "--max-points", "6"});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string html = read_file(html_path);
  EXPECT_NE(html.find("down-sampled"), std::string::npos);
  const auto marks = count(plot(html, "history"), "class=\"mark");
  EXPECT_LT(marks, static_cast<std::size_t>(trials));
  EXPECT_GE(marks, 6u);
}

TEST_F(CliReport, ChromiumRendersThePage) {
  const auto chromium = find_executable("chromium");
  if (chromium.empty()) GTEST_SKIP() << "chromium is not installed (scripts/install-deps.sh test installs it)";
  const auto html_path = *dir_ / "render.html";
  ASSERT_EQ(run_process({cli, "report", log(), "-o", html_path.string()}).exit_code, 0);
  // Kept in the build tree (the test's working directory) as an artifact to look at.
  const auto png = std::filesystem::absolute("report_screenshot.png");
  std::filesystem::remove(png);
  const auto shot = run_process({chromium.string(), "--headless", "--no-sandbox", "--disable-gpu",
                                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                 "--no-first-run", "--user-data-dir=" + (*dir_ / "chromium").string(),
                                 "--screenshot=" + png.string(), "--window-size=1200,2000",
                                 "file://" + html_path.string()});
  ASSERT_EQ(shot.exit_code, 0) << shot.output;
  ASSERT_TRUE(std::filesystem::exists(png)) << shot.output;
  EXPECT_GT(std::filesystem::file_size(png), 20000u) << "a page with plots, not a blank one";

  // The page as the browser parsed it: every plot is there with one mark per trial.
  const auto dom = run_process({chromium.string(), "--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                "--no-first-run", "--user-data-dir=" + (*dir_ / "chromium").string(), "--dump-dom",
                                "file://" + html_path.string()});
  ASSERT_EQ(dom.exit_code, 0) << dom.output;
  const auto n = static_cast<std::size_t>(trials);
  for (const char* name : {"history", "parallel", "slice-x", "slice-n", "slice-act"})
    EXPECT_EQ(count(plot(dom.output, name), "class=\"mark"), n) << name;
  EXPECT_EQ(count(plot(dom.output, "curves"), "class=\"curve"), n);
  EXPECT_EQ(count(plot(dom.output, "timeline"), "class=\"mark bar"), n);
  EXPECT_NE(plot(dom.output, "history").find("class=\"best\""), std::string::npos);
}

TEST_F(CliReport, BadInputExitsWithCode2) {
  const auto missing = run_process({cli, "report", (*dir_ / "missing.h5").string()});
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  EXPECT_NE(missing.output.find("missing.h5"), std::string::npos) << missing.output;
  const auto not_a_log = run_process({cli, "report", (*dir_ / "study.toml").string()});
  EXPECT_EQ(not_a_log.exit_code, 2) << not_a_log.output;
}

TEST_F(CliReport, ShowTrialDescribesOneTrial) {
  const auto show = run_process({cli, "show", log(), "--trial", "5"});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  for (const char* part : {"trial      5", "state      complete", "seed", "rank       1", "parameters:", "act",
                           "metrics:", "learning curve (3 reports)"})
    EXPECT_NE(show.output.find(part), std::string::npos) << part << "\n" << show.output;
  const auto unknown = run_process({cli, "show", log(), "--trial", "500"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("no trial 500"), std::string::npos) << unknown.output;
}

TEST_F(CliReport, ShowTopZeroListsNoTrialButKeepsTheRest) {
  const auto show = run_process({cli, "show", log(), "--top", "0"});
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_EQ(show.output.find("no trial completed yet"), std::string::npos) << show.output;
  EXPECT_EQ(show.output.find("best 0 trials"), std::string::npos) << show.output;
  EXPECT_NE(show.output.find("best decile"), std::string::npos) << show.output;
}

// A report of NaN or infinity has no place on the axis: the curve breaks there and ends at
// its last finite value, rather than drawing the NaN at the bottom (where the best values are).
TEST(CliReportCurves, NonFiniteReportsBreakTheCurve) {
  TempDir dir;
  const auto study = write_file(dir / "study.toml", R"([study]
direction = "minimize"
metric = "loss"
max_trials = 1
log = "run.h5"
[space]
x = { float = [0, 1] }
[objective]
command = ["sh", "-c", "echo h5tune: step=1 loss=5; echo h5tune: step=2 loss=4; echo h5tune: step=3 loss=nan; echo h5tune: step=4 loss=3; echo h5tune: step=5 loss=inf; echo h5tune: loss=3"]
)");
  const auto run = run_process({cli, "run", study, "--quiet"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto html_path = dir / "report.html";
  const auto report = run_process({cli, "report", (dir / "run.h5").string(), "-o", html_path.string()});
  ASSERT_EQ(report.exit_code, 0) << report.output;
  const std::string curves = plot(read_file(html_path), "curves");
  // Steps 1-2, then step 4 alone: two polylines, three points in all.
  EXPECT_EQ(count(curves, "<polyline class=\"curve"), 2u) << curves;
  const std::regex polyline(R"re(<polyline class="curve[^"]*" points="([^"]*)")re");
  std::size_t points = 0;
  for (auto it = std::sregex_iterator(curves.begin(), curves.end(), polyline); it != std::sregex_iterator(); ++it)
    points += count((*it)[1].str(), ",");
  EXPECT_EQ(points, 3u) << curves;
  EXPECT_NE(curves.find("trial 0 step 4: 3"), std::string::npos) << "the end mark is the last finite report\n" << curves;
}

TEST_F(CliReport, CompareSetsStudiesSideBySide) {
  TempDir other;
  const auto study = write_file(other / "study.toml", study_text(8, "random"));
  ASSERT_EQ(run_process({cli, "run", study, "--quiet"}).exit_code, 0);
  const auto compare = run_process({cli, "compare", log(), (other / "run.h5").string()});
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  for (const std::regex& line : {std::regex("strategy +sobol +random"), std::regex("trials +24 +8"),
                                std::regex("best value +[0-9.e+-]+ +[0-9.e+-]+"), std::regex("trials to best +[0-9]+ +[0-9]+")})
    EXPECT_TRUE(std::regex_search(compare.output, line)) << compare.output;
  const auto bad = run_process({cli, "compare", log(), (other / "study.toml").string()});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
}

}  // namespace
}  // namespace h5tune::test
