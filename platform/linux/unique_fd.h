// An owned POSIX file descriptor, closed when it goes out of scope: the one RAII fd of the Linux
// probes, the agent's TCP connection and the collector's key files.
#pragma once

#include <unistd.h>

#include <utility>

namespace mamori::platform {

class UniqueFd {
 public:
  explicit UniqueFd(int fd = -1) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  // Hands the fd on (e.g. to an object that closes it itself).
  int release() { return std::exchange(fd_, -1); }
  void Reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_;
};

}  // namespace mamori::platform
