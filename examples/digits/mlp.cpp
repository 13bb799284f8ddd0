#include "mlp.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "random.hpp"

namespace digits {
namespace {

Eigen::MatrixXd gaussian(Eigen::Index rows, Eigen::Index cols, double std_dev, std::mt19937_64& rng) {
  Eigen::MatrixXd m(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j)
    for (Eigen::Index i = 0; i < rows; ++i) m(i, j) = std_dev * standard_normal(rng);
  return m;
}

/// Column-wise log-softmax, stable for large logits.
Eigen::MatrixXd log_softmax(Eigen::MatrixXd logits) {
  for (Eigen::Index j = 0; j < logits.cols(); ++j) {
    auto column = logits.col(j);
    const double max = column.maxCoeff();
    const double log_sum = max + std::log((column.array() - max).exp().sum());
    column.array() -= log_sum;
  }
  return logits;
}

}  // namespace

Activation parse_activation(const std::string& name) {
  if (name == "relu") return Activation::relu;
  if (name == "tanh") return Activation::tanh;
  throw std::invalid_argument("activation must be relu or tanh, got '" + name + "'");
}

const char* activation_name(Activation activation) { return activation == Activation::relu ? "relu" : "tanh"; }

Mlp::Mlp(int inputs, int hidden, int classes, Activation activation, std::mt19937_64& rng)
    : hidden_(hidden), activation_(activation) {
  if (hidden < 0) throw std::invalid_argument("hidden width must be >= 0");
  if (hidden == 0) {
    weights_ = {gaussian(classes, inputs, 1.0 / std::sqrt(inputs), rng), Eigen::MatrixXd::Zero(classes, 1)};
  } else {
    const double gain = activation == Activation::relu ? std::sqrt(2.0) : 1.0;
    weights_ = {gaussian(hidden, inputs, gain / std::sqrt(inputs), rng), Eigen::MatrixXd::Zero(hidden, 1),
                gaussian(classes, hidden, 1.0 / std::sqrt(hidden), rng), Eigen::MatrixXd::Zero(classes, 1)};
  }
  for (const auto& w : weights_) velocities_.push_back(Eigen::MatrixXd::Zero(w.rows(), w.cols()));
}

Mlp::Forward Mlp::forward(const Eigen::MatrixXd& inputs) const {
  Forward f;
  if (hidden_ == 0) {
    f.log_probabilities = log_softmax((weights_[0] * inputs).colwise() + weights_[1].col(0));
    return f;
  }
  f.pre_activation = (weights_[0] * inputs).colwise() + weights_[1].col(0);
  f.hidden = activation_ == Activation::relu ? Eigen::MatrixXd(f.pre_activation.cwiseMax(0.0))
                                             : Eigen::MatrixXd(f.pre_activation.array().tanh().matrix());
  f.log_probabilities = log_softmax((weights_[2] * f.hidden).colwise() + weights_[3].col(0));
  return f;
}

double Mlp::cross_entropy(const Eigen::MatrixXd& log_probabilities, const Eigen::VectorXi& labels) {
  double total = 0.0;
  for (Eigen::Index j = 0; j < labels.size(); ++j) total -= log_probabilities(labels(j), j);
  return total / static_cast<double>(labels.size());
}

void Mlp::sgd_step(const Eigen::MatrixXd& inputs, const Eigen::VectorXi& labels, const SgdSettings& settings,
                   double& loss) {
  const Forward f = forward(inputs);
  loss = cross_entropy(f.log_probabilities, labels);

  // d(loss)/d(logits) = (softmax - one_hot) / batch.
  Eigen::MatrixXd delta = f.log_probabilities.array().exp();
  for (Eigen::Index j = 0; j < labels.size(); ++j) delta(labels(j), j) -= 1.0;
  delta /= static_cast<double>(labels.size());

  std::vector<Eigen::MatrixXd> gradients(weights_.size());
  if (hidden_ == 0) {
    gradients[0] = delta * inputs.transpose();
    gradients[1] = delta.rowwise().sum();
  } else {
    gradients[2] = delta * f.hidden.transpose();
    gradients[3] = delta.rowwise().sum();
    Eigen::MatrixXd back = weights_[2].transpose() * delta;
    if (activation_ == Activation::relu)
      back.array() *= (f.pre_activation.array() > 0.0).cast<double>();
    else
      back.array() *= 1.0 - f.hidden.array().square();
    gradients[0] = back * inputs.transpose();
    gradients[1] = back.rowwise().sum();
  }
  for (std::size_t k = 0; k < weights_.size(); ++k) {
    const bool is_bias = k % 2 == 1;
    if (!is_bias) gradients[k] += settings.weight_decay * weights_[k];
    velocities_[k] = settings.momentum * velocities_[k] + gradients[k];
    weights_[k] -= settings.learning_rate * velocities_[k];
  }
}

double Mlp::train_epoch(const Dataset& train, const SgdSettings& settings, std::mt19937_64& rng) {
  if (settings.batch_size < 1) throw std::invalid_argument("batch size must be >= 1");
  std::vector<Eigen::Index> order(static_cast<std::size_t>(train.size()));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  shuffle(order, rng);

  double total = 0.0;
  std::size_t batches = 0;
  const auto batch = static_cast<std::size_t>(settings.batch_size);
  for (std::size_t begin = 0; begin < order.size(); begin += batch) {
    const std::vector<Eigen::Index> rows(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                         order.begin() + static_cast<std::ptrdiff_t>(std::min(order.size(), begin + batch)));
    double loss = 0.0;
    sgd_step(train.features(Eigen::all, rows), train.labels(rows), settings, loss);
    if (!std::isfinite(loss)) return loss;  // diverged: the weights are garbage from here on
    total += loss;
    ++batches;
  }
  return total / static_cast<double>(batches);
}

Evaluation Mlp::evaluate(const Dataset& data) const {
  const Forward f = forward(data.features);
  Evaluation e;
  e.loss = cross_entropy(f.log_probabilities, data.labels);
  Eigen::Index correct = 0;
  for (Eigen::Index j = 0; j < data.labels.size(); ++j) {
    Eigen::Index predicted = 0;
    f.log_probabilities.col(j).maxCoeff(&predicted);
    if (predicted == data.labels(j)) ++correct;
  }
  e.accuracy = static_cast<double>(correct) / static_cast<double>(data.labels.size());
  return e;
}

std::vector<Eigen::MatrixXd*> Mlp::state() {
  std::vector<Eigen::MatrixXd*> out;
  for (auto& w : weights_) out.push_back(&w);
  for (auto& v : velocities_) out.push_back(&v);
  return out;
}

}  // namespace digits
