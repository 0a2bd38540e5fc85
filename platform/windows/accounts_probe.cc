// The Windows accounts probe.
#include "platform/windows/accounts_probe.h"

#include <string>
#include <utility>
#include <vector>

#include "platform/parse/windows_accounts.h"

namespace mamori::platform {

WindowsAccountsProbe::WindowsAccountsProbe(ProbeEnvironment env,
                                           std::unique_ptr<LocalAccountsApi> api)
    : env_(std::move(env)), api_(std::move(api)) {}

facts::AccountList WindowsAccountsProbe::Collect() {
  facts::AccountList list;
  const facts::Timestamp now = env_.now();
  list.meta.collected_at = now;

  std::vector<std::string> missing;
  const AccountsApiResult<parse::UserModals> modals = api_->PasswordPolicy();
  list.password_policy = parse::DecodePasswordPolicy(modals.value);
  if (!modals.ok()) {
    missing.push_back("password policy incomplete: " + modals.error);
  }

  AccountsApiResult<std::vector<parse::NetUserRecord>> users = api_->ListUsers();
  if (!users.ok()) {
    list.meta.status = facts::ProbeStatus::Unknown(
        users.error + (modals.ok() ? std::string() : "; " + missing.front()));
    return list;
  }
  if (users.value.empty()) {
    list.meta.status = facts::ProbeStatus::Unknown("NetUserEnum level 3 listed no account");
    return list;
  }

  parse::AccountContext context;
  context.now = now;
  context.modals = modals.value;
  if (AccountsApiResult<std::string> domain = api_->AccountDomainSid(); domain.ok()) {
    context.domain_sid = std::move(domain.value);
  } else {
    missing.push_back("no account SIDs: " + domain.error);
  }
  if (AccountsApiResult<LocalGroupMembers> admins = api_->Administrators(); admins.ok()) {
    context.admin_group = std::move(admins.value.name);
    context.admin_member_sids = std::move(admins.value.member_sids);
  } else {
    missing.push_back("Administrators members unread, admin taken from usri3_priv: " +
                      admins.error);
  }

  for (const parse::NetUserRecord& user : users.value) {
    list.accounts.push_back(parse::DecodeNetUser(user, context));
  }

  std::string reason;
  for (const std::string& what : missing) {
    reason += (reason.empty() ? "" : "; ") + what;
  }
  // Ok with a reason: what was read is in the section, what was not is said.
  list.meta.status = facts::ProbeStatus{facts::ProbeState::kOk, std::move(reason)};
  return list;
}

}  // namespace mamori::platform
