#include "platform/spool/spool.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <system_error>
#include <utility>

#include "platform/spool/spool_file.h"

namespace mamori::platform::spool {
namespace {

constexpr std::string_view kMetadataName = "spool.meta";
constexpr std::string_view kMetadataTempName = "spool.meta.tmp";
constexpr std::string_view kLockName = "spool.lock";
constexpr std::string_view kSegmentPrefix = "segment-";
constexpr std::string_view kSegmentSuffix = ".log";
constexpr std::string_view kTempSuffix = ".tmp";
constexpr std::size_t kSegmentIdDigits = 20;
// Smallest segment that holds a record with a small payload; tests use tiny bounds.
constexpr std::uint64_t kMinSegmentBytes = 64;
constexpr std::uint64_t kMaxBoundBytes = std::uint64_t{1} << 40;

// "segment-00000000000000000042.log": named after the id of its first record when it was created,
// so the names sort in id order.
std::string SegmentName(std::uint64_t first_id) {
  std::string digits = std::to_string(first_id);
  return std::string(kSegmentPrefix) + std::string(kSegmentIdDigits - digits.size(), '0') + digits +
         std::string(kSegmentSuffix);
}

std::optional<std::uint64_t> ParseSegmentName(std::string_view name) {
  if (name.size() != kSegmentPrefix.size() + kSegmentIdDigits + kSegmentSuffix.size() ||
      !name.starts_with(kSegmentPrefix) || !name.ends_with(kSegmentSuffix)) {
    return std::nullopt;
  }
  const std::string_view digits = name.substr(kSegmentPrefix.size(), kSegmentIdDigits);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) {
    return std::nullopt;
  }
  return value;
}

bool IsOurTempFile(std::string_view name) {
  if (name == kMetadataTempName) {
    return true;
  }
  return name.ends_with(kTempSuffix) &&
         ParseSegmentName(name.substr(0, name.size() - kTempSuffix.size())).has_value();
}

// The longest segment file the spool writes: a full segment plus one maximal record. Longer files
// are read up to this and the rest is cut.
std::uint64_t MaxSegmentFileBytes(const SpoolOptions& options) {
  return options.segment_bytes + kSegmentHeaderBytes + RecordBytes(kMaxPayloadBytes);
}

std::filesystem::path TempPathFor(const std::filesystem::path& file) {
  std::filesystem::path temp = file;
  temp += std::string(kTempSuffix);
  return temp;
}

}  // namespace

Spool::Spool(std::filesystem::path dir, SpoolOptions options)
    : dir_(std::move(dir)), options_(options) {}

Spool::~Spool() = default;

