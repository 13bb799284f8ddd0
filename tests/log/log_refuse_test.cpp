#include <gtest/gtest.h>
#include <hdf5.h>

#include <random>

#include "h5tune/error.hpp"
#include "log/log_fixture.hpp"

namespace h5tune {
namespace {

using test::sample_header;
using test::sample_trial;

/// The message of the LogFormatError that reading `path` throws ("" if none was thrown).
std::string format_error_of(const std::filesystem::path& path) {
  try {
    test::read_everything(path);
  } catch (const LogFormatError& e) {
    return e.what();
  }
  return "";
}

std::filesystem::path write_good_log(const test::TempDir& dir) {
  const auto path = dir / "good.h5";
  LogWriter writer(path, sample_header(), false);
  writer.host_index("node001");
  for (int id = 0; id < 2000; ++id) {
    TrialRecord t = sample_trial(id, true);
    if (id % 100 == 0) t.stderr_tail = "warning: something\n";
    writer.write_trial(t);
    writer.write_event({1.7e9 + id, EventKind::tell, id, 1});
    writer.write_report({id, 1, 1.7e9 + id, {{"val_acc", 0.5}}});
    if (id % 256 == 255) writer.flush();
  }
  return path;
}

TEST(LogRefuse, MissingFile) {
  test::TempDir dir;
  const auto message = format_error_of(dir / "nope.h5");
  EXPECT_NE(message.find("nope.h5: no such file"), std::string::npos) << message;
}

TEST(LogRefuse, RandomBytes) {
  test::TempDir dir;
  std::mt19937 rng(7);
  std::string bytes(64 * 1024, '\0');
  for (auto& b : bytes) b = static_cast<char>(rng());
  test::write_bytes(dir / "random.h5", bytes);
  const auto message = format_error_of(dir / "random.h5");
  EXPECT_NE(message.find("random.h5: not an HDF5 file"), std::string::npos) << message;

  // The HDF5 signature followed by garbage gets past the signature check, not further.
  bytes.replace(0, 8, "\x89HDF\r\n\x1a\n");
  test::write_bytes(dir / "signature.h5", bytes);
  EXPECT_NE(format_error_of(dir / "signature.h5").find("signature.h5: "), std::string::npos);
}

TEST(LogRefuse, ForeignHdf5File) {
  test::TempDir dir;
  const auto path = dir / "foreign.h5";
  {
    const hid_t file = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hsize_t dims = 4;
    const hid_t space = H5Screate_simple(1, &dims, nullptr);
    const hid_t dataset = H5Dcreate2(file, "/data", H5T_NATIVE_DOUBLE, space, H5P_DEFAULT,
                                     H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(dataset, 0);
    H5Dclose(dataset);
    H5Sclose(space);
    H5Fclose(file);
  }
  const auto message = format_error_of(path);
  EXPECT_NE(message.find("foreign.h5: not an h5tune log"), std::string::npos) << message;
}

TEST(LogRefuse, NewerFormatVersion) {
  test::TempDir dir;
  const auto path = dir / "newer.h5";
  { LogWriter writer(path, sample_header(), false); }
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t attr = H5Aopen(file, "format_version", H5P_DEFAULT);
    ASSERT_GE(attr, 0);
    const int newer = log_format_version + 1;
    EXPECT_GE(H5Awrite(attr, H5T_NATIVE_INT, &newer), 0);
    H5Aclose(attr);
    H5Fclose(file);
  }
  const auto message = format_error_of(path);
  const std::string expected = "newer.h5: written by a newer h5tune (format " +
                               std::to_string(log_format_version + 1) + "); this build reads up to " +
                               std::to_string(log_format_version);
  EXPECT_NE(message.find(expected), std::string::npos) << message;
}

// A corrupt extent is a number a reader would size its buffers by (found by fuzzing: a
// log claiming billions of rows made `show` allocate gigabytes): refused, not read.
TEST(LogRefuse, ExtentBeyondStoredDataIsRefused) {
  test::TempDir dir;
  const auto path = write_good_log(dir);
  {
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    ASSERT_GE(file, 0);
    const hid_t events = H5Dopen2(file, "/events", H5P_DEFAULT);
    ASSERT_GE(events, 0);
    const hsize_t claimed = hsize_t{4} << 30;
    EXPECT_GE(H5Dset_extent(events, &claimed), 0);
    H5Dclose(events);
    H5Fclose(file);
  }
  const auto message = format_error_of(path);
  EXPECT_NE(message.find("/events claims 4294967296 rows but its stored data holds at most"), std::string::npos)
      << message;
}

// A 14 KB file whose root group header claims 755 MB (found by fuzzing): libhdf5 allocated
// and decoded it into 7.8 GB over 25 s. Under the reader's memory cap it fails at once.
TEST(LogRefuse, OversizedObjectHeaderIsRefusedWithoutGigabytes) {
  const auto path = std::filesystem::path(H5TUNE_SOURCE_DIR) / "fuzz/corpus/log_reader/oversized_root_object_header.h5";
  const auto message = format_error_of(path);
  EXPECT_NE(message.find("cannot open it as HDF5 (truncated or corrupt?)"), std::string::npos) << message;
  EXPECT_NE(message.find("memory allocation failed"), std::string::npos) << message;
  // The cap is lifted again: a good log still opens and reads.
  test::TempDir dir;
  EXPECT_EQ(format_error_of(write_good_log(dir)), "");
}

TEST(LogRefuse, TruncatedFilesAtManySizes) {
  test::TempDir dir;
  const std::string bytes = test::file_bytes(write_good_log(dir));
  ASSERT_GT(bytes.size(), 100000u);
  std::vector<std::size_t> sizes{0, 8, 100, 512, 2048, 4096, 10000, 50000};
  for (std::size_t k = 1; k < 8; ++k) sizes.push_back(bytes.size() * k / 8);
  sizes.push_back(bytes.size() - 1);
  for (const std::size_t size : sizes) {
    SCOPED_TRACE("truncated to " + std::to_string(size) + " of " + std::to_string(bytes.size()) + " bytes");
    const auto path = dir / ("cut" + std::to_string(size) + ".h5");
    test::write_bytes(path, bytes.substr(0, size));
    EXPECT_NE(format_error_of(path).find(path.filename().string() + ": "), std::string::npos);
  }
}

// A program that uses the library may meet a corrupt log more than once. Each read must be
// refused with a LogFormatError naming the file, and a good log read afterwards must read
// whole. The message itself may differ between reads: on bad_dataspace_version_in_attribute.h5
// libhdf5 1.10.8 reads one byte past a heap block while decoding the attribute (valgrind, in
// a fresh process), so what it decodes depends on its neighbour (docs/fuzzing.md).
TEST(LogRefuse, CorruptLogsReadTwiceInOneProcessThenAGoodLog) {
  const std::filesystem::path corpus = std::filesystem::path(H5TUNE_SOURCE_DIR) / "fuzz/corpus/log_reader";
  for (const char* name : {"bad_dataspace_version_in_attribute.h5", "attribute_read_after_freed_state.h5",
                           "corrupt_object_header_checksum.h5", "oversized_root_object_header.h5"}) {
    SCOPED_TRACE(name);
    const std::string named = (corpus / name).string() + ": ";
    for (int read = 0; read < 2; ++read) {
      const auto message = format_error_of(corpus / name);
      EXPECT_EQ(message.rfind(named, 0), 0u) << "read " << read << ": " << message;
      EXPECT_GT(message.size(), named.size()) << "read " << read << ": the refusal says why";
    }
  }
  test::TempDir dir;
  const auto path = write_good_log(dir);
  const LogReader reader(path);
  EXPECT_EQ(reader.trials().size(), 2000u);
  EXPECT_EQ(reader.reports().size(), 1000u);  // even ids: their report's attempt (0) is the trial's
  EXPECT_EQ(reader.hosts(), std::vector<std::string>{"node001"});
}

TEST(LogRefuse, ExistingFileWithoutOverwriteIsLeftUntouched) {
  test::TempDir dir;
  const auto path = write_good_log(dir);
  const std::string before = test::file_bytes(path);
  try {
    LogWriter writer(path, sample_header(), false);
    FAIL() << "an existing log was opened for writing";
  } catch (const LogExistsError& e) {
    EXPECT_EQ(e.log(), path.string());
    EXPECT_NE(std::string(e.what()).find("log exists"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::file_bytes(path), before);

  { LogWriter writer(path, sample_header(), true); }  // --force replaces it
  EXPECT_EQ(LogReader(path).trial_count(), 0);
}

TEST(LogRefuse, MissingDirectoryIsAnInputError) {
  test::TempDir dir;
  const auto path = dir / "no" / "such" / "run.h5";
  try {
    LogWriter writer(path, sample_header(), false);
    FAIL() << "created a log in a missing directory";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "no"));
}

}  // namespace
}  // namespace h5tune
