#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "h5tune/error.hpp"
#include "objective/output_stream.hpp"

namespace h5tune::objective_detail {
namespace {

using Lines = std::vector<std::pair<std::string, bool>>;

Lines split_all(std::size_t max_line, const std::vector<std::string>& chunks) {
  LineSplitter splitter(max_line);
  Lines lines;
  auto collect = [&](std::string_view line, bool truncated) { lines.emplace_back(line, truncated); };
  for (const auto& chunk : chunks) splitter.feed(chunk, collect);
  splitter.finish(collect);
  return lines;
}

TEST(LineSplitter, JoinsLinesAcrossChunksAndDropsCarriageReturns) {
  EXPECT_EQ(split_all(100, {"ab", "c\nd\r\n", "", "e\n\nf"}),
            (Lines{{"abc", false}, {"d", false}, {"e", false}, {"", false}, {"f", false}}));
}

TEST(LineSplitter, CutsLongLinesAndFlagsThem) {
  EXPECT_EQ(split_all(4, {"123456789\nok\n12", "34567", "\n1234\n"}),
            (Lines{{"1234", true}, {"ok", false}, {"1234", true}, {"1234", false}}));
  EXPECT_EQ(split_all(4, {"12345"}), (Lines{{"1234", true}}));
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "h5tune-out-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

using CappedLogFileTest = TempDir;

TEST_F(CappedLogFileTest, KeepsEverythingUnderTheCap) {
  {
    CappedLogFile log(dir_ / "a.log", 10);
    log.write("hello");
    log.write("world");
  }
  EXPECT_EQ(read_file(dir_ / "a.log"), "helloworld");
}

TEST_F(CappedLogFileTest, StopsAtTheCapWithANote) {
  {
    CappedLogFile log(dir_ / "a.log", 8);
    log.write("12345");
    log.write("67890");
    log.write("more and more");
  }
  const std::string text = read_file(dir_ / "a.log");
  EXPECT_EQ(text.substr(0, 8), "12345678");
  EXPECT_NE(text.find("truncated"), std::string::npos) << text;
  EXPECT_EQ(text.find("more"), std::string::npos) << text;
}

TEST_F(CappedLogFileTest, UnwritablePlaceThrowsObjectiveError) {
  EXPECT_THROW(CappedLogFile(dir_ / "missing" / "a.log", 8), Error);
}

TEST(TailBuffer, KeepsTheLastBytes) {
  TailBuffer tail(5);
  tail.append("abc");
  EXPECT_EQ(tail.text(), "abc");
  tail.append("defg");
  EXPECT_EQ(tail.text(), "cdefg");
  for (int i = 0; i < 100; ++i) tail.append("xy");
  EXPECT_EQ(tail.text(), "yxyxy");
  tail.append("0123456789");
  EXPECT_EQ(tail.text(), "56789");
  TailBuffer none(0);
  none.append("abc");
  EXPECT_EQ(none.text(), "");
}

}  // namespace
}  // namespace h5tune::objective_detail
