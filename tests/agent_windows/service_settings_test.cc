// The service's registry settings against a fake registry: what the installer writes, the
// defaults, and an error per mistake (never showing the enrollment token).
#include "agent/windows/service_settings.h"

#include <gtest/gtest.h>

#include <map>

#include "tests/platform/fake_registry.h"

namespace mamori::agent::windows {
namespace {

using mamori::testing::FakeRegistry;
using std::chrono::minutes;

constexpr char kFingerprint[] =
    "SHA256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kToken[] = "mmr1.ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

EnvironmentLookup Environment(std::map<std::string, std::string, std::less<>> variables = {
                                  {"ProgramData", R"(C:\ProgramData)"}}) {
  return [variables](std::string_view name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) {
      return std::nullopt;
    }
    return found->second;
  };
}

FakeRegistry InstalledRegistry() {
  FakeRegistry registry;
  registry.SetString(kSettingsKey, kCollectorAddressValue, "server-pc:7443")
      .SetString(kSettingsKey, kCaFingerprintValue, kFingerprint)
      .SetString(kSettingsKey, kEnrollmentTokenValue, kToken);
  return registry;
}

std::string AllErrors(const ServiceSettingsResult& result) {
  std::string joined;
  for (const std::string& error : result.errors) {
    joined += error + "\n";
  }
  return joined;
}

TEST(ServiceSettings, ReadsWhatTheInstallerWritesAndDefaultsTheRest) {
  FakeRegistry registry = InstalledRegistry();
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  const ServiceSettings& settings = *result.settings;
  EXPECT_EQ(settings.collector.Target(), "server-pc:7443");
  EXPECT_EQ(settings.ca_fingerprint, kFingerprint);
  EXPECT_EQ(settings.enrollment_token, kToken);
  EXPECT_EQ(settings.interval, minutes(15));
  EXPECT_EQ(settings.heartbeat_interval, minutes(5));
  EXPECT_EQ(settings.data_dir, R"(C:\ProgramData\mamori\agent)");
}

TEST(ServiceSettings, TakesIntervalAndDataDirectoryWhenGiven) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kIntervalValue, "30m")
      .SetString(kSettingsKey, kDataDirValue, R"(%SystemDrive%\mamori-data\エージェント)");
  const ServiceSettingsResult result =
      ReadServiceSettings(registry, Environment({{"SystemDrive", "D:"}}));
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_EQ(result.settings->interval, minutes(30));
  EXPECT_EQ(result.settings->data_dir, R"(D:\mamori-data\エージェント)");
}

TEST(ServiceSettings, TakesTheSpoolBoundInMibAndRefusesOneOutOfRange) {
  FakeRegistry registry = InstalledRegistry();
  {
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
    EXPECT_EQ(result.settings->spool_max_mb, 50u);
  }
  registry.SetString(kSettingsKey, kSpoolMaxMbValue, "200");
  {
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
    EXPECT_EQ(result.settings->spool_max_mb, 200u);
  }
  for (const char* bad : {"0", "5000", "50MB", "-1"}) {
    registry.SetString(kSettingsKey, kSpoolMaxMbValue, bad);
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    EXPECT_FALSE(result.settings.has_value()) << bad;
    EXPECT_EQ(result.errors,
              (std::vector<std::string>{R"(HKLM\SOFTWARE\mamori\Agent\SpoolMaxMb: must be a whole )"
                                        "number of MiB from 1 to 4096"}))
        << bad;
  }
}

TEST(ServiceSettings, TakesAHeartbeatIntervalUpToTheSnapshotInterval) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kIntervalValue, "1h")
      .SetString(kSettingsKey, kHeartbeatIntervalValue, " 2m30s ");
  ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_EQ(result.settings->heartbeat_interval, std::chrono::seconds(150));

  registry.SetString(kSettingsKey, kHeartbeatIntervalValue, "1h");
  result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_EQ(result.settings->heartbeat_interval, minutes(60)) << "equal: no heartbeats between";
}

TEST(ServiceSettings, DefaultsTheHeartbeatIntervalToAShortSnapshotInterval) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kIntervalValue, "1m");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_EQ(result.settings->interval, minutes(1));
  EXPECT_EQ(result.settings->heartbeat_interval, minutes(1));
}

