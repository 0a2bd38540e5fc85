// The Windows accounts probe against a fake local security database (a clinic PC), and against
// Wine's real NetAPI, which must come out as unknown with the call's error, never a crash.
#include "platform/windows/accounts_probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "platform/parse/windows_accounts.h"
#include "tests/platform/fixture.h"

namespace mamori::platform {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};  // 2025-06-15
constexpr std::string_view kDomain = "S-1-5-21-1004336348-1177238915-682003330";

class FakeLocalAccounts final : public LocalAccountsApi {
 public:
  AccountsApiResult<std::vector<parse::NetUserRecord>> users;
  AccountsApiResult<std::string> domain_sid;
  AccountsApiResult<LocalGroupMembers> administrators;
  AccountsApiResult<parse::UserModals> policy;

  AccountsApiResult<std::vector<parse::NetUserRecord>> ListUsers() override { return users; }
  AccountsApiResult<std::string> AccountDomainSid() override { return domain_sid; }
  AccountsApiResult<LocalGroupMembers> Administrators() override { return administrators; }
  AccountsApiResult<parse::UserModals> PasswordPolicy() override { return policy; }
};

parse::NetUserRecord User(std::string name, uint32_t rid, uint32_t flags = 0) {
  parse::NetUserRecord user;
  user.name = std::move(name);
  user.rid = rid;
  user.flags = parse::kUfNormalAccount | flags;
  user.priv = 1;
  return user;
}

std::string Sid(uint32_t rid) { return parse::AccountSid(kDomain, rid); }

// A reception PC: 受付 and 医師, the built-in Administrator left enabled, Guest disabled, two
// administrators, a new account never used, and a policy below the guideline (no minimum length,
// passwords never expire, no lockout).
std::unique_ptr<FakeLocalAccounts> ClinicPc() {
  auto api = std::make_unique<FakeLocalAccounts>();
  parse::NetUserRecord administrator = User("Administrator", 500);
  administrator.priv = parse::kUserPrivAdmin;
  administrator.last_logon = 1600000000;
  administrator.password_age = 2000 * 86400;
  parse::NetUserRecord guest =
      User("Guest", 501, parse::kUfAccountDisable | parse::kUfPasswdNotreqd);
  parse::NetUserRecord default_account =
      User("DefaultAccount", 503, parse::kUfAccountDisable | parse::kUfPasswdNotreqd);
  parse::NetUserRecord doctor = User("医師", 1001, parse::kUfDontExpirePasswd);
  doctor.full_name = "山田 太郎";
  doctor.priv = parse::kUserPrivAdmin;
  doctor.last_logon = 1749990000;
  doctor.password_age = 30 * 86400;
  parse::NetUserRecord reception = User("受付", 1002);
  reception.full_name = "受付 共用";
  reception.last_logon = 1749995000;
  reception.password_age = 400 * 86400;
  parse::NetUserRecord newcomer = User("新人", 1003);
  api->users.value = {administrator, guest, default_account, doctor, reception, newcomer};
  api->domain_sid.value = std::string(kDomain);
  api->administrators.value = {"管理者", {Sid(500), Sid(1001), "S-1-5-21-9-9-9-512"}};
  api->policy.value.min_password_length = 0;
  api->policy.value.max_password_age = parse::kTimeqForever;
  api->policy.value.lockout_threshold = 0;
  return api;
}

const facts::LocalAccount& Named(const facts::AccountList& list, std::string_view name) {
  const auto found = std::find_if(list.accounts.begin(), list.accounts.end(),
                                  [&](const facts::LocalAccount& a) { return a.name == name; });
  EXPECT_NE(found, list.accounts.end()) << name;
  return *found;
}

