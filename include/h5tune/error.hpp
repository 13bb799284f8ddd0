#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace h5tune {

/// Base of every error h5tune throws. The message is written for the user: it names
/// the place (file, line, key, trial) and what is expected.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Bad input from the user: a study file, a command line, a file that is not a usable
/// log. The CLI turns these into exit code 2 and never touches a log when it sees one.
class InputError : public Error {
 public:
  using Error::Error;
};

/// A strategy option the strategy rejects, alone or with others (min_resource above
/// max_resource, say). Names the options it is about, the one to change first, so a
/// study-file reader can point at its line.
class OptionError : public InputError {
 public:
  OptionError(std::vector<std::string> options, const std::string& what);
  const std::vector<std::string>& options() const noexcept { return options_; }

 private:
  std::vector<std::string> options_;
};

/// A study file error, located at a line and column of a file (line 0: whole file).
class ConfigError : public InputError {
 public:
  ConfigError(std::string file, int line, int column, std::string key, const std::string& what);
  const std::string& file() const noexcept { return file_; }
  int line() const noexcept { return line_; }
  int column() const noexcept { return column_; }
  const std::string& key() const noexcept { return key_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string key_;
};

/// A search-space definition that cannot work (low >= high, log range through 0, ...).
class SpaceError : public InputError {
 public:
  using InputError::InputError;
};

/// A file given as a log that is missing, truncated, corrupt, foreign or of a newer format.
class LogFormatError : public InputError {
 public:
  using InputError::InputError;
};

/// A new log's path is taken (h5tune run, simulate --log; RunOptions::overwrite not set).
/// Each program says which of its own options resume or replace it: only the caller knows.
class LogExistsError : public InputError {
 public:
  explicit LogExistsError(std::string log);
  const std::string& log() const noexcept { return log_; }

 private:
  std::string log_;
};

/// A failing HDF5 call while reading or writing a log; carries HDF5's own error stack.
class LogError : public Error {
 public:
  using Error::Error;
};

/// A failure of the message transport between ranks (MPI).
class TransportError : public Error {
 public:
  using Error::Error;
};

/// An objective that cannot be set up at all (not a failing trial: those are data).
class ObjectiveError : public Error {
 public:
  using Error::Error;
};

}  // namespace h5tune
