// COM and WMI HRESULTs to report text.
#include "platform/parse/hresult.h"

#include <array>
#include <cstdio>

namespace mamori::parse {
namespace {

struct NamedHresult {
  uint32_t code;
  std::string_view name;
};

// wbemcli.h and winerror.h: what CoInitializeEx, CoCreateInstance, IWbemLocator::ConnectServer,
// IWbemServices::ExecQuery and IEnumWbemClassObject::Next return on real hosts and under Wine.
constexpr std::array kNamedHresults = {
    NamedHresult{0x00040004, "WBEM_S_TIMEDOUT"},
    NamedHresult{0x80004001, "E_NOTIMPL"},
    NamedHresult{0x80004002, "E_NOINTERFACE"},
    NamedHresult{0x80004005, "E_FAIL"},
    NamedHresult{0x80010106, "RPC_E_CHANGED_MODE"},
    NamedHresult{0x80010108, "RPC_E_DISCONNECTED"},
    NamedHresult{0x80010119, "RPC_E_TOO_LATE"},
    NamedHresult{0x80040154, "REGDB_E_CLASSNOTREG"},
    NamedHresult{0x800401F0, "CO_E_NOTINITIALIZED"},
    NamedHresult{0x80041001, "WBEM_E_FAILED"},
    NamedHresult{0x80041002, "WBEM_E_NOT_FOUND"},
    NamedHresult{0x80041003, "WBEM_E_ACCESS_DENIED"},
    NamedHresult{0x80041004, "WBEM_E_PROVIDER_FAILURE"},
    NamedHresult{0x80041006, "WBEM_E_OUT_OF_MEMORY"},
    NamedHresult{0x80041008, "WBEM_E_INVALID_PARAMETER"},
    NamedHresult{0x8004100A, "WBEM_E_CRITICAL_ERROR"},
    NamedHresult{0x8004100C, "WBEM_E_NOT_SUPPORTED"},
    NamedHresult{0x8004100E, "WBEM_E_INVALID_NAMESPACE"},
    NamedHresult{0x80041010, "WBEM_E_INVALID_CLASS"},
    NamedHresult{0x80041011, "WBEM_E_PROVIDER_NOT_FOUND"},
    NamedHresult{0x80041013, "WBEM_E_PROVIDER_LOAD_FAILURE"},
    NamedHresult{0x80041014, "WBEM_E_INITIALIZATION_FAILURE"},
    NamedHresult{0x80041015, "WBEM_E_TRANSPORT_FAILURE"},
    NamedHresult{0x80041017, "WBEM_E_INVALID_QUERY"},
    NamedHresult{0x80041032, "WBEM_E_CALL_CANCELLED"},
    NamedHresult{0x80041033, "WBEM_E_SHUTTING_DOWN"},
    NamedHresult{0x80041069, "WBEM_E_TIMED_OUT"},
    NamedHresult{0x8004106C, "WBEM_E_QUOTA_VIOLATION"},
    NamedHresult{0x80070005, "E_ACCESSDENIED"},
    NamedHresult{0x8007000E, "E_OUTOFMEMORY"},
    NamedHresult{0x80070057, "E_INVALIDARG"},
    NamedHresult{0x80070422, "HRESULT_FROM_WIN32(ERROR_SERVICE_DISABLED)"},
    NamedHresult{0x800706BA, "HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE)"},
    NamedHresult{0x80080005, "CO_E_SERVER_EXEC_FAILURE"},
};

}  // namespace

std::string_view HresultName(uint32_t hresult) {
  for (const NamedHresult& named : kNamedHresults) {
    if (named.code == hresult) {
      return named.name;
    }
  }
  return {};
}

std::string DescribeHresult(uint32_t hresult) {
  char hex[11];
  std::snprintf(hex, sizeof(hex), "0x%08X", static_cast<unsigned>(hresult));
  std::string text(hex);
  if (const std::string_view name = HresultName(hresult); !name.empty()) {
    text += " (" + std::string(name) + ")";
  }
  return text;
}

bool IsAccessDeniedHresult(uint32_t hresult) {
  return hresult == 0x80041003 || hresult == 0x80070005;
}

}  // namespace mamori::parse