TEST(WindowsAccountsProbe, ListsAClinicPcsAccountsWithJapaneseNamesAndSids) {
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), ClinicPc());
  const facts::AccountList list = probe.Collect();
  EXPECT_EQ(list.meta.status, facts::ProbeStatus::Ok());
  EXPECT_EQ(list.meta.collected_at, kNow);
  ASSERT_EQ(list.accounts.size(), 6u);
  const facts::LocalAccount& doctor = Named(list, "医師");
  EXPECT_EQ(doctor.full_name, "山田 太郎");
  EXPECT_EQ(doctor.id, Sid(1001));
  EXPECT_EQ(doctor.groups, std::vector<std::string>{"管理者"});
  EXPECT_EQ(Named(list, "Administrator").id, Sid(500));
}

TEST(WindowsAccountsProbe, ReportsTheEnabledBuiltInAdministratorAndTheDisabledGuest) {
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), ClinicPc());
  const facts::AccountList list = probe.Collect();
  const facts::LocalAccount& administrator = Named(list, "Administrator");
  EXPECT_EQ(administrator.enabled, true);
  EXPECT_EQ(administrator.admin, true);
  EXPECT_FALSE(administrator.system_account);
  const facts::LocalAccount& guest = Named(list, "Guest");
  EXPECT_EQ(guest.enabled, false);
  EXPECT_EQ(guest.id, Sid(501));
  EXPECT_TRUE(Named(list, "DefaultAccount").system_account);
}

TEST(WindowsAccountsProbe, FindsExactlyTheTwoAdministrators) {
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), ClinicPc());
  const facts::AccountList list = probe.Collect();
  std::vector<std::string> admins;
  for (const facts::LocalAccount& account : list.accounts) {
    if (account.admin == true) {
      admins.push_back(account.name);
    }
  }
  EXPECT_EQ(admins, (std::vector<std::string>{"Administrator", "医師"}));
}

TEST(WindowsAccountsProbe, LeavesANeverUsedAccountsLastLogonUnknown) {
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), ClinicPc());
  const facts::AccountList list = probe.Collect();
  EXPECT_EQ(Named(list, "新人").last_logon, std::nullopt);
  EXPECT_EQ(Named(list, "受付").last_logon, facts::Timestamp(std::chrono::seconds(1749995000)));
  EXPECT_EQ(Named(list, "受付").password_changed_at, kNow - std::chrono::days(400));
}

TEST(WindowsAccountsProbe, ReportsAPolicyBelowTheGuideline) {
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), ClinicPc());
  const facts::AccountList list = probe.Collect();
  EXPECT_EQ(list.password_policy.min_length, 0u);
  EXPECT_EQ(list.password_policy.max_age_days, 0u);  // never expires
  EXPECT_EQ(list.password_policy.lockout_threshold, 0u);
  // Without a minimum length Windows accepts an empty password: whether one is set stays unknown.
  EXPECT_EQ(Named(list, "受付").password_empty, std::nullopt);
  EXPECT_EQ(Named(list, "受付").password_expires, false);
}

TEST(WindowsAccountsProbe, IsUnknownNamingNetUserEnumWhenAccountsCannotBeListed) {
  auto api = ClinicPc();
  api->users.value.clear();
  api->users.error = "NetUserEnum level 3 failed: error 124 (ERROR_INVALID_LEVEL)";
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  const facts::AccountList list = probe.Collect();
  EXPECT_EQ(list.meta.status, facts::ProbeStatus::Unknown(
                                  "NetUserEnum level 3 failed: error 124 (ERROR_INVALID_LEVEL)"));
  EXPECT_TRUE(list.accounts.empty());
  // What could be read is still reported.
  EXPECT_EQ(list.password_policy.min_length, 0u);
}

