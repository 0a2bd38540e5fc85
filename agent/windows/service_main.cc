// mamori-agent.exe: the Windows agent, which runs as a service. `service run` is what the Service
// Control Manager starts; `service install` / `service uninstall` register and remove it (as an
// administrator). Settings come from HKLM\SOFTWARE\mamori\Agent, logs go to the Event Log.
// Needs gRPC: built with MSVC and vcpkg (the windows-msvc preset), not by the mingw-w64 build.
#include <windows.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agent/agent_credentials.h"
#include "agent/agent_state.h"
#include "agent/collection_loop.h"
#include "agent/enrollment.h"
#include "agent/host_name.h"
#include "agent/version.h"
#include "agent/windows/event_log_sink.h"
#include "agent/windows/service_definition.h"
#include "agent/windows/service_host.h"
#include "agent/windows/service_settings.h"
#include "agent/windows/spdlog_event_log_sink.h"
#include "agent/windows/win32_event_log.h"
#include "agent/windows/win32_service_dispatcher.h"
#include "agent/windows/win32_service_installer.h"
#include "agent/windows/win32_service_settings.h"
#include "platform/probe.h"
#include "platform/windows/idle_pipe_server.h"
#include "platform/windows/power_probe.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/wide_text.h"
#include "platform/windows/win32_power_settings.h"
#include "platform/windows/win32_registry_reader.h"
#include "platform/windows/win32_session_api.h"
#include "spdlog/logger.h"
#include "spdlog/spdlog.h"

namespace {

namespace agent = ::mamori::agent;
namespace service = ::mamori::agent::windows;
namespace platform = ::mamori::platform;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr absl::Duration kDeliveryTimeout = absl::Seconds(60);
constexpr absl::Duration kEnrollmentTimeout = absl::Seconds(20);
constexpr std::chrono::seconds kUninstallStopTimeout{30};

// The pause-aware wait of the service host, as the collection loop asks for it.
class ServiceCycleWaiter final : public agent::CycleWaiter {
 public:
  explicit ServiceCycleWaiter(service::ServiceWork& work) : work_(work) {}
  bool WaitForNextCycle(absl::Duration interval) override {
    return work_.WaitForNextCycle(absl::ToChronoMilliseconds(interval));
  }

