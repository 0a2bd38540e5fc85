// Makes the terminal show mamori-check's UTF-8 Japanese text (one implementation per OS, chosen in
// CMake).
#pragma once

namespace mamori::check {

// Windows consoles default to the ANSI code page (CP932 on Japanese Windows): switch output to
// UTF-8. Nothing to do elsewhere.
void PrepareConsoleForUtf8();

}  // namespace mamori::check
