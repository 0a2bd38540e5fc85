#include "platform/linux/remote_access_probe.h"

#include <gtest/gtest.h>

#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

TEST(LinuxRemoteAccessProbe, ReportsPasswordAndRootLoginsOfAnEnabledSshd) {
  const facts::RemoteAccess remote =
      LinuxRemoteAccessProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(remote.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(remote.ssh_enabled, true);
  EXPECT_EQ(remote.ssh_password_authentication, true);
  EXPECT_EQ(remote.ssh_root_login, true);
  EXPECT_EQ(remote.rdp_enabled, false);
}

TEST(LinuxRemoteAccessProbe, IncludedFilesComeFirstAndMatchBlocksDoNotCount) {
  const auto remote =
      LinuxRemoteAccessProbe(Host(testing::FixturePath("linux-hardened"))).Collect();
  // Installed but neither running nor enabled.
  EXPECT_EQ(remote.ssh_enabled, false);
  EXPECT_EQ(remote.ssh_password_authentication, false);
  EXPECT_EQ(remote.ssh_root_login, false);
}

TEST(LinuxRemoteAccessProbe, WithoutSshdTheSettingsAreUnknown) {
  const auto remote =
      LinuxRemoteAccessProbe(Host(testing::FixturePath("linux-debian12"))).Collect();
  EXPECT_EQ(remote.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(remote.ssh_enabled, false);
  EXPECT_EQ(remote.ssh_password_authentication, std::nullopt);
  EXPECT_EQ(remote.ssh_root_login, std::nullopt);
}

TEST(LinuxRemoteAccessProbe, ARunningSshdAndSocketActivationCountAsEnabled) {
  testing::ScratchRoot running("mamori-remote");
  running.Write("usr/sbin/sshd", "");
  running.Write("proc/700/comm", "sshd\n");
  EXPECT_EQ(LinuxRemoteAccessProbe(Host(running.path())).Collect().ssh_enabled, true);

  testing::ScratchRoot socket("mamori-remote-socket");
  socket.Write("usr/sbin/sshd", "");
  socket.Write("etc/systemd/system/sockets.target.wants/ssh.socket", "");
  EXPECT_EQ(LinuxRemoteAccessProbe(Host(socket.path())).Collect().ssh_enabled, true);
}

TEST(LinuxRemoteAccessProbe, SurvivesAnIncludeLoop) {
  testing::ScratchRoot root("mamori-remote");
  root.Write("usr/sbin/sshd", "");
  root.Write("etc/ssh/sshd_config", "Include sshd_config sshd_config\nPasswordAuthentication no\n");
  const auto remote = LinuxRemoteAccessProbe(Host(root.path())).Collect();
  EXPECT_EQ(remote.ssh_password_authentication, false);
}

TEST(LinuxRemoteAccessProbe, RunsOnTheRealHost) {
  ProbeEnvironment env;
  const auto remote = LinuxRemoteAccessProbe(env).Collect();
  EXPECT_EQ(remote.meta.status, facts::ProbeStatus::Ok());
  if (!std::filesystem::exists("/usr/sbin/sshd")) {
    EXPECT_EQ(remote.ssh_enabled, false);
  }
}

}  // namespace
}  // namespace mamori::platform
