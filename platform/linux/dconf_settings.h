// The system-wide dconf settings of a Linux host: the keyfiles administrators drop into
// /etc/dconf/db/<database>.d/ to set GNOME defaults (screen lock, automatic suspend) for every
// user.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/linux/rooted_files.h"
#include "platform/parse/ini_file.h"

namespace mamori::platform {

// Every entry of every keyfile in /etc/dconf/db/*.d/ except gdm.d (the login screen's own
// settings), databases and files in name order so that a later entry overrides an earlier one, as
// `dconf update` merges them. Sections are dconf paths ("org/gnome/desktop/screensaver").
std::vector<parse::IniEntry> ReadSystemDconfEntries(const RootedFiles& files);

}  // namespace mamori::platform
