// The real RegistryReader against the Wine prefix's registry: keys and values are written with the
// Win32 API under a scratch key and removed afterwards.
#include "platform/windows/win32_registry_reader.h"

#include <windows.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr std::string_view kScratch = R"(SOFTWARE\mamori-test\RegistryReader)";

class Win32RegistryReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { ::RegDeleteTreeW(HKEY_LOCAL_MACHINE, ToUtf16(kScratch).c_str()); }
  void TearDown() override { ::RegDeleteTreeW(HKEY_LOCAL_MACHINE, ToUtf16(kScratch).c_str()); }

  static void CreateKey(std::string_view subkey) {
    HKEY key = nullptr;
    const std::wstring path = ToUtf16(std::string(kScratch) + "\\" + std::string(subkey));
    ASSERT_EQ(
        ::RegCreateKeyExW(HKEY_LOCAL_MACHINE, path.c_str(), 0, nullptr, REG_OPTION_NON_VOLATILE,
                          KEY_WRITE | KEY_WOW64_64KEY, nullptr, &key, nullptr),
        ERROR_SUCCESS);
    ::RegCloseKey(key);
  }
  static void SetString(std::string_view subkey, std::string_view name, std::string_view value) {
    const std::wstring path = ToUtf16(std::string(kScratch) + "\\" + std::string(subkey));
    const std::wstring data = ToUtf16(value);
    ASSERT_EQ(
        ::RegSetKeyValueW(HKEY_LOCAL_MACHINE, path.c_str(), ToUtf16(name).c_str(), REG_SZ,
                          data.c_str(), static_cast<DWORD>((data.size() + 1) * sizeof(wchar_t))),
        ERROR_SUCCESS);
  }
};

TEST_F(Win32RegistryReaderTest, ListsSubkeysAndFiltersThemByPrefixWithoutCase) {
  CreateKey(R"(Packages\Microsoft-Windows-Foundation-Package)");
  CreateKey(R"(Packages\Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10)");
  CreateKey(R"(Packages\package_for_rollupfix~31bf3856ad364e35~amd64~~19041.4894.1.5)");
  CreateKey(R"(Packages\Package_for_KB5011048)");
  const auto registry = MakeWin32RegistryReader();
  const std::string packages = std::string(kScratch) + R"(\Packages)";
  EXPECT_EQ(registry->ListSubkeys(packages).size(), 4u);
  EXPECT_THAT(registry->ListSubkeysStartingWith(packages, "Package_for_RollupFix~"),
              UnorderedElementsAre("Package_for_RollupFix~31bf3856ad364e35~amd64~~19041.5073.1.10",
                                   "package_for_rollupfix~31bf3856ad364e35~amd64~~19041.4894.1.5"));
  EXPECT_TRUE(registry->ListSubkeys(std::string(kScratch) + R"(\Absent)").empty());
}

TEST_F(Win32RegistryReaderTest, ReadsJapaneseNamesAndValuesAndTellsPresenceWithoutReading) {
  SetString("受付", "表示名", "電子カルテ クライアント");
  const auto registry = MakeWin32RegistryReader();
  EXPECT_THAT(registry->ListSubkeys(kScratch), ElementsAre("受付"));
  EXPECT_EQ(registry->ReadString(std::string(kScratch) + R"(\受付)", "表示名"),
            "電子カルテ クライアント");
  EXPECT_TRUE(registry->KeyExists(std::string(kScratch) + R"(\受付)"));
  EXPECT_TRUE(registry->ValueExists(std::string(kScratch) + R"(\受付)", "表示名"));
  EXPECT_FALSE(registry->ValueExists(std::string(kScratch) + R"(\受付)", "DefaultPassword"));
  EXPECT_FALSE(registry->KeyExists(std::string(kScratch) + R"(\受付\なし)"));
  EXPECT_EQ(registry->ReadDword(std::string(kScratch) + R"(\受付)", "表示名"), std::nullopt);
}

TEST(Win32RegistryReader, ReadsTheUsersHiveFromItsRoot) {
  // Wine loads the prefix's user under HKEY_USERS like Windows does (and .DEFAULT).
  EXPECT_FALSE(MakeWin32RegistryReader(RegistryHive::kUsers)->ListSubkeys("").empty());
}

}  // namespace
}  // namespace mamori::platform
