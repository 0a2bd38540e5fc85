// The Linux antivirus probe: ClamAV (daemon, on-access scanning, signature age) and commercial
// endpoint agents recognised by their process names.
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

class LinuxAntivirusProbe final : public Probe<facts::Antivirus> {
 public:
  explicit LinuxAntivirusProbe(ProbeEnvironment env);

  std::string_view Name() const override { return "linux antivirus"; }
  // Ok with no products when /proc was read in full and nothing was found: whether that fails is
  // the rule's call. Unknown (products found so far still listed) when /proc could not be listed
  // or held more processes than are read.
  facts::Antivirus Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
