// An in-memory WindowsUpdateAgent for tests on every OS: answers are set per call, and the fake
// counts searches and remembers the timeout it was given, so tests pin down the probe's cadence.
#pragma once

#include <chrono>
#include <string>
#include <utility>

#include "platform/windows/windows_update_agent.h"

namespace mamori::testing {

class FakeWindowsUpdateAgent final : public platform::WindowsUpdateAgent {
 public:
  FakeWindowsUpdateAgent& SetHistory(platform::UpdateHistory history) {
    history_ = std::move(history);
    return *this;
  }
  FakeWindowsUpdateAgent& SetLastAutomaticSearch(platform::AutomaticSearch search) {
    automatic_search_ = std::move(search);
    return *this;
  }
  FakeWindowsUpdateAgent& SetSearch(platform::UpdateSearch search) {
    search_ = std::move(search);
    return *this;
  }
  // Every call fails as it does on a host without the Windows Update Agent.
  FakeWindowsUpdateAgent& FailEverything(const std::string& error) {
    history_ = {{}, error};
    automatic_search_ = {{}, error};
    search_ = {{}, false, error};
    return *this;
  }

  platform::UpdateHistory History() override { return history_; }
  platform::AutomaticSearch LastAutomaticSearch() override { return automatic_search_; }
  platform::UpdateSearch SearchPending(std::chrono::seconds timeout) override {
    ++searches_;
    last_timeout_ = timeout;
    return search_;
  }

  int searches() const { return searches_; }
  std::chrono::seconds last_timeout() const { return last_timeout_; }

 private:
  platform::UpdateHistory history_;
  platform::AutomaticSearch automatic_search_;
  platform::UpdateSearch search_;
  int searches_ = 0;
  std::chrono::seconds last_timeout_{0};
};

}  // namespace mamori::testing