TEST(ServiceSettings, RefusesAHeartbeatIntervalLongerThanTheSnapshotIntervalOrTooShort) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kIntervalValue, "10m")
      .SetString(kSettingsKey, kHeartbeatIntervalValue, "11m");
  ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  EXPECT_FALSE(result.settings.has_value());
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                R"(HKLM\SOFTWARE\mamori\Agent\HeartbeatInterval: must not be longer than the )"
                R"(time between snapshots (10m): heartbeats are sent between snapshots)"}));

  registry.SetString(kSettingsKey, kHeartbeatIntervalValue, "9s");
  result = ReadServiceSettings(registry, Environment());
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{R"(HKLM\SOFTWARE\mamori\Agent\HeartbeatInterval: must be )"
                                      R"(a duration from 10s to 24h (e.g. 5m))"}));

  FakeRegistry numeric = InstalledRegistry();
  numeric.SetDword(kSettingsKey, kHeartbeatIntervalValue, 300);
  result = ReadServiceSettings(numeric, Environment());
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{R"(HKLM\SOFTWARE\mamori\Agent\HeartbeatInterval: must be )"
                                      R"(a string value (REG_SZ))"}));
}

TEST(ServiceSettings, ABrokenIntervalIsOneErrorNotTwo) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kIntervalValue, "soon")
      .SetString(kSettingsKey, kHeartbeatIntervalValue, "20m");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{R"(HKLM\SOFTWARE\mamori\Agent\Interval: must be a )"
                                      R"(duration from 10s to 24h (e.g. 5m))"}));
}

TEST(ServiceSettings, NormalizesTheFingerprintAndTrimsWhatAnInstallerPadded) {
  FakeRegistry registry;
  registry.SetString(kSettingsKey, kCollectorAddressValue, " 192.168.1.10:7443\r\n")
      .SetString(kSettingsKey, kCaFingerprintValue,
                 "sha256:E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:"
                 "A4:95:99:1B:78:52:B8:55");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_EQ(result.settings->collector.host, "192.168.1.10");
  EXPECT_EQ(result.settings->ca_fingerprint, kFingerprint);
}

TEST(ServiceSettings, LeavesBlankEnrollmentValuesUnsetForAnEnrolledAgent) {
  FakeRegistry registry;
  registry.SetString(kSettingsKey, kCollectorAddressValue, "server-pc:7443")
      .SetString(kSettingsKey, kCaFingerprintValue, "")
      .SetString(kSettingsKey, kEnrollmentTokenValue, "  ");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_TRUE(result.settings.has_value()) << AllErrors(result);
  EXPECT_FALSE(result.settings->ca_fingerprint.has_value());
  EXPECT_FALSE(result.settings->enrollment_token.has_value());
}

TEST(ServiceSettings, SaysTheKeyIsMissingWhenNothingWasInstalled) {
  FakeRegistry registry;
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  EXPECT_FALSE(result.settings.has_value());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_EQ(result.errors[0].find(R"(HKLM\SOFTWARE\mamori\Agent is missing)"), 0u)
      << result.errors[0];
}

TEST(ServiceSettings, RequiresTheCollectorAddress) {
  for (const char* blank : {"", " "}) {
    FakeRegistry registry;
    registry.SetString(kSettingsKey, kCollectorAddressValue, blank);
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
    EXPECT_EQ(result.errors[0].find(R"(HKLM\SOFTWARE\mamori\Agent\CollectorAddress: missing)"), 0u)
        << result.errors[0];
  }
}

TEST(ServiceSettings, ExplainsABadAddressFingerprintOrIntervalAsTheCommandLineDoes) {
  FakeRegistry registry;
  registry.SetString(kSettingsKey, kCollectorAddressValue, "server-pc")
      .SetString(kSettingsKey, kCaFingerprintValue, "SHA256:abc")
      .SetString(kSettingsKey, kIntervalValue, "5s");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  EXPECT_FALSE(result.settings.has_value());
  EXPECT_EQ(result.errors,
            (std::vector<std::string>{
                R"(HKLM\SOFTWARE\mamori\Agent\CollectorAddress: collector address 'server-pc' )"
                R"(must look like HOST:PORT (IPv6 as [ADDR]:PORT))",
                R"(HKLM\SOFTWARE\mamori\Agent\CaFingerprint: a CA fingerprint looks like )"
                R"(SHA256: followed by 64 hex digits (see `mamori-collector ca show`))",
                R"(HKLM\SOFTWARE\mamori\Agent\Interval: must be a duration from 10s to 24h )"
                R"((e.g. 5m))"}));
}

