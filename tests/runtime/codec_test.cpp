#include "runtime/codec.hpp"

#include <gtest/gtest.h>

#include "runtime/messages.hpp"

namespace h5tune::runtime {
namespace {

TEST(Codec, MessagesFromManySendersDecodeWithOneDecoder) {
  Encoder a;
  Encoder b;
  Decoder decoder;
  for (int round = 0; round < 3; ++round) {
    ResultMsg first;
    first.trial = 10 + round;
    first.state = TrialState::complete;
    first.metrics = {{"loss", 0.5 + round}, {"acc", 0.9}};
    first.message = "ok";
    const auto bytes_a = a.encode(first);
    std::vector<char> copy_a(bytes_a.begin(), bytes_a.end());

    ResultMsg second;
    second.trial = 20 + round;
    second.state = TrialState::failed;
    second.stderr_tail = std::string(3000, 'x');
    const auto bytes_b = b.encode(second);
    std::vector<char> copy_b(bytes_b.begin(), bytes_b.end());

    ResultMsg out;
    decoder.decode(copy_b, out);
    EXPECT_EQ(out.trial, 20 + round);
    EXPECT_EQ(out.state, TrialState::failed);
    EXPECT_EQ(out.stderr_tail.size(), 3000u);
    EXPECT_TRUE(out.metrics.empty());
    decoder.decode(copy_a, out);
    EXPECT_EQ(out.trial, 10 + round);
    ASSERT_EQ(out.metrics.size(), 2u);
    EXPECT_EQ(out.metrics[0].name, "loss");
    EXPECT_DOUBLE_EQ(out.metrics[0].value, 0.5 + round);
    EXPECT_EQ(out.message, "ok");
  }
}

TEST(Codec, WorkMessageRoundTrip) {
  Encoder encoder;
  Decoder decoder;
  WorkMsg work;
  work.trial = 42;
  work.seed = 0xfedcba9876543210ULL;
  work.parent = 7;
  work.budget = 9;
  work.attempt = 2;
  work.values = {1e-3, 3.0, 2.0};
  const auto bytes = encoder.encode(work);
  WorkMsg out;
  decoder.decode(std::vector<char>(bytes.begin(), bytes.end()), out);
  EXPECT_EQ(out.trial, 42);
  EXPECT_EQ(out.seed, work.seed);
  EXPECT_EQ(out.parent, 7);
  EXPECT_EQ(out.budget, 9);
  EXPECT_EQ(out.attempt, 2);
  EXPECT_EQ(out.values, work.values);
}

TEST(Codec, TruncatedMessageIsATransportError) {
  Encoder encoder;
  Decoder decoder;
  ResultMsg result;
  result.message = "a message long enough to cut";
  const auto bytes = encoder.encode(result);
  std::vector<char> cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(bytes.size() / 2));
  ResultMsg out;
  EXPECT_THROW(decoder.decode(cut, out), TransportError);
}

}  // namespace
}  // namespace h5tune::runtime
