// Installed programs from the Uninstall keys.
#include "platform/windows/installed_software.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "platform/parse/text.h"
#include "platform/parse/windows_time.h"

namespace mamori::platform {
namespace {

std::string ReadTrimmed(RegistryReader& registry, std::string_view key, std::string_view value) {
  return std::string(parse::TrimAsciiWhitespace(registry.ReadString(key, value).value_or("")));
}

auto SortKey(const facts::InstalledSoftware& software) {
  return std::tie(software.name, software.version, software.publisher, software.installed_at);
}

}  // namespace

std::vector<facts::InstalledSoftware> ListInstalledSoftware(RegistryReader& registry) {
  std::vector<facts::InstalledSoftware> found;
  for (const std::string_view root : {kUninstallKey, kUninstallWow64Key}) {
    for (const std::string& name : registry.ListSubkeys(root)) {
      if (found.size() >= kMaxInstalledSoftware) {
        break;
      }
      const std::string key = std::string(root) + "\\" + name;
      if (registry.ReadDword(key, "SystemComponent") == 1u ||
          registry.ValueExists(key, "ParentKeyName")) {
        continue;
      }
      facts::InstalledSoftware software;
      software.name = ReadTrimmed(registry, key, "DisplayName");
      if (software.name.empty()) {
        continue;
      }
      software.version = ReadTrimmed(registry, key, "DisplayVersion");
      software.publisher = ReadTrimmed(registry, key, "Publisher");
      software.installed_at = parse::ParseYyyymmdd(ReadTrimmed(registry, key, "InstallDate"));
      found.push_back(std::move(software));
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return SortKey(a) < SortKey(b); });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

}  // namespace mamori::platform
