#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include "config/sections.hpp"
#include "core/float_text.hpp"
#include "h5tune/error.hpp"

namespace h5tune::config {
namespace {

constexpr const char* parameter_forms =
    "{ float = [low, high] }, { int = [low, high] } or { choice = [a, b, ...] }";

struct Range {
  const toml::node* low;
  const toml::node* high;
};

// The [low, high] array of a float or int parameter, its shape checked.
Range read_range(const Section& param, std::string_view kind) {
  const auto* node = param.find(kind);
  const auto* array = node->as_array();
  if (!array) {
    param.fail(kind, fmt::format("expected [low, high] (an array of 2 numbers), got {}", describe(*node)));
  }
  if (array->size() != 2) {
    param.fail(kind, fmt::format("expected [low, high] (an array of 2 numbers), got {} element{}", array->size(),
                                 array->size() == 1 ? "" : "s"));
  }
  return {array->get(0), array->get(1)};
}

double read_float_bound(const Section& param, const toml::node& node) {
  if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) return f->get();
  param.fail_at(node, "float", fmt::format("expected a number as float bound, got {}", describe(node)));
}

long long read_int_bound(const Section& param, const toml::node& node) {
  if (const auto* i = node.as_integer()) return i->get();
  param.fail_at(node, "int", fmt::format("expected an integer as int bound, got {}", describe(node)));
}

void add_parameter(Space& space, const Section& param, const std::string& name) {
  param.allow_only({"float", "int", "choice", "log"});
  std::vector<std::string_view> kinds;
  for (const std::string_view kind : {"float", "int", "choice"}) {
    if (param.find(kind)) kinds.push_back(kind);
  }
  if (kinds.size() != 1) {
    const std::string what =
        kinds.empty() ? fmt::format("parameter '{}' has no kind; expected {}", name, parameter_forms)
                      : fmt::format("parameter '{}' has {} kinds ({}); give exactly one of float, int or choice",
                                    name, kinds.size(), fmt::join(kinds, " and "));
    param.file().fail(param.table().source(), param.path(), what);
  }
  const std::string_view kind = kinds.front();
  const bool log = param.boolean("log").value_or(false);
  if (kind == "choice" && param.find("log")) {
    param.fail("log", "log applies to float and int parameters only, not to choice");
  }

  // Space does the semantic checks (low < high, log range above 0, distinct choices);
  // its SpaceError becomes a ConfigError at the parameter's kind key.
  try {
    if (kind == "float") {
      const auto range = read_range(param, kind);
      space.add_float(name, read_float_bound(param, *range.low), read_float_bound(param, *range.high), log);
    } else if (kind == "int") {
      const auto range = read_range(param, kind);
      space.add_int(name, read_int_bound(param, *range.low), read_int_bound(param, *range.high), log);
    } else {
      const auto* node = param.find(kind);
      const auto* array = node->as_array();
      if (!array) param.fail(kind, fmt::format("expected an array of choices, got {}", describe(*node)));
      std::vector<std::string> choices;
      for (const auto& element : *array) choices.push_back(choice_text(param, "choice", element));
      space.add_choice(name, std::move(choices));
    }
  } catch (const SpaceError& e) {
    param.fail(kind, e.what());
  }
}

}  // namespace

std::string choice_text(const Section& table, std::string_view key, const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return node.as_string()->get();
    case toml::node_type::integer: return fmt::format("{}", node.as_integer()->get());
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::floating_point: {
      const double value = node.as_floating_point()->get();
      if (!std::isfinite(value)) break;
      return float_text(value);
    }
    default: break;
  }
  table.fail_at(node, key,
                fmt::format("expected choices that are strings, integers, finite floats or booleans, got {}",
                            describe(node)));
}

Space read_space_table(const Section& space_table) {
  Space space;
  for (const auto& entry : space_table.entries()) {
    const std::string name(entry.key->str());
    const std::string key = space_table.key_path(name);
    const auto* table = entry.value->as_table();
    if (!table) {
      space_table.file().fail(entry.value->source(), key,
                              fmt::format("expected a parameter table such as {}, got {}", parameter_forms,
                                          describe(*entry.value)));
    }
    add_parameter(space, Section(*table, key, space_table.file()), name);
  }
  if (space.empty()) {
    space_table.file().fail(space_table.table().source(), space_table.path(),
                            fmt::format("the search space is empty; add parameters such as lr = {}",
                                        "{ float = [1e-5, 1e-1], log = true }"));
  }
  return space;
}

}  // namespace h5tune::config
