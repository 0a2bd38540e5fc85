// mamori-fixture-agent: a TEST-ONLY source of facts for end-to-end tests, never installed. It
// enrolls and delivers exactly as mamori-agent does (the agent library's enrollment, credentials,
// state and session: same seq discipline, same mutual TLS), but its facts come from a fixture: the
// real Linux probes reading a fixture tree through the root prefix (as `mamori-check --root`
// does), or a built-in healthy Windows 11 workstation, with overrides for names and accounts. It
// sends the records given by --send, in order, then exits.
//
//   mamori-fixture-agent --collector 127.0.0.1:PORT --data-dir DIR
//       [--enroll-token T --ca-fingerprint SHA256:...]
//       (--facts-root tests/fixtures/linux-weak | --facts builtin:windows11)
//       [--hostname 受付PC-1] [--role workstation|server] [--set-admin NAME]...
//       [--remove-account NAME]... [--add-account NAME]...
//       [--add-software "NAME|VERSION|PUBLISHER"]...
//       --send snapshot --send heartbeat:idle=3h,uptime=10h,locked=true,sessions=1 ...
//
// Prints the agent id on the first line of stdout, then one line per record delivered.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_options.h"
#include "agent/agent_state.h"
#include "agent/collector_address.h"
#include "agent/enrollment.h"
#include "agent/heartbeat_cycle.h"
#include "agent/snapshot_cycle.h"
#include "platform/probe.h"
#include "spdlog/sinks/stdout_color_sinks.h"
#include "spdlog/spdlog.h"
#include "tests/rules/healthy_host.h"

