// The remote access registry logic against a fake registry: runs on every OS.
#include "platform/parse/windows_remote_access.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/platform/fake_registry.h"

namespace mamori::parse {
namespace {

facts::RemoteAccess Read(testing::FakeRegistry& registry,
                         std::optional<std::string> sshd_config = std::nullopt) {
  return ReadWindowsRemoteAccess(registry, sshd_config);
}

TEST(WindowsRemoteAccess, ReportsRemoteDesktopOnWithNlaFromTheLocalSettings) {
  testing::FakeRegistry registry;
  registry.SetDword(kTerminalServerKey, "fDenyTSConnections", 0)
      .SetDword(kRdpTcpKey, "UserAuthentication", 1);
  const facts::RemoteAccess remote = Read(registry);
  EXPECT_EQ(remote.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(remote.rdp_enabled, true);
  EXPECT_EQ(remote.rdp_nla_required, true);
}

TEST(WindowsRemoteAccess, ReportsRemoteDesktopOffAndNlaNotRequired) {
  testing::FakeRegistry registry;
  registry.SetDword(kTerminalServerKey, "fDenyTSConnections", 1)
      .SetDword(kRdpTcpKey, "UserAuthentication", 0);
  const facts::RemoteAccess remote = Read(registry);
  EXPECT_EQ(remote.rdp_enabled, false);
  EXPECT_EQ(remote.rdp_nla_required, false);
}

TEST(WindowsRemoteAccess, LetsGroupPolicyWinOverTheLocalSettings) {
  testing::FakeRegistry registry;
  registry.SetDword(kTerminalServerKey, "fDenyTSConnections", 1)
      .SetDword(kRdpTcpKey, "UserAuthentication", 1)
      .SetDword(kTerminalServicesPolicyKey, "fDenyTSConnections", 0)
      .SetDword(kTerminalServicesPolicyKey, "UserAuthentication", 0);
  const facts::RemoteAccess remote = Read(registry);
  EXPECT_EQ(remote.rdp_enabled, true);
  EXPECT_EQ(remote.rdp_nla_required, false);
}

TEST(WindowsRemoteAccess, LeavesRemoteDesktopUnknownWithoutAnySetting) {
  testing::FakeRegistry registry;
  const facts::RemoteAccess remote = Read(registry);
  EXPECT_EQ(remote.rdp_enabled, std::nullopt);
  EXPECT_EQ(remote.rdp_nla_required, std::nullopt);
  // No sshd service: SSH is off and has nothing to configure.
  EXPECT_EQ(remote.ssh_enabled, false);
  EXPECT_EQ(remote.ssh_password_authentication, std::nullopt);
  EXPECT_EQ(remote.ssh_root_login, std::nullopt);
}

TEST(WindowsRemoteAccess, ReportsOpenSshServerWithPasswordsByDefault) {
  testing::FakeRegistry registry;
  registry.SetDword(kSshdServiceKey, "Start", 2);
  const facts::RemoteAccess remote =
      Read(registry,
           "# Windows OpenSSH defaults\nSubsystem sftp sftp-server.exe\n"
           "Match Group administrators\n"
           "       AuthorizedKeysFile __PROGRAMDATA__/ssh/administrators_authorized_keys\n");
  EXPECT_EQ(remote.ssh_enabled, true);
  EXPECT_EQ(remote.ssh_password_authentication, true);
  EXPECT_EQ(remote.ssh_root_login, false);
}

TEST(WindowsRemoteAccess, ReadsPasswordAuthenticationFromSshdConfig) {
  testing::FakeRegistry registry;
  registry.SetDword(kSshdServiceKey, "Start", 3);
  const facts::RemoteAccess remote = Read(registry, "PasswordAuthentication no\r\n");
  EXPECT_EQ(remote.ssh_enabled, true);
  EXPECT_EQ(remote.ssh_password_authentication, false);
}

TEST(WindowsRemoteAccess, ReportsADisabledSshdServiceAsOff) {
  testing::FakeRegistry registry;
  registry.SetDword(kSshdServiceKey, "Start", 4);
  const facts::RemoteAccess remote = Read(registry, "PasswordAuthentication yes\n");
  EXPECT_EQ(remote.ssh_enabled, false);
  EXPECT_EQ(remote.ssh_password_authentication, true);
}

TEST(WindowsRemoteAccess, LeavesSshSettingsUnknownWhenSshdConfigIsUnreadable) {
  testing::FakeRegistry registry;
  registry.SetDword(kSshdServiceKey, "Start", 2);
  const facts::RemoteAccess remote = Read(registry);
  EXPECT_EQ(remote.ssh_enabled, true);
  EXPECT_EQ(remote.ssh_password_authentication, std::nullopt);
}

}  // namespace
}  // namespace mamori::parse