 private:
  service::ServiceWork& work_;
};

// Used when even the Event Log cannot be opened: the service still runs, silently.
class NoEventLog final : public service::EventLogSink {
 public:
  void Write(service::EventSeverity, std::string_view) override {}
};

std::string ThisExecutablePath() {
  std::wstring path(MAX_PATH, L'\0');
  while (true) {
    const DWORD length =
        ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
    if (length == 0) {
      return "";
    }
    if (length < path.size()) {
      path.resize(length);
      return mamori::platform::ToUtf8(path);
    }
    if (path.size() >= 32'768) {
      return "";  // longer than any Windows path
    }
    path.resize(path.size() * 2);
  }
}

// The service's work: settings, enrollment (once), then the same loop as on Linux.
uint32_t RunAgentService(service::ServiceWork& work, service::EventLogSink& log) {
  const std::unique_ptr<mamori::platform::RegistryReader> registry =
      mamori::platform::MakeWin32RegistryReader();
  service::ServiceSettingsResult read =
      service::ReadServiceSettings(*registry, service::Win32EnvironmentVariable);
  if (!read.settings.has_value()) {
    for (const std::string& error : read.errors) {
      log.Write(service::EventSeverity::kError, "mamori-agent cannot start: " + error);
    }
    return service::kExitBadSettings;
  }
  const service::ServiceSettings& settings = *read.settings;
  // std::filesystem takes narrow strings in the ANSI code page on Windows: go through UTF-16.
  const std::filesystem::path data_dir(mamori::platform::ToUtf16(settings.data_dir));

  absl::StatusOr<std::optional<agent::AgentCredentials>> loaded =
      agent::LoadAgentCredentials(data_dir);
  if (!loaded.ok()) {
    spdlog::error("{}", std::string(loaded.status().message()));
    return service::kExitFailure;
  }
  // From here on the SCM may pause or stop the agent; enrollment needs the network and may take
  // a while, so it happens while RUNNING.
  work.ReportRunning();
  std::optional<agent::AgentCredentials> credentials = *std::move(loaded);
  if (!credentials.has_value()) {
    if (!settings.enrollment_token.has_value() || !settings.ca_fingerprint.has_value()) {
      spdlog::error(
          "this PC is not enrolled yet, and HKLM\\{} lacks {} or {}: reinstall with the token from "
          "`mamori-collector token create` and the fingerprint from `mamori-collector ca show`",
          service::kSettingsKey, service::kEnrollmentTokenValue, service::kCaFingerprintValue);
      return service::kExitNotEnrolled;
    }
    const std::string machine_guid =
        registry->ReadString(R"(SOFTWARE\Microsoft\Cryptography)", "MachineGuid").value_or("");
    absl::StatusOr<agent::AgentCredentials> enrolled = agent::EnrollAgent(
        settings.collector, data_dir,
        {*settings.enrollment_token, *settings.ca_fingerprint, agent::ThisHostName(), machine_guid},
        kEnrollmentTimeout);
    if (!enrolled.ok()) {
      // Both end the service with an error, so the SCM's recovery actions try again later: the
      // collector may simply not be reachable yet.
      if (absl::IsPermissionDenied(enrolled.status())) {
        spdlog::error("refusing to enroll: {}", std::string(enrolled.status().message()));
        return service::kExitNotEnrolled;
      }
      spdlog::error("could not enroll with {}: {}", settings.collector.Target(),
                    std::string(enrolled.status().message()));
      return service::kExitFailure;
    }
    spdlog::info("enrolled as agent {}; certificate valid until {}", enrolled->agent_id(),
                 absl::FormatTime(enrolled->certificate.NotAfter()));
    credentials = *std::move(enrolled);
    if (const service::EraseResult erased = service::EraseEnrollmentToken(); !erased.ok()) {
      spdlog::warn("{}; remove it by hand", erased.error);
    }
  } else if (settings.enrollment_token.has_value()) {
    // A token left by a reinstall is of no use to an enrolled agent and must not linger.
    if (const service::EraseResult erased = service::EraseEnrollmentToken(); erased.ok()) {
      spdlog::info(
          "already enrolled as agent {}; the EnrollmentToken in the registry was not "
          "used and has been erased",
          credentials->agent_id());
    } else {
      spdlog::warn("{}; remove it by hand", erased.error);
    }
  }

  absl::StatusOr<agent::AgentState> state =
      agent::AgentState::LoadForAgent(data_dir, credentials->agent_id());
  if (!state.ok()) {
    spdlog::error("{}", std::string(state.status().message()));
    return service::kExitFailure;
  }
  agent::CollectionLoopOptions options;
  options.snapshot_interval = absl::FromChrono(settings.interval);
  options.heartbeat_interval = absl::FromChrono(settings.heartbeat_interval);
  options.delivery_timeout = kDeliveryTimeout;
  options.renewal_timeout = kEnrollmentTimeout;
  options.spool_max_bytes = settings.spool_max_mb * 1024 * 1024;
  // One event for the first delivery after a start, so an installer can see the agent works;
  // every later cycle would only fill the Event Log.
  bool first_delivery = true;
  options.on_delivered = [&first_delivery](const agent::DeliveredSnapshot& delivered) {
    if (std::exchange(first_delivery, false)) {
      spdlog::info("delivered snapshot seq {} of {} ({}), committed by the collector",
                   delivered.seq, delivered.hostname, delivered.os_pretty_name);
    }
  };
  // A service in session 0 cannot see any user's input: each session's mamori-session-helper.exe
  // reports it over the idle pipe, and the power probe reads those reports. Without the pipe (a
  // squatter created it first, or it failed), idle is unknown with the reason rather than guessed.
  platform::IdlePipeServer::StartResult idle_pipe = platform::IdlePipeServer::Start({});
  std::shared_ptr<platform::IdleSource> idle_source;
  if (idle_pipe.server != nullptr) {
    idle_source = std::move(idle_pipe.server);
  } else {
    spdlog::error("idle reports from user sessions unavailable: {}", idle_pipe.error);
    idle_source = std::make_shared<platform::UnavailableIdleSource>(idle_pipe.error);
  }
  options.make_probes = [idle_source](const platform::ProbeEnvironment& env) {
    platform::ProbeRegistry probes = platform::MakeHostProbes(env);
    probes.power = std::make_unique<platform::WindowsPowerProbe>(
        env, platform::MakeWin32SessionApi(), platform::MakeWin32PowerSettings(),
        platform::MakeWin32RegistryReader(), idle_source);
    return probes;
  };
  ServiceCycleWaiter waiter(work);
  const absl::Status ran = agent::RunCollectionLoop(
      settings.collector, data_dir, *std::move(credentials), *state, options, waiter);
  return ran.ok() ? service::kExitClean : service::kExitFailure;
}

int RunService() {
  service::Win32EventLog::Opened opened = service::Win32EventLog::Open(service::kServiceName);
  NoEventLog no_log;
  service::EventLogSink& log =
      opened.log != nullptr ? static_cast<service::EventLogSink&>(*opened.log) : no_log;
  // Everything agent/*.cc logs through spdlog lands in the Event Log.
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "mamori-agent", std::make_shared<service::EventLogSpdlogSink>(log)));

  const service::DispatchResult result = service::RunAsService(
      service::kServiceName, log,
      [&log](service::ServiceWork& work) { return RunAgentService(work, log); });
  if (result.outcome == service::DispatchResult::Outcome::kNotAService) {
    std::cerr << "mamori-agent: `service run` is for the Service Control Manager; install the "
                 "service with `mamori-agent service install` and start it with `sc start "
              << service::kServiceName << "`\n";
    return kExitUsage;
  }
  if (result.outcome == service::DispatchResult::Outcome::kFailed) {
    log.Write(service::EventSeverity::kError, "mamori-agent: " + result.error);
    return kExitFailure;
  }
  if (result.work_abandoned) {
    // The work did not end within the stop budget and may still use what destructors would free:
    // end the process here, without them.
    ::ExitProcess(result.exit_code);
  }
  return result.exit_code == service::kExitClean ? kExitOk : kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"mamori-agent: checks this PC and reports to the clinic's mamori collector"};
  app.set_version_flag("--version", agent::kAgentVersion);
  CLI::App* service_command = app.add_subcommand("service", "the Windows service");
  service_command->require_subcommand(1);
  CLI::App* run = service_command->add_subcommand(
      "run", "run as the service (started by the Service Control Manager, not by hand)");
  CLI::App* install = service_command->add_subcommand(
      "install",
      "register the service (automatic start, LocalSystem), its recovery actions and its Event "
      "Log source; run as an administrator");
  CLI::App* uninstall = service_command->add_subcommand(
      "uninstall", "stop and remove the service and its Event Log source; run as an administrator");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  }

  if (run->parsed()) {
    return RunService();
  }
  if (install->parsed()) {
    service::ServiceInstallation installation;
    installation.executable_path = ThisExecutablePath();
    const service::SetupResult installed = service::InstallAgentService(installation);
    if (!installed.ok()) {
      std::cerr << "mamori-agent: " << installed.error << "\n";
      return kExitFailure;
    }
    for (const std::string& note : installed.notes) {
      std::cerr << "mamori-agent: note: " << note << "\n";
    }
    std::cout << "installed the service " << service::kServiceName << " ("
              << installation.executable_path << "); it starts at boot, or now with `sc start "
              << service::kServiceName << "`\n";
    return kExitOk;
  }
  if (uninstall->parsed()) {
    const service::SetupResult removed = service::UninstallAgentService(
        service::kServiceName,
        std::chrono::duration_cast<std::chrono::milliseconds>(kUninstallStopTimeout));
    if (!removed.ok()) {
      std::cerr << "mamori-agent: " << removed.error << "\n";
      return kExitFailure;
    }
    std::cout << "removed the service " << service::kServiceName
              << "; its data directory and HKLM\\" << service::kSettingsKey << " are kept\n";
    return kExitOk;
  }
  return kExitUsage;
}
