#include "collector/storage/database.h"

#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "collector/storage/schema.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/collector/temp_dir.h"

namespace mamori::collector {
namespace {

using ::mamori::collector::testing::TempDir;
using ::testing::HasSubstr;

constexpr std::array kTwoSteps = {
    Migration{1, "first table", "CREATE TABLE first (x INTEGER) STRICT;"},
    Migration{2, "second table", "CREATE TABLE second (y TEXT) STRICT;"},
};

int RawUserVersion(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &statement, nullptr);
  sqlite3_step(statement);
  const int version = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return version;
}

void SetRawUserVersion(const std::filesystem::path& path, int version) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  const std::string sql = "PRAGMA user_version=" + std::to_string(version);
  sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
}

TEST(Database, FreshDatabaseIsMigratedToTheLatestVersion) {
  TempDir dir;
  const auto path = dir.path() / "mamori.db";
  absl::StatusOr<Database> db =
      Database::Open(path, Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*db->UserVersion(), 2);
  EXPECT_TRUE(db->Run("INSERT INTO second (y) VALUES (?1)", {"ok"}).ok());
}

TEST(Database, CollectorSchemaVersionEqualsItsNumberOfMigrations) {
  TempDir dir;
  absl::StatusOr<Database> db = Database::Open(
      dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, CollectorSchema());
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*db->UserVersion(), static_cast<int>(CollectorSchema().size()));
}

TEST(Database, ReopeningAMigratedDatabaseIsIdempotent) {
  TempDir dir;
  const auto path = dir.path() / "mamori.db";
  {
    absl::StatusOr<Database> db =
        Database::Open(path, Database::OpenMode::kCreateIfMissing, kTwoSteps);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE(db->Run("INSERT INTO first (x) VALUES (?1)", {std::int64_t{7}}).ok());
  }
  absl::StatusOr<Database> again =
      Database::Open(path, Database::OpenMode::kExistingOnly, kTwoSteps);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again->UserVersion(), 2);
  absl::StatusOr<Statement> rows = again->Query("SELECT x FROM first", {});
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(*rows->Step());
  EXPECT_EQ(rows->ColumnInt64(0), 7);
}

TEST(Database, OlderDatabaseGetsOnlyTheMissingSteps) {
  TempDir dir;
  const auto path = dir.path() / "mamori.db";
  ASSERT_TRUE(Database::Open(path, Database::OpenMode::kCreateIfMissing,
                             std::span<const Migration>(kTwoSteps).first(1))
                  .ok());
  EXPECT_EQ(RawUserVersion(path), 1);
  absl::StatusOr<Database> db = Database::Open(path, Database::OpenMode::kExistingOnly, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(*db->UserVersion(), 2);
}

TEST(Database, RefusesADatabaseWrittenByANewerCollector) {
  TempDir dir;
  const auto path = dir.path() / "mamori.db";
  ASSERT_TRUE(Database::Open(path, Database::OpenMode::kCreateIfMissing, kTwoSteps).ok());
  SetRawUserVersion(path, 3);
  absl::StatusOr<Database> db = Database::Open(path, Database::OpenMode::kExistingOnly, kTwoSteps);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(db.status().message(), HasSubstr("schema version 3"));
  EXPECT_THAT(db.status().message(), HasSubstr("newer collector"));
  EXPECT_EQ(RawUserVersion(path), 3) << "a refused database must be left as it was";
}

TEST(Database, ExistingOnlyModeDoesNotCreateAMissingDatabase) {
  TempDir dir;
  const auto path = dir.path() / "absent.db";
  absl::StatusOr<Database> db = Database::Open(path, Database::OpenMode::kExistingOnly, kTwoSteps);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Database, UsesWalWithFullSyncAndForeignKeys) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  auto pragma = [&](const char* sql) {
    absl::StatusOr<Statement> statement = db->Query(sql, {});
    EXPECT_TRUE(statement.ok());
    EXPECT_TRUE(*statement->Step());
    return statement->ColumnText(0);
  };
  EXPECT_EQ(pragma("PRAGMA journal_mode"), "wal");
  EXPECT_EQ(pragma("PRAGMA synchronous"), "2");  // FULL
  EXPECT_EQ(pragma("PRAGMA foreign_keys"), "1");
}

TEST(Database, TransactionRollsBackUnlessCommitted) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  {
    absl::StatusOr<Transaction> transaction = Transaction::Begin(*db);
    ASSERT_TRUE(transaction.ok());
    ASSERT_TRUE(db->Run("INSERT INTO first (x) VALUES (?1)", {std::int64_t{1}}).ok());
  }
  absl::StatusOr<Statement> count = db->Query("SELECT count(*) FROM first", {});
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt64(0), 0);
}

