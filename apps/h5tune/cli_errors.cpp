#include "cli_errors.hpp"

#include <exception>
#include <iostream>

#include "h5tune/error.hpp"

namespace h5tune::cli {

int guarded(const std::function<int()>& body, bool print) {
  try {
    return body();
  } catch (const InputError& e) {
    if (print) std::cerr << "h5tune: error: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::exception& e) {
    if (print) std::cerr << "h5tune: error: " << e.what() << '\n';
    return exit_failure;
  }
}

}  // namespace h5tune::cli
