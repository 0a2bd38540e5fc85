// `mamori-collector user add|list|revoke|password`: the people who may use mamorictl and the web
// console, managed on the server PC itself. `user add` writes the person's certificate bundle
// (--out) and/or sets their console password (--password); every change is audited.
#pragma once

#include <string>

#include "CLI/CLI.hpp"

namespace mamori::collector {

class UserCommands {
 public:
  // Registers `user` and its subcommands on `app`. The object holds the parsed options, so it must
  // live until Run() returns.
  explicit UserCommands(CLI::App& app);
  UserCommands(const UserCommands&) = delete;
  UserCommands& operator=(const UserCommands&) = delete;

  bool parsed() const { return user_->parsed(); }
  // The chosen subcommand; returns the process exit code (0 ok, 1 failed, 2 usage).
  int Run() const;

 private:
  int Add() const;
  int List() const;
  int Revoke() const;
  int Password() const;

  CLI::App* user_ = nullptr;
  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* revoke_ = nullptr;
  CLI::App* password_ = nullptr;
  bool set_password_ = false;
  std::string data_dir_;
  std::string name_;
  std::string role_;
  std::string out_dir_;
  bool pkcs12_ = false;
  std::string passphrase_file_;
  std::string format_ = "table";
};

}  // namespace mamori::collector
