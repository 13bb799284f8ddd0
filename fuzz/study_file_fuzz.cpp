// Fuzz target: study files (lib/config). Any text must either parse into a StudyConfig or
// throw InputError (which the CLI turns into exit code 2 with file, line and key); every
// other exception, a crash, a leak or a hang is a bug. A study that parses must have a
// usable space: its unit-cube corners and centre decode into values it contains, and
// each value's text reads back to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "h5tune/config.hpp"
#include "h5tune/error.hpp"

namespace {

void check_space(const h5tune::Space& space) {
  for (const double u : {0.0, 0.5, 1.0}) {
    const std::vector<double> unit(space.size(), u);
    const auto values = space.from_unit(unit);
    if (!space.contains(values)) {
      std::fprintf(stderr, "decoded point at u=%g lies outside the space\n", u);
      std::abort();
    }
    for (std::size_t i = 0; i < space.size(); ++i) {
      if (space.parse(i, space.format(i, values[i])) != values[i]) {
        std::fprintf(stderr, "value of '%s' does not survive format/parse\n", space[i].name.c_str());
        std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    // A directory that does not exist: parsing must not need the study's directory.
    const auto study = h5tune::parse_study(text, "/nonexistent-h5tune-fuzz/study.toml");
    check_space(study.space);
  } catch (const h5tune::InputError&) {
    // the expected answer to bad input
  }
  return 0;
}