TEST(ServiceSettings, NeverRepeatsTheEnrollmentTokenInAnError) {
  for (const std::string& token :
       {std::string("mmr1.secret with spaces"), std::string(129, 'x'), std::string("mmr1.秘密")}) {
    FakeRegistry registry = InstalledRegistry();
    registry.SetString(kSettingsKey, kEnrollmentTokenValue, token);
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    ASSERT_EQ(result.errors.size(), 1u) << token;
    EXPECT_EQ(result.errors[0].find(R"(HKLM\SOFTWARE\mamori\Agent\EnrollmentToken: )"), 0u);
    EXPECT_EQ(result.errors[0].find("secret"), std::string::npos);
    EXPECT_EQ(result.errors[0].find("xxxx"), std::string::npos);
    EXPECT_EQ(result.errors[0].find("秘密"), std::string::npos);
  }
}

TEST(ServiceSettings, RefusesAValueOfTheWrongType) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetDword(kSettingsKey, kIntervalValue, 300);
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_EQ(result.errors.size(), 1u) << AllErrors(result);
  EXPECT_EQ(result.errors[0],
            R"(HKLM\SOFTWARE\mamori\Agent\Interval: must be a string value (REG_SZ))");

  FakeRegistry numeric_address;
  numeric_address.SetDword(kSettingsKey, kCollectorAddressValue, 7443);
  const ServiceSettingsResult address = ReadServiceSettings(numeric_address, Environment());
  EXPECT_EQ(address.errors,
            (std::vector<std::string>{R"(HKLM\SOFTWARE\mamori\Agent\CollectorAddress: must be a )"
                                      R"(string value (REG_SZ))"}));
}

TEST(ServiceSettings, RefusesDataDirectoriesThatAreNotLocalAndAbsolute) {
  for (const char* bad : {R"(mamori\agent)", R"(\\server\share\mamori)", R"(C:relative)",
                          "C:/ProgramData/mamori", R"(C:\Program"Data)", R"(C:\a\b?)"}) {
    FakeRegistry registry = InstalledRegistry();
    registry.SetString(kSettingsKey, kDataDirValue, bad);
    const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
    ASSERT_EQ(result.errors.size(), 1u) << bad;
    EXPECT_NE(result.errors[0].find("must be an absolute path on a local drive"), std::string::npos)
        << result.errors[0];
  }
  FakeRegistry long_path = InstalledRegistry();
  long_path.SetString(kSettingsKey, kDataDirValue, R"(C:\)" + std::string(198, 'a'));
  EXPECT_EQ(ReadServiceSettings(long_path, Environment()).errors.size(), 1u);
  long_path.SetString(kSettingsKey, kDataDirValue, R"(C:\)" + std::string(197, 'a'));
  EXPECT_TRUE(ReadServiceSettings(long_path, Environment()).errors.empty());
}

TEST(ServiceSettings, RefusesADataDirectoryNamingAnUnsetVariable) {
  FakeRegistry registry = InstalledRegistry();
  registry.SetString(kSettingsKey, kDataDirValue, R"(%ProgrmData%\mamori)");
  const ServiceSettingsResult result = ReadServiceSettings(registry, Environment());
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_NE(result.errors[0].find("not set"), std::string::npos) << result.errors[0];

  FakeRegistry defaults = InstalledRegistry();
  const ServiceSettingsResult no_program_data = ReadServiceSettings(defaults, Environment({}));
  ASSERT_EQ(no_program_data.errors.size(), 1u);
  EXPECT_EQ(no_program_data.errors[0].find("the default data directory"), 0u);
}

TEST(ExpandEnvironmentReferences, ReplacesEachVariableAndRefusesUnknownOnesAndLonePercents) {
  const EnvironmentLookup environment = Environment({{"A", "1"}, {"B", R"(C:\x)"}});
  EXPECT_EQ(ExpandEnvironmentReferences("plain", environment), "plain");
  EXPECT_EQ(ExpandEnvironmentReferences(R"(%B%\%A%-%A%)", environment), R"(C:\x\1-1)");
  EXPECT_EQ(ExpandEnvironmentReferences("", environment), "");
  EXPECT_FALSE(ExpandEnvironmentReferences("%C%", environment).has_value());
  EXPECT_FALSE(ExpandEnvironmentReferences("50%", environment).has_value());
  EXPECT_FALSE(ExpandEnvironmentReferences("%%", environment).has_value());
}

}  // namespace
}  // namespace mamori::agent::windows
