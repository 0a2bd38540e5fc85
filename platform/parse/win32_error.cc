// Win32 and NetAPI error codes to report text.
#include "platform/parse/win32_error.h"

#include <array>

namespace mamori::parse {
namespace {

struct NamedError {
  uint32_t code;
  std::string_view name;
};

// The codes the registry, NetAPI, LSA, WTS, power and named-pipe calls return in practice
// (winerror.h, lmerr.h).
constexpr std::array kNamedErrors = {
    NamedError{2, "ERROR_FILE_NOT_FOUND"},
    NamedError{5, "ERROR_ACCESS_DENIED"},
    NamedError{6, "ERROR_INVALID_HANDLE"},
    NamedError{8, "ERROR_NOT_ENOUGH_MEMORY"},
    NamedError{50, "ERROR_NOT_SUPPORTED"},
    NamedError{53, "ERROR_BAD_NETPATH"},
    NamedError{87, "ERROR_INVALID_PARAMETER"},
    NamedError{109, "ERROR_BROKEN_PIPE"},
    NamedError{120, "ERROR_CALL_NOT_IMPLEMENTED"},
    NamedError{122, "ERROR_INSUFFICIENT_BUFFER"},
    NamedError{124, "ERROR_INVALID_LEVEL"},
    NamedError{231, "ERROR_PIPE_BUSY"},
    NamedError{232, "ERROR_NO_DATA"},
    NamedError{233, "ERROR_PIPE_NOT_CONNECTED"},
    NamedError{234, "ERROR_MORE_DATA"},
    NamedError{258, "WAIT_TIMEOUT"},
    NamedError{535, "ERROR_PIPE_CONNECTED"},
    NamedError{995, "ERROR_OPERATION_ABORTED"},
    NamedError{997, "ERROR_IO_PENDING"},
    NamedError{1332, "ERROR_NONE_MAPPED"},
    NamedError{1722, "RPC_S_SERVER_UNAVAILABLE"},
    NamedError{2220, "NERR_GroupNotFound"},
    NamedError{2221, "NERR_UserNotFound"},
    NamedError{2351, "NERR_InvalidComputer"},
};

}  // namespace

std::string_view Win32ErrorName(uint32_t code) {
  for (const NamedError& error : kNamedErrors) {
    if (error.code == code) {
      return error.name;
    }
  }
  return {};
}

std::string DescribeWin32Error(uint32_t code) {
  std::string text = "error " + std::to_string(code);
  if (const std::string_view name = Win32ErrorName(code); !name.empty()) {
    text += " (" + std::string(name) + ")";
  }
  return text;
}

std::string Win32CallFailed(std::string_view call, uint32_t code) {
  return std::string(call) + " failed: " + DescribeWin32Error(code);
}

}  // namespace mamori::parse
