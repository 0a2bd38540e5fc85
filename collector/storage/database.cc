#include "collector/storage/database.h"

#include <limits>
#include <type_traits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace mamori::collector {
namespace {

// Long enough to ride out a concurrent `hosts` reader or a checkpoint, short enough that a wedged
// database shows up as an error instead of a hung collector.
constexpr int kBusyTimeoutMs = 5000;

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view what) {
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string text = absl::StrCat(what, ": ", message, " (sqlite code ", rc, ")");
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(text);
    case SQLITE_FULL:
    case SQLITE_IOERR:
      // Disk full, or the disk refused a read or write: nothing of the transaction is kept. It is
      // UNAVAILABLE because it passes: the agents keep their records and send them again.
      return absl::UnavailableError(text);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(text);
    case SQLITE_CONSTRAINT:
      return absl::FailedPreconditionError(text);
    case SQLITE_CANTOPEN:
    case SQLITE_NOTFOUND:
      return absl::NotFoundError(text);
    default:
      return absl::InternalError(text);
  }
}

}  // namespace

void Statement::Releaser::operator()(sqlite3_stmt* statement) const {
  if (in_use == nullptr) {
    sqlite3_finalize(statement);
    return;
  }
  // The result of reset repeats the last step's error, already reported by Step().
  (void)sqlite3_reset(statement);
  (void)sqlite3_clear_bindings(statement);
  *in_use = false;
}

absl::Status Statement::Check(int rc, absl::string_view what) const {
  if (rc == SQLITE_OK) {
    return absl::OkStatus();
  }
  return SqliteError(db_, rc, what);
}

absl::Status Statement::BindText(int index, absl::string_view value) {
  if (value.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("text value too large to bind");
  }
  return Check(sqlite3_bind_text(statement_.get(), index, value.data(),
                                 static_cast<int>(value.size()), SQLITE_TRANSIENT),
               "bind text");
}

absl::Status Statement::BindBlob(int index, absl::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("blob value too large to bind");
  }
  return Check(sqlite3_bind_blob(statement_.get(), index, bytes.data(),
                                 static_cast<int>(bytes.size()), SQLITE_TRANSIENT),
               "bind blob");
}

absl::Status Statement::BindInt64(int index, std::int64_t value) {
  return Check(sqlite3_bind_int64(statement_.get(), index, value), "bind integer");
}

absl::Status Statement::BindNull(int index) {
  return Check(sqlite3_bind_null(statement_.get(), index), "bind null");
}

absl::Status Statement::Bind(int index, const SqlParam& param) {
  return std::visit(
      [&](const auto& value) -> absl::Status {
        using T = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return BindNull(index);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return BindInt64(index, value);
        } else if constexpr (std::is_same_v<T, absl::string_view>) {
          return BindText(index, value);
        } else {
          return BindBlob(index, value.bytes);
        }
      },
      param.value());
}

absl::Status Statement::BindAll(std::initializer_list<SqlParam> params) {
  int index = 1;
  for (const SqlParam& param : params) {
    if (absl::Status status = Bind(index++, param); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return SqliteError(db_, rc, absl::StrCat("step `", sqlite3_sql(statement_.get()), "`"));
}

absl::Status Statement::ForEachRow(absl::FunctionRef<absl::Status(const Statement& row)> on_row) {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::OkStatus();
    }
    if (absl::Status status = on_row(*this); !status.ok()) {
      return status;
    }
  }
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) {
    return row.status();
  }
  if (*row) {
    return absl::InternalError(
        absl::StrCat("statement returned rows unexpectedly: ", sqlite3_sql(statement_.get())));
  }
  return absl::OkStatus();
}

