// One insertion string per event, converted to UTF-16 here and nowhere else.
#include "agent/windows/win32_event_log.h"

#include "agent/windows/event_messages.h"
#include "platform/windows/wide_text.h"

namespace mamori::agent::windows {

WORD EventTypeFor(EventSeverity severity) {
  switch (severity) {
    case EventSeverity::kInformation:
      return EVENTLOG_INFORMATION_TYPE;
    case EventSeverity::kWarning:
      return EVENTLOG_WARNING_TYPE;
    case EventSeverity::kError:
      return EVENTLOG_ERROR_TYPE;
  }
  return EVENTLOG_ERROR_TYPE;
}

DWORD EventIdFor(EventSeverity severity) {
  switch (severity) {
    case EventSeverity::kInformation:
      return MAMORI_EVENT_INFORMATION;
    case EventSeverity::kWarning:
      return MAMORI_EVENT_WARNING;
    case EventSeverity::kError:
      return MAMORI_EVENT_ERROR;
  }
  return MAMORI_EVENT_ERROR;
}

Win32EventLog::Opened Win32EventLog::Open(std::string_view source) {
  const std::wstring name = platform::ToUtf16(source);
  HANDLE handle = ::RegisterEventSourceW(nullptr, name.c_str());
  if (handle == nullptr) {
    return {nullptr, "RegisterEventSource(" + std::string(source) + ") failed: error " +
                         std::to_string(::GetLastError())};
  }
  return {std::unique_ptr<Win32EventLog>(new Win32EventLog(EventSourceHandle(handle))), ""};
}

void Win32EventLog::Write(EventSeverity severity, std::string_view message) {
  TryWrite(severity, message);
}

bool Win32EventLog::TryWrite(EventSeverity severity, std::string_view message) {
  const std::wstring text = platform::ToUtf16(BoundedEventMessage(message));
  const wchar_t* strings[] = {text.c_str()};
  return ::ReportEventW(source_.get(), EventTypeFor(severity), /*wCategory=*/0,
                        EventIdFor(severity), /*lpUserSid=*/nullptr, /*wNumStrings=*/1,
                        /*dwDataSize=*/0, strings, /*lpRawData=*/nullptr) != FALSE;
}

}  // namespace mamori::agent::windows
