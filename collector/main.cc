// mamori-collector: `serve` accepts agents (TLS, enrolled agents only), stores what they send and
// evaluates it under the clinic's policy (`policy check` validates a policy file);
// `hosts` lists what is stored; `ca`, `token` and `host remove` manage who may connect; `user` and
// `audit` (collector/cli/) manage the people who use mamorictl and show what everyone did; `check`,
// `backup` and `restore` keep the database safe (collector/cli/database_commands.*).
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collector/cli/audit_commands.h"
#include "collector/cli/database_commands.h"
#include "collector/cli/host_listing.h"
#include "collector/cli/user_commands.h"
#include "collector/console/console_server.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/knowledge/knowledge_writer.h"
#include "collector/knowledge/org_register.h"
#include "collector/knowledge/policy_source.h"
#include "collector/pki/certificate_authority.h"
#include "collector/report/report_builder.h"
#include "collector/server/collector_identity.h"
#include "collector/server/collector_server.h"
#include "collector/server/listen_address.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/audit_log.h"
#include "collector/storage/backup_schedule.h"
#include "collector/storage/data_dir_lock.h"
#include "collector/storage/database.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "collector/storage/trust_store.h"
#include "collector/storage/user_store.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitUsage = 2;
constexpr char kDatabaseFile[] = "mamori.db";
constexpr char kPolicyFile[] = "policy.toml";
// Sweeps more often than this would only load the writer thread.
constexpr absl::Duration kMinSweepInterval = absl::Seconds(1);
// How long open agent streams get to finish their current message on shutdown before being
// cancelled.
constexpr absl::Duration kShutdownGrace = absl::Seconds(5);

int Fail(const absl::Status& status) {
  spdlog::error("{}", std::string(status.message()));
  return kExitRuntimeError;
}

// The data directory holds every host's facts: readable by the collector's user only.
absl::Status PrepareDataDir(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error)) {
    if (!std::filesystem::is_directory(dir, error)) {
      return absl::FailedPreconditionError(dir.string() + " exists and is not a directory");
    }
    return absl::OkStatus();
  }
  std::filesystem::create_directories(dir, error);
  if (error) {
    return absl::FailedPreconditionError("cannot create " + dir.string() + ": " + error.message());
  }
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace, error);
  if (error) {
    return absl::FailedPreconditionError("cannot restrict " + dir.string() +
                                         " to its owner: " + error.message());
  }
  return absl::OkStatus();
}

// The server certificate's names: the defaults (pki::DefaultServerNames), the --san values and the
// listen address when it is a specific one.
std::vector<std::string> ServerNames(const ListenAddress& listen,
                                     const std::vector<std::string>& extra) {
  std::vector<std::string> names = pki::DefaultServerNames();
  names.insert(names.end(), extra.begin(), extra.end());
  if (!IsWildcard(listen)) {
    names.push_back(listen.host);
  }
  return names;
}

// Prints a refused policy file's errors, one "file:line: ..." per line.
void LogPolicyErrors(const absl::Status& status) {
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    spdlog::error("{}", std::string(line));
  }
}

// The policy `serve` starts with: --policy, else DATA_DIR/policy.toml when it exists, else the
// built-in defaults. Which one is always logged.
absl::StatusOr<std::pair<LoadedPolicy, std::optional<std::filesystem::path>>> StartingPolicy(
    const std::string& policy_flag, const std::filesystem::path& data_dir) {
  std::filesystem::path path = policy_flag;
  if (policy_flag.empty()) {
    path = data_dir / kPolicyFile;
    std::error_code error;
    if (!std::filesystem::exists(path, error)) {
      spdlog::info("policy: built-in defaults ({} does not exist)", path.string());
      return std::make_pair(DefaultLoadedPolicy(), std::optional<std::filesystem::path>());
    }
  }
  absl::StatusOr<LoadedPolicy> loaded = LoadPolicyFile(path);
  if (!loaded.ok()) {
    return loaded.status();
  }
  spdlog::info("policy: {} (sha256 {}), watched for changes", loaded->source, loaded->sha256);
  return std::make_pair(*std::move(loaded), std::optional<std::filesystem::path>(path));
}

