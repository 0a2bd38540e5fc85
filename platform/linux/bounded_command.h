// Runs a program as a child process with a deadline and an output cap: for the few facts only a
// command can tell (the live nftables ruleset, apt's update simulation). Never through a shell.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::platform {

struct CommandOutput {
  std::string text;   // stdout and stderr together
  std::string error;  // empty when the program ran and exited 0; otherwise why not
  bool ok() const { return error.empty(); }
};

// How a bounded child ended, for callers that describe a non-zero exit themselves.
struct ChildRun {
  std::string text;     // stdout and stderr together
  std::string failure;  // why it was not run to its end (not started, killed, ...); else empty
  int wait_status = 0;  // from waitpid(), when failure is empty
};

// argv[0] is the program's absolute path; `name` is what failure messages call it. stdin is
// /dev/null, the environment only LC_ALL=C and a fixed PATH. The child is killed when it runs past
// timeout or prints more than max_output bytes.
ChildRun RunBoundedChild(const std::vector<std::string>& argv, std::string_view name,
                         std::chrono::seconds timeout, std::size_t max_output);

// RunBoundedChild named by argv[0], with a non-zero exit reported as an error.
CommandOutput RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                                std::size_t max_output);

}  // namespace mamori::platform
