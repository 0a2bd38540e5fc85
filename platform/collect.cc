// Runs the registry's probes and assembles HostFacts; the one place where probe failures become
// data.
#include <exception>
#include <string>

#include "platform/probe.h"

namespace mamori::platform {
namespace {

template <typename Section>
Section RunProbe(Probe<Section>* probe, std::string_view section_name,
                 const ProbeEnvironment& env) {
  Section section;
  if (probe == nullptr) {
    section.meta.status = facts::ProbeStatus::Unknown(
        std::string("no ") + std::string(section_name) + " probe on this platform yet");
  } else {
    try {
      section = probe->Collect();
    } catch (const std::exception& e) {
      section = Section{};
      section.meta.status =
          facts::ProbeStatus::Error(std::string(probe->Name()) + " probe failed: " + e.what());
    } catch (...) {
      section = Section{};
      section.meta.status = facts::ProbeStatus::Error(std::string(probe->Name()) +
                                                      " probe failed with an unknown exception");
    }
  }
  if (!section.meta.collected_at) {
    section.meta.collected_at = env.now();
  }
  return section;
}

}  // namespace

facts::HostFacts CollectHostFacts(ProbeRegistry& probes, const ProbeEnvironment& env) {
  facts::HostFacts host;
  host.inventory = RunProbe(probes.inventory.get(), "inventory", env);
  host.patch = RunProbe(probes.patch.get(), "patch", env);
  host.antivirus = RunProbe(probes.antivirus.get(), "antivirus", env);
  host.usb_storage = RunProbe(probes.usb_storage.get(), "USB storage", env);
  host.power = RunProbe(probes.power.get(), "power", env);
  host.accounts = RunProbe(probes.accounts.get(), "accounts", env);
  host.logon = RunProbe(probes.logon.get(), "logon", env);
  host.firewall = RunProbe(probes.firewall.get(), "firewall", env);
  host.disk_encryption = RunProbe(probes.disk_encryption.get(), "disk encryption", env);
  host.remote_access = RunProbe(probes.remote_access.get(), "remote access", env);
  return host;
}

}  // namespace mamori::platform
