#include "checkpoint.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace digits {
namespace {

// A text header says what the file is and what it needs; the tensors follow as raw doubles
// (the checkpoint is read back on the same cluster, so native byte order is fine).
constexpr const char* magic = "h5tune-digits checkpoint 2";
constexpr const char* magic_without_rng = "h5tune-digits checkpoint 1";

}  // namespace

void save_checkpoint(const std::filesystem::path& directory, Mlp& model, std::int64_t epoch,
                     const std::mt19937_64& rng) {
  std::filesystem::create_directories(directory);
  const auto path = directory / checkpoint_file_name;
  const auto temporary = directory / (std::string(checkpoint_file_name) + ".tmp");
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    const auto tensors = model.state();
    out << magic << '\n'
        << "hidden " << model.hidden() << " activation " << activation_name(model.activation()) << " epoch "
        << epoch << " tensors " << tensors.size() << '\n'
        << "rng " << rng << '\n';
    for (const auto* t : tensors) {
      out << t->rows() << ' ' << t->cols() << '\n';
      out.write(reinterpret_cast<const char*>(t->data()), static_cast<std::streamsize>(t->size() * sizeof(double)));
    }
    if (!out.flush()) throw std::runtime_error("cannot write checkpoint " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

std::int64_t restore_checkpoint(const std::filesystem::path& directory, Mlp& model, std::mt19937_64& rng) {
  const auto path = directory / checkpoint_file_name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("no checkpoint at " + path.string());
  const auto fail = [&](const std::string& what) { return std::runtime_error(path.string() + ": " + what); };

  std::string line;
  if (!std::getline(in, line) || (line != magic && line != magic_without_rng))
    throw fail("not an h5tune-digits checkpoint");
  const bool has_rng = line == magic;
  std::getline(in, line);
  std::istringstream header(line);
  std::string hidden_key, activation_key, epoch_key, tensors_key, activation;
  int hidden = -1;
  std::int64_t epoch = -1;
  std::size_t tensor_count = 0;
  header >> hidden_key >> hidden >> activation_key >> activation >> epoch_key >> epoch >> tensors_key >> tensor_count;
  if (!header || hidden_key != "hidden" || epoch_key != "epoch" || epoch < 0) throw fail("corrupt header");
  // Without a hidden layer the activation is unused, so it need not match.
  if (hidden != model.hidden() || (hidden > 0 && activation != activation_name(model.activation())))
    throw fail("the checkpoint is of a model with --hidden " + std::to_string(hidden) + " --activation " + activation +
               ", but this run asks for --hidden " + std::to_string(model.hidden()) + " --activation " +
               activation_name(model.activation()) + "; a restored model keeps its architecture");

  std::mt19937_64 saved_rng;
  if (has_rng) {
    std::string rng_key;
    if (!(in >> rng_key >> saved_rng) || rng_key != "rng" || in.get() != '\n') throw fail("corrupt generator state");
  }
  const auto tensors = model.state();
  if (tensor_count != tensors.size()) throw fail("wrong number of tensors");
  for (auto* t : tensors) {
    Eigen::Index rows = 0, cols = 0;
    if (!(in >> rows >> cols) || in.get() != '\n' || rows != t->rows() || cols != t->cols())
      throw fail("tensor shape does not match the model");
    in.read(reinterpret_cast<char*>(t->data()), static_cast<std::streamsize>(t->size() * sizeof(double)));
    if (!in) throw fail("truncated");
  }
  if (has_rng) rng = saved_rng;
  return epoch;
}

}  // namespace digits