std::int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) {
    return {};
  }
  const int size = sqlite3_column_bytes(statement_.get(), column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

absl::string_view Statement::ColumnBytesView(int column) const {
  const void* bytes = sqlite3_column_blob(statement_.get(), column);
  if (bytes == nullptr) {
    return {};
  }
  const int size = sqlite3_column_bytes(statement_.get(), column);
  return absl::string_view(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

absl::StatusOr<Database> Database::Open(const std::filesystem::path& path, OpenMode mode,
                                        std::span<const Migration> migrations) {
  if (mode == OpenMode::kExistingOnly && !std::filesystem::exists(path)) {
    return absl::NotFoundError(absl::StrCat("no collector database at ", path.string()));
  }
  int flags = SQLITE_OPEN_READWRITE;
  if (mode == OpenMode::kCreateIfMissing) {
    flags |= SQLITE_OPEN_CREATE;
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  // sqlite3_open_v2 hands back a connection even on failure; owning it first means it is always
  // closed.
  Database db(raw);
  if (rc != SQLITE_OK) {
    return SqliteError(raw, rc, absl::StrCat("open ", path.string()));
  }
  if (absl::Status status = db.Configure(); !status.ok()) {
    return status;
  }
  if (absl::Status status = db.Migrate(migrations); !status.ok()) {
    return status;
  }
  return db;
}

absl::Status Database::Configure() {
  sqlite3_extended_result_codes(db_.get(), 1);
  if (int rc = sqlite3_busy_timeout(db_.get(), kBusyTimeoutMs); rc != SQLITE_OK) {
    return SqliteError(db_.get(), rc, "set busy timeout");
  }
  // journal_mode answers with the mode it actually chose; WAL lets `hosts` read while the server
  // writes.
  absl::StatusOr<Statement> journal = Prepare("PRAGMA journal_mode=WAL");
  if (!journal.ok()) {
    return journal.status();
  }
  absl::StatusOr<bool> row = journal->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row || journal->ColumnText(0) != "wal") {
    return absl::FailedPreconditionError("the database could not be switched to WAL journal mode");
  }
  // synchronous=FULL: an Ack tells the agent it may delete its copy, so the commit behind it must
  // survive a power cut. WAL's default (NORMAL) could lose the last transactions on power loss.
  return Execute(
      "PRAGMA synchronous=FULL;"
      "PRAGMA foreign_keys=ON;");
}

absl::Status Database::Migrate(std::span<const Migration> migrations) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return absl::InternalError("schema migrations must be numbered 1, 2, 3, ... in order");
    }
  }
  auto refuse_newer = [latest](int current) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the database has schema version ", current, " but this mamori-collector knows only up to ",
        latest, ": it was written by a newer collector; upgrade mamori-collector to open it"));
  };
  absl::StatusOr<int> current = UserVersion();
  if (!current.ok()) {
    return current.status();
  }
  if (*current > latest) {
    return refuse_newer(*current);
  }
  for (const Migration& step : migrations) {
    if (*current >= step.version) {
      continue;
    }
    // Re-read the version inside an IMMEDIATE transaction: two processes opening the same database
    // at once then apply each step exactly once.
    absl::StatusOr<Transaction> transaction = Transaction::Begin(*this);
    if (!transaction.ok()) {
      return transaction.status();
    }
    current = UserVersion();
    if (!current.ok()) {
      return current.status();
    }
    if (*current > latest) {
      return refuse_newer(*current);
    }
    if (*current >= step.version) {
      continue;
    }
    if (absl::Status status = Execute(step.sql); !status.ok()) {
      return absl::InternalError(absl::StrCat("schema migration ", step.version, " (",
                                              step.description, ") failed: ", status.message()));
    }
    // PRAGMA takes no bound parameters; the value is our own integer, not outside input.
    if (absl::Status status = Execute(absl::StrCat("PRAGMA user_version=", step.version));
        !status.ok()) {
      return status;
    }
    if (absl::Status status = transaction->Commit(); !status.ok()) {
      return status;
    }
    *current = step.version;
  }
  return absl::OkStatus();
}

