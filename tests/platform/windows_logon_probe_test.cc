// The Windows logon probe with fake HKEY_LOCAL_MACHINE and HKEY_USERS (the registry logic itself is
// tested on every OS in windows_logon_test.cc); runs under Wine.
#include "platform/windows/logon_probe.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "platform/parse/windows_logon.h"
#include "platform/windows/win32_registry_reader.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

TEST(WindowsLogonProbe, ReportsAutoLogonAndTheReceptionUsersScreenLock) {
  auto machine = std::make_unique<testing::FakeRegistry>();
  machine->SetString(parse::kWinlogonKey, "AutoAdminLogon", "1")
      .SetString(parse::kWinlogonKey, "DefaultUserName", "受付");
  auto users = std::make_unique<testing::FakeRegistry>();
  const std::string desktop =
      "S-1-5-21-1004336348-1177238915-682003330-1001\\" + std::string(parse::kUserDesktopKey);
  users->SetString(desktop, "SCRNSAVE.EXE", "scrnsave.scr")
      .SetString(desktop, "ScreenSaverIsSecure", "1")
      .SetString(desktop, "ScreenSaveTimeOut", "300");
  WindowsLogonProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(machine),
                          std::move(users));
  const facts::LogonSecurity logon = probe.Collect();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(logon.meta.collected_at, kNow);
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "受付");
  EXPECT_EQ(logon.auto_logon_password_stored, false);
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(300));
}

TEST(WindowsLogonProbe, ReadsWinesRealRegistryWithoutFailing) {
  WindowsLogonProbe probe(testing::FixedTimeEnvironment({}, kNow), MakeWin32RegistryReader(),
                          MakeWin32RegistryReader(RegistryHive::kUsers));
  const facts::LogonSecurity logon = probe.Collect();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok()) << logon.meta.status.reason;
  EXPECT_TRUE(logon.auto_logon_enabled.has_value());
}

}  // namespace
}  // namespace mamori::platform
