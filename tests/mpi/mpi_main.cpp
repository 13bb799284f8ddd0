// GoogleTest under mpiexec: every rank runs every test (each test is a whole study, rank 0
// the manager); only rank 0 prints, and the exit code is rank 0's verdict.
#include <mpi.h>

#include <gtest/gtest.h>

#include "h5tune/runtime.hpp"

int main(int argc, char** argv) {
  h5tune::Environment env(argc, argv);
  ::testing::InitGoogleTest(&argc, argv);
  if (env.rank() != 0) {
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  int failed = RUN_ALL_TESTS();
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return failed;
}
