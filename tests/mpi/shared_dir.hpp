#pragma once
// What every MPI test needs: the rank, and one temporary directory shared by all ranks.
#include <mpi.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "support/temp_dir.hpp"

namespace h5tune::test {

inline int world_rank() {
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  return rank;
}

inline int world_size() {
  int size = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  return size;
}

/// Rank 0 makes a temporary directory and every rank uses its path.
class SharedDir {
 public:
  SharedDir() {
    char path[4096] = {};
    if (world_rank() == 0) {
      dir_ = std::make_unique<TempDir>();
      std::snprintf(path, sizeof path, "%s", dir_->path().c_str());
    }
    MPI_Bcast(path, sizeof path, MPI_CHAR, 0, MPI_COMM_WORLD);
    path_ = path;
  }
  ~SharedDir() { MPI_Barrier(MPI_COMM_WORLD); }
  SharedDir(const SharedDir&) = delete;
  SharedDir& operator=(const SharedDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::unique_ptr<TempDir> dir_;
  std::filesystem::path path_;
};

}  // namespace h5tune::test
