// The Windows accounts probe: the local accounts for the 棚卸し (account review), who is in the
// Administrators group, and the password and lockout policy.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/local_accounts_api.h"

namespace mamori::platform {

// Accounts come from NetUserEnum level 3 and are decoded by parse::DecodeNetUser (the meaning of
// each field, UF_PASSWD_NOTREQD included, is documented there). The section is unknown, naming the
// call and its error, when the accounts cannot be listed (Wine answers ERROR_INVALID_LEVEL); the
// password policy is still filled when it was read. When only part of the rest could be read (the
// domain SID, the Administrators members, a NetUserModalsGet level) the section is ok with a reason
// saying what is missing, and the facts that depend on it stay unknown.
class WindowsAccountsProbe final : public Probe<facts::AccountList> {
 public:
  WindowsAccountsProbe(ProbeEnvironment env, std::unique_ptr<LocalAccountsApi> api);

  std::string_view Name() const override { return "windows accounts"; }
  facts::AccountList Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<LocalAccountsApi> api_;
};

}  // namespace mamori::platform
