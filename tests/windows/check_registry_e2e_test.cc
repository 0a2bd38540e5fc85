// End-to-end under Wine: seeds the prefix's real registry with the Win32 API, runs the real
// mamori-check.exe (--format json) and asserts its facts and findings. Every value a test writes is
// put back as it was (or deleted, with any key the test created) when the test ends, so the tests
// do not depend on each other or on their order.
#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

namespace mamori {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using json = nlohmann::json;

// The report's evaluation time is fixed so that date-based verdicts do not move with the calendar.
constexpr std::wstring_view kNow = L"2026-11-25T00:00:00Z";
constexpr std::size_t kMaxOutputBytes = 16 * 1024 * 1024;
constexpr DWORD kCheckTimeoutMs = 300 * 1000;

std::wstring Wide(std::string_view utf8) {
  if (utf8.empty()) {
    return {};
  }
  const int length = static_cast<int>(utf8.size());
  const int needed = ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), length, nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(needed), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, utf8.data(), length, wide.data(), needed);
  return wide;
}

struct HandleCloser {
  void operator()(HANDLE handle) const {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) {
      ::CloseHandle(handle);
    }
  }
};
using UniqueHandle = std::unique_ptr<std::remove_pointer_t<HANDLE>, HandleCloser>;

struct HkeyCloser {
  void operator()(HKEY key) const { ::RegCloseKey(key); }
};
using UniqueHkey = std::unique_ptr<std::remove_pointer_t<HKEY>, HkeyCloser>;

// Writes registry values for one test and undoes every write when it goes out of scope: a value
// that existed gets its old type and data back, a new one is deleted, and the outermost key the
// seed created is deleted with everything below it.
class RegistrySeed {
 public:
  RegistrySeed() = default;
  RegistrySeed(const RegistrySeed&) = delete;
  RegistrySeed& operator=(const RegistrySeed&) = delete;
  ~RegistrySeed() {
    for (auto undo = undo_.rbegin(); undo != undo_.rend(); ++undo) {
      undo->Apply();
    }
  }

  RegistrySeed& SetString(HKEY root, std::string_view key, std::string_view name,
                          std::string_view value) {
    const std::wstring data = Wide(value);
    Set(root, key, name, REG_SZ, reinterpret_cast<const BYTE*>(data.c_str()),
        (data.size() + 1) * sizeof(wchar_t));
    return *this;
  }
  RegistrySeed& SetDword(HKEY root, std::string_view key, std::string_view name, DWORD value) {
    Set(root, key, name, REG_DWORD, reinterpret_cast<const BYTE*>(&value), sizeof(value));
    return *this;
  }

 private:
  struct Undo {
    HKEY root = nullptr;
    std::wstring key;
    std::wstring name;        // the value to put back or delete; empty with delete_key
    bool delete_key = false;  // key was created by the seed: delete it whole
    std::optional<DWORD> old_type;
    std::vector<BYTE> old_data;

    void Apply() const {
      if (delete_key) {
        const std::size_t slash = key.rfind(L'\\');
        const std::wstring parent = slash == std::wstring::npos ? L"" : key.substr(0, slash);
        const std::wstring leaf = slash == std::wstring::npos ? key : key.substr(slash + 1);
        HKEY raw = nullptr;
        if (::RegOpenKeyExW(root, parent.c_str(), 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, &raw) ==
            ERROR_SUCCESS) {
          const UniqueHkey opened(raw);
          ::RegDeleteTreeW(opened.get(), leaf.c_str());
        }
        return;
      }
      HKEY raw = nullptr;
      if (::RegOpenKeyExW(root, key.c_str(), 0, KEY_SET_VALUE | KEY_WOW64_64KEY, &raw) !=
          ERROR_SUCCESS) {
        return;
      }
      const UniqueHkey opened(raw);
      if (old_type) {
        ::RegSetValueExW(opened.get(), name.c_str(), 0, *old_type, old_data.data(),
                         static_cast<DWORD>(old_data.size()));
      } else {
        ::RegDeleteValueW(opened.get(), name.c_str());
      }
    }
  };

