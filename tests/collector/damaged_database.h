// Damages a database file as a failing disk would: one whole page in the middle of the file
// overwritten with garbage, with every connection to it closed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace mamori::testing {

inline std::int64_t PragmaInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, sql, -1, &statement, nullptr);
  std::int64_t value = -1;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    value = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  return value;
}

// Overwrites the middle page of the database at `path` with 0xA5 bytes and returns its number
// (0 when the file is too small to have a middle). The WAL is checkpointed into the file first and
// free pages are vacuumed away, so the page damaged is one the database uses.
inline std::int64_t DamageMiddlePage(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  if (PragmaInt(db, "PRAGMA freelist_count") != 0) {
    sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr);
  }
  sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
  const std::int64_t page_size = PragmaInt(db, "PRAGMA page_size");
  const std::int64_t pages = PragmaInt(db, "PRAGMA page_count");
  sqlite3_close(db);
  if (pages < 3) {
    return 0;
  }
  const std::int64_t page = pages / 2 + 1;
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekp((page - 1) * page_size);
  const std::string garbage(static_cast<std::size_t>(page_size), '\xA5');
  file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  file.close();
  return file ? page : 0;
}

}  // namespace mamori::testing
