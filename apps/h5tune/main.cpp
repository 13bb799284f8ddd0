#include <iostream>

#include <CLI/CLI.hpp>

#include "cli_errors.hpp"
#include "commands.hpp"
#include "h5tune/version.hpp"

int main(int argc, char** argv) {
  using namespace h5tune::cli;
  CLI::App app{"h5tune: hyperparameter optimization on HPC clusters, logged to HDF5"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(h5tune::version()) + " (" + std::string(h5tune::git_sha()) + ")");
  const Command run = add_run(app, argc, argv);
  const Command show = add_show(app);
  const Command export_ = add_export(app);
  const Command submit = add_submit(app);
  const Command report = add_report(app);
  const Command replay = add_replay(app);
  const Command compare = add_compare(app);
  const Command simulate = add_simulate(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
    std::cerr << "h5tune: error: " << command_line_error(e.what(), {argv + 1, argv + argc}, names)
              << "\n(see h5tune --help)\n";
    return exit_bad_input;
  }
  for (auto* sub : app.get_subcommands()) {
    if (sub->get_name() == "run") return run();
    if (sub->get_name() == "show") return guarded(show);
    if (sub->get_name() == "export") return guarded(export_);
    if (sub->get_name() == "submit") return submit();
    if (sub->get_name() == "report") return guarded(report);
    if (sub->get_name() == "replay") return guarded(replay);
    if (sub->get_name() == "compare") return guarded(compare);
    if (sub->get_name() == "simulate") return guarded(simulate);
  }
  return exit_bad_input;
}
