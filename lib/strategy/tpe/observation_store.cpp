#include "strategy/tpe/observation_store.hpp"

#include <algorithm>

namespace h5tune::tpe {

void ObservationStore::add(std::int64_t id, RankKey key, const std::vector<double>& values,
                           const AxisCodec& codec) {
  const std::size_t d = columns_.size();
  // After every id not greater than this one: equal ids keep their tell order.
  const auto pos = static_cast<std::size_t>(std::upper_bound(ids_.begin(), ids_.end(), id) - ids_.begin());
  const auto at = static_cast<std::ptrdiff_t>(pos);
  ids_.insert(ids_.begin() + at, id);
  keys_.insert(keys_.begin() + at, key);
  values_.insert(values_.begin() + at * static_cast<std::ptrdiff_t>(d), values.begin(), values.end());
  for (std::size_t a = 0; a < d; ++a)
    columns_[a].insert(columns_[a].begin() + at, codec.encode(a, values[a]));
}

}  // namespace h5tune::tpe
