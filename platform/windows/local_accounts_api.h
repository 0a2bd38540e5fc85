// The seam between the Windows accounts probe and the local security database: NetUserEnum,
// NetLocalGroupGetMembers, NetUserModalsGet and the account domain's SID. The real one
// (win32_local_accounts_api.h) calls netapi32/advapi32; tests on every OS pass a fake. Text is
// UTF-8 here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "platform/parse/windows_accounts.h"

namespace mamori::platform {

// A value, or why it could not be read: "NetUserEnum level 3 failed: error 124
// (ERROR_INVALID_LEVEL)".
template <typename T>
struct AccountsApiResult {
  T value{};
  std::string error;
  bool ok() const { return error.empty(); }
};

// The built-in Administrators group (S-1-5-32-544) under its local name.
struct LocalGroupMembers {
  std::string name;                      // "Administrators", "管理者"
  std::vector<std::string> member_sids;  // "S-1-5-21-...-500"; domain groups and users included
};

class LocalAccountsApi {
 public:
  // No clinic PC has this many local accounts or administrators; more are not listed (a bound
  // against a corrupt or hostile SAM, not a limit anyone meets).
  static constexpr std::size_t kMaxUsers = 1000;
  static constexpr std::size_t kMaxGroupMembers = 1000;

  virtual ~LocalAccountsApi() = default;
  // NetUserEnum level 3, FILTER_NORMAL_ACCOUNT (people's and built-in accounts, no machine trust
  // accounts), at most kMaxUsers.
  virtual AccountsApiResult<std::vector<parse::NetUserRecord>> ListUsers() = 0;
  // The account domain SID ("S-1-5-21-a-b-c") that every local account's SID extends with its RID.
  virtual AccountsApiResult<std::string> AccountDomainSid() = 0;
  // Looks S-1-5-32-544 up by SID (the name differs by Windows language) and lists its members.
  virtual AccountsApiResult<LocalGroupMembers> Administrators() = 0;
  // NetUserModalsGet level 0 (length, age) and level 3 (lockout); error names the first level that
  // failed, values read before it are kept.
  virtual AccountsApiResult<parse::UserModals> PasswordPolicy() = 0;
};

}  // namespace mamori::platform
