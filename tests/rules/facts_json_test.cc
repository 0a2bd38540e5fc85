// The facts as JSON: every section, every field, nulls for what is not known, RFC 3339 times.
#include <gtest/gtest.h>

#include "platform/facts/facts_json.h"
#include "platform/facts/rfc3339.h"
#include "tests/rules/healthy_host.h"

namespace mamori::facts {
namespace {

using nlohmann::json;

TEST(FactsJson, HasEverySectionWithItsProbeStatus) {
  const json out = ToJson(HostFacts{});
  for (const char* section : {"inventory", "patch", "antivirus", "usb_storage", "power", "accounts",
                              "logon", "firewall", "disk_encryption", "remote_access"}) {
    ASSERT_TRUE(out.contains(section)) << section;
    EXPECT_EQ(out[section]["meta"]["status"], (json{{"state", "unknown"}, {"reason", ""}}))
        << section;
    EXPECT_TRUE(out[section]["meta"]["collected_at"].is_null()) << section;
  }
  EXPECT_EQ(out.size(), 10u);
}

TEST(FactsJson, WritesEveryFieldOfEachSection) {
  const json out = ToJson(HostFacts{});
  // One count per struct: a field added to host_facts.h and not here fails this test.
  EXPECT_EQ(out["inventory"].size(), 20u);
  EXPECT_EQ(out["patch"].size(), 8u);
  EXPECT_EQ(out["antivirus"].size(), 2u);
  EXPECT_EQ(out["usb_storage"].size(), 6u);
  EXPECT_EQ(out["power"].size(), 7u);
  EXPECT_EQ(out["accounts"].size(), 3u);
  EXPECT_EQ(out["accounts"]["password_policy"].size(), 5u);
  EXPECT_EQ(out["logon"].size(), 6u);
  EXPECT_EQ(out["firewall"].size(), 4u);
  EXPECT_EQ(out["disk_encryption"].size(), 3u);
  EXPECT_EQ(out["remote_access"].size(), 6u);
}

TEST(FactsJson, WritesUnsetOptionalsAsNull) {
  const json out = ToJson(HostFacts{});
  EXPECT_TRUE(out["patch"]["reboot_required"].is_null());
  EXPECT_TRUE(out["power"]["uptime_seconds"].is_null());
  EXPECT_TRUE(out["accounts"]["password_policy"]["min_length"].is_null());
}

TEST(FactsJson, WritesValuesTimesAndEnums) {
  const json out = ToJson(rules::HealthyDebianWorkstation());
  EXPECT_EQ(out["inventory"]["meta"]["status"]["state"], "ok");
  EXPECT_EQ(out["inventory"]["meta"]["collected_at"], "2026-11-25T00:00:00Z");
  EXPECT_EQ(out["inventory"]["os_family"], "linux");
  EXPECT_EQ(out["inventory"]["role"], "workstation");
  EXPECT_EQ(out["patch"]["pending"][0]["name"], "vim");
  EXPECT_EQ(out["patch"]["last_update_check"], "2026-11-24T00:00:00Z");
  EXPECT_EQ(out["antivirus"]["products"][0]["state"], "on");
  EXPECT_EQ(out["antivirus"]["products"][0]["signatures_updated_at"], "2026-11-24T04:00:00Z");
  EXPECT_EQ(out["usb_storage"]["mode"], "blocked");
  EXPECT_EQ(out["power"]["uptime_seconds"], 18000);
  EXPECT_EQ(out["accounts"]["accounts"][0]["locked"], true);
  EXPECT_EQ(out["logon"]["screen_lock_timeout_seconds"], 600);
  EXPECT_EQ(out["firewall"]["profiles"][0], (json{{"name", "ufw"}, {"enabled", true}}));
}

TEST(FactsJson, WritesAnErrorStatusWithItsMessage) {
  EXPECT_EQ(ToJson(ProbeStatus::Error("shadow unreadable")),
            (json{{"state", "error"}, {"reason", "shadow unreadable"}}));
}

TEST(Rfc3339, FormatsAndParsesUtc) {
  const Timestamp t = rules::TestNow() + std::chrono::hours{13} + std::chrono::seconds{7};
  EXPECT_EQ(FormatRfc3339(t), "2026-11-25T13:00:07Z");
  EXPECT_EQ(ParseRfc3339("2026-11-25T13:00:07Z"), t);
  EXPECT_EQ(ParseRfc3339("2026-11-25t13:00:07.123z"), t);
}

TEST(Rfc3339, AppliesTheOffset) {
  EXPECT_EQ(ParseRfc3339("2026-11-25T09:00:00+09:00"), rules::TestNow());
  EXPECT_EQ(ParseRfc3339("2026-11-24T15:00:00-09:00"), rules::TestNow());
}

TEST(Rfc3339, RejectsMalformedTimes) {
  for (const char* bad : {"", "2026-11-25", "2026-11-25T00:00:00", "2026-13-01T00:00:00Z",
                          "2026-02-30T00:00:00Z", "2026-11-25 00:00:00Z", "2026-11-25T24:00:00Z",
                          "2026-11-25T00:00:00+0900", "2026-11-25T00:00:00Zjunk"}) {
    EXPECT_FALSE(ParseRfc3339(bad).has_value()) << bad;
  }
}

TEST(Rfc3339, ShowsJapanTimeToPeople) {
  EXPECT_EQ(FormatJapanTime(rules::TestNow() + std::chrono::hours{16}), "2026-11-26 01:00 JST");
}

}  // namespace
}  // namespace mamori::facts
