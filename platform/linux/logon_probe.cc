// The Linux logon security probe.
#include "platform/linux/logon_probe.h"

#include <optional>
#include <string>
#include <vector>

#include "platform/linux/dconf_settings.h"
#include "platform/linux/rooted_files.h"
#include "platform/parse/dconf_value.h"
#include "platform/parse/ini_file.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

// GNOME's defaults: idle-delay 300 s, lock-delay 0 s, lock-enabled true.
constexpr uint32_t kGnomeIdleDelay = 300;

struct AutoLogin {
  bool enabled = false;
  std::string user;
};

std::vector<parse::IniEntry> ReadIni(const RootedFiles& files, const std::string& path) {
  const FileText text = files.Read(path, 256 * 1024);
  return text.ok() ? parse::ParseIniFile(text.text) : std::vector<parse::IniEntry>();
}

// "*.conf" files of a directory, by name.
std::vector<std::string> ConfFiles(const RootedFiles& files, const std::string& directory) {
  std::vector<std::string> paths;
  for (const std::string& name : files.List(directory, 256)) {
    if (name.size() > 5 && name.substr(name.size() - 5) == ".conf") {
      paths.push_back(directory + "/" + name);
    }
  }
  return paths;
}

std::optional<AutoLogin> GdmAutoLogin(const RootedFiles& files) {
  for (const std::string path :
       {"etc/gdm3/daemon.conf", "etc/gdm3/custom.conf", "etc/gdm/custom.conf"}) {
    const auto entries = ReadIni(files, path);
    for (const auto& [enable_key, user_key] : {std::pair{"AutomaticLoginEnable", "AutomaticLogin"},
                                               std::pair{"TimedLoginEnable", "TimedLogin"}}) {
      const auto enable = parse::LastIniValue(entries, "daemon", enable_key);
      const auto user = parse::LastIniValue(entries, "daemon", user_key);
      if (enable && parse::ParseConfigBool(*enable) == true && user && !user->empty()) {
        return AutoLogin{true, *user};
      }
    }
  }
  return std::nullopt;
}

std::optional<AutoLogin> LightdmAutoLogin(const RootedFiles& files) {
  // LightDM reads /usr/share/lightdm/lightdm.conf.d, /etc/lightdm/lightdm.conf.d, then
  // /etc/lightdm/lightdm.conf; a later value wins.
  std::vector<std::string> paths = ConfFiles(files, "usr/share/lightdm/lightdm.conf.d");
  for (std::string& path : ConfFiles(files, "etc/lightdm/lightdm.conf.d")) {
    paths.push_back(std::move(path));
  }
  paths.emplace_back("etc/lightdm/lightdm.conf");
  std::optional<std::string> user;
  for (const std::string& path : paths) {
    for (const parse::IniEntry& entry : ReadIni(files, path)) {
      const bool seat = entry.section == "Seat:*" || entry.section == "SeatDefaults" ||
                        entry.section.rfind("Seat:", 0) == 0;
      if (seat && entry.key == "autologin-user") {
        user = entry.value;
      }
    }
  }
  if (user && !user->empty()) {
    return AutoLogin{true, *user};
  }
  return std::nullopt;
}

std::optional<AutoLogin> SddmAutoLogin(const RootedFiles& files) {
  // SDDM: /usr/lib/sddm/sddm.conf.d, /etc/sddm.conf.d, then /etc/sddm.conf on top.
  std::vector<std::string> paths = ConfFiles(files, "usr/lib/sddm/sddm.conf.d");
  for (std::string& path : ConfFiles(files, "etc/sddm.conf.d")) {
    paths.push_back(std::move(path));
  }
  paths.emplace_back("etc/sddm.conf");
  std::optional<std::string> user;
  for (const std::string& path : paths) {
    if (auto value = parse::LastIniValue(ReadIni(files, path), "Autologin", "User")) {
      user = std::move(value);
    }
  }
  if (user && !user->empty()) {
    return AutoLogin{true, *user};
  }
  return std::nullopt;
}

// A getty drop-in such as "ExecStart=-/sbin/agetty --autologin pi --noclear %I $TERM".
std::optional<AutoLogin> GettyAutoLogin(const RootedFiles& files) {
  for (const std::string& unit : files.List("etc/systemd/system", 1024)) {
    if (unit.rfind("getty@", 0) != 0 && unit.rfind("serial-getty@", 0) != 0) {
      continue;
    }
    if (unit.size() < 2 || unit.substr(unit.size() - 2) != ".d") {
      continue;
    }
    for (const std::string& path : ConfFiles(files, "etc/systemd/system/" + unit)) {
      for (const parse::IniEntry& entry : ReadIni(files, path)) {
        if (entry.section != "Service" || entry.key != "ExecStart") {
          continue;
        }
        std::string_view command = entry.value;
        for (const std::string_view flag : {"--autologin ", "-a "}) {
          const std::size_t at = command.find(flag);
          if (at == std::string_view::npos) {
            continue;
          }
          const std::string_view rest =
              parse::TrimAsciiWhitespace(command.substr(at + flag.size()));
          return AutoLogin{true, std::string(rest.substr(0, rest.find(' ')))};
        }
      }
    }
  }
  return std::nullopt;
}

bool AnyExists(const RootedFiles& files, std::initializer_list<std::string_view> paths) {
  for (const std::string_view path : paths) {
    if (files.Exists(path)) {
      return true;
    }
  }
  return false;
}

}  // namespace

facts::LogonSecurity LinuxLogonProbe::Collect() {
  const RootedFiles files(env_.root);
  facts::LogonSecurity logon;
  logon.meta.collected_at = env_.now();

  std::optional<AutoLogin> auto_login = GdmAutoLogin(files);
  if (!auto_login) {
    auto_login = LightdmAutoLogin(files);
  }
  if (!auto_login) {
    auto_login = SddmAutoLogin(files);
  }
  if (!auto_login) {
    auto_login = GettyAutoLogin(files);
  }
  logon.auto_logon_enabled = auto_login.has_value();
  if (auto_login) {
    logon.auto_logon_user = auto_login->user;
  }

  const bool gnome = AnyExists(files, {"usr/bin/gnome-shell", "usr/sbin/gdm3", "usr/sbin/gdm"});
  const auto dconf = ReadSystemDconfEntries(files);
  const auto lock_enabled =
      parse::LastIniValue(dconf, "org/gnome/desktop/screensaver", "lock-enabled");
  const auto idle_delay = parse::LastIniValue(dconf, "org/gnome/desktop/session", "idle-delay");
  const auto lock_delay = parse::LastIniValue(dconf, "org/gnome/desktop/screensaver", "lock-delay");
  if (gnome || lock_enabled || idle_delay) {
    const bool enabled =
        (lock_enabled ? parse::ParseDconfBool(*lock_enabled) : true).value_or(true);
    const uint32_t idle = (idle_delay ? parse::ParseDconfUnsigned(*idle_delay) : std::nullopt)
                              .value_or(kGnomeIdleDelay);
    const uint32_t grace =
        (lock_delay ? parse::ParseDconfUnsigned(*lock_delay) : std::nullopt).value_or(0);
    // The screen locks only once it blanks, and idle-delay 0 means it never blanks.
    logon.screen_lock_enabled = enabled && idle > 0;
    if (*logon.screen_lock_enabled) {
      logon.screen_lock_timeout = facts::Seconds(int64_t{idle} + int64_t{grace});
    }
  }
  logon.meta.status = facts::ProbeStatus::Ok();
  return logon;
}

}  // namespace mamori::platform
