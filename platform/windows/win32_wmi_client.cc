// The real WmiClient. Each Query joins the multithreaded apartment, connects, runs the query
// semi-synchronously and reads the objects one batch at a time against a deadline, then releases
// everything before leaving the apartment: probes run a handful of queries a few times a day, so a
// fresh connection per query costs nothing that matters and shares no state between threads.
#include "platform/windows/win32_wmi_client.h"

// windows.h before the COM and WMI headers, which rely on its types.
#include <windows.h>

#include <wbemidl.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "platform/parse/hresult.h"
#include "platform/windows/com_handles.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

using Clock = std::chrono::steady_clock;

// How long one IEnumWbemClassObject::Next may block. Short, so that the overall deadline below is
// checked often; a provider that is merely slow still gets its answer through repeated calls.
constexpr long kNextTimeoutMs = 1000;
// How long one Query may spend enumerating. A healthy provider answers the probes' classes in well
// under a second; one that stalls must cost the agent one bounded wait, not its collection cycle.
// ConnectServer is bounded separately by WBEM_FLAG_CONNECT_USE_MAX_WAIT, which Windows caps at two
// minutes.
constexpr auto kQueryDeadline = std::chrono::seconds(30);
// Objects asked for per Next call.
constexpr ULONG kBatch = 16;
// No class a probe reads has more properties than this (MSFT_MpComputerStatus has about 60).
constexpr std::size_t kMaxProperties = 512;
// Longer strings are skipped: no property a probe reads comes near this.
constexpr UINT kMaxStringChars = 32 * 1024;

std::string Failed(std::string_view step, std::string_view wmi_namespace, HRESULT result) {
  return std::string(step) + "(" + std::string(wmi_namespace) +
         ") failed: " + parse::DescribeHresult(static_cast<uint32_t>(result));
}

// WMI's local connections need impersonation; the default (identify) level makes providers refuse.
// Set per proxy rather than with CoInitializeSecurity, which is process-wide and belongs to the
// program (the agent service, mamori-check), not to a library. E_NOINTERFACE means the object is
// in-process (no proxy, nothing to set).
HRESULT AllowImpersonation(IUnknown* proxy) {
  const HRESULT result =
      ::CoSetProxyBlanket(proxy, RPC_C_AUTHN_WINNT, RPC_C_AUTHZ_NONE, nullptr,
                          RPC_C_AUTHN_LEVEL_CALL, RPC_C_IMP_LEVEL_IMPERSONATE, nullptr, EOAC_NONE);
  return result == E_NOINTERFACE ? S_OK : result;
}

// One VARIANT as a WmiValue; nullopt for the types no probe reads (arrays, embedded objects,
// dates as VT_DATE, which WMI does not use for CIM_DATETIME).
std::optional<WmiValue> ToWmiValue(const VARIANT& value, CIMTYPE cim_type) {
  switch (value.vt) {
    case VT_EMPTY:
    case VT_NULL:
      return WmiValue(std::monostate());
    case VT_BOOL:
      return WmiValue(value.boolVal != VARIANT_FALSE);
    case VT_I1:
      return WmiValue(int64_t{value.cVal});
    case VT_UI1:
      return WmiValue(int64_t{value.bVal});
    case VT_I2:
      return WmiValue(int64_t{value.iVal});
    case VT_UI2:
      return WmiValue(int64_t{value.uiVal});
    case VT_I4:
    case VT_INT:
      // WMI hands uint32 properties over as VT_I4: read them back unsigned so productState or
      // EncryptionMethod = 0xFFFFFFFF does not turn negative.
      if (cim_type == CIM_UINT32) {
        return WmiValue(int64_t{static_cast<uint32_t>(value.lVal)});
      }
      return WmiValue(int64_t{value.lVal});
    case VT_UI4:
    case VT_UINT:
      return WmiValue(int64_t{value.ulVal});
    case VT_I8:
      return WmiValue(int64_t{value.llVal});
    case VT_UI8:
      if (value.ullVal > static_cast<ULONGLONG>(std::numeric_limits<int64_t>::max())) {
        return std::nullopt;
      }
      return WmiValue(static_cast<int64_t>(value.ullVal));
    case VT_BSTR: {
      if (value.bstrVal == nullptr) {
        return WmiValue(std::string());
      }
      const UINT length = ::SysStringLen(value.bstrVal);
      if (length > kMaxStringChars) {
        return std::nullopt;
      }
      return WmiValue(ToUtf8(std::wstring_view(value.bstrVal, length)));
    }
    default:
      return std::nullopt;
  }
}

