// Decodes utmp and lastlog records.
#include "platform/parse/login_records.h"

#include <algorithm>
#include <chrono>

namespace mamori::parse {
namespace {

// Field offsets of struct utmp (glibc, x86_64/aarch64).
constexpr std::size_t kTypeAt = 0;
constexpr std::size_t kPidAt = 4;
constexpr std::size_t kLineAt = 8;
constexpr std::size_t kLineBytes = 32;
constexpr std::size_t kUserAt = 44;
constexpr std::size_t kUserBytes = 32;
constexpr std::size_t kHostAt = 76;
constexpr std::size_t kHostBytes = 256;
constexpr std::size_t kTimeAt = 340;

// Field offsets of struct lastlog.
constexpr std::size_t kLastlogLineAt = 4;
constexpr std::size_t kLastlogHostAt = 36;

uint32_t ReadLittleEndian32(std::string_view bytes, std::size_t at) {
  uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

int32_t ReadInt32(std::string_view bytes, std::size_t at) {
  return static_cast<int32_t>(ReadLittleEndian32(bytes, at));
}

int16_t ReadInt16(std::string_view bytes, std::size_t at) {
  const auto low = static_cast<unsigned>(static_cast<unsigned char>(bytes[at]));
  const auto high = static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1]));
  return static_cast<int16_t>(static_cast<uint16_t>(low | (high << 8)));
}

// A fixed-size char array: up to the first NUL, which need not be there when the field is full.
std::string ReadCString(std::string_view bytes, std::size_t at, std::size_t size) {
  const std::string_view field = bytes.substr(at, size);
  return std::string(field.substr(0, field.find('\0')));
}

std::optional<facts::Timestamp> TimeFromSeconds(int32_t seconds) {
  if (seconds <= 0) {
    return std::nullopt;
  }
  return facts::Timestamp(std::chrono::seconds(seconds));
}

std::string LittleEndian(uint32_t value, std::size_t size) {
  std::string bytes(size, '\0');
  for (std::size_t i = 0; i < size; ++i) {
    bytes[i] = static_cast<char>((value >> (8 * i)) & 0xffU);
  }
  return bytes;
}

uint32_t SecondsOf(std::optional<facts::Timestamp> time) {
  return time ? static_cast<uint32_t>(time->time_since_epoch().count()) : 0U;
}

}  // namespace

std::vector<UtmpEntry> ParseUtmpRecords(std::string_view bytes, std::size_t max_records) {
  std::vector<UtmpEntry> entries;
  for (std::size_t at = 0; at + kUtmpRecordBytes <= bytes.size() && entries.size() < max_records;
       at += kUtmpRecordBytes) {
    const std::string_view record = bytes.substr(at, kUtmpRecordBytes);
    UtmpEntry entry;
    entry.type = ReadInt16(record, kTypeAt);
    entry.pid = ReadInt32(record, kPidAt);
    entry.line = ReadCString(record, kLineAt, kLineBytes);
    entry.user = ReadCString(record, kUserAt, kUserBytes);
    entry.host = ReadCString(record, kHostAt, kHostBytes);
    entry.time = TimeFromSeconds(ReadInt32(record, kTimeAt));
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<facts::Timestamp> ParseLastlogRecord(std::string_view record) {
  if (record.size() < kLastlogRecordBytes) {
    return std::nullopt;
  }
  return TimeFromSeconds(ReadInt32(record, 0));
}

std::string EncodeUtmpRecordForTest(const UtmpEntry& entry) {
  std::string bytes(kUtmpRecordBytes, '\0');
  bytes.replace(kTypeAt, 2, LittleEndian(static_cast<uint16_t>(entry.type), 2));
  bytes.replace(kPidAt, 4, LittleEndian(static_cast<uint32_t>(entry.pid), 4));
  bytes.replace(kLineAt, std::min(entry.line.size(), kLineBytes), entry.line.substr(0, kLineBytes));
  bytes.replace(kUserAt, std::min(entry.user.size(), kUserBytes), entry.user.substr(0, kUserBytes));
  bytes.replace(kHostAt, std::min(entry.host.size(), kHostBytes), entry.host.substr(0, kHostBytes));
  bytes.replace(kTimeAt, 4, LittleEndian(SecondsOf(entry.time), 4));
  return bytes;
}

std::string EncodeLastlogRecordForTest(std::optional<facts::Timestamp> time, std::string_view line,
                                       std::string_view host) {
  std::string bytes(kLastlogRecordBytes, '\0');
  line = line.substr(0, kLineBytes);
  host = host.substr(0, kHostBytes);
  bytes.replace(0, 4, LittleEndian(SecondsOf(time), 4));
  bytes.replace(kLastlogLineAt, line.size(), line);
  bytes.replace(kLastlogHostAt, host.size(), host);
  return bytes;
}

}  // namespace mamori::parse
