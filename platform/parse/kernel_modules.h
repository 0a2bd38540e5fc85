// Parses the kernel's module lists: /proc/modules (loaded now) and
// /lib/modules/<release>/modules.builtin (compiled into the kernel, so never blockable by
// modprobe).
#pragma once

#include <string_view>

namespace mamori::parse {

// Whether /proc/modules lists `module` ("usb_storage 81920 1 uas, Live 0x0000000000000000"),
// also while it is loading or unloading. Names compare with '-' and '_' equal. Only the first
// kMaxInputBytes are read.
bool ProcModulesLists(std::string_view proc_modules, std::string_view module);

// Whether modules.builtin lists `module` ("kernel/drivers/usb/storage/usb-storage.ko"). Names
// compare with '-' and '_' equal. Only the first kMaxInputBytes are read.
bool ModulesBuiltinLists(std::string_view modules_builtin, std::string_view module);

}  // namespace mamori::parse
