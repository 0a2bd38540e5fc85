// The collector's SQLite database: RAII ownership of the connection and its statements, the pragmas
// that make an Ack a promise, and schema migrations keyed by PRAGMA user_version.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mamori::collector {

// Bytes bound as a BLOB rather than TEXT.
struct Blob {
  absl::string_view bytes;
};

// A value bound to a statement parameter. Implicit on purpose, so that a call site reads as its
// SQL: db.Run("UPDATE agents SET last_seen = ?2 WHERE agent_id = ?1", {agent_id, now}). Values are
// copied into SQLite when bound, so temporaries are fine.
class SqlParam {
 public:
  SqlParam(std::nullptr_t) {}                           // NOLINT(google-explicit-constructor)
  SqlParam(std::int64_t value) : value_(value) {}       // NOLINT(google-explicit-constructor)
  SqlParam(absl::string_view value) : value_(value) {}  // NOLINT(google-explicit-constructor)
  SqlParam(const std::string& value) : value_(absl::string_view(value)) {}  // NOLINT
  SqlParam(const char* value) : value_(absl::string_view(value)) {}         // NOLINT
  SqlParam(Blob value) : value_(value) {}              // NOLINT(google-explicit-constructor)
  SqlParam(const std::optional<std::string>& value) {  // NOLINT(google-explicit-constructor)
    if (value.has_value()) {
      value_ = absl::string_view(*value);
    }
  }

  const std::variant<std::monostate, std::int64_t, absl::string_view, Blob>& value() const {
    return value_;
  }

 private:
  std::variant<std::monostate, std::int64_t, absl::string_view, Blob> value_;
};

// One prepared statement. Values are only ever bound as parameters, never spliced into SQL text.
class Statement {
 public:
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Parameter indexes are 1-based, as in SQLite.
  absl::Status BindText(int index, absl::string_view value);
  absl::Status BindBlob(int index, absl::string_view bytes);
  absl::Status BindInt64(int index, std::int64_t value);
  absl::Status BindNull(int index);
  absl::Status Bind(int index, const SqlParam& param);
  // Binds parameters ?1, ?2, ... in order.
  absl::Status BindAll(std::initializer_list<SqlParam> params);

  // Advances one row: true when a row is available, false when the statement is done.
  absl::StatusOr<bool> Step();
  // Runs a statement that returns no rows to completion.
  absl::Status Run();
  // Steps through every row, calling on_row with this statement positioned on it. Stops at the
  // first error, from Step() or from on_row.
  absl::Status ForEachRow(absl::FunctionRef<absl::Status(const Statement& row)> on_row);

  // Column indexes are 0-based, as in SQLite. Only valid after Step() returned true.
  std::int64_t ColumnInt64(int column) const;
  std::string ColumnText(int column) const;  // NULL reads as ""
  // The column's bytes without a copy; valid until the next Step() or the statement's end.
  absl::string_view ColumnBytesView(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class Database;
  // A statement from the Database's cache goes back to it (reset, bindings cleared) instead of
  // being finalized; `in_use` is its cache entry's flag. Otherwise it is finalized.
  struct Releaser {
    bool* in_use = nullptr;
    void operator()(sqlite3_stmt* statement) const;
  };
  Statement(sqlite3* db, sqlite3_stmt* statement, bool* in_use = nullptr)
      : db_(db), statement_(statement, Releaser{in_use}) {}
  absl::Status Check(int rc, absl::string_view what) const;

  sqlite3* db_;  // not owned; outlived by its Database
  std::unique_ptr<sqlite3_stmt, Releaser> statement_;
};

// One schema step. Steps are applied in order, each in its own transaction together with the
// user_version bump, so a crash mid-upgrade leaves the database at a well-defined version.
struct Migration {
  int version;  // user_version after this step; the list is 1, 2, 3, ...
  absl::string_view description;
  absl::string_view sql;
};

class Database {
 public:
  enum class OpenMode {
    kCreateIfMissing,  // the server: a fresh data directory starts an empty database
    kExistingOnly,     // read-side commands: a mistyped path must not silently create an empty
                       // database
  };

  // Opens (or creates) the database at `path`, sets the pragmas and brings the schema up to date
  // with `migrations`. A database whose user_version is newer than the last migration was written
  // by a newer collector and is refused rather than misread.
  static absl::StatusOr<Database> Open(const std::filesystem::path& path, OpenMode mode,
                                       std::span<const Migration> migrations);