// `serve --backup-*`: off unless --backup-dir is given (only the clinic knows which disk is not
// the data directory's).
struct BackupFlags {
  std::string dir;
  std::string interval = "24h";
  int keep = 7;
};

// Logs a scheduled backup's outcome and records it in the audit log, so a failing schedule shows
// in `audit` (and mamorictl's) as well as in the service log.
void ReportScheduledBackup(const std::filesystem::path& data_dir, const ScheduledBackup& run) {
  if (!run.backup.ok()) {
    spdlog::error("scheduled backup failed (serving continues; next attempt within {}): {}",
                  absl::FormatDuration(kBackupRetryAfterFailure),
                  std::string(run.backup.status().message()));
    RecordLocalAction(data_dir, "backup.scheduled", "", std::string(run.backup.status().message()),
                      AuditOutcome::kFailed);
    return;
  }
  spdlog::info(
      "scheduled backup written to {} ({} bytes, quick_check ok); {} old generation(s) "
      "deleted",
      run.backup->path.string(), run.backup->database_bytes, run.deleted.size());
  RecordLocalAction(data_dir, "backup.scheduled", run.backup->path.string(),
                    absl::StrCat("files=", absl::StrJoin(run.backup->files, ","), " bytes=",
                                 run.backup->database_bytes, " deleted=", run.deleted.size()),
                    AuditOutcome::kOk);
}

// `serve --console-listen/--no-console`.
struct ConsoleFlags {
  std::string listen = kDefaultConsoleListen;
  bool off = false;
  // `--demo`: marks the database as a demo for good (collector_settings); the console says デモ.
  bool demo = false;
};

