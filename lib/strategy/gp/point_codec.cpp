#include "strategy/gp/point_codec.hpp"

namespace h5tune::gp {

PointCodec::PointCodec(const Space& space) : space_(space) {
  for (const auto& p : space.parameters()) {
    offset_.push_back(dims_);
    const Eigen::Index width =
        p.kind == ParamKind::categorical ? static_cast<Eigen::Index>(p.choices.size()) : 1;
    for (Eigen::Index k = 0; k < width; ++k) continuous_.push_back(p.kind != ParamKind::categorical);
    dims_ += width;
  }
}

Eigen::VectorXd PointCodec::encode(const std::vector<double>& values) const {
  Eigen::VectorXd x = Eigen::VectorXd::Zero(dims_);
  for (std::size_t i = 0; i < space_.size(); ++i) {
    if (space_[i].kind == ParamKind::categorical) {
      // Space::to_unit clamps to a valid index; from_unit turns the slice centre back into it.
      const double index = space_.from_unit(i, space_.to_unit(i, values[i]));
      x(offset_[i] + static_cast<Eigen::Index>(index)) = 1.0;
    } else {
      x(offset_[i]) = space_.to_unit(i, values[i]);
    }
  }
  return x;
}

std::vector<double> PointCodec::decode(const Eigen::VectorXd& point) const {
  std::vector<double> values(space_.size());
  for (std::size_t i = 0; i < space_.size(); ++i) {
    const Parameter& p = space_[i];
    if (p.kind == ParamKind::categorical) {
      Eigen::Index best = 0;
      point.segment(offset_[i], static_cast<Eigen::Index>(p.choices.size())).maxCoeff(&best);
      values[i] = static_cast<double>(best);
    } else {
      values[i] = space_.from_unit(i, point(offset_[i]));
    }
  }
  return values;
}

Eigen::VectorXd PointCodec::from_space_unit(const std::vector<double>& u) const {
  return encode(space_.from_unit(u));
}

std::size_t PointCodec::finite_size(std::size_t limit) const noexcept {
  std::size_t count = 1;
  for (const auto& p : space_.parameters()) {
    const std::size_t c = p.cardinality();
    if (c == 0 || c > limit || count > limit / c) return 0;
    count *= c;
  }
  return count;
}

std::vector<std::vector<double>> PointCodec::enumerate() const {
  std::vector<std::vector<double>> points;
  std::vector<std::size_t> digit(space_.size(), 0);
  while (true) {
    std::vector<double> values(space_.size());
    for (std::size_t i = 0; i < space_.size(); ++i) {
      const Parameter& p = space_[i];
      values[i] = p.kind == ParamKind::categorical ? static_cast<double>(digit[i])
                                                   : p.low + static_cast<double>(digit[i]);
    }
    points.push_back(std::move(values));
    std::size_t i = 0;
    for (; i < digit.size(); ++i) {
      if (++digit[i] < space_[i].cardinality()) break;
      digit[i] = 0;
    }
    if (i == digit.size()) return points;
  }
}

}  // namespace h5tune::gp
