#include <mpi.h>

#include <atomic>
#include <cstdlib>
#include <exception>
#include <memory>

#include <fmt/format.h>

#include "h5tune/error.hpp"
#include "h5tune/runtime.hpp"
#include "runtime/mpi_transport.hpp"
#include "runtime/session.hpp"
#include "runtime/trials_dir.hpp"

namespace h5tune {
namespace {

// Environments alive that decided to run as one process without MPI.
std::atomic<int> single_process_environments{0};

/// True when an MPI launcher started this process: Open MPI's mpiexec, a PMIx launcher
/// (srun --mpi=pmix) or a PMI one (MPICH's hydra, srun --mpi=pmi2).
bool started_by_mpi_launcher() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

}  // namespace

Environment::Environment(int& argc, char**& argv) {
  int initialized = 0;
  runtime::check_mpi(MPI_Initialized(&initialized), "checking MPI");
  if (!initialized && !started_by_mpi_launcher()) {
    single_process_ = true;
    ++single_process_environments;
    return;
  }
  if (!initialized) {
    int provided = 0;
    runtime::check_mpi(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "initializing MPI");
    finalize_ = true;
  }
  runtime::check_mpi(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "asking the rank");
  runtime::check_mpi(MPI_Comm_size(MPI_COMM_WORLD, &size_), "asking the size");
}

Environment::~Environment() {
  if (single_process_) --single_process_environments;
  if (!finalize_) return;
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

namespace {
// Every rank's host name, in rank order (rank 0 writes them into the log header).
std::vector<std::string> gather_hostnames(MPI_Comm comm, int size) {
  constexpr int width = 256;
  std::string mine = runtime::host_name();
  mine.resize(width - 1);
  std::vector<char> all(static_cast<std::size_t>(width) * static_cast<std::size_t>(size));
  runtime::check_mpi(MPI_Allgather(mine.c_str(), width, MPI_CHAR, all.data(), width, MPI_CHAR, comm),
                     "gathering host names");
  std::vector<std::string> names;
  for (int i = 0; i < size; ++i) names.emplace_back(all.data() + static_cast<std::ptrdiff_t>(i) * width);
  return names;
}
// A duplicate of MPI_COMM_WORLD for the lifetime of one run.
class RunCommunicator {
 public:
  RunCommunicator() { runtime::check_mpi(MPI_Comm_dup(MPI_COMM_WORLD, &comm_), "creating the run's communicator"); }
  ~RunCommunicator() { MPI_Comm_free(&comm_); }
  RunCommunicator(const RunCommunicator&) = delete;
  RunCommunicator& operator=(const RunCommunicator&) = delete;
  MPI_Comm get() const noexcept { return comm_; }

 private:
  MPI_Comm comm_ = MPI_COMM_NULL;
};

/// The trial directories' check, before the log: by rank 0 alone (ranks probing at once
/// would remove each other's probe directories), its verdict shared so that every rank
/// refuses together instead of the workers waiting for a manager that gave up.
void check_trials_dir_on_rank0(const StudyConfig& study, MPI_Comm comm, int rank) {
  std::exception_ptr refused;
  int ok = 1;
  if (rank == 0) {
    try {
      runtime::check_trials_dir(study);
    } catch (const InputError&) {
      refused = std::current_exception();
      ok = 0;
    }
  }
  runtime::check_mpi(MPI_Bcast(&ok, 1, MPI_INT, 0, comm), "sharing the trial directories' check");
  if (ok) return;
  if (refused) std::rethrow_exception(refused);
  throw InputError("rank 0 refused the study's trial directories");  // rank 0 says why
}

}  // namespace

RunSummary run_study(const StudyConfig& study, Objective& objective, const RunOptions& options) {
  int initialized = 0;
  runtime::check_mpi(MPI_Initialized(&initialized), "checking MPI");
  const std::atomic<bool>* stop = nullptr;
  if (!initialized) {
    if (single_process_environments.load() == 0)
      throw Error("run_study needs an h5tune::Environment: construct one at the start of main()");
    runtime::check_trials_dir(study);  // before the log is created
    stop = runtime::install_stop_handlers();
    return runtime::run_in_process(study, objective, options, 1, stop);
  }
  int rank = 0;
  int size = 1;
  runtime::check_mpi(MPI_Comm_rank(MPI_COMM_WORLD, &rank), "asking the rank");
  runtime::check_mpi(MPI_Comm_size(MPI_COMM_WORLD, &size), "asking the size");
  if (size == 1) {
    runtime::check_trials_dir(study);
    stop = runtime::install_stop_handlers();
    return runtime::run_in_process(study, objective, options, 1, stop);
  }
  stop = runtime::install_stop_handlers();

  // Each run talks on its own communicator: a message a run left unreceived (a worker's
  // hello after rank 0 refused to start) can never reach the next run of the program.
  const RunCommunicator comm;
  check_trials_dir_on_rank0(study, comm.get(), rank);
  auto hostnames = gather_hostnames(comm.get(), size);
  runtime::MpiTransport transport(comm.get());
  if (rank == 0) {
    RunSummary summary = runtime::run_manager(study, transport, options, std::move(hostnames), stop);
    transport.drain();
    return summary;
  }
  const auto worker = runtime::run_worker(study, transport, objective);
  transport.drain();
  RunSummary summary;
  summary.manager = false;
  summary.trials = worker.trials;
  return summary;
}

}  // namespace h5tune