// Marks the database at `db_path` as a demo (scripts/demo). Kept on later starts without --demo.
absl::Status MarkDemoDatabase(const std::filesystem::path& db_path, absl::Time now) {
  absl::StatusOr<Database> db =
      Database::Open(db_path, Database::OpenMode::kExistingOnly, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return db->Run(
      "INSERT INTO collector_settings (name, value, set_at) VALUES ('demo', '1', ?1) "
      "ON CONFLICT (name) DO NOTHING",
      {FormatStoredTime(now)});
}

int Serve(const std::string& listen, const std::filesystem::path& data_dir,
          const std::vector<std::string>& sans, const std::string& policy_flag,
          const std::string& sweep_interval_text, const BackupFlags& backup_flags,
          const ConsoleFlags& console_flags) {
  // Block the shutdown signals before any thread starts, so every thread inherits the mask and only
  // the sigwait below ever sees them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  // A refused address or name is a usage error, reported before anything touches the disk.
  absl::StatusOr<ListenAddress> address = ParseListenAddress(listen);
  if (!address.ok()) {
    spdlog::error("--listen: {}", std::string(address.status().message()));
    return kExitUsage;
  }
  std::optional<ListenAddress> console_address;
  if (!console_flags.off) {
    absl::StatusOr<ListenAddress> parsed = ParseListenAddress(console_flags.listen);
    if (!parsed.ok()) {
      spdlog::error("--console-listen: {}", std::string(parsed.status().message()));
      return kExitUsage;
    }
    console_address = *parsed;
  }
  for (const std::string& san : sans) {
    if (!pki::IsValidServerName(san)) {
      spdlog::error("--san: '{}' is neither a DNS name nor an IP address", san);
      return kExitUsage;
    }
  }
  absl::Duration sweep_interval;
  if (!absl::ParseDuration(sweep_interval_text, &sweep_interval) ||
      sweep_interval < kMinSweepInterval) {
    spdlog::error("--sweep-interval: '{}' is not a duration of at least {} (e.g. 30s, 5m)",
                  sweep_interval_text, absl::FormatDuration(kMinSweepInterval));
    return kExitUsage;
  }
  absl::Duration backup_interval;
  if (!absl::ParseDuration(backup_flags.interval, &backup_interval) ||
      backup_interval < absl::Minutes(1)) {
    spdlog::error("--backup-interval: '{}' is not a duration of at least 1m (e.g. 24h, 12h)",
                  backup_flags.interval);
    return kExitUsage;
  }
  if (absl::Status status = PrepareDataDir(data_dir); !status.ok()) {
    return Fail(status);
  }
  // A broken policy is refused before anything starts: serving with a policy other than the one
  // the clinic wrote would quietly judge every host by the wrong thresholds.
  auto starting_policy = StartingPolicy(policy_flag, data_dir);
  if (!starting_policy.ok()) {
    spdlog::error("the policy file is refused:");
    LogPolicyErrors(starting_policy.status());
    return kExitUsage;
  }
  PolicySource policy(std::move(starting_policy->first));
  KnowledgeWriter knowledge_writer(policy);
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir);
  if (!lock.ok()) {
    return Fail(lock.status());
  }
  // Before anything reads or writes it: serving from a damaged database could lose or misreport
  // what agents send. quick_check takes seconds even for a large database (docs/collector.md).
  if (absl::Status status = CheckDatabaseBeforeServing(data_dir); !status.ok()) {
    return Fail(status);
  }
  const std::filesystem::path db_path = data_dir / kDatabaseFile;
  absl::StatusOr<AgentRecordStore> store =
      AgentRecordStore::Open(db_path, Database::OpenMode::kCreateIfMissing);
  if (!store.ok()) {
    return Fail(store.status());
  }
  if (console_flags.demo) {
    if (absl::Status status = MarkDemoDatabase(db_path, absl::Now()); !status.ok()) {
      return Fail(status);
    }
    spdlog::warn("this is a demo database (--demo): the console shows デモ on every page");
  }
  // Before the writer thread starts: no record is committed without its findings.
  store->SetObserver(&knowledge_writer);
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      TrustStore::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!trust.ok()) {
    return Fail(trust.status());
  }
  // The console is served with the same certificate: its address is one of the names too.
  std::vector<std::string> server_names = ServerNames(*address, sans);
  if (console_address.has_value() && !IsWildcard(*console_address) &&
      std::find(server_names.begin(), server_names.end(), console_address->host) ==
          server_names.end()) {
    server_names.push_back(console_address->host);
  }
  absl::StatusOr<CollectorIdentity> identity =
      LoadOrIssueCollectorIdentity(data_dir, server_names, absl::Now());
  if (!identity.ok()) {
    return Fail(identity.status());
  }
  // The people's side: their certificates, the audit log, and a read connection of its own for
  // their queries (the writer thread owns `store`).
  absl::StatusOr<std::unique_ptr<UserStore>> users =
      UserStore::Open(db_path, Database::OpenMode::kExistingOnly);
  absl::StatusOr<std::unique_ptr<AuditLog>> audit =
      AuditLog::Open(db_path, Database::OpenMode::kExistingOnly);
  absl::StatusOr<KnowledgeReader> knowledge = KnowledgeReader::Open(db_path);
  absl::StatusOr<OrgRegisterStore> org = OrgRegisterStore::Open(db_path);
  absl::StatusOr<Database> report_db =
      Database::Open(db_path, Database::OpenMode::kExistingOnly, CollectorSchema());
  for (const absl::Status& status :
       {users.status(), audit.status(), knowledge.status(), org.status(), report_db.status()}) {
    if (!status.ok()) {
      return Fail(status);
    }
  }
  ReportBuilder reports(*report_db, *knowledge, *org,
                        ReportOrigin{LocalHostName(), MAMORI_VERSION});
  const PeopleServices people{**users, **audit, *knowledge, policy, *org, reports};
  const KnowledgeServices knowledge_services{
      .writer = knowledge_writer,
      .policy = policy,
      .policy_file = starting_policy->second,
      .sweep_interval = sweep_interval,
  };
  absl::StatusOr<std::unique_ptr<CollectorServer>> server =
      CollectorServer::Start(listen, *store, **trust, *identity, &people, &knowledge_services);
  if (!server.ok()) {
    return Fail(server.status());
  }
  std::unique_ptr<ConsoleServer> console;
  if (console_address.has_value()) {
    ConsoleServerOptions console_options;
    console_options.listen = console_address->ToString();
    absl::StatusOr<std::unique_ptr<ConsoleServer>> started = ConsoleServer::Start(
        console_options, *(*server)->admin_service(), **users, **audit, *identity);
    if (absl::IsUnavailable(started.status())) {
      // The port is taken (another collector, or 8443 in use): agents are served all the same;
      // the console's absence is an error in the log, and no "console on" line is printed.
      spdlog::error("{}; serving agents without the console (see --console-listen)",
                    std::string(started.status().message()));
    } else if (!started.ok()) {
      (*server)->Shutdown(kShutdownGrace);
      return Fail(started.status());
    } else {
      console = *std::move(started);
    }
  }
  std::unique_ptr<BackupSchedule> backups;
  if (!backup_flags.dir.empty()) {
    absl::StatusOr<std::unique_ptr<BackupSchedule>> started = BackupSchedule::Start(
        {.data_dir = data_dir,
         .backup_dir = backup_flags.dir,
         .interval = backup_interval,
         .keep = backup_flags.keep},
        [data_dir](const ScheduledBackup& run) { ReportScheduledBackup(data_dir, run); });
    if (!started.ok()) {
      (*server)->Shutdown(kShutdownGrace);
      return Fail(started.status());
    }
    backups = *std::move(started);
    spdlog::info("backups every {} into {}, keeping {}", absl::FormatDuration(backup_interval),
                 backup_flags.dir, backup_flags.keep);
  } else {
    spdlog::warn(
        "no scheduled backups (--backup-dir not given): run `mamori-collector backup` "
        "yourself, or give --backup-dir");
  }
  spdlog::info("storing in {}", db_path.string());
  spdlog::info("CA {} (agents pin this); server certificate names: {}",
               identity->ca.certificate().Fingerprint(),
               absl::StrJoin(identity->server_certificate.SubjectAltNames(), ", "));
  // The one line on stdout: tests and scripts/demo read the real port from it.
  std::cout << "listening on " << (*server)->address().ToString() << std::endl;
  if (console != nullptr) {
    // Also on stdout, for the browser tests and scripts/demo: the console's real address.
    std::cout << "console on https://" << console->address().ToString() << "/" << std::endl;
  }

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  spdlog::info("received signal {}, shutting down", signal_number);
  if (backups != nullptr) {
    backups->Stop();  // a backup in progress finishes first
  }
  if (console != nullptr) {
    console->Stop();  // people's requests end before the service they call goes away
  }
  (*server)->Shutdown(kShutdownGrace);
  server->reset();
  spdlog::info("stopped");
  return kExitOk;
}

