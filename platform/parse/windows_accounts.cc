// USER_INFO_3 and USER_MODALS_INFO_0/3 values to the facts model.
#include "platform/parse/windows_accounts.h"

#include <algorithm>
#include <chrono>

#include "platform/parse/windows_time.h"

namespace mamori::parse {
namespace {

constexpr uint32_t kSecondsPerDay = 86400;

bool Has(uint32_t flags, uint32_t bit) { return (flags & bit) != 0; }

bool Expired(uint32_t account_expires, facts::Timestamp now) {
  if (account_expires == kTimeqForever) {
    return false;
  }
  const std::optional<facts::Timestamp> at = FromUnixSeconds(account_expires);
  return at && *at <= now;
}

}  // namespace

std::string AccountSid(std::string_view domain_sid, uint32_t rid) {
  if (domain_sid.empty()) {
    return {};
  }
  return std::string(domain_sid) + "-" + std::to_string(rid);
}

bool IsServiceTypeAccount(uint32_t rid) {
  return rid == kRidDefaultAccount || rid == kRidWdagUtilityAccount;
}

facts::PasswordPolicy DecodePasswordPolicy(const UserModals& modals) {
  facts::PasswordPolicy policy;
  policy.min_length = modals.min_password_length;
  if (modals.max_password_age) {
    const uint32_t seconds = *modals.max_password_age;
    policy.max_age_days = seconds == kTimeqForever
                              ? 0
                              : seconds / kSecondsPerDay + (seconds % kSecondsPerDay != 0 ? 1 : 0);
  }
  policy.lockout_threshold = modals.lockout_threshold;
  return policy;
}

facts::LocalAccount DecodeNetUser(const NetUserRecord& user, const AccountContext& context) {
  facts::LocalAccount account;
  account.name = user.name;
  account.full_name = user.full_name;
  account.id = AccountSid(context.domain_sid, user.rid);
  account.system_account = IsServiceTypeAccount(user.rid);

  const bool expired = Expired(user.account_expires, context.now);
  account.enabled = !Has(user.flags, kUfAccountDisable) && !expired;
  account.locked = Has(user.flags, kUfLockout) || expired;

  bool member = false;
  if (context.admin_member_sids && !account.id.empty()) {
    member = std::find(context.admin_member_sids->begin(), context.admin_member_sids->end(),
                       account.id) != context.admin_member_sids->end();
  }
  account.admin = member || user.priv == kUserPrivAdmin;
  if (*account.admin && !context.admin_group.empty()) {
    account.groups.push_back(context.admin_group);
  }

  const std::optional<uint32_t> min_length = context.modals.min_password_length;
  if (!Has(user.flags, kUfPasswdNotreqd) && min_length && *min_length > 0) {
    account.password_empty = false;
  }

  const std::optional<uint32_t> max_age = context.modals.max_password_age;
  if (Has(user.flags, kUfDontExpirePasswd) || (max_age && *max_age == kTimeqForever)) {
    account.password_expires = false;
  } else if (max_age) {
    account.password_expires = *max_age > 0;
  }

  const auto since_epoch = context.now.time_since_epoch();
  const std::chrono::seconds age{user.password_age};
  if (age <= since_epoch) {
    account.password_changed_at = context.now - age;
  }
  account.last_logon = FromUnixSeconds(user.last_logon);
  return account;
}

}  // namespace mamori::parse
