// `mamori-collector check | backup | restore`: the database's integrity check, an online backup of
// the data directory (safe while `serve` runs) and its restore (only while it does not), and the
// check `serve` runs before it serves. docs/collector.md ("Durability") explains each.
#pragma once

#include <filesystem>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"

namespace mamori::collector {

// Runs PRAGMA quick_check on DATA_DIR/mamori.db (a missing database is fine: `serve` creates it).
// A damaged one is DATA_LOSS whose message names the file, says what SQLite found and what to do.
absl::Status CheckDatabaseBeforeServing(const std::filesystem::path& data_dir);

class DatabaseCommands {
 public:
  // Registers `check`, `backup` and `restore` on `app`. The object holds the parsed options, so it
  // must live until Run() returns.
  explicit DatabaseCommands(CLI::App& app);
  DatabaseCommands(const DatabaseCommands&) = delete;
  DatabaseCommands& operator=(const DatabaseCommands&) = delete;

  bool parsed() const { return check_->parsed() || backup_->parsed() || restore_->parsed(); }
  // The chosen command; returns the process exit code (0 ok, 1 failed or damaged, 2 usage).
  int Run() const;

 private:
  int Check() const;
  int Backup() const;
  int Restore() const;

  CLI::App* check_ = nullptr;
  CLI::App* backup_ = nullptr;
  CLI::App* restore_ = nullptr;
  std::string data_dir_;
  bool full_ = false;
  std::string to_;
  std::string from_;
};

}  // namespace mamori::collector
