#include "strategy/grid_strategy.hpp"

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "strategy/grid_axes.hpp"
#include "strategy/state_archive.hpp"

namespace h5tune {
namespace {

const OptionSpec points_spec{"points_per_axis", OptionType::integer, std::int64_t{5},
                             "values per float axis, and at most per int axis", 2.0, 1e6};
const OptionSpec shuffle_spec{"shuffle", OptionType::boolean, true,
                              "visit the grid in a seeded random order", 0.0, 1.0};

std::uint64_t grid_size(const std::vector<std::vector<double>>& axes) {
  std::uint64_t size = 1;
  for (const auto& axis : axes) {
    if (size > LazyPermutation::max_size / axis.size())
      throw InputError(
          "strategy 'grid': the grid has more than 2^62 points; lower points_per_axis or "
          "use another strategy");
    size *= axis.size();
  }
  return size;
}

}  // namespace

std::vector<OptionSpec> GridStrategy::option_specs() { return {points_spec, shuffle_spec}; }

GridStrategy::GridStrategy(const Options& options, const Space& space, std::uint64_t seed)
    : axes_(grid_axes(space, static_cast<std::size_t>(options.get_int(points_spec)))),
      size_(grid_size(axes_)),
      seed_(seed) {
  if (options.get_bool(shuffle_spec)) order_.emplace(size_, seed_);
}

std::vector<double> GridStrategy::point(std::uint64_t index) const {
  std::vector<double> values(axes_.size());
  for (std::size_t j = axes_.size(); j-- > 0;) {
    const std::uint64_t radix = axes_[j].size();
    values[j] = axes_[j][index % radix];
    index /= radix;
  }
  return values;
}

std::vector<Suggestion> GridStrategy::ask(std::size_t n,
                                          const std::vector<TrialRecord>& /*pending*/) {
  const std::uint64_t left = size_ - next_;
  std::vector<Suggestion> out(static_cast<std::size_t>(std::min<std::uint64_t>(n, left)));
  for (auto& s : out) {
    s.values = point(order_ ? (*order_)(next_) : next_);
    ++next_;
  }
  return out;
}

// Non-adaptive: results do not change what comes next; a failed point is not retried.
void GridStrategy::tell(const TrialRecord& /*trial*/) {}

void GridStrategy::save(std::ostream& out) const {
  strategy_state::save(out, kind_name, axes_.size(),
                       [&](auto& ar) {
                         const bool shuffle = order_.has_value();
                         ar << size_ << next_ << shuffle << seed_;
                       });
}

void GridStrategy::load(std::istream& in) {
  std::uint64_t size = 0, next = 0, seed = 0;
  bool shuffle = false;
  strategy_state::load(in, kind_name, axes_.size(),
                       [&](auto& ar) { ar >> size >> next >> shuffle >> seed; });
  if (size != size_ || next > size)
    throw InputError(fmt::format(
        "strategy checkpoint of 'grid' is for a grid of {} points, this grid has {}", size, size_));
  // The checkpoint, not the constructor, decides the visiting order.
  seed_ = seed;
  order_.reset();
  if (shuffle) order_.emplace(size_, seed_);
  next_ = next;
}

}  // namespace h5tune
