// An in-memory WmiClient for tests on every OS: answers are keyed by namespace and the exact WQL
// text the probe sends, so a test also pins down what the probe asks for.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/windows/wmi_client.h"

namespace mamori::testing {

class FakeWmi final : public platform::WmiClient {
 public:
  FakeWmi& Answer(std::string_view wmi_namespace, std::string_view wql,
                  std::vector<platform::WmiObject> objects) {
    answers_[{std::string(wmi_namespace), std::string(wql)}] = {std::move(objects), {}};
    return *this;
  }
  FakeWmi& Fail(std::string_view wmi_namespace, std::string_view wql, std::string error) {
    answers_[{std::string(wmi_namespace), std::string(wql)}] = {{}, std::move(error)};
    return *this;
  }

  // A query nobody prepared fails the way an absent namespace does on a real host.
  platform::WmiQueryResult Query(std::string_view wmi_namespace, std::string_view wql) override {
    queries_.emplace_back(std::string(wmi_namespace), std::string(wql));
    const auto found = answers_.find({std::string(wmi_namespace), std::string(wql)});
    if (found == answers_.end()) {
      return {{},
              "FakeWmi: no answer prepared for " + std::string(wmi_namespace) + ": " +
                  std::string(wql)};
    }
    return found->second;
  }

  const std::vector<std::pair<std::string, std::string>>& queries() const { return queries_; }

 private:
  std::map<std::pair<std::string, std::string>, platform::WmiQueryResult> answers_;
  std::vector<std::pair<std::string, std::string>> queries_;
};

}  // namespace mamori::testing
