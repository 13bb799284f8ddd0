#include <gtest/gtest.h>

#include <set>

#include "h5tune/seed.hpp"

namespace h5tune {
namespace {

TEST(SeedDerive, SameArgumentsGiveSameSeed) {
  EXPECT_EQ(derive_seed(42, SeedStream::trial, 7), derive_seed(42, SeedStream::trial, 7));
  EXPECT_EQ(trial_seed(42, 7), derive_seed(42, SeedStream::trial, 7));
}

TEST(SeedDerive, DistinctAcrossTrialsStreamsAndStudies) {
  std::set<std::uint64_t> seen;
  for (std::int64_t id = 0; id < 10000; ++id) seen.insert(trial_seed(42, id));
  for (std::uint64_t c = 0; c < 10000; ++c) seen.insert(derive_seed(42, SeedStream::strategy, c));
  for (std::uint64_t study = 0; study < 10000; ++study) seen.insert(trial_seed(study, 0));
  // 30000 draws collide in 64 bits with probability ~2e-11; any collision is a bug.
  EXPECT_EQ(seen.size(), 30000u - 1u);  // trial_seed(42, 0) is counted twice
}

TEST(SeedDerive, StreamsAreUnrelated) {
  EXPECT_NE(derive_seed(1, SeedStream::trial, 0), derive_seed(1, SeedStream::strategy, 0));
  // Neighbouring study seeds must not give shifted copies of each other's sequences.
  EXPECT_NE(trial_seed(1, 1), trial_seed(2, 0));
  EXPECT_NE(trial_seed(0, 1), trial_seed(1, 0));
}

// Pinned so that a change of the derivation, which would silently change every logged
// trial's seed and break replays of old logs, fails here. Checked against an independent
// implementation of the documented SplitMix64 scheme.
TEST(SeedDerive, GoldenValues) {
  EXPECT_EQ(trial_seed(42, 0), 0xca685846b557f0fcULL);
  EXPECT_EQ(trial_seed(42, 1), 0x0d5ec61fa641d02eULL);
  EXPECT_EQ(trial_seed(42, 2), 0x45d46229cc936c2bULL);
  EXPECT_EQ(trial_seed(42, 1000), 0x69ae447c90b5e262ULL);
  EXPECT_EQ(trial_seed(0, 0), 0x568a9b0b1a2c05ecULL);
  EXPECT_EQ(derive_seed(42, SeedStream::strategy, 0), 0x0b80371c89e23aa6ULL);
}

TEST(SeedDerive, Uniform01IsInHalfOpenUnitInterval) {
  Rng rng(5);
  double lo = 1.0, hi = 0.0, sum = 0.0;
  constexpr int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = uniform01(rng);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  EXPECT_LT(lo, 1e-3);
  EXPECT_GT(hi, 1.0 - 1e-3);
  EXPECT_NEAR(sum / n, 0.5, 0.005);
}

}  // namespace
}  // namespace h5tune
