#pragma once
// Maximizing the acquisition over the valid points of a space.
#include <Eigen/Core>

#include <optional>
#include <set>
#include <vector>

#include "h5tune/seed.hpp"
#include "strategy/gp/acquisition.hpp"
#include "strategy/gp/gp_model.hpp"
#include "strategy/gp/point_codec.hpp"

namespace h5tune::gp {

/// Points already evaluated, pending or picked, as canonical parameter values.
using PointSet = std::set<std::vector<double>>;

/// How hard the search works for one pick.
struct SearchEffort {
  int candidates = 512;        ///< Sobol points + perturbations scored exactly
  int polish = 3;              ///< best candidates refined by L-BFGS-B
  int polish_iterations = 20;  ///< L-BFGS-B iterations per refined candidate
  std::size_t enumerate_limit = 2048;  ///< finite spaces up to this size are scored whole
};

/// A box of the GP's unit cube the search stays in (a trust region): bounds per GP input.
/// Empty bounds stand for the whole cube. Only float and int coordinates are bounded; a
/// categorical's one-hot coordinates span [0, 1] whatever the bounds say.
struct SearchBox {
  Eigen::VectorXd lower, upper;
  bool whole() const noexcept { return lower.size() == 0; }
};

/// The best point of the space by acquisition that is not in `taken`.
///
/// Candidates: half scrambled Sobol points (a fresh random digital shift per call, from
/// `rng`), half perturbations of `anchors` (the best observations): each parameter changes
/// with probability min(1, 3/d) - a float or int coordinate by a normal step of scale
/// log-uniform in [0.01, 0.3], a categorical to another choice. Every candidate is decoded to
/// a valid point and scored at its canonical encoding. The best `polish` are refined by
/// L-BFGS-B over their float and int coordinates (categoricals fixed) in the unit box, then
/// rounded through the codec and scored again. A space of ints and categoricals with at most
/// `enumerate_limit` points is instead scored point by point. Returns nullopt only when every
/// point considered is taken (an exhausted finite space). With a `box`, the Sobol points
/// fill the box, perturbations are clamped to it and polishing is bounded by it.
std::optional<std::vector<double>> maximize_acquisition(
    const GpModel& model, const Acquisition& acquisition, const PointCodec& codec,
    const std::vector<Eigen::VectorXd>& anchors, const PointSet& taken, const SearchEffort& effort,
    Rng& rng, const SearchBox& box = {});

/// The candidates maximize_acquisition scores, without scoring them: `count` points (half
/// scrambled Sobol points, half perturbations of `anchors`, the same generators), or every
/// point of a finite space of at most `enumerate_limit` points; none in `taken`. Raw
/// decoded values, duplicates possible. The gp strategy's batch mode builds its pool with it.
std::vector<std::vector<double>> candidate_points(const PointCodec& codec,
                                                  const std::vector<Eigen::VectorXd>& anchors, int count,
                                                  const PointSet& taken, std::size_t enumerate_limit,
                                                  Rng& rng);

/// A standard normal draw by Box-Muller from two uniform01 draws (std:: distributions are
/// not the same on every standard library).
double normal_draw(Rng& rng) noexcept;

}  // namespace h5tune::gp
