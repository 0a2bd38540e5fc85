#include "agent/snapshot_digest.h"

#include <fstream>

#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"

namespace mamori::agent {
namespace {

mamori::v1::HostFacts Reception(std::int64_t collected_at) {
  mamori::v1::HostFacts facts;
  mamori::v1::Inventory* inventory = facts.mutable_inventory();
  inventory->mutable_meta()->mutable_collected_at()->set_seconds(collected_at);
  inventory->set_hostname("reception-01");
  inventory->mutable_boot_time()->set_seconds(1'700'000'100);
  mamori::v1::InstalledSoftware* software = inventory->add_software();
  software->set_name("電子カルテ");
  software->set_version("5.2");
  mamori::v1::PowerState* power = facts.mutable_power();
  power->mutable_meta()->mutable_collected_at()->set_seconds(collected_at);
  power->mutable_uptime()->set_seconds(collected_at - 1'700'000'100);
  power->mutable_idle()->set_seconds(collected_at % 97);
  power->set_sleep_disabled(true);
  mamori::v1::UserSession* session = power->add_sessions();
  session->set_user("uketsuke");
  session->set_locked(false);
  session->set_idle(collected_at % 2 == 0);
  session->mutable_idle_since()->set_seconds(collected_at - 30);
  facts.mutable_patch()->mutable_meta()->mutable_collected_at()->set_seconds(collected_at);
  facts.mutable_patch()->set_reboot_required(false);
  return facts;
}

TEST(FactsDigest, IgnoresCollectionTimesUptimeAndIdle) {
  EXPECT_EQ(FactsDigest(Reception(1'700'003'000)), FactsDigest(Reception(1'700'090'001)));
}

TEST(FactsDigest, ChangesWithAFactThatMatters) {
  const mamori::v1::HostFacts before = Reception(1'700'003'000);
  mamori::v1::HostFacts updated = before;
  updated.mutable_inventory()->mutable_software(0)->set_version("5.3");
  EXPECT_NE(FactsDigest(before), FactsDigest(updated));
  mamori::v1::HostFacts reboot_pending = before;
  reboot_pending.mutable_patch()->set_reboot_required(true);
  EXPECT_NE(FactsDigest(before), FactsDigest(reboot_pending));
  mamori::v1::HostFacts locked = before;
  locked.mutable_power()->mutable_sessions(0)->set_locked(true);
  EXPECT_NE(FactsDigest(before), FactsDigest(locked));
}

TEST(FactsDigest, BootTimeWobbleOfSecondsIsIgnoredButARebootIsNot) {
  const mamori::v1::HostFacts before = Reception(1'700'003'000);
  mamori::v1::HostFacts wobble = before;
  wobble.mutable_inventory()->mutable_boot_time()->set_seconds(1'700'000'101);
  EXPECT_EQ(FactsDigest(before), FactsDigest(wobble));
  mamori::v1::HostFacts rebooted = before;
  rebooted.mutable_inventory()->mutable_boot_time()->set_seconds(1'700'050'000);
  EXPECT_NE(FactsDigest(before), FactsDigest(rebooted));
}

TEST(SnapshotDue, WhenNothingWasSpooledOrFactsChangedOrADayPassed) {
  const absl::Time now = absl::FromUnixSeconds(1'700'100'000);
  EXPECT_TRUE(SnapshotDue(std::nullopt, "aa", now));
  const LastSnapshot last{"aa", now - absl::Hours(2)};
  EXPECT_FALSE(SnapshotDue(last, "aa", now));
  EXPECT_TRUE(SnapshotDue(last, "bb", now));
  EXPECT_FALSE(
      SnapshotDue(LastSnapshot{"aa", now - absl::Hours(24) + absl::Seconds(1)}, "aa", now));
  EXPECT_TRUE(SnapshotDue(LastSnapshot{"aa", now - absl::Hours(24)}, "aa", now));
  // A clock set back: the stored time is in the future, so the day cannot be measured.
  EXPECT_TRUE(SnapshotDue(LastSnapshot{"aa", now + absl::Hours(1)}, "aa", now));
}

TEST(LastSnapshotFile, RoundTripsAndTreatsDamageAsNothingSpooled) {
  collector::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "last-snapshot.json";
  EXPECT_FALSE(LoadLastSnapshot(file).has_value());
  const LastSnapshot last{FactsDigest(Reception(1'700'003'000)),
                          absl::FromUnixSeconds(1'700'003'000)};
  ASSERT_TRUE(SaveLastSnapshot(file, last).ok());
  const std::optional<LastSnapshot> loaded = LoadLastSnapshot(file);
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->digest, last.digest);
  EXPECT_EQ(loaded->spooled_at, last.spooled_at);
  ASSERT_TRUE(SaveLastSnapshot(file, last).ok());
  {
    std::ofstream damaged(file, std::ios::trunc);
    damaged << "{\"digest\": 3";
  }
  EXPECT_FALSE(LoadLastSnapshot(file).has_value());
}

}  // namespace
}  // namespace mamori::agent
