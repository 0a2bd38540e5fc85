// Names the Windows release from its registry values.
#include "platform/parse/windows_version.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr uint64_t kFirstWindows11Build = 22000;

std::string CorrectedProductName(std::string product_name, std::optional<uint64_t> build) {
  constexpr std::string_view kWindows10 = "Windows 10";
  if (!build || *build < kFirstWindows11Build || product_name.find("Server") != std::string::npos) {
    return product_name;
  }
  const std::size_t at = product_name.find(kWindows10);
  if (at == std::string::npos) {
    return product_name;
  }
  const std::size_t after = at + kWindows10.size();
  // "Windows 10" as a whole word only: not "Windows 100".
  if (after < product_name.size() && product_name[after] != ' ') {
    return product_name;
  }
  product_name.replace(at, kWindows10.size(), "Windows 11");
  return product_name;
}

}  // namespace

WindowsRelease DescribeWindowsRelease(const WindowsVersionValues& values) {
  WindowsRelease release;
  const std::string_view build_text = TrimAsciiWhitespace(values.current_build);
  const std::optional<uint64_t> build = ParseDecimal(build_text);
  release.id = values.edition_id;
  release.name = CorrectedProductName(values.product_name, build);
  release.version = !values.display_version.empty() ? values.display_version : values.release_id;
  release.pretty_name = release.name;
  if (!release.name.empty() && !release.version.empty()) {
    release.pretty_name += " " + release.version;
  }
  if (build) {
    release.build = std::string(build_text);
    if (values.ubr) {
      release.build += "." + std::to_string(*values.ubr);
    }
    if (values.major_version && values.minor_version) {
      release.kernel_version = std::to_string(*values.major_version) + "." +
                               std::to_string(*values.minor_version) + "." +
                               std::string(build_text);
    }
  }
  return release;
}

WindowsVersionValues ReadWindowsVersionValues(platform::RegistryReader& registry) {
  const std::string_view key = kWindowsCurrentVersionKey;
  WindowsVersionValues values;
  values.product_name = registry.ReadString(key, "ProductName").value_or("");
  values.edition_id = registry.ReadString(key, "EditionID").value_or("");
  values.display_version = registry.ReadString(key, "DisplayVersion").value_or("");
  values.release_id = registry.ReadString(key, "ReleaseId").value_or("");
  std::optional<std::string> build = registry.ReadString(key, "CurrentBuild");
  if (!build) {
    build = registry.ReadString(key, "CurrentBuildNumber");
  }
  values.current_build = build.value_or("");
  values.ubr = registry.ReadDword(key, "UBR");
  values.major_version = registry.ReadDword(key, "CurrentMajorVersionNumber");
  values.minor_version = registry.ReadDword(key, "CurrentMinorVersionNumber");
  return values;
}

}  // namespace mamori::parse
