// Runs a child process with a deadline and an output cap.
#include "platform/linux/bounded_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
#include <thread>
#include <utility>

#include "platform/linux/unique_fd.h"

namespace mamori::platform {
namespace {

using Clock = std::chrono::steady_clock;

std::string ErrnoText(std::string_view what, int error_number) {
  return std::string(what) + ": " + std::strerror(error_number);
}

std::string FirstLine(const std::string& text) {
  return text.substr(0, std::min<std::size_t>(text.find('\n'), 300));
}

}  // namespace

ChildRun RunBoundedChild(const std::vector<std::string>& argv_in, std::string_view name_in,
                         std::chrono::seconds timeout, std::size_t max_output) {
  ChildRun result;
  if (argv_in.empty()) {
    result.failure = "no program to run";
    return result;
  }
  const std::string& program = argv_in.front();
  const std::string name(name_in);
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.failure = ErrnoText("cannot create a pipe for " + name, errno);
    return result;
  }
  UniqueFd read_end(pipe_fds[0]);
  UniqueFd write_end(pipe_fds[1]);

  posix_spawn_file_actions_t actions;
  ::posix_spawn_file_actions_init(&actions);
  ::posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  ::posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  ::posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);

  std::vector<std::string> arguments = argv_in;
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
      ::posix_spawn(&child, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  ::posix_spawn_file_actions_destroy(&actions);
  write_end.Reset();  // the child holds the only write end now: EOF when it exits
  if (spawned != 0) {
    result.failure = ErrnoText("cannot run " + program, spawned);
    return result;
  }

  const Clock::time_point deadline = Clock::now() + timeout;
  std::string failure;
  char buffer[65536];
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      failure = name + " did not finish within " + std::to_string(timeout.count()) + " s";
      break;
    }
    pollfd watched{read_end.get(), POLLIN, 0};
    const int ready = ::poll(&watched, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (ready < 0 && errno != EINTR) {
      failure = ErrnoText("cannot wait for " + name, errno);
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
      failure = ErrnoText("cannot read the output of " + name, errno);
      break;
    }
    if (got == 0) {
      break;
    }
    if (result.text.size() + static_cast<std::size_t>(got) > max_output) {
      failure = name + " printed more than " + std::to_string(max_output) + " bytes";
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
        result.failure = ErrnoText("cannot wait for " + name, errno);
        return result;
      }
      if (Clock::now() >= deadline) {
        failure = name + " did not exit within " + std::to_string(timeout.count()) + " s";
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  if (!failure.empty()) {
    ::kill(child, SIGKILL);
    while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    result.failure = failure;
    return result;
  }
  result.wait_status = status;
  return result;
}

CommandOutput RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                                std::size_t max_output) {
  const std::string program = argv.empty() ? std::string() : argv.front();
  ChildRun run = RunBoundedChild(argv, program, timeout, max_output);
  CommandOutput result;
  result.text = std::move(run.text);
  if (!run.failure.empty()) {
    result.error = std::move(run.failure);
  } else if (WIFEXITED(run.wait_status) && WEXITSTATUS(run.wait_status) != 0) {
    result.error = program + " exited with status " + std::to_string(WEXITSTATUS(run.wait_status)) +
                   ": " + FirstLine(result.text);
  } else if (!WIFEXITED(run.wait_status)) {
    result.error = program + " ended abnormally";
  }
  return result;
}

}  // namespace mamori::platform
