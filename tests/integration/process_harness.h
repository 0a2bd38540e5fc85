// What the end-to-end tests share: running a binary to completion with its output captured, and a
// `mamori-collector serve` process that reports the address it bound and stops with SIGTERM.
#pragma once

#include <signal.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace mamori::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `args` (the binary first) to completion, with `input` on its standard input (a password, as
// `user add --password` reads it; nothing, then end of file, by default).
inline CommandResult RunCommand(const std::vector<std::string>& args,
                                const std::string& input = {}) {
  boost::process::opstream in;
  boost::process::ipstream out;
  boost::process::ipstream err;
  boost::process::child child(args, boost::process::std_in<in, boost::process::std_out> out,
                              boost::process::std_err > err);
  in << input << std::flush;
  in.pipe().close();
  CommandResult result;
  // Drain stderr on a thread so a chatty child cannot block on a full pipe.
  std::thread err_reader([&] { result.err.assign(std::istreambuf_iterator<char>(err), {}); });
  result.out.assign(std::istreambuf_iterator<char>(out), {});
  err_reader.join();
  child.wait();
  result.exit_code = child.exit_code();
  return result;
}

// A `serve` process for one test. `args` is the whole command line; its stderr goes to `log`.
// address() is empty when the collector did not start (Log() says why).
class CollectorProcess {
 public:
  CollectorProcess(const std::vector<std::string>& args, std::filesystem::path log)
      : log_(std::move(log)),
        child_(args, boost::process::std_out > out_, boost::process::std_err > log_.string()) {
    std::string line;
    while (std::getline(out_, line)) {
      if (line.rfind("listening on ", 0) == 0) {
        address_ = line.substr(std::string("listening on ").size());
        break;
      }
    }
  }
  ~CollectorProcess() { Stop(); }
  CollectorProcess(const CollectorProcess&) = delete;
  CollectorProcess& operator=(const CollectorProcess&) = delete;

  const std::string& address() const { return address_; }

  // The next line the process writes on stdout after "listening on" (serve's "console on
  // https://..." line), or "" once stdout ends. Blocks until then: stop the process to end a wait.
  std::string NextStdoutLine() {
    std::string line;
    if (!std::getline(out_, line)) {
      return "";
    }
    return line;
  }

  std::string Log() const {
    std::ifstream in(log_);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  int pid() const { return child_.id(); }

  // SIGKILL (a power cut, as the fault tests do it), then reaped: nothing of the collector runs on.
  void Kill() {
    if (child_.running()) {
      ::kill(child_.id(), SIGKILL);
      child_.wait();
      exit_code_ = child_.exit_code();
    }
  }

  // SIGTERM, then the exit code (the same code on later calls).
  int Stop() {
    if (child_.running()) {
      ::kill(child_.id(), SIGTERM);
      child_.wait();
      exit_code_ = child_.exit_code();
    }
    return exit_code_;
  }

 private:
  std::filesystem::path log_;
  boost::process::ipstream out_;
  boost::process::child child_;
  std::string address_;
  int exit_code_ = -1;
};

}  // namespace mamori::testing