TEST(WindowsAccountsProbe, SaysWhatElseFailedWhenAccountsCannotBeListed) {
  auto api = ClinicPc();
  api->users.error = "NetUserEnum level 3 failed: error 124 (ERROR_INVALID_LEVEL)";
  api->policy = {};
  api->policy.error = "NetUserModalsGet level 0 failed: error 50 (ERROR_NOT_SUPPORTED)";
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  EXPECT_EQ(probe.Collect().meta.status,
            facts::ProbeStatus::Unknown(
                "NetUserEnum level 3 failed: error 124 (ERROR_INVALID_LEVEL); password policy "
                "incomplete: NetUserModalsGet level 0 failed: error 50 (ERROR_NOT_SUPPORTED)"));
}

TEST(WindowsAccountsProbe, IsUnknownWhenNoAccountIsListed) {
  auto api = ClinicPc();
  api->users.value.clear();
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  EXPECT_EQ(probe.Collect().meta.status.state, facts::ProbeState::kUnknown);
}

TEST(WindowsAccountsProbe, FallsBackToThePrivilegeAndSaysSoWhenTheGroupIsUnreadable) {
  auto api = ClinicPc();
  api->administrators.error = "NetLocalGroupGetMembers failed: error 5 (ERROR_ACCESS_DENIED)";
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  const facts::AccountList list = probe.Collect();
  EXPECT_TRUE(list.meta.status.ok());
  EXPECT_THAT(list.meta.status.reason, HasSubstr("Administrators members unread"));
  EXPECT_THAT(list.meta.status.reason, HasSubstr("ERROR_ACCESS_DENIED"));
  EXPECT_EQ(Named(list, "医師").admin, true);
  EXPECT_EQ(Named(list, "受付").admin, false);
}

TEST(WindowsAccountsProbe, KeepsAccountsWithoutSidsWhenTheDomainSidIsUnreadable) {
  auto api = ClinicPc();
  api->domain_sid.error = "LsaOpenPolicy failed: error 5 (ERROR_ACCESS_DENIED)";
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  const facts::AccountList list = probe.Collect();
  EXPECT_TRUE(list.meta.status.ok());
  EXPECT_THAT(list.meta.status.reason, HasSubstr("no account SIDs"));
  EXPECT_EQ(Named(list, "Administrator").id, "");
  // The privilege still marks the administrators.
  EXPECT_EQ(Named(list, "Administrator").admin, true);
}

TEST(WindowsAccountsProbe, KeepsThePartOfThePolicyThatWasRead) {
  auto api = ClinicPc();
  api->policy.value.min_password_length = 12;
  api->policy.value.max_password_age = 90 * 86400;
  api->policy.value.lockout_threshold.reset();
  api->policy.error = "NetUserModalsGet level 3 failed: error 5 (ERROR_ACCESS_DENIED)";
  WindowsAccountsProbe probe(testing::FixedTimeEnvironment({}, kNow), std::move(api));
  const facts::AccountList list = probe.Collect();
  EXPECT_EQ(list.password_policy.min_length, 12u);
  EXPECT_EQ(list.password_policy.max_age_days, 90u);
  EXPECT_EQ(list.password_policy.lockout_threshold, std::nullopt);
  EXPECT_THAT(list.meta.status.reason, HasSubstr("NetUserModalsGet level 3"));
  EXPECT_EQ(Named(list, "受付").password_empty, false);
}

// Wine implements NetUserEnum without level 3; real Windows lists at least the built-in
// Administrator. Either way: no crash, and a failure names the API.
TEST(WindowsAccountsProbe, ReadsTheRealSamOrSaysWhichCallFailed) {
  ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  ASSERT_NE(probes.accounts, nullptr);
  const facts::AccountList list = probes.accounts->Collect();
  if (list.meta.status.ok()) {
    EXPECT_TRUE(std::any_of(list.accounts.begin(), list.accounts.end(),
                            [](const facts::LocalAccount& a) { return a.id.ends_with("-500"); }));
  } else {
    EXPECT_EQ(list.meta.status.state, facts::ProbeState::kUnknown);
    EXPECT_THAT(list.meta.status.reason, StartsWith("NetUserEnum level 3 failed: error "));
  }
}

}  // namespace
}  // namespace mamori::platform