// `policy check PATH`: what `serve` would say about the file, without serving.
int CheckPolicy(const std::filesystem::path& path) {
  absl::StatusOr<LoadedPolicy> loaded = LoadPolicyFile(path);
  if (!loaded.ok()) {
    for (absl::string_view line : absl::StrSplit(loaded.status().message(), '\n')) {
      std::cerr << line << '\n';
    }
    return kExitUsage;
  }
  std::cout << path.string() << ": ok (sha256 " << loaded->sha256 << ")" << std::endl;
  return std::cout ? kExitOk : kExitRuntimeError;
}

int ListHosts(const std::filesystem::path& data_dir, const std::string& format) {
  const std::filesystem::path db_path = data_dir / kDatabaseFile;
  absl::StatusOr<AgentRecordStore> store =
      AgentRecordStore::Open(db_path, Database::OpenMode::kExistingOnly);
  if (!store.ok()) {
    if (absl::IsNotFound(store.status())) {
      spdlog::error("no collector database at {} (is --data-dir the directory `serve` uses?)",
                    db_path.string());
      return kExitRuntimeError;
    }
    return Fail(store.status());
  }
  absl::StatusOr<std::vector<HostSummary>> hosts = store->ListHosts();
  if (!hosts.ok()) {
    return Fail(hosts.status());
  }
  std::cout << (format == "json" ? FormatHostJson(*hosts) : FormatHostTable(*hosts));
  std::cout.flush();
  return std::cout ? kExitOk : kExitRuntimeError;
}

