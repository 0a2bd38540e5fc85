// A throwaway root tree for probe tests that need what a checked-in fixture cannot hold (symlink
// loops, FIFOs, huge files, file times), removed when the test ends.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>

namespace mamori::testing {

class ScratchRoot {
 public:
  explicit ScratchRoot(const std::string& prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchRoot() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchRoot(const ScratchRoot&) = delete;
  ScratchRoot& operator=(const ScratchRoot&) = delete;

  const std::filesystem::path& path() const { return path_; }
  void Write(const std::string& relative, const std::string& text) const {
    std::filesystem::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary) << text;
  }
  void Symlink(const std::string& target, const std::string& relative) const {
    std::filesystem::create_directories((path_ / relative).parent_path());
    std::filesystem::create_symlink(target, path_ / relative);
  }
  // A sparse file of `size` bytes: a "2 GB" log without writing 2 GB.
  void WriteSparse(const std::string& relative, std::uintmax_t size,
                   const std::string& tail) const {
    Write(relative, "");
    std::filesystem::resize_file(path_ / relative, size - tail.size());
    std::ofstream(path_ / relative, std::ios::binary | std::ios::app) << tail;
  }

 private:
  std::filesystem::path path_;
};

}  // namespace mamori::testing