absl::StatusOr<Statement> Database::PrepareUncached(absl::string_view sql) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return absl::InvalidArgumentError("SQL text too large");
  }
  sqlite3_stmt* raw = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  Statement statement(db_.get(), raw);
  if (rc != SQLITE_OK) {
    return SqliteError(db_.get(), rc, absl::StrCat("prepare `", sql, "`"));
  }
  return statement;
}

absl::StatusOr<Statement> Database::Prepare(absl::string_view sql) {
  auto it = cache_->entries.find(sql);
  if (it != cache_->entries.end()) {
    CachedStatement& cached = *it->second;
    if (cached.in_use) {
      return PrepareUncached(sql);  // the same text nested inside its own use
    }
    cached.in_use = true;
    return Statement(db_.get(), cached.statement, &cached.in_use);
  }
  if (cache_->entries.size() >= kMaxCachedStatements ||
      sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return PrepareUncached(sql);
  }
  sqlite3_stmt* raw = nullptr;
  const int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK || raw == nullptr) {
    // An error, or text without a statement (only a comment): nothing worth caching.
    sqlite3_finalize(raw);
    if (rc != SQLITE_OK) {
      return SqliteError(db_.get(), rc, absl::StrCat("prepare `", sql, "`"));
    }
    return Statement(db_.get(), nullptr);
  }
  auto entry = std::make_unique<CachedStatement>();
  entry->statement = raw;
  entry->in_use = true;
  CachedStatement& cached = *entry;
  cache_->entries.emplace(std::string(sql), std::move(entry));
  return Statement(db_.get(), cached.statement, &cached.in_use);
}

absl::StatusOr<Statement> Database::Query(absl::string_view sql,
                                          std::initializer_list<SqlParam> params) {
  absl::StatusOr<Statement> statement = Prepare(sql);
  if (!statement.ok()) {
    return statement.status();
  }
  if (absl::Status status = statement->BindAll(params); !status.ok()) {
    return status;
  }
  return statement;
}

absl::Status Database::Run(absl::string_view sql, std::initializer_list<SqlParam> params) {
  absl::StatusOr<Statement> statement = Query(sql, params);
  if (!statement.ok()) {
    return statement.status();
  }
  return statement->Run();
}

absl::Status Database::Execute(absl::string_view sql) {
  const std::string text(sql);  // sqlite3_exec wants a NUL-terminated string
  char* error = nullptr;
  const int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &error);
  if (rc != SQLITE_OK) {
    std::string message = error != nullptr ? error : sqlite3_errstr(rc);
    sqlite3_free(error);
    return SqliteError(nullptr, rc, absl::StrCat("execute `", sql, "`: ", message));
  }
  return absl::OkStatus();
}

bool Database::InTransaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }

bool IsStorageFailure(const absl::Status& status) {
  return absl::IsUnavailable(status) || absl::IsDataLoss(status);
}

absl::StatusOr<int> Database::UserVersion() {
  absl::StatusOr<Statement> statement = Prepare("PRAGMA user_version");
  if (!statement.ok()) {
    return statement.status();
  }
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row) {
    return absl::InternalError("PRAGMA user_version returned no row");
  }
  return static_cast<int>(statement->ColumnInt64(0));
}

absl::StatusOr<Transaction> Transaction::Begin(Database& db) {
  // IMMEDIATE takes the write lock up front, so a busy database fails here (after busy_timeout)
  // rather than halfway through a batch.
  // Through the statement cache, like COMMIT: the writer begins a transaction for every batch.
  if (absl::Status status = db.Run("BEGIN IMMEDIATE", {}); !status.ok()) {
    return status;
  }
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) {
    // Best effort: if ROLLBACK itself fails, SQLite has already rolled back on the error that got
    // us here.
    (void)db_->Execute("ROLLBACK");
  }
}

absl::Status Transaction::Commit() {
  if (db_ == nullptr) {
    return absl::FailedPreconditionError("transaction already finished");
  }
  absl::Status status = db_->Run("COMMIT", {});
  if (status.ok()) {
    db_ = nullptr;
  }
  return status;
}

}  // namespace mamori::collector
