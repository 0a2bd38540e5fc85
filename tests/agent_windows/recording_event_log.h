// An EventLogSink that keeps what was written, for tests on every OS.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "agent/windows/event_log_sink.h"

namespace mamori::agent::windows::testing {

class RecordingEventLog final : public EventLogSink {
 public:
  void Write(EventSeverity severity, std::string_view message) override {
    std::lock_guard lock(mu_);
    events_.emplace_back(severity, std::string(message));
  }
  std::vector<std::pair<EventSeverity, std::string>> events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<EventSeverity, std::string>> events_;
};

}  // namespace mamori::agent::windows::testing
