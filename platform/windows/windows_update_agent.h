// The seam between the Windows patch probe and the Windows Update Agent (WUA): the probe asks for
// the update history, the last automatic search and a search for pending updates through this
// interface; the real agent (win32_windows_update_agent.h) talks COM to wuapi.dll, and tests on
// every OS pass a fake. Text is UTF-8 here; BSTRs, VARIANTs and DATEs exist only inside the real
// agent. Codes stay raw (parse/windows_update.h decodes them) so a fake can pose any value WUA can.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::platform {

// One IUpdateHistoryEntry.
struct UpdateHistoryEntry {
  std::optional<facts::Timestamp> date;  // UTC; nullopt when WUA gave none
  int64_t operation = 0;                 // UpdateOperation: 1 installation, 2 uninstallation
  int64_t result_code = 0;  // OperationResultCode: 2 succeeded, 3 with errors, 4 failed, 5 aborted
  std::string title;        // localised: Japanese on Japanese Windows
  friend bool operator==(const UpdateHistoryEntry&, const UpdateHistoryEntry&) = default;
};

struct UpdateHistory {
  std::vector<UpdateHistoryEntry> entries;  // newest first, at most kMaxHistoryEntries
  // Empty on success; otherwise the failing call and its HRESULT, e.g.
  // "CoCreateInstance(Microsoft.Update.Session) failed: 0x80040154 (REGDB_E_CLASSNOTREG)".
  std::string error;
  bool ok() const { return error.empty(); }
};

struct AutomaticSearch {
  // When Automatic Updates last searched successfully (UTC); nullopt when it never has. Searches
  // made through this seam do not move it.
  std::optional<facts::Timestamp> succeeded_at;
  std::string error;
  bool ok() const { return error.empty(); }
};

// One update the search found applicable and not installed.
struct AvailableUpdate {
  std::string title;
  std::vector<std::string> kb_article_ids;  // "5044285": WUA gives the digits without "KB"
  std::string msrc_severity;                // "Critical", "Important", ...; empty when unrated
  std::vector<std::string> category_ids;    // classification and product GUIDs
  friend bool operator==(const AvailableUpdate&, const AvailableUpdate&) = default;
};

struct UpdateSearch {
  std::vector<AvailableUpdate> updates;  // at most kMaxAvailableUpdates
  bool truncated = false;                // more were found than are listed
  // Empty on success; otherwise the failing call with its HRESULT, or the timeout.
  std::string error;
  bool ok() const { return error.empty(); }
};

class WindowsUpdateAgent {
 public:
  // The history's newest entries are enough to find the last install: a PC installs a few dozen
  // updates a month, most of them Defender definitions.
  static constexpr std::size_t kMaxHistoryEntries = 200;
  // A PC left unpatched for years has a few hundred applicable updates at most.
  static constexpr std::size_t kMaxAvailableUpdates = 500;
  // KB numbers and categories per update: one or two of each in practice.
  static constexpr std::size_t kMaxIdsPerUpdate = 32;

  virtual ~WindowsUpdateAgent() = default;
  // IUpdateSearcher::QueryHistory: the newest entries. Local and quick.
  virtual UpdateHistory History() = 0;
  // IAutomaticUpdates2::Results.LastSearchSuccessDate. Local and quick.
  virtual AutomaticSearch LastAutomaticSearch() = 0;
  // IUpdateSearcher::BeginSearch("IsInstalled=0 and Type='Software' and IsHidden=0") against the
  // configured update service (Windows Update or the clinic's WSUS): needs the network and takes
  // tens of seconds. After `timeout` the search is aborted and reported as an error.
  virtual UpdateSearch SearchPending(std::chrono::seconds timeout) = 0;
};

}  // namespace mamori::platform
