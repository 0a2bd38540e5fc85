#include "agent/agent_spool.h"

#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/pki/key_files.h"
#include "platform/spool/spool_file.h"
#include "spdlog/spdlog.h"

namespace mamori::agent {

namespace spool = ::mamori::platform::spool;

namespace {
// Beside the spool's own files, which it leaves alone.
constexpr char kOwnerFile[] = "agent-id";
}  // namespace

std::filesystem::path AgentSpoolDir(const std::filesystem::path& data_dir) {
  return data_dir / "spool";
}

absl::StatusOr<std::unique_ptr<spool::Spool>> OpenAgentSpool(const std::filesystem::path& data_dir,
                                                             const AgentState& state,
                                                             std::uint64_t max_bytes) {
  const std::filesystem::path dir = AgentSpoolDir(data_dir);
  const std::filesystem::path owner_file = dir / kOwnerFile;
  absl::StatusOr<std::string> owner = pki::ReadSmallFile(owner_file, 1024);
  if (owner.ok() && *owner != state.agent_id()) {
    // A spool of a former identity (before a re-enrollment): its certificate is gone, so its
    // records can never be delivered, and its seqs are not this agent's.
    spdlog::warn(
        "removing the spool of former agent id {}: its records cannot be delivered "
        "under this PC's new identity",
        *owner);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) {
      return absl::InternalError(
          absl::StrCat("cannot remove the former agent's spool: ", ec.message()));
    }
  } else if (!owner.ok() && !absl::IsNotFound(owner.status())) {
    return owner.status();
  }
  if (absl::Status made = pki::MakeOwnerOnlyDirectory(dir); !made.ok()) {
    return made;
  }
  if (!owner.ok() || *owner != state.agent_id()) {
    if (absl::Status written = pki::ReplaceSecretFile(owner_file, state.agent_id());
        !written.ok()) {
      return written;
    }
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
