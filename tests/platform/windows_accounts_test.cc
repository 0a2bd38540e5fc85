// USER_INFO_3 / USER_MODALS_INFO decoding on every OS: a clinic PC's accounts as NetUserEnum would
// report them.
#include "platform/parse/windows_accounts.h"

#include <gtest/gtest.h>

#include <chrono>

namespace mamori::parse {
namespace {

using std::chrono::days;
using std::chrono::seconds;

const facts::Timestamp kNow{seconds(1750000000)};  // 2025-06-15
constexpr std::string_view kDomain = "S-1-5-21-1111111111-2222222222-3333333333";

AccountContext ClinicContext() {
  AccountContext context;
  context.domain_sid = std::string(kDomain);
  context.admin_group = "管理者";
  context.admin_member_sids =
      std::vector<std::string>{AccountSid(kDomain, 500), AccountSid(kDomain, 1001)};
  context.modals.min_password_length = 8;
  context.modals.max_password_age = 42 * 86400;
  context.modals.lockout_threshold = 10;
  context.now = kNow;
  return context;
}

NetUserRecord User(std::string name, uint32_t rid) {
  NetUserRecord user;
  user.name = std::move(name);
  user.rid = rid;
  user.priv = 1;  // USER_PRIV_USER
  return user;
}

TEST(WindowsAccountSid, AppendsTheRidToTheDomainSid) {
  EXPECT_EQ(AccountSid("S-1-5-21-1-2-3", 500), "S-1-5-21-1-2-3-500");
  EXPECT_EQ(AccountSid("", 500), "");
}

TEST(WindowsNetUser, KeepsJapaneseNamesAndTheSid) {
  NetUserRecord user = User("受付", 1002);
  user.full_name = "山田 太郎";
  const facts::LocalAccount account = DecodeNetUser(user, ClinicContext());
  EXPECT_EQ(account.name, "受付");
  EXPECT_EQ(account.full_name, "山田 太郎");
  EXPECT_EQ(account.id, std::string(kDomain) + "-1002");
  EXPECT_FALSE(account.system_account);
}

TEST(WindowsNetUser, ReadsDisabledAndLockedFromTheFlags) {
  NetUserRecord guest = User("Guest", kRidGuest);
  guest.flags |= kUfAccountDisable;
  const facts::LocalAccount disabled = DecodeNetUser(guest, ClinicContext());
  EXPECT_EQ(disabled.enabled, false);
  EXPECT_EQ(disabled.locked, false);

  NetUserRecord locked_out = User("医師", 1001);
  locked_out.flags |= kUfLockout;
  const facts::LocalAccount locked = DecodeNetUser(locked_out, ClinicContext());
  EXPECT_EQ(locked.enabled, true);
  EXPECT_EQ(locked.locked, true);
}

TEST(WindowsNetUser, TreatsAnExpiredAccountAsDisabledAndLocked) {
  NetUserRecord user = User("退職者", 1005);
  user.account_expires = 1700000000;  // 2023-11-14, before kNow
  const facts::LocalAccount account = DecodeNetUser(user, ClinicContext());
  EXPECT_EQ(account.enabled, false);
  EXPECT_EQ(account.locked, true);

  user.account_expires = 1800000000;  // 2027: not yet
  EXPECT_EQ(DecodeNetUser(user, ClinicContext()).enabled, true);
}

TEST(WindowsNetUser, FindsAdministratorsBySidAndNamesTheLocalisedGroup) {
  const facts::LocalAccount doctor = DecodeNetUser(User("医師", 1001), ClinicContext());
  EXPECT_EQ(doctor.admin, true);
  EXPECT_EQ(doctor.groups, std::vector<std::string>{"管理者"});

  const facts::LocalAccount reception = DecodeNetUser(User("受付", 1002), ClinicContext());
  EXPECT_EQ(reception.admin, false);
  EXPECT_TRUE(reception.groups.empty());
}

TEST(WindowsNetUser, FallsBackToTheAdminPrivilegeWhenTheGroupIsUnreadable) {
  AccountContext context = ClinicContext();
  context.admin_member_sids.reset();
  context.admin_group.clear();
  NetUserRecord admin = User("院長", 1003);
  admin.priv = kUserPrivAdmin;
  const facts::LocalAccount account = DecodeNetUser(admin, context);
  EXPECT_EQ(account.admin, true);
  EXPECT_TRUE(account.groups.empty());
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), context).admin, false);
}

