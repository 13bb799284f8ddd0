// argv templates: `{name}` placeholders, `{{` and `}}` for literal braces. The template is
// split into literal and placeholder pieces once per element; checking and expanding share
// that split so they can never disagree.
#include <fmt/format.h>

#include <array>
#include <string>

#include "h5tune/command.hpp"
#include "h5tune/error.hpp"

namespace h5tune {
namespace {

constexpr std::array<std::string_view, 6> builtin_names{"trial_id", "seed",           "trial_dir",
                                                        "budget",   "checkpoint_dir", "restore_from"};

struct Piece {
  bool placeholder = false;
  std::string text;  // literal text (braces unescaped) or placeholder name
};

/// Splits one element; returns a description of the first syntax error, or "".
std::string split(std::string_view element, std::vector<Piece>& pieces) {
  pieces.clear();
  std::string literal;
  for (std::size_t i = 0; i < element.size(); ++i) {
    const char c = element[i];
    if (c == '}') {
      if (i + 1 < element.size() && element[i + 1] == '}') {
        literal += '}';
        ++i;
        continue;
      }
      return fmt::format("unbalanced '}}' at position {} (write '}}}}' for a literal brace)", i);
    }
    if (c != '{') {
      literal += c;
      continue;
    }
    if (i + 1 < element.size() && element[i + 1] == '{') {
      literal += '{';
      ++i;
      continue;
    }
    const std::size_t close = element.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || element[close] == '{')
      return fmt::format("unbalanced '{{' at position {} (write '{{{{' for a literal brace)", i);
    if (close == i + 1) return fmt::format("empty placeholder '{{}}' at position {}", i);
    if (!literal.empty()) pieces.push_back({false, std::move(literal)});
    literal.clear();
    pieces.push_back({true, std::string(element.substr(i + 1, close - i - 1))});
    i = close;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return {};
}

bool is_builtin(std::string_view name) noexcept {
  for (auto b : builtin_names)
    if (b == name) return true;
  return false;
}

std::string known_placeholders(const Space& space) {
  std::string known;
  for (const auto& p : space.parameters()) known += fmt::format("{{{}}}, ", p.name);
  for (auto b : builtin_names)
    if (!space.index_of(b)) known += fmt::format("{{{}}}, ", b);  // a parameter `seed` is listed once
  known.resize(known.size() - 2);
  return known;
}

std::string check_placeholder(std::string_view name, const Space& space) {
  const bool parameter = space.index_of(name).has_value();
  const bool builtin = is_builtin(name);
  if (parameter && builtin)
    return fmt::format("placeholder {{{}}} is ambiguous: it is both a parameter and a built-in "
                       "name; rename the parameter", name);
  if (!parameter && !builtin)
    return fmt::format("unknown placeholder {{{}}}; known: {}", name, known_placeholders(space));
  return {};
}

}  // namespace

std::string check_argv_template(const std::vector<std::string>& argv, const Space& space) {
  if (argv.empty()) return "the command is empty: give at least the program to run";
  std::vector<Piece> pieces;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string problem = split(argv[i], pieces);
    for (std::size_t k = 0; problem.empty() && k < pieces.size(); ++k)
      if (pieces[k].placeholder) problem = check_placeholder(pieces[k].text, space);
    if (!problem.empty()) return fmt::format("command argument {} '{}': {}", i, argv[i], problem);
  }
  return {};
}

std::vector<std::string> expand_argv(const std::vector<std::string>& argv, const Trial& trial) {
  if (std::string problem = check_argv_template(argv, trial.space()); !problem.empty())
    throw InputError(problem);
  std::vector<std::string> expanded;
  expanded.reserve(argv.size());
  std::vector<Piece> pieces;
  for (const auto& element : argv) {
    split(element, pieces);
    std::string arg;
    for (const auto& piece : pieces) {
      if (!piece.placeholder) arg += piece.text;
      else if (piece.text == "trial_id") arg += std::to_string(trial.id());
      else if (piece.text == "seed") arg += std::to_string(trial.seed());
      else if (piece.text == "budget") arg += std::to_string(trial.budget());
      else if (piece.text == "trial_dir") arg += trial.dir().string();
      else if (piece.text == "checkpoint_dir") arg += trial.checkpoint_dir().string();
      else if (piece.text == "restore_from") arg += trial.restore_from().string();
      else arg += trial.text(piece.text);
    }
    expanded.push_back(std::move(arg));
  }
  return expanded;
}

std::filesystem::path trial_directory(const CommandSpec& spec, std::int64_t id) {
  // The id is the only component we add: no parameter value can make the path escape.
  return std::filesystem::absolute(spec.trials_dir / std::to_string(id));
}

}  // namespace h5tune
