// Runs a program as a child process with a deadline and an output cap: for the few facts only a
// command can tell (the live nftables ruleset). Never through a shell.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace mamori::platform {

struct CommandOutput {
  std::string text;   // stdout and stderr together
  std::string error;  // empty when the program ran and exited 0; otherwise why not
  bool ok() const { return error.empty(); }
};

// argv[0] is the program's absolute path. stdin is /dev/null, the environment only LC_ALL=C and a
// fixed PATH. The child is killed when it runs past timeout or prints more than max_output bytes.
CommandOutput RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::seconds timeout,
                                std::size_t max_output);

}  // namespace mamori::platform
