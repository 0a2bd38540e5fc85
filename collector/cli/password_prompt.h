// Reading a new console password on the server PC: from the terminal without echo (asked twice),
// or one line from standard input when it is not a terminal (scripts, tests). Never from the
// command line or the environment, where other users and logs could see it.
#pragma once

#include <cstdio>
#include <string>

#include "absl/status/statusor.h"

namespace mamori::collector {

// The password, validated (ValidateConsolePassword). INVALID_ARGUMENT with the reason when it is
// refused or the two entries differ; FAILED_PRECONDITION when nothing could be read.
absl::StatusOr<std::string> ReadNewConsolePassword(std::FILE* in = stdin);

}  // namespace mamori::collector
