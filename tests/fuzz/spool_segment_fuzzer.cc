// libFuzzer target: the spool's recovery scan and metadata decoder, which read whatever a crash or
// a broken disk left in the agent's spool directory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/spool/spool_format.h"

namespace spool = mamori::platform::spool;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const spool::SegmentScan scan = spool::ScanSegment(bytes, 0);
  // What the scan keeps must be exactly what the spool would have written.
  if (scan.good_bytes > bytes.size()) {
    std::abort();
  }
  std::uint64_t at = scan.records.empty() ? scan.good_bytes : spool::kSegmentHeaderBytes;
  std::uint64_t previous = 0;
  for (const spool::ScannedRecord& record : scan.records) {
    const std::uint64_t length = spool::RecordBytes(record.payload_size);
    if (record.offset != at || record.id <= previous || at + length > scan.good_bytes) {
      std::abort();
    }
    const std::string_view payload =
        bytes.substr(at + spool::kRecordHeaderBytes, record.payload_size);
    if (spool::EncodeRecord(record.id, record.kind, payload) != bytes.substr(at, length)) {
      std::abort();
    }
    previous = record.id;
    at += length;
  }
  // Damage always leaves bytes behind, except for an empty file (a segment torn at creation).
  const bool damaged = scan.damage != spool::SegmentDamage::kNone;
  if (at != scan.good_bytes || (!damaged && at != size) || (damaged && at >= size && size != 0)) {
    std::abort();
  }
  if (const auto metadata = spool::DecodeMetadata(bytes)) {
    if (spool::EncodeMetadata(*metadata) != bytes) {
      std::abort();
    }
  }
  return 0;
}
