#include "config/section.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "config/duration.hpp"
#include "core/float_text.hpp"
#include "h5tune/error.hpp"

namespace h5tune::config {

void SourceFile::fail(const toml::source_region& where, const std::string& key, const std::string& what) const {
  throw ConfigError(name_, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), key, what);
}

void SourceFile::fail(const std::string& key, const std::string& what) const {
  throw ConfigError(name_, 0, 0, key, what);
}

std::string describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return fmt::format("'{}'", node.as_string()->get());
    case toml::node_type::integer: return fmt::format("{}", node.as_integer()->get());
    case toml::node_type::floating_point: return float_text(node.as_floating_point()->get());
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string Section::key_path(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  return fmt::format("{}.{}", path_, key);
}

std::vector<Entry> Section::entries() const {
  std::vector<Entry> out;
  for (const auto& [key, value] : *table_) out.push_back({&key, &value});
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    const auto& pa = a.key->source().begin;
    const auto& pb = b.key->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return out;
}

void Section::allow_only(std::initializer_list<std::string_view> allowed) const {
  for (const auto& entry : entries()) {
    const auto name = entry.key->str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::vector<std::string> names(allowed.begin(), allowed.end());
    file_->fail(entry.key->source(), key_path(name),
                fmt::format("unknown key '{}' in [{}]; expected one of: {}", name, path_, join(names)));
  }
}

std::optional<Section> Section::subtable(std::string_view key) const {
  const auto* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_table()) fail(key, fmt::format("expected a table, got {}", describe(*node)));
  return Section(*node->as_table(), key_path(key), *file_);
}

void Section::fail(std::string_view key, const std::string& what) const {
  file_->fail(at(key).source(), key_path(key), what);
}

void Section::fail_at(const toml::node& node, std::string_view key, const std::string& what) const {
  file_->fail(node.source(), key_path(key), what);
}

void Section::fail_missing(std::string_view key, const std::string& what) const {
  file_->fail(table_->source(), key_path(key), what);
}

std::optional<std::string> Section::text(std::string_view key) const {
  const auto* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_string()) fail(key, fmt::format("expected a string, got {}", describe(*node)));
  return node->as_string()->get();
}

std::optional<std::string> Section::nonempty_text(std::string_view key) const {
  auto value = text(key);
  if (value && value->empty()) fail(key, "expected a non-empty string, got ''");
  return value;
}

std::optional<bool> Section::boolean(std::string_view key) const {
  const auto* node = find(key);
  if (!node) return std::nullopt;
  if (!node->is_boolean()) fail(key, fmt::format("expected true or false, got {}", describe(*node)));
  return node->as_boolean()->get();
}

std::optional<std::int64_t> Section::integer(std::string_view key, std::int64_t min) const {
  const auto* node = find(key);
  if (!node) return std::nullopt;
  const std::string expected =
      min == 0 ? std::string("a non-negative integer") : fmt::format("an integer >= {}", min);
  if (!node->is_integer()) fail(key, fmt::format("expected {}, got {}", expected, describe(*node)));
  const std::int64_t value = node->as_integer()->get();
  if (value < min) fail(key, fmt::format("expected {}, got {}", expected, value));
  return value;
}

std::optional<std::chrono::duration<double>> Section::duration(std::string_view key, bool allow_zero) const {
  const auto* node = find(key);
  if (!node) return std::nullopt;
  const char* expected = allow_zero ? "a duration" : "a positive duration";
  const auto wrong = [&] {
    fail(key, fmt::format("expected {} such as \"90s\", \"10m\", \"1h30m\", \"1.5h\" or a number of seconds, "
                          "got {}",
                          expected, describe(*node)));
  };
  double seconds = 0.0;
  if (const auto* i = node->as_integer()) {
    seconds = static_cast<double>(i->get());
  } else if (const auto* f = node->as_floating_point()) {
    seconds = f->get();
  } else if (const auto* s = node->as_string()) {
    const auto parsed = parse_duration_seconds(s->get());
    if (!parsed) wrong();
    seconds = *parsed;
  } else {
    wrong();
  }
  if (!std::isfinite(seconds) || seconds < 0.0 || (!allow_zero && seconds == 0.0)) wrong();
  return std::chrono::duration<double>(seconds);
}

std::chrono::milliseconds to_milliseconds(std::chrono::duration<double> d) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::llround(d.count() * 1000.0)));
}

std::string join(const std::vector<std::string>& names) { return fmt::format("{}", fmt::join(names, ", ")); }

}  // namespace h5tune::config
