#pragma once
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <toml++/toml.h>

namespace h5tune::config {

/// The study file being read, as the user named it: every error is thrown from here so
/// each one carries the same file name and the `file:line:col: key '...': what` form.
class SourceFile {
 public:
  explicit SourceFile(std::string name) : name_(std::move(name)) {}
  const std::string& name() const noexcept { return name_; }

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key,
                         const std::string& what) const;
  /// A problem with the file as a whole (line 0), e.g. a missing table.
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  std::string name_;
};

/// A value as the user wrote it, for "got ..." in messages: strings in quotes, numbers
/// and booleans as TOML prints them, arrays and tables by kind.
std::string describe(const toml::node& node);

/// One key and its value inside a table.
struct Entry {
  const toml::key* key;
  const toml::node* value;
};

/// One TOML table of the study file being read: knows its dotted name (`space.lr`), reads
/// typed values, and reports a problem at the offending key or value, with what was
/// expected. Getters return nothing for an absent key and throw for a wrong one.
class Section {
 public:
  Section(const toml::table& table, std::string path, const SourceFile& file)
      : table_(&table), path_(std::move(path)), file_(&file) {}

  const toml::table& table() const noexcept { return *table_; }
  const std::string& path() const noexcept { return path_; }
  const SourceFile& file() const noexcept { return *file_; }
  /// `path.key`, the name errors give a key of this table.
  std::string key_path(std::string_view key) const;

  /// The keys of the table in the order they appear in the file (toml++ keeps them sorted).
  std::vector<Entry> entries() const;
  /// Throws at the first key (in file order) that is not one of `allowed`.
  void allow_only(std::initializer_list<std::string_view> allowed) const;
  const toml::node* find(std::string_view key) const { return table_->get(key); }

  /// A sub-table; throws when the key holds something else.
  std::optional<Section> subtable(std::string_view key) const;
  /// Fails at the key's value.
  [[noreturn]] void fail(std::string_view key, const std::string& what) const;
  /// Fails at a node inside the value of `key` (an array element, say).
  [[noreturn]] void fail_at(const toml::node& node, std::string_view key, const std::string& what) const;
  /// Fails at the table itself: for a key that is missing.
  [[noreturn]] void fail_missing(std::string_view key, const std::string& what) const;

  std::optional<std::string> text(std::string_view key) const;
  /// A string that must not be empty.
  std::optional<std::string> nonempty_text(std::string_view key) const;
  std::optional<bool> boolean(std::string_view key) const;
  /// An integer >= `min`.
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min) const;
  /// A duration: a number of seconds or a string such as "1h30m" (see duration.hpp);
  /// `allow_zero` says whether 0 is meaningful for this key.
  std::optional<std::chrono::duration<double>> duration(std::string_view key, bool allow_zero) const;

 private:
  const toml::node& at(std::string_view key) const { return *table_->get(key); }
  const toml::table* table_;
  std::string path_;
  const SourceFile* file_;
};

/// A duration in whole milliseconds (rounded to nearest), the unit CommandSpec keeps.
std::chrono::milliseconds to_milliseconds(std::chrono::duration<double> d);

/// "a, b, c": for "expected one of ..." messages.
std::string join(const std::vector<std::string>& names);

}  // namespace h5tune::config