int ShowCa(const std::filesystem::path& data_dir) {
  if (absl::Status status = PrepareDataDir(data_dir); !status.ok()) {
    return Fail(status);
  }
  absl::StatusOr<pki::CertificateAuthority> ca = LoadOrCreateCollectorCa(data_dir, absl::Now());
  if (!ca.ok()) {
    return Fail(ca.status());
  }
  std::cout << ca->certificate().Fingerprint() << std::endl;
  return std::cout ? kExitOk : kExitRuntimeError;
}

absl::StatusOr<std::unique_ptr<TrustStore>> OpenTrust(const std::filesystem::path& data_dir,
                                                      Database::OpenMode mode) {
  if (mode == Database::OpenMode::kCreateIfMissing) {
    if (absl::Status status = PrepareDataDir(data_dir); !status.ok()) {
      return status;
    }
  }
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      TrustStore::Open(data_dir / kDatabaseFile, mode);
  if (absl::IsNotFound(trust.status())) {
    return absl::NotFoundError(absl::StrCat("no collector database at ",
                                            (data_dir / kDatabaseFile).string(),
                                            " (is --data-dir the directory `serve` uses?)"));
  }
  return trust;
}

int CreateToken(const std::filesystem::path& data_dir, const std::string& ttl_text,
                std::int64_t uses, const std::string& label) {
  absl::Duration ttl;
  if (!absl::ParseDuration(ttl_text, &ttl)) {
    spdlog::error("--ttl: '{}' is not a duration (e.g. 1h, 24h, 90m)", ttl_text);
    return kExitUsage;
  }
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      OpenTrust(data_dir, Database::OpenMode::kCreateIfMissing);
  if (!trust.ok()) {
    return Fail(trust.status());
  }
  absl::StatusOr<NewEnrollmentToken> token = (*trust)->CreateToken(label, ttl, uses, absl::Now());
  if (!token.ok()) {
    if (absl::IsInvalidArgument(token.status())) {
      spdlog::error("{}", std::string(token.status().message()));
      return kExitUsage;
    }
    return Fail(token.status());
  }
  // The token alone on stdout, for scripts; the rest for people on stderr. It is shown only now:
  // the database keeps its hash.
  std::cout << token->token << std::endl;
  RecordLocalAction(data_dir, "token.create", token->token_id,
                    absl::StrCat("label=", label, " uses=", token->uses,
                                 " expires=", FormatTrustTime(token->expires_at)),
                    AuditOutcome::kOk);
  std::cerr << "token " << token->token_id << " for " << token->uses << " enrollment(s), expires "
            << FormatTrustTime(token->expires_at) << "; it is shown only once\n";
  return std::cout ? kExitOk : kExitRuntimeError;
}

