#pragma once
#include <cstdint>
#include <vector>

#include "h5tune/seed.hpp"
#include "h5tune/strategy.hpp"

namespace h5tune {

/// Random search: every point i.i.d. uniform in the unit cube, decoded by the Space
/// (so integers are equally likely and log parameters log-uniform).
/// Reference: Bergstra and Bengio, "Random search for hyper-parameter optimization",
/// JMLR 13, 2012. No options. Draws from one std::mt19937_64 seeded with the strategy seed,
/// one draw per parameter per point in Space order.
class RandomStrategy final : public Strategy {
 public:
  static constexpr std::string_view kind_name = "random";
  static std::vector<OptionSpec> option_specs() { return {}; }

  RandomStrategy(const Options& options, const Space& space, std::uint64_t seed);

  std::string_view kind() const noexcept override { return kind_name; }
  std::vector<Suggestion> ask(std::size_t n, const std::vector<TrialRecord>& pending) override;
  void tell(const TrialRecord& trial) override;
  void save(std::ostream& out) const override;
  void load(std::istream& in) override;

 private:
  Space space_;
  Rng rng_;
};

}  // namespace h5tune
