// Runs apt-get's simulation through RunBoundedChild and describes how apt failed.
#include "platform/linux/package_update_source.h"

#include <sys/wait.h>

#include <algorithm>
#include <utility>

#include "platform/linux/bounded_command.h"

namespace mamori::platform {
namespace {

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
    ChildRun run =
        RunBoundedChild({apt_get_.string(), "-s", "-o", "Debug::NoLocking=1", "dist-upgrade"},
                        "apt-get", timeout_, kMaxSimulationOutputBytes);
    SimulationOutput result;
    result.text = std::move(run.text);
    if (!run.failure.empty()) {
      result.error = std::move(run.failure);
    } else if (!WIFEXITED(run.wait_status) || WEXITSTATUS(run.wait_status) != 0) {
      result.error = DescribeFailure(run.wait_status, result.text);
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
