// mamori-agent-TEST.exe: the service that the TEST MSI installs in place of mamori-agent.exe, built
// with mingw-w64 from the real service host (SCM dispatcher, registry settings, installer, Event
// Log). It never contacts a collector: the real agent links gRPC, which only the MSVC build has.
// It reads HKLM\SOFTWARE\mamori\Agent with the agent's own checks, then runs the local checks
// (mamori-check's probes and rules) every Interval and writes them into the data directory, so an
// installer test can see the service started with the settings the MSI wrote. Never a product.
#include <windows.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>

#include "agent/check/check_report.h"
#include "agent/windows/service_definition.h"
#include "agent/windows/service_host.h"
#include "agent/windows/service_settings.h"
#include "agent/windows/win32_event_log.h"
#include "agent/windows/win32_service_dispatcher.h"
#include "agent/windows/win32_service_installer.h"
#include "agent/windows/win32_service_settings.h"
#include "platform/probe.h"
#include "platform/rules/evaluate.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/wide_text.h"
#include "platform/windows/win32_registry_reader.h"

namespace {

namespace service = ::mamori::agent::windows;

// What this build is, in every place a person may look: --version, the marker file, the Event Log.
constexpr char kWhatThisIs[] =
    "mamori-agent TEST build (mingw-w64): service host and local checks only; it never contacts "
    "the collector, never enrolls and never erases the EnrollmentToken. Not the product.";
constexpr char kMarkerFile[] = "TEST-BUILD.txt";
constexpr char kCheckFile[] = "test-build-check.json";

class NoEventLog final : public service::EventLogSink {
 public:
  void Write(service::EventSeverity, std::string_view) override {}
};

std::string ThisExecutablePath() {
  std::wstring path(32'768, L'\0');
  const DWORD length = ::GetModuleFileNameW(nullptr, path.data(), static_cast<DWORD>(path.size()));
  if (length == 0 || length >= path.size()) {
    return "";
  }
  path.resize(length);
  return mamori::platform::ToUtf8(path);
}

// Written to NAME.new, then renamed over NAME, so a reader never sees half a file.
bool WriteFileAtomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += L".new";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) {
      return false;
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  return !error;
}

std::string CheckOnce() {
  const mamori::platform::ProbeEnvironment env;
  const mamori::facts::Timestamp now = env.now();
  mamori::platform::ProbeRegistry probes = mamori::platform::MakeHostProbes(env);
  const mamori::facts::HostFacts facts = mamori::platform::CollectHostFacts(probes, env);
  const mamori::rules::Policy policy;
  const std::vector<mamori::rules::Finding> findings = mamori::rules::Evaluate(facts, policy, now);
  const mamori::rules::EffectiveRole role = mamori::rules::DetermineRole(facts.inventory, policy);
  nlohmann::json report = mamori::check::CheckReportJson({facts, findings, role, now});
  report["testBuild"] = kWhatThisIs;
  return report.dump(2) + "\n";
}

uint32_t RunTestService(service::ServiceWork& work, service::EventLogSink& log) {
  const std::unique_ptr<mamori::platform::RegistryReader> registry =
      mamori::platform::MakeWin32RegistryReader();
  const service::ServiceSettingsResult read =
      service::ReadServiceSettings(*registry, service::Win32EnvironmentVariable);
  if (!read.settings.has_value()) {
    for (const std::string& error : read.errors) {
      log.Write(service::EventSeverity::kError, "mamori-agent TEST build cannot start: " + error);
    }
    return service::kExitBadSettings;
  }
  const service::ServiceSettings& settings = *read.settings;
  const std::filesystem::path data_dir(mamori::platform::ToUtf16(settings.data_dir));
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  // The token is a secret: only whether it is there is written, never its value.
  const std::string marker =
      std::string(kWhatThisIs) + "\r\ncollector: " + settings.collector.Target() +
      "\r\nca fingerprint: " + settings.ca_fingerprint.value_or("(none)") +
      "\r\nenrollment token present: " + (settings.enrollment_token.has_value() ? "yes" : "no") +
      "\r\n";
  if (error || !WriteFileAtomically(data_dir / kMarkerFile, marker)) {
    log.Write(service::EventSeverity::kError,
              "mamori-agent TEST build cannot write into its data directory " + settings.data_dir);
    return service::kExitFailure;
  }
  log.Write(service::EventSeverity::kInformation, kWhatThisIs);
  work.ReportRunning();
  do {
    if (!WriteFileAtomically(data_dir / kCheckFile, CheckOnce())) {
      log.Write(service::EventSeverity::kWarning,
                "mamori-agent TEST build could not write " + std::string(kCheckFile));
    }
  } while (work.WaitForNextCycle(
      std::chrono::duration_cast<std::chrono::milliseconds>(settings.interval)));
  return service::kExitClean;
}

int RunService() {
  service::Win32EventLog::Opened opened = service::Win32EventLog::Open(service::kServiceName);
  NoEventLog no_log;
  service::EventLogSink& log =
      opened.log != nullptr ? static_cast<service::EventLogSink&>(*opened.log) : no_log;
  const service::DispatchResult result = service::RunAsService(
      service::kServiceName, log,
      [&log](service::ServiceWork& work) { return RunTestService(work, log); });
  if (result.outcome != service::DispatchResult::Outcome::kRan) {
    std::fprintf(stderr, "mamori-agent TEST build: %s\n", result.error.c_str());
    return 2;
  }
  if (result.work_abandoned) {
    ::ExitProcess(result.exit_code);
  }
  return result.exit_code == service::kExitClean ? 0 : 1;
}

}  // namespace

// The agent's command line, less what needs the network: --version, service run|install|uninstall.
int main(int argc, char** argv) {
  const auto is = [&](int index, const char* text) {
    return argc > index && std::strcmp(argv[index], text) == 0;
  };
  if (is(1, "--version")) {
    std::printf("%s\n", kWhatThisIs);
    return 0;
  }
  if (argc == 3 && is(1, "service") && is(2, "run")) {
    return RunService();
  }
  if (argc == 3 && is(1, "service") && is(2, "install")) {
    service::ServiceInstallation installation;
    installation.executable_path = ThisExecutablePath();
    const service::SetupResult installed = service::InstallAgentService(installation);
    for (const std::string& note : installed.notes) {
      std::fprintf(stderr, "mamori-agent TEST build: note: %s\n", note.c_str());
    }
    if (!installed.ok()) {
      std::fprintf(stderr, "mamori-agent TEST build: %s\n", installed.error.c_str());
      return 1;
    }
    return 0;
  }
  if (argc == 3 && is(1, "service") && is(2, "uninstall")) {
    const service::SetupResult removed =
        service::UninstallAgentService(service::kServiceName, std::chrono::seconds(30));
    if (!removed.ok()) {
      std::fprintf(stderr, "mamori-agent TEST build: %s\n", removed.error.c_str());
      return 1;
    }
    return 0;
  }
  std::fprintf(stderr, "%s\nusage: mamori-agent-TEST --version | service run|install|uninstall\n",
               kWhatThisIs);
  return 2;
}
