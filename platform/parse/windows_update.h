// What the Windows patch probe reads, decoded: KB numbers in update titles, the build a cumulative
// update's servicing package carries, Win32_QuickFixEngineering's InstalledOn text, the Windows
// Update Agent's operation and result codes, and its HRESULTs. Pure, tested on every OS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// "KB5044285" from a title such as "2024-10 x64 ベース システム用 Windows 11 Version 23H2
// の累積更新 プログラム (KB5044285)" or a path such as "Windows10.0-KB5044273-x64.cab": "KB" (any
// case) not preceded by a letter or digit, then 6 to 8 digits not followed by another digit. The
// first match wins; empty when there is none.
std::string FindKbArticle(std::string_view text);

// A cumulative update's servicing package, e.g.
// "Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10" (name~key~arch~language~version):
// the version's first two parts are the OS build and its update revision (UBR) after the update.
struct RollupFixPackage {
  uint32_t build = 0;     // 19041
  uint32_t revision = 0;  // 5073
  std::string BuildText() const { return std::to_string(build) + "." + std::to_string(revision); }
  friend auto operator<=>(const RollupFixPackage&, const RollupFixPackage&) = default;
};

// nullopt for any other package name and for a malformed version.
std::optional<RollupFixPackage> ParseRollupFixPackage(std::string_view package_name);

// Component Based Servicing's CurrentState: 0x70 installed, 0x80 permanent (cannot be removed);
// 0x50 superseded, 0x60 install pending, 0x65 partially installed and the rest are not in effect.
bool IsCbsStateInstalled(uint32_t current_state);

// Win32_QuickFixEngineering.InstalledOn, which is free text written by whatever installed the fix:
//   "10/15/2024"       month/day/year, the usual form whatever the display language
//   "15/10/2024"       day first, recognised only when the first number cannot be a month
//   "2024/10/15", "2024-10-15", "20241015"  year first
//   "01db1f2d4b6b8a00" 16 hex digits, a FILETIME (older hotfix installers)
// Dates become midnight UTC of that day (the text has no time or zone). nullopt for anything else,
// including an empty value (WMI leaves it empty for many entries).
std::optional<facts::Timestamp> ParseQfeInstalledOn(std::string_view text);

// IUpdateHistoryEntry::Operation (UpdateOperation).
enum class UpdateOperation { kUnknown, kInstallation, kUninstallation };
UpdateOperation DecodeUpdateOperation(int64_t code);

// ResultCode of a history entry or a search (OperationResultCode).
enum class OperationResult {
  kUnknown,
  kNotStarted,
  kInProgress,
  kSucceeded,
  kSucceededWithErrors,
  kFailed,
  kAborted,
};
OperationResult DecodeOperationResult(int64_t code);
// "succeeded with errors", for reasons shown to people.
std::string_view OperationResultName(OperationResult result);
// An install that took effect: succeeded, or succeeded with errors (some of its parts failed).
bool IsSuccessfulInstall(int64_t operation_code, int64_t result_code);

// The Windows Update classification "Security Updates". Category names are localised
// ("セキュリティ更新プログラム" on Japanese Windows), so only the ID is compared.
inline constexpr std::string_view kSecurityUpdatesCategoryId =
    "0fa1201d-4330-4fa8-8ae9-b877473b6441";

// An update is a security update when Microsoft rated its severity (MsrcSeverity "Critical",
// "Important", "Moderate", "Low"; unrated updates have none) or it is classified as a security
// update (category ID compared case-insensitively, with or without braces).
bool IsSecurityUpdate(std::string_view msrc_severity, const std::vector<std::string>& category_ids);

// "0x80070422 (ERROR_SERVICE_DISABLED: the Windows Update service is disabled)": the Windows Update
// Agent's own codes named here, COM's by DescribeHresult (platform/parse/hresult.h), "0x8024FFFF"
// for the others.
std::string DescribeUpdateHresult(uint32_t hresult);

}  // namespace mamori::parse