SpoolOpenResult Spool::Open(const std::filesystem::path& dir, SpoolOptions options,
                            std::uint64_t first_id) {
  SpoolOpenResult result;
  if (first_id == 0 || first_id == std::numeric_limits<std::uint64_t>::max()) {
    result.error = "spool: the first id must be between 1 and 2^64-2";
    return result;
  }
  if (options.segment_bytes < kMinSegmentBytes || options.max_bytes < options.segment_bytes ||
      options.max_bytes > kMaxBoundBytes) {
    result.error =
        "spool: options out of range (segment_bytes >= 64, segment_bytes <= max_bytes <= 1 TiB)";
    return result;
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    result.error = "spool: cannot create " + PathText(dir) + ": " + ec.message();
    return result;
  }

  // Before anything is read or repaired: two processes on one spool would issue the same ids.
  FileLockResult locked = LockFileExclusively(dir / std::string(kLockName));
  if (!locked.error.empty()) {
    result.error = locked.busy ? "spool: " + PathText(dir) + " is in use by another process (" +
                                     std::string(kLockName) +
                                     " is locked): only one mamori-agent may run per data directory"
                               : "spool: " + locked.error;
    return result;
  }

  // One pass over the directory: our temp files go, segments are collected, anything else is left
  // alone.
  std::vector<std::pair<std::uint64_t, std::filesystem::path>> segment_files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = PathText(it->path().filename());
    if (IsOurTempFile(name)) {
      if (const IoOutcome removed = RemoveDurably(it->path()); !removed.ok()) {
        result.error = "spool: " + removed.error;
        return result;
      }
      ++result.recovery.temporary_files_removed;
    } else if (const auto first = ParseSegmentName(name)) {
      segment_files.emplace_back(*first, it->path());
    }
  }
  if (ec) {
    result.error = "spool: cannot list " + PathText(dir) + ": " + ec.message();
    return result;
  }
  std::sort(segment_files.begin(), segment_files.end());

  std::unique_ptr<Spool> spool(new Spool(dir, options));
  spool->lock_ = std::move(locked.lock);
  std::optional<SpoolMetadata> metadata;
  const std::filesystem::path metadata_path = dir / std::string(kMetadataName);
  const bool metadata_exists = std::filesystem::exists(metadata_path, ec);
  if (ec) {
    // Guessing "absent" here would forget every acknowledgement.
    result.error = "spool: cannot check " + PathText(metadata_path) + ": " + ec.message();
    return result;
  }
  if (metadata_exists) {
    const FileBytes bytes = ReadFilePrefix(metadata_path, kMetadataBytes + 1);
    if (!bytes.error.empty()) {
      result.error = "spool: " + bytes.error;
      return result;
    }
    metadata = DecodeMetadata(bytes.bytes);
    result.recovery.metadata_damaged = !metadata.has_value();
  } else {
    // The first Open writes the metadata before any segment exists: segments without it mean it was
    // lost.
    result.recovery.metadata_damaged = !segment_files.empty();
  }
  const std::uint64_t acknowledged = metadata ? metadata->acknowledged_id : 0;

  std::uint64_t newest = 0;
  std::optional<std::uint64_t> oldest;
  for (const auto& [first, path] : segment_files) {
    const FileBytes bytes = ReadFilePrefix(path, MaxSegmentFileBytes(options));
    if (!bytes.error.empty()) {
      result.error = "spool: " + bytes.error;
      return result;
    }
    SegmentScan scan = ScanSegment(bytes.bytes, newest);
    if (bytes.file_size > scan.good_bytes) {
      const std::string reason = scan.damage == SegmentDamage::kNone
                                     ? std::string("segment longer than the spool writes")
                                     : std::string(DescribeDamage(scan.damage));
      result.recovery.cuts.push_back(SpoolCut{.file = PathText(path.filename()),
                                              .offset = scan.good_bytes,
                                              .bytes = bytes.file_size - scan.good_bytes,
                                              .reason = reason});
      result.recovery.bytes_cut += bytes.file_size - scan.good_bytes;
    }
    const bool any_unacknowledged = !scan.records.empty() && scan.records.back().id > acknowledged;
    if (!any_unacknowledged) {
      // Nothing left to send: torn at creation, or acknowledged before a crash stopped its
      // deletion.
      if (const IoOutcome removed = RemoveDurably(path); !removed.ok()) {
        result.error = "spool: " + removed.error;
        return result;
      }
    } else if (bytes.file_size > scan.good_bytes) {
      if (const IoOutcome cut = TruncateDurably(path, scan.good_bytes); !cut.ok()) {
        result.error = "spool: " + cut.error;
        return result;
      }
    }
    if (!scan.records.empty()) {
      newest = scan.records.back().id;
    }
    if (!any_unacknowledged) {
      continue;
    }
    Segment segment{.path = path, .bytes = scan.good_bytes, .records = {}};
    for (const ScannedRecord& record : scan.records) {
      segment.records.push_back(IndexedRecord{.id = record.id,
                                              .kind = record.kind,
                                              .offset = record.offset,
                                              .payload_size = record.payload_size});
      if (record.id > acknowledged) {
        ++result.recovery.records_kept;
        if (!oldest) {
          oldest = record.id;
        }
      }
    }
    spool->segments_.push_back(std::move(segment));
  }

  if (newest == std::numeric_limits<std::uint64_t>::max()) {
    result.error = "spool: ids exhausted";
    return result;
  }
  if (metadata) {
    spool->next_id_ = std::max(metadata->next_id, newest + 1);
    spool->acknowledged_id_ = metadata->acknowledged_id;
    spool->thinned_heartbeats_ = metadata->thinned_heartbeats;
  } else {
    // Without metadata nothing counts as acknowledged: every record found is sent (the collector
    // acknowledges a replay without storing it twice).
    spool->next_id_ = std::max(first_id, newest + 1);
    spool->acknowledged_id_ = oldest.value_or(spool->next_id_) - 1;
  }
  // Persists next_id now, so ids continue from here even if every segment goes.
  if (std::string error = spool->WriteMetadataLocked(); !error.empty()) {
    result.error = "spool: " + error;
    return result;
  }
  result.spool = std::move(spool);
  return result;
}

