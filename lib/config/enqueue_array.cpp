#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "config/sections.hpp"

namespace h5tune::config {
namespace {

std::vector<std::string> parameter_names(const Space& space) {
  std::vector<std::string> names;
  for (const auto& p : space.parameters()) names.push_back(p.name);
  return names;
}

// The value of parameter i as a point gives it: a number for float and int parameters (an
// int parameter takes integers only), one of the choices as [space] wrote it.
double read_value(const Section& point, std::string_view key, const toml::node& node, const Space& space,
                  std::size_t i) {
  const Parameter& p = space[i];
  double value = 0.0;
  switch (p.kind) {
    case ParamKind::categorical: {
      const std::string text = choice_text(point, key, node);
      for (std::size_t c = 0; c < p.choices.size(); ++c)
        if (p.choices[c] == text) return static_cast<double>(c);
      point.fail(key, fmt::format("expected one of the choices [{}] of parameter '{}', got {}", join(p.choices),
                                  p.name, describe(node)));
    }
    case ParamKind::integer:
      if (const auto* n = node.as_integer()) {
        value = static_cast<double>(n->get());
        break;
      }
      point.fail(key, fmt::format("expected an integer for int parameter '{}', got {}", p.name, describe(node)));
    case ParamKind::real:
      if (const auto* n = node.as_integer()) value = static_cast<double>(n->get());
      else if (const auto* x = node.as_floating_point()) value = x->get();
      else point.fail(key, fmt::format("expected a number for float parameter '{}', got {}", p.name, describe(node)));
      break;
  }
  if (auto why = space.why_invalid(i, value); !why.empty()) point.fail(key, fmt::format("parameter '{}': {}", p.name, why));
  return value;
}

}  // namespace

std::vector<std::vector<double>> read_enqueue_array(const Section& root, const Space& space) {
  std::vector<std::vector<double>> points;
  const auto* node = root.find("enqueue");
  if (!node) return points;
  const char* form = "expected [[enqueue]] tables of parameter values, such as [[enqueue]] lr = 0.01";
  const auto* array = node->as_array();
  if (!array) root.fail("enqueue", fmt::format("{}, got {}", form, describe(*node)));
  for (std::size_t k = 0; k < array->size(); ++k) {
    const auto& element = *array->get(k);
    const std::string path = fmt::format("enqueue[{}]", k + 1);
    const auto* table = element.as_table();
    if (!table) root.file().fail(element.source(), path, fmt::format("{}, got {}", form, describe(element)));
    const Section point(*table, path, root.file());
    const auto entries = point.entries();
    if (entries.empty())
      root.file().fail(table->source(), path,
                       fmt::format("the point gives no parameter; give some of {}", join(parameter_names(space))));
    std::vector<double> values(space.size(), std::numeric_limits<double>::quiet_NaN());
    for (const auto& entry : entries) {
      const std::string_view name = entry.key->str();
      const auto i = space.index_of(name);
      if (!i) {
        point.file().fail(entry.key->source(), point.key_path(name),
                          fmt::format("unknown parameter '{}'; the space has {}", name, join(parameter_names(space))));
      }
      values[*i] = read_value(point, name, *entry.value, space, *i);
    }
    points.push_back(std::move(values));
  }
  return points;
}

}  // namespace h5tune::config
