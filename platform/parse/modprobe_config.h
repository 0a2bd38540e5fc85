// Parses modprobe.d(5) configuration for what it says about one kernel module: whether modprobe is
// told to run something else instead of loading it ("install"), or to skip it when loading by alias
// ("blacklist").
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

struct ModprobeModuleConfig {
  // The command of the first "install <module> <command>" line: modprobe (kmod) uses the first one
  // it meets, so a later line in the same configuration does not override it.
  std::optional<std::string> install_command;
  // "blacklist <module>": only stops loading through an alias (e.g. hotplug of a USB stick); an
  // explicit `modprobe usb-storage` or a dependency still loads it.
  bool blacklisted = false;
  friend bool operator==(const ModprobeModuleConfig&, const ModprobeModuleConfig&) = default;
};

// Module names compare with '-' and '_' equal, as in kmod: "usb-storage" -> "usb_storage".
std::string NormalizeModuleName(std::string_view name);

// Reads one configuration file. Lines ending in '\' continue on the next line; '#' lines are
// comments; keywords other than install/blacklist are ignored. Module globs in "install" lines are
// not expanded (only exact names match). Only the first kMaxInputBytes are read.
ModprobeModuleConfig ParseModprobeConfig(std::string_view text, std::string_view module);

// Whether an install command certainly keeps the module from loading: a bare /bin/false or
// /bin/true (also /usr/bin/, or the shell builtins), arguments allowed. Anything that could run
// more (";", "&&", "|", "$(", backquote), or any other program, is not known to block: modprobe
// hands the command to /bin/sh, and "/bin/true; modprobe --ignore-install ..." loads the module.
bool InstallCommandBlocksLoading(std::string_view command);

}  // namespace mamori::parse
