// The logon security registry logic against fake HKEY_LOCAL_MACHINE and HKEY_USERS: runs on every
// OS.
#include "platform/parse/windows_logon.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/platform/fake_registry.h"

namespace mamori::parse {
namespace {

constexpr std::string_view kReception = "S-1-5-21-1004336348-1177238915-682003330-1001";
constexpr std::string_view kDoctor = "S-1-5-21-1004336348-1177238915-682003330-1002";

std::string Desktop(std::string_view sid) {
  return std::string(sid) + "\\" + std::string(kUserDesktopKey);
}
std::string DesktopPolicy(std::string_view sid) {
  return std::string(sid) + "\\" + std::string(kUserDesktopPolicyKey);
}

// A user whose screen saver asks for the password after `timeout` seconds.
void SecureScreenSaver(testing::FakeRegistry& users, std::string_view sid, std::string timeout) {
  users.SetString(Desktop(sid), "ScreenSaveActive", "1")
      .SetString(Desktop(sid), "SCRNSAVE.EXE", R"(C:\Windows\system32\scrnsave.scr)")
      .SetString(Desktop(sid), "ScreenSaverIsSecure", "1")
      .SetString(Desktop(sid), "ScreenSaveTimeOut", std::move(timeout));
}

struct Hives {
  testing::FakeRegistry machine;
  testing::FakeRegistry users;
  Hives() { machine.SetString(kWinlogonKey, "Shell", "explorer.exe"); }
  facts::LogonSecurity Read() { return ReadWindowsLogonSecurity(machine, users); }
};

TEST(WindowsLogon, ReportsAutoLogonWithItsUserAndAStoredPassword) {
  Hives hives;
  hives.machine.SetString(kWinlogonKey, "AutoAdminLogon", "1")
      .SetString(kWinlogonKey, "DefaultUserName", "受付")
      .SetString(kWinlogonKey, "DefaultDomainName", "RECEPTION-01")
      .SetString(kWinlogonKey, "DefaultPassword", "never-read");
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "RECEPTION-01\\受付");
  EXPECT_EQ(logon.auto_logon_password_stored, true);
}

TEST(WindowsLogon, NeverReadsTheDefaultPasswordItself) {
  // A reader that fails the test when DefaultPassword is read rather than tested for presence.
  class GuardedRegistry final : public platform::RegistryReader {
   public:
    explicit GuardedRegistry(testing::FakeRegistry& inner) : inner_(inner) {}
    std::optional<std::string> ReadString(std::string_view key, std::string_view name) override {
      EXPECT_NE(name, "DefaultPassword");
      return inner_.ReadString(key, name);
    }
    std::optional<uint32_t> ReadDword(std::string_view key, std::string_view name) override {
      EXPECT_NE(name, "DefaultPassword");
      return inner_.ReadDword(key, name);
    }
    bool KeyExists(std::string_view key) override { return inner_.KeyExists(key); }
    bool ValueExists(std::string_view key, std::string_view name) override {
      return inner_.ValueExists(key, name);
    }
    std::vector<std::string> ListSubkeysStartingWith(std::string_view key,
                                                     std::string_view prefix) override {
      return inner_.ListSubkeysStartingWith(key, prefix);
    }

   private:
    testing::FakeRegistry& inner_;
  };
  Hives hives;
  hives.machine.SetString(kWinlogonKey, "AutoAdminLogon", "1")
      .SetString(kWinlogonKey, "DefaultPassword", "never-read");
  GuardedRegistry machine(hives.machine);
  EXPECT_EQ(ReadWindowsLogonSecurity(machine, hives.users).auto_logon_password_stored, true);
}

TEST(WindowsLogon, ReportsAutoLogonOffWhenTheValueIsAbsentOrZero) {
  Hives hives;
  hives.machine.SetString(kWinlogonKey, "DefaultUserName", "受付");
  facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.auto_logon_enabled, false);
  EXPECT_EQ(logon.auto_logon_user, "");  // the last user's name, not an automatic logon
  EXPECT_EQ(logon.auto_logon_password_stored, false);

  hives.machine.SetString(kWinlogonKey, "AutoAdminLogon", "0");
  EXPECT_EQ(hives.Read().auto_logon_enabled, false);
}

TEST(WindowsLogon, CountsADwordAutoAdminLogonToo) {
  Hives hives;
  hives.machine.SetDword(kWinlogonKey, "AutoAdminLogon", 1)
      .SetString(kWinlogonKey, "DefaultUserName", "reception");
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.auto_logon_enabled, true);
  EXPECT_EQ(logon.auto_logon_user, "reception");
}

TEST(WindowsLogon, IsUnknownNamingTheKeyWhenWinlogonCannotBeRead) {
  testing::FakeRegistry machine;
  testing::FakeRegistry users;
  const facts::LogonSecurity logon = ReadWindowsLogonSecurity(machine, users);
  EXPECT_EQ(logon.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(logon.meta.status.reason,
            R"(cannot read HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon)");
  EXPECT_EQ(logon.auto_logon_enabled, std::nullopt);
}

TEST(WindowsLogon, LocksAfterTheUsersSecureScreenSaver) {
  Hives hives;
  SecureScreenSaver(hives.users, kReception, "600");
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(600));
}

