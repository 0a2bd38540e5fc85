// mamori-agent: collects this PC's facts and delivers them to the clinic's collector.
// POSIX only (signals); on Windows the agent is a service (windows/service_main.cc).
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_options.h"
#include "agent/agent_state.h"
#include "agent/collection_loop.h"
#include "agent/collector_address.h"
#include "agent/enrollment.h"
#include "agent/host_name.h"
#include "agent/version.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr absl::Duration kDeliveryTimeout = absl::Seconds(60);
constexpr absl::Duration kEnrollmentTimeout = absl::Seconds(20);

// Set by the signal-waiting thread; the main loop sleeps on it so Ctrl-C ends a wait at once.
class StopSignal final : public mamori::agent::CycleWaiter {
 public:
  void Raise() {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  bool stopped() {
    absl::MutexLock lock(&mu_);
    return stopped_;
  }
  bool WaitForNextCycle(absl::Duration interval) override {
    absl::MutexLock lock(&mu_);
    return !mu_.AwaitWithTimeout(absl::Condition(&stopped_), interval);
  }

 private:
  absl::Mutex mu_;
  bool stopped_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mamori-agent: checks this PC and reports to the clinic's mamori collector"};
  std::string collector;
  bool once = false;
  std::string interval_text = "15m";
  std::string heartbeat_interval_text;
  std::string data_dir = "/var/lib/mamori-agent";
  std::string enroll_token;
  std::string ca_fingerprint;
  // Each may also come from the environment (the systemd unit's EnvironmentFile,
  // /etc/mamori/agent.conf): a token there is not in the command line, which every local user can
  // read in /proc/PID/cmdline.
  app.add_option("--collector", collector, "collector address, HOST:PORT")
      ->envname("MAMORI_COLLECTOR")
      ->required();
  app.add_option("--enroll-token", enroll_token,
                 "first run only: the token from `mamori-collector token create`")
      ->envname("MAMORI_ENROLL_TOKEN");
  app.add_option("--ca-fingerprint", ca_fingerprint,
                 "first run only: SHA256:... from `mamori-collector ca show`; the agent refuses a "
                 "collector that does not hold this CA")
      ->envname("MAMORI_CA_FINGERPRINT");
  app.add_flag("--once", once, "collect and deliver one snapshot, then exit");
  app.add_option("--interval", interval_text, "time between snapshots (e.g. 15m, 1h)")
      ->capture_default_str();
  app.add_option("--heartbeat-interval", heartbeat_interval_text,
                 "time between heartbeats (power and idle only) between snapshots; at most "
                 "--interval [default: 5m, or --interval when shorter]");
  app.add_option("--data-dir", data_dir, "where the agent keeps its identity and state")
      ->capture_default_str();
  std::string spool_max_mb_text = std::to_string(mamori::agent::kDefaultSpoolMaxMb);
  app.add_option("--spool-max-mb", spool_max_mb_text,
                 "bound of the spool in DATA_DIR/spool, in MiB; when full, older heartbeats are "
                 "dropped first, never a changed snapshot")
      ->capture_default_str();
  app.set_version_flag("--version", mamori::agent::kAgentVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  spdlog::set_default_logger(spdlog::stderr_color_st("mamori-agent"));

  const mamori::agent::Validated<std::chrono::nanoseconds> interval =
      mamori::agent::CheckInterval(interval_text);
  if (!interval.ok()) {
    std::cerr << "mamori-agent: --interval " << interval.error << "\n";
    return kExitUsage;
  }
  std::chrono::nanoseconds heartbeat_interval =
      mamori::agent::DefaultHeartbeatInterval(*interval.value);
  if (!heartbeat_interval_text.empty()) {
    const mamori::agent::Validated<std::chrono::nanoseconds> checked =
        mamori::agent::CheckHeartbeatInterval(heartbeat_interval_text, *interval.value);
    if (!checked.ok()) {
      std::cerr << "mamori-agent: --heartbeat-interval " << checked.error << "\n";
      return kExitUsage;
    }
    heartbeat_interval = *checked.value;
  }
  const mamori::agent::Validated<std::uint64_t> spool_max_mb =
      mamori::agent::CheckSpoolMaxMb(spool_max_mb_text);
  if (!spool_max_mb.ok()) {
    std::cerr << "mamori-agent: --spool-max-mb " << spool_max_mb.error << "\n";
    return kExitUsage;
  }
  absl::StatusOr<mamori::agent::CollectorAddress> address =
      mamori::agent::ParseCollectorAddress(collector);
  if (!address.ok()) {
    std::cerr << "mamori-agent: " << address.status().message() << "\n";
    return kExitUsage;
  }

  absl::StatusOr<std::optional<mamori::agent::AgentCredentials>> loaded =
      mamori::agent::LoadAgentCredentials(data_dir);
  if (!loaded.ok()) {
    std::cerr << "mamori-agent: " << loaded.status().message() << "\n";
    return kExitFailure;
  }
  std::optional<mamori::agent::AgentCredentials> credentials = *std::move(loaded);
  if (!credentials.has_value()) {
    if (enroll_token.empty() || ca_fingerprint.empty()) {
      std::cerr << "mamori-agent: this PC is not enrolled yet: run once with --enroll-token "
                   "(from `mamori-collector token create`) and --ca-fingerprint (from "
                   "`mamori-collector ca show`)\n";
      return kExitUsage;
    }
    const mamori::agent::Validated<std::string> fingerprint =
        mamori::agent::CheckCaFingerprint(ca_fingerprint);
    if (!fingerprint.ok()) {
      std::cerr << "mamori-agent: --ca-fingerprint: " << fingerprint.error << "\n";
      return kExitUsage;
    }
    absl::StatusOr<mamori::agent::AgentCredentials> enrolled = mamori::agent::EnrollAgent(
        *address, data_dir, {enroll_token, *fingerprint.value, mamori::agent::ThisHostName(), ""},
        kEnrollmentTimeout);
    if (!enrolled.ok()) {
      if (absl::IsPermissionDenied(enrolled.status())) {
        std::cerr << "mamori-agent: refusing to enroll: " << enrolled.status().message() << "\n";
        return kExitUsage;
      }
      std::cerr << "mamori-agent: could not enroll with " << address->Target() << ": "
                << enrolled.status().message() << "\n";
      return kExitFailure;
    }
    spdlog::info("enrolled as agent {}; certificate valid until {}", enrolled->agent_id(),
                 absl::FormatTime(enrolled->certificate.NotAfter()));
    credentials = *std::move(enrolled);
  } else if (!enroll_token.empty()) {
    spdlog::info("already enrolled as agent {}; --enroll-token is not needed and was not used",
                 credentials->agent_id());
  }

  absl::StatusOr<mamori::agent::AgentState> state =
      mamori::agent::AgentState::LoadForAgent(data_dir, credentials->agent_id());
  if (!state.ok()) {
    std::cerr << "mamori-agent: " << state.status().message() << "\n";
    return kExitFailure;
  }

  // Signals are taken by one thread with sigwait, so no work happens in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  StopSignal stop;
  std::thread([&signals, &stop] {
    int received = 0;
    sigwait(&signals, &received);
    stop.Raise();
  }).detach();

  mamori::agent::CollectionLoopOptions options;
  options.snapshot_interval = absl::FromChrono(*interval.value);
  options.heartbeat_interval = absl::FromChrono(heartbeat_interval);
  options.once = once;
  options.delivery_timeout = kDeliveryTimeout;
  options.renewal_timeout = kEnrollmentTimeout;
  options.spool_max_bytes = *spool_max_mb.value * 1024 * 1024;
  options.on_delivered = [](const mamori::agent::DeliveredSnapshot& delivered) {
    std::cout << "delivered snapshot seq " << delivered.seq << " of " << delivered.hostname << " ("
              << delivered.os_pretty_name << "), committed by the collector" << std::endl;
  };
  if (absl::Status ran = mamori::agent::RunCollectionLoop(
          *address, data_dir, *std::move(credentials), *state, options, stop);
      !ran.ok()) {
    std::cerr << "mamori-agent: could not deliver to " << address->Target() << ": " << ran.message()
              << "\n";
    return kExitFailure;
  }
  return kExitOk;
}
