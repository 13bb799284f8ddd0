#pragma once
#include <boost/random/sobol.hpp>

#include <cstdint>
#include <vector>

#include "h5tune/strategy.hpp"

namespace h5tune {

/// Quasi-random search on the Sobol low-discrepancy sequence, decoded by the Space.
/// Points fill the cube far more evenly than random ones: the first 2^k points of the
/// unshifted sequence put exactly one point in each of the 2^k strips of every axis.
///
/// Algorithm: Boost's 64-bit Sobol generator (Joe-Kuo direction numbers, up to 3667
/// parameters) in Gray-code order, preceded by the origin so that point indices match the
/// classic sequence (Boost itself starts at point 1). References: Sobol', USSR Comput. Math.
/// Math. Phys. 7, 1967; Joe and Kuo, SIAM J. Sci. Comput. 30, 2008.
///
/// Options: `scramble` (default true) applies a random digital shift: coordinate j of every
/// point is XOR-ed with one 64-bit mask drawn from std::mt19937_64(seed), so each seed gives
/// a different sequence that keeps the net structure. This is a digital shift, not Owen
/// scrambling. `skip` (default 0) drops that many points at the start. With scramble off
/// the seed is unused and the sequence is the same for every seed.
class SobolStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "sobol";
  static std::vector<OptionSpec> option_specs();

  SobolStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  /// Puts the generator where the next ask() starts: point `next_index_`.
  void seek();

  Space space_;
  boost::random::sobol engine_;
  std::vector<std::uint64_t> masks_;  ///< digital shift per coordinate (zeros: no scramble)
  std::uint64_t next_index_ = 0;      ///< index of the next point in the sequence (0: origin)
};

}  // namespace h5tune
