// The Windows antivirus probe: Security Center's product list (client Windows) and Microsoft
// Defender's own status (client and Server), merged into one list.
#pragma once

#include <memory>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/wmi_client.h"

namespace mamori::platform {

// Reads ROOT\SecurityCenter2 AntiVirusProduct (every registered product, client SKUs only) and
// ROOT\Microsoft\Windows\Defender MSFT_MpComputerStatus (Defender, also on Windows Server).
// Defender's two sightings become one product; its running mode decides its state, so Defender
// in passive mode beside a third-party product is kPassive, not off. Every Security Center entry
// is reported with its decoded state, stale entries of uninstalled products included.
// Ok when either source answered (the status reason then names the one that did not); unknown,
// naming both errors, when neither did.
class WindowsAntivirusProbe final : public Probe<facts::Antivirus> {
 public:
  WindowsAntivirusProbe(ProbeEnvironment env, std::unique_ptr<WmiClient> wmi);

  std::string_view Name() const override { return "windows antivirus"; }
  facts::Antivirus Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<WmiClient> wmi_;
};

}  // namespace mamori::platform
