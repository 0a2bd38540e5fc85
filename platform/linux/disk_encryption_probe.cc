// The Linux disk encryption probe.
#include "platform/linux/disk_encryption_probe.h"

#include <optional>
#include <string>

#include "platform/linux/rooted_files.h"
#include "platform/parse/block_device.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

// Device stacks are a few levels deep (partition, LUKS, LVM); deeper is a loop in a broken /sys.
constexpr int kMaxStackDepth = 8;

bool NotADisk(std::string_view fs_type) {
  return fs_type == "overlay" || fs_type == "aufs" || fs_type == "tmpfs" || fs_type == "ramfs" ||
         fs_type == "rootfs" || fs_type == "9p" || fs_type == "virtiofs" ||
         fs_type.rfind("fuse", 0) == 0 || fs_type.rfind("nfs", 0) == 0 || fs_type == "cifs" ||
         fs_type == "smb3";
}

// The /sys path of a block device by kernel name: "sys/block/dm-0" for a whole device,
// "sys/block/sda/sda2" for a partition; nullopt when /sys does not list it.
std::optional<std::string> SysPathOf(const RootedFiles& files, const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return std::nullopt;
  }
  if (files.IsDirectory("sys/block/" + name)) {
    return "sys/block/" + name;
  }
  for (const std::string& disk : files.List("sys/block")) {
    if (files.IsDirectory("sys/block/" + disk + "/" + name)) {
      return "sys/block/" + disk + "/" + name;
    }
  }
  return std::nullopt;
}

std::optional<std::string> SysPathOfNumber(const RootedFiles& files, uint32_t major,
                                           uint32_t minor) {
  const parse::DeviceNumber wanted{major, minor};
  const auto matches = [&](const std::string& path) {
    const FileText dev = files.Read(path + "/dev", 64);
    return dev.ok() && parse::ParseDeviceNumber(dev.text) == wanted;
  };
  for (const std::string& disk : files.List("sys/block")) {
    const std::string path = "sys/block/" + disk;
    if (matches(path)) {
      return path;
    }
    for (const std::string& part : files.List(path, 1024)) {
      if (part.rfind(disk, 0) == 0 && matches(path + "/" + part)) {
        return path + "/" + part;
      }
    }
  }
  return std::nullopt;
}

// The device a mount's source names: "/dev/mapper/<name>" (dm/name), "/dev/<kernel name>".
std::optional<std::string> SysPathOfSource(const RootedFiles& files, std::string_view source) {
  constexpr std::string_view kMapper = "/dev/mapper/";
  if (source.rfind(kMapper, 0) == 0) {
    const std::string_view mapped = source.substr(kMapper.size());
    for (const std::string& disk : files.List("sys/block")) {
      const FileText name = files.Read("sys/block/" + disk + "/dm/name", 256);
      if (name.ok() && parse::TrimAsciiWhitespace(name.text) == mapped) {
        return "sys/block/" + disk;
      }
    }
    return std::nullopt;
  }
  if (source.rfind("/dev/", 0) == 0) {
    return SysPathOf(files, std::string(source.substr(5)));
  }
  return std::nullopt;
}

// The encryption method found in the device or below it; nullopt when nothing encrypts it.
std::optional<std::string> CryptMethodBelow(const RootedFiles& files, const std::string& sys_path,
                                            int depth) {
  if (depth > kMaxStackDepth) {
    return std::nullopt;
  }
  if (const FileText uuid = files.Read(sys_path + "/dm/uuid", 1024); uuid.ok()) {
    if (auto method = parse::DmCryptMethod(uuid.text)) {
      return method;
    }
  }
  for (const std::string& slave : files.List(sys_path + "/slaves", 64)) {
    if (const auto below = SysPathOf(files, slave)) {
      if (auto method = CryptMethodBelow(files, *below, depth + 1)) {
        return method;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

facts::DiskEncryption LinuxDiskEncryptionProbe::Collect() {
  const RootedFiles files(env_.root);
  facts::DiskEncryption disk;
  disk.meta.collected_at = env_.now();

  const FileText mountinfo = files.Read("proc/self/mountinfo");
  if (!mountinfo.ok()) {
    disk.meta.status = facts::ProbeStatus::Unknown(
        "cannot read " + files.Describe("proc/self/mountinfo") + ": " + mountinfo.error);
    return disk;
  }
  const auto root = parse::FindRootMount(mountinfo.text);
  if (!root) {
    disk.meta.status =
        facts::ProbeStatus::Unknown(files.Describe("proc/self/mountinfo") + " lists no mount of /");
    return disk;
  }
  if (NotADisk(root->fs_type)) {
    disk.meta.status = facts::ProbeStatus::Unknown(
        "the root file system is " + root->fs_type + " (" + root->source +
        "), not a local disk: a container or network root, whose host's disk is not visible");
    return disk;
  }
  if (root->fs_type == "zfs") {
    disk.meta.status = facts::ProbeStatus::Unknown("the root file system is ZFS (" + root->source +
                                                   "); ZFS native encryption is not checked");
    return disk;
  }

  std::optional<std::string> device =
      root->major != 0 ? SysPathOfNumber(files, root->major, root->minor) : std::nullopt;
  if (!device) {
    device = SysPathOfSource(files, root->source);
  }
  if (!device) {
    disk.meta.status = facts::ProbeStatus::Unknown(
        "cannot find the root file system's device " + std::to_string(root->major) + ":" +
        std::to_string(root->minor) + " (" + root->source + ") under " +
        files.Describe("sys/block"));
    return disk;
  }
  const auto method = CryptMethodBelow(files, *device, 0);
  disk.system_volume_encrypted = method.has_value();
  disk.method = method.value_or("");
  disk.meta.status = facts::ProbeStatus::Ok();
  return disk;
}

}  // namespace mamori::platform
