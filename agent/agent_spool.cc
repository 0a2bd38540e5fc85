#include "agent/agent_spool.h"

#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/pki/key_files.h"
#include "platform/spool/spool_file.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {

namespace spool = ::mamori::platform::spool;

std::filesystem::path AgentSpoolDir(const std::filesystem::path& data_dir,
                                    const std::string& agent_id) {
  return data_dir / "spool" / agent_id;
}

absl::StatusOr<std::unique_ptr<spool::Spool>> OpenAgentSpool(const std::filesystem::path& data_dir,
                                                             const AgentState& state,
                                                             std::uint64_t max_bytes) {
  const std::filesystem::path parent = data_dir / "spool";
  if (absl::Status made = pki::MakeOwnerOnlyDirectory(parent); !made.ok()) {
    return made;
  }
  // Spools of former identities (before a re-enrollment): their certificate is gone, so their
  // records can never be delivered.
  std::error_code ec;
  for (const std::filesystem::directory_entry& entry :
       std::filesystem::directory_iterator(parent, ec)) {
    if (entry.is_directory(ec) && entry.path().filename() != state.agent_id()) {
      spdlog::warn(
          "removing the spool of former agent id {}: its records cannot be delivered "
          "under this PC's new identity",
          spool::PathText(entry.path().filename()));
      std::filesystem::remove_all(entry.path(), ec);
    }
  }
  const std::filesystem::path dir = AgentSpoolDir(data_dir, state.agent_id());
  if (absl::Status made = pki::MakeOwnerOnlyDirectory(dir); !made.ok()) {
    return made;
  }
  spool::SpoolOptions options;
  options.max_bytes = max_bytes;
  spool::SpoolOpenResult opened = spool::Spool::Open(dir, options, state.last_seq() + 1);
  if (opened.spool == nullptr) {
    return absl::InternalError(absl::StrCat("cannot open the spool: ", opened.error));
  }
  const spool::SpoolRecovery& recovery = opened.recovery;
  for (const spool::SpoolCut& cut : recovery.cuts) {
    spdlog::error("spool: cut {} bytes from {} at offset {} ({}); the damaged record is lost",
                  cut.bytes, cut.file, cut.offset, cut.reason);
  }
  if (recovery.metadata_damaged) {
    spdlog::error(
        "spool: its metadata was damaged and has been rewritten; every record on disk is sent "
        "again (the collector stores each once)");
  }
  if (recovery.temporary_files_removed > 0) {
    spdlog::info("spool: removed {} temporary files left by an interrupted write",
                 recovery.temporary_files_removed);
  }
  const spool::SpoolStats stats = opened.spool->Stats();
  spdlog::info("spool {}: {} records waiting ({} bytes), next seq {}", spool::PathText(dir),
               stats.records, stats.bytes, stats.next_id);
  return std::move(opened.spool);
}

}  // namespace mamori::agent
