// The real LocalAccountsApi: netapi32 (NetUserEnum, NetLocalGroupGetMembers, NetUserModalsGet) and
// advapi32 (LSA account domain, LookupAccountSidW) on the local machine.
#pragma once

#include <memory>

#include "platform/windows/local_accounts_api.h"

namespace mamori::platform {

std::unique_ptr<LocalAccountsApi> MakeWin32LocalAccountsApi();

}  // namespace mamori::platform
