// COM and WMI HRESULTs as the text a report shows: "0x8004100E (WBEM_E_INVALID_NAMESPACE)". Pure,
// tested on every OS: a support person greps reports for the symbolic name, and FormatMessage
// would answer in the PC's language (and knows no WBEM_E_* names at all).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mamori::parse {

// The symbolic name of the HRESULTs COM and WMI calls return in practice ("WBEM_E_ACCESS_DENIED",
// "E_ACCESSDENIED", "REGDB_E_CLASSNOTREG"); empty for any other code.
std::string_view HresultName(uint32_t hresult);

// "0x8004100E (WBEM_E_INVALID_NAMESPACE)", or "0x80049999" when the name is not in the table.
std::string DescribeHresult(uint32_t hresult);

// Whether the code says the caller lacks the rights (WBEM_E_ACCESS_DENIED or E_ACCESSDENIED): the
// probes then name elevation as the reason rather than a broken host.
bool IsAccessDeniedHresult(uint32_t hresult);

}  // namespace mamori::parse
