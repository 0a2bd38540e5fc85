// The people commands of the real `mamori-collector` binary: `user add` writes a bundle (and a
// PKCS#12 whose passphrase comes from a file), `user list` and `user revoke` work on the same data
// directory, and `audit` shows each change with the local actor and no secret. Console passwords
// come from standard input (`user add --password`, `user password NAME`), as scripts/demo gives
// them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/integration/process_harness.h"

namespace {

namespace bp = boost::process;

using mamori::testing::CommandResult;

CommandResult Collector(const std::vector<std::string>& args) {
  std::vector<std::string> full{MAMORI_COLLECTOR_BIN};
  full.insert(full.end(), args.begin(), args.end());
  return mamori::testing::RunCommand(full);
}

TEST(PeopleCli, AddListRevokeAndAuditThroughTheBinary) {
  const std::filesystem::path root = std::filesystem::path(::testing::TempDir()) / "people-cli";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "data");
  const std::string data = (root / "data").string();
  const std::string passphrase = "kept in a file, never on argv";
  std::ofstream(root / "pass") << passphrase << "\n";

  const CommandResult added = Collector({"user", "add", "--data-dir", data, "--role", "vendor",
                                         "--name", "保守 佐藤", "--out", (root / "bundle").string(),
                                         "--p12", "--passphrase-file", (root / "pass").string()});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  for (const char* file : {"client.key", "client.crt", "ca.pem", "client.p12"}) {
    EXPECT_TRUE(std::filesystem::exists(root / "bundle" / file)) << file;
  }
  // The same name again is refused while the person is active, and nothing is overwritten.
  const CommandResult twice =
      Collector({"user", "add", "--data-dir", data, "--role", "admin", "--name", "保守 佐藤",
                 "--out", (root / "bundle2").string()});
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_NE(twice.err.find("already exists"), std::string::npos) << twice.err;
  EXPECT_FALSE(std::filesystem::exists(root / "bundle2" / "client.key"));
  // A name with a control character is a usage error.
  EXPECT_EQ(Collector({"user", "add", "--data-dir", data, "--role", "admin", "--name",
                       "evil\x1b[2J", "--out", (root / "bundle3").string()})
                .exit_code,
            2);

  const CommandResult listed = Collector({"user", "list", "--data-dir", data, "--format", "json"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const nlohmann::json users = nlohmann::json::parse(listed.out);
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0]["name"], "保守 佐藤");
  EXPECT_EQ(users[0]["role"], "vendor");
  EXPECT_EQ(users[0]["state"], "active");

  ASSERT_EQ(Collector({"user", "revoke", "保守 佐藤", "--data-dir", data}).exit_code, 0);
  const nlohmann::json after = nlohmann::json::parse(
      Collector({"user", "list", "--data-dir", data, "--format", "json"}).out);
  EXPECT_EQ(after[0]["state"], "revoked");

