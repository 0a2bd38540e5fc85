// IdlePipeServer on one overlapped pipe instance, served by one thread: the helpers send a 16-byte
// report once a minute each, so a queue of one is plenty and a slow or silent client is cut off by
// the read timeout.
#include "platform/windows/idle_pipe_server.h"

#include <windows.h>

#include <sddl.h>

#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "platform/parse/idle_report.h"
#include "platform/parse/win32_error.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// More sessions than any terminal server holds; reports from beyond are dropped.
constexpr std::size_t kMaxSessions = 1024;

struct HandleClose {
  void operator()(HANDLE handle) const {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) {
      ::CloseHandle(handle);
    }
  }
};
using UniqueHandle = std::unique_ptr<void, HandleClose>;

struct LocalMemoryFree {
  void operator()(void* memory) const { ::LocalFree(memory); }
};

enum class Wait { kDone, kStopped, kTimedOut };

class Win32IdlePipeServer final : public IdlePipeServer {
 public:
  Win32IdlePipeServer(Options options, UniqueHandle pipe, UniqueHandle stop, UniqueHandle io)
      : options_(std::move(options)),
        pipe_(std::move(pipe)),
        stop_(std::move(stop)),
        io_(std::move(io)) {
    thread_ = std::thread([this] { Serve(); });
  }

  ~Win32IdlePipeServer() override {
    ::SetEvent(stop_.get());
    thread_.join();
  }

  SessionIdle IdleOf(uint32_t session_id) override {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto found = latest_.find(session_id);
    const std::string session = "session " + std::to_string(session_id);
    if (found == latest_.end()) {
      return {std::nullopt, "no report from mamori-session-helper in " + session};
    }
    const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(options_.clock() -
                                                                           found->second.received);
    if (age > options_.max_report_age) {
      return {std::nullopt, "the last report from mamori-session-helper in " + session + " is " +
                                std::to_string(age.count() / 1000) + " s old"};
    }
    return {std::chrono::milliseconds(found->second.idle_ms) +
                std::max(age, std::chrono::milliseconds(0)),
            {}};
  }

  Counts CountsForTest() const override {
    const std::lock_guard<std::mutex> lock(mutex_);
    return counts_;
  }

 private:
  struct Latest {
    uint32_t idle_ms = 0;
    std::chrono::steady_clock::time_point received;
  };

  // Waits for the pending operation on `overlapped`, the stop event or the timeout; a stopped or
  // timed-out operation is cancelled and waited for, so `overlapped` can leave scope safely.
  Wait WaitForIo(OVERLAPPED& overlapped, DWORD timeout_ms) {
    const HANDLE handles[] = {stop_.get(), io_.get()};
    const DWORD waited = ::WaitForMultipleObjects(2, handles, FALSE, timeout_ms);
    if (waited == WAIT_OBJECT_0 + 1) {
      return Wait::kDone;
    }
    ::CancelIoEx(pipe_.get(), &overlapped);
    DWORD ignored = 0;
    ::GetOverlappedResult(pipe_.get(), &overlapped, &ignored, TRUE);
    return waited == WAIT_OBJECT_0 ? Wait::kStopped : Wait::kTimedOut;
  }

  bool Stopping() const { return ::WaitForSingleObject(stop_.get(), 0) == WAIT_OBJECT_0; }

  void Serve() {
    while (!Stopping()) {
      OVERLAPPED overlapped{};
      overlapped.hEvent = io_.get();
      ::ResetEvent(io_.get());
      bool connected = ::ConnectNamedPipe(pipe_.get(), &overlapped) != FALSE;
      const DWORD error = connected ? ERROR_SUCCESS : ::GetLastError();
      if (error == ERROR_IO_PENDING) {
        if (WaitForIo(overlapped, INFINITE) != Wait::kDone) {
          return;
        }
        DWORD ignored = 0;
        connected = ::GetOverlappedResult(pipe_.get(), &overlapped, &ignored, FALSE) != FALSE;
      } else if (error == ERROR_PIPE_CONNECTED) {
        connected = true;
      }
      if (connected) {
        ServeClient();
      } else if (::WaitForSingleObject(stop_.get(), 1000) == WAIT_OBJECT_0) {
        return;  // an unexpected error: retry at a calm pace rather than spin
      }
      ::DisconnectNamedPipe(pipe_.get());
    }
  }

  // The client's session as Windows knows it: never a number the client wrote.
  std::optional<uint32_t> ClientSession() {
    ULONG session_id = 0;
    if (::GetNamedPipeClientSessionId(pipe_.get(), &session_id)) {
      return session_id;
    }
    ULONG process_id = 0;
    DWORD from_process = 0;
    if (::GetNamedPipeClientProcessId(pipe_.get(), &process_id) &&
        ::ProcessIdToSessionId(process_id, &from_process)) {
      return from_process;
    }
    return std::nullopt;
  }