  // Creates the key one level at a time, so the outermost level that did not exist is known.
  UniqueHkey CreateKey(HKEY root, const std::wstring& key) {
    std::wstring path;
    bool created_recorded = false;
    std::size_t start = 0;
    UniqueHkey opened;
    while (start <= key.size()) {
      const std::size_t end = std::min(key.find(L'\\', start), key.size());
      path = key.substr(0, end);
      HKEY raw = nullptr;
      DWORD disposition = 0;
      const LSTATUS status =
          ::RegCreateKeyExW(root, path.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                            KEY_ALL_ACCESS | KEY_WOW64_64KEY, nullptr, &raw, &disposition);
      EXPECT_EQ(status, ERROR_SUCCESS) << "RegCreateKeyExW failed";
      if (status != ERROR_SUCCESS) {
        return nullptr;
      }
      opened.reset(raw);
      if (disposition == REG_CREATED_NEW_KEY && !created_recorded) {
        Undo undo;
        undo.root = root;
        undo.key = path;
        undo.delete_key = true;
        undo_.push_back(std::move(undo));
        created_recorded = true;
      }
      start = end + 1;
    }
    return opened;
  }

  void Set(HKEY root, std::string_view key, std::string_view name, DWORD type, const BYTE* data,
           std::size_t size) {
    const std::wstring wide_key = Wide(key);
    const std::wstring wide_name = Wide(name);
    const UniqueHkey opened = CreateKey(root, wide_key);
    if (!opened) {
      return;
    }
    Undo undo;
    undo.root = root;
    undo.key = wide_key;
    undo.name = wide_name;
    DWORD old_type = 0;
    DWORD old_size = 0;
    if (::RegQueryValueExW(opened.get(), wide_name.c_str(), nullptr, &old_type, nullptr,
                           &old_size) == ERROR_SUCCESS) {
      undo.old_data.resize(old_size);
      if (::RegQueryValueExW(opened.get(), wide_name.c_str(), nullptr, &old_type,
                             undo.old_data.data(), &old_size) == ERROR_SUCCESS) {
        undo.old_type = old_type;
        undo.old_data.resize(old_size);
      }
    }
    undo_.push_back(std::move(undo));
    ASSERT_EQ(
        ::RegSetValueExW(opened.get(), wide_name.c_str(), 0, type, data, static_cast<DWORD>(size)),
        ERROR_SUCCESS);
  }

  std::vector<Undo> undo_;
};

struct CheckRun {
  DWORD exit_code = 0;
  std::string out;
  std::string err;
  json report;
};

// Reads a pipe to its end (at most kMaxOutputBytes).
std::string Drain(HANDLE pipe) {
  std::string text;
  char buffer[4096];
  DWORD read = 0;
  while (::ReadFile(pipe, buffer, sizeof(buffer), &read, nullptr) && read > 0) {
    if (text.size() < kMaxOutputBytes) {
      text.append(buffer, read);
    }
  }
  return text;
}

