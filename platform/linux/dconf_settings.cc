// Reads the system-wide dconf keyfiles.
#include "platform/linux/dconf_settings.h"

namespace mamori::platform {

std::vector<parse::IniEntry> ReadSystemDconfEntries(const RootedFiles& files) {
  std::vector<parse::IniEntry> entries;
  for (const std::string& database : files.List("etc/dconf/db", 256)) {
    if (database.size() < 3 || database.substr(database.size() - 2) != ".d" ||
        database == "gdm.d") {
      continue;
    }
    const std::string directory = "etc/dconf/db/" + database;
    for (const std::string& name : files.List(directory, 256)) {
      const FileText keyfile = files.Read(directory + "/" + name, 256 * 1024);
      if (!keyfile.ok()) {
        continue;  // "locks" is a directory; unreadable files set nothing
      }
      for (parse::IniEntry& entry : parse::ParseIniFile(keyfile.text)) {
        entries.push_back(std::move(entry));
      }
    }
  }
  return entries;
}

}  // namespace mamori::platform
