// The seam between the patch probe and the package manager: running `apt-get -s dist-upgrade` is OS
// access (a child process, up to minutes of CPU), so the probe asks for it through this interface
// and tests hand it recorded outputs instead.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

namespace mamori::platform {

struct SimulationOutput {
  std::string text;   // stdout and stderr of the simulation
  std::string error;  // empty when the simulation ran and exited 0; otherwise why not
  bool ok() const { return error.empty(); }
};

class PackageUpdateSource {
 public:
  virtual ~PackageUpdateSource() = default;
  // Asks the package manager which updates it would install now, without installing anything.
  virtual SimulationOutput Simulate() = 0;
};

// No simulation prints more than this; a bigger output is refused (the child is killed).
inline constexpr std::size_t kMaxSimulationOutputBytes = 16 * 1024 * 1024;

// Runs `<apt_get> -s -o Debug::NoLocking=1 dist-upgrade` with LC_ALL=C (the parser reads apt's
// English summary line), stdin from /dev/null, killing it after `timeout`. Simulation needs no
// root and takes no lock, so it never blocks or disturbs a real apt run.
std::unique_ptr<PackageUpdateSource> MakeAptGetUpdateSource(
    std::filesystem::path apt_get = "/usr/bin/apt-get",
    std::chrono::seconds timeout = std::chrono::seconds(120));

}  // namespace mamori::platform