  Database(Database&&) noexcept = default;
  Database& operator=(Database&&) noexcept = default;

  // Statements are cached by their SQL text (prepared once with SQLITE_PREPARE_PERSISTENT, reset
  // and their bindings cleared when the Statement ends, finalized with the Database): the writer
  // runs the same few dozen statements for every record, and parsing them again each time was most
  // of its SQL cost. The cache holds at most kMaxCachedStatements texts; beyond that, and while the
  // cached copy of a text is still in use (a nested query), a statement is prepared afresh and
  // finalized after use. Like the connection, the cache is for one thread at a time: every owner
  // of a Database already serializes its calls (a mutex, or the writer thread alone).
  static constexpr std::size_t kMaxCachedStatements = 256;
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Prepares and binds `sql`; the caller steps through the rows.
  absl::StatusOr<Statement> Query(absl::string_view sql, std::initializer_list<SqlParam> params);
  // Prepares and binds `sql`, and reads its first row with `parse` (called with the statement on
  // that row, returning absl::StatusOr<T>): nullopt when there is no row. For lookups by key.
  template <typename T, typename Parse>
  absl::StatusOr<std::optional<T>> QueryOptionalRow(absl::string_view sql,
                                                    std::initializer_list<SqlParam> params,
                                                    Parse&& parse) {
    absl::StatusOr<Statement> query = Query(sql, params);
    if (!query.ok()) {
      return query.status();
    }
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return std::nullopt;
    }
    absl::StatusOr<T> parsed = std::forward<Parse>(parse)(std::as_const(*query));
    if (!parsed.ok()) {
      return parsed.status();
    }
    return std::optional<T>(*std::move(parsed));
  }
  // Prepares, binds and runs `sql`, which must return no rows.
  absl::Status Run(absl::string_view sql, std::initializer_list<SqlParam> params);
  // For fixed SQL text only (DDL, BEGIN/COMMIT); anything carrying a value goes through Prepare().
  absl::Status Execute(absl::string_view sql);

  absl::StatusOr<int> UserVersion();

  // How many statement texts are cached (for tests).
  std::size_t CachedStatementCountForTest() const { return cache_->entries.size(); }

  // False once SQLite has ended the transaction, e.g. rolled it back by itself after SQLITE_FULL or
  // an I/O error: statements that follow would run outside it.
  bool InTransaction() const;

  // The raw connection, for SQLite APIs this class does not wrap (the online backup). Owned here.
  sqlite3* handle() const { return db_.get(); }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  struct CachedStatement {
    ~CachedStatement() { sqlite3_finalize(statement); }
    sqlite3_stmt* statement = nullptr;
    bool in_use = false;
  };
  struct StatementCache {
    absl::flat_hash_map<std::string, std::unique_ptr<CachedStatement>> entries;
  };
  explicit Database(sqlite3* db) : db_(db), cache_(std::make_unique<StatementCache>()) {}
  absl::Status Configure();
  absl::Status Migrate(std::span<const Migration> migrations);
  absl::StatusOr<Statement> PrepareUncached(absl::string_view sql);

  std::unique_ptr<sqlite3, Closer> db_;
  // Declared after db_ so that it is destroyed first: the statements are finalized before the
  // connection closes. Behind a pointer so Statements keep pointing at their entry when the
  // Database is moved.
  std::unique_ptr<StatementCache> cache_;
};

// Errors from SQLite carry these codes: UNAVAILABLE for what passes (busy, locked, the disk full or
// refusing a write), DATA_LOSS for a damaged file (SQLITE_CORRUPT, SQLITE_NOTADB), NOT_FOUND for a
// file that cannot be opened, FAILED_PRECONDITION for a constraint, INTERNAL for the rest.
// True for UNAVAILABLE and DATA_LOSS: the storage itself failed, not one record.
bool IsStorageFailure(const absl::Status& status);

// Runs `BEGIN IMMEDIATE` now and `ROLLBACK` on destruction unless Commit() succeeded, so every
// early return on an error path leaves the database untouched.
class Transaction {
 public:
  static absl::StatusOr<Transaction> Begin(Database& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();

  absl::Status Commit();

 private:
  explicit Transaction(Database* db) : db_(db) {}
  Database* db_;  // null once committed or moved from
};

}  // namespace mamori::collector