// The object's own (non-system) properties; the __CLASS, __PATH, ... bookkeeping is left out.
WmiObject ReadProperties(IWbemClassObject* object) {
  WmiObject properties;
  if (FAILED(object->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY))) {
    return properties;
  }
  for (std::size_t seen = 0; seen < kMaxProperties; ++seen) {
    UniqueBstr name;
    UniqueVariant value;
    CIMTYPE cim_type = CIM_EMPTY;
    if (object->Next(0, name.put(), value.put(), &cim_type, nullptr) != WBEM_S_NO_ERROR) {
      break;  // WBEM_S_NO_MORE_DATA, or an error: keep what was read
    }
    if (std::optional<WmiValue> converted = ToWmiValue(value.get(), cim_type)) {
      properties.emplace(ToUtf8(name.view()), std::move(*converted));
    }
  }
  object->EndEnumeration();
  return properties;
}

class Win32WmiClient final : public WmiClient {
 public:
  WmiQueryResult Query(std::string_view wmi_namespace, std::string_view wql) override {
    WmiQueryResult result;
    // Declared first, so every COM pointer below is released before the apartment is left.
    const ComApartment apartment;
    if (!apartment.usable()) {
      result.error = Failed("CoInitializeEx", wmi_namespace, apartment.result());
      return result;
    }

    ComPtr<IWbemLocator> locator;
    HRESULT hr = ::CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER,
                                    IID_IWbemLocator, locator.put_void());
    if (FAILED(hr)) {
      result.error = "CoCreateInstance(CLSID_WbemLocator) for " + std::string(wmi_namespace) +
                     " failed: " + parse::DescribeHresult(static_cast<uint32_t>(hr));
      return result;
    }

    ComPtr<IWbemServices> services;
    const UniqueBstr resource(ToUtf16(wmi_namespace));
    hr = locator->ConnectServer(resource.get(), nullptr, nullptr, nullptr,
                                WBEM_FLAG_CONNECT_USE_MAX_WAIT, nullptr, nullptr, services.put());
    if (FAILED(hr)) {
      result.error = Failed("ConnectServer", wmi_namespace, hr);
      return result;
    }
    if (hr = AllowImpersonation(services.get()); FAILED(hr)) {
      result.error = Failed("CoSetProxyBlanket", wmi_namespace, hr);
      return result;
    }

    ComPtr<IEnumWbemClassObject> enumerator;
    const UniqueBstr language(L"WQL");
    const UniqueBstr query(ToUtf16(wql));
    hr = services->ExecQuery(language.get(), query.get(),
                             WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_RETURN_IMMEDIATELY, nullptr,
                             enumerator.put());
    if (FAILED(hr)) {
      result.error = Failed("ExecQuery", wmi_namespace, hr);
      return result;
    }
    if (hr = AllowImpersonation(enumerator.get()); FAILED(hr)) {
      result.error = Failed("CoSetProxyBlanket(enumerator)", wmi_namespace, hr);
      return result;
    }

    const Clock::time_point deadline = Clock::now() + kQueryDeadline;
    while (true) {
      if (result.objects.size() >= kMaxObjects) {
        result.error = "IEnumWbemClassObject::Next(" + std::string(wmi_namespace) +
                       ") stopped after " + std::to_string(kMaxObjects) +
                       " objects; the rest were not read";
        return result;
      }
      std::array<IWbemClassObject*, kBatch> batch{};
      ULONG returned = 0;
      hr = enumerator->Next(kNextTimeoutMs, kBatch, batch.data(), &returned);
      // Every returned reference is owned here before anything else can return early.
      std::array<ComPtr<IWbemClassObject>, kBatch> owned;
      for (ULONG i = 0; i < returned && i < kBatch; ++i) {
        owned[i] = ComPtr<IWbemClassObject>(batch[i]);
      }
      for (ULONG i = 0; i < returned && i < kBatch && result.objects.size() < kMaxObjects; ++i) {
        result.objects.push_back(ReadProperties(owned[i].get()));
      }
      if (FAILED(hr)) {
        result.error = Failed("IEnumWbemClassObject::Next", wmi_namespace, hr);
        return result;
      }
      if (hr == WBEM_S_FALSE) {
        return result;  // the end of the enumeration
      }
      // WBEM_S_TIMEDOUT (nothing yet) or WBEM_S_NO_ERROR (a full batch): ask again, in time.
      if (Clock::now() >= deadline) {
        result.error = "IEnumWbemClassObject::Next(" + std::string(wmi_namespace) +
                       ") gave up after " + std::to_string(kQueryDeadline.count()) +
                       " s without the end of the results";
        return result;
      }
    }
  }
};

}  // namespace

std::unique_ptr<WmiClient> MakeWin32WmiClient() { return std::make_unique<Win32WmiClient>(); }

}  // namespace mamori::platform
