// Runs apt-get's simulation in a child process with a deadline and an output cap.
#include "platform/linux/package_update_source.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace mamori::platform {
namespace {

using Clock = std::chrono::steady_clock;

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }

 private:
  int fd_;
};

std::string ErrnoText(std::string_view what, int error_number) {
  return std::string(what) + ": " + std::strerror(error_number);
}

// "exited with status 100" plus the first "E:" line apt printed, which says why.
std::string DescribeFailure(int status, const std::string& output) {
  std::string description;
  if (WIFEXITED(status)) {
    description = "apt-get exited with status " + std::to_string(WEXITSTATUS(status));
  } else if (WIFSIGNALED(status)) {
    description = "apt-get was killed by signal " + std::to_string(WTERMSIG(status));
  } else {
    description = "apt-get ended abnormally";
  }
  std::size_t at = output.compare(0, 3, "E: ") == 0 ? 0 : output.find("\nE: ");
  if (at != std::string::npos && output[at] == '\n') {
    ++at;
  }
  if (at != std::string::npos) {
    const std::size_t end = output.find('\n', at);
    description += " (" + output.substr(at, std::min<std::size_t>(end - at, 300)) + ")";
  }
  return description;
}

class AptGetUpdateSource final : public PackageUpdateSource {
 public:
  AptGetUpdateSource(std::filesystem::path apt_get, std::chrono::seconds timeout)
      : apt_get_(std::move(apt_get)), timeout_(timeout) {}

  SimulationOutput Simulate() override {
    SimulationOutput result;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      result.error = ErrnoText("cannot create a pipe for apt-get", errno);
      return result;
    }
    Fd read_end(pipe_fds[0]);
    Fd write_end(pipe_fds[1]);

    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    ::posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    ::posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);

    std::vector<std::string> arguments = {apt_get_.string(), "-s", "-o", "Debug::NoLocking=1",
                                          "dist-upgrade"};
    std::vector<std::string> environment = {"LC_ALL=C", "LANG=C",
                                            "PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
    std::vector<char*> argv;
    for (std::string& argument : arguments) {
      argv.push_back(argument.data());
    }
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (std::string& variable : environment) {
      envp.push_back(variable.data());
    }
    envp.push_back(nullptr);

    pid_t child = -1;
    const int spawned =
        ::posix_spawn(&child, apt_get_.c_str(), &actions, nullptr, argv.data(), envp.data());
    ::posix_spawn_file_actions_destroy(&actions);
    write_end.Reset();  // the child holds the only write end now: EOF when it exits
    if (spawned != 0) {
      result.error = ErrnoText("cannot run " + apt_get_.string(), spawned);
      return result;
    }

    const Clock::time_point deadline = Clock::now() + timeout_;
    std::string failure;
    char buffer[65536];
    while (true) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        failure = "apt-get did not finish within " + std::to_string(timeout_.count()) + " s";
        break;
      }
      pollfd watched{read_end.get(), POLLIN, 0};
      const int ready = ::poll(&watched, 1, static_cast<int>(std::min<long long>(left, 1000)));
      if (ready < 0 && errno != EINTR) {
        failure = ErrnoText("cannot wait for apt-get", errno);
        break;
      }
      if (ready <= 0) {
        continue;
      }
      const ssize_t got = ::read(read_end.get(), buffer, sizeof(buffer));
      if (got < 0) {
        if (errno == EINTR || errno == EAGAIN) {
          continue;
        }
        failure = ErrnoText("cannot read apt-get's output", errno);
        break;
      }
      if (got == 0) {
        break;
      }
      if (result.text.size() + static_cast<std::size_t>(got) > kMaxSimulationOutputBytes) {
        failure =
            "apt-get printed more than " + std::to_string(kMaxSimulationOutputBytes) + " bytes";
        break;
      }
      result.text.append(buffer, static_cast<std::size_t>(got));
    }

    int status = 0;
    if (failure.empty()) {
      // Output ended; the child exits right after. Still bounded by the deadline.
      while (true) {
        const pid_t waited = ::waitpid(child, &status, WNOHANG);
        if (waited == child) {
          break;
        }
        if (waited < 0 && errno != EINTR) {
          result.error = ErrnoText("cannot wait for apt-get", errno);
          return result;
        }
        if (Clock::now() >= deadline) {
          failure = "apt-get did not exit within " + std::to_string(timeout_.count()) + " s";
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (!failure.empty()) {
      ::kill(child, SIGKILL);
      while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
      }
      result.error = failure;
      return result;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      result.error = DescribeFailure(status, result.text);
    }
    return result;
  }

 private:
  std::filesystem::path apt_get_;
  std::chrono::seconds timeout_;
};

}  // namespace

std::unique_ptr<PackageUpdateSource> MakeAptGetUpdateSource(std::filesystem::path apt_get,
                                                            std::chrono::seconds timeout) {
  return std::make_unique<AptGetUpdateSource>(std::move(apt_get), timeout);
}

}  // namespace mamori::platform
