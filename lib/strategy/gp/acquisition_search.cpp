#include "strategy/gp/acquisition_search.hpp"
#include "h5tune/seed.hpp"

#include <LBFGSB.h>
#include <boost/random/sobol.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>

namespace h5tune::gp {
namespace {

struct Candidate {
  std::vector<double> values;
  Eigen::VectorXd x;  ///< canonical encoding
  double score = -std::numeric_limits<double>::infinity();
};

void add_candidate(const PointCodec& codec, std::vector<double> values, const PointSet& taken,
                   std::vector<Candidate>& out) {
  if (taken.count(values)) return;
  Eigen::VectorXd x = codec.encode(values);
  out.push_back({std::move(values), std::move(x)});
}

// The search box per parameter, in Space's unit coordinates: [0, 1] for categoricals and for
// every parameter of the whole cube.
struct UnitBounds {
  std::vector<double> low, high;

  UnitBounds(const PointCodec& codec, const SearchBox& box)
      : low(codec.space().size(), 0.0), high(codec.space().size(), 1.0) {
    if (box.whole()) return;
    for (std::size_t j = 0; j < low.size(); ++j) {
      if (codec.space()[j].kind == ParamKind::categorical) continue;
      low[j] = std::clamp(box.lower(codec.offset(j)), 0.0, 1.0);
      high[j] = std::clamp(box.upper(codec.offset(j)), low[j], 1.0);
    }
  }
};

void add_sobol(const PointCodec& codec, const Space& space, const UnitBounds& bounds, int count,
               const PointSet& taken, Rng& rng, std::vector<Candidate>& out) {
  const std::size_t d = space.size();
  if (count <= 0 || d > boost::random::default_sobol_table::max_dimension) return;
  boost::random::sobol engine(d);
  std::vector<std::uint64_t> shift(d);
  for (auto& s : shift) s = rng();
  std::vector<double> u(d);
  for (int k = 0; k < count; ++k) {
    for (std::size_t j = 0; j < d; ++j) {
      const double s = static_cast<double>((engine() ^ shift[j]) >> 11) * 0x1.0p-53;
      u[j] = bounds.low[j] + s * (bounds.high[j] - bounds.low[j]);
    }
    add_candidate(codec, space.from_unit(u), taken, out);
  }
}

void add_perturbations(const PointCodec& codec, const Space& space, const UnitBounds& bounds,
                       const std::vector<Eigen::VectorXd>& anchors, int count,
                       const PointSet& taken, Rng& rng, std::vector<Candidate>& out) {
  if (anchors.empty()) return;
  const std::size_t d = space.size();
  const double change = std::min(1.0, 3.0 / static_cast<double>(d));
  for (int k = 0; k < count; ++k) {
    std::vector<double> values = codec.decode(anchors[static_cast<std::size_t>(k) % anchors.size()]);
    const double scale = std::pow(10.0, -2.0 + 1.5 * uniform01(rng));
    const std::size_t forced = uniform_index(d, rng);
    for (std::size_t j = 0; j < d; ++j) {
      if (j != forced && uniform01(rng) >= change) continue;
      const Parameter& p = space[j];
      if (p.kind == ParamKind::categorical) {
        const double n = static_cast<double>(p.choices.size());
        values[j] = std::min(std::floor(uniform01(rng) * n), n - 1.0);
      } else {
        const double width = bounds.high[j] - bounds.low[j];
        const double u = space.to_unit(j, values[j]) + scale * width * normal_draw(rng);
        values[j] = space.from_unit(j, std::clamp(u, bounds.low[j], bounds.high[j]));
      }
    }
    add_candidate(codec, std::move(values), taken, out);
  }
}

void score(const GpModel& model, const Acquisition& acquisition, std::vector<Candidate>& cands) {
  if (cands.empty()) return;
  Eigen::MatrixXd C(model.dims(), static_cast<Eigen::Index>(cands.size()));
  for (std::size_t k = 0; k < cands.size(); ++k) C.col(static_cast<Eigen::Index>(k)) = cands[k].x;
  Eigen::VectorXd mean, variance;
  model.predict(C, mean, variance);
  for (std::size_t k = 0; k < cands.size(); ++k) {
    const auto i = static_cast<Eigen::Index>(k);
    const double s = acquisition.value(mean(i), variance(i), model.best());
    cands[k].score = std::isnan(s) ? -std::numeric_limits<double>::infinity() : s;
  }
}

// L-BFGS-B on the float/int coordinates of `start`; the best relaxed point seen.
Eigen::VectorXd polish(const GpModel& model, const Acquisition& acquisition,
                       const PointCodec& codec, const SearchBox& box, const Eigen::VectorXd& start,
                       int iterations) {
  std::vector<Eigen::Index> free;
  for (Eigen::Index j = 0; j < codec.dims(); ++j)
    if (codec.continuous()[static_cast<std::size_t>(j)]) free.push_back(j);
  if (free.empty() || iterations <= 0) return start;
  const auto m = static_cast<Eigen::Index>(free.size());
  Eigen::VectorXd full = start, best = start, grad_full;
  double best_value = std::numeric_limits<double>::infinity();
  auto objective = [&](const Eigen::VectorXd& z, Eigen::VectorXd& grad) {
    for (Eigen::Index j = 0; j < m; ++j) full(free[static_cast<std::size_t>(j)]) = z(j);
    const double a = acquisition.value_with_gradient(model, full, grad_full);
    grad.resize(m);
    for (Eigen::Index j = 0; j < m; ++j) grad(j) = -grad_full(free[static_cast<std::size_t>(j)]);
    if (!std::isfinite(a)) {
      grad.setZero();
      return 1e300;
    }
    if (-a < best_value) {
      best_value = -a;
      best = full;
    }
    return -a;
  };
  LBFGSpp::LBFGSBParam<double> param;
  param.max_iterations = iterations;
  param.epsilon = 1e-6;
  param.max_linesearch = 20;
  LBFGSpp::LBFGSBSolver<double> solver(param);
  Eigen::VectorXd z(m), lower = Eigen::VectorXd::Zero(m), upper = Eigen::VectorXd::Ones(m);
  for (Eigen::Index j = 0; j < m; ++j) {
    const Eigen::Index c = free[static_cast<std::size_t>(j)];
    if (!box.whole()) {
      lower(j) = std::clamp(box.lower(c), 0.0, 1.0);
      upper(j) = std::clamp(box.upper(c), lower(j), 1.0);
    }
    z(j) = std::clamp(start(c), lower(j), upper(j));
  }
  double value = 0.0;
  try {
    solver.minimize(objective, z, value, lower, upper);
  } catch (const std::exception&) {
    // A failed line search still leaves the best point seen.
  }
  return best;
}

}  // namespace

double normal_draw(Rng& rng) noexcept {
  const double u1 = 1.0 - uniform01(rng);  // in (0, 1]
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

std::vector<std::vector<double>> candidate_points(const PointCodec& codec,
                                                  const std::vector<Eigen::VectorXd>& anchors, int count,
                                                  const PointSet& taken, std::size_t enumerate_limit,
                                                  Rng& rng) {
  std::vector<Candidate> cands;
  if (codec.finite_size(enumerate_limit) > 0) {
    for (auto& values : codec.enumerate()) add_candidate(codec, std::move(values), taken, cands);
  } else {
    const UnitBounds whole(codec, SearchBox{});
    const int sobol = anchors.empty() ? count : count / 2;
    add_sobol(codec, codec.space(), whole, sobol, taken, rng, cands);
    add_perturbations(codec, codec.space(), whole, anchors, count - sobol, taken, rng, cands);
  }
  std::vector<std::vector<double>> out;
  out.reserve(cands.size());
  for (auto& c : cands) out.push_back(std::move(c.values));
  return out;
}

std::optional<std::vector<double>> maximize_acquisition(
    const GpModel& model, const Acquisition& acquisition, const PointCodec& codec,
    const std::vector<Eigen::VectorXd>& anchors, const PointSet& taken, const SearchEffort& effort,
    Rng& rng, const SearchBox& box) {
  const Space& space = codec.space();
  std::vector<Candidate> cands;
  const bool finite = codec.finite_size(effort.enumerate_limit) > 0;
  if (finite) {
    for (auto& values : codec.enumerate()) add_candidate(codec, std::move(values), taken, cands);
  } else {
    const UnitBounds bounds(codec, box);
    const int sobol = anchors.empty() ? effort.candidates : effort.candidates / 2;
    add_sobol(codec, space, bounds, sobol, taken, rng, cands);
    add_perturbations(codec, space, bounds, anchors, effort.candidates - sobol, taken, rng, cands);
  }
  score(model, acquisition, cands);

  if (!finite && effort.polish > 0 && !cands.empty()) {
    std::vector<std::size_t> order(cands.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t top = std::min<std::size_t>(static_cast<std::size_t>(effort.polish), order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(top), order.end(),
                      [&](std::size_t a, std::size_t b) { return cands[a].score > cands[b].score; });
    std::vector<Candidate> polished;
    for (std::size_t k = 0; k < top; ++k) {
      const Eigen::VectorXd relaxed =
          polish(model, acquisition, codec, box, cands[order[k]].x, effort.polish_iterations);
      add_candidate(codec, codec.decode(relaxed), taken, polished);
    }
    score(model, acquisition, polished);
    for (auto& c : polished) cands.push_back(std::move(c));
  }
  // The first best wins ties, so the choice does not depend on sort stability.
  const Candidate* best = nullptr;
  for (const auto& c : cands)
    if (!best || c.score > best->score) best = &c;
  if (!best) return std::nullopt;
  return best->values;
}

}  // namespace h5tune::gp
