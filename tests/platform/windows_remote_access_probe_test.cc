// The Windows remote access probe with a fake registry and a real sshd_config file (the registry
// logic itself is tested on every OS in windows_remote_access_test.cc); runs under Wine.
#include "platform/windows/remote_access_probe.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "platform/parse/windows_remote_access.h"
#include "tests/platform/fake_registry.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1795600000)};

class SshdConfigFile {
 public:
  explicit SshdConfigFile(const std::string& text)
      : path_(std::filesystem::temp_directory_path() /
              ("mamori-sshd-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
               "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~SshdConfigFile() {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

std::unique_ptr<testing::FakeRegistry> SshdRunning() {
  auto registry = std::make_unique<testing::FakeRegistry>();
  registry->SetDword(parse::kSshdServiceKey, "Start", 2)
      .SetDword(parse::kTerminalServerKey, "fDenyTSConnections", 0)
      .SetDword(parse::kRdpTcpKey, "UserAuthentication", 1);
  return registry;
}

TEST(WindowsRemoteAccessProbe, ReadsPasswordAuthenticationFromTheSshdConfigFile) {
  const SshdConfigFile config("PasswordAuthentication no\r\nKbdInteractiveAuthentication no\r\n");
  WindowsRemoteAccessProbe probe(testing::FixedTimeEnvironment({}, kNow), SshdRunning(),
                                 config.path());
  const facts::RemoteAccess remote = probe.Collect();
  EXPECT_EQ(remote.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(remote.meta.collected_at, kNow);
  EXPECT_EQ(remote.rdp_enabled, true);
  EXPECT_EQ(remote.rdp_nla_required, true);
  EXPECT_EQ(remote.ssh_enabled, true);
  EXPECT_EQ(remote.ssh_password_authentication, false);
}

TEST(WindowsRemoteAccessProbe, LeavesSshSettingsUnknownWhenTheFileIsMissing) {
  WindowsRemoteAccessProbe probe(testing::FixedTimeEnvironment({}, kNow), SshdRunning(),
                                 std::filesystem::temp_directory_path() / "mamori-no-such-sshd");
  EXPECT_EQ(probe.Collect().ssh_password_authentication, std::nullopt);
}

TEST(WindowsRemoteAccessProbe, LeavesSshSettingsUnknownWhenTheFileIsTooBig) {
  const SshdConfigFile config("PasswordAuthentication no\n" + std::string(300 * 1024, '#'));
  WindowsRemoteAccessProbe probe(testing::FixedTimeEnvironment({}, kNow), SshdRunning(),
                                 config.path());
  EXPECT_EQ(probe.Collect().ssh_password_authentication, std::nullopt);
}

TEST(WindowsRemoteAccessProbe, FindsSshdConfigUnderProgramData) {
  const std::filesystem::path path = WindowsSshdConfigPath();
  EXPECT_EQ(path.filename(), "sshd_config");
  EXPECT_EQ(path.parent_path().filename(), "ssh");
}

}  // namespace
}  // namespace mamori::platform
