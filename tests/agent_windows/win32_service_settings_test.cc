// The settings read from the real registry (under Wine or Windows), the real environment, and the
// enrollment token erased after use.
#include "agent/windows/win32_service_settings.h"

#include <gtest/gtest.h>
#include <windows.h>

#include "platform/windows/registry_reader.h"
#include "platform/windows/wide_text.h"
#include "platform/windows/win32_registry_reader.h"

namespace mamori::agent::windows {
namespace {

constexpr char kToken[] = "mmr1.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

// Writes REG_SZ values under HKLM\SOFTWARE\mamori\Agent and removes the key afterwards.
class SettingsKey {
 public:
  SettingsKey() { Remove(); }
  ~SettingsKey() { Remove(); }
  bool Set(std::string_view name, std::string_view value) {
    const std::wstring key = platform::ToUtf16(kSettingsKey);
    const std::wstring wide_name = platform::ToUtf16(name);
    const std::wstring wide_value = platform::ToUtf16(value);
    return ::RegSetKeyValueW(
               HKEY_LOCAL_MACHINE, key.c_str(), wide_name.c_str(), REG_SZ, wide_value.c_str(),
               static_cast<DWORD>((wide_value.size() + 1) * sizeof(wchar_t))) == ERROR_SUCCESS;
  }

 private:
  static void Remove() {
    ::RegDeleteTreeW(HKEY_LOCAL_MACHINE, platform::ToUtf16(kSettingsKey).c_str());
  }
};

TEST(Win32ServiceSettings, ReadsTheInstallersValuesFromTheRealRegistry) {
  SettingsKey key;
  ASSERT_TRUE(key.Set(kCollectorAddressValue, "server-pc:7443"));
  ASSERT_TRUE(key.Set(kCaFingerprintValue,
                      "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
  ASSERT_TRUE(key.Set(kEnrollmentTokenValue, kToken));
  ASSERT_TRUE(key.Set(kIntervalValue, "10m"));
  ASSERT_TRUE(key.Set(kHeartbeatIntervalValue, "90s"));
  const std::unique_ptr<platform::RegistryReader> registry = platform::MakeWin32RegistryReader();
  const ServiceSettingsResult result = ReadServiceSettings(*registry, Win32EnvironmentVariable);
  ASSERT_TRUE(result.settings.has_value()) << (result.errors.empty() ? "" : result.errors[0]);
  EXPECT_EQ(result.settings->collector.Target(), "server-pc:7443");
  EXPECT_EQ(result.settings->enrollment_token, kToken);
  EXPECT_EQ(result.settings->interval, std::chrono::minutes(10));
  EXPECT_EQ(result.settings->heartbeat_interval, std::chrono::seconds(90));
  // The default data directory, from this process's %ProgramData%.
  EXPECT_EQ(result.settings->data_dir,
            *Win32EnvironmentVariable("ProgramData") + R"(\mamori\agent)");
}

TEST(Win32ServiceSettings, RefusesAHeartbeatIntervalLongerThanTheIntervalFromTheRealRegistry) {
  SettingsKey key;
  ASSERT_TRUE(key.Set(kCollectorAddressValue, "server-pc:7443"));
  ASSERT_TRUE(key.Set(kIntervalValue, "5m"));
  ASSERT_TRUE(key.Set(kHeartbeatIntervalValue, "6m"));
  const std::unique_ptr<platform::RegistryReader> registry = platform::MakeWin32RegistryReader();
  const ServiceSettingsResult result = ReadServiceSettings(*registry, Win32EnvironmentVariable);
  EXPECT_FALSE(result.settings.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0],
            R"(HKLM\SOFTWARE\mamori\Agent\HeartbeatInterval: must not be longer than the time )"
            R"(between snapshots (5m): heartbeats are sent between snapshots)");
}

TEST(Win32ServiceSettings, ErasesOnlyTheEnrollmentToken) {
  SettingsKey key;
  ASSERT_TRUE(key.Set(kCollectorAddressValue, "server-pc:7443"));
  ASSERT_TRUE(key.Set(kEnrollmentTokenValue, kToken));
  const EraseResult erased = EraseEnrollmentToken();
  ASSERT_TRUE(erased.ok()) << erased.error;
  const std::unique_ptr<platform::RegistryReader> registry = platform::MakeWin32RegistryReader();
  EXPECT_FALSE(registry->ValueExists(kSettingsKey, kEnrollmentTokenValue));
  EXPECT_EQ(registry->ReadString(kSettingsKey, kCollectorAddressValue), "server-pc:7443");
  EXPECT_TRUE(EraseEnrollmentToken().ok()) << "erasing twice is harmless";
}

TEST(Win32ServiceSettings, ErasingSucceedsWhenNothingWasInstalled) {
  SettingsKey key;
  EXPECT_TRUE(EraseEnrollmentToken().ok());
}

TEST(Win32EnvironmentVariable, ReadsSetVariablesAsUtf8AndUnsetOnesAsNothing) {
  ASSERT_TRUE(::SetEnvironmentVariableW(L"MAMORI_TEST_VARIABLE", L"C:\\データ"));
  EXPECT_EQ(Win32EnvironmentVariable("MAMORI_TEST_VARIABLE"), "C:\\データ");
  ASSERT_TRUE(::SetEnvironmentVariableW(L"MAMORI_TEST_VARIABLE", nullptr));
  EXPECT_FALSE(Win32EnvironmentVariable("MAMORI_TEST_VARIABLE").has_value());
  EXPECT_FALSE(Win32EnvironmentVariable("").has_value());
}

}  // namespace
}  // namespace mamori::agent::windows
