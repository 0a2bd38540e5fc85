// The real LocalAccountsApi. Every NetAPI buffer is freed with NetApiBufferFree, LSA memory with
// LsaFreeMemory, string SIDs with LocalFree, by RAII, on every path.
#include "platform/windows/win32_local_accounts_api.h"

#include <windows.h>

#include <lm.h>
#include <ntsecapi.h>
#include <sddl.h>

#include <cwchar>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "platform/parse/win32_error.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// Account and group names are at most 256 characters (UNLEN, GNLEN); anything longer is cut here
// rather than trusted.
constexpr std::size_t kMaxNameChars = 256;
// NetUserEnum and NetLocalGroupGetMembers hand everything over in one call with
// MAX_PREFERRED_LENGTH; the bound stops a misbehaving server from looping us forever.
constexpr int kMaxEnumerationCalls = 64;

struct NetBufferFree {
  void operator()(void* buffer) const { ::NetApiBufferFree(buffer); }
};
using NetBuffer = std::unique_ptr<void, NetBufferFree>;

struct LocalMemoryFree {
  void operator()(void* memory) const { ::LocalFree(memory); }
};

struct LsaMemoryFree {
  void operator()(void* memory) const { ::LsaFreeMemory(memory); }
};

struct LsaHandleClose {
  void operator()(void* handle) const { ::LsaClose(handle); }
};
using LsaPolicy = std::unique_ptr<void, LsaHandleClose>;

std::string Utf8(const wchar_t* text) {
  if (text == nullptr) {
    return {};
  }
  return ToUtf8(std::wstring_view(text, ::wcsnlen(text, kMaxNameChars)));
}

// "S-1-5-21-..." or empty when the SID cannot be converted.
std::string SidText(PSID sid) {
  LPWSTR raw = nullptr;
  if (sid == nullptr || !::ConvertSidToStringSidW(sid, &raw)) {
    return {};
  }
  const std::unique_ptr<wchar_t, LocalMemoryFree> text(raw);
  return ToUtf8(text.get());
}

class Win32LocalAccountsApi final : public LocalAccountsApi {
 public:
  AccountsApiResult<std::vector<parse::NetUserRecord>> ListUsers() override {
    AccountsApiResult<std::vector<parse::NetUserRecord>> result;
    DWORD resume = 0;
    NET_API_STATUS status = ERROR_MORE_DATA;
    for (int call = 0; call < kMaxEnumerationCalls && status == ERROR_MORE_DATA &&
                       result.value.size() < kMaxUsers;
         ++call) {
      LPBYTE raw = nullptr;
      DWORD read = 0;
      DWORD total = 0;
      status = ::NetUserEnum(nullptr, 3, FILTER_NORMAL_ACCOUNT, &raw, MAX_PREFERRED_LENGTH, &read,
                             &total, &resume);
      const NetBuffer buffer(raw);  // freed even when the call failed with ERROR_MORE_DATA
      if (status != NERR_Success && status != ERROR_MORE_DATA) {
        result.error = parse::Win32CallFailed("NetUserEnum level 3", status);
        result.value.clear();
        return result;
      }
      const auto* users = static_cast<const USER_INFO_3*>(buffer.get());
      for (DWORD i = 0; users != nullptr && i < read && result.value.size() < kMaxUsers; ++i) {
        const USER_INFO_3& user = users[i];
        parse::NetUserRecord record;
        record.name = Utf8(user.usri3_name);
        record.full_name = Utf8(user.usri3_full_name);
        record.flags = user.usri3_flags;
        record.rid = user.usri3_user_id;
        record.priv = user.usri3_priv;
        record.last_logon = user.usri3_last_logon;
        record.password_age = user.usri3_password_age;
        record.account_expires = user.usri3_acct_expires;
        if (!record.name.empty()) {
          result.value.push_back(std::move(record));
        }
      }
    }
    return result;
  }