TEST(WindowsNetUser, NeverCallsAPasswordEmptyFromPasswdNotreqd) {
  NetUserRecord user = User("共用", 1004);
  user.flags |= kUfPasswdNotreqd;
  EXPECT_EQ(DecodeNetUser(user, ClinicContext()).password_empty, std::nullopt);
}

TEST(WindowsNetUser, CallsAPasswordSetOnlyWhenAMinimumLengthIsEnforced) {
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), ClinicContext()).password_empty, false);

  AccountContext no_minimum = ClinicContext();
  no_minimum.modals.min_password_length = 0;
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), no_minimum).password_empty, std::nullopt);

  AccountContext unread = ClinicContext();
  unread.modals.min_password_length.reset();
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), unread).password_empty, std::nullopt);
}

TEST(WindowsNetUser, PasswordExpiresUnlessTheFlagOrThePolicySaysNever) {
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), ClinicContext()).password_expires, true);

  NetUserRecord never = User("受付", 1002);
  never.flags |= kUfDontExpirePasswd;
  EXPECT_EQ(DecodeNetUser(never, ClinicContext()).password_expires, false);

  AccountContext forever = ClinicContext();
  forever.modals.max_password_age = kTimeqForever;
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), forever).password_expires, false);

  AccountContext unread = ClinicContext();
  unread.modals.max_password_age.reset();
  EXPECT_EQ(DecodeNetUser(User("受付", 1002), unread).password_expires, std::nullopt);
}

TEST(WindowsNetUser, DatesThePasswordChangeAndTheLastLogon) {
  NetUserRecord user = User("医師", 1001);
  user.password_age = 100 * 86400;
  user.last_logon = 1749900000;
  const facts::LocalAccount account = DecodeNetUser(user, ClinicContext());
  EXPECT_EQ(account.password_changed_at, kNow - days(100));
  EXPECT_EQ(account.last_logon, facts::Timestamp(seconds(1749900000)));
}

TEST(WindowsNetUser, LeavesANeverUsedAccountsLastLogonUnknown) {
  EXPECT_EQ(DecodeNetUser(User("新人", 1006), ClinicContext()).last_logon, std::nullopt);
}

TEST(WindowsNetUser, MarksOnlyDefaultAccountAndWdagAsSystemAccounts) {
  EXPECT_TRUE(DecodeNetUser(User("DefaultAccount", 503), ClinicContext()).system_account);
  EXPECT_TRUE(DecodeNetUser(User("WDAGUtilityAccount", 504), ClinicContext()).system_account);
  EXPECT_FALSE(DecodeNetUser(User("Administrator", 500), ClinicContext()).system_account);
  EXPECT_FALSE(DecodeNetUser(User("Guest", 501), ClinicContext()).system_account);
}

TEST(WindowsNetUser, LeavesTheIdEmptyWithoutTheDomainSid) {
  AccountContext context = ClinicContext();
  context.domain_sid.clear();
  EXPECT_EQ(DecodeNetUser(User("Administrator", 500), context).id, "");
}

TEST(WindowsPasswordPolicy, ReadsLengthAgeInDaysAndLockout) {
  UserModals modals;
  modals.min_password_length = 8;
  modals.max_password_age = 42 * 86400;
  modals.lockout_threshold = 10;
  const facts::PasswordPolicy policy = DecodePasswordPolicy(modals);
  EXPECT_EQ(policy.min_length, 8u);
  EXPECT_EQ(policy.max_age_days, 42u);
  EXPECT_EQ(policy.lockout_threshold, 10u);
  EXPECT_EQ(policy.min_classes, std::nullopt);
  EXPECT_EQ(policy.complexity_required, std::nullopt);
}

TEST(WindowsPasswordPolicy, ReportsNeverExpiringAsZeroDays) {
  UserModals modals;
  modals.max_password_age = kTimeqForever;
  EXPECT_EQ(DecodePasswordPolicy(modals).max_age_days, 0u);
}

TEST(WindowsPasswordPolicy, RoundsAPartialDayUp) {
  UserModals modals;
  modals.max_password_age = 3600;
  EXPECT_EQ(DecodePasswordPolicy(modals).max_age_days, 1u);
}

TEST(WindowsPasswordPolicy, LeavesUnreadValuesUnknown) {
  EXPECT_EQ(DecodePasswordPolicy(UserModals{}), facts::PasswordPolicy{});
}

}  // namespace
}  // namespace mamori::parse
