#pragma once
// A space with every parameter kind and the awkward cases (a 0/1 int, negative ints, a log
// int, choices of 2 and 4), for strategies' operators that must stay inside any space.
#include "h5tune/space.hpp"

namespace h5tune::test {

inline Space every_kind_space() {
  Space s;
  s.add_float("x", -2.0, 3.0)
      .add_float("lr", 1e-5, 1e-1, true)
      .add_int("bit", 0, 1)
      .add_int("n", -3, 4)
      .add_int("width", 1, 1000, true)
      .add_choice("act", {"relu", "tanh"})
      .add_choice("opt", {"sgd", "adam", "rmsprop", "lamb"});
  return s;
}

}  // namespace h5tune::test