namespace {

namespace agent = ::mamori::agent;
namespace facts = ::mamori::facts;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr absl::Duration kTimeout = absl::Seconds(20);
constexpr std::string_view kBuiltinWindows11 = "builtin:windows11";

facts::Timestamp Now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::optional<facts::HostFacts> LoadFacts(const std::string& facts_root,
                                          const std::string& builtin) {
  if (!facts_root.empty()) {
    mamori::platform::ProbeEnvironment env;
    env.root = facts_root;
    mamori::platform::ProbeRegistry probes = mamori::platform::MakeHostProbes(env);
    return mamori::platform::CollectHostFacts(probes, env);
  }
  if (builtin == kBuiltinWindows11) {
    // The built-in facts describe 2026-11-25 (tests/rules/healthy_host.h): moved to now.
    facts::HostFacts host = mamori::rules::HealthyWindowsWorkstation();
    mamori::rules::ShiftFactTimes(host, Now() - mamori::rules::TestNow());
    return host;
  }
  return std::nullopt;
}

// "heartbeat" or "heartbeat:idle=3h,uptime=10h,locked=true,sessions=2". Keys left out keep what
// the facts' power section says. `locked` (true, false or unknown) applies to every session.
std::optional<facts::PowerState> HeartbeatPower(std::string_view spec, facts::PowerState power,
                                                std::string& error) {
  constexpr std::string_view kPrefix = "heartbeat";
  spec.remove_prefix(kPrefix.size());
  if (spec.empty()) {
    return power;
  }
  if (spec.front() != ':') {
    error = "expected heartbeat or heartbeat:KEY=VALUE,...";
    return std::nullopt;
  }
  spec.remove_prefix(1);
  std::optional<std::optional<bool>> locked;
  std::optional<uint32_t> sessions;
  for (absl::string_view item : absl::StrSplit(absl::string_view(spec.data(), spec.size()), ',')) {
    const std::vector<std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
    if (kv.size() != 2) {
      error = "'" + std::string(item) + "' is not KEY=VALUE";
      return std::nullopt;
    }
    const std::string& key = kv[0];
    const std::string& value = kv[1];
    absl::Duration duration;
    if (key == "idle" || key == "uptime") {
      if (!absl::ParseDuration(value, &duration) || duration < absl::ZeroDuration()) {
        error = key + "=" + value + ": not a duration such as 3h";
        return std::nullopt;
      }
      const std::chrono::seconds seconds(absl::ToInt64Seconds(duration));
      (key == "idle" ? power.idle : power.uptime) = seconds;
    } else if (key == "locked") {
      if (value == "true" || value == "false") {
        locked = std::optional<bool>(value == "true");
      } else if (value == "unknown") {
        locked = std::optional<bool>();
      } else {
        error = "locked=" + value + ": true, false or unknown";
        return std::nullopt;
      }
    } else if (key == "sessions") {
      uint32_t count = 0;
      if (!absl::SimpleAtoi(value, &count) || count > 100) {
        error = "sessions=" + value + ": a number up to 100";
        return std::nullopt;
      }
      sessions = count;
    } else {
      error = "unknown key '" + key + "' (idle, uptime, locked, sessions)";
      return std::nullopt;
    }
  }
  if (sessions.has_value() || locked.has_value()) {
    const uint32_t count = sessions.value_or(
        power.sessions.empty() ? 1 : static_cast<uint32_t>(power.sessions.size()));
    facts::UserSession model;
    if (power.sessions.empty()) {
      model.user = "user";
      model.type = "console";
    } else {
      model = power.sessions[0];
    }
    power.sessions.clear();
    for (uint32_t i = 0; i < count; ++i) {
      facts::UserSession session = model;
      session.id = std::to_string(i + 1);
      if (locked.has_value()) {
        session.locked = *locked;
      }
      power.sessions.push_back(session);
    }
  }
  return power;
}

std::string RandomMachineId() {
  std::random_device random;
  std::string id = "fixture-";
  for (int i = 0; i < 32; ++i) {
    id.push_back("0123456789abcdef"[random() % 16]);
  }
  return id;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "mamori-fixture-agent (TEST ONLY): enrolls like mamori-agent and delivers fixture facts"};
  std::string collector;
  std::string data_dir;
  std::string enroll_token;
  std::string ca_fingerprint;
  std::string facts_root;
  std::string builtin;
  std::string hostname;
  std::string role;
  std::vector<std::string> set_admin;
  std::vector<std::string> remove_account;
  std::vector<std::string> add_account;
  std::vector<std::string> add_software;
  std::vector<std::string> sends;
  app.add_option("--collector", collector, "collector address, HOST:PORT")->required();
  app.add_option("--data-dir", data_dir, "the fixture agent's identity and state")->required();
  app.add_option("--enroll-token", enroll_token, "first run: a token from `token create`");
  app.add_option("--ca-fingerprint", ca_fingerprint, "first run: SHA256:... from `ca show`");
  CLI::Option* root_option =
      app.add_option("--facts-root", facts_root, "run the Linux probes below this fixture tree");
  app.add_option("--facts", builtin, "built-in facts: builtin:windows11")->excludes(root_option);
  app.add_option("--hostname", hostname, "report this host name (any UTF-8)");
  app.add_option("--role", role, "override the host's role: workstation or server");
  app.add_option("--set-admin", set_admin, "make this account an administrator");
  app.add_option("--remove-account", remove_account, "leave this account out");
  app.add_option("--add-account", add_account,
                 "add a personal account NAME (any UTF-8), like the facts' last person account");
  app.add_option("--add-software", add_software, "add installed software NAME|VERSION|PUBLISHER");
  app.add_option("--send", sends,
                 "snapshot, or heartbeat[:idle=3h,uptime=10h,locked=true|false|unknown,sessions=N]")
      ->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }
  spdlog::set_default_logger(spdlog::stderr_color_st("mamori-fixture-agent"));

  std::optional<facts::HostFacts> host = LoadFacts(facts_root, builtin);
  if (!host.has_value()) {
    std::cerr << "mamori-fixture-agent: give --facts-root DIR or --facts builtin:windows11\n";
    return kExitUsage;
  }
  if (!hostname.empty()) {
    host->inventory.hostname = hostname;
  }
  if (role == "server") {
    host->inventory.role = facts::HostRole::kServer;
  } else if (role == "workstation") {
    host->inventory.role = facts::HostRole::kWorkstation;
  } else if (!role.empty()) {
    std::cerr << "mamori-fixture-agent: --role is workstation or server\n";
    return kExitUsage;
  }
  std::vector<facts::LocalAccount>& accounts = host->accounts.accounts;
  for (const std::string& name : set_admin) {
    auto found = std::find_if(accounts.begin(), accounts.end(),
                              [&](const facts::LocalAccount& a) { return a.name == name; });
    if (found == accounts.end()) {
      std::cerr << "mamori-fixture-agent: --set-admin: no account " << name << "\n";
      return kExitUsage;
    }
    found->admin = true;
    if (std::find(found->groups.begin(), found->groups.end(), "Administrators") ==
            found->groups.end() &&
        host->inventory.os_family == facts::OsFamily::kWindows) {
      found->groups.push_back("Administrators");
    }
  }
  for (const std::string& name : remove_account) {
    const auto removed = std::erase_if(
        accounts, [&](const facts::LocalAccount& account) { return account.name == name; });
    if (removed == 0) {
      std::cerr << "mamori-fixture-agent: --remove-account: no account " << name << "\n";
      return kExitUsage;
    }
  }
  for (const std::string& name : add_account) {
    const auto person =
        std::find_if(accounts.rbegin(), accounts.rend(),
                     [](const facts::LocalAccount& a) { return !a.system_account; });
    if (person == accounts.rend() || name.empty()) {
      std::cerr
          << "mamori-fixture-agent: --add-account needs a name and a person account to copy\n";
      return kExitUsage;
    }
    facts::LocalAccount added = *person;
    added.name = name;
    added.id += "-" + std::to_string(accounts.size());
    added.full_name.clear();
    added.admin = false;
    accounts.push_back(std::move(added));
  }
  for (const std::string& spec : add_software) {
    const std::vector<std::string> parts = absl::StrSplit(spec, '|');
    if (parts.size() != 3 || parts[0].empty()) {
      std::cerr << "mamori-fixture-agent: --add-software NAME|VERSION|PUBLISHER, not " << spec
                << "\n";
      return kExitUsage;
    }
    host->inventory.software.push_back({parts[0], parts[1], parts[2], std::nullopt});
  }
  // Each record to send: a snapshot (nullopt) or a heartbeat's power facts. All checked before
  // anything is sent.
  std::vector<std::optional<facts::PowerState>> records;
  for (const std::string& send : sends) {
    if (send == "snapshot") {
      records.emplace_back(std::nullopt);
      continue;
    }
    std::string error;
    std::optional<facts::PowerState> power;
    if (send.rfind("heartbeat", 0) == 0) {
      power = HeartbeatPower(send, host->power, error);
    } else {
      error = "snapshot or heartbeat[:...]";
    }
    if (!power.has_value()) {
      std::cerr << "mamori-fixture-agent: --send " << send << ": " << error << "\n";
      return kExitUsage;
    }
    records.push_back(std::move(power));
  }

  absl::StatusOr<agent::CollectorAddress> address = agent::ParseCollectorAddress(collector);
  if (!address.ok()) {
    std::cerr << "mamori-fixture-agent: " << address.status().message() << "\n";
    return kExitUsage;
  }
  absl::StatusOr<std::optional<agent::AgentCredentials>> loaded =
      agent::LoadAgentCredentials(data_dir);
  if (!loaded.ok()) {
    std::cerr << "mamori-fixture-agent: " << loaded.status().message() << "\n";
    return kExitFailure;
  }
  std::optional<agent::AgentCredentials> credentials = *std::move(loaded);
  if (!credentials.has_value()) {
    const agent::Validated<std::string> fingerprint = agent::CheckCaFingerprint(ca_fingerprint);
    if (enroll_token.empty() || !fingerprint.ok()) {
      std::cerr << "mamori-fixture-agent: not enrolled: give --enroll-token and --ca-fingerprint\n";
      return kExitUsage;
    }
    const std::string machine_id =
        host->inventory.machine_id.empty() ? RandomMachineId() : host->inventory.machine_id;
    absl::StatusOr<agent::AgentCredentials> enrolled = agent::EnrollAgent(
        *address, data_dir,
        {enroll_token, *fingerprint.value, host->inventory.hostname, machine_id}, kTimeout);
    if (!enrolled.ok()) {
      std::cerr << "mamori-fixture-agent: could not enroll: " << enrolled.status() << "\n";
      return kExitFailure;
    }
    credentials = *std::move(enrolled);
  }
  absl::StatusOr<agent::AgentState> state =
      agent::AgentState::LoadForAgent(data_dir, credentials->agent_id());
  if (!state.ok()) {
    std::cerr << "mamori-fixture-agent: " << state.status().message() << "\n";
    return kExitFailure;
  }
  std::cout << credentials->agent_id() << std::endl;

  const std::shared_ptr<grpc::Channel> channel =
      agent::CollectorChannel(*address, credentials->ca_pem, &*credentials);
  for (const std::optional<facts::PowerState>& power : records) {
    if (!power.has_value()) {
      absl::StatusOr<agent::DeliveredSnapshot> delivered =
          agent::DeliverSnapshot(*state, *host, channel, kTimeout);
      if (!delivered.ok()) {
        std::cerr << "mamori-fixture-agent: snapshot not delivered: " << delivered.status() << "\n";
        return kExitFailure;
      }
      std::cout << "snapshot seq " << delivered->seq << std::endl;
      continue;
    }
    absl::StatusOr<uint64_t> seq =
        agent::DeliverHeartbeat(*state, *power, host->inventory.hostname, channel, kTimeout);
    if (!seq.ok()) {
      std::cerr << "mamori-fixture-agent: heartbeat not delivered: " << seq.status() << "\n";
      return kExitFailure;
    }
    std::cout << "heartbeat seq " << *seq << std::endl;
  }
  return kExitOk;
}
