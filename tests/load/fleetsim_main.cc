// mamori-fleetsim: TEST ONLY, never installed. N simulated agents (at most 20,000, for at most an
// hour) against a collector on this machine's loopback: each enrolled for real (its own key, CSR
// and certificate through the agent library's enrollment; cached in --state-dir so later runs skip
// it), each with its own mutual-TLS channel and one long-lived Connect stream, sending varied
// clinic facts (tests/load/fleet_facts.h). Prints throughput, Ack latency, errors, reconnects and
// the collector's RSS and CPU.
//
//   mamori-collector token create --data-dir D --uses N      # the caller makes the token
//   mamori-fleetsim --collector 127.0.0.1:PORT --ca-fingerprint SHA256:... --token T
//       --state-dir DIR --agents N --duration 60s [--heartbeat-interval 5s] [--json] ...
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "agent/agent_options.h"
#include "agent/enrollment.h"
#include "collector/pki/x509.h"
#include "nlohmann/json.hpp"
#include "spdlog/spdlog.h"
#include "tests/load/fleet_facts.h"
#include "tests/load/fleet_simulator.h"
#include "tests/load/process_usage.h"

namespace {

namespace agent = ::mamori::agent;
namespace fleet = ::mamori::fleet;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kMaxAgents = 20'000;
constexpr int kMaxUsesPerToken = 10'000;  // the collector's bound on `token create --uses`
constexpr absl::Duration kMaxDuration = absl::Hours(1);
constexpr absl::Duration kEnrollTimeout = absl::Seconds(30);

std::optional<absl::Duration> ParseDurationFlag(const std::string& text, absl::Duration min,
                                                absl::Duration max, const char* name) {
  absl::Duration value;
  if (!absl::ParseDuration(text, &value) || value < min || value > max) {
    std::cerr << "mamori-fleetsim: " << name << " " << text << ": a duration from "
              << absl::FormatDuration(min) << " to " << absl::FormatDuration(max) << "\n";
    return std::nullopt;
  }
  return value;
}

std::filesystem::path AgentDir(const std::filesystem::path& state_dir, std::uint32_t index) {
  char name[32];
  std::snprintf(name, sizeof(name), "agent-%05u", index);
  return state_dir / name;
}

struct EnrolledFleet {
  std::vector<agent::AgentCredentials> identities;
  std::vector<std::uint32_t> indexes;
  std::size_t newly_enrolled = 0;
  std::vector<std::string> failures;
};

// Loads each agent's cached identity or enrolls it, with `parallel` enrollments at a time.
EnrolledFleet EnrollFleet(const agent::CollectorAddress& address,
                          const std::filesystem::path& state_dir, std::uint32_t agents,
                          const std::vector<std::string>& tokens, const std::string& fingerprint,
                          int parallel, fleet::FleetKind kind) {
  std::vector<std::optional<agent::AgentCredentials>> loaded(agents);
  std::vector<std::string> errors(agents);
  std::atomic<std::uint32_t> next{0};
  std::atomic<std::size_t> enrolled{0};
  auto work = [&] {
    for (std::uint32_t i = next++; i < agents; i = next++) {
      const std::filesystem::path dir = AgentDir(state_dir, i);
      absl::StatusOr<std::optional<agent::AgentCredentials>> cached =
          agent::LoadAgentCredentials(dir);
      if (!cached.ok()) {
        errors[i] = std::string(cached.status().message());
        continue;
      }
      if (cached->has_value()) {
        absl::StatusOr<mamori::pki::Certificate> ca =
            mamori::pki::Certificate::FromPem((*cached)->ca_pem);
        if (!fingerprint.empty() && (!ca.ok() || ca->Fingerprint() != fingerprint)) {
          errors[i] =
              dir.string() + " was enrolled with another collector's CA: use another --state-dir";
          continue;
        }
        loaded[i] = **std::move(cached);
        continue;
      }
      if (tokens.empty() || fingerprint.empty()) {
        errors[i] = "not enrolled yet: give --token and --ca-fingerprint";
        continue;
      }
      const std::string& token =
          tokens[std::min<std::size_t>(i / kMaxUsesPerToken, tokens.size() - 1)];
      absl::StatusOr<agent::AgentCredentials> credentials;
      for (int attempt = 0; attempt < 3; ++attempt) {
        credentials = agent::EnrollAgent(
            address, dir,
            {token, fingerprint, fleet::FleetHostname(i, kind), fleet::FleetMachineId(i)},
            kEnrollTimeout);
        if (credentials.ok() || !absl::IsUnavailable(credentials.status())) {
          break;
        }
        absl::SleepFor(absl::Seconds(1 + attempt));
      }
      if (!credentials.ok()) {
        errors[i] = std::string(credentials.status().message());
        continue;
      }
      loaded[i] = *std::move(credentials);
      ++enrolled;
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < parallel; ++i) {
    workers.emplace_back(work);
  }
  for (std::thread& worker : workers) {
    worker.join();
  }
  EnrolledFleet fleet;
  fleet.newly_enrolled = enrolled;
  for (std::uint32_t i = 0; i < agents; ++i) {
    if (loaded[i].has_value()) {
      fleet.identities.push_back(*std::move(loaded[i]));
      fleet.indexes.push_back(i);
    } else {
      fleet.failures.push_back(absl::StrFormat("agent %u: %s", i, errors[i]));
    }
  }
  return fleet;
}

// The collector's pid: --collector-pid, or re-read from --collector-pid-file each time (a test
// that restarts the collector rewrites it).
struct CollectorPid {
  int pid = 0;
  std::string file;
  int Current() const {
    if (file.empty()) {
      return pid;
    }
    std::ifstream in(file);
    int value = 0;
    return (in >> value) ? value : 0;
  }
};

// SIGINT or SIGTERM ends production early; pending records are still drained and the summary
// printed (scripts/bench-collector stops a run this way once it has measured what it needs).
volatile sig_atomic_t stop_requested = 0;
void RequestStop(int) { stop_requested = 1; }

double Seconds(absl::Duration d) { return absl::ToDoubleSeconds(d); }
double Megabytes(std::uint64_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mamori-fleetsim (TEST ONLY): many simulated agents against a loopback collector"};
  std::string collector;
  std::string ca_fingerprint;
  std::vector<std::string> tokens;
  std::string state_dir;
  int agents = 100;
  std::string duration_text = "60s";
  std::string heartbeat_text = "5m";
  std::string snapshot_text = "15m";
  double change_rate = 1.0;
  std::string ramp_text = "5s";
  std::string drain_text = "60s";
  std::string backoff_initial_text = "1s";
  double backoff_factor = 1.6;
  std::string backoff_cap_text = "5m";
  std::string backoff_healthy_text = "60s";
  int backlog_snapshots = 0;
  int backlog_heartbeats = 0;
  int in_flight = fleet::FleetOptions{}.in_flight;
  int enroll_parallel = 4;
  bool enroll_only = false;
  bool json = false;
  std::string record_log;
  CollectorPid collector_pid;
  std::string progress_text = "5s";
  std::uint64_t seed = 1;
  app.add_option("--collector", collector, "the collector, 127.0.0.1:PORT (loopback only)")
      ->required();
  app.add_option("--ca-fingerprint", ca_fingerprint, "SHA256:... from `mamori-collector ca show`");
  app.add_option("--token", tokens,
                 "enrollment token from `token create --uses N` (repeat: one per 10,000 agents)");
  app.add_option("--state-dir", state_dir, "where the agents' identities are cached")->required();
  app.add_option("--agents", agents, "how many agents (1 to 20000)")->capture_default_str();
  app.add_option("--duration", duration_text, "how long records are produced (up to 1h)")
      ->capture_default_str();
  app.add_option("--heartbeat-interval", heartbeat_text, "per agent")->capture_default_str();
  app.add_option("--snapshot-interval", snapshot_text, "per agent: how often facts are collected")
      ->capture_default_str();
  app.add_option("--change-rate", change_rate,
                 "share of collections whose facts changed and are sent (0 to 1)")
      ->capture_default_str();
  app.add_option("--ramp", ramp_text, "initial connections spread over this time")
      ->capture_default_str();
  app.add_option("--drain-timeout", drain_text,
                 "after --duration, how long to wait for every record's Ack (0s: none)")
      ->capture_default_str();
  app.add_option("--backoff-initial", backoff_initial_text, "reconnect backoff: first ceiling")
      ->capture_default_str();
  app.add_option("--backoff-factor", backoff_factor, "reconnect backoff: growth per failure")
      ->capture_default_str();
  app.add_option("--backoff-cap", backoff_cap_text, "reconnect backoff: largest ceiling")
      ->capture_default_str();
  app.add_option("--backoff-healthy-after", backoff_healthy_text,
                 "a stream open this long resets the backoff")
      ->capture_default_str();
  app.add_option("--backlog-snapshots", backlog_snapshots,
                 "snapshots each agent holds before it connects (0 to 1000)")
      ->capture_default_str();
  app.add_option("--backlog-heartbeats", backlog_heartbeats,
                 "heartbeats each agent holds before it connects (0 to 10000)")
      ->capture_default_str();
  app.add_option("--in-flight", in_flight,
                 "records written before their Ack (1 to 256; default: the agent's window)")
      ->capture_default_str();
  app.add_option("--enroll-parallel", enroll_parallel, "enrollments at a time (1 to 16)")
      ->capture_default_str();
  app.add_flag("--enroll-only", enroll_only, "enroll (or load) the agents, then exit");
  app.add_flag("--json", json, "print the summary as JSON");
  bool demo = false;
  app.add_flag(
      "--demo", demo,
      "the demo clinic of scripts/demo: host names start with デモ-, and most PCs have one "
      "problem a clinic really has (antivirus off, stale updates, USB allowed, an unused "
      "account, Windows 10, a PC left on, a server with a pending update)");
  app.add_option("--record-log", record_log,
                 "write every (agent id, seq, kind, acked) produced to this file");
  app.add_option("--collector-pid", collector_pid.pid, "report this process's RSS and CPU");
  app.add_option("--collector-pid-file", collector_pid.file,
                 "as --collector-pid, re-read at each sample (a restarted collector)");
  app.add_option("--progress-interval", progress_text, "progress lines on stderr")
      ->capture_default_str();
  app.add_option("--seed", seed, "random seed (backoff jitter, schedules, changes)")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? kExitOk : kExitUsage;
  }
  spdlog::set_level(spdlog::level::warn);
  // Debian builds Abseil with the Mutex deadlock detector on: with a mutex per agent its lock
  // graph costs more than the simulation itself. The simulator's lock order is fixed (agent, then
  // fleet statistics), so the detector is not needed here.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  const agent::Validated<agent::CollectorAddress> address = agent::CheckCollectorAddress(collector);
  if (!address.ok()) {
    std::cerr << "mamori-fleetsim: --collector: " << address.error << "\n";
    return kExitUsage;
  }
  if (!address.value->loopback) {
    std::cerr << "mamori-fleetsim: --collector must be a loopback address (127.0.0.0/8, ::1 or "
                 "localhost): the simulator loads only a collector on this machine\n";
    return kExitUsage;
  }
  std::string fingerprint;
  if (!ca_fingerprint.empty()) {
    const agent::Validated<std::string> checked = agent::CheckCaFingerprint(ca_fingerprint);
    if (!checked.ok()) {
      std::cerr << "mamori-fleetsim: --ca-fingerprint: " << checked.error << "\n";
      return kExitUsage;
    }
    fingerprint = *checked.value;
  }
  if (agents < 1 || agents > kMaxAgents) {
    std::cerr << "mamori-fleetsim: --agents is from 1 to " << kMaxAgents << "\n";
    return kExitUsage;
  }
  if (change_rate < 0 || change_rate > 1 || backoff_factor < 1 || backoff_factor > 10 ||
      backlog_snapshots < 0 || backlog_snapshots > 1000 || backlog_heartbeats < 0 ||
      backlog_heartbeats > 10'000 || in_flight < 1 || in_flight > 256 || enroll_parallel < 1 ||
      enroll_parallel > 16) {
    std::cerr << "mamori-fleetsim: a value is out of range (see --help)\n";
    return kExitUsage;
  }
  const auto duration =
      ParseDurationFlag(duration_text, absl::ZeroDuration(), kMaxDuration, "--duration");
  const auto heartbeat = ParseDurationFlag(heartbeat_text, absl::Milliseconds(100), absl::Hours(1),
                                           "--heartbeat-interval");
  const auto snapshot = ParseDurationFlag(snapshot_text, absl::Milliseconds(100), absl::Hours(24),
                                          "--snapshot-interval");
  const auto ramp = ParseDurationFlag(ramp_text, absl::ZeroDuration(), absl::Minutes(10), "--ramp");
  const auto drain =
      ParseDurationFlag(drain_text, absl::ZeroDuration(), absl::Minutes(30), "--drain-timeout");
  const auto backoff_initial = ParseDurationFlag(backoff_initial_text, absl::Milliseconds(10),
                                                 absl::Minutes(5), "--backoff-initial");
  const auto backoff_cap = ParseDurationFlag(backoff_cap_text, absl::Milliseconds(10),
                                             absl::Minutes(30), "--backoff-cap");
  const auto backoff_healthy = ParseDurationFlag(backoff_healthy_text, absl::ZeroDuration(),
                                                 absl::Hours(1), "--backoff-healthy-after");
  const auto progress = ParseDurationFlag(progress_text, absl::Milliseconds(100), absl::Minutes(10),
                                          "--progress-interval");
  if (!duration || !heartbeat || !snapshot || !ramp || !drain || !backoff_initial || !backoff_cap ||
      !backoff_healthy || !progress) {
    return kExitUsage;
  }

  const fleet::FleetKind fleet_kind = demo ? fleet::FleetKind::kDemo : fleet::FleetKind::kLoad;
  const absl::Time enroll_start = absl::Now();
  EnrolledFleet enrolled =
      EnrollFleet(*address.value, state_dir, static_cast<std::uint32_t>(agents), tokens,
                  fingerprint, enroll_parallel, fleet_kind);
  const absl::Duration enroll_time = absl::Now() - enroll_start;
  for (std::size_t i = 0; i < enrolled.failures.size() && i < 5; ++i) {
    std::cerr << "mamori-fleetsim: " << enrolled.failures[i] << "\n";
  }
  std::cerr << absl::StrFormat(
      "mamori-fleetsim: %zu agents ready (%zu enrolled now in %.1f s, %zu failed)\n",
      enrolled.identities.size(), enrolled.newly_enrolled, Seconds(enroll_time),
      enrolled.failures.size());
  if (!enrolled.failures.empty()) {
    return kExitFailure;
  }
  if (enroll_only) {
    return kExitOk;
  }

  fleet::FleetOptions options;
  options.collector = *address.value;
  options.heartbeat_interval = *heartbeat;
  options.snapshot_interval = *snapshot;
  options.change_rate = change_rate;
  options.duration = *duration;
  options.ramp = *ramp;
  options.backlog_snapshots = backlog_snapshots;
  options.backlog_heartbeats = backlog_heartbeats;
  options.in_flight = in_flight;
  options.backoff.initial = *backoff_initial;
  options.backoff.factor = backoff_factor;
  options.backoff.cap = *backoff_cap;
  options.backoff.healthy_after = *backoff_healthy;
  options.record_log = !record_log.empty();
  options.seed = seed;
  options.kind = fleet_kind;

  fleet::FleetSimulator sim(options, std::move(enrolled.identities), std::move(enrolled.indexes));
  const long clock_ticks = sysconf(_SC_CLK_TCK);
  const double ticks_per_s = static_cast<double>(clock_ticks);
  const int first_pid = collector_pid.Current();
  const std::optional<fleet::ProcessUsage> usage_start = fleet::ReadProcessUsage(first_pid);
  std::uint64_t peak_rss_sampled = usage_start ? usage_start->rss_bytes : 0;
  const absl::Time start = absl::Now();
  sim.Start();

  const fleet::FleetCounters& counters = sim.counters();
  auto sample = [&](const char* phase) {
    const int pid = collector_pid.Current();
    const std::optional<fleet::ProcessUsage> usage = fleet::ReadProcessUsage(pid);
    if (usage.has_value()) {
      peak_rss_sampled = std::max(peak_rss_sampled, usage->rss_bytes);
    }
    std::cerr << absl::StrFormat(
        "fleetsim: %s t=%.1fs epoch_ms=%d connected=%d/%zu acked_snapshots=%u "
        "acked_heartbeats=%u pending=%u collector_rss_mb=%.1f\n",
        phase, Seconds(absl::Now() - start), absl::ToUnixMillis(absl::Now()),
        counters.connected.load(), sim.size(), counters.acked_snapshots.load(),
        counters.acked_heartbeats.load(), counters.pending.load(),
        usage ? Megabytes(usage->rss_bytes) : 0.0);
  };
  struct sigaction action {};
  action.sa_handler = RequestStop;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  while (!sim.ProductionEnded()) {
    const absl::Time next = std::min(absl::Now() + *progress, start + *duration);
    while (absl::Now() < next && stop_requested == 0) {
      absl::SleepFor(std::min(absl::Milliseconds(50), next - absl::Now()));
    }
    if (stop_requested != 0) {
      sim.EndProduction();
    }
    sample("run");
  }
  const absl::Time production_end = absl::Now();
  const std::uint64_t run_acked_snapshots = counters.acked_snapshots.load();
  const std::uint64_t run_acked_heartbeats = counters.acked_heartbeats.load();
  const std::optional<fleet::ProcessUsage> usage_run_end =
      fleet::ReadProcessUsage(collector_pid.Current());
  const std::int64_t connected_at_end = counters.connected.load();

  bool drained = counters.pending.load() == 0;
  const absl::Time drain_until = absl::Now() + *drain;
  while (!drained && absl::Now() < drain_until) {
    drained = sim.Drain(std::min(*progress, drain_until - absl::Now()));
    sample("drain");
  }
  const absl::Time end = absl::Now();
  const std::optional<fleet::ProcessUsage> usage_end =
      fleet::ReadProcessUsage(collector_pid.Current());
  sim.Stop(absl::Seconds(30));

  if (!record_log.empty()) {
    std::ofstream out(record_log, std::ios::trunc);
    sim.WriteRecordLog(out);
    if (!out.flush()) {
      std::cerr << "mamori-fleetsim: could not write " << record_log << "\n";
      return kExitFailure;
    }
  }

  const fleet::LatencyHistogram latency = sim.LatencySnapshot();
  const double run_s = Seconds(production_end - start);
  const double total_s = Seconds(end - start);
  const std::uint64_t acked_snapshots = counters.acked_snapshots.load();
  const std::uint64_t acked_heartbeats = counters.acked_heartbeats.load();
  nlohmann::json summary;
  summary["agents"] = sim.size();
  summary["agents_connected_at_end_of_run"] = connected_at_end;
  summary["agents_connected_max"] = sim.max_connected();
  summary["enrolled_now"] = enrolled.newly_enrolled;
  summary["enroll_s"] = Seconds(enroll_time);
  summary["run_s"] = run_s;
  summary["total_s"] = total_s;
  summary["drained"] = drained;
  summary["produced_snapshots"] = counters.produced_snapshots.load();
  summary["produced_heartbeats"] = counters.produced_heartbeats.load();
  summary["sent"] = counters.sent.load();
  summary["resent"] = counters.resent.load();
  summary["acked_snapshots"] = acked_snapshots;
  summary["acked_heartbeats"] = acked_heartbeats;
  summary["unacked_at_end"] = counters.pending.load();
  summary["not_produced_queue_full"] = counters.not_produced_queue_full.load();
  summary["snapshots_acked_per_s_run"] =
      run_s > 0 ? static_cast<double>(run_acked_snapshots) / run_s : 0.0;
  summary["heartbeats_acked_per_s_run"] =
      run_s > 0 ? static_cast<double>(run_acked_heartbeats) / run_s : 0.0;
  summary["snapshots_acked_per_s_total"] =
      total_s > 0 ? static_cast<double>(acked_snapshots) / total_s : 0.0;
  summary["heartbeats_acked_per_s_total"] =
      total_s > 0 ? static_cast<double>(acked_heartbeats) / total_s : 0.0;
  summary["ack_latency_samples"] = latency.count();
  summary["ack_latency_p50_ms"] = absl::ToDoubleMilliseconds(latency.Quantile(0.50));
  summary["ack_latency_p99_ms"] = absl::ToDoubleMilliseconds(latency.Quantile(0.99));
  summary["ack_latency_max_ms"] = absl::ToDoubleMilliseconds(latency.max());
  summary["connect_attempts"] = counters.connect_attempts.load();
  summary["reconnects"] = counters.connect_attempts.load() -
                          std::min<std::uint64_t>(counters.connect_attempts.load(), sim.size());
  summary["welcomes"] = counters.welcomes.load();
  summary["errors"] = sim.Errors();
  summary["all_connected_at_ms"] = sim.AllConnectedAtMs();
  summary["dropped_at_ms"] = sim.DroppedAtMs();
  if (usage_end.has_value()) {
    summary["collector_rss_mb"] = Megabytes(usage_end->rss_bytes);
    summary["collector_peak_rss_mb"] =
        Megabytes(std::max({usage_end->peak_rss_bytes, peak_rss_sampled}));
    if (usage_start.has_value() && collector_pid.Current() == first_pid && clock_ticks > 0) {
      const double cpu_s =
          static_cast<double>(usage_end->cpu_ticks - usage_start->cpu_ticks) / ticks_per_s;
      summary["collector_cpu_s"] = cpu_s;
      summary["collector_cpu_percent_of_one_core"] = total_s > 0 ? 100.0 * cpu_s / total_s : 0.0;
      if (usage_run_end.has_value()) {
        const double run_cpu_s =
            static_cast<double>(usage_run_end->cpu_ticks - usage_start->cpu_ticks) / ticks_per_s;
        summary["collector_cpu_percent_of_one_core_run"] =
            run_s > 0 ? 100.0 * run_cpu_s / run_s : 0.0;
      }
    }
  }
  if (const std::optional<fleet::ProcessUsage> self = fleet::ReadProcessUsage(getpid());
      self.has_value()) {
    summary["fleetsim_peak_rss_mb"] = Megabytes(self->peak_rss_bytes);
    summary["fleetsim_cpu_s"] =
        clock_ticks > 0 ? static_cast<double>(self->cpu_ticks) / ticks_per_s : 0.0;
  }

  if (json) {
    std::cout << summary.dump(2) << std::endl;
  } else {
    std::cout << "mamori-fleetsim summary\n";
    for (const auto& [key, value] : summary.items()) {
      std::cout << absl::StrFormat("  %-40s %s\n", key, value.dump());
    }
  }
  return drained || *drain == absl::ZeroDuration() ? kExitOk : kExitFailure;
}
