// Finds what the root file system is mounted from (/proc/self/mountinfo) and reads device-mapper
// UUIDs
// (/sys/block/dm-*/dm/uuid) to tell whether a block device is an encrypted one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

struct MountEntry {
  uint32_t major = 0;
  uint32_t minor = 0;
  std::string mount_point;
  std::string fs_type;  // "ext4", "btrfs", "overlay"
  std::string source;   // "/dev/mapper/vg-root", "overlay"
  friend bool operator==(const MountEntry&, const MountEntry&) = default;
};

// The mount of "/" that is visible (the last one listed: later mounts stack on top); nullopt when
// there is none. mountinfo escapes spaces as \040; they are decoded.
std::optional<MountEntry> FindRootMount(std::string_view mountinfo);

// "CRYPT-LUKS2-<uuid>-<name>" -> "LUKS2", "CRYPT-LUKS1-..." -> "LUKS1", "CRYPT-PLAIN-..." ->
// "dm-crypt plain", "CRYPT-BITLK-..." -> "BitLocker", "CRYPT-TCRYPT-..." -> "TrueCrypt"; nullopt
// for anything else, including dm-verity and dm-integrity (CRYPT-VERITY, CRYPT-INTEGRITY), which do
// not encrypt.
std::optional<std::string> DmCryptMethod(std::string_view dm_uuid);

// "8:2\n" (a sysfs dev file) -> {8, 2}.
struct DeviceNumber {
  uint32_t major = 0;
  uint32_t minor = 0;
  friend bool operator==(const DeviceNumber&, const DeviceNumber&) = default;
};
std::optional<DeviceNumber> ParseDeviceNumber(std::string_view text);

}  // namespace mamori::parse
