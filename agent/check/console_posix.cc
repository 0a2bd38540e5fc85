// POSIX terminals take UTF-8 as written.
#include "agent/check/console.h"

namespace mamori::check {

void PrepareConsoleForUtf8() {}

}  // namespace mamori::check