int ListTokens(const std::filesystem::path& data_dir) {
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      OpenTrust(data_dir, Database::OpenMode::kExistingOnly);
  if (!trust.ok()) {
    return Fail(trust.status());
  }
  absl::StatusOr<std::vector<EnrollmentTokenInfo>> tokens = (*trust)->ListTokens();
  if (!tokens.ok()) {
    return Fail(tokens.status());
  }
  const absl::Time now = absl::Now();
  std::printf("%-8s  %-20s  %-20s  %9s  %-8s  %s\n", "ID", "CREATED", "EXPIRES", "USES LEFT",
              "STATE", "LABEL");
  for (const EnrollmentTokenInfo& token : *tokens) {
    const char* state = token.revoked_at.has_value() ? "revoked"
                        : token.expires_at <= now    ? "expired"
                        : token.uses_left == 0       ? "used up"
                                                     : "active";
    std::printf("%-8s  %-20s  %-20s  %9lld  %-8s  %s\n", token.token_id.c_str(),
                FormatTrustTime(token.created_at).c_str(),
                FormatTrustTime(token.expires_at).c_str(), static_cast<long long>(token.uses_left),
                state, token.label.c_str());
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitRuntimeError;
}

int RevokeToken(const std::filesystem::path& data_dir, const std::string& token_id) {
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      OpenTrust(data_dir, Database::OpenMode::kExistingOnly);
  if (!trust.ok()) {
    return Fail(trust.status());
  }
  if (absl::Status status = (*trust)->RevokeToken(token_id, absl::Now()); !status.ok()) {
    return Fail(status);
  }
  RecordLocalAction(data_dir, "token.revoke", token_id, "", AuditOutcome::kOk);
  std::cout << "revoked enrollment token " << token_id << std::endl;
  return kExitOk;
}

int RemoveHost(const std::filesystem::path& data_dir, const std::string& host) {
  absl::StatusOr<std::unique_ptr<TrustStore>> trust =
      OpenTrust(data_dir, Database::OpenMode::kExistingOnly);
  if (!trust.ok()) {
    return Fail(trust.status());
  }
  absl::StatusOr<RemovedHost> removed = (*trust)->RemoveHost(host, absl::Now());
  if (!removed.ok()) {
    return Fail(removed.status());
  }
  RecordLocalAction(data_dir, "host.remove", removed->agent_id,
                    absl::StrCat("hostname=", removed->hostname,
                                 " certificates_revoked=", removed->certificates_revoked),
                    AuditOutcome::kOk);
  std::cout << "removed " << removed->hostname << " (agent " << removed->agent_id
            << "): " << removed->certificates_revoked
            << " certificate(s) revoked; a running collector closes its stream within "
            << absl::FormatDuration(kRevocationPollInterval * 2)
            << "; it can come back only with a new enrollment token" << std::endl;
  return kExitOk;
}

int Main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_logger_mt("mamori-collector"));

  CLI::App app{"mamori collector: accepts agents, stores their facts, lists hosts",
               "mamori-collector"};
  app.set_version_flag("--version", std::string("mamori-collector ") + MAMORI_VERSION);
  app.require_subcommand(1);

  std::string listen = "127.0.0.1:7443";
  std::string data_dir;
  CLI::App* serve =
      app.add_subcommand("serve", "Accept agent connections and store what they send");
  std::vector<std::string> sans;
  serve
      ->add_option("--listen", listen,
                   "IP:PORT to listen on (0.0.0.0:7443 for the LAN); port 0 picks a free port")
      ->capture_default_str();
  serve->add_option("--data-dir", data_dir, "Directory for the database and keys (created 0700)")
      ->required();
  serve->add_option("--san", sans,
                    "Extra DNS name or IP address for the server certificate (repeatable)");
  std::string policy_path;
  serve->add_option("--policy", policy_path,
                    "Policy file (TOML); default DATA_DIR/policy.toml when it exists, else the "
                    "built-in defaults. Edits are picked up while serving");
  std::string sweep_interval = "30s";
  serve
      ->add_option("--sweep-interval", sweep_interval,
                   "How often contact states and MAM-AGENT-001 are refreshed (at least 1s)")
      ->capture_default_str();

  BackupFlags backup_flags;
  serve->add_option("--backup-dir", backup_flags.dir,
                    "Back up into this directory on a schedule (created 0700 if its parent "
                    "exists); off when not given");
  serve
      ->add_option("--backup-interval", backup_flags.interval,
                   "How often to back up (at least 1m); due at start when the newest is older")
      ->capture_default_str();
  serve->add_option("--backup-keep", backup_flags.keep, "How many backups to keep (the oldest go)")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();

  ConsoleFlags console_flags;
  serve
      ->add_option("--console-listen", console_flags.listen,
                   "IP:PORT of the web console (HTTPS; a LAN address to reach it from other PCs); "
                   "port 0 picks a free port")
      ->capture_default_str();
  serve->add_flag("--no-console", console_flags.off, "Do not serve the web console");
  serve->add_flag("--demo", console_flags.demo,
                  "Mark the database as a demo for good (scripts/demo): the console shows デモ on "
                  "every page. Never on a clinic's collector");

  std::string policy_check_path;
  CLI::App* policy_command = app.add_subcommand("policy", "The clinic's policy file");
  policy_command->require_subcommand(1);
  CLI::App* policy_check = policy_command->add_subcommand(
      "check", "Validate a policy file: prints its errors with line numbers (exit 2) or ok");
  policy_check->add_option("PATH", policy_check_path, "The policy file")->required();

  std::string hosts_data_dir;
  std::string format = "table";
  CLI::App* hosts = app.add_subcommand("hosts", "List the hosts the collector knows");
  hosts->add_option("--data-dir", hosts_data_dir, "The directory `serve` stores in")->required();
  hosts->add_option("--format", format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();

  std::string ca_data_dir;
  CLI::App* ca = app.add_subcommand("ca", "The collector's certificate authority");
  ca->require_subcommand(1);
  CLI::App* ca_show = ca->add_subcommand(
      "show", "Print the CA's SHA-256 fingerprint for agent installers (creates the CA if none)");
  ca_show->add_option("--data-dir", ca_data_dir, "The directory `serve` uses")->required();

  std::string token_data_dir;
  std::string ttl = "24h";
  std::int64_t uses = 1;
  std::string label;
  std::string token_id;
  CLI::App* token = app.add_subcommand("token", "Enrollment tokens for new agents");
  token->require_subcommand(1);
  CLI::App* token_create =
      token->add_subcommand("create", "Create a token and print it (only this once)");
  token_create->add_option("--data-dir", token_data_dir, "The directory `serve` uses")->required();
  token_create->add_option("--ttl", ttl, "How long the token stays valid")->capture_default_str();
  token_create->add_option("--uses", uses, "How many agents may enroll with it")
      ->capture_default_str();
  token_create->add_option("--label", label, "A note for `token list` (e.g. reception PCs)");
  CLI::App* token_list = token->add_subcommand("list", "List tokens (never the tokens themselves)");
  token_list->add_option("--data-dir", token_data_dir, "The directory `serve` uses")->required();
  CLI::App* token_revoke = token->add_subcommand("revoke", "Revoke a token by its id");
  token_revoke->add_option("ID", token_id, "The id `token list` shows")->required();
  token_revoke->add_option("--data-dir", token_data_dir, "The directory `serve` uses")->required();

  std::string host_data_dir;
  std::string host_name;
  CLI::App* host = app.add_subcommand("host", "Manage enrolled hosts");
  host->require_subcommand(1);
  CLI::App* host_remove =
      host->add_subcommand("remove", "Remove a host: revoke its certificates and close its stream");
  host_remove->add_option("HOST", host_name, "Host name or agent id (see `hosts`)")->required();
  host_remove->add_option("--data-dir", host_data_dir, "The directory `serve` uses")->required();

  UserCommands user_commands(app);
  AuditCommands audit_commands(app);
  DatabaseCommands database_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive as "errors" with exit code 0.
    const int cli_code = app.exit(error);
    return cli_code == 0 ? kExitOk : kExitUsage;
  }

  if (serve->parsed()) {
    return Serve(listen, data_dir, sans, policy_path, sweep_interval, backup_flags, console_flags);
  }
  if (policy_check->parsed()) {
    return CheckPolicy(policy_check_path);
  }
  if (ca_show->parsed()) {
    return ShowCa(ca_data_dir);
  }
  if (token_create->parsed()) {
    return CreateToken(token_data_dir, ttl, uses, label);
  }
  if (token_list->parsed()) {
    return ListTokens(token_data_dir);
  }
  if (token_revoke->parsed()) {
    return RevokeToken(token_data_dir, token_id);
  }
  if (host_remove->parsed()) {
    return RemoveHost(host_data_dir, host_name);
  }
  if (user_commands.parsed()) {
    return user_commands.Run();
  }
  if (audit_commands.parsed()) {
    return audit_commands.Run();
  }
  if (database_commands.parsed()) {
    return database_commands.Run();
  }
  return ListHosts(hosts_data_dir, format);
}

}  // namespace
}  // namespace mamori::collector

int main(int argc, char** argv) { return mamori::collector::Main(argc, argv); }