// Runs mamori-check.exe --format json with stdout and stderr captured through pipes.
CheckRun RunCheck() {
  CheckRun run;
  SECURITY_ATTRIBUTES inheritable{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  HANDLE raw_read = nullptr;
  HANDLE raw_write = nullptr;
  HANDLE raw_err_read = nullptr;
  HANDLE raw_err_write = nullptr;
  if (!::CreatePipe(&raw_read, &raw_write, &inheritable, 0) ||
      !::CreatePipe(&raw_err_read, &raw_err_write, &inheritable, 0)) {
    ADD_FAILURE() << "CreatePipe failed: " << ::GetLastError();
    return run;
  }
  const UniqueHandle out_read(raw_read);
  UniqueHandle out_write(raw_write);
  const UniqueHandle err_read(raw_err_read);
  UniqueHandle err_write(raw_err_write);
  // Only the child's ends are inherited.
  ::SetHandleInformation(out_read.get(), HANDLE_FLAG_INHERIT, 0);
  ::SetHandleInformation(err_read.get(), HANDLE_FLAG_INHERIT, 0);

  // Wine shows the Linux file system as drive Z:.
  std::wstring exe = L"Z:" + Wide(MAMORI_CHECK_EXE);
  for (wchar_t& c : exe) {
    if (c == L'/') {
      c = L'\\';
    }
  }
  std::wstring command = L"\"" + exe + L"\" --format json --now " + std::wstring(kNow);

  STARTUPINFOW startup{};
  startup.cb = sizeof(startup);
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = nullptr;
  startup.hStdOutput = out_write.get();
  startup.hStdError = err_write.get();
  PROCESS_INFORMATION process{};
  if (!::CreateProcessW(exe.c_str(), command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                        &startup, &process)) {
    ADD_FAILURE() << "CreateProcessW failed: " << ::GetLastError();
    return run;
  }
  const UniqueHandle process_handle(process.hProcess);
  const UniqueHandle thread_handle(process.hThread);
  // The child holds its own copies; ours must close for the reads to see the end.
  out_write.reset();
  err_write.reset();

  std::thread err_reader([&] { run.err = Drain(err_read.get()); });
  run.out = Drain(out_read.get());
  err_reader.join();
  EXPECT_EQ(::WaitForSingleObject(process_handle.get(), kCheckTimeoutMs), WAIT_OBJECT_0);
  ::GetExitCodeProcess(process_handle.get(), &run.exit_code);
  run.report = json::parse(run.out, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(run.report.is_discarded()) << "not JSON:\n" << run.out << "\n" << run.err;
  return run;
}

const json& Finding(const json& report, std::string_view rule) {
  static const json kMissing;
  if (report.contains("findings") && report["findings"].is_array()) {
    for (const json& finding : report["findings"]) {
      if (finding.value("rule", "") == rule) {
        return finding;
      }
    }
  }
  ADD_FAILURE() << rule << " not in the report";
  return kMissing;
}

std::string Status(const json& report, std::string_view rule) {
  const json& finding = Finding(report, rule);
  return finding.is_object() ? finding.value("status", "") : "";
}

constexpr std::string_view kUsbstor = R"(SYSTEM\CurrentControlSet\Services\USBSTOR)";
constexpr std::string_view kWinlogon = R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon)";
constexpr std::string_view kTerminalServer = R"(SYSTEM\CurrentControlSet\Control\Terminal Server)";
constexpr std::string_view kRdpTcp =
    R"(SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp)";
constexpr std::string_view kCurrentVersion = R"(SOFTWARE\Microsoft\Windows NT\CurrentVersion)";
constexpr std::string_view kRemovableStorage =
    R"(SOFTWARE\Policies\Microsoft\Windows\RemovableStorageDevices)";
constexpr std::string_view kFirewallPolicy =
    R"(SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy)";
constexpr std::string_view kUninstall = R"(SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall)";

TEST(WindowsCheckEndToEnd, UsbstorStartFourPassesMamUsb001) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kUsbstor, "Start", 4);
  CheckRun run = RunCheck();
  const json& usb = run.report["facts"]["usb_storage"];
  EXPECT_EQ(usb["meta"]["status"]["state"], "ok") << usb.dump();
  EXPECT_EQ(usb["mode"], "blocked");
  EXPECT_EQ(Status(run.report, "MAM-USB-001"), "pass") << Finding(run.report, "MAM-USB-001");
}

TEST(WindowsCheckEndToEnd, UsbstorStartThreeFailsMamUsb001) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kUsbstor, "Start", 3);
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["usb_storage"]["mode"], "allowed");
  EXPECT_EQ(Status(run.report, "MAM-USB-001"), "fail") << Finding(run.report, "MAM-USB-001");
  EXPECT_EQ(run.exit_code, 1u);  // some rule failed
}

TEST(WindowsCheckEndToEnd, RemovableStorageDenyAllPassesMamUsb001EvenWithUsbstorOn) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kUsbstor, "Start", 3)
      .SetDword(HKEY_LOCAL_MACHINE, kRemovableStorage, "Deny_All", 1);
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["usb_storage"]["mode"], "blocked");
  EXPECT_EQ(Status(run.report, "MAM-USB-001"), "pass") << Finding(run.report, "MAM-USB-001");
}

TEST(WindowsCheckEndToEnd, EveryFirewallProfileOnPassesMamFw001) {
  RegistrySeed seed;
  for (const std::string_view profile : {"DomainProfile", "StandardProfile", "PublicProfile"}) {
    seed.SetDword(HKEY_LOCAL_MACHINE, std::string(kFirewallPolicy) + "\\" + std::string(profile),
                  "EnableFirewall", 1);
  }
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["firewall"]["enabled"], true);
  EXPECT_EQ(Status(run.report, "MAM-FW-001"), "pass") << Finding(run.report, "MAM-FW-001");
}

TEST(WindowsCheckEndToEnd, OnePublicProfileOffFailsMamFw001) {
  RegistrySeed seed;
  for (const std::string_view profile : {"DomainProfile", "StandardProfile", "PublicProfile"}) {
    seed.SetDword(HKEY_LOCAL_MACHINE, std::string(kFirewallPolicy) + "\\" + std::string(profile),
                  "EnableFirewall", profile == "PublicProfile" ? 0 : 1);
  }
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["firewall"]["enabled"], false);
  EXPECT_EQ(Status(run.report, "MAM-FW-001"), "fail") << Finding(run.report, "MAM-FW-001");
}

