#include "platform/linux/accounts_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "platform/parse/login_records.h"
#include "tests/platform/fixture.h"
#include "tests/platform/scratch_root.h"

namespace mamori::platform {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};  // day 20254

ProbeEnvironment Host(const std::filesystem::path& root) {
  return testing::FixedTimeEnvironment(root, kNow);
}

facts::Timestamp Day(int64_t days) { return facts::Timestamp(std::chrono::seconds(days * 86400)); }

const facts::LocalAccount& Find(const facts::AccountList& list, const std::string& name) {
  const auto found = std::find_if(list.accounts.begin(), list.accounts.end(),
                                  [&](const auto& account) { return account.name == name; });
  if (found == list.accounts.end()) {
    static const facts::LocalAccount kMissing;
    ADD_FAILURE() << "no account " << name;
    return kMissing;
  }
  return *found;
}

TEST(LinuxAccountsProbe, ListsEveryWellFormedAccount) {
  const facts::AccountList list =
      LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(list.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(list.meta.collected_at, kNow);
  EXPECT_EQ(list.accounts.size(), 11u);
}

TEST(LinuxAccountsProbe, ReportsEmptyPasswordFromShadow) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  const facts::LocalAccount& reception = Find(list, "reception");
  EXPECT_EQ(reception.password_empty, true);
  EXPECT_EQ(reception.enabled, true);
  EXPECT_EQ(reception.full_name, "Reception PC");
  EXPECT_EQ(reception.id, "1000");
  EXPECT_FALSE(reception.system_account);
  EXPECT_EQ(Find(list, "doctor").password_empty, false);
}

TEST(LinuxAccountsProbe, CountsSudoAndUidZeroAsAdminButNotAdm) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(Find(list, "doctor").admin, true);
  EXPECT_EQ(Find(list, "toor").admin, true);
  EXPECT_EQ(Find(list, "root").admin, true);
  EXPECT_EQ(Find(list, "reception").admin, false);
  EXPECT_THAT(Find(list, "reception").groups, ElementsAre("adm", "reception"));
}

TEST(LinuxAccountsProbe, ReportsLockedExpiredAndNologinAccounts) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  // A locked password leaves the account enabled: key logins still work.
  EXPECT_EQ(Find(list, "tanaka").locked, true);
  EXPECT_EQ(Find(list, "tanaka").enabled, true);
  EXPECT_EQ(Find(list, "olduser").locked, true);
  EXPECT_EQ(Find(list, "olduser").enabled, false);
  EXPECT_EQ(Find(list, "daemon").enabled, false);
  EXPECT_EQ(Find(list, "sync").enabled, false);
  EXPECT_EQ(Find(list, "root").locked, false);
}

TEST(LinuxAccountsProbe, TellsSystemAccountsFromPeople) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_TRUE(Find(list, "daemon").system_account);
  EXPECT_TRUE(Find(list, "sshd").system_account);
  EXPECT_TRUE(Find(list, "nobody").system_account);
  EXPECT_FALSE(Find(list, "root").system_account);
  EXPECT_FALSE(Find(list, "tanaka").system_account);
}

TEST(LinuxAccountsProbe, ReadsPasswordAgeAndExpiry) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(Find(list, "doctor").password_changed_at, Day(19500));
  EXPECT_EQ(Find(list, "doctor").password_expires, true);
  EXPECT_EQ(Find(list, "root").password_expires, false);
  // Day 0 means "change at next login", not 1970.
  EXPECT_EQ(Find(list, "toor").password_changed_at, std::nullopt);
}

TEST(LinuxAccountsProbe, ReportsADebianDefaultPasswordPolicyAsWeak) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-weak"))).Collect();
  EXPECT_EQ(list.password_policy.max_age_days, 99999u);
  EXPECT_EQ(list.password_policy.min_length, 6u);
  EXPECT_EQ(list.password_policy.min_classes, 0u);
  EXPECT_EQ(list.password_policy.complexity_required, false);
  EXPECT_EQ(list.password_policy.lockout_threshold, 0u);
}

