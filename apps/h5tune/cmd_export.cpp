#include <cmath>
#include <fstream>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "hdf5_output_guard.hpp"
#include "h5tune/error.hpp"
#include "h5tune/log.hpp"
#include "trial_table.hpp"

namespace h5tune::cli {
namespace {

struct ExportArgs {
  std::string log;
  std::string format = "csv";
  std::string output;
  bool force = false;  ///< --force: replace an output file that is an HDF5 file
};

// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_cell(const Cell& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return std::isfinite(*d) ? fmt::format("{}", *d) : (std::isnan(*d) ? "" : (*d > 0 ? "inf" : "-inf"));
  if (const auto* i = std::get_if<long long>(&cell)) return fmt::format("{}", *i);
  if (const auto* u = std::get_if<unsigned long long>(&cell)) return fmt::format("{}", *u);
  return csv_field(std::get<std::string>(cell));
}

nlohmann::json json_cell(const Cell& cell) {
  if (const auto* d = std::get_if<double>(&cell)) return std::isfinite(*d) ? nlohmann::json(*d) : nlohmann::json(nullptr);
  if (const auto* i = std::get_if<long long>(&cell)) return *i;
  if (const auto* u = std::get_if<unsigned long long>(&cell)) return *u;
  return std::get<std::string>(cell);
}

void write_csv(std::ostream& out, const LogReader& log, TrialTable& table) {
  const auto& columns = table.columns();
  for (std::size_t i = 0; i < columns.size(); ++i) out << (i ? "," : "") << csv_field(columns[i]);
  out << '\n';
  for_each_trial(log, [&](const TrialRecord& trial) {
    const auto cells = table.row(trial);
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_cell(cells[i]);
    out << '\n';
  });
}

// A JSON array of one object per trial (pandas.read_json(path) reads it as records).
void write_json(std::ostream& out, const LogReader& log, TrialTable& table) {
  const auto& columns = table.columns();
  out << "[";
  bool first = true;
  for_each_trial(log, [&](const TrialRecord& trial) {
    const auto cells = table.row(trial);
    nlohmann::ordered_json row;
    for (std::size_t i = 0; i < cells.size(); ++i) row[columns[i]] = json_cell(cells[i]);
    out << (first ? "\n" : ",\n") << row.dump();
    first = false;
  });
  out << "\n]\n";
}

int export_command(const ExportArgs& args) {
  LogReader log(args.log);
  TrialTable table(log.header(), log.hosts(), log.metric_names());
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (!args.output.empty()) {
    // Truncating the log would lose the study (also under a running study's writer).
    if (same_file(args.output, args.log))
      throw InputError(fmt::format("{}: that is the log being read; the export would overwrite it", args.output));
    refuse_hdf5_output(args.output, args.force, "export");
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) throw InputError(fmt::format("{}: cannot write the export file", args.output));
    out = &file;
  }
  if (args.format == "csv") write_csv(*out, log, table);
  else write_json(*out, log, table);
  out->flush();
  if (!*out) throw Error(fmt::format("writing the export failed{}", args.output.empty() ? "" : ": " + args.output));
  return exit_ok;
}

}  // namespace

Command add_export(CLI::App& app) {
  auto args = std::make_shared<ExportArgs>();
  auto* sub = app.add_subcommand("export", "Export a log's trials as one flat table (CSV or JSON), one row per trial");
  sub->add_option("log", args->log, "HDF5 log of a study (finished or running)")->required();
  sub->add_option("--format", args->format, "csv or json (default csv)")->check(CLI::IsMember({"csv", "json"}));
  sub->add_option("-o,--output", args->output, "Write to this file instead of standard output");
  sub->add_flag("--force", args->force, "Overwrite the output file even when it is an HDF5 file (another study's log)");
  return [args] { return export_command(*args); };
}

}  // namespace h5tune::cli
