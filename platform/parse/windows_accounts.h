// A Windows PC's local accounts decoded from NetUserEnum (USER_INFO_3) and NetUserModalsGet (levels
// 0 and 3). Pure, tested on every OS: the real seam copies the Win32 structures into these plain
// records at the API edge, tests build them directly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// usri3_flags bits and usri3_priv values (lmaccess.h).
inline constexpr uint32_t kUfAccountDisable = 0x0002;
inline constexpr uint32_t kUfLockout = 0x0010;
inline constexpr uint32_t kUfPasswdNotreqd = 0x0020;
inline constexpr uint32_t kUfNormalAccount = 0x0200;
inline constexpr uint32_t kUfDontExpirePasswd = 0x10000;
inline constexpr uint32_t kUserPrivAdmin = 2;
// "Never", for usri3_acct_expires and usrmod0_max_passwd_age.
inline constexpr uint32_t kTimeqForever = 0xFFFFFFFF;

// Well-known relative ids of a machine's accounts (winnt.h DOMAIN_USER_RID_*).
inline constexpr uint32_t kRidAdministrator = 500;
inline constexpr uint32_t kRidGuest = 501;
inline constexpr uint32_t kRidDefaultAccount = 503;
inline constexpr uint32_t kRidWdagUtilityAccount = 504;

// The USER_INFO_3 fields the probe uses, text already in UTF-8.
struct NetUserRecord {
  std::string name;       // usri3_name ("受付")
  std::string full_name;  // usri3_full_name ("山田 太郎")
  uint32_t flags = kUfNormalAccount;
  uint32_t rid = 0;                          // usri3_user_id
  uint32_t priv = 0;                         // usri3_priv: USER_PRIV_GUEST/USER/ADMIN
  uint32_t last_logon = 0;                   // seconds since 1970 UTC; 0 = never
  uint32_t password_age = 0;                 // seconds since the password was last set
  uint32_t account_expires = kTimeqForever;  // seconds since 1970 UTC; TIMEQ_FOREVER = never
  friend bool operator==(const NetUserRecord&, const NetUserRecord&) = default;
};

// The machine's password and lockout policy; nullopt where NetUserModalsGet failed.
struct UserModals {
  std::optional<uint32_t> min_password_length;  // usrmod0_min_passwd_len
  std::optional<uint32_t> max_password_age;     // usrmod0_max_passwd_age, seconds
  std::optional<uint32_t> lockout_threshold;    // usrmod3_lockout_threshold; 0 = never locks
  friend bool operator==(const UserModals&, const UserModals&) = default;
};

// What decoding one account needs besides its own record.
struct AccountContext {
  // The account domain's SID ("S-1-5-21-1-2-3"): an account's SID is it plus the RID. Empty when
  // it could not be read; ids then stay empty.
  std::string domain_sid;
  // The Administrators group (S-1-5-32-544) by its local name ("Administrators", "管理者"), and the
  // SIDs of its members; members are nullopt when the group could not be read.
  std::string admin_group;
  std::optional<std::vector<std::string>> admin_member_sids;
  UserModals modals;
  facts::Timestamp now;
};

// "S-1-5-21-1-2-3" + 500 -> "S-1-5-21-1-2-3-500"; empty when the domain SID is.
std::string AccountSid(std::string_view domain_sid, uint32_t rid);

// DefaultAccount (503) and WDAGUtilityAccount (504): Windows' own, never a person's login.
bool IsServiceTypeAccount(uint32_t rid);

// min_length and lockout_threshold as read; max_age_days rounded up to whole days, 0 for
// TIMEQ_FOREVER (the rules read 0 as "never expires", as Windows' own dialog shows it). Windows has
// no character-class count; complexity is a separate SAM setting NetUserModalsGet does not return,
// so both stay unknown.
facts::PasswordPolicy DecodePasswordPolicy(const UserModals& modals);

// One account:
// - enabled: UF_ACCOUNTDISABLE clear and the account not expired (usri3_acct_expires passed).
// - locked: UF_LOCKOUT (too many bad passwords), or expired.
// - admin: a member of Administrators by SID, or usri3_priv = USER_PRIV_ADMIN (which Windows
//   derives from that membership) when the members could not be read; groups then names the group.
// - password_empty: never true. UF_PASSWD_NOTREQD means the account *may* have an empty password
//   whatever the policy says, not that it has one, and the only way to know is a logon attempt that
//   counts toward lockout. So it is unknown with UF_PASSWD_NOTREQD set, and unknown when the policy
//   allows empty passwords (minimum length 0, Windows' default on a PC outside a domain); false
//   only when the flag is clear and a minimum length is enforced (a password set before the
//   minimum was raised is not re-checked by Windows: docs/windows.md).
// - password_expires: false with UF_DONT_EXPIRE_PASSWD or a policy of "never"; true when the policy
//   sets a maximum age; unknown without the policy.
// - password_changed_at: now - usri3_password_age.
// - last_logon: usri3_last_logon (0 = never -> unknown, which the rules read as never used).
// - system_account: DefaultAccount and WDAGUtilityAccount only. The built-in Administrator and
//   Guest stay people's logins to review (the rules find them by RID 500/501).
facts::LocalAccount DecodeNetUser(const NetUserRecord& user, const AccountContext& context);

}  // namespace mamori::parse
