#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "strategy/tpe/tpe_axis.hpp"
#include "strategy/tpe/tpe_split.hpp"

namespace h5tune::tpe {

/// The finished trials TPE learns from, in trial-id order (Optuna's trial order, which
/// default_weights() favours the end of), kept column by column in TPE coordinates so an
/// estimator gathers one axis without touching the others. Inserting is O(1) when trials
/// are told in id order (the usual case), O(n d) otherwise.
class ObservationStore {
 public:
  explicit ObservationStore(std::size_t dims) : columns_(dims) {}

  /// Adds a trial: its id, how it ranks, its parameter values and their coordinates.
  void add(std::int64_t id, RankKey key, const std::vector<double>& values,
           const AxisCodec& codec);

  std::size_t size() const noexcept { return ids_.size(); }
  const std::vector<std::int64_t>& ids() const noexcept { return ids_; }
  const std::vector<RankKey>& keys() const noexcept { return keys_; }
  /// Parameter values, row-major (size() x dims): what a checkpoint stores.
  const std::vector<double>& values() const noexcept { return values_; }
  /// Coordinates of every observation on axis a.
  const std::vector<double>& column(std::size_t a) const { return columns_[a]; }

 private:
  std::vector<std::int64_t> ids_;
  std::vector<RankKey> keys_;
  std::vector<double> values_;
  std::vector<std::vector<double>> columns_;
};

}  // namespace h5tune::tpe
