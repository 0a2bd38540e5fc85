// The Linux antivirus probe.
#include "platform/linux/antivirus_probe.h"

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "platform/linux/bounded_file.h"
#include "platform/linux/process_names.h"
#include "platform/parse/clamav_database.h"

namespace mamori::platform {
namespace {

struct KnownAgent {
  std::string_view process;  // /proc/<pid>/comm
  std::string_view product;
};

// Commercial endpoint agents for Linux, by the name of their always-running daemon. Only daemons
// whose names the vendors document are listed; an agent missing here is reported as no antivirus
// (a visible fail the clinic can question), never as a pass.
constexpr std::array<KnownAgent, 9> kKnownAgents = {{
    {"falcon-sensor", "CrowdStrike Falcon"},
    {"wdavdaemon", "Microsoft Defender for Endpoint"},
    {"esets_daemon", "ESET Endpoint Antivirus"},
    {"savd", "Sophos Anti-Virus"},
    {"ds_agent", "Trend Micro Deep Security"},
    {"mfetpd", "Trellix (McAfee) Endpoint Security"},
    {"SentinelAgent", "SentinelOne"},
    {"cbagentd", "VMware Carbon Black Cloud"},
    {"kesl", "Kaspersky Endpoint Security for Linux"},
}};

// daily.cld is what freshclam writes after applying incremental updates; daily.cvd a full
// download. Either may be present; the newer build counts.
constexpr std::array<std::string_view, 2> kClamAvDailyDatabases = {"var/lib/clamav/daily.cld",
                                                                   "var/lib/clamav/daily.cvd"};

bool IsLiveRoot(const std::filesystem::path& root) {
  return root.lexically_normal() == std::filesystem::path("/");
}

struct ClamAvDatabase {
  bool present = false;
  std::string source;  // "/var/lib/clamav/daily.cld"
  std::optional<facts::Timestamp> built_at;
};

ClamAvDatabase ReadClamAvDatabase(const std::filesystem::path& root) {
  ClamAvDatabase database;
  for (const std::string_view relative : kClamAvDailyDatabases) {
    const FileText header = ReadFileHead(root / relative, parse::kClamAvHeaderBytes);
    if (!header.ok()) {
      continue;
    }
    const auto parsed = parse::ParseClamAvDatabaseHeader(header.text);
    if (!parsed) {
      continue;
    }
    if (!database.present ||
        (parsed->built_at && (!database.built_at || *parsed->built_at > *database.built_at))) {
      database.source = "/" + std::string(relative);
      database.built_at = parsed->built_at;
    }
    database.present = true;
  }
  return database;
}

}  // namespace

LinuxAntivirusProbe::LinuxAntivirusProbe(ProbeEnvironment env) : env_(std::move(env)) {}

facts::Antivirus LinuxAntivirusProbe::Collect() {
  facts::Antivirus antivirus;
  antivirus.meta.collected_at = env_.now();
  const ProcessNames processes = ListProcessNames(env_.root / "proc");
  const ClamAvDatabase database = ReadClamAvDatabase(env_.root);

  // ClamAV counts as installed when its daemon runs or its signature database exists (clamscan
  // alone, or a stopped clamd: reported as off).
  const bool clamd = processes.Contains("clamd");
  if (clamd || database.present) {
    facts::AntivirusProduct clamav;
    clamav.name = "ClamAV";
    clamav.source = clamd ? "process:clamd" : "file:" + database.source;
    if (processes.ok()) {
      clamav.state = clamd ? facts::AntivirusState::kOn : facts::AntivirusState::kOff;
      // clamonacc scans files as they are opened, through clamd; without clamd it scans nothing.
      clamav.realtime_protection = clamd && processes.Contains("clamonacc");
    }
    clamav.signatures_updated_at = database.built_at;
    antivirus.products.push_back(std::move(clamav));
  }
  for (const KnownAgent& agent : kKnownAgents) {
    if (processes.Contains(agent.process)) {
      facts::AntivirusProduct product;
      product.name = std::string(agent.product);
      product.source = "process:" + std::string(agent.process);
      product.state = facts::AntivirusState::kOn;
      antivirus.products.push_back(std::move(product));
    }
  }

  std::string where = "/proc";
  if (!IsLiveRoot(env_.root)) {
    where += " under root " + env_.root.string();
  }
  if (!processes.ok()) {
    antivirus.meta.status =
        facts::ProbeStatus::Unknown("running antivirus unknown: " + processes.error);
  } else if (processes.truncated && antivirus.products.empty()) {
    antivirus.meta.status = facts::ProbeStatus::Unknown(
        "running antivirus unknown: " + where + " lists more than " +
        std::to_string(kMaxProcessesListed) + " processes; the rest were not checked");
  } else {
    antivirus.meta.status = facts::ProbeStatus::Ok();
  }
  return antivirus;
}

}  // namespace mamori::platform
