// The real SessionApi. Every WTS buffer is freed with WTSFreeMemory by RAII; every size Windows
// reports is checked before a structure is read from the buffer.
#include "platform/windows/win32_session_api.h"

#include <windows.h>

#include <wtsapi32.h>

#include <algorithm>
#include <cwchar>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "platform/parse/win32_error.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// mingw-w64's wtsapi32.h stops at WTSSessionInfo (24); the layout below is WTSINFOEX_LEVEL1_W /
// WTSINFOEXW as documented (Windows 7 / Server 2008 R2 and later).
constexpr int kWtsSessionInfoEx = 25;

struct WtsInfoExLevel1 {
  ULONG SessionId;
  WTS_CONNECTSTATE_CLASS SessionState;
  LONG SessionFlags;
  WCHAR WinStationName[WINSTATIONNAME_LENGTH + 1];
  WCHAR UserName[USERNAME_LENGTH + 1];
  WCHAR DomainName[DOMAIN_LENGTH + 1];
  LARGE_INTEGER LogonTime;
  LARGE_INTEGER ConnectTime;
  LARGE_INTEGER DisconnectTime;
  LARGE_INTEGER LastInputTime;
  LARGE_INTEGER CurrentTime;
  DWORD IncomingBytes;
  DWORD OutgoingBytes;
  DWORD IncomingFrames;
  DWORD OutgoingFrames;
  DWORD IncomingCompressedBytes;
  DWORD OutgoingCompressedBytes;
};

struct WtsInfoEx {
  DWORD Level;
  union {
    WtsInfoExLevel1 WTSInfoExLevel1;
  } Data;
};

// User, domain and station names are at most a few dozen characters.
constexpr std::size_t kMaxNameChars = 256;

struct WtsMemoryFree {
  void operator()(void* memory) const { ::WTSFreeMemory(memory); }
};

// One WTSQuerySessionInformationW answer: the buffer and its size in bytes.
struct WtsAnswer {
  std::unique_ptr<void, WtsMemoryFree> buffer;
  DWORD bytes = 0;
};

WtsAnswer Query(DWORD session_id, int info_class) {
  LPWSTR raw = nullptr;
  DWORD bytes = 0;
  WtsAnswer answer;
  if (::WTSQuerySessionInformationW(WTS_CURRENT_SERVER_HANDLE, session_id,
                                    static_cast<WTS_INFO_CLASS>(info_class), &raw, &bytes)) {
    answer.buffer.reset(raw);
    answer.bytes = bytes;
  } else if (raw != nullptr) {
    ::WTSFreeMemory(raw);
  }
  return answer;
}

std::string BoundedUtf8(const wchar_t* text, std::size_t max_chars) {
  if (text == nullptr) {
    return {};
  }
  return ToUtf8(std::wstring_view(text, ::wcsnlen(text, max_chars)));
}

std::string QueryText(DWORD session_id, int info_class) {
  const WtsAnswer answer = Query(session_id, info_class);
  if (answer.buffer == nullptr || answer.bytes < sizeof(wchar_t)) {
    return {};
  }
  const std::size_t chars = std::min<std::size_t>(answer.bytes / sizeof(wchar_t), kMaxNameChars);
  return BoundedUtf8(static_cast<const wchar_t*>(answer.buffer.get()), chars);
}

std::optional<uint16_t> QueryProtocol(DWORD session_id) {
  const WtsAnswer answer = Query(session_id, WTSClientProtocolType);
  if (answer.buffer == nullptr || answer.bytes < sizeof(USHORT)) {
    return std::nullopt;
  }
  return *static_cast<const USHORT*>(answer.buffer.get());
}

std::optional<int32_t> QuerySessionFlags(DWORD session_id) {
  const WtsAnswer answer = Query(session_id, kWtsSessionInfoEx);
  if (answer.buffer == nullptr || answer.bytes < sizeof(WtsInfoEx)) {
    return std::nullopt;
  }
  const auto* info = static_cast<const WtsInfoEx*>(answer.buffer.get());
  if (info->Level != 1) {
    return std::nullopt;
  }
  return static_cast<int32_t>(info->Data.WTSInfoExLevel1.SessionFlags);
}

class Win32SessionApi final : public SessionApi {
 public:
  SessionList ListSessions() override {
    SessionList list;
    PWTS_SESSION_INFOW raw = nullptr;
    DWORD count = 0;
    if (!::WTSEnumerateSessionsW(WTS_CURRENT_SERVER_HANDLE, 0, 1, &raw, &count)) {
      list.error = parse::Win32CallFailed("WTSEnumerateSessionsW", ::GetLastError());
      if (raw != nullptr) {
        ::WTSFreeMemory(raw);
      }
      return list;
    }
    const std::unique_ptr<WTS_SESSION_INFOW, WtsMemoryFree> sessions(raw);
    for (DWORD i = 0; sessions != nullptr && i < count && list.sessions.size() < kMaxSessions;
         ++i) {
      const WTS_SESSION_INFOW& session = sessions.get()[i];
      parse::WtsSessionRecord record;
      record.id = session.SessionId;
      record.connect_state = static_cast<uint32_t>(session.State);
      record.station = BoundedUtf8(session.pWinStationName, kMaxNameChars);
      record.user = QueryText(session.SessionId, WTSUserName);
      if (!record.user.empty()) {
        record.domain = QueryText(session.SessionId, WTSDomainName);
        record.protocol = QueryProtocol(session.SessionId);
        record.session_flags = QuerySessionFlags(session.SessionId);
      }
      list.sessions.push_back(std::move(record));
    }
    return list;
  }

  std::chrono::milliseconds SinceBoot() override {
    return std::chrono::milliseconds(
        static_cast<std::chrono::milliseconds::rep>(::GetTickCount64()));
  }

  std::optional<uint32_t> CurrentSessionId() override {
    DWORD session_id = 0;
    if (!::ProcessIdToSessionId(::GetCurrentProcessId(), &session_id)) {
      return std::nullopt;
    }
    return session_id;
  }

  SessionIdle CallingSessionIdle() override {
    LASTINPUTINFO info{};
    info.cbSize = sizeof(info);
    if (!::GetLastInputInfo(&info)) {
      return {std::nullopt, parse::Win32CallFailed("GetLastInputInfo", ::GetLastError())};
    }
    // A real session has had input before anything could ask (the logon itself); 0 is what a
    // session without an input desktop (Wine without a display) answers.
    if (info.dwTime == 0) {
      return {std::nullopt, "GetLastInputInfo reported no input since boot"};
    }
    // Both are 32-bit tick counts: the unsigned difference stays right across their 49.7-day wrap.
    const DWORD idle_ms = ::GetTickCount() - info.dwTime;
    return {std::chrono::milliseconds(idle_ms), {}};
  }
};

}  // namespace

std::unique_ptr<SessionApi> MakeWin32SessionApi() { return std::make_unique<Win32SessionApi>(); }

}  // namespace mamori::platform
