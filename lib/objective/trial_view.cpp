#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/objective.hpp"

namespace h5tune {
namespace {

std::string known_names(const Space& space) {
  std::string names;
  for (const auto& p : space.parameters()) names += (names.empty() ? "" : ", ") + p.name;
  return names.empty() ? std::string("(none)") : names;
}

std::string_view kind_phrase(ParamKind kind) noexcept {
  switch (kind) {
    case ParamKind::real: return "a float";
    case ParamKind::integer: return "an integer";
    case ParamKind::categorical: return "a choice";
  }
  return "unknown";
}

}  // namespace

Trial::Trial(const Space& space, const TrialRecord& record, std::filesystem::path dir, CheckpointPaths checkpoints)
    : space_(&space), record_(&record), dir_(std::move(dir)), checkpoints_(std::move(checkpoints)) {}

std::size_t Trial::index(std::string_view name) const {
  const auto i = space_->index_of(name);
  if (!i)
    throw InputError(fmt::format("trial {}: no parameter '{}'; the space has: {}", id(), name,
                                 known_names(*space_)));
  if (*i >= record_->values.size())
    throw InputError(fmt::format("trial {}: no value for parameter '{}' ({} values for {} parameters)",
                                 id(), name, record_->values.size(), space_->size()));
  return *i;
}

double Trial::number(std::string_view name) const {
  const std::size_t i = index(name);
  if ((*space_)[i].kind == ParamKind::categorical)
    throw InputError(fmt::format("trial {}: parameter '{}' is a choice, not a number (use choice())",
                                 id(), name));
  return record_->values[i];
}

std::int64_t Trial::integer(std::string_view name) const {
  const std::size_t i = index(name);
  const ParamKind kind = (*space_)[i].kind;
  if (kind != ParamKind::integer)
    throw InputError(fmt::format("trial {}: parameter '{}' is {}, not an integer", id(), name,
                                 kind_phrase(kind)));
  return static_cast<std::int64_t>(record_->values[i]);
}

const std::string& Trial::choice(std::string_view name) const {
  const std::size_t i = index(name);
  const Parameter& p = (*space_)[i];
  if (p.kind != ParamKind::categorical)
    throw InputError(fmt::format("trial {}: parameter '{}' is {}, not a choice", id(), name,
                                 kind_phrase(p.kind)));
  const double v = record_->values[i];
  if (!(v >= 0.0 && v < static_cast<double>(p.choices.size())))
    throw InputError(fmt::format("trial {}: parameter '{}' has no choice number {}", id(), name, v));
  return p.choices[static_cast<std::size_t>(v)];
}

std::string Trial::text(std::string_view name) const {
  const std::size_t i = index(name);
  return space_->format(i, record_->values[i]);
}

}  // namespace h5tune
