// The one UTF-8 validator: text from the network, a USB stick or a command line is checked here
// before it is stored, shown or sent. Strict RFC 3629: overlong forms, UTF-16 surrogates, values
// past U+10FFFF and truncated sequences are all invalid.
#pragma once

#include <cstddef>
#include <string_view>

namespace mamori::parse {

// Length in bytes (1 to 4) of the valid UTF-8 sequence starting at `text[i]`, or 0 when it is not
// one. `i` must be less than text.size().
std::size_t Utf8SequenceLength(std::string_view text, std::size_t i);

bool IsValidUtf8(std::string_view text);

}  // namespace mamori::parse
