// The end-to-end fixture of the collector's knowledge and reports (collector_knowledge_test.cc,
// collector_report_test.cc): a real `mamori-collector serve` whose policy makes now "outside
// business hours", test-only fixture agents, a vendor's and an admin's mamorictl bundle, and the
// JSON helpers that read mamorictl's answers without depending on how a response nests its lists.
#pragma once

#include <signal.h>
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/process.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/integration/process_harness.h"

namespace mamori::testing::knowledge {

using mamori::testing::CollectorProcess;
using mamori::testing::CommandResult;
using mamori::testing::RunCommand;
using nlohmann::json;
using std::chrono::seconds;

inline constexpr char kReception[] = "受付PC-1";
inline constexpr char kExamRoom[] = "診察室PC-2";
inline constexpr char kLinuxHost[] = "linux-受付-3";
inline constexpr char kServer[] = "orca-server";
// A formula for spreadsheets, markup for browsers and a right-to-left override for terminals.
// The override comes early, so that a table cut to its column width still has it to make inert.
inline constexpr char kHostileHost[] = "=HYPERLINK(\"http://evil\")\u202E<script>alert(1)</script>";
inline constexpr char kRightToLeftOverride[] = "\u202E";
inline constexpr char kOrcaClient[] = "ORCA クライアント";

inline std::string Describe(const std::vector<std::string>& args, const CommandResult& result) {
  std::string text;
  for (const std::string& arg : args) {
    text += arg + " ";
  }
  return text + "-> exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out +
         "\nstderr:\n" + result.err;
}

// Polls `condition` until it holds or `timeout` passes; the collector's sweeper and policy reload
// run on their own schedule.
inline bool Eventually(const std::function<bool()>& condition, seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (condition()) {
      return true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

// "YYYY-MM-DD" of the day `offset_days` from today in Asia/Tokyo (UTC+09:00, no DST).
inline std::string TokyoDate(int offset_days) {
  const auto tokyo_now =
      std::chrono::system_clock::now() + std::chrono::hours(9) + std::chrono::days(offset_days);
  const std::chrono::year_month_day date(std::chrono::floor<std::chrono::days>(tokyo_now));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                unsigned(date.day()));
  return text;
}

// A JSON field under its proto name or the lowerCamelCase name of the protobuf JSON printer.
inline const json* Field(const json& object, const std::string& snake_name) {
  if (!object.is_object()) {
    return nullptr;
  }
  if (const auto found = object.find(snake_name); found != object.end()) {
    return &*found;
  }
  std::string camel;
  bool upper = false;
  for (char c : snake_name) {
    if (c == '_') {
      upper = true;
    } else {
      camel.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
      upper = false;
    }
  }
  if (const auto found = object.find(camel); found != object.end()) {
    return &*found;
  }
  return nullptr;
}

inline std::string Text(const json& object, const std::string& snake_name) {
  const json* value = Field(object, snake_name);
  if (value == nullptr) {
    return "";
  }
  if (value->is_string()) {
    return value->get<std::string>();
  }
  return value->dump();
}

// Every object anywhere in `document` for which `match` holds: the tests do not depend on how a
// response nests its lists.
inline std::vector<json> Objects(const json& document,
                                 const std::function<bool(const json&)>& match) {
  std::vector<json> found;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object()) {
      if (match(node)) {
        found.push_back(node);
      }
      for (const auto& item : node.items()) {
        walk(item.value());
      }
    } else if (node.is_array()) {
      for (const json& item : node) {
        walk(item);
      }
    }
  };
  walk(document);
  return found;
}

// A status as mamorictl writes it: "fail", or the enum name FINDING_STATUS_FAIL.
inline bool StatusIs(const json& object, const std::string& field, const std::string& status) {
  std::string text = Text(object, field);
  for (char& c : text) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return text == status || text == "finding_status_" + status;
}

