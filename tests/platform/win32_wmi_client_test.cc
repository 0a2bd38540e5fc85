// Runs on the mingw-w64 build under Wine: the real COM and WMI client against Wine's WMI service.
#include "platform/windows/win32_wmi_client.h"

#include <objbase.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view kCimV2 = R"(ROOT\CIMV2)";

TEST(Win32WmiClient, ReadsTheOperatingSystemsCaption) {
  const std::unique_ptr<WmiClient> wmi = MakeWin32WmiClient();
  const WmiQueryResult result =
      wmi->Query(kCimV2, "SELECT Caption, BuildNumber FROM Win32_OperatingSystem");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.objects.size(), 1u);
  const std::optional<std::string> caption = WmiString(result.objects[0], "Caption");
  ASSERT_TRUE(caption.has_value());
  EXPECT_THAT(*caption, HasSubstr("Windows"));
  // Only the selected (and no system) properties come back.
  EXPECT_FALSE(result.objects[0].contains("__CLASS"));
  EXPECT_FALSE(result.objects[0].contains("Version"));
}

TEST(Win32WmiClient, ConvertsIntegerProperties) {
  const std::unique_ptr<WmiClient> wmi = MakeWin32WmiClient();
  const WmiQueryResult result =
      wmi->Query(kCimV2, "SELECT NumberOfLogicalProcessors FROM Win32_ComputerSystem");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.objects.size(), 1u);
  const std::optional<int64_t> processors =
      WmiInteger(result.objects[0], "NumberOfLogicalProcessors");
  ASSERT_TRUE(processors.has_value());
  EXPECT_GE(*processors, 1);
}

TEST(Win32WmiClient, ReportsANonexistentNamespaceAsAnErrorNamingTheStepAndHresult) {
  const std::unique_ptr<WmiClient> wmi = MakeWin32WmiClient();
  const WmiQueryResult result = wmi->Query(R"(ROOT\NoSuchNamespace)", "SELECT * FROM NoSuchClass");
  EXPECT_FALSE(result.ok());
  EXPECT_TRUE(result.objects.empty());
  EXPECT_THAT(result.error, HasSubstr(R"(ConnectServer(ROOT\NoSuchNamespace) failed: 0x)"));
  EXPECT_THAT(result.error, HasSubstr("(WBEM_E_INVALID_NAMESPACE)"));
}

TEST(Win32WmiClient, HandsUint64PropertiesOverAsDecimalText) {
  const std::unique_ptr<WmiClient> wmi = MakeWin32WmiClient();
  const WmiQueryResult result =
      wmi->Query(kCimV2, "SELECT TotalPhysicalMemory FROM Win32_ComputerSystem");
  ASSERT_TRUE(result.ok()) << result.error;
  ASSERT_EQ(result.objects.size(), 1u);
  const std::optional<std::string> memory = WmiString(result.objects[0], "TotalPhysicalMemory");
  ASSERT_TRUE(memory.has_value());
  EXPECT_FALSE(memory->empty());
  EXPECT_EQ(memory->find_first_not_of("0123456789"), std::string::npos) << *memory;
}

TEST(Win32WmiClient, AnswersRepeatedQueriesOnOneThread) {
  // Each Query joins and leaves the apartment: the second must find COM as usable as the first.
  const std::unique_ptr<WmiClient> wmi = MakeWin32WmiClient();
  for (int i = 0; i < 3; ++i) {
    const WmiQueryResult result = wmi->Query(kCimV2, "SELECT Caption FROM Win32_OperatingSystem");
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.objects.size(), 1u);
  }
}

TEST(Win32WmiClient, WorksOnAThreadAlreadyInASingleThreadedApartment) {
  // CoInitializeEx answers RPC_E_CHANGED_MODE there; the query must run in the caller's apartment
  // and leave it joined.
  WmiQueryResult result;
  HRESULT still_joined = E_FAIL;
  std::thread caller([&] {
    const HRESULT joined = ::CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    result = MakeWin32WmiClient()->Query(kCimV2, "SELECT Caption FROM Win32_OperatingSystem");
    // S_FALSE: this thread is still in its single-threaded apartment.
    still_joined = ::CoInitializeEx(nullptr, COINIT_APARTMENTTHREADED);
    if (SUCCEEDED(still_joined)) {
      ::CoUninitialize();
    }
    if (SUCCEEDED(joined)) {
      ::CoUninitialize();
    }
  });
  caller.join();
  EXPECT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(still_joined, S_FALSE);
  EXPECT_THAT(result.error, Not(HasSubstr("CoInitializeEx")));
}

}  // namespace
}  // namespace mamori::platform