std::string Spool::WriteMetadataLocked() {
  const std::filesystem::path temp = dir_ / std::string(kMetadataTempName);
  const std::string bytes =
      EncodeMetadata(SpoolMetadata{.acknowledged_id = acknowledged_id_,
                                   .next_id = next_id_,
                                   .thinned_heartbeats = thinned_heartbeats_});
  if (const IoOutcome written = WriteNewDurably(temp, bytes); !written.ok()) {
    return written.error;
  }
  if (const IoOutcome replaced = ReplaceDurably(temp, dir_ / std::string(kMetadataName));
      !replaced.ok()) {
    return replaced.error;
  }
  return {};
}

std::uint64_t Spool::TotalBytesLocked() const {
  std::uint64_t total = 0;
  for (const Segment& segment : segments_) {
    total += segment.bytes;
  }
  return total;
}

std::string Spool::CompactSegment(Segment& segment, const std::vector<std::uint64_t>& drop_ids) {
  std::vector<IndexedRecord> kept;
  for (const IndexedRecord& record : segment.records) {
    if (!std::binary_search(drop_ids.begin(), drop_ids.end(), record.id)) {
      kept.push_back(record);
    }
  }
  if (kept.empty()) {
    if (const IoOutcome removed = RemoveDurably(segment.path); !removed.ok()) {
      return removed.error;
    }
    segment.records.clear();
    segment.bytes = 0;
    return {};
  }
  const FileBytes old_bytes = ReadFileRange(segment.path, 0, segment.bytes);
  if (!old_bytes.error.empty()) {
    return old_bytes.error;
  }
  // Copy nothing that no longer checks out: the file must still be exactly what Open indexed.
  const SegmentScan scan = ScanSegment(old_bytes.bytes, 0);
  if (scan.damage != SegmentDamage::kNone || scan.records.size() != segment.records.size()) {
    return "segment " + PathText(segment.path.filename()) + " changed on disk since it was opened";
  }
  std::string new_bytes = EncodeSegmentHeader();
  for (IndexedRecord& record : kept) {
    const std::uint64_t offset = new_bytes.size();
    new_bytes.append(old_bytes.bytes, static_cast<std::size_t>(record.offset),
                     static_cast<std::size_t>(RecordBytes(record.payload_size)));
    record.offset = offset;
  }
  const std::filesystem::path temp = TempPathFor(segment.path);
  if (const IoOutcome written = WriteNewDurably(temp, new_bytes); !written.ok()) {
    RemoveDurably(temp);
    return written.error;
  }
  if (const IoOutcome replaced = ReplaceDurably(temp, segment.path); !replaced.ok()) {
    RemoveDurably(temp);
    return replaced.error;
  }
  segment.records = std::move(kept);
  segment.bytes = new_bytes.size();
  return {};
}

