// UTF-16 <-> UTF-8 at the Windows API edge: everything past platform/windows/ sees UTF-8 only.
#pragma once

#include <string>
#include <string_view>

namespace mamori::platform {

// Invalid UTF-16 (a lone surrogate) becomes U+FFFD rather than failing the whole string.
std::string ToUtf8(std::wstring_view text);
std::wstring ToUtf16(std::string_view text);

}  // namespace mamori::platform
