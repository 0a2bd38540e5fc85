// The people commands of the real `mamori-collector` binary: `user add` writes a bundle (and a
// PKCS#12 whose passphrase comes from a file), `user list` and `user revoke` work on the same data
// directory, and `audit` shows each change with the local actor and no secret.
#include <gtest/gtest.h>

#include <boost/process.hpp>
#include <filesystem>
#include <fstream>
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

}  // namespace
