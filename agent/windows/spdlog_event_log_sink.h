// Sends the agent's spdlog messages (everything in agent/*.cc logs through spdlog) to an
// EventLogSink, so the Windows service's log lands in the Event Log. Needs spdlog, so it is built
// in full builds only (MSVC on Windows; its tests on Linux).
#pragma once

#include <mutex>
#include <optional>
#include <string_view>

#include "agent/windows/event_log_sink.h"
#include "spdlog/sinks/base_sink.h"

namespace mamori::agent::windows {

// Information and above; debug and trace never reach the Event Log, which is for people.
inline std::optional<EventSeverity> EventSeverityFor(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::info:
      return EventSeverity::kInformation;
    case spdlog::level::warn:
      return EventSeverity::kWarning;
    case spdlog::level::err:
    case spdlog::level::critical:
      return EventSeverity::kError;
    default:
      return std::nullopt;
  }
}

class EventLogSpdlogSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  // `log` must outlive the sink.
  explicit EventLogSpdlogSink(EventLogSink& log) : log_(log) {}

 protected:
  // The message text only: the Event Log records time, source and severity itself.
  void sink_it_(const spdlog::details::log_msg& message) override {
    if (const std::optional<EventSeverity> severity = EventSeverityFor(message.level)) {
      log_.Write(*severity, std::string_view(message.payload.data(), message.payload.size()));
    }
  }
  void flush_() override {}

 private:
  EventLogSink& log_;
};

}  // namespace mamori::agent::windows