TEST(LinuxAccountsProbe, ReadsPwqualityArgumentsOverTheConfAndFaillock) {
  const auto list = LinuxAccountsProbe(Host(testing::FixturePath("linux-hardened"))).Collect();
  EXPECT_EQ(list.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(list.password_policy.max_age_days, 60u);
  EXPECT_EQ(list.password_policy.min_length, 14u);
  EXPECT_EQ(list.password_policy.min_classes, 3u);
  EXPECT_EQ(list.password_policy.complexity_required, true);
  EXPECT_EQ(list.password_policy.lockout_threshold, 5u);
  EXPECT_EQ(Find(list, "root").locked, true);
  EXPECT_EQ(Find(list, "admin1").admin, true);
  EXPECT_EQ(Find(list, "nurse").admin, false);
}

TEST(LinuxAccountsProbe, ReadsLastLogonFromASparseLastlog) {
  testing::ScratchRoot root("mamori-accounts");
  root.Write("etc/passwd",
             "root:x:0:0::/root:/bin/bash\ndoctor:x:1001:1001::/home/d:/bin/bash\n"
             "nobody:x:4294967294:1::/:/usr/sbin/nologin\n");
  const facts::Timestamp login{std::chrono::seconds(1749900000)};
  std::string lastlog(1001 * parse::kLastlogRecordBytes, '\0');
  lastlog += parse::EncodeLastlogRecordForTest(login, "pts/0", "192.0.2.5");
  root.Write("var/log/lastlog", lastlog);
  const auto list = LinuxAccountsProbe(Host(root.path())).Collect();
  EXPECT_EQ(Find(list, "doctor").last_logon, login);
  EXPECT_EQ(Find(list, "root").last_logon, std::nullopt);
  EXPECT_EQ(Find(list, "nobody").last_logon, std::nullopt);
  // Without /etc/shadow the password facts are unknown, not "fine".
  EXPECT_EQ(Find(list, "doctor").password_empty, std::nullopt);
  EXPECT_EQ(Find(list, "doctor").enabled, std::nullopt);
}

TEST(LinuxAccountsProbe, ReportsAHugePasswdAsUnknownWithoutReadingIt) {
  testing::ScratchRoot root("mamori-accounts");
  root.WriteSparse("etc/passwd", std::uintmax_t{2} * 1024 * 1024 * 1024,
                   "root:x:0:0::/root:/bin/bash\n");
  const auto list = LinuxAccountsProbe(Host(root.path())).Collect();
  EXPECT_EQ(list.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(list.meta.status.reason, HasSubstr("larger than"));
  EXPECT_TRUE(list.accounts.empty());
}

TEST(LinuxAccountsProbe, ReportsAMissingPasswdAsUnknown) {
  testing::ScratchRoot root("mamori-accounts");
  const auto list = LinuxAccountsProbe(Host(root.path())).Collect();
  EXPECT_EQ(list.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_THAT(list.meta.status.reason, HasSubstr("/etc/passwd"));
}

TEST(LinuxAccountsProbe, SurvivesBinaryGarbageInEveryFile) {
  testing::ScratchRoot root("mamori-accounts");
  std::string garbage;
  for (int i = 0; i < 20000; ++i) {
    garbage += static_cast<char>((i * 7919) % 256);
  }
  for (const char* file :
       {"etc/passwd", "etc/shadow", "etc/group", "etc/login.defs", "etc/pam.d/common-password",
        "etc/pam.d/common-auth", "etc/security/pwquality.conf", "var/log/lastlog"}) {
    root.Write(file, garbage);
  }
  const auto list = LinuxAccountsProbe(Host(root.path())).Collect();
  EXPECT_EQ(list.meta.status.state, facts::ProbeState::kUnknown);
}

TEST(LinuxAccountsProbe, ReadsTheRealHostsRoot) {
  ProbeEnvironment env;
  const auto list = LinuxAccountsProbe(env).Collect();
  ASSERT_EQ(list.meta.status, facts::ProbeStatus::Ok());
  const facts::LocalAccount& root = Find(list, "root");
  EXPECT_EQ(root.id, "0");
  EXPECT_EQ(root.admin, true);
  EXPECT_FALSE(root.system_account);
}

}  // namespace
}  // namespace mamori::platform
