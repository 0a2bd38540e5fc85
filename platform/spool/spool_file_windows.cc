// The spool's durable writes on Windows: WriteFile loops, FlushFileBuffers, and MoveFileExW with
// MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH for the atomic replace.
#include <windows.h>

#include <memory>

#include "platform/parse/win32_error.h"
#include "platform/spool/spool_file.h"

namespace mamori::platform::spool {
namespace {

struct HandleClose {
  void operator()(HANDLE handle) const {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) {
      ::CloseHandle(handle);
    }
  }
};
using UniqueHandle = std::unique_ptr<void, HandleClose>;

IoOutcome Failed(std::string_view call, const std::filesystem::path& file) {
  const DWORD code = ::GetLastError();
  return {parse::Win32CallFailed(call, code) + " (" + PathText(file) + ")"};
}

// No FILE_SHARE_DELETE: nothing renames or removes a segment while it is being written.
UniqueHandle Open(const std::filesystem::path& file, DWORD access, DWORD disposition) {
  HANDLE handle = ::CreateFileW(file.c_str(), access, FILE_SHARE_READ, nullptr, disposition,
                                FILE_ATTRIBUTE_NORMAL, nullptr);
  return UniqueHandle(handle == INVALID_HANDLE_VALUE ? nullptr : handle);
}

IoOutcome WriteAllAndFlush(HANDLE handle, const std::filesystem::path& file,
                           std::string_view bytes) {
  while (!bytes.empty()) {
    const DWORD chunk = bytes.size() > 0x40000000u ? 0x40000000u : static_cast<DWORD>(bytes.size());
    DWORD written = 0;
    if (!::WriteFile(handle, bytes.data(), chunk, &written, nullptr)) {
      return Failed("WriteFile", file);
    }
    bytes.remove_prefix(written);
  }
  if (!::FlushFileBuffers(handle)) {
    return Failed("FlushFileBuffers", file);
  }
  return {};
}

}  // namespace

IoOutcome AppendDurably(const std::filesystem::path& file, std::string_view bytes) {
  // FILE_APPEND_DATA without FILE_WRITE_DATA: every write lands at the end of the file.
  const UniqueHandle handle = Open(file, FILE_APPEND_DATA, OPEN_EXISTING);
  if (!handle) {
    return Failed("CreateFileW", file);
  }
  return WriteAllAndFlush(handle.get(), file, bytes);
}

IoOutcome WriteNewDurably(const std::filesystem::path& file, std::string_view bytes) {
  const UniqueHandle handle = Open(file, GENERIC_WRITE, CREATE_ALWAYS);
  if (!handle) {
    return Failed("CreateFileW", file);
  }
  return WriteAllAndFlush(handle.get(), file, bytes);
}

IoOutcome TruncateDurably(const std::filesystem::path& file, std::uint64_t size) {
  const UniqueHandle handle = Open(file, GENERIC_WRITE, OPEN_EXISTING);
  if (!handle) {
    return Failed("CreateFileW", file);
  }
  LARGE_INTEGER position;
  position.QuadPart = static_cast<LONGLONG>(size);
  if (!::SetFilePointerEx(handle.get(), position, nullptr, FILE_BEGIN)) {
    return Failed("SetFilePointerEx", file);
  }
  if (!::SetEndOfFile(handle.get())) {
    return Failed("SetEndOfFile", file);
  }
  if (!::FlushFileBuffers(handle.get())) {
    return Failed("FlushFileBuffers", file);
  }
  return {};
}

IoOutcome ReplaceDurably(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (!::MoveFileExW(from.c_str(), to.c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    return Failed("MoveFileExW", from);
  }
  return {};
}

IoOutcome SyncDirectory(const std::filesystem::path&) { return {}; }

FileLock::~FileLock() {
  if (handle_ != kNone) {
    ::CloseHandle(reinterpret_cast<HANDLE>(handle_));
  }
}

FileLockResult LockFileExclusively(const std::filesystem::path& file) {
  FileLockResult result;
  // No sharing at all: a second CreateFileW of this file fails with ERROR_SHARING_VIOLATION until
  // the handle is closed.
  HANDLE handle = ::CreateFileW(file.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, OPEN_ALWAYS,
                                FILE_ATTRIBUTE_NORMAL, nullptr);
  if (handle == INVALID_HANDLE_VALUE) {
    result.busy = ::GetLastError() == ERROR_SHARING_VIOLATION;
    result.error = Failed("CreateFileW", file).error;
    return result;
  }
  result.lock = FileLock(reinterpret_cast<std::intptr_t>(handle));
  return result;
}

}  // namespace mamori::platform::spool
