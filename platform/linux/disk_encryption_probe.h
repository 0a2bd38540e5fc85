// The Linux disk encryption probe: whether the root file system sits on an encrypted block device
// (LUKS or another dm-crypt mapping), anywhere in its device stack (LVM on LUKS counts).
#pragma once

#include <string_view>

#include "platform/probe.h"

namespace mamori::platform {

// The root mount comes from /proc/self/mountinfo; its device is found under /sys/block (by the
// mount's major:minor, or by its source path for btrfs, whose mounts carry an anonymous device
// number); the device and, recursively, its slaves/ are encrypted when a dm/uuid starts with
// CRYPT-LUKS1/2, CRYPT-PLAIN, CRYPT-BITLK or CRYPT-TCRYPT. Unknown, with the reason, for roots that
// are not a local disk (overlay or tmpfs in containers, network file systems) and for ZFS, whose
// native encryption is not read here.
class LinuxDiskEncryptionProbe final : public Probe<facts::DiskEncryption> {
 public:
  explicit LinuxDiskEncryptionProbe(ProbeEnvironment env) : env_(std::move(env)) {}
  std::string_view Name() const override { return "linux disk encryption"; }
  facts::DiskEncryption Collect() override;

 private:
  ProbeEnvironment env_;
};

}  // namespace mamori::platform
