// The Win32 side of the service's settings: this process's environment for %VAR% references, and
// erasing the enrollment token from HKLM\SOFTWARE\mamori\Agent once it has been used.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/windows/service_settings.h"

namespace mamori::agent::windows {

// GetEnvironmentVariableW, as UTF-8.
std::optional<std::string> Win32EnvironmentVariable(std::string_view name);

struct EraseResult {
  std::string error;  // empty on success; never contains the token
  bool ok() const { return error.empty(); }
};

// Deletes the EnrollmentToken value (RegDeleteValueW, 64-bit view). Succeeds when it is already
// gone. The token is single-use and lets whoever reads it enroll a machine: it must not stay in
// the registry once the agent holds its certificate.
EraseResult EraseEnrollmentToken();

}  // namespace mamori::agent::windows