  void ServeClient() {
    const std::optional<uint32_t> session = ClientSession();
    // One byte more than a report: a longer message fails with ERROR_MORE_DATA instead of being cut
    // into something that looks valid.
    char buffer[parse::kIdleReportBytes + 1] = {};
    OVERLAPPED overlapped{};
    overlapped.hEvent = io_.get();
    ::ResetEvent(io_.get());
    BOOL read = ::ReadFile(pipe_.get(), buffer, sizeof(buffer), nullptr, &overlapped);
    if (!read && ::GetLastError() == ERROR_IO_PENDING) {
      if (WaitForIo(overlapped, static_cast<DWORD>(options_.read_timeout.count())) != Wait::kDone) {
        Reject();
        return;
      }
      read = TRUE;
    }
    DWORD bytes = 0;
    if (!read || !::GetOverlappedResult(pipe_.get(), &overlapped, &bytes, FALSE) ||
        bytes > sizeof(buffer) || !session) {
      Reject();
      return;
    }
    const std::optional<parse::IdleReport> report =
        parse::DecodeIdleReport(std::string_view(buffer, bytes));
    if (!report) {
      Reject();
      return;
    }
    Store(*session, report->idle_ms);
  }

  void Reject() {
    const std::lock_guard<std::mutex> lock(mutex_);
    ++counts_.rejected;
  }

  void Store(uint32_t session_id, uint32_t idle_ms) {
    const std::lock_guard<std::mutex> lock(mutex_);
    const auto now = options_.clock();
    if (latest_.size() >= kMaxSessions && !latest_.contains(session_id)) {
      std::erase_if(latest_, [&](const auto& entry) {
        return now - entry.second.received > options_.max_report_age;
      });
      if (latest_.size() >= kMaxSessions) {
        ++counts_.rejected;
        return;
      }
    }
    latest_[session_id] = Latest{idle_ms, now};
    ++counts_.accepted;
  }

  const Options options_;
  const UniqueHandle pipe_;
  const UniqueHandle stop_;  // manual-reset: set once, by the destructor
  const UniqueHandle io_;    // manual-reset: the pending connect or read completed
  mutable std::mutex mutex_;
  std::map<uint32_t, Latest> latest_;
  Counts counts_;
  std::thread thread_;  // last: starts after everything it uses exists
};

}  // namespace

IdlePipeServer::StartResult IdlePipeServer::Start(Options options) {
  StartResult result;
  PSECURITY_DESCRIPTOR raw_descriptor = nullptr;
  const std::wstring sddl = ToUtf16(options.security_descriptor);
  if (!::ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1,
                                                              &raw_descriptor, nullptr)) {
    result.error = parse::Win32CallFailed("ConvertStringSecurityDescriptorToSecurityDescriptorW",
                                          ::GetLastError());
    return result;
  }
  const std::unique_ptr<void, LocalMemoryFree> descriptor(raw_descriptor);
  SECURITY_ATTRIBUTES attributes{};
  attributes.nLength = sizeof(attributes);
  attributes.lpSecurityDescriptor = descriptor.get();
  attributes.bInheritHandle = FALSE;

  const std::wstring name = ToUtf16(options.pipe_name);
  UniqueHandle pipe(::CreateNamedPipeW(
      name.c_str(), PIPE_ACCESS_INBOUND | FILE_FLAG_FIRST_PIPE_INSTANCE | FILE_FLAG_OVERLAPPED,
      PIPE_TYPE_MESSAGE | PIPE_READMODE_MESSAGE | PIPE_WAIT | PIPE_REJECT_REMOTE_CLIENTS,
      /*nMaxInstances=*/1, /*nOutBufferSize=*/0,
      /*nInBufferSize=*/static_cast<DWORD>(parse::kIdleReportBytes * 4), /*nDefaultTimeOut=*/0,
      &attributes));
  if (pipe.get() == INVALID_HANDLE_VALUE) {
    const DWORD error = ::GetLastError();
    result.error = parse::Win32CallFailed("CreateNamedPipeW(" + options.pipe_name + ")", error);
    if (error == ERROR_ACCESS_DENIED || error == ERROR_PIPE_BUSY) {
      result.error += ": another process already holds the pipe name";
    }
    return result;
  }
  UniqueHandle stop(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
  UniqueHandle io(::CreateEventW(nullptr, TRUE, FALSE, nullptr));
  if (stop == nullptr || io == nullptr) {
    result.error = parse::Win32CallFailed("CreateEventW", ::GetLastError());
    return result;
  }
  result.server = std::make_unique<Win32IdlePipeServer>(std::move(options), std::move(pipe),
                                                        std::move(stop), std::move(io));
  return result;
}

}  // namespace mamori::platform