class CollectorKnowledge : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::path(::testing::TempDir()) /
            ("knowledge-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    data_ = (root_ / "collector").string();
    // Outside business hours all day long: the clinic is closed yesterday, today and tomorrow
    // (whichever of them "now" falls in, in Tokyo, while the test runs).
    std::ofstream(root_ / "policy.toml")
        << "# collector_knowledge_test: now is outside business hours\n"
        << "[agent]\nserver_silent_minutes = 10\n\n"
        << "[business_hours]\ntime_zone = \"Asia/Tokyo\"\nholidays = [\"" << TokyoDate(-1)
        << "\", \"" << TokyoDate(0) << "\", \"" << TokyoDate(1) << "\"]\n";

    const CommandResult fingerprint = Collector({"ca", "show", "--data-dir", data_});
    ASSERT_EQ(fingerprint.exit_code, 0) << fingerprint.err;
    fingerprint_ = fingerprint.out.substr(0, fingerprint.out.find('\n'));
    const CommandResult token = Collector({"token", "create", "--uses", "20", "--ttl", "1h",
                                           "--label", "knowledge test", "--data-dir", data_});
    ASSERT_EQ(token.exit_code, 0) << token.err;
    token_ = token.out.substr(0, token.out.find('\n'));
    for (const auto& [name, role] :
         {std::pair<std::string, std::string>{"保守ベンダー", "vendor"}, {"院長", "admin"}}) {
      const CommandResult added = Collector({"user", "add", "--data-dir", data_, "--role", role,
                                             "--name", name, "--out", (root_ / role).string()});
      ASSERT_EQ(added.exit_code, 0) << added.err;
    }

    StartCollector();
  }

  void StartCollector() {
    collector_ = std::make_unique<CollectorProcess>(
        std::vector<std::string>{MAMORI_COLLECTOR_BIN, "serve", "--listen", "127.0.0.1:0",
                                 "--data-dir", data_, "--policy", (root_ / "policy.toml").string(),
                                 "--sweep-interval", "2s"},
        root_ / "collector.log");
    ASSERT_FALSE(collector_->address().empty()) << "collector did not start:\n"
                                                << collector_->Log();
  }

  // Test data: the collector (stopped) last heard from `hostname`'s agent `age` ago.
  void AgeLastContact(const std::string& hostname, std::chrono::seconds age) {
    const std::string db = data_ + "/mamori.db";
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
    std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
    const std::time_t then = std::time(nullptr) - age.count();
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&then));
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(conn.get(),
                                 "UPDATE agents SET last_seen = ?1 WHERE agent_id IN "
                                 "(SELECT agent_id FROM hosts WHERE hostname = ?2)",
                                 -1, &stmt, nullptr),
              SQLITE_OK);
    std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
    sqlite3_bind_text(stmt, 1, stamp, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(stmt, 2, hostname.c_str(), -1, SQLITE_TRANSIENT);
    ASSERT_EQ(sqlite3_step(stmt), SQLITE_DONE);
    ASSERT_EQ(sqlite3_changes(conn.get()), 1) << "no agent stored for " << hostname;
  }

  void TearDown() override {
    collector_.reset();
    // Kept after a failure, or when asked (MAMORI_KEEP_TEST_DIR=1), for a look with mamorictl.
    if (!HasFailure() && std::getenv("MAMORI_KEEP_TEST_DIR") == nullptr) {
      std::filesystem::remove_all(root_);
    }
  }

  CommandResult Collector(const std::vector<std::string>& args) {
    std::vector<std::string> full{MAMORI_COLLECTOR_BIN};
    full.insert(full.end(), args.begin(), args.end());
    return RunCommand(full);
  }

  // Runs the fixture agent with its own data directory under the test's root; returns its output
  // (the agent id first).
  CommandResult FixtureAgent(const std::string& data_name, const std::vector<std::string>& args) {
    std::vector<std::string> full{MAMORI_FIXTURE_AGENT_BIN,
                                  "--collector",
                                  collector_->address(),
                                  "--data-dir",
                                  (root_ / "agents" / data_name).string(),
                                  "--enroll-token",
                                  token_,
                                  "--ca-fingerprint",
                                  fingerprint_};
    full.insert(full.end(), args.begin(), args.end());
    CommandResult result = RunCommand(full);
    EXPECT_EQ(result.exit_code, 0) << Describe(full, result);
    return result;
  }

  // mamorictl as `role` (vendor or admin) with `format` (table, json, csv).
  CommandResult Ctl(const std::string& role, const std::string& format,
                    const std::vector<std::string>& args) {
    std::vector<std::string> full{MAMORICTL_BIN, "--collector",           collector_->address(),
                                  "--cert",      (root_ / role).string(), "--format",
                                  format};
    full.insert(full.end(), args.begin(), args.end());
    return RunCommand(full);
  }

  // mamorictl's JSON answer, which must succeed.
  json CtlJson(const std::string& role, const std::vector<std::string>& args) {
    const CommandResult result = Ctl(role, "json", args);
    EXPECT_EQ(result.exit_code, 0) << "mamorictl " << args[0] << ": " << result.err;
    const json parsed = json::parse(result.out, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << "mamorictl " << args[0] << " json:\n" << result.out;
    return parsed;
  }

  // The accounts mamorictl lists as due, as "host/account".
  std::vector<std::string> DueAccounts() {
    std::vector<std::string> due;
    for (const json& account : Objects(CtlJson("vendor", {"accounts", "--due"}), [](const json& o) {
           return Field(o, "account_id") != nullptr && Field(o, "hostname") != nullptr;
         })) {
      const json* is_due = Field(account, "due");
      if (is_due == nullptr || (is_due->is_boolean() && is_due->get<bool>())) {
        due.push_back(Text(account, "hostname") + "/" + Text(account, "name"));
      }
    }
    return due;
  }

  std::filesystem::path root_;
  std::string data_;
  std::string fingerprint_;
  std::string token_;
  std::unique_ptr<CollectorProcess> collector_;
};

inline bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace mamori::testing::knowledge
