#include "platform/linux/disk_encryption_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

TEST(LinuxDiskEncryptionProbe, FindsLuks2BelowLvm) {
  const facts::DiskEncryption disk =
      LinuxDiskEncryptionProbe(Host(testing::FixturePath("linux-hardened"))).Collect();
  EXPECT_EQ(disk.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(disk.system_volume_encrypted, true);
  EXPECT_EQ(disk.method, "LUKS2");
}

TEST(LinuxDiskEncryptionProbe, ReportsAPlainPartitionAsUnencrypted) {
  const auto disk = LinuxDiskEncryptionProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(disk.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(disk.system_volume_encrypted, false);
  EXPECT_EQ(disk.method, "");
}

TEST(LinuxDiskEncryptionProbe, FindsABtrfsRootByItsMapperName) {
  testing::ScratchRoot root("mamori-disk");
  root.Write("proc/self/mountinfo", "29 1 0:31 /@ / rw - btrfs /dev/mapper/luks-3f2a rw\n");
  root.Write("sys/block/dm-0/dev", "254:0\n");
  root.Write("sys/block/dm-0/dm/name", "luks-3f2a\n");
  root.Write("sys/block/dm-0/dm/uuid", "CRYPT-LUKS1-3f2a-luks-3f2a\n");
  const auto disk = LinuxDiskEncryptionProbe(Host(root.path())).Collect();
  EXPECT_EQ(disk.system_volume_encrypted, true);
  EXPECT_EQ(disk.method, "LUKS1");
}

TEST(LinuxDiskEncryptionProbe, ReportsAContainerRootAsUnknown) {
  testing::ScratchRoot root("mamori-disk");
  root.Write("proc/self/mountinfo", "500 400 0:52 / / rw - overlay overlay rw,lowerdir=/x\n");
  const auto disk = LinuxDiskEncryptionProbe(Host(root.path())).Collect();
  EXPECT_EQ(disk.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(disk.meta.status.reason, HasSubstr("overlay"));
  EXPECT_EQ(disk.system_volume_encrypted, std::nullopt);
}

TEST(LinuxDiskEncryptionProbe, ReportsAnUnlistedDeviceAsUnknown) {
  testing::ScratchRoot root("mamori-disk");
  root.Write("proc/self/mountinfo", "29 1 8:2 / / rw - ext4 /dev/sda2 rw\n");
  const auto disk = LinuxDiskEncryptionProbe(Host(root.path())).Collect();
  EXPECT_EQ(disk.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(disk.meta.status.reason, HasSubstr("8:2"));
}

TEST(LinuxDiskEncryptionProbe, StopsAtASlavesLoop) {
  testing::ScratchRoot root("mamori-disk");
  root.Write("proc/self/mountinfo", "29 1 253:0 / / rw - ext4 /dev/dm-0 rw\n");
  root.Write("sys/block/dm-0/dev", "253:0\n");
  root.Write("sys/block/dm-0/dm/uuid", "LVM-x\n");
  root.Write("sys/block/dm-0/slaves/dm-0", "");
  const auto disk = LinuxDiskEncryptionProbe(Host(root.path())).Collect();
  EXPECT_EQ(disk.system_volume_encrypted, false);
}

TEST(LinuxDiskEncryptionProbe, RunsOnTheRealHost) {
  ProbeEnvironment env;
  const auto disk = LinuxDiskEncryptionProbe(env).Collect();
  EXPECT_NE(disk.meta.status.state, facts::ProbeState::kError);
  if (!disk.meta.status.ok()) {
    EXPECT_FALSE(disk.meta.status.reason.empty());
  }
}

}  // namespace
}  // namespace mamori::platform
