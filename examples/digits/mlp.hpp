#pragma once
// The model: a multilayer perceptron with one hidden layer, trained by minibatch SGD with
// momentum on the softmax cross-entropy.
#include <random>
#include <string>
#include <vector>

#include <Eigen/Dense>

#include "dataset.hpp"

namespace digits {

enum class Activation { relu, tanh };

/// "relu" or "tanh"; throws std::invalid_argument otherwise.
Activation parse_activation(const std::string& name);
const char* activation_name(Activation activation);

/// The optimizer's settings; they may change between epochs (population-based training
/// perturbs them when it restores a checkpoint).
struct SgdSettings {
  double learning_rate = 0.1;
  double momentum = 0.9;
  double weight_decay = 0.0;  ///< L2 penalty on the weights (not the biases)
  int batch_size = 32;
};

struct Evaluation {
  double loss = 0.0;      ///< mean cross-entropy (nats)
  double accuracy = 0.0;  ///< fraction classified correctly
};

/// inputs -> hidden units (relu or tanh) -> softmax over classes; with hidden = 0 the hidden
/// layer is left out and the model is multinomial logistic (softmax) regression.
///
/// Training: each epoch visits the training set once in a random order in minibatches; per
/// batch, g = mean gradient + weight_decay * w, then v = momentum * v + g and
/// w = w - learning_rate * v (the heavy-ball form PyTorch's SGD uses).
/// Initialization: weights N(0, gain^2 / fan_in) with gain sqrt(2) before a relu and 1
/// otherwise (He et al. 2015 / LeCun), biases 0.
class Mlp {
 public:
  Mlp(int inputs, int hidden, int classes, Activation activation, std::mt19937_64& rng);

  /// One pass over `train`; returns the mean training loss of its batches, which is NaN or
  /// infinite when training diverged.
  double train_epoch(const Dataset& train, const SgdSettings& settings, std::mt19937_64& rng);

  Evaluation evaluate(const Dataset& data) const;

  int hidden() const noexcept { return hidden_; }
  Activation activation() const noexcept { return activation_; }

  /// Weights, biases and their momentum buffers in a fixed order, for checkpoints.
  std::vector<Eigen::MatrixXd*> state();

 private:
  struct Forward {
    Eigen::MatrixXd pre_activation;  ///< hidden layer before the nonlinearity (empty without one)
    Eigen::MatrixXd hidden;          ///< hidden layer after it
    Eigen::MatrixXd log_probabilities;
  };
  Forward forward(const Eigen::MatrixXd& inputs) const;
  /// Mean cross-entropy of `log_probabilities` against `labels`.
  static double cross_entropy(const Eigen::MatrixXd& log_probabilities, const Eigen::VectorXi& labels);
  void sgd_step(const Eigen::MatrixXd& inputs, const Eigen::VectorXi& labels, const SgdSettings& settings,
                double& loss);

  int hidden_;
  Activation activation_;
  // Parameters: {W1, b1, W2, b2} with a hidden layer, {W, b} without; velocities alike.
  std::vector<Eigen::MatrixXd> weights_;
  std::vector<Eigen::MatrixXd> velocities_;
};

}  // namespace digits
