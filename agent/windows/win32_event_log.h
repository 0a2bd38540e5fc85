// The real EventLogSink: ReportEventW to the Windows Event Log (Application log) under the event
// source "mamori-agent", whose messages are the table in event_messages.mc.
#pragma once

#include <windows.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "agent/windows/event_log_sink.h"

namespace mamori::agent::windows {

// EVENTLOG_INFORMATION_TYPE / _WARNING_TYPE / _ERROR_TYPE.
WORD EventTypeFor(EventSeverity severity);
// The message table's ID for the severity (MAMORI_EVENT_INFORMATION ...).
DWORD EventIdFor(EventSeverity severity);

class Win32EventLog final : public EventLogSink {
 public:
  struct Opened {
    std::unique_ptr<Win32EventLog> log;  // null when the source could not be opened
    std::string error;
  };
  // RegisterEventSourceW. It succeeds even before the source is installed (Windows then shows
  // the text with a note that the message file is missing), so the service can always log.
  static Opened Open(std::string_view source);

  void Write(EventSeverity severity, std::string_view message) override;
  // Write, telling whether ReportEventW succeeded: a sink has nowhere to report its own failure,
  // so this is for tests and for the installer's check.
  bool TryWrite(EventSeverity severity, std::string_view message);

 private:
  struct EventSourceCloser {
    void operator()(HANDLE source) const { ::DeregisterEventSource(source); }
  };
  using EventSourceHandle = std::unique_ptr<std::remove_pointer_t<HANDLE>, EventSourceCloser>;

  explicit Win32EventLog(EventSourceHandle source) : source_(std::move(source)) {}

  EventSourceHandle source_;
};

}  // namespace mamori::agent::windows
