// Issue 6's "done when", end to end with the real binaries: a `mamori-collector serve` with a
// policy whose business hours make now "outside hours" (yesterday, today and tomorrow in Tokyo are
// holidays), test-only fixture agents (mamori-fixture-agent, enrolled like mamori-agent) that
// deliver known facts and heartbeats, and `mamorictl` with a vendor's and an admin's bundle reading
// what the collector made of them: findings with their history, an idle episode of a PC left on at
// night, the ledger, software, the account review and its refusal for a vendor, and hostile host
// names shown inert. The real mamori-agent's loop is checked for heartbeats between snapshots.
//
// A silent server turns stale only after agent.server_silent_minutes (at least 10) of silence. No
// clock is faked in the product: that case stops the collector, moves the server's stored last
// contact two hours back (test data, as if the collector had been running while the server was
// off), and starts the collector again, whose sweep must find the server stale and the workstation
// merely switched off.
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
#include "tests/integration/collector_knowledge_fixture.h"
#include "tests/integration/process_harness.h"

namespace mamori::testing::knowledge {
namespace {

namespace bp = boost::process;

TEST_F(CollectorKnowledge, WhatTheCollectorKnowsReachesMamorictlForVendorsAndAdmins) {
  // A Windows 11 reception PC with a Japanese name, left on at night: idle for three hours.
  const CommandResult reception = FixtureAgent(
      "reception", {"--facts", "builtin:windows11", "--hostname", kReception, "--add-software",
                    std::string(kOrcaClient) + "|5.2.0|日本医師会", "--send", "snapshot", "--send",
                    "heartbeat:idle=3h,uptime=10h,locked=true"});
  ASSERT_EQ(reception.exit_code, 0);
  const std::string reception_id = reception.out.substr(0, reception.out.find('\n'));
  EXPECT_NE(reception.out.find("heartbeat seq 2"), std::string::npos) << reception.out;

  // A Linux PC that was hardened, then replaced by a weak one under the same agent: its findings
  // change status, which is history.
  ASSERT_EQ(FixtureAgent("linux", {"--facts-root", MAMORI_FIXTURES_DIR "/linux-hardened",
                                   "--hostname", kLinuxHost, "--send", "snapshot"})
                .exit_code,
            0);
  std::this_thread::sleep_for(seconds(1));  // history times are in seconds
  ASSERT_EQ(FixtureAgent("linux", {"--facts-root", MAMORI_FIXTURES_DIR "/linux-weak", "--hostname",
                                   kLinuxHost, "--send", "snapshot"})
                .exit_code,
            0);

  // An exam-room PC whose accounts an admin reviews; its next snapshot makes 受付 an admin.
  const std::vector<std::string> exam_room{
      "--facts", "builtin:windows11", "--hostname",
      kExamRoom, "--add-software",    std::string(kOrcaClient) + "|5.2.0|日本医師会"};
  auto with = [](std::vector<std::string> base, const std::vector<std::string>& more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  ASSERT_EQ(FixtureAgent("exam", with(exam_room, {"--send", "snapshot"})).exit_code, 0);

  // A host whose name is hostile to spreadsheets, browsers and terminals.
  ASSERT_EQ(FixtureAgent("hostile", {"--facts", "builtin:windows11", "--hostname", kHostileHost,
                                     "--add-software", "=2+5+cmd|1.0|@evil", "--send", "snapshot"})
                .exit_code,
            0);

  // A server that reports once and is heard from, for now.
  ASSERT_EQ(FixtureAgent("server",
                         {"--facts-root", MAMORI_FIXTURES_DIR "/linux-hardened", "--hostname",
                          kServer, "--role", "server", "--send", "snapshot", "--send", "heartbeat"})
                .exit_code,
            0);

  // hosts: every host, names byte-exact.
  const json hosts = CtlJson("vendor", {"hosts"});
  for (const char* name : {kReception, kLinuxHost, kExamRoom, kHostileHost, kServer}) {
    EXPECT_FALSE(Objects(hosts, [&](const json& o) { return Text(o, "hostname") == name; }).empty())
        << name << " missing from hosts:\n"
        << hosts.dump(2);
  }

  // summary: the dashboard's numbers add up to the five PCs; the table names the urgent rules.
  const json summary = CtlJson("vendor", {"summary"});
  EXPECT_EQ(summary.value("hosts", -1), 5) << summary.dump(2);
  EXPECT_EQ(summary.value("compliant", 0) + summary.value("not_compliant", 0) +
                summary.value("unknown", 0),
            5)
      << summary.dump(2);
  ASSERT_FALSE(summary["urgent_actions"].empty()) << summary.dump(2);
  const CommandResult summary_table = Ctl("vendor", "table", {"summary"});
  EXPECT_EQ(summary_table.exit_code, 0) << summary_table.err;
  EXPECT_NE(summary_table.out.find(summary["urgent_actions"][0]["rule_id"].get<std::string>()),
            std::string::npos)
      << summary_table.out;

  // host 受付PC-1: MAM-IDLE-001 fails and the night is an idle episode.
  const json reception_host = CtlJson("vendor", {"host", kReception});
  const std::vector<json> idle_findings = Objects(reception_host, [](const json& o) {
    return Text(o, "rule_id") == "MAM-IDLE-001" && Field(o, "status") != nullptr;
  });
  ASSERT_EQ(idle_findings.size(), 1u) << reception_host.dump(2);
  EXPECT_TRUE(StatusIs(idle_findings[0], "status", "fail")) << idle_findings[0].dump(2);
  EXPECT_FALSE(Objects(reception_host,
                       [](const json& o) {
                         return Field(o, "max_idle") != nullptr &&
                                Field(o, "idle_since") != nullptr;
                       })
                   .empty())
      << "no idle episode in host 受付PC-1:\n"
      << reception_host.dump(2);

  // idle, in all three formats.
  const json idle = CtlJson("vendor", {"idle"});
  const std::vector<json> episodes = Objects(idle, [&](const json& o) {
    return Text(o, "hostname") == kReception && Field(o, "max_idle") != nullptr;
  });
  ASSERT_EQ(episodes.size(), 1u) << idle.dump(2);
  EXPECT_EQ(Text(episodes[0], "agent_id"), reception_id);
  EXPECT_NE(Text(episodes[0], "max_idle").find("10800"), std::string::npos)
      << "three hours idle: " << episodes[0].dump();
  for (const char* format : {"table", "csv"}) {
    const CommandResult shown = Ctl("vendor", format, {"idle"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find(kReception), std::string::npos) << format << ":\n" << shown.out;
  }

  // findings: the Linux PC's failures, each with the time it started failing; the PC left on.
  const json findings = CtlJson("vendor", {"findings"});
  const std::vector<json> linux_failures = Objects(findings, [&](const json& o) {
    return Text(o, "hostname") == kLinuxHost && StatusIs(o, "status", "fail");
  });
  EXPECT_GE(linux_failures.size(), 3u) << findings.dump(2);
  for (const json& failure : linux_failures) {
    EXPECT_FALSE(Text(failure, "since").empty()) << failure.dump();
  }
  EXPECT_FALSE(Objects(findings,
                       [&](const json& o) {
                         return Text(o, "hostname") == kReception &&
                                Text(o, "rule_id") == "MAM-IDLE-001";
                       })
                   .empty())
      << findings.dump(2);
  const CommandResult failing_table = Ctl("vendor", "table", {"findings", "--status", "fail"});
  EXPECT_EQ(failing_table.exit_code, 0) << failing_table.err;
  EXPECT_NE(failing_table.out.find(kLinuxHost), std::string::npos) << failing_table.out;

  // history: the Linux PC's rules that went from pass to fail with the weak tree.
  const json history = CtlJson("vendor", {"history"});
  EXPECT_FALSE(Objects(history,
                       [&](const json& o) {
                         return Text(o, "hostname") == kLinuxHost &&
                                StatusIs(o, "old_status", "pass") &&
                                StatusIs(o, "new_status", "fail");
                       })
                   .empty())
      << history.dump(2);

  // ledger: every host with its OS; the hostile name is inert in CSV (a leading apostrophe keeps
  // a spreadsheet from running it) and in the table (no raw right-to-left override).
  const json ledger = CtlJson("vendor", {"ledger"});
  const std::vector<json> reception_rows = Objects(ledger, [&](const json& o) {
    return Text(o, "hostname") == kReception && Field(o, "os_name") != nullptr;
  });
  ASSERT_EQ(reception_rows.size(), 1u) << ledger.dump(2);
  EXPECT_EQ(Text(reception_rows[0], "os_name"), "Windows 11 Pro");
  EXPECT_FALSE(
      Objects(ledger, [&](const json& o) { return Text(o, "hostname") == kHostileHost; }).empty())
      << "the hostile name is stored and returned byte-exact:\n"
      << ledger.dump(2);
  for (const std::vector<std::string>& command :
       {std::vector<std::string>{"ledger"}, std::vector<std::string>{"hosts"}}) {
    const CommandResult csv = Ctl("vendor", "csv", command);
    EXPECT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_NE(csv.out.find("'=HYPERLINK"), std::string::npos) << command[0] << " csv:\n" << csv.out;
    EXPECT_EQ(csv.out.find(",=HYPERLINK"), std::string::npos) << csv.out;
    EXPECT_EQ(csv.out.find("\n=HYPERLINK"), std::string::npos) << csv.out;
    EXPECT_EQ(csv.out.find("\"=HYPERLINK"), std::string::npos) << csv.out;
    const CommandResult table = Ctl("vendor", "table", command);
    EXPECT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("=HYPERLINK(\"http://evil\")"), std::string::npos) << table.out;
    EXPECT_EQ(table.out.find(kRightToLeftOverride), std::string::npos)
        << command[0] << " table shows a raw U+202E:\n"
        << table.out;
    EXPECT_EQ(table.out.find('\x1b'), std::string::npos) << table.out;
  }

  // software: one version on two PCs; a formula-like name is inert in CSV.
  const json software = CtlJson("vendor", {"software"});
  const std::vector<json> orca = Objects(software, [&](const json& o) {
    return Text(o, "name") == kOrcaClient && Field(o, "host_count") != nullptr;
  });
  ASSERT_EQ(orca.size(), 1u) << software.dump(2);
  EXPECT_EQ(Text(orca[0], "host_count"), "2");
  const CommandResult software_csv = Ctl("vendor", "csv", {"software"});
  EXPECT_EQ(software_csv.exit_code, 0) << software_csv.err;
  EXPECT_NE(software_csv.out.find("'=2+5+cmd"), std::string::npos) << software_csv.out;

  // The account review: everything is due before anyone reviewed it.
  const std::string exam_reception = std::string(kExamRoom) + "/受付";
  EXPECT_TRUE(Contains(DueAccounts(), exam_reception));
  const CommandResult first_review =
      Ctl("admin", "table", {"review", kExamRoom, "受付", "keep", "--note", "受付業務で使用"});
  ASSERT_EQ(first_review.exit_code, 0) << first_review.err << first_review.out;
  EXPECT_FALSE(Contains(DueAccounts(), exam_reception));

  // Its next snapshot makes 受付 an administrator: a material change, due again.
  ASSERT_EQ(FixtureAgent("exam", with(exam_room, {"--set-admin", "受付", "--send", "snapshot"}))
                .exit_code,
            0);
  const json due = CtlJson("vendor", {"accounts", "--due"});
  const std::vector<json> due_again = Objects(due, [&](const json& o) {
    return Text(o, "hostname") == kExamRoom && Text(o, "name") == "受付";
  });
  ASSERT_EQ(due_again.size(), 1u) << due.dump(2);
  EXPECT_NE(Text(due_again[0], "due_reason").find("管理者"), std::string::npos)
      << due_again[0].dump(2);
  for (const char* format : {"table", "csv"}) {
    const CommandResult shown = Ctl("vendor", format, {"accounts", "--due"});
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_NE(shown.out.find(kExamRoom), std::string::npos) << format << ":\n" << shown.out;
  }

  // A vendor may read but not review: refused in Japanese, and audited.
  const CommandResult vendor_review =
      Ctl("vendor", "table", {"review", kExamRoom, "受付", "keep", "--note", "ベンダー判断"});
  EXPECT_EQ(vendor_review.exit_code, 1) << vendor_review.out << vendor_review.err;
  EXPECT_NE(vendor_review.err.find("この操作は vendor の証明書では許可されていません"),
            std::string::npos)
      << vendor_review.err;
  EXPECT_TRUE(Contains(DueAccounts(), exam_reception)) << "the refused review changed nothing";
  const CommandResult audit = Collector({"audit", "--data-dir", data_, "--format", "json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  const json events = json::parse(audit.out, nullptr, false);
  EXPECT_FALSE(Objects(events,
                       [](const json& o) {
                         return Text(o, "action").find("RecordAccountReview") !=
                                    std::string::npos &&
                                Text(o, "outcome") == "refused" &&
                                Text(o, "actor").find("保守ベンダー") != std::string::npos;
                       })
                   .empty())
      << audit.out;

  // The admin reviews the change: no longer due.
  const CommandResult second_review = Ctl(
      "admin", "table", {"review", kExamRoom, "受付", "keep", "--note", "事務長代理として必要"});
  ASSERT_EQ(second_review.exit_code, 0) << second_review.err << second_review.out;
  EXPECT_FALSE(Contains(DueAccounts(), exam_reception));

  // The server was heard from moments ago: online, not stale.
  const json server_host = CtlJson("vendor", {"host", kServer});
  EXPECT_TRUE(Objects(server_host,
                      [](const json& o) {
                        return Text(o, "rule_id") == "MAM-AGENT-001" &&
                               StatusIs(o, "status", "fail");
                      })
                  .empty())
      << server_host.dump(2);
}

TEST_F(CollectorKnowledge, TheRealAgentSendsHeartbeatsBetweenSnapshots) {
  bp::ipstream out;
  const std::string agent_dir = (root_ / "real-agent").string();
  bp::child agent(
      std::vector<std::string>{MAMORI_AGENT_BIN, "--collector", collector_->address(), "--data-dir",
                               agent_dir, "--enroll-token", token_, "--ca-fingerprint",
                               fingerprint_, "--interval", "60s", "--heartbeat-interval", "10s"},
      bp::std_out > out, bp::std_err > (root_ / "agent.log").string());
  // The first snapshot at once, then a heartbeat every 10 s. The first collection runs the package
  // manager's simulation (seconds of CPU under ASan, tens of seconds on a loaded machine): the
  // bound is generous, the wait ends at the second heartbeat.
  const bool heartbeats = Eventually(
      [&] {
        sqlite3* raw = nullptr;
        const std::string db = data_ + "/mamori.db";
        if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
          sqlite3_close(raw);
          return false;
        }
        std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(conn.get(), "SELECT count(*) FROM heartbeats", -1, &stmt, nullptr) !=
            SQLITE_OK) {
          return false;
        }
        std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
        return sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_int(stmt, 0) >= 2;
      },
      seconds(120));
  ::kill(agent.id(), SIGTERM);
  agent.wait();
  EXPECT_TRUE(heartbeats) << "no two heartbeats within 120 s; agent log in " << root_;
  EXPECT_EQ(agent.exit_code(), 0);
  std::string line;
  std::getline(out, line);
  EXPECT_NE(line.find("delivered snapshot seq 1"), std::string::npos) << line;
}

TEST_F(CollectorKnowledge, ASilentServerTurnsStaleWithMamAgent001) {
  ASSERT_EQ(FixtureAgent("server",
                         {"--facts-root", MAMORI_FIXTURES_DIR "/linux-hardened", "--hostname",
                          kServer, "--role", "server", "--send", "snapshot", "--send", "heartbeat"})
                .exit_code,
            0);
  // A workstation silent at night is switched off as it should be, never stale.
  ASSERT_EQ(FixtureAgent("reception", {"--facts", "builtin:windows11", "--hostname", kReception,
                                       "--send", "snapshot"})
                .exit_code,
            0);
  auto agent_failing = [&](const std::string& host) {
    const CommandResult shown = Ctl("vendor", "json", {"findings", "--status", "fail"});
    const json findings = json::parse(shown.out, nullptr, false);
    return !Objects(findings, [&](const json& o) {
              return Text(o, "hostname") == host && Text(o, "rule_id") == "MAM-AGENT-001" &&
                     StatusIs(o, "status", "fail");
            }).empty();
  };
  EXPECT_FALSE(agent_failing(kServer));
  // Both silent for two hours while the collector was (as far as its database knows) running: the
  // server past its 10 minutes, the workstation only outside business hours.
  collector_.reset();
  AgeLastContact(kServer, std::chrono::hours(2));
  AgeLastContact(kReception, std::chrono::hours(2));
  StartCollector();
  ASSERT_TRUE(Eventually([&] { return agent_failing(kServer); }, seconds(30))) << collector_->Log();
  const json ledger = CtlJson("vendor", {"ledger"});
  const std::vector<json> server_rows = Objects(ledger, [&](const json& o) {
    return Text(o, "hostname") == kServer && Field(o, "contact_state") != nullptr;
  });
  ASSERT_EQ(server_rows.size(), 1u) << ledger.dump(2);
  EXPECT_TRUE(StatusIs(server_rows[0], "contact_state", "stale") ||
              Text(server_rows[0], "contact_state") == "CONTACT_STATE_STALE")
      << server_rows[0].dump(2);
  EXPECT_FALSE(agent_failing(kReception));
  const json history = CtlJson("vendor", {"history"});
  EXPECT_FALSE(Objects(history,
                       [&](const json& o) {
                         return Text(o, "hostname") == kServer &&
                                Text(o, "rule_id") == "MAM-AGENT-001" &&
                                StatusIs(o, "new_status", "fail");
                       })
                   .empty())
      << history.dump(2);
}

}  // namespace
}  // namespace mamori::testing::knowledge