  const CommandResult audit = Collector({"audit", "--data-dir", data, "--format", "json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  EXPECT_EQ(audit.out.find(passphrase), std::string::npos) << "a secret reached the audit log";
  const nlohmann::json events = nlohmann::json::parse(audit.out);
  ASSERT_EQ(events.size(), 2u) << audit.out;
  EXPECT_EQ(events[0]["action"], "user.add");
  EXPECT_EQ(events[0]["target"], "保守 佐藤");
  EXPECT_EQ(events[0]["actor"].get<std::string>().rfind("local:", 0), 0u);
  EXPECT_EQ(events[1]["action"], "user.revoke");
  EXPECT_EQ(events[1]["outcome"], "ok");

  const CommandResult table =
      Collector({"audit", "--data-dir", data, "--since", "2000-01-01T00:00:00Z"});
  ASSERT_EQ(table.exit_code, 0);
  EXPECT_NE(table.out.find("user.revoke"), std::string::npos) << table.out;
  EXPECT_EQ(Collector({"audit", "--data-dir", data, "--since", "yesterday"}).exit_code, 2);
  std::filesystem::remove_all(root);
}

// The stored console password hash of `name`, or "" when none (read-only, beside the binary's).
std::string StoredHash(const std::filesystem::path& db, const std::string& name) {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << db;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(conn.get(), "SELECT hash FROM user_passwords WHERE user_name = ?",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  std::unique_ptr<sqlite3_stmt, decltype(&sqlite3_finalize)> owned(stmt, &sqlite3_finalize);
  sqlite3_bind_text(stmt, 1, name.c_str(), -1, SQLITE_TRANSIENT);
  if (sqlite3_step(stmt) != SQLITE_ROW) {
    return "";
  }
  return reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
}

TEST(PeopleCli, ConsolePasswordsAreReadFromStandardInputAndNeverLogged) {
  const std::filesystem::path root =
      std::filesystem::path(::testing::TempDir()) / "people-cli-password";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "data");
  const std::string data = (root / "data").string();
  const std::filesystem::path db = root / "data" / "mamori.db";
  const std::string first = "sakura-reception-2026";
  const std::string second = "ume-no-hana-saku-koro";

  // Shorter than the guideline's 13 characters: a usage error, and nobody is added.
  const CommandResult short_one =
      mamori::testing::RunCommand({MAMORI_COLLECTOR_BIN, "user", "add", "--data-dir", data,
                                   "--role", "admin", "--name", "事務長", "--password"},
                                  "too-short\n");
  EXPECT_EQ(short_one.exit_code, 2) << short_one.err;
  EXPECT_NE(short_one.err.find("13"), std::string::npos) << short_one.err;

  const CommandResult added =
      mamori::testing::RunCommand({MAMORI_COLLECTOR_BIN, "user", "add", "--data-dir", data,
                                   "--role", "admin", "--name", "事務長", "--password"},
                                  first + "\n");
  ASSERT_EQ(added.exit_code, 0) << added.err;
  const std::string first_hash = StoredHash(db, "事務長");
  ASSERT_FALSE(first_hash.empty());
  EXPECT_EQ(first_hash.find(first), std::string::npos) << "stored as a hash, not the password";

  const CommandResult changed = mamori::testing::RunCommand(
      {MAMORI_COLLECTOR_BIN, "user", "password", "事務長", "--data-dir", data}, second + "\n");
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.out.find("console password set for 事務長"), std::string::npos) << changed.out;
  const std::string second_hash = StoredHash(db, "事務長");
  EXPECT_FALSE(second_hash.empty());
  EXPECT_NE(second_hash, first_hash);

  // Somebody who does not exist: refused, and the refusal is audited too.
  const CommandResult unknown = mamori::testing::RunCommand(
      {MAMORI_COLLECTOR_BIN, "user", "password", "知らない人", "--data-dir", data}, second + "\n");
  EXPECT_EQ(unknown.exit_code, 1) << unknown.err;

  const CommandResult audit = Collector({"audit", "--data-dir", data, "--format", "json"});
  ASSERT_EQ(audit.exit_code, 0) << audit.err;
  for (const std::string& secret : {first, second}) {
    EXPECT_EQ(audit.out.find(secret), std::string::npos) << "a password reached the audit log";
    EXPECT_EQ(added.err.find(secret), std::string::npos) << "a password reached the log";
    EXPECT_EQ(changed.err.find(secret), std::string::npos) << "a password reached the log";
  }
  const nlohmann::json events = nlohmann::json::parse(audit.out);
  std::vector<std::string> actions;
  for (const nlohmann::json& event : events) {
    actions.push_back(event["action"].get<std::string>() + " " +
                      event["outcome"].get<std::string>());
  }
  EXPECT_THAT(actions, ::testing::Contains("user.password ok"));
  EXPECT_THAT(actions, ::testing::Contains("user.password failed"));
  std::filesystem::remove_all(root);
}

}  // namespace
