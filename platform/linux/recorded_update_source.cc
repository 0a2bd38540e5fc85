// The recorded apt simulation of an offline root.
#include "platform/linux/recorded_update_source.h"

#include <string>
#include <utility>

#include "platform/linux/bounded_file.h"

namespace mamori::platform {
namespace {

class RecordedUpdateSource final : public PackageUpdateSource {
 public:
  explicit RecordedUpdateSource(std::filesystem::path root) : root_(std::move(root)) {}

  SimulationOutput Simulate() override {
    const std::filesystem::path path = root_ / kRecordedSimulationPath;
    FileText file = ReadBoundedFile(path, kMaxSimulationOutputBytes);
    if (!file.ok()) {
      return {{}, "cannot read the recorded simulation " + path.string() + ": " + file.error};
    }
    return {std::move(file.text), {}};
  }

 private:
  std::filesystem::path root_;
};

}  // namespace

std::unique_ptr<PackageUpdateSource> MakeRecordedUpdateSource(std::filesystem::path root) {
  return std::make_unique<RecordedUpdateSource>(std::move(root));
}

}  // namespace mamori::platform
