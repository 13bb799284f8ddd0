#pragma once
// The handwritten digits: reading the CSV (embedded in the program or from a file) and the
// fixed train/validation split every trial shares.
#include <cstdint>
#include <string>

#include <Eigen/Dense>

namespace digits {

/// Samples as columns: `features` is 64 x n with pixels scaled to [0, 1], `labels` holds
/// the digit (0..9) of each column.
struct Dataset {
  Eigen::MatrixXd features;
  Eigen::VectorXi labels;
  Eigen::Index size() const { return features.cols(); }
};

/// Parses CSV text with one sample per line: 64 pixel counts in 0..16, then the label.
/// Throws std::runtime_error naming the line on anything else.
Dataset parse_csv(const std::string& text);

/// The UCI digits compiled into the program (data/digits.csv.gz, 1,797 samples).
Dataset embedded_digits();

/// A CSV file in the same format, plain or gzip-compressed.
Dataset read_digits_file(const std::string& path);

struct Split {
  Dataset train;
  Dataset validation;
};

/// Shuffles the samples with `split_seed` and holds out the last `validation_fraction` of
/// them. The split seed is fixed, not the trial's seed, so every trial of a study is scored
/// on the same validation samples.
Split split(const Dataset& all, double validation_fraction, std::uint64_t split_seed);

}  // namespace digits
