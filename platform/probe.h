// The probe interface and the per-OS probe registry. One probe fills one section of the facts
// model; each OS provides its probes in one place (platform/<os>/host_probes.cc, chosen in CMake),
// never through #ifdefs inside probe bodies.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::platform {

// Reads one section of the host's facts. Collect() never throws on purpose: whatever could not be
// read is reported in the section's meta.status (unknown with a reason, or error with the message).
template <typename Section>
class Probe {
 public:
  virtual ~Probe() = default;
  virtual std::string_view Name() const = 0;
  virtual Section Collect() = 0;
};

// What a probe needs from its surroundings, injectable for tests.
struct ProbeEnvironment {
  // Every file a Linux probe reads is read below this root ("/" on a real host, a fixture tree in
  // tests).
  std::filesystem::path root = "/";
  std::function<facts::Timestamp()> now = [] {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  };
};

// One slot per facts section. An empty slot means this platform has no probe for the section yet;
// the collected facts then say so (unknown with a reason), rather than leaving the section looking
// healthy.
struct ProbeRegistry {
  std::unique_ptr<Probe<facts::Inventory>> inventory;
  std::unique_ptr<Probe<facts::PatchState>> patch;
  std::unique_ptr<Probe<facts::Antivirus>> antivirus;
  std::unique_ptr<Probe<facts::UsbStoragePolicy>> usb_storage;
  std::unique_ptr<Probe<facts::PowerState>> power;
  std::unique_ptr<Probe<facts::AccountList>> accounts;
  std::unique_ptr<Probe<facts::LogonSecurity>> logon;
  std::unique_ptr<Probe<facts::Firewall>> firewall;
  std::unique_ptr<Probe<facts::DiskEncryption>> disk_encryption;
  std::unique_ptr<Probe<facts::RemoteAccess>> remote_access;
};

// The probes of the platform this binary was built for (implemented once per OS).
ProbeRegistry MakeHostProbes(const ProbeEnvironment& env);

// Runs every probe in the registry and assembles the host's facts. A probe that throws despite its
// contract is reported as an error in its section; an empty slot as unknown.
facts::HostFacts CollectHostFacts(ProbeRegistry& probes, const ProbeEnvironment& env);

}  // namespace mamori::platform
