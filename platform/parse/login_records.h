// Decodes the binary login records glibc writes: utmp/wtmp entries (utmp(5): who is logged in on
// which terminal) and lastlog entries (lastlog(8): each UID's most recent login). Layouts are those
// of glibc on x86_64 and aarch64, little-endian, 32-bit times (the ABI keeps them 32-bit on 64-bit
// hosts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

inline constexpr std::size_t kUtmpRecordBytes = 384;
inline constexpr std::size_t kLastlogRecordBytes = 292;

// ut_type values from <utmp.h> that matter here.
inline constexpr int16_t kUtmpUserProcess = 7;

struct UtmpEntry {
  int16_t type = 0;
  int32_t pid = 0;
  std::string line;  // "pts/0", "tty1"
  std::string user;
  std::string host;  // remote host, or ":0" for a local X display; empty for a local console
  std::optional<facts::Timestamp> time;
  friend bool operator==(const UtmpEntry&, const UtmpEntry&) = default;
};

// Every whole record in the bytes (a trailing partial record is ignored), at most max_records.
std::vector<UtmpEntry> ParseUtmpRecords(std::string_view bytes, std::size_t max_records = 4096);

// The login time of one lastlog record; nullopt when the record is short or says "never" (time 0).
std::optional<facts::Timestamp> ParseLastlogRecord(std::string_view record);

// Encoders for tests and fixtures: the inverse of the parsers above.
std::string EncodeUtmpRecordForTest(const UtmpEntry& entry);
std::string EncodeLastlogRecordForTest(std::optional<facts::Timestamp> time, std::string_view line,
                                       std::string_view host);

}  // namespace mamori::parse
