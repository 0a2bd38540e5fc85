// mamori-collector: `serve` accepts agents and stores what they send; `hosts` lists what is stored.
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "collector/cli/host_listing.h"
#include "collector/server/collector_server.h"
#include "collector/server/listen_address.h"
#include "collector/storage/agent_record_store.h"
#include "spdlog/sinks/stdout_sinks.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitUsage = 2;
constexpr char kDatabaseFile[] = "mamori.db";
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

// Held for the life of `serve`: two collectors on one data directory would both hand out Acks from
// one sequence bookkeeping. The kernel drops the lock when the process ends, however it ends.
class DataDirLock {
 public:
  static absl::StatusOr<DataDirLock> Acquire(const std::filesystem::path& data_dir) {
    const std::filesystem::path path = data_dir / "serve.lock";
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
      return absl::FailedPreconditionError("cannot open " + path.string());
    }
    DataDirLock lock(fd);
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      return absl::FailedPreconditionError("another mamori-collector is already serving " +
                                           data_dir.string());
    }
    return lock;
  }
  DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock() {
    if (fd_ >= 0) {
      close(fd_);
    }
  }

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_;
};

int Serve(const std::string& listen, const std::filesystem::path& data_dir) {
  // Block the shutdown signals before any thread starts, so every thread inherits the mask and only
  // the sigwait below ever sees them.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);

  // A refused address is a usage error, reported before anything touches the disk.
  if (absl::StatusOr<ListenAddress> address = ParseLoopbackListenAddress(listen); !address.ok()) {
    spdlog::error("--listen: {}", std::string(address.status().message()));
    return kExitUsage;
  }
  if (absl::Status status = PrepareDataDir(data_dir); !status.ok()) {
    return Fail(status);
  }
  absl::StatusOr<DataDirLock> lock = DataDirLock::Acquire(data_dir);
  if (!lock.ok()) {
    return Fail(lock.status());
  }
  const std::filesystem::path db_path = data_dir / kDatabaseFile;
  absl::StatusOr<AgentRecordStore> store =
      AgentRecordStore::Open(db_path, Database::OpenMode::kCreateIfMissing);
  if (!store.ok()) {
    return Fail(store.status());
  }
  absl::StatusOr<std::unique_ptr<CollectorServer>> server = CollectorServer::Start(listen, *store);
  if (!server.ok()) {
    return Fail(server.status());
  }
  spdlog::info("storing in {}", db_path.string());
  // The one line on stdout: tests and scripts/demo read the real port from it.
  std::cout << "listening on " << (*server)->address().ToString() << std::endl;

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  spdlog::info("received signal {}, shutting down", signal_number);
  (*server)->Shutdown(kShutdownGrace);
  server->reset();
  spdlog::info("stopped");
  return kExitOk;
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
  serve->add_option("--listen", listen, "Loopback HOST:PORT to listen on; port 0 picks a free port")
      ->capture_default_str();
  serve->add_option("--data-dir", data_dir, "Directory for the database (created 0700)")
      ->required();

  std::string hosts_data_dir;
  std::string format = "table";
  CLI::App* hosts = app.add_subcommand("hosts", "List the hosts the collector knows");
  hosts->add_option("--data-dir", hosts_data_dir, "The directory `serve` stores in")->required();
  hosts->add_option("--format", format, "table or json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // --help and --version arrive as "errors" with exit code 0.
    const int cli_code = app.exit(error);
    return cli_code == 0 ? kExitOk : kExitUsage;
  }

  if (serve->parsed()) {
    return Serve(listen, data_dir);
  }
  return ListHosts(hosts_data_dir, format);
}

}  // namespace
}  // namespace mamori::collector

int main(int argc, char** argv) { return mamori::collector::Main(argc, argv); }
