// Windows: the console's output code page becomes UTF-8 for this process.
#include <windows.h>

#include "agent/check/console.h"

namespace mamori::check {

void PrepareConsoleForUtf8() { SetConsoleOutputCP(CP_UTF8); }

}  // namespace mamori::check
