// The option checks the command line and the Windows registry settings share; run on every OS.
#include "agent/agent_options.h"

#include <gtest/gtest.h>

namespace mamori::agent {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

TEST(CheckInterval, AcceptsAbseilDurationsFromTenSecondsToADay) {
  EXPECT_EQ(*CheckInterval("5m").value, minutes(5));
  EXPECT_EQ(*CheckInterval("1h30m").value, minutes(90));
  EXPECT_EQ(*CheckInterval("1.5h").value, minutes(90));
  EXPECT_EQ(*CheckInterval("90s").value, seconds(90));
  EXPECT_EQ(*CheckInterval("+5m").value, minutes(5));
  EXPECT_EQ(*CheckInterval("10s").value, seconds(10));
  EXPECT_EQ(*CheckInterval("24h").value, hours(24));
  EXPECT_EQ(*CheckInterval("86400s").value, hours(24));
  EXPECT_EQ(*CheckInterval("10000ms").value, seconds(10));
  EXPECT_EQ(*CheckInterval(".5m").value, seconds(30));
}

TEST(CheckInterval, RefusesOtherTextAndValuesOutOfRangeWithOneMessage) {
  for (const char* bad : {"", "9s", "9999ms", "24h1ns", "25h", "-5m", "0", "inf", "-inf", "5",
                          "5 m", " 5m", "5M", "m", ".m", "5mm", "1e3s", "five minutes"}) {
    const Validated<nanoseconds> checked = CheckInterval(bad);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.error, "must be a duration from 10s to 24h (e.g. 5m)") << bad;
  }
}

TEST(CheckHeartbeatInterval, AcceptsIntervalsUpToTheSnapshotInterval) {
  EXPECT_EQ(*CheckHeartbeatInterval("5m", minutes(15)).value, minutes(5));
  EXPECT_EQ(*CheckHeartbeatInterval("10s", minutes(15)).value, seconds(10));
  EXPECT_EQ(*CheckHeartbeatInterval("15m", minutes(15)).value, minutes(15));
  EXPECT_EQ(*CheckHeartbeatInterval("0.25h", minutes(15)).value, minutes(15));
}

TEST(CheckHeartbeatInterval, RefusesALongerIntervalNamingTheSnapshotInterval) {
  const Validated<nanoseconds> longer = CheckHeartbeatInterval("16m", minutes(15));
  EXPECT_FALSE(longer.ok());
  EXPECT_EQ(longer.error,
            "must not be longer than the time between snapshots (15m): heartbeats are sent "
            "between snapshots");
  EXPECT_NE(CheckHeartbeatInterval("2h", minutes(90) + seconds(30)).error.find("(1h30m30s)"),
            std::string::npos);
}

TEST(CheckHeartbeatInterval, RefusesTextAndValuesOutOfRangeAsCheckIntervalDoes) {
  for (const char* bad : {"", "9s", "5 m", "25h", "soon"}) {
    const Validated<nanoseconds> checked = CheckHeartbeatInterval(bad, hours(24));
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_EQ(checked.error, "must be a duration from 10s to 24h (e.g. 5m)") << bad;
  }
}

TEST(DefaultHeartbeatInterval, IsFiveMinutesOrTheSnapshotIntervalWhenShorter) {
  EXPECT_EQ(DefaultHeartbeatInterval(minutes(15)), minutes(5));
  EXPECT_EQ(DefaultHeartbeatInterval(hours(24)), minutes(5));
  EXPECT_EQ(DefaultHeartbeatInterval(minutes(1)), minutes(1));
  EXPECT_EQ(DefaultHeartbeatInterval(seconds(10)), seconds(10));
}

TEST(FormatInterval, WritesHoursMinutesAndSecondsAsTheOptionsTakeThem) {
  EXPECT_EQ(FormatInterval(minutes(15)), "15m");
  EXPECT_EQ(FormatInterval(seconds(90)), "1m30s");
  EXPECT_EQ(FormatInterval(hours(24)), "24h");
  EXPECT_EQ(FormatInterval(minutes(90) + seconds(5)), "1h30m5s");
  EXPECT_EQ(FormatInterval(std::chrono::milliseconds(1500)), "1.5s");
  EXPECT_EQ(FormatInterval(std::chrono::milliseconds(10250)), "10.25s");
  EXPECT_EQ(FormatInterval(nanoseconds(0)), "0s");
}

