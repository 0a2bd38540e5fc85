// The clinic's thresholds for the rules: defaults from issue 4, overridable by a TOML policy file.
// Parsing is pure (text in, policy or line-numbered errors out) so it is tested on every OS.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/rules/business_hours.h"

namespace mamori::rules {

// How the host's role is decided: from the inventory (auto), or fixed by the clinic, e.g. for an
// ORCA receipt server that runs a desktop Ubuntu and would otherwise be judged as a workstation.
enum class RolePolicy { kAuto, kWorkstation, kServer };

struct Policy {
  RolePolicy role = RolePolicy::kAuto;  // host.role
  int end_of_support_warn_days = 90;    // patch.end_of_support_warn_days
  int update_activity_warn_days = 30;   // patch.update_activity_warn_days
  int signature_warn_days = 3;          // antivirus.signature_warn_days
  int signature_fail_days = 7;          // antivirus.signature_fail_days
  int idle_session_warn_minutes = 120;  // idle.session_warn_minutes
  int unused_account_warn_days = 90;    // accounts.unused_warn_days
  int password_age_warn_days = 180;     // accounts.password_age_warn_days
  int long_password_min_length = 13;    // accounts.long_password_min_length
  int password_min_length = 8;          // accounts.password_min_length
  int password_max_age_days = 60;       // accounts.password_max_age_days
  int max_enabled_administrators = 3;   // accounts.max_enabled_administrators
  int screen_lock_max_minutes = 15;     // lock.max_timeout_minutes
  // A workstation idle this long outside business hours is "left on" (MAM-IDLE-001 fail, and an
  // idle episode in the collector).
  int idle_after_hours_minutes = 60;  // idle.after_hours_minutes
  // MAM-AGENT-001 (collector only): how long a host may be silent before it is stale.
  int server_silent_minutes = 30;              // agent.server_silent_minutes
  int workstation_silent_business_hours = 10;  // agent.workstation_silent_business_hours
  // The clinic's MAM-ORG rules (collector only): how old an evidence register record may be.
  int contact_chart_review_days = 365;  // org.contact_chart_review_days (MAM-ORG-002 warn)
  int backup_check_max_age_days = 31;   // org.backup_check_max_age_days (MAM-ORG-004 warn)
  int restore_test_max_age_days = 365;  // org.restore_test_max_age_days (MAM-ORG-005 fail)
  int drill_max_age_days = 365;         // org.drill_max_age_days (MAM-ORG-007 fail)
  BusinessHours business_hours;         // [business_hours]
  friend bool operator==(const Policy&, const Policy&) = default;
};

struct PolicyParseResult {
  std::optional<Policy> policy;     // set only when there are no errors
  std::vector<std::string> errors;  // "policy.toml:12: patch.update_activity_warn_days must be ..."
};

// Parses a policy file's text. Keys left out keep their defaults; unknown keys, wrong types and
// values out of range are errors, each prefixed with "<source_name>:<line>:".
PolicyParseResult ParsePolicy(std::string_view toml_text, std::string_view source_name);

}  // namespace mamori::rules