TEST(WindowsLogon, DoesNotLockWithoutPasswordProgramOrTimeout) {
  for (const auto& [value, data] :
       {std::pair{"ScreenSaverIsSecure", "0"}, std::pair{"ScreenSaveActive", "0"},
        std::pair{"SCRNSAVE.EXE", ""}, std::pair{"ScreenSaveTimeOut", "0"}}) {
    Hives hives;
    SecureScreenSaver(hives.users, kReception, "600");
    hives.users.SetString(Desktop(kReception), value, data);
    EXPECT_EQ(hives.Read().screen_lock_enabled, false) << value;
  }
}

TEST(WindowsLogon, LetsTheUsersGroupPolicyWinOverTheirOwnSetting) {
  Hives hives;
  SecureScreenSaver(hives.users, kReception, "3600");
  hives.users.SetString(DesktopPolicy(kReception), "ScreenSaveTimeOut", "300");
  EXPECT_EQ(hives.Read().screen_lock_timeout, facts::Seconds(300));

  hives.users.SetString(DesktopPolicy(kReception), "ScreenSaverIsSecure", "0");
  EXPECT_EQ(hives.Read().screen_lock_enabled, false);
}

TEST(WindowsLogon, TheWeakestLoggedOnUserDecides) {
  Hives hives;
  SecureScreenSaver(hives.users, kReception, "300");
  SecureScreenSaver(hives.users, kDoctor, "1200");
  facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(1200));

  hives.users.SetString(Desktop(kDoctor), "ScreenSaverIsSecure", "0");
  logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, false);
  EXPECT_EQ(logon.screen_lock_timeout, std::nullopt);
}

TEST(WindowsLogon, CountsOnlyPeoplesHives) {
  Hives hives;
  SecureScreenSaver(hives.users, kReception, "300");
  // Service accounts, the default profile and class registrations never lock a screen.
  for (const std::string_view other : {"S-1-5-18", "S-1-5-19", "S-1-5-20", ".DEFAULT",
                                       "S-1-5-21-1004336348-1177238915-682003330-1001_Classes"}) {
    hives.users.SetString(Desktop(other), "ScreenSaveActive", "0");
  }
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(300));
}

TEST(WindowsLogon, LeavesScreenLockUnknownWhenNobodyIsLoggedOn) {
  Hives hives;
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(logon.screen_lock_enabled, std::nullopt);
  EXPECT_EQ(logon.screen_lock_timeout, std::nullopt);
}

TEST(WindowsLogon, TheMachineInactivityLimitLocksEveryone) {
  Hives hives;
  hives.machine.SetDword(kSystemPolicyKey, "InactivityTimeoutSecs", 900);
  facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(900));

  // A user without a screen saver is locked by the limit; one with a shorter one sooner.
  hives.users.SetString(Desktop(kDoctor), "ScreenSaveActive", "0");
  SecureScreenSaver(hives.users, kReception, "300");
  logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, facts::Seconds(900));

  hives.users.SetString(Desktop(kDoctor), "ScreenSaveActive", "1");
  SecureScreenSaver(hives.users, kDoctor, "600");
  EXPECT_EQ(hives.Read().screen_lock_timeout, facts::Seconds(600));
}

TEST(WindowsLogon, AnInactivityLimitOfZeroIsNone) {
  Hives hives;
  hives.machine.SetDword(kSystemPolicyKey, "InactivityTimeoutSecs", 0);
  hives.users.SetString(Desktop(kReception), "ScreenSaveActive", "0");
  EXPECT_EQ(hives.Read().screen_lock_enabled, false);
}

TEST(WindowsLogon, LocksWithAnUnknownTimeoutWhenTheTimeoutIsUnreadable) {
  Hives hives;
  SecureScreenSaver(hives.users, kReception, "ten minutes");
  const facts::LogonSecurity logon = hives.Read();
  EXPECT_EQ(logon.screen_lock_enabled, true);
  EXPECT_EQ(logon.screen_lock_timeout, std::nullopt);
}

TEST(PersonSid, AcceptsLocalDomainAndEntraAccountsOnly) {
  EXPECT_TRUE(IsPersonSid("S-1-5-21-1004336348-1177238915-682003330-1001"));
  EXPECT_TRUE(IsPersonSid("S-1-12-1-2315123456-1234567890-1234567890-1234567890"));
  EXPECT_FALSE(IsPersonSid("S-1-5-21-1004336348-1177238915-682003330-1001_Classes"));
  EXPECT_FALSE(IsPersonSid("S-1-5-18"));
  EXPECT_FALSE(IsPersonSid(".DEFAULT"));
  EXPECT_FALSE(IsPersonSid(""));
}

}  // namespace
}  // namespace mamori::parse
