// Runs the real mamori-check binary for the end-to-end tests and captures its stdout and exit code.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace mamori::testing {

struct CheckRun {
  int exit_code = -1;
  std::string out;
};

// `args` is appended to the binary's path on a shell command line; stderr is discarded.
inline CheckRun RunCheckBinary(const std::string& binary, const std::string& args) {
  const std::string command = binary + " " + args + " 2>/dev/null";
  CheckRun run;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return run;
  }
  char buffer[4096];
  std::size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) {
    run.out.append(buffer, n);
  }
  const int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace mamori::testing
