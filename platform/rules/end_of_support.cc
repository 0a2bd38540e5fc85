// End-of-support dates. Sources: Microsoft's lifecycle and Windows release-information pages,
// Debian's LTS wiki and Ubuntu's release-cycle page, as summarised in ../shared/reference and
// checked with the search tool on 2026-11; dates marked "uncertain" were announced only to the
// month and use its last day.
#include "platform/rules/end_of_support.h"

#include <array>
#include <charconv>
#include <string_view>

namespace mamori::rules {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr year_month_day Date(int y, unsigned m, unsigned d) {
  return year_month_day{year{y}, month{m}, day{d}};
}

struct LinuxRelease {
  std::string_view os_id;
  std::string_view version_id;
  std::string_view product;
  year_month_day ends;
};

// Debian: the end of LTS (the community's security updates after the security team's own support).
// Ubuntu: the end of standard support; ESM through Ubuntu Pro cannot be seen from the facts, so a
// host relying on it is reported as past support and the clinic records the ESM contract as the
// reason.
constexpr std::array kLinuxReleases = {
    LinuxRelease{"debian", "9", "Debian 9 (stretch)", Date(2022, 6, 30)},
    LinuxRelease{"debian", "10", "Debian 10 (buster)", Date(2024, 6, 30)},
    LinuxRelease{"debian", "11", "Debian 11 (bullseye)", Date(2026, 8, 31)},
    LinuxRelease{"debian", "12", "Debian 12 (bookworm)", Date(2028, 6, 30)},
    LinuxRelease{"debian", "13", "Debian 13 (trixie)", Date(2030, 6, 30)},  // uncertain: planned
    LinuxRelease{"ubuntu", "18.04", "Ubuntu 18.04 LTS", Date(2023, 5, 31)},
    LinuxRelease{"ubuntu", "20.04", "Ubuntu 20.04 LTS", Date(2025, 5, 31)},
    LinuxRelease{"ubuntu", "22.04", "Ubuntu 22.04 LTS",
                 Date(2027, 6, 30)},  // uncertain: "June 2027"
    LinuxRelease{"ubuntu", "24.04", "Ubuntu 24.04 LTS",
                 Date(2029, 5, 31)},  // uncertain: "May 2029"
};

// Windows editions differ in servicing length: Home/Pro get 18-24 months per feature update,
// Enterprise/Education 30-36 months, LTSC a fixed 5 or 10 years.
enum class Edition { kHomePro, kEnterpriseEducation, kLtsc, kIotLtsc, kServer };

struct WindowsRelease {
  uint32_t build;
  Edition edition;
  std::string_view product;
  year_month_day ends;
};

constexpr std::array kWindowsReleases = {
    // Older clients still found on clinic PCs (Wine also reports itself as Windows 7).
    WindowsRelease{7601, Edition::kHomePro, "Windows 7 SP1", Date(2020, 1, 14)},
    WindowsRelease{7601, Edition::kEnterpriseEducation, "Windows 7 SP1", Date(2020, 1, 14)},
    WindowsRelease{9600, Edition::kHomePro, "Windows 8.1", Date(2023, 1, 10)},
    WindowsRelease{9600, Edition::kEnterpriseEducation, "Windows 8.1", Date(2023, 1, 10)},
    // Windows 10 general availability channel: 22H2 is the last release; 21H2 ended earlier.
    WindowsRelease{19045, Edition::kHomePro, "Windows 10 22H2 (Home/Pro)", Date(2025, 10, 14)},
    WindowsRelease{19045, Edition::kEnterpriseEducation, "Windows 10 22H2 (Enterprise/Education)",
                   Date(2025, 10, 14)},
    WindowsRelease{19044, Edition::kHomePro, "Windows 10 21H2 (Home/Pro)", Date(2023, 6, 13)},
    WindowsRelease{19044, Edition::kEnterpriseEducation, "Windows 10 21H2 (Enterprise/Education)",
                   Date(2024, 6, 11)},
    // Windows 10 LTSB/LTSC (資格確認端末 often run the IoT editions).
    WindowsRelease{10240, Edition::kLtsc, "Windows 10 Enterprise LTSB 2015", Date(2025, 10, 14)},
    WindowsRelease{10240, Edition::kIotLtsc, "Windows 10 IoT Enterprise LTSB 2015",
                   Date(2025, 10, 14)},
    WindowsRelease{14393, Edition::kLtsc, "Windows 10 Enterprise LTSB 2016", Date(2026, 10, 13)},
    WindowsRelease{14393, Edition::kIotLtsc, "Windows 10 IoT Enterprise LTSB 2016",
                   Date(2026, 10, 13)},
    WindowsRelease{17763, Edition::kLtsc, "Windows 10 Enterprise LTSC 2019", Date(2029, 1, 9)},
    WindowsRelease{17763, Edition::kIotLtsc, "Windows 10 IoT Enterprise LTSC 2019",
                   Date(2029, 1, 9)},
    WindowsRelease{19044, Edition::kLtsc, "Windows 10 Enterprise LTSC 2021", Date(2027, 1, 12)},
    WindowsRelease{19044, Edition::kIotLtsc, "Windows 10 IoT Enterprise LTSC 2021",
                   Date(2032, 1, 13)},
    // Windows 11.
    WindowsRelease{22000, Edition::kHomePro, "Windows 11 21H2 (Home/Pro)", Date(2023, 10, 10)},
    WindowsRelease{22000, Edition::kEnterpriseEducation, "Windows 11 21H2 (Enterprise/Education)",
                   Date(2024, 10, 8)},
    WindowsRelease{22621, Edition::kHomePro, "Windows 11 22H2 (Home/Pro)", Date(2024, 10, 8)},
    WindowsRelease{22621, Edition::kEnterpriseEducation, "Windows 11 22H2 (Enterprise/Education)",
                   Date(2025, 10, 14)},
    WindowsRelease{22631, Edition::kHomePro, "Windows 11 23H2 (Home/Pro)", Date(2025, 11, 11)},
    WindowsRelease{22631, Edition::kEnterpriseEducation, "Windows 11 23H2 (Enterprise/Education)",
                   Date(2026, 11, 10)},
    WindowsRelease{26100, Edition::kHomePro, "Windows 11 24H2 (Home/Pro)", Date(2026, 10, 13)},
    WindowsRelease{26100, Edition::kEnterpriseEducation, "Windows 11 24H2 (Enterprise/Education)",
                   Date(2027, 10, 12)},
    WindowsRelease{26200, Edition::kHomePro, "Windows 11 25H2 (Home/Pro)", Date(2027, 10, 12)},
    WindowsRelease{26200, Edition::kEnterpriseEducation, "Windows 11 25H2 (Enterprise/Education)",
                   Date(2028, 10, 10)},
    WindowsRelease{26100, Edition::kLtsc, "Windows 11 Enterprise LTSC 2024", Date(2029, 10, 9)},
    WindowsRelease{26100, Edition::kIotLtsc, "Windows 11 IoT Enterprise LTSC 2024",
                   Date(2034, 10, 10)},
    // Windows Server (extended support end).
    WindowsRelease{9200, Edition::kServer, "Windows Server 2012", Date(2023, 10, 10)},
    WindowsRelease{9600, Edition::kServer, "Windows Server 2012 R2", Date(2023, 10, 10)},
    WindowsRelease{14393, Edition::kServer, "Windows Server 2016", Date(2027, 1, 12)},
    WindowsRelease{17763, Edition::kServer, "Windows Server 2019", Date(2029, 1, 9)},
    WindowsRelease{20348, Edition::kServer, "Windows Server 2022", Date(2031, 10, 14)},
    WindowsRelease{26100, Edition::kServer, "Windows Server 2025", Date(2034, 10, 10)},
};

// Windows 10 feature updates before 21H2 (builds below 19044) were all out of servicing by this
// date (20H2 Enterprise/Education, the last of them).
constexpr year_month_day kOldWindows10Ended = Date(2023, 5, 9);

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// EditionID values: Core* = Home, Professional* = Pro, Enterprise/Education/IoTEnterprise, and the
// LTSC ones ending in S (EnterpriseS, EnterpriseSN, IoTEnterpriseS). "N" variants share the dates.
Edition WindowsEdition(const facts::Inventory& inventory) {
  const std::string_view id = inventory.os_id;
  if (inventory.os_name.find("Server") != std::string::npos || StartsWith(id, "Server")) {
    return Edition::kServer;
  }
  if (StartsWith(id, "IoTEnterpriseS")) {
    return Edition::kIotLtsc;
  }
  if (StartsWith(id, "EnterpriseS")) {
    return Edition::kLtsc;
  }
  if (StartsWith(id, "Enterprise") || StartsWith(id, "Education") ||
      StartsWith(id, "IoTEnterprise")) {
    return Edition::kEnterpriseEducation;
  }
  return Edition::kHomePro;
}

std::optional<uint32_t> WindowsBuild(const facts::Inventory& inventory) {
  const std::string_view text = inventory.os_build;
  uint32_t build = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), build);
  if (error != std::errc() || end == text.data()) {
    return std::nullopt;
  }
  return build;
}

std::optional<EndOfSupport> FindWindows(const facts::Inventory& inventory) {
  const std::optional<uint32_t> build = WindowsBuild(inventory);
  if (!build) {
    return std::nullopt;
  }
  const Edition edition = WindowsEdition(inventory);
  for (const WindowsRelease& release : kWindowsReleases) {
    if (release.build == *build && release.edition == edition) {
      return EndOfSupport{std::string(release.product), release.ends};
    }
  }
  if (edition != Edition::kServer && *build >= 10240 && *build < 19044) {
    return EndOfSupport{"Windows 10 (21H2より前のバージョン)", kOldWindows10Ended};
  }
  return std::nullopt;
}

}  // namespace

std::optional<EndOfSupport> FindEndOfSupport(const facts::Inventory& inventory) {
  if (inventory.os_family == facts::OsFamily::kWindows) {
    return FindWindows(inventory);
  }
  for (const LinuxRelease& release : kLinuxReleases) {
    if (release.os_id == inventory.os_id && release.version_id == inventory.os_version) {
      return EndOfSupport{std::string(release.product), release.ends};
    }
  }
  return std::nullopt;
}

}  // namespace mamori::rules
