// Win32 and NetAPI error codes as the text a report shows: "error 124 (ERROR_INVALID_LEVEL)". Pure,
// tested on every OS: FormatMessage would give text in the PC's language, which a support person
// reading reports from many clinics cannot grep for.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mamori::parse {

// The symbolic name of the codes the Windows probes meet ("ERROR_ACCESS_DENIED",
// "NERR_GroupNotFound"); empty for any other code.
std::string_view Win32ErrorName(uint32_t code);

// "error 5 (ERROR_ACCESS_DENIED)", or "error 12345" when the name is not in the table.
std::string DescribeWin32Error(uint32_t code);

// "<call> failed: error 124 (ERROR_INVALID_LEVEL)": the reason a probe reports as unknown.
std::string Win32CallFailed(std::string_view call, uint32_t code);

}  // namespace mamori::parse
