// The Linux power probe.
#include "platform/linux/power_probe.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "platform/linux/dconf_settings.h"
#include "platform/linux/rooted_files.h"
#include "platform/parse/boot_time.h"
#include "platform/parse/dconf_value.h"
#include "platform/parse/ini_file.h"
#include "platform/parse/login_records.h"
#include "platform/parse/logind_session.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

// logind's default IdleActionSec: a session without input for this long counts as idle.
constexpr facts::Seconds kIdleAfter{30 * 60};
constexpr std::size_t kMaxSessions = 1024;
constexpr std::string_view kGnomePower = "org/gnome/settings-daemon/plugins/power";

// Entries of a systemd configuration file and its drop-ins, in the order systemd reads them (the
// main file, then <name>.d/*.conf by name), so that the last value is the one in effect.
std::vector<parse::IniEntry> ReadSystemdConfig(const RootedFiles& files, const std::string& name) {
  std::vector<parse::IniEntry> entries;
  const auto append = [&](const std::string& path) {
    const FileText text = files.Read(path, 256 * 1024);
    if (text.ok()) {
      for (parse::IniEntry& entry : parse::ParseIniFile(text.text)) {
        entries.push_back(std::move(entry));
      }
    }
  };
  append("etc/systemd/" + name);
  std::vector<std::string> drop_ins;
  for (const std::string& directory :
       {"usr/lib/systemd/" + name + ".d", "etc/systemd/" + name + ".d"}) {
    for (const std::string& file : files.List(directory, 256)) {
      if (file.size() > 5 && file.substr(file.size() - 5) == ".conf") {
        drop_ins.push_back(directory + "/" + file);
      }
    }
  }
  // systemd sorts drop-ins by file name across directories.
  std::stable_sort(drop_ins.begin(), drop_ins.end(), [](const auto& a, const auto& b) {
    return a.substr(a.rfind('/') + 1) < b.substr(b.rfind('/') + 1);
  });
  for (const std::string& path : drop_ins) {
    append(path);
  }
  return entries;
}

bool Masked(const RootedFiles& files, std::string_view unit) {
  const auto target = files.LinkTarget("etc/systemd/system/" + std::string(unit));
  return target && *target == "/dev/null";
}

bool IsSleepAction(std::string_view action) {
  return action == "suspend" || action == "hibernate" || action == "hybrid-sleep" ||
         action == "suspend-then-hibernate";
}

// systemd time spans as logind.conf uses them: "1800", "30min", "1h", "90s".
std::optional<facts::Seconds> ParseTimeSpan(std::string_view text) {
  text = parse::TrimAsciiWhitespace(text);
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') {
    ++digits;
  }
  const auto number = parse::ParseDecimal(text.substr(0, digits));
  if (!number || *number > 10'000'000) {
    return std::nullopt;
  }
  const std::string_view unit = parse::TrimAsciiWhitespace(text.substr(digits));
  const auto value = static_cast<int64_t>(*number);
  if (unit.empty() || unit == "s" || unit == "sec") {
    return facts::Seconds(value);
  }
  if (unit == "min" || unit == "m") {
    return facts::Seconds(value * 60);
  }
  if (unit == "h" || unit == "hr") {
    return facts::Seconds(value * 3600);
  }
  return std::nullopt;
}

struct SleepSettings {
  std::optional<bool> disabled;
  std::optional<facts::Seconds> after_ac;
  std::optional<facts::Seconds> after_dc;
};

struct GnomeSleep {
  bool never = false;                   // the action is 'nothing' (or 'blank', 'logout')
  std::optional<facts::Seconds> after;  // suspends or hibernates after this long
};

// GNOME's sleep-inactive-<power>-type and -timeout, power being "ac" or "battery".
GnomeSleep ReadGnomeSleep(const std::vector<parse::IniEntry>& dconf, std::string_view power) {
  GnomeSleep sleep;
  const std::string prefix = "sleep-inactive-" + std::string(power);
  const auto type = parse::LastIniValue(dconf, kGnomePower, prefix + "-type");
  const auto action = type ? parse::ParseDconfString(*type) : std::nullopt;
  if (!action) {
    return sleep;
  }
  if (*action == "nothing" || *action == "blank" || *action == "logout") {
    sleep.never = true;
  } else if (*action == "suspend" || *action == "hibernate") {
    const auto timeout = parse::LastIniValue(dconf, kGnomePower, prefix + "-timeout");
    const auto seconds = timeout ? parse::ParseDconfUnsigned(*timeout) : std::nullopt;
    // GNOME's default timeout is 20 minutes.
    sleep.after = facts::Seconds(seconds.value_or(1200));
  }
  return sleep;
}

SleepSettings ReadSleepSettings(const RootedFiles& files) {
  SleepSettings sleep;
  bool blocked = false;
  bool automatic = false;

  const auto sleep_conf = ReadSystemdConfig(files, "sleep.conf");
  if (const auto allow = parse::LastIniValue(sleep_conf, "Sleep", "AllowSuspend")) {
    blocked = blocked || parse::ParseConfigBool(*allow) == false;
  }
  blocked = blocked || Masked(files, "sleep.target") || Masked(files, "suspend.target");

  const auto logind_conf = ReadSystemdConfig(files, "logind.conf");
  if (const auto action = parse::LastIniValue(logind_conf, "Login", "IdleAction")) {
    if (IsSleepAction(*action)) {
      automatic = true;
      const auto after = parse::LastIniValue(logind_conf, "Login", "IdleActionSec");
      sleep.after_ac = after ? ParseTimeSpan(*after) : kIdleAfter;
      sleep.after_dc = sleep.after_ac;
    }
  }

  const auto dconf = ReadSystemDconfEntries(files);
  const GnomeSleep ac = ReadGnomeSleep(dconf, "ac");
  const GnomeSleep battery = ReadGnomeSleep(dconf, "battery");
  // On AC power is what matters for a PC left on; a laptop that sleeps on battery only still stays
  // on at its desk.
  blocked = blocked || ac.never;
  automatic = automatic || ac.after || battery.after;
  if (ac.after) {
    sleep.after_ac = ac.after;
  }
  if (battery.after) {
    sleep.after_dc = battery.after;
  }

  if (blocked) {
    sleep.disabled = true;
    sleep.after_ac.reset();
  } else if (automatic) {
    sleep.disabled = false;
  }
  return sleep;
}

