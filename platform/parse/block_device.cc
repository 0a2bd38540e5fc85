// Parses mountinfo and device-mapper UUIDs.
#include "platform/parse/block_device.h"

#include <cstddef>
#include <limits>
#include <vector>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

std::vector<std::string_view> SplitSpaces(std::string_view line, std::size_t max_fields) {
  std::vector<std::string_view> fields;
  while (fields.size() < max_fields) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == std::string_view::npos) {
      break;
    }
    line = line.substr(start);
    const std::size_t end = line.find(' ');
    fields.push_back(line.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    line = line.substr(end);
  }
  return fields;
}

// Undoes mountinfo's octal escapes ("\040" for a space).
std::string DecodeOctalEscapes(std::string_view field) {
  std::string decoded;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '3' &&
        field[i + 2] >= '0' && field[i + 2] <= '7' && field[i + 3] >= '0' && field[i + 3] <= '7') {
      const int value = (field[i + 1] - '0') * 64 + (field[i + 2] - '0') * 8 + (field[i + 3] - '0');
      decoded += static_cast<char>(value);
      i += 3;
    } else {
      decoded += field[i];
    }
  }
  return decoded;
}

std::optional<uint32_t> ParseNumber32(std::string_view text) {
  const auto value = ParseDecimal(text);
  if (!value || *value > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

}  // namespace

std::optional<DeviceNumber> ParseDeviceNumber(std::string_view text) {
  text = TrimAsciiWhitespace(text);
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  const auto major = ParseNumber32(text.substr(0, colon));
  const auto minor = ParseNumber32(text.substr(colon + 1));
  if (!major || !minor) {
    return std::nullopt;
  }
  return DeviceNumber{*major, *minor};
}

std::optional<MountEntry> FindRootMount(std::string_view mountinfo) {
  std::optional<MountEntry> root;
  ForEachBoundedLine(mountinfo, [&](std::string_view line) {
    // id parent major:minor root mount-point options [optional...] - fstype source super-options
    const auto fields = SplitSpaces(line, 64);
    if (fields.size() < 7 || fields[4] != "/") {
      return;
    }
    std::size_t separator = 6;
    while (separator < fields.size() && fields[separator] != "-") {
      ++separator;
    }
    if (separator + 2 >= fields.size()) {
      return;
    }
    const auto number = ParseDeviceNumber(fields[2]);
    if (!number) {
      return;
    }
    root = MountEntry{number->major, number->minor, "/", DecodeOctalEscapes(fields[separator + 1]),
                      DecodeOctalEscapes(fields[separator + 2])};
  });
  return root;
}

std::optional<std::string> DmCryptMethod(std::string_view dm_uuid) {
  dm_uuid = TrimAsciiWhitespace(dm_uuid);
  struct Known {
    std::string_view prefix;
    std::string_view method;
  };
  for (const Known known :
       {Known{"CRYPT-LUKS2-", "LUKS2"}, Known{"CRYPT-LUKS1-", "LUKS1"},
        Known{"CRYPT-LUKS-", "LUKS"}, Known{"CRYPT-PLAIN-", "dm-crypt plain"},
        Known{"CRYPT-BITLK-", "BitLocker"}, Known{"CRYPT-TCRYPT-", "TrueCrypt"}}) {
    if (dm_uuid.substr(0, known.prefix.size()) == known.prefix) {
      return std::string(known.method);
    }
  }
  return std::nullopt;
}

}  // namespace mamori::parse
