// mamori-agent: collects this PC's facts and delivers them to the clinic's collector.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <optional>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_state.h"
#include "agent/collector_address.h"
#include "agent/enrollment.h"
#include "agent/snapshot_cycle.h"
#include "agent/version.h"
#include "platform/probe.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr absl::Duration kDeliveryTimeout = absl::Seconds(60);
constexpr absl::Duration kEnrollmentTimeout = absl::Seconds(20);

std::string ThisHostName() {
  char name[256] = {};
  if (gethostname(name, sizeof(name) - 1) != 0) {
    return "unknown";
  }
  return name;
}

// Set by the signal-waiting thread; the main loop sleeps on it so Ctrl-C ends a wait at once.
class StopSignal {
 public:
  void Raise() {
    absl::MutexLock lock(&mu_);
    stopped_ = true;
  }
  bool stopped() {
    absl::MutexLock lock(&mu_);
    return stopped_;
  }
  // Returns true when stopped before the timeout.
  bool WaitFor(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    return mu_.AwaitWithTimeout(absl::Condition(&stopped_), timeout);
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
  std::string interval_text = "5m";
  std::string data_dir = "/var/lib/mamori-agent";
  std::string enroll_token;
  std::string ca_fingerprint;
  app.add_option("--collector", collector, "collector address, HOST:PORT")->required();
  app.add_option("--enroll-token", enroll_token,
                 "first run only: the token from `mamori-collector token create`");
  app.add_option("--ca-fingerprint", ca_fingerprint,
                 "first run only: SHA256:... from `mamori-collector ca show`; the agent refuses a "
                 "collector that does not hold this CA");
  app.add_flag("--once", once, "collect and deliver one snapshot, then exit");
  app.add_option("--interval", interval_text, "time between snapshots (e.g. 5m, 1h)")
      ->capture_default_str();
  app.add_option("--data-dir", data_dir, "where the agent keeps its identity and state")
      ->capture_default_str();
  app.set_version_flag("--version", mamori::agent::kAgentVersion);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  spdlog::set_default_logger(spdlog::stderr_color_st("mamori-agent"));

  absl::Duration interval;
  if (!absl::ParseDuration(interval_text, &interval) || interval < absl::Seconds(10) ||
      interval > absl::Hours(24)) {
    std::cerr << "mamori-agent: --interval must be a duration from 10s to 24h (e.g. 5m)\n";
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
    absl::StatusOr<std::string> fingerprint = mamori::pki::NormalizeFingerprint(ca_fingerprint);
    if (!fingerprint.ok()) {
      std::cerr << "mamori-agent: --ca-fingerprint: " << fingerprint.status().message() << "\n";
      return kExitUsage;
    }
    absl::StatusOr<mamori::agent::AgentCredentials> enrolled = mamori::agent::EnrollAgent(
        *address, data_dir, {enroll_token, *fingerprint, ThisHostName(), ""}, kEnrollmentTimeout);
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

  const mamori::platform::ProbeEnvironment env;
  mamori::platform::ProbeRegistry probes = mamori::platform::MakeHostProbes(env);

  spdlog::info("agent {} reporting to {} over mutual TLS", state->agent_id(), address->Target());
  while (true) {
    if (mamori::agent::RenewalDue(credentials->certificate, absl::Now())) {
      absl::StatusOr<mamori::agent::AgentCredentials> renewed =
          mamori::agent::RenewCertificate(*address, data_dir, *credentials, kEnrollmentTimeout);
      if (renewed.ok()) {
        spdlog::info("renewed the certificate; valid until {}",
                     absl::FormatTime(renewed->certificate.NotAfter()));
        credentials = *std::move(renewed);
      } else {
        // The current certificate still works until it expires; the next cycle tries again.
        spdlog::warn("certificate renewal failed: {}", renewed.status().ToString());
      }
    }
    const std::shared_ptr<grpc::Channel> channel =
        mamori::agent::CollectorChannel(*address, credentials->ca_pem, &*credentials);
    absl::StatusOr<mamori::agent::DeliveredSnapshot> delivered =
        mamori::agent::CollectAndDeliver(*state, probes, env, channel, kDeliveryTimeout);
    if (delivered.ok()) {
      std::cout << "delivered snapshot seq " << delivered->seq << " of " << delivered->hostname
                << " (" << delivered->os_pretty_name << "), committed by the collector"
                << std::endl;
    } else {
      spdlog::error("delivery failed: {}", delivered.status().ToString());
      if (once) {
        std::cerr << "mamori-agent: could not deliver to " << address->Target() << ": "
                  << delivered.status().message() << "\n";
        return kExitFailure;
      }
    }
    if (once || stop.WaitFor(interval)) {
      break;
    }
  }
  spdlog::info("agent stopped");
  return kExitOk;
}
