#include "platform/spool/spool_format.h"

#include <array>

namespace mamori::platform::spool {
namespace {

constexpr std::string_view kSegmentMagic = "MAMORISG";
constexpr std::string_view kMetadataMagic = "MAMORIMT";
constexpr std::uint32_t kFormatVersion = 1;

// Debian's Boost.CRC is header-only, but the mingw-w64 build exposes no Boost headers (its include
// path holds only the symlinked trees of cmake/MamoriHeaderOnly.cmake), so the 256-entry table is
// here.
constexpr std::array<std::uint32_t, 256> MakeCrc32cTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t crc = i;
    for (int bit = 0; bit < 8; ++bit) {
      crc = (crc & 1u) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
    }
    table[i] = crc;
  }
  return table;
}
constexpr std::array<std::uint32_t, 256> kCrc32cTable = MakeCrc32cTable();

void PutU32(std::string& out, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
  }
}
void PutU64(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xFFu));
  }
}
std::uint32_t GetU32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}
std::uint64_t GetU64(std::string_view bytes, std::size_t at) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < 8; ++i) {
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

bool IsKnownKind(unsigned char kind) {
  return kind == static_cast<unsigned char>(RecordKind::kSnapshot) ||
         kind == static_cast<unsigned char>(RecordKind::kHeartbeat);
}

}  // namespace

std::uint32_t Crc32c(std::string_view bytes, std::uint32_t crc) {
  crc = ~crc;
  for (const char byte : bytes) {
    crc = kCrc32cTable[(crc ^ static_cast<unsigned char>(byte)) & 0xFFu] ^ (crc >> 8);
  }
  return ~crc;
}

std::string EncodeSegmentHeader() {
  std::string out(kSegmentMagic);
  PutU32(out, kFormatVersion);
  PutU32(out, Crc32c(out));
  return out;
}

std::string EncodeRecord(std::uint64_t id, RecordKind kind, std::string_view payload) {
  std::string out;
  out.reserve(kRecordHeaderBytes + payload.size());
  PutU32(out, static_cast<std::uint32_t>(payload.size()));
  out.push_back(static_cast<char>(kind));
  out.append(3, '\0');
  PutU64(out, id);
  PutU32(out, Crc32c(payload, Crc32c(out)));
  out.append(payload);
  return out;
}

std::string_view DescribeDamage(SegmentDamage damage) {
  switch (damage) {
    case SegmentDamage::kNone:
      return "no damage";
    case SegmentDamage::kShortSegmentHeader:
      return "segment header cut short";
    case SegmentDamage::kBadSegmentHeader:
      return "segment header not valid";
    case SegmentDamage::kShortRecordHeader:
      return "record header cut short";
    case SegmentDamage::kAbsurdLength:
      return "record length too large";
    case SegmentDamage::kShortPayload:
      return "record payload cut short";
    case SegmentDamage::kBadKind:
      return "record kind not valid";
    case SegmentDamage::kChecksumMismatch:
      return "record checksum mismatch";
    case SegmentDamage::kIdNotIncreasing:
      return "record id not increasing";
  }
  return "unknown damage";
}

SegmentScan ScanSegment(std::string_view bytes, std::uint64_t previous_id) {
  SegmentScan scan;
  if (bytes.size() < kSegmentHeaderBytes) {
    scan.damage = SegmentDamage::kShortSegmentHeader;
    return scan;
  }
  if (bytes.substr(0, kSegmentHeaderBytes) != EncodeSegmentHeader()) {
    scan.damage = SegmentDamage::kBadSegmentHeader;
    return scan;
  }
  std::size_t at = kSegmentHeaderBytes;
  scan.good_bytes = at;
  std::uint64_t last_id = previous_id;
  while (at < bytes.size()) {
    const std::size_t left = bytes.size() - at;
    if (left < kRecordHeaderBytes) {
      scan.damage = SegmentDamage::kShortRecordHeader;
      return scan;
    }
    const std::uint32_t length = GetU32(bytes, at);
    if (length > kMaxPayloadBytes) {
      scan.damage = SegmentDamage::kAbsurdLength;
      return scan;
    }
    if (left - kRecordHeaderBytes < length) {
      scan.damage = SegmentDamage::kShortPayload;
      return scan;
    }
    const std::string_view header = bytes.substr(at, 16);
    const std::string_view payload = bytes.substr(at + kRecordHeaderBytes, length);
    if (Crc32c(payload, Crc32c(header)) != GetU32(bytes, at + 16)) {
      scan.damage = SegmentDamage::kChecksumMismatch;
      return scan;
    }
    const auto kind = static_cast<unsigned char>(bytes[at + 4]);
    if (!IsKnownKind(kind) || bytes[at + 5] != '\0' || bytes[at + 6] != '\0' ||
        bytes[at + 7] != '\0') {
      scan.damage = SegmentDamage::kBadKind;
      return scan;
    }
    const std::uint64_t id = GetU64(bytes, at + 8);
    if (id <= last_id) {
      scan.damage = SegmentDamage::kIdNotIncreasing;
      return scan;
    }
    scan.records.push_back(ScannedRecord{
        .id = id, .kind = static_cast<RecordKind>(kind), .offset = at, .payload_size = length});
    last_id = id;
    at += kRecordHeaderBytes + length;
    scan.good_bytes = at;
  }
  return scan;
}

std::string EncodeMetadata(const SpoolMetadata& metadata) {
  std::string out(kMetadataMagic);
  PutU32(out, kFormatVersion);
  PutU32(out, 0);
  PutU64(out, metadata.acknowledged_id);
  PutU64(out, metadata.next_id);
  PutU64(out, metadata.thinned_heartbeats);
  PutU32(out, Crc32c(out));
  return out;
}

std::optional<SpoolMetadata> DecodeMetadata(std::string_view bytes) {
  if (bytes.size() != kMetadataBytes || bytes.substr(0, kMetadataMagic.size()) != kMetadataMagic ||
      GetU32(bytes, 8) != kFormatVersion || GetU32(bytes, 12) != 0 ||
      Crc32c(bytes.substr(0, kMetadataBytes - 4)) != GetU32(bytes, kMetadataBytes - 4)) {
    return std::nullopt;
  }
  SpoolMetadata metadata{.acknowledged_id = GetU64(bytes, 16),
                         .next_id = GetU64(bytes, 24),
                         .thinned_heartbeats = GetU64(bytes, 32)};
  if (metadata.next_id == 0 || metadata.acknowledged_id >= metadata.next_id) {
    return std::nullopt;
  }
  return metadata;
}

}  // namespace mamori::platform::spool