TEST(CheckCaFingerprint, NormalizesCaseAndColonsAndRefusesOtherText) {
  const std::string canonical =
      "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  EXPECT_EQ(
      *CheckCaFingerprint("sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")
           .value,
      canonical);
  EXPECT_EQ(*CheckCaFingerprint("  SHA256:e3:b0:c4:42:98:fc:1c:14:9a:fb:f4:c8:99:6f:b9:24:27:ae:"
                                "41:e4:64:9b:93:4c:a4:95:99:1b:78:52:b8:55\r\n")
                 .value,
            canonical);
  for (const char* bad :
       {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA256:abc",
        "MD5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca49",
        "SHA256:g3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"}) {
    const Validated<std::string> checked = CheckCaFingerprint(bad);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_NE(checked.error.find("64 hex digits"), std::string::npos) << bad;
  }
}

TEST(CheckCollectorAddress, ParsesHostAndPortAndMarksLoopback) {
  const Validated<CollectorAddress> v4 = CheckCollectorAddress("127.0.0.1:7443");
  ASSERT_TRUE(v4.ok()) << v4.error;
  EXPECT_EQ(v4.value->host, "127.0.0.1");
  EXPECT_EQ(v4.value->port, 7443);
  EXPECT_TRUE(v4.value->loopback);
  EXPECT_EQ(v4.value->Target(), "127.0.0.1:7443");

  const Validated<CollectorAddress> v6 = CheckCollectorAddress("[::1]:7443");
  ASSERT_TRUE(v6.ok()) << v6.error;
  EXPECT_EQ(v6.value->host, "::1");
  EXPECT_EQ(v6.value->Target(), "[::1]:7443");
}

TEST(CheckCollectorAddress, KnowsLoopbackInEverySpelling) {
  for (const char* loopback : {"127.8.9.10:1", "LocalHost:7443", "[::1]:7443",
                               "[0:0:0:0:0:0:0:1]:7443", "[0::1]:7443", "[::0:0001]:7443"}) {
    EXPECT_TRUE(CheckCollectorAddress(loopback).value->loopback) << loopback;
  }
  for (const char* lan :
       {"192.168.1.10:7443", "server-pc.local:7443", "[fe80::1]:7443", "127.0.0.1.example:7443",
        "[::ffff:127.0.0.1]:7443", "[::]:7443", "[1::1]:7443", "127.0.0.01:7443"}) {
    const Validated<CollectorAddress> checked = CheckCollectorAddress(lan);
    ASSERT_TRUE(checked.ok()) << lan << ": " << checked.error;
    EXPECT_FALSE(checked.value->loopback) << lan;
  }
}

TEST(CheckCollectorAddress, TakesThePortAsTheCommandLineAlwaysHas) {
  EXPECT_EQ(CheckCollectorAddress("server-pc:+7443").value->port, 7443);
  EXPECT_EQ(CheckCollectorAddress("server-pc: 7443").value->port, 7443);
  EXPECT_EQ(CheckCollectorAddress("server-pc:65535").value->port, 65535);
}

TEST(CheckCollectorAddress, RefusesMissingOrBadPortsAndHostsWithAReason) {
  for (const char* bad :
       {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", "::1:7443",
        "[::1]7443", ":7443", "a b:1", "127.0.0.1:-1", "127.0.0.1:99999999999", "[::1:7443"}) {
    const Validated<CollectorAddress> checked = CheckCollectorAddress(bad);
    EXPECT_FALSE(checked.ok()) << bad;
    EXPECT_NE(checked.error.find(std::string("collector address '") + bad + "'"), std::string::npos)
        << checked.error;
  }
  EXPECT_EQ(CheckCollectorAddress("127.0.0.1:0").error,
            "collector address '127.0.0.1:0': port must be a number from 1 to 65535");
}

}  // namespace
}  // namespace mamori::agent
