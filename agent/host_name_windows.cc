// Windows: GetComputerNameExW(ComputerNameDnsHostname), converted to UTF-8 at this edge.
#include <windows.h>

#include "agent/host_name.h"
#include "platform/windows/wide_text.h"

namespace mamori::agent {

std::string ThisHostName() {
  // DNS host names are at most 63 characters; NetBIOS ones 15.
  wchar_t name[256] = {};
  DWORD length = 256;
  if (!::GetComputerNameExW(ComputerNameDnsHostname, name, &length) || length == 0) {
    return "unknown";
  }
  return platform::ToUtf8(std::wstring_view(name, length));
}

}  // namespace mamori::agent
