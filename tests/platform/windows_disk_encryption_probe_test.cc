// Runs on the mingw-w64 build under Wine; WMI is a fake, except in the last test.
#include "platform/windows/disk_encryption_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "platform/windows/win32_wmi_client.h"
#include "tests/platform/fake_wmi.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::string_view kNamespace = R"(ROOT\CIMV2\Security\MicrosoftVolumeEncryption)";
constexpr std::string_view kQuery =
    "SELECT DriveLetter, ProtectionStatus, EncryptionMethod, ConversionStatus FROM "
    "Win32_EncryptableVolume";

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

WmiObject Volume(std::string drive, int64_t protection, int64_t method, int64_t conversion) {
  return {{"DriveLetter", std::move(drive)},
          {"ProtectionStatus", protection},
          {"EncryptionMethod", method},
          {"ConversionStatus", conversion}};
}

facts::DiskEncryption Collect(std::unique_ptr<testing::FakeWmi> wmi, std::string drive = "C:") {
  return WindowsDiskEncryptionProbe(testing::FixedTimeEnvironment({}, kNow), std::move(wmi),
                                    std::move(drive))
      .Collect();
}

TEST(WindowsDiskEncryptionProbe, ReportsTheProtectedSystemDriveAndItsMethod) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  // A USB stick (E:) and the recovery partition (no letter) are listed too.
  wmi->Answer(kNamespace, kQuery,
              {Volume("E:", 0, 0, 0),
               {{"DriveLetter", std::monostate()}, {"ProtectionStatus", int64_t{0}}},
               Volume("C:", 1, 6, 1)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(encryption.meta.collected_at, kNow);
  EXPECT_EQ(encryption.system_volume_encrypted, true);
  EXPECT_EQ(encryption.method, "BitLocker XTS-AES 128");
}

TEST(WindowsDiskEncryptionProbe, ReadsTheDriveWindowsIsOn) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("C:", 0, 0, 0), Volume("D:", 1, 7, 1)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi), "D:");

  EXPECT_EQ(encryption.system_volume_encrypted, true);
  EXPECT_EQ(encryption.method, "BitLocker XTS-AES 256");
}

TEST(WindowsDiskEncryptionProbe, ReportsAnUnencryptedSystemDrive) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("C:", 0, 0, 0)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(encryption.system_volume_encrypted, false);
  EXPECT_EQ(encryption.method, "");
}

TEST(WindowsDiskEncryptionProbe, CountsSuspendedProtectionAsNotEncryptedAndSaysSo) {
  // Fully encrypted, key in the clear: what Windows 11 device encryption looks like before a
  // Microsoft account backs the key up, and BitLocker after "Suspend protection".
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("C:", 0, 6, 1)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.system_volume_encrypted, false);
  EXPECT_EQ(encryption.method, "BitLocker XTS-AES 128 (protection suspended)");
}

TEST(WindowsDiskEncryptionProbe, SaysWhenEncryptionIsStillInProgress) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("c:", 0, 6, 2)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.system_volume_encrypted, false);
  EXPECT_EQ(encryption.method, "BitLocker XTS-AES 128 (encryption in progress)");
}

TEST(WindowsDiskEncryptionProbe, IsUnknownNamingElevationWhenAccessIsDenied) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(
      kNamespace, kQuery,
      R"(IEnumWbemClassObject::Next(ROOT\CIMV2\Security\MicrosoftVolumeEncryption) failed: 0x80041003 (WBEM_E_ACCESS_DENIED))");
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(encryption.meta.status.reason,
              StartsWith("BitLocker state needs administrator rights"));
  EXPECT_THAT(encryption.meta.status.reason, HasSubstr("0x80041003 (WBEM_E_ACCESS_DENIED)"));
  EXPECT_FALSE(encryption.system_volume_encrypted.has_value());
}

TEST(WindowsDiskEncryptionProbe, IsUnknownWithTheErrorWhenTheNamespaceIsMissing) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Fail(
      kNamespace, kQuery,
      R"(ConnectServer(ROOT\CIMV2\Security\MicrosoftVolumeEncryption) failed: 0x8004100E (WBEM_E_INVALID_NAMESPACE))");
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(encryption.meta.status.reason,
              StartsWith("BitLocker state unknown: Win32_EncryptableVolume: ConnectServer("));
}

TEST(WindowsDiskEncryptionProbe, IsUnknownWhenTheSystemDriveIsNotListed) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("E:", 1, 6, 1)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status,
            facts::ProbeStatus::Unknown(
                "BitLocker state unknown: Win32_EncryptableVolume lists no volume C: (1 volumes "
                "listed)"));
  EXPECT_FALSE(encryption.system_volume_encrypted.has_value());
}

TEST(WindowsDiskEncryptionProbe, IsUnknownWhenProtectionCannotBeTold) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  wmi->Answer(kNamespace, kQuery, {Volume("C:", 2, 6, 1)});
  const facts::DiskEncryption encryption = Collect(std::move(wmi));

  EXPECT_EQ(encryption.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(encryption.meta.status.reason, HasSubstr("ProtectionStatus 2"));
  EXPECT_FALSE(encryption.system_volume_encrypted.has_value());
}

TEST(WindowsDiskEncryptionProbe, IsUnknownWithoutASystemDriveAndAsksWmiNothing) {
  auto wmi = std::make_unique<testing::FakeWmi>();
  const testing::FakeWmi& asked = *wmi;
  WindowsDiskEncryptionProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(wmi), "");
  const facts::DiskEncryption encryption = probe.Collect();

  EXPECT_EQ(encryption.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(encryption.meta.status.reason, HasSubstr("GetSystemWindowsDirectoryW"));
  EXPECT_TRUE(asked.queries().empty());
}

// Wine has a C: drive and no BitLocker namespace: the real path ends in unknown, not a crash.
TEST(WindowsDiskEncryptionProbe, IsUnknownUnderWineThroughTheRealClient) {
  EXPECT_EQ(SystemDrive(), "C:");
  WindowsDiskEncryptionProbe probe(testing::FixedTimeEnvironment({}, kNow), MakeWin32WmiClient(),
                                   SystemDrive());
  const facts::DiskEncryption encryption = probe.Collect();

  EXPECT_EQ(encryption.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(encryption.meta.status.reason, HasSubstr("MicrosoftVolumeEncryption"));
}

}  // namespace
}  // namespace mamori::platform
