// The seam between Windows probes and WMI: probes run WQL queries through this interface, the real
// client (win32_wmi_client.h) talks COM to IWbemServices, and tests on every OS pass a fake. Text
// is UTF-8 here; BSTRs and VARIANTs exist only inside the real client.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace mamori::platform {

// One property of one WMI object. WMI hands CIM_UINT64/SINT64 over as strings and CIM_DATETIME as
// "yyyymmddHHMMSS.mmmmmm+UUU" text; both stay strings here and are parsed by the probe that knows
// the property. Arrays and embedded objects are not carried (no probe needs them).
using WmiValue = std::variant<std::monostate, bool, int64_t, std::string>;

// Property name -> value; names compare as written in the class definition.
using WmiObject = std::map<std::string, WmiValue, std::less<>>;

struct WmiQueryResult {
  std::vector<WmiObject> objects;
  // Empty on success; otherwise what failed, with the HRESULT, e.g.
  // "ConnectServer(ROOT\\SecurityCenter2) failed: 0x8004100E (WBEM_E_INVALID_NAMESPACE)".
  std::string error;
  bool ok() const { return error.empty(); }
};

class WmiClient {
 public:
  // Query returns at most this many objects: more than any probe's class has on one PC.
  static constexpr std::size_t kMaxObjects = 1024;

  virtual ~WmiClient() = default;
  // Runs a WQL query, e.g. Query(R"(ROOT\SecurityCenter2)", "SELECT displayName, productState FROM
  // AntiVirusProduct"), selecting the named properties of every object.
  virtual WmiQueryResult Query(std::string_view wmi_namespace, std::string_view wql) = 0;
};

// Typed reads of one property; nullopt when absent, null or of another type.
inline std::optional<std::string> WmiString(const WmiObject& object, std::string_view name) {
  const auto found = object.find(name);
  if (found == object.end() || !std::holds_alternative<std::string>(found->second)) {
    return std::nullopt;
  }
  return std::get<std::string>(found->second);
}
inline std::optional<int64_t> WmiInteger(const WmiObject& object, std::string_view name) {
  const auto found = object.find(name);
  if (found == object.end() || !std::holds_alternative<int64_t>(found->second)) {
    return std::nullopt;
  }
  return std::get<int64_t>(found->second);
}
inline std::optional<bool> WmiBool(const WmiObject& object, std::string_view name) {
  const auto found = object.find(name);
  if (found == object.end() || !std::holds_alternative<bool>(found->second)) {
    return std::nullopt;
  }
  return std::get<bool>(found->second);
}

}  // namespace mamori::platform