Spool::RoomMade Spool::MakeRoomLocked(std::uint64_t bytes_needed, bool all_or_nothing) {
  RoomMade made;
  // Per segment, the ids to drop (ascending, as the records are).
  std::vector<std::vector<std::uint64_t>> drops(segments_.size());
  std::vector<std::size_t> left(segments_.size());
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    left[i] = segments_[i].records.size();
  }
  std::uint64_t freed = 0;
  auto drop = [&](std::size_t segment_index, const IndexedRecord& record) {
    drops[segment_index].push_back(record.id);
    freed += RecordBytes(record.payload_size);
    if (--left[segment_index] == 0) {
      freed += kSegmentHeaderBytes;
    }
  };
  // First what costs nothing: acknowledged records still sharing a segment with unacknowledged
  // ones.
  for (std::size_t i = 0; i < segments_.size() && freed < bytes_needed; ++i) {
    for (const IndexedRecord& record : segments_[i].records) {
      if (record.id <= acknowledged_id_) {
        drop(i, record);
      }
    }
  }
  // Then the oldest unacknowledged heartbeats, never the newest record: it holds the highest id.
  const std::uint64_t newest_id = segments_.empty() ? 0 : segments_.back().records.back().id;
  for (std::size_t i = 0; i < segments_.size() && freed < bytes_needed; ++i) {
    for (const IndexedRecord& record : segments_[i].records) {
      if (freed >= bytes_needed) {
        break;
      }
      if (record.id > acknowledged_id_ && record.kind == RecordKind::kHeartbeat &&
          record.id != newest_id) {
        drop(i, record);
      }
    }
  }
  if (all_or_nothing && freed < bytes_needed) {
    return made;
  }
  // Oldest segment first, so a failure part-way has thinned the oldest heartbeats only.
  for (std::size_t i = 0; i < segments_.size(); ++i) {
    if (drops[i].empty()) {
      continue;
    }
    std::uint64_t unacknowledged_heartbeats = 0;
    for (const IndexedRecord& record : segments_[i].records) {
      if (record.id > acknowledged_id_ && record.kind == RecordKind::kHeartbeat &&
          std::binary_search(drops[i].begin(), drops[i].end(), record.id)) {
        ++unacknowledged_heartbeats;
      }
    }
    if (std::string error = CompactSegment(segments_[i], drops[i]); !error.empty()) {
      made.error = std::move(error);
      break;
    }
    made.heartbeats_thinned += unacknowledged_heartbeats;
  }
  std::erase_if(segments_, [](const Segment& segment) { return segment.records.empty(); });
  if (made.heartbeats_thinned > 0) {
    thinned_heartbeats_ += made.heartbeats_thinned;
    // After the compaction: a crash in between can only under-count, never report a heartbeat as
    // thinned that is still sent.
    if (std::string error = WriteMetadataLocked(); !error.empty() && made.error.empty()) {
      made.error = std::move(error);
    }
  }
  return made;
}

std::string Spool::AppendLocked(std::uint64_t id, RecordKind kind, std::string_view payload) {
  const std::string record = EncodeRecord(id, kind, payload);
  const bool new_segment =
      segments_.empty() || segments_.back().bytes + record.size() > options_.segment_bytes;
  if (new_segment) {
    Segment segment{.path = dir_ / SegmentName(id), .bytes = 0, .records = {}};
    IoOutcome written = WriteNewDurably(segment.path, EncodeSegmentHeader() + record);
    if (written.ok()) {
      written = SyncDirectory(dir_);
    }
    if (!written.ok()) {
      // A partial file is cut by the next Open if it cannot be removed now.
      RemoveDurably(segment.path);
      return written.error;
    }
    segment.records.push_back(
        IndexedRecord{.id = id,
                      .kind = kind,
                      .offset = kSegmentHeaderBytes,
                      .payload_size = static_cast<std::uint32_t>(payload.size())});
    segment.bytes = kSegmentHeaderBytes + record.size();
    segments_.push_back(std::move(segment));
    return {};
  }
  Segment& segment = segments_.back();
  if (const IoOutcome appended = AppendDurably(segment.path, record); !appended.ok()) {
    if (const IoOutcome undone = TruncateDurably(segment.path, segment.bytes); !undone.ok()) {
      broken_ = appended.error + "; undoing it failed: " + undone.error;
    }
    return appended.error;
  }
  segment.records.push_back(
      IndexedRecord{.id = id,
                    .kind = kind,
                    .offset = segment.bytes,
                    .payload_size = static_cast<std::uint32_t>(payload.size())});
  segment.bytes += record.size();
  return {};
}

