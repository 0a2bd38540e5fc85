// The idle pipe's client side.
#include "platform/windows/idle_pipe_client.h"

#include <windows.h>

#include <memory>

#include "platform/parse/win32_error.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

struct HandleClose {
  void operator()(HANDLE handle) const {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) {
      ::CloseHandle(handle);
    }
  }
};
using UniqueHandle = std::unique_ptr<void, HandleClose>;

IdleSendResult Failed(std::string call, DWORD error) {
  return {parse::Win32CallFailed(call, error), static_cast<uint32_t>(error)};
}

}  // namespace

IdleSendResult SendIdleReport(const parse::IdleReport& report,
                              const IdlePipeClientOptions& options) {
  const std::wstring name = ToUtf16(options.pipe_name);
  // Exactly what kIdlePipeSecurity grants interactive users; asking for GENERIC_WRITE would be
  // refused (it includes FILE_CREATE_PIPE_INSTANCE).
  constexpr DWORD kAccess = FILE_WRITE_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE;
  UniqueHandle pipe;
  for (int attempt = 0; attempt < 3 && pipe == nullptr; ++attempt) {
    const HANDLE opened = ::CreateFileW(name.c_str(), kAccess, 0, nullptr, OPEN_EXISTING,
                                        SECURITY_SQOS_PRESENT | SECURITY_IDENTIFICATION, nullptr);
    if (opened != INVALID_HANDLE_VALUE) {
      pipe.reset(opened);
      break;
    }
    const DWORD error = ::GetLastError();
    if (error != ERROR_PIPE_BUSY) {
      return Failed("CreateFileW(" + options.pipe_name + ")", error);
    }
    if (!::WaitNamedPipeW(name.c_str(), static_cast<DWORD>(options.busy_wait.count()))) {
      return Failed("WaitNamedPipeW(" + options.pipe_name + ")", ::GetLastError());
    }
  }
  if (pipe == nullptr) {
    return Failed("CreateFileW(" + options.pipe_name + ")", ERROR_PIPE_BUSY);
  }

  if (options.require_session0_server) {
    ULONG server_session = 0;
    if (!::GetNamedPipeServerSessionId(pipe.get(), &server_session)) {
      return Failed("GetNamedPipeServerSessionId", ::GetLastError());
    }
    if (server_session != 0) {
      return {"the pipe is served from session " + std::to_string(server_session) +
                  ", not the service's session 0: not sending",
              static_cast<uint32_t>(ERROR_ACCESS_DENIED)};
    }
  }

  const auto bytes = parse::EncodeIdleReport(report);
  DWORD written = 0;
  if (!::WriteFile(pipe.get(), bytes.data(), static_cast<DWORD>(bytes.size()), &written, nullptr)) {
    return Failed("WriteFile", ::GetLastError());
  }
  if (written != bytes.size()) {
    return {"WriteFile wrote " + std::to_string(written) + " of " + std::to_string(bytes.size()) +
                " bytes",
            0};
  }
  // Returns once the server has read the message; closing earlier would be fine on Windows, but
  // this makes delivery certain before the helper sleeps for a minute.
  ::FlushFileBuffers(pipe.get());
  return {};
}

}  // namespace mamori::platform