// A terminal session's last input: its terminal's access time. nullopt for graphical sessions,
// whose input never reaches a terminal.
std::optional<facts::Timestamp> TerminalLastInput(const RootedFiles& files, std::string_view tty,
                                                  std::string_view type) {
  if (tty.empty() || type == "x11" || type == "wayland" || type == "mir" ||
      tty.find("..") != std::string_view::npos) {
    return std::nullopt;
  }
  return files.AccessTime("dev/" + std::string(tty));
}

facts::UserSession WithIdle(facts::UserSession session, std::optional<facts::Timestamp> last_input,
                            facts::Timestamp now) {
  if (last_input) {
    session.idle_since = *last_input;
    session.idle = now - std::min(*last_input, now) >= kIdleAfter;
  }
  return session;
}

std::vector<facts::UserSession> LogindSessions(const RootedFiles& files, facts::Timestamp now) {
  std::vector<facts::UserSession> sessions;
  for (const std::string& id : files.List("run/systemd/sessions", kMaxSessions)) {
    // "<id>.ref" are FIFOs logind keeps open for each session; the state file has no dot.
    if (id.find('.') != std::string::npos) {
      continue;
    }
    const FileText text = files.Read("run/systemd/sessions/" + id, 64 * 1024);
    if (!text.ok()) {
      continue;
    }
    const auto parsed = parse::ParseLogindSession(text.text);
    // Greeters and lock screens are not people's sessions.
    if (!parsed || (!parsed->klass.empty() && parsed->klass != "user") ||
        parsed->state == "closing") {
      continue;
    }
    facts::UserSession session;
    session.id = id;
    session.user = parsed->user;
    session.type = parsed->type;
    session.remote = parsed->remote;
    sessions.push_back(
        WithIdle(std::move(session), TerminalLastInput(files, parsed->tty, parsed->type), now));
  }
  return sessions;
}

struct UtmpRead {
  bool found = false;
  std::vector<facts::UserSession> sessions;
};

UtmpRead UtmpSessions(const RootedFiles& files, facts::Timestamp now) {
  UtmpRead read;
  for (const std::string_view path : {"run/utmp", "var/run/utmp"}) {
    const FileText bytes = files.Read(path);
    if (!bytes.ok()) {
      continue;
    }
    read.found = true;
    // Without a /proc to check against, every USER_PROCESS entry counts.
    const bool can_check_pids = files.IsDirectory("proc/1");
    for (const parse::UtmpEntry& entry : parse::ParseUtmpRecords(bytes.text)) {
      if (entry.type != parse::kUtmpUserProcess || entry.user.empty() ||
          read.sessions.size() >= kMaxSessions) {
        continue;
      }
      // A crashed login leaves its entry behind; a session whose process is gone is over.
      if (can_check_pids && entry.pid > 0 && !files.Exists("proc/" + std::to_string(entry.pid))) {
        continue;
      }
      facts::UserSession session;
      session.id = entry.line;
      session.user = entry.user;
      const bool x_display = !entry.host.empty() && entry.host.front() == ':';
      session.type = x_display ? "x11" : "tty";
      session.remote = !entry.host.empty() && !x_display;
      const auto last_input = TerminalLastInput(files, entry.line, session.type);
      read.sessions.push_back(WithIdle(std::move(session), last_input, now));
    }
    break;
  }
  return read;
}

}  // namespace

facts::PowerState LinuxPowerProbe::Collect() {
  const RootedFiles files(env_.root);
  const facts::Timestamp now = env_.now();
  facts::PowerState power;

  if (const FileText uptime = files.Read("proc/uptime"); uptime.ok()) {
    power.uptime = parse::ParseUptime(uptime.text);
  }

  bool sessions_known = false;
  if (files.IsDirectory("run/systemd/system")) {
    power.sessions = LogindSessions(files, now);
    sessions_known = true;
  } else if (UtmpRead utmp = UtmpSessions(files, now); utmp.found) {
    power.sessions = std::move(utmp.sessions);
    sessions_known = true;
  }

  // The host's idle time is the shortest of its sessions'; one session of unknown idle time (a
  // graphical one) makes it unknown.
  std::optional<facts::Seconds> idle;
  bool all_known = !power.sessions.empty();
  for (const facts::UserSession& session : power.sessions) {
    if (!session.idle_since) {
      all_known = false;
      break;
    }
    const facts::Seconds since = now - std::min(*session.idle_since, now);
    idle = idle ? std::min(*idle, since) : since;
  }
  if (all_known) {
    power.idle = idle;
  }

  const SleepSettings sleep = ReadSleepSettings(files);
  power.sleep_disabled = sleep.disabled;
  power.sleep_after_ac = sleep.after_ac;
  power.sleep_after_dc = sleep.after_dc;

  power.meta.status =
      sessions_known
          ? facts::ProbeStatus::Ok()
          : facts::ProbeStatus::Unknown(
                "no logind: /run/systemd/system absent; no utmp at /run/utmp or /var/run/utmp");
  power.meta.collected_at = now;
  return power;
}

}  // namespace mamori::platform
