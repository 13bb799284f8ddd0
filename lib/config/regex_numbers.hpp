#pragma once
// A check of the numbers inside a metric's regular expression, before std::regex sees it.
#include <string>
#include <string_view>

namespace h5tune::config {

/// What is wrong with the back-references (\N) and repetition counts ({m}, {m,}, {m,n})
/// of an ECMAScript pattern, or "" when nothing is. libstdc++'s std::regex reads these
/// numbers into a long without an overflow check (found by fuzzing: "\222...2" is undefined
/// behaviour), and no metric pattern needs more than 3 digits of back-reference or 4 of
/// repetition. Character classes ([...]) are skipped: their digits are literal.
std::string regex_number_problem(std::string_view pattern);

}  // namespace h5tune::config