AppendResult Spool::Append(RecordKind kind, std::string_view payload) {
  AppendResult result;
  std::lock_guard lock(mutex_);
  if (!broken_.empty()) {
    result.error = "spool: unusable until reopened after a failed write: " + broken_;
    return result;
  }
  if (kind != RecordKind::kSnapshot && kind != RecordKind::kHeartbeat) {
    result.error = "spool: unknown record kind";
    return result;
  }
  if (payload.size() > kMaxPayloadBytes) {
    result.error = "spool: payload of " + std::to_string(payload.size()) + " bytes exceeds " +
                   std::to_string(kMaxPayloadBytes);
    return result;
  }
  if (next_id_ == std::numeric_limits<std::uint64_t>::max()) {
    result.error = "spool: ids exhausted";
    return result;
  }
  const std::uint64_t record_bytes = RecordBytes(payload.size());
  auto bytes_after = [&] {
    const bool new_segment =
        segments_.empty() || segments_.back().bytes + record_bytes > options_.segment_bytes;
    return TotalBytesLocked() + record_bytes + (new_segment ? kSegmentHeaderBytes : 0);
  };
  if (bytes_after() > options_.max_bytes) {
    // A heartbeat that would not fit even after thinning is refused without thinning any: older
    // heartbeats would be lost for nothing. A snapshot is stored anyway (up to the hard cap), so
    // every heartbeat that can go makes room for it.
    RoomMade made = MakeRoomLocked(bytes_after() - options_.max_bytes,
                                   /*all_or_nothing=*/kind == RecordKind::kHeartbeat);
    result.heartbeats_thinned = made.heartbeats_thinned;
    if (!made.error.empty()) {
      result.error = "spool: making room failed: " + made.error;
      return result;
    }
  }
  const std::uint64_t after = bytes_after();
  if (after > options_.max_bytes && kind == RecordKind::kHeartbeat) {
    result.error = "spool full: heartbeat refused (" + std::to_string(after) +
                   " bytes would exceed " + std::to_string(options_.max_bytes) +
                   ", only snapshots left to keep)";
    return result;
  }
  if (after > 2 * options_.max_bytes) {
    result.error = "spool full: snapshot refused (" + std::to_string(after) +
                   " bytes would exceed the hard cap of " + std::to_string(2 * options_.max_bytes) +
                   "; snapshots are never dropped)";
    return result;
  }
  const std::uint64_t id = next_id_;
  if (std::string error = AppendLocked(id, kind, payload); !error.empty()) {
    result.error = "spool: " + error;
    return result;
  }
  next_id_ = id + 1;
  result.id = id;
  return result;
}

PendingResult Spool::Pending(std::size_t max_records, std::size_t max_bytes) const {
  PendingResult result;
  std::lock_guard lock(mutex_);
  std::uint64_t bytes = 0;
  for (const Segment& segment : segments_) {
    for (const IndexedRecord& record : segment.records) {
      if (record.id <= acknowledged_id_) {
        continue;
      }
      if (result.records.size() >= max_records ||
          (!result.records.empty() && bytes + record.payload_size > max_bytes)) {
        return result;
      }
      const FileBytes read =
          ReadFileRange(segment.path, record.offset, RecordBytes(record.payload_size));
      if (!read.error.empty()) {
        result.error = "spool: record " + std::to_string(record.id) + ": " + read.error;
        return result;
      }
      std::string payload = read.bytes.substr(kRecordHeaderBytes);
      // Re-encoding checks the header and the CRC against what is on disk now.
      if (EncodeRecord(record.id, record.kind, payload) != read.bytes) {
        result.error = "spool: record " + std::to_string(record.id) + " in " +
                       PathText(segment.path.filename()) + " changed on disk since it was opened";
        return result;
      }
      bytes += record.payload_size;
      result.records.push_back(
          SpoolRecord{.id = record.id, .kind = record.kind, .payload = std::move(payload)});
    }
  }
  return result;
}