TEST(Database, ReusesOnePreparedStatementPerSqlText) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  const std::size_t before = db->CachedStatementCountForTest();
  for (std::int64_t x = 1; x <= 5; ++x) {
    ASSERT_TRUE(db->Run("INSERT INTO first (x) VALUES (?1)", {x}).ok());
  }
  EXPECT_EQ(db->CachedStatementCountForTest(), before + 1);
  absl::StatusOr<Statement> sum = db->Query("SELECT sum(x), count(*) FROM first", {});
  ASSERT_TRUE(sum.ok());
  ASSERT_TRUE(*sum->Step());
  EXPECT_EQ(sum->ColumnInt64(0), 15);
  EXPECT_EQ(sum->ColumnInt64(1), 5);
}

TEST(Database, ACachedStatementStartsOverWithNoBindingsLeft) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  for (std::int64_t x = 1; x <= 3; ++x) {
    ASSERT_TRUE(db->Run("INSERT INTO first (x) VALUES (?1)", {x}).ok());
  }
  {
    // Left after its first row: the next user must not continue where this one stopped.
    absl::StatusOr<Statement> rows = db->Query("SELECT x FROM first WHERE x >= ?1 ORDER BY x", {2});
    ASSERT_TRUE(rows.ok());
    ASSERT_TRUE(*rows->Step());
    EXPECT_EQ(rows->ColumnInt64(0), 2);
  }
  absl::StatusOr<Statement> again = db->Prepare("SELECT x FROM first WHERE x >= ?1 ORDER BY x");
  ASSERT_TRUE(again.ok());
  // ?1 unbound is NULL, and x >= NULL matches nothing: the old binding (2) is gone.
  EXPECT_FALSE(*again->Step());
}

TEST(Database, TheSameSqlNestedInsideItsOwnUseGetsItsOwnStatement) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  for (std::int64_t x = 1; x <= 3; ++x) {
    ASSERT_TRUE(db->Run("INSERT INTO first (x) VALUES (?1)", {x}).ok());
  }
  constexpr char kSql[] = "SELECT x FROM first WHERE x >= ?1 ORDER BY x";
  absl::StatusOr<Statement> outer = db->Query(kSql, {1});
  ASSERT_TRUE(outer.ok());
  std::vector<std::int64_t> pairs;
  ASSERT_TRUE(outer
                  ->ForEachRow([&](const Statement& row) -> absl::Status {
                    absl::StatusOr<Statement> inner = db->Query(kSql, {row.ColumnInt64(0)});
                    if (!inner.ok()) {
                      return inner.status();
                    }
                    return inner->ForEachRow([&](const Statement& inner_row) {
                      pairs.push_back(row.ColumnInt64(0) * 10 + inner_row.ColumnInt64(0));
                      return absl::OkStatus();
                    });
                  })
                  .ok());
  EXPECT_THAT(pairs, ::testing::ElementsAre(11, 12, 13, 22, 23, 33));
}

TEST(Database, TheStatementCacheIsBounded) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  const std::size_t texts = Database::kMaxCachedStatements + 20;
  for (std::size_t i = 0; i < texts; ++i) {
    // Distinct texts (a different constant each): beyond the bound they still run, uncached.
    absl::StatusOr<Statement> statement =
        db->Query("SELECT ?1 + " + std::to_string(i), {std::int64_t{1}});
    ASSERT_TRUE(statement.ok()) << statement.status();
    ASSERT_TRUE(*statement->Step());
    EXPECT_EQ(statement->ColumnInt64(0), static_cast<std::int64_t>(i) + 1);
  }
  EXPECT_EQ(db->CachedStatementCountForTest(), Database::kMaxCachedStatements);
}

TEST(Database, AStatementErrorIsReportedAndTheCachedStatementStillWorksAfterIt) {
  TempDir dir;
  absl::StatusOr<Database> db =
      Database::Open(dir.path() / "mamori.db", Database::OpenMode::kCreateIfMissing, kTwoSteps);
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(db->Execute("CREATE TABLE unique_x (x INTEGER PRIMARY KEY) STRICT").ok());
  constexpr char kInsert[] = "INSERT INTO unique_x (x) VALUES (?1)";
  ASSERT_TRUE(db->Run(kInsert, {std::int64_t{1}}).ok());
  absl::Status duplicate = db->Run(kInsert, {std::int64_t{1}});
  EXPECT_TRUE(absl::IsFailedPrecondition(duplicate)) << duplicate;
  EXPECT_TRUE(db->Run(kInsert, {std::int64_t{2}}).ok());
}

}  // namespace
}  // namespace mamori::collector
