#include "collector/cli/password_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "absl/cleanup/cleanup.h"
#include "collector/people/console_password.h"
#include "openssl/crypto.h"

namespace mamori::collector {
namespace {

// One line of at most kMaxConsolePasswordBytes (+1 to notice a longer one), without its line end.
absl::StatusOr<std::string> ReadLine(std::FILE* in) {
  std::string line;
  for (int c = std::fgetc(in); c != EOF && c != '\n'; c = std::fgetc(in)) {
    if (line.size() <= kMaxConsolePasswordBytes) {
      line.push_back(static_cast<char>(c));
    }
  }
  if (line.empty() && std::feof(in)) {
    return absl::FailedPreconditionError("no password given on standard input");
  }
  if (!line.empty() && line.back() == '\r') {
    line.pop_back();
  }
  return line;
}

// Reads a line from the terminal `in` with echo off, after `prompt` on stderr.
absl::StatusOr<std::string> ReadHidden(std::FILE* in, const char* prompt) {
  const int fd = fileno(in);
  termios saved{};
  if (tcgetattr(fd, &saved) != 0) {
    return absl::FailedPreconditionError("cannot read the terminal's settings");
  }
  termios quiet = saved;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  quiet.c_lflag |= ECHONL;
  std::cerr << prompt << std::flush;
  if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0) {
    return absl::FailedPreconditionError("cannot turn off the terminal's echo");
  }
  absl::Cleanup restore = [&] { tcsetattr(fd, TCSAFLUSH, &saved); };
  return ReadLine(in);
}

}  // namespace

absl::StatusOr<std::string> ReadNewConsolePassword(std::FILE* in) {
  absl::StatusOr<std::string> password;
  if (isatty(fileno(in)) != 0) {
    std::cerr << "Console password: at least " << kMinConsolePasswordCharacters
              << " characters (文字以上)\n";
    password = ReadHidden(in, "Password: ");
    if (!password.ok()) {
      return password.status();
    }
    if (absl::Status valid = ValidateConsolePassword(*password); !valid.ok()) {
      OPENSSL_cleanse(password->data(), password->size());
      return valid;
    }
    absl::StatusOr<std::string> again = ReadHidden(in, "Again: ");
    if (!again.ok()) {
      return again.status();
    }
    const bool same = *again == *password;
    OPENSSL_cleanse(again->data(), again->size());
    if (!same) {
      OPENSSL_cleanse(password->data(), password->size());
      return absl::InvalidArgumentError("the two passwords differ");
    }
    return password;
  }
  password = ReadLine(in);
  if (!password.ok()) {
    return password.status();
  }
  if (absl::Status valid = ValidateConsolePassword(*password); !valid.ok()) {
    OPENSSL_cleanse(password->data(), password->size());
    return valid;
  }
  return password;
}

}  // namespace mamori::collector