AcknowledgeResult Spool::Acknowledge(std::uint64_t up_to_id) {
  AcknowledgeResult result;
  std::lock_guard lock(mutex_);
  if (up_to_id >= next_id_) {
    result.error = "spool: acknowledging id " + std::to_string(up_to_id) +
                   ", but the newest id issued is " + std::to_string(next_id_ - 1);
    return result;
  }
  if (up_to_id <= acknowledged_id_) {
    return result;
  }
  const std::uint64_t previous = acknowledged_id_;
  acknowledged_id_ = up_to_id;
  // The acknowledgement is durable before any file goes: a crash in between leaves segments that
  // the next Open sees as acknowledged and deletes.
  if (std::string error = WriteMetadataLocked(); !error.empty()) {
    acknowledged_id_ = previous;
    result.error = "spool: " + error;
    return result;
  }
  while (!segments_.empty() && segments_.front().records.back().id <= acknowledged_id_) {
    if (const IoOutcome removed = RemoveDurably(segments_.front().path); !removed.ok()) {
      result.error = "spool: acknowledged, but " + removed.error;
      return result;
    }
    segments_.erase(segments_.begin());
    ++result.segments_deleted;
  }
  return result;
}

std::string Spool::ForgetThinnedHeartbeats(std::uint64_t reported) {
  std::lock_guard lock(mutex_);
  const std::uint64_t previous = thinned_heartbeats_;
  thinned_heartbeats_ -= std::min(reported, thinned_heartbeats_);
  if (std::string error = WriteMetadataLocked(); !error.empty()) {
    thinned_heartbeats_ = previous;
    return "spool: " + error;
  }
  return {};
}

std::string Spool::ContinueAfter(std::uint64_t committed_id) {
  std::lock_guard lock(mutex_);
  if (committed_id < next_id_) {
    return {};
  }
  if (committed_id == std::numeric_limits<std::uint64_t>::max()) {
    return "spool: the collector's committed id " + std::to_string(committed_id) +
           " leaves no id to issue";
  }
  const std::uint64_t previous_ack = acknowledged_id_;
  const std::uint64_t previous_next = next_id_;
  acknowledged_id_ = committed_id;
  next_id_ = committed_id + 1;
  if (std::string error = WriteMetadataLocked(); !error.empty()) {
    acknowledged_id_ = previous_ack;
    next_id_ = previous_next;
    return "spool: " + error;
  }
  while (!segments_.empty()) {
    if (const IoOutcome removed = RemoveDurably(segments_.front().path); !removed.ok()) {
      return "spool: continued after " + std::to_string(committed_id) + ", but " + removed.error;
    }
    segments_.erase(segments_.begin());
  }
  return {};
}

SpoolStats Spool::Stats() const {
  std::lock_guard lock(mutex_);
  SpoolStats stats;
  stats.bytes = TotalBytesLocked();
  stats.segments = segments_.size();
  stats.next_id = next_id_;
  stats.acknowledged_id = acknowledged_id_;
  stats.thinned_heartbeats = thinned_heartbeats_;
  for (const Segment& segment : segments_) {
    for (const IndexedRecord& record : segment.records) {
      if (record.id > acknowledged_id_) {
        ++stats.records;
        if (!stats.oldest_id) {
          stats.oldest_id = record.id;
        }
        stats.newest_id = record.id;
      }
    }
  }
  return stats;
}

}  // namespace mamori::platform::spool
