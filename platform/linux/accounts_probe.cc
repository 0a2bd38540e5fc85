// The Linux accounts probe.
#include "platform/linux/accounts_probe.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "platform/linux/rooted_files.h"
#include "platform/parse/login_records.h"
#include "platform/parse/passwd.h"
#include "platform/parse/password_policy.h"
#include "platform/parse/text.h"

namespace mamori::platform {
namespace {

constexpr uint64_t kSecondsPerDay = 86400;
constexpr uint64_t kNeverExpiresDays = 99999;
// login.defs' default UID_MIN, and the top of the range people's accounts are given (UID_MAX).
constexpr uint32_t kDefaultUidMin = 1000;
constexpr uint32_t kUidMax = 60000;

bool ShellAllowsLogin(std::string_view shell) {
  const std::string_view name = shell.substr(shell.rfind('/') + 1);
  return name != "nologin" && name != "false" && name != "sync" && name != "halt" &&
         name != "shutdown";
}

facts::Timestamp FromDays(uint64_t days) {
  return facts::Timestamp(std::chrono::seconds(static_cast<int64_t>(days * kSecondsPerDay)));
}

bool LockedHash(std::string_view hash) {
  return !hash.empty() && (hash.front() == '!' || hash.front() == '*');
}

// pwquality.conf, then pwquality.conf.d/*.conf by name: later files override earlier ones.
parse::QualitySettings ReadPwqualityConf(const RootedFiles& files) {
  parse::QualitySettings settings;
  if (const FileText conf = files.Read("etc/security/pwquality.conf", 256 * 1024); conf.ok()) {
    settings = parse::ParsePwqualityConf(conf.text);
  }
  for (const std::string& name : files.List("etc/security/pwquality.conf.d", 256)) {
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".conf") {
      continue;
    }
    if (const FileText conf = files.Read("etc/security/pwquality.conf.d/" + name, 256 * 1024);
        conf.ok()) {
      settings = parse::OverlayQuality(settings, parse::ParsePwqualityConf(conf.text));
    }
  }
  return settings;
}

// The first PAM stack file that exists: Debian/Ubuntu's common-*, else RHEL's system-auth.
std::optional<std::string> ReadPamStack(const RootedFiles& files, std::string_view debian_name) {
  for (const std::string& path :
       {"etc/pam.d/" + std::string(debian_name), std::string("etc/pam.d/system-auth")}) {
    if (const FileText stack = files.Read(path, 256 * 1024); stack.ok()) {
      return stack.text;
    }
  }
  return std::nullopt;
}

std::optional<uint32_t> ParseCount(std::optional<std::string> text) {
  if (!text) {
    return std::nullopt;
  }
  const auto value = parse::ParseDecimal(parse::TrimAsciiWhitespace(*text));
  if (!value || *value > 1000000) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

// faillock.conf(5)'s "deny = N"; nullopt when unset or the file is absent.
std::optional<std::string> FaillockConfDeny(const RootedFiles& files) {
  const FileText conf = files.Read("etc/security/faillock.conf", 256 * 1024);
  std::optional<std::string> deny;
  if (conf.ok()) {
    parse::ForEachBoundedLine(conf.text, [&](std::string_view line) {
      line = parse::TrimAsciiWhitespace(line);
      const auto pair = parse::SplitKeyValue(line, '=');
      if (!line.empty() && line.front() != '#' && pair && pair->key == "deny") {
        deny = std::string(pair->value);
      }
    });
  }
  return deny;
}

std::optional<uint32_t> ReadLockoutThreshold(const RootedFiles& files) {
  const auto auth = ReadPamStack(files, "common-auth");
  if (!auth) {
    return std::nullopt;
  }
  if (const auto faillock = parse::FindPamModuleArgs(*auth, "auth", "pam_faillock.so")) {
    if (const auto deny = ParseCount(parse::PamArgValue(*faillock, "deny"))) {
      return deny;
    }
    if (const auto deny = ParseCount(FaillockConfDeny(files))) {
      return deny;
    }
    return 3;  // pam_faillock(8)'s default
  }
  if (const auto tally = parse::FindPamModuleArgs(*auth, "auth", "pam_tally2.so")) {
    return ParseCount(parse::PamArgValue(*tally, "deny")).value_or(0);
  }
  return 0;
}

facts::PasswordPolicy ReadPasswordPolicy(const RootedFiles& files, const parse::LoginDefs& defs) {
  facts::PasswordPolicy policy;
  policy.max_age_days = defs.pass_max_days;
  if (const auto stack = ReadPamStack(files, "common-password")) {
    parse::QualityModule module = parse::QualityModule::kNone;
    parse::QualitySettings settings;
    if (const auto args = parse::FindPamModuleArgs(*stack, "password", "pam_pwquality.so")) {
      module = parse::QualityModule::kPwquality;
      settings = parse::OverlayQuality(ReadPwqualityConf(files), parse::ParseQualityArgs(*args));
    } else if (const auto cracklib =
                   parse::FindPamModuleArgs(*stack, "password", "pam_cracklib.so")) {
      module = parse::QualityModule::kCracklib;
      settings = parse::ParseQualityArgs(*cracklib);
    } else if (const auto unix_args = parse::FindPamModuleArgs(*stack, "password", "pam_unix.so")) {
      module = parse::QualityModule::kUnixOnly;
      settings = parse::ParseQualityArgs(*unix_args);
    }
    const parse::PasswordRequirements requirements =
        parse::ComputePasswordRequirements(module, settings);
    policy.min_length = requirements.min_length;
    policy.min_classes = requirements.min_classes;
    if (requirements.min_classes) {
      policy.complexity_required = *requirements.min_classes >= 3;
    }
  }
  policy.lockout_threshold = ReadLockoutThreshold(files);
  return policy;
}

}  // namespace

facts::AccountList LinuxAccountsProbe::Collect() {
  const RootedFiles files(env_.root);
  const facts::Timestamp now = env_.now();
  facts::AccountList list;
  list.meta.collected_at = now;

  const FileText passwd_file = files.Read("etc/passwd");
  if (!passwd_file.ok()) {
    list.meta.status = facts::ProbeStatus::Unknown("cannot read " + files.Describe("etc/passwd") +
                                                   ": " + passwd_file.error);
    return list;
  }
  const std::vector<parse::PasswdEntry> passwd = parse::ParsePasswd(passwd_file.text);
  if (passwd.empty()) {
    list.meta.status =
        facts::ProbeStatus::Unknown(files.Describe("etc/passwd") + " lists no valid account");
    return list;
  }

  // /etc/shadow is readable by root only: without it, password facts stay unknown.
  std::map<std::string, parse::ShadowEntry> shadow;
  const FileText shadow_file = files.Read("etc/shadow");
  if (shadow_file.ok()) {
    for (parse::ShadowEntry& entry : parse::ParseShadow(shadow_file.text)) {
      shadow.emplace(entry.name, std::move(entry));
    }
  }

  std::vector<parse::GroupEntry> groups;
  if (const FileText group_file = files.Read("etc/group"); group_file.ok()) {
    groups = parse::ParseGroup(group_file.text);
  }

  parse::LoginDefs defs;
  if (const FileText login_defs = files.Read("etc/login.defs", 256 * 1024); login_defs.ok()) {
    defs = parse::ParseLoginDefs(login_defs.text);
  }
  const uint32_t uid_min = defs.uid_min.value_or(kDefaultUidMin);

  for (const parse::PasswdEntry& user : passwd) {
    facts::LocalAccount account;
    account.name = user.name;
    account.id = std::to_string(user.uid);
    account.full_name = std::string(parse::FullNameFromGecos(user.gecos));
    account.system_account = user.uid != 0 && (user.uid < uid_min || user.uid > kUidMax);

    std::set<std::string> member_of;
    for (const parse::GroupEntry& group : groups) {
      if (group.gid == user.gid ||
          std::find(group.members.begin(), group.members.end(), user.name) != group.members.end()) {
        member_of.insert(group.name);
      }
    }
    account.groups.assign(member_of.begin(), member_of.end());
    account.admin = user.uid == 0 || member_of.count("sudo") > 0 || member_of.count("wheel") > 0 ||
                    member_of.count("admin") > 0;

    const bool shell_ok = ShellAllowsLogin(user.shell);
    const auto shadowed = shadow.find(user.name);
    if (shadowed != shadow.end()) {
      const parse::ShadowEntry& entry = shadowed->second;
      const bool expired =
          entry.expire_days && FromDays(*entry.expire_days) <= now && *entry.expire_days > 0;
      account.enabled = shell_ok && !expired;
      account.locked = LockedHash(entry.hash) || expired;
      account.password_empty = entry.hash.empty();
      if (entry.last_change_days && *entry.last_change_days > 0) {
        account.password_changed_at = FromDays(*entry.last_change_days);
      }
      account.password_expires = entry.max_days && *entry.max_days < kNeverExpiresDays;
    } else if (user.password != "x") {
      // The hash sits in /etc/passwd itself (no shadow entry): old style, still honoured by PAM.
      account.enabled = shell_ok;
      account.locked = LockedHash(user.password);
      account.password_empty = user.password.empty();
    } else if (!shell_ok) {
      account.enabled = false;
    }

    const FileText lastlog =
        files.ReadRange("var/log/lastlog", uint64_t{user.uid} * parse::kLastlogRecordBytes,
                        parse::kLastlogRecordBytes);
    if (lastlog.ok()) {
      account.last_logon = parse::ParseLastlogRecord(lastlog.text);
    }
    list.accounts.push_back(std::move(account));
  }

  list.password_policy = ReadPasswordPolicy(files, defs);
  list.meta.status = facts::ProbeStatus::Ok();
  return list;
}

}  // namespace mamori::platform
