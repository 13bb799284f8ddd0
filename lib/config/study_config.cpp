#include "h5tune/study.hpp"

namespace h5tune {

std::filesystem::path StudyConfig::default_trials_dir() const {
  std::filesystem::path dir = log;
  if (dir.extension() == ".h5") dir.replace_extension();
  dir += ".trials";
  return dir;
}

}  // namespace h5tune