TEST(WindowsCheckEndToEnd, AutoAdminLogonFailsMamLogon001WithoutShowingThePassword) {
  constexpr std::string_view kPassword = "Uketsuke-2026-never-shown";
  RegistrySeed seed;
  seed.SetString(HKEY_LOCAL_MACHINE, kWinlogon, "AutoAdminLogon", "1")
      .SetString(HKEY_LOCAL_MACHINE, kWinlogon, "DefaultUserName", "受付")
      .SetString(HKEY_LOCAL_MACHINE, kWinlogon, "DefaultPassword", kPassword);
  CheckRun run = RunCheck();
  const json& logon = run.report["facts"]["logon"];
  EXPECT_EQ(logon["auto_logon_enabled"], true) << logon.dump();
  EXPECT_THAT(logon["auto_logon_user"].get<std::string>(), HasSubstr("受付"));
  EXPECT_EQ(logon["auto_logon_password_stored"], true);
  EXPECT_EQ(Status(run.report, "MAM-LOGON-001"), "fail") << Finding(run.report, "MAM-LOGON-001");
  EXPECT_THAT(run.out, Not(HasSubstr(kPassword)));
  EXPECT_THAT(run.err, Not(HasSubstr(kPassword)));
}

TEST(WindowsCheckEndToEnd, AutoAdminLogonZeroPassesMamLogon001) {
  RegistrySeed seed;
  seed.SetString(HKEY_LOCAL_MACHINE, kWinlogon, "AutoAdminLogon", "0");
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["logon"]["auto_logon_enabled"], false);
  EXPECT_EQ(Status(run.report, "MAM-LOGON-001"), "pass") << Finding(run.report, "MAM-LOGON-001");
}

TEST(WindowsCheckEndToEnd, RemoteDesktopWithoutNlaFailsMamRemote001) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kTerminalServer, "fDenyTSConnections", 0)
      .SetDword(HKEY_LOCAL_MACHINE, kRdpTcp, "UserAuthentication", 0);
  CheckRun run = RunCheck();
  const json& remote = run.report["facts"]["remote_access"];
  EXPECT_EQ(remote["rdp_enabled"], true) << remote.dump();
  EXPECT_EQ(remote["rdp_nla_required"], false);
  EXPECT_EQ(Status(run.report, "MAM-REMOTE-001"), "fail") << Finding(run.report, "MAM-REMOTE-001");
}

TEST(WindowsCheckEndToEnd, RemoteDesktopWithNlaWarnsMamRemote001) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kTerminalServer, "fDenyTSConnections", 0)
      .SetDword(HKEY_LOCAL_MACHINE, kRdpTcp, "UserAuthentication", 1);
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["remote_access"]["rdp_nla_required"], true);
  EXPECT_EQ(Status(run.report, "MAM-REMOTE-001"), "warn") << Finding(run.report, "MAM-REMOTE-001");
}

TEST(WindowsCheckEndToEnd, RemoteDesktopOffPassesMamRemote001) {
  RegistrySeed seed;
  seed.SetDword(HKEY_LOCAL_MACHINE, kTerminalServer, "fDenyTSConnections", 1);
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["remote_access"]["rdp_enabled"], false);
  EXPECT_EQ(Status(run.report, "MAM-REMOTE-001"), "pass") << Finding(run.report, "MAM-REMOTE-001");
}

TEST(WindowsCheckEndToEnd, ReportsTheSeededBuildAndUpdateRevision) {
  RegistrySeed seed;
  seed.SetString(HKEY_LOCAL_MACHINE, kCurrentVersion, "CurrentBuild", "19045")
      .SetDword(HKEY_LOCAL_MACHINE, kCurrentVersion, "UBR", 5073);
  CheckRun run = RunCheck();
  EXPECT_EQ(run.report["facts"]["inventory"]["os_build"], "19045.5073");
  EXPECT_EQ(run.report["facts"]["inventory"]["os_family"], "windows");
}

