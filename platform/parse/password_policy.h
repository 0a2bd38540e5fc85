// Works out a Linux host's password rules from the files that set them: /etc/login.defs (aging, UID
// range), /etc/security/pwquality.conf(.d) (quality), the PAM password and auth stacks
// (/etc/pam.d/common-password, common-auth; system-auth on RHEL) and /etc/security/faillock.conf.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::parse {

struct LoginDefs {
  std::optional<uint32_t> pass_max_days;  // 99999 means "never" (shadow's convention)
  std::optional<uint32_t> uid_min;        // first UID of people's accounts (1000 by default)
  friend bool operator==(const LoginDefs&, const LoginDefs&) = default;
};

// "KEY value" lines; the last occurrence wins, as shadow's getdef() reads them.
LoginDefs ParseLoginDefs(std::string_view text);

// The pam_pwquality / pam_cracklib settings that decide length and character classes. Credits are
// signed: a negative credit requires that many characters of the class.
struct QualitySettings {
  std::optional<int64_t> minlen;
  std::optional<int64_t> minclass;
  std::optional<int64_t> dcredit;
  std::optional<int64_t> ucredit;
  std::optional<int64_t> lcredit;
  std::optional<int64_t> ocredit;
  friend bool operator==(const QualitySettings&, const QualitySettings&) = default;
};

// pwquality.conf(5): "key = value" lines.
QualitySettings ParsePwqualityConf(std::string_view text);
// Module arguments such as {"retry=3", "minlen=12", "dcredit=-1"}.
QualitySettings ParseQualityArgs(const std::vector<std::string>& args);
// Settings in top override those in base.
QualitySettings OverlayQuality(const QualitySettings& base, const QualitySettings& top);

// The arguments of the first line of a PAM stack file that uses module (e.g. "pam_pwquality.so",
// also matched as a full path) for the given type ("password", "auth"); nullopt when no line does.
// "@include" lines are not followed: the caller reads the files it needs.
std::optional<std::vector<std::string>> FindPamModuleArgs(std::string_view pam_file,
                                                          std::string_view type,
                                                          std::string_view module);

// "deny=5" in args -> "5"; nullopt when the key is absent.
std::optional<std::string> PamArgValue(const std::vector<std::string>& args, std::string_view key);

// What the PAM password stack enforces for a new password.
struct PasswordRequirements {
  std::optional<uint32_t> min_length;   // the shortest password the stack accepts
  std::optional<uint32_t> min_classes;  // character classes (digits, upper, lower, other) required
  friend bool operator==(const PasswordRequirements&, const PasswordRequirements&) = default;
};

// Which module checks quality decides the defaults: pam_pwquality (minlen 8, credits 0),
// pam_cracklib (minlen 9, credits 1) or only pam_unix (minlen 6, no class rule). Positive credits
// let a shorter password reach minlen, so the shortest accepted length is computed from them.
// settings are the merged settings of the module in use (conf files, then its arguments).
enum class QualityModule { kNone, kPwquality, kCracklib, kUnixOnly };
PasswordRequirements ComputePasswordRequirements(QualityModule module,
                                                 const QualitySettings& settings);

}  // namespace mamori::parse
