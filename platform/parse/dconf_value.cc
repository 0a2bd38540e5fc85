// Reads GVariant text values from dconf keyfiles.
#include "platform/parse/dconf_value.h"

#include <limits>

#include "platform/parse/text.h"

namespace mamori::parse {

std::optional<bool> ParseDconfBool(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  if (value == "true") {
    return true;
  }
  if (value == "false") {
    return false;
  }
  return std::nullopt;
}

std::optional<uint32_t> ParseDconfUnsigned(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  for (const std::string_view type : {"uint32 ", "int32 ", "uint64 ", "int64 ", "uint16 "}) {
    if (value.substr(0, type.size()) == type) {
      value = TrimAsciiWhitespace(value.substr(type.size()));
      break;
    }
  }
  const auto number = ParseDecimal(value);
  if (!number || *number > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*number);
}

std::optional<std::string> ParseDconfString(std::string_view value) {
  value = TrimAsciiWhitespace(value);
  if (value.size() < 2) {
    return std::nullopt;
  }
  const char quote = value.front();
  if ((quote != '\'' && quote != '"') || value.back() != quote) {
    return std::nullopt;
  }
  const std::string_view inner = value.substr(1, value.size() - 2);
  if (inner.find(quote) != std::string_view::npos || inner.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(inner);
}

}  // namespace mamori::parse
