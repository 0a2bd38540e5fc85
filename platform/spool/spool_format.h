// The spool's bytes on disk (docs/spool.md): segment and record layout, the metadata file, CRC-32C,
// and the recovery scan. Pure functions over bytes, no I/O, so they are tested on every OS and
// fuzzed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::platform::spool {

// What a record holds. Only heartbeats may be thinned when the spool is full.
enum class RecordKind : std::uint8_t { kSnapshot = 1, kHeartbeat = 2 };

// A payload bigger than this is refused by Append and treated as a corrupt length by the scan.
inline constexpr std::uint32_t kMaxPayloadBytes = 16u * 1024u * 1024u;

// Segment file header: magic "MAMORISG", u32 format version, u32 CRC-32C of the first 12 bytes.
inline constexpr std::size_t kSegmentHeaderBytes = 16;
// Record header: u32 payload length, u8 kind, 3 zero bytes, u64 id, u32 CRC-32C of the first 16
// header bytes followed by the payload. All integers little-endian.
inline constexpr std::size_t kRecordHeaderBytes = 20;
// Metadata file: magic "MAMORIMT", u32 version, u32 zero, u64 acknowledged id, u64 next id,
// u64 thinned heartbeats, u32 CRC-32C of the preceding 40 bytes.
inline constexpr std::size_t kMetadataBytes = 44;

// CRC-32C (Castagnoli, reflected, as in iSCSI and ext4): Crc32c("123456789") == 0xE3069283.
// `crc` continues an earlier call: Crc32c(b, Crc32c(a)) == Crc32c(a + b).
std::uint32_t Crc32c(std::string_view bytes, std::uint32_t crc = 0);

std::string EncodeSegmentHeader();
// The header and payload of one record, ready to append. The payload must not exceed
// kMaxPayloadBytes.
std::string EncodeRecord(std::uint64_t id, RecordKind kind, std::string_view payload);
inline constexpr std::uint64_t RecordBytes(std::size_t payload_size) {
  return kRecordHeaderBytes + payload_size;
}

// Why a scan stopped before the end of the bytes.
enum class SegmentDamage {
  kNone,
  kShortSegmentHeader,  // fewer than kSegmentHeaderBytes: a segment torn at creation
  kBadSegmentHeader,    // wrong magic, version or header CRC
  kShortRecordHeader,   // a torn append
  kAbsurdLength,        // length above kMaxPayloadBytes
  kShortPayload,        // a torn append, or a corrupt length pointing past the end
  kBadKind,             // kind byte or reserved bytes not as written
  kChecksumMismatch,    // payload or header bytes changed
  kIdNotIncreasing,     // id not above the previous record's (this or an earlier segment)
};
std::string_view DescribeDamage(SegmentDamage damage);

struct ScannedRecord {
  std::uint64_t id = 0;
  RecordKind kind = RecordKind::kSnapshot;
  std::uint64_t offset = 0;  // of the record header in the segment file
  std::uint32_t payload_size = 0;
};

// The good prefix of a segment: every record up to the first damage, and where that prefix ends.
struct SegmentScan {
  std::vector<ScannedRecord> records;
  // Bytes to keep: the end of the last good record, the header's end for a segment without records,
  // 0 when even the segment header is bad (the file holds nothing to keep).
  std::uint64_t good_bytes = 0;
  SegmentDamage damage = SegmentDamage::kNone;
};

// Reads records from the start of a segment file's bytes until the end or the first damage. Every
// id must exceed `previous_id` (the last id of earlier segments) and the id before it.
SegmentScan ScanSegment(std::string_view bytes, std::uint64_t previous_id);

struct SpoolMetadata {
  std::uint64_t acknowledged_id = 0;  // every id at or below it is acknowledged
  std::uint64_t next_id = 1;  // the id the next append gets, unless a record holds a higher one
  std::uint64_t thinned_heartbeats = 0;
};
std::string EncodeMetadata(const SpoolMetadata& metadata);
// nullopt when the bytes are not exactly one valid metadata record.
std::optional<SpoolMetadata> DecodeMetadata(std::string_view bytes);

}  // namespace mamori::platform::spool