  AccountsApiResult<std::string> AccountDomainSid() override {
    AccountsApiResult<std::string> result;
    LSA_OBJECT_ATTRIBUTES attributes{};
    LSA_HANDLE raw_policy = nullptr;
    const NTSTATUS opened =
        ::LsaOpenPolicy(nullptr, &attributes, POLICY_VIEW_LOCAL_INFORMATION, &raw_policy);
    if (opened != 0) {
      result.error = parse::Win32CallFailed("LsaOpenPolicy", ::LsaNtStatusToWinError(opened));
      return result;
    }
    const LsaPolicy policy(raw_policy);
    void* raw_info = nullptr;
    const NTSTATUS queried =
        ::LsaQueryInformationPolicy(policy.get(), PolicyAccountDomainInformation, &raw_info);
    const std::unique_ptr<void, LsaMemoryFree> info(raw_info);
    if (queried != 0 || info == nullptr) {
      result.error =
          parse::Win32CallFailed("LsaQueryInformationPolicy(PolicyAccountDomainInformation)",
                                 ::LsaNtStatusToWinError(queried));
      return result;
    }
    result.value = SidText(static_cast<POLICY_ACCOUNT_DOMAIN_INFO*>(info.get())->DomainSid);
    if (result.value.empty()) {
      result.error = parse::Win32CallFailed("ConvertSidToStringSidW", ::GetLastError());
    }
    return result;
  }

  AccountsApiResult<LocalGroupMembers> Administrators() override {
    AccountsApiResult<LocalGroupMembers> result;
    BYTE sid[SECURITY_MAX_SID_SIZE] = {};
    DWORD sid_size = sizeof(sid);
    if (!::CreateWellKnownSid(WinBuiltinAdministratorsSid, nullptr, sid, &sid_size)) {
      result.error = parse::Win32CallFailed("CreateWellKnownSid(S-1-5-32-544)", ::GetLastError());
      return result;
    }
    wchar_t name[kMaxNameChars + 1] = {};
    wchar_t domain[kMaxNameChars + 1] = {};
    DWORD name_chars = kMaxNameChars + 1;
    DWORD domain_chars = kMaxNameChars + 1;
    SID_NAME_USE use = SidTypeUnknown;
    if (!::LookupAccountSidW(nullptr, sid, name, &name_chars, domain, &domain_chars, &use)) {
      result.error = parse::Win32CallFailed("LookupAccountSidW(S-1-5-32-544)", ::GetLastError());
      return result;
    }
    result.value.name = Utf8(name);

    DWORD_PTR resume = 0;
    NET_API_STATUS status = ERROR_MORE_DATA;
    for (int call = 0; call < kMaxEnumerationCalls && status == ERROR_MORE_DATA &&
                       result.value.member_sids.size() < kMaxGroupMembers;
         ++call) {
      LPBYTE raw = nullptr;
      DWORD read = 0;
      DWORD total = 0;
      status = ::NetLocalGroupGetMembers(nullptr, name, 0, &raw, MAX_PREFERRED_LENGTH, &read,
                                         &total, &resume);
      const NetBuffer buffer(raw);
      if (status != NERR_Success && status != ERROR_MORE_DATA) {
        result.error = parse::Win32CallFailed("NetLocalGroupGetMembers", status);
        result.value.member_sids.clear();
        return result;
      }
      const auto* members = static_cast<const LOCALGROUP_MEMBERS_INFO_0*>(buffer.get());
      for (DWORD i = 0;
           members != nullptr && i < read && result.value.member_sids.size() < kMaxGroupMembers;
           ++i) {
        if (std::string member = SidText(members[i].lgrmi0_sid); !member.empty()) {
          result.value.member_sids.push_back(std::move(member));
        }
      }
    }
    return result;
  }

  AccountsApiResult<parse::UserModals> PasswordPolicy() override {
    AccountsApiResult<parse::UserModals> result;
    LPBYTE raw = nullptr;
    NET_API_STATUS status = ::NetUserModalsGet(nullptr, 0, &raw);
    const NetBuffer level0(raw);
    if (status != NERR_Success || level0 == nullptr) {
      result.error = parse::Win32CallFailed("NetUserModalsGet level 0", status);
      return result;
    }
    const auto* modals0 = static_cast<const USER_MODALS_INFO_0*>(level0.get());
    result.value.min_password_length = modals0->usrmod0_min_passwd_len;
    result.value.max_password_age = modals0->usrmod0_max_passwd_age;

    raw = nullptr;
    status = ::NetUserModalsGet(nullptr, 3, &raw);
    const NetBuffer level3(raw);
    if (status != NERR_Success || level3 == nullptr) {
      result.error = parse::Win32CallFailed("NetUserModalsGet level 3", status);
      return result;
    }
    result.value.lockout_threshold =
        static_cast<const USER_MODALS_INFO_3*>(level3.get())->usrmod3_lockout_threshold;
    return result;
  }
};

}  // namespace

std::unique_ptr<LocalAccountsApi> MakeWin32LocalAccountsApi() {
  return std::make_unique<Win32LocalAccountsApi>();
}

}  // namespace mamori::platform
