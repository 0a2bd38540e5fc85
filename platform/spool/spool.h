// The agent's durable spool: every record the agent observed is appended and flushed here before it
// is sent, and removed only after the collector acknowledged it, so a crash anywhere between loses
// nothing (docs/spool.md). Thread-safe; one Spool per directory: Open refuses a directory another
// Spool (in this process or another) holds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/spool/spool_file.h"
#include "platform/spool/spool_format.h"

namespace mamori::platform::spool {

struct SpoolOptions {
  // The bound on the spool's files. Full: the oldest heartbeats are thinned to make room; snapshots
  // are never dropped and are accepted up to twice this bound, then refused.
  std::uint64_t max_bytes = 50u * 1024u * 1024u;
  // A segment is closed once the next record would make it bigger (a single larger record gets a
  // segment of its own).
  std::uint64_t segment_bytes = 1u * 1024u * 1024u;
};

// Something Open cut from a segment because it was torn or corrupt.
struct SpoolCut {
  std::string file;      // the segment's file name
  std::uint64_t offset;  // where the cut starts: the damaged record's start
  std::uint64_t bytes;   // bytes removed: the damaged record and everything after it in that file
  std::string reason;    // e.g. "record checksum mismatch"
};

// What Open repaired; the agent logs it.
struct SpoolRecovery {
  std::vector<SpoolCut> cuts;  // each cut lost at least one (torn or damaged) record
  std::uint64_t bytes_cut = 0;
  std::uint64_t records_kept = 0;  // unacknowledged records found intact
  // Metadata unreadable, or missing beside segments: replaced, and every record on disk is pending.
  bool metadata_damaged = false;
  // Left by a crash during a metadata write or a compaction.
  std::uint64_t temporary_files_removed = 0;
  bool Clean() const { return cuts.empty() && !metadata_damaged; }
};

class Spool;

struct SpoolOpenResult {
  std::unique_ptr<Spool> spool;  // null on error
  std::string error;
  SpoolRecovery recovery;
};

struct AppendResult {
  std::uint64_t id = 0;  // the record's id (the agent's wire seq); 0 on error
  std::string error;
  std::uint64_t heartbeats_thinned = 0;  // dropped to make room for this record
  bool ok() const { return error.empty(); }
};

struct SpoolRecord {
  std::uint64_t id = 0;
  RecordKind kind = RecordKind::kSnapshot;
  std::string payload;
};

struct PendingResult {
  std::vector<SpoolRecord> records;  // oldest first, unacknowledged only
  std::string error;  // a record could not be read back; `records` holds those before it
};

struct AcknowledgeResult {
  std::string error;
  std::uint64_t segments_deleted = 0;
  bool ok() const { return error.empty(); }
};

struct SpoolStats {
  std::uint64_t records = 0;  // unacknowledged
  std::uint64_t bytes = 0;    // all segment files on disk
  std::uint64_t segments = 0;
  std::optional<std::uint64_t> oldest_id;  // of the unacknowledged records
  std::optional<std::uint64_t> newest_id;
  std::uint64_t next_id = 0;
  std::uint64_t acknowledged_id = 0;
  std::uint64_t thinned_heartbeats = 0;  // since the agent last reported them
};

class Spool {
 public:
  // Opens (creating if needed) the spool in `dir` and repairs it (see SpoolRecovery). `first_id`
  // (>= 1) is the id of the first record when the directory has no metadata yet, e.g. the agent's
  // last committed seq + 1; later opens continue from the stored ids and ignore it.
  static SpoolOpenResult Open(const std::filesystem::path& dir, SpoolOptions options,
                              std::uint64_t first_id);

  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends and flushes one record; its id is the next one. Payloads above kMaxPayloadBytes, and
  // records that do not fit even after thinning heartbeats (see SpoolOptions), are refused.
  AppendResult Append(RecordKind kind, std::string_view payload);

  // Up to `max_records` unacknowledged records, oldest first, whose payloads sum to at most
  // `max_bytes`; the oldest one is returned even when it alone is bigger.
  PendingResult Pending(std::size_t max_records, std::size_t max_bytes) const;

  // Every record with an id at or below `up_to_id` is acknowledged (persisted before this returns)
  // and never returned again; segments holding only acknowledged records are deleted. Acknowledging
  // an id not issued yet is refused.
  AcknowledgeResult Acknowledge(std::uint64_t up_to_id);

  // Subtracts `reported` from the thinned heartbeats count (persisted) once the agent told the
  // collector; heartbeats thinned meanwhile stay counted. Empty on success, else the error.
  std::string ForgetThinnedHeartbeats(std::uint64_t reported);

  // The collector has committed ids up to `committed_id`, at or beyond the next id this spool
  // would issue: only a spool that lost its newest ids (or an agent restored from an old backup)
  // gets here. Everything held is acknowledged and the next id becomes `committed_id` + 1, so new
  // records are not taken for replays. Nothing happens below that. Empty on success, else the
  // error.
  std::string ContinueAfter(std::uint64_t committed_id);

  SpoolStats Stats() const;

  ~Spool();

 private:
  struct IndexedRecord {
    std::uint64_t id;
    RecordKind kind;
    std::uint64_t offset;
    std::uint32_t payload_size;
  };
  struct Segment {
    std::filesystem::path path;
    std::uint64_t bytes = 0;
    std::vector<IndexedRecord> records;  // acknowledged ones too, until the segment is compacted
  };

  Spool(std::filesystem::path dir, SpoolOptions options);

  std::string WriteMetadataLocked();
  std::uint64_t TotalBytesLocked() const;
  struct RoomMade {
    std::uint64_t heartbeats_thinned = 0;
    std::string error;
  };
  // Frees up to `bytes_needed` by compacting acknowledged records and then the oldest
  // unacknowledged heartbeats (never the newest record) out of their segments. With
  // `all_or_nothing`, frees nothing unless it can free all of it.
  RoomMade MakeRoomLocked(std::uint64_t bytes_needed, bool all_or_nothing);
  // Rewrites the segment without the records whose ids are in `drop_ids` (sorted), or removes its
  // file when none are left.
  static std::string CompactSegment(Segment& segment, const std::vector<std::uint64_t>& drop_ids);
  std::string AppendLocked(std::uint64_t id, RecordKind kind, std::string_view payload);

  const std::filesystem::path dir_;
  const SpoolOptions options_;
  // spool.lock in dir_, held for the spool's life: one process per spool.
  FileLock lock_;
  mutable std::mutex mutex_;
  std::vector<Segment> segments_;  // oldest first
  std::uint64_t acknowledged_id_ = 0;
  std::uint64_t next_id_ = 1;
  std::uint64_t thinned_heartbeats_ = 0;
  // A failed append that could not be undone leaves a segment whose tail is unknown: refuse further
  // appends until the spool is reopened (and recovery cuts that tail).
  std::string broken_;
};

}  // namespace mamori::platform::spool