TEST(WindowsCheckEndToEnd, ListsAnUninstallEntryWithAJapaneseName) {
  const std::string key = std::string(kUninstall) + R"(\{8D1C2A3B-4E5F-4A6B-9C7D-E2E0E2E0E2E0})";
  RegistrySeed seed;
  seed.SetString(HKEY_LOCAL_MACHINE, key, "DisplayName", "電子カルテ クライアント")
      .SetString(HKEY_LOCAL_MACHINE, key, "DisplayVersion", "5.2.1")
      .SetString(HKEY_LOCAL_MACHINE, key, "Publisher", "株式会社メディカルソフト")
      .SetString(HKEY_LOCAL_MACHINE, key, "InstallDate", "20240131");
  CheckRun run = RunCheck();
  bool found = false;
  for (const json& software : run.report["facts"]["inventory"]["software"]) {
    if (software.value("name", "") == "電子カルテ クライアント") {
      found = true;
      EXPECT_EQ(software["version"], "5.2.1");
      EXPECT_EQ(software["publisher"], "株式会社メディカルソフト");
      EXPECT_EQ(software["installed_at"], "2024-01-31T00:00:00Z");
    }
  }
  EXPECT_TRUE(found) << run.report["facts"]["inventory"]["software"].dump();
}

TEST(WindowsCheckEndToEnd, TheSeedIsUndoneAfterEachTest) {
  {
    RegistrySeed seed;
    seed.SetDword(HKEY_LOCAL_MACHINE, R"(SOFTWARE\mamori-e2e\Nested)", "Probe", 1);
  }
  HKEY raw = nullptr;
  EXPECT_NE(::RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\mamori-e2e", 0,
                            KEY_READ | KEY_WOW64_64KEY, &raw),
            ERROR_SUCCESS);
  if (raw != nullptr) {
    ::RegCloseKey(raw);
  }
}

TEST(WindowsCheckEndToEnd, HasTheSameReportShapeAsOnLinux) {
  CheckRun run = RunCheck();
  json& report = run.report;
  ASSERT_TRUE(report.is_object());
  std::set<std::string> keys;
  for (const auto& [key, value] : report.items()) {
    keys.insert(key);
  }
  EXPECT_EQ(keys, (std::set<std::string>{"schema", "host", "facts", "findings", "summary"}));
  EXPECT_EQ(report["schema"], "mamori.check/v1");
  EXPECT_FALSE(report["host"]["hostname"].get<std::string>().empty());
  for (const std::string_view section :
       {"inventory", "patch", "antivirus", "usb_storage", "power", "accounts", "logon", "firewall",
        "disk_encryption", "remote_access"}) {
    const json& facts = report["facts"][std::string(section)];
    ASSERT_TRUE(facts.is_object()) << section;
    EXPECT_TRUE(facts["meta"]["status"]["state"].is_string()) << section;
  }

  // Each rule once, well-formed, and a summary that adds up (tests/rules/check_cli_json.cmake).
  std::set<std::string> rules;
  int tally_fail = 0;
  int total = 0;
  for (const json& finding : report["findings"]) {
    const std::string rule = finding.value("rule", "");
    EXPECT_TRUE(rules.insert(rule).second) << rule << " twice";
    EXPECT_THAT(finding.value("status", ""),
                ::testing::AnyOf("pass", "warn", "fail", "unknown", "na"));
    EXPECT_FALSE(finding["title"]["ja"].get<std::string>().empty()) << rule;
    EXPECT_FALSE(finding["remediation"]["en"].get<std::string>().empty()) << rule;
    EXPECT_TRUE(finding["mhlw"].is_array()) << rule;
    tally_fail += finding.value("status", "") == "fail" ? 1 : 0;
    ++total;
  }
  for (const std::string_view rule :
       {"MAM-PATCH-001", "MAM-AV-001", "MAM-USB-001", "MAM-USB-002", "MAM-IDLE-001", "MAM-ACCT-001",
        "MAM-LOGON-001", "MAM-LOCK-001", "MAM-FW-001", "MAM-ENC-001", "MAM-REMOTE-001"}) {
    EXPECT_TRUE(rules.contains(std::string(rule))) << rule;
  }
  int summed = 0;
  for (const std::string_view status : {"pass", "warn", "fail", "unknown", "na"}) {
    summed += report["summary"][std::string(status)].get<int>();
  }
  EXPECT_EQ(summed, total);
  EXPECT_EQ(report["summary"]["fail"].get<int>(), tally_fail);
  EXPECT_EQ(run.exit_code, tally_fail > 0 ? 1u : 0u);
}

}  // namespace
}  // namespace mamori
