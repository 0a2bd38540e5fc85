// Where the Windows service writes what an administrator should read: the Windows Event Log in the
// real service (win32_event_log.h), a recorder in tests. Messages are UTF-8 and never carry
// secrets (the enrollment token, keys).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mamori::agent::windows {

// EVENTLOG_INFORMATION_TYPE, EVENTLOG_WARNING_TYPE, EVENTLOG_ERROR_TYPE.
enum class EventSeverity { kInformation, kWarning, kError };

class EventLogSink {
 public:
  // A message longer than this is cut: an event is read by a person, and the Event Log limits the
  // size of one insertion string (31,839 characters).
  static constexpr std::size_t kMaxMessageBytes = 8 * 1024;

  virtual ~EventLogSink() = default;
  virtual void Write(EventSeverity severity, std::string_view message) = 0;
};

// `message` cut to EventLogSink::kMaxMessageBytes at a character boundary, with invalid UTF-8
// replaced by '?', so a sink can convert it to UTF-16 without surprises.
std::string BoundedEventMessage(std::string_view message);

}  // namespace mamori::agent::windows
