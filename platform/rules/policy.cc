// Parses the TOML policy file with toml++ in its no-exceptions mode: the portable core reports
// errors as data, and a malformed file must never abort a scan.
#include "platform/rules/policy.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

namespace mamori::rules {
namespace {

struct IntegerSetting {
  std::string_view section;
  std::string_view key;
  int min;
  int max;
  int Policy::*field;
};

// Every integer threshold a policy file may set, with its allowed range. The ranges keep a typo
// (days instead of minutes, an extra zero) from silently disabling a rule.
constexpr std::array kIntegerSettings = {
    IntegerSetting{"patch", "end_of_support_warn_days", 1, 730, &Policy::end_of_support_warn_days},
    IntegerSetting{"patch", "update_activity_warn_days", 1, 365,
                   &Policy::update_activity_warn_days},
    IntegerSetting{"antivirus", "signature_warn_days", 1, 90, &Policy::signature_warn_days},
    IntegerSetting{"antivirus", "signature_fail_days", 1, 90, &Policy::signature_fail_days},
    IntegerSetting{"idle", "session_warn_minutes", 5, 1440, &Policy::idle_session_warn_minutes},
    IntegerSetting{"accounts", "unused_warn_days", 1, 730, &Policy::unused_account_warn_days},
    IntegerSetting{"accounts", "password_age_warn_days", 1, 730, &Policy::password_age_warn_days},
    IntegerSetting{"accounts", "long_password_min_length", 8, 64,
                   &Policy::long_password_min_length},
    IntegerSetting{"accounts", "password_min_length", 1, 64, &Policy::password_min_length},
    IntegerSetting{"accounts", "password_max_age_days", 1, 365, &Policy::password_max_age_days},
    IntegerSetting{"accounts", "max_enabled_administrators", 1, 100,
                   &Policy::max_enabled_administrators},
    IntegerSetting{"lock", "max_timeout_minutes", 1, 120, &Policy::screen_lock_max_minutes},
};

constexpr std::array<std::string_view, 6> kSections = {"host", "patch",    "antivirus",
                                                       "idle", "accounts", "lock"};

class PolicyReader {
 public:
  explicit PolicyReader(std::string_view source_name) : source_name_(source_name) {}

  void Error(const toml::source_region& where, const std::string& message) {
    errors_.push_back({where.begin.line, message});
  }

  void ReadSection(std::string_view section, const toml::table& table) {
    for (auto&& [key, node] : table) {
      const std::string name = std::string(section) + "." + std::string(key.str());
      if (section == "host" && key.str() == "role") {
        ReadRole(name, node);
        continue;
      }
      const IntegerSetting* setting = FindSetting(section, key.str());
      if (setting == nullptr) {
        Error(key.source(), "unknown key " + name);
        continue;
      }
      const std::string expectation = name + " must be an integer from " +
                                      std::to_string(setting->min) + " to " +
                                      std::to_string(setting->max);
      const toml::value<int64_t>* integer = node.as_integer();
      if (integer == nullptr || integer->get() < setting->min || integer->get() > setting->max) {
        Error(node.source(), expectation);
        continue;
      }
      policy_.*(setting->field) = static_cast<int>(integer->get());
      set_at_[IndexOf(setting)] = node.source();
    }
  }

  // Thresholds that only make sense in order. The error points at whichever of the two the file
  // set.
  void CheckConsistency() {
    CheckOrder("antivirus", "signature_warn_days", "signature_fail_days");
    CheckOrder("accounts", "password_min_length", "long_password_min_length");
  }

  // Errors in file order (toml++ hands tables back sorted by key, not by line).
  PolicyParseResult Finish() {
    std::stable_sort(errors_.begin(), errors_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    PolicyParseResult result;
    for (const auto& [line, message] : errors_) {
      result.errors.push_back(source_name_ + ":" + std::to_string(line) + ": " + message);
    }
    if (result.errors.empty()) {
      result.policy = policy_;
    }
    return result;
  }

 private:
  static const IntegerSetting* FindSetting(std::string_view section, std::string_view key) {
    for (const IntegerSetting& setting : kIntegerSettings) {
      if (setting.section == section && setting.key == key) {
        return &setting;
      }
    }
    return nullptr;
  }
  static std::size_t IndexOf(const IntegerSetting* setting) {
    return static_cast<std::size_t>(setting - kIntegerSettings.data());
  }

  void CheckOrder(std::string_view section, std::string_view lower, std::string_view upper) {
    const IntegerSetting* low = FindSetting(section, lower);
    const IntegerSetting* high = FindSetting(section, upper);
    if (policy_.*(low->field) <= policy_.*(high->field)) {
      return;
    }
    const std::optional<toml::source_region>& where =
        set_at_[IndexOf(low)] ? set_at_[IndexOf(low)] : set_at_[IndexOf(high)];
    Error(where.value_or(toml::source_region{}), std::string(section) + "." + std::string(lower) +
                                                     " must not exceed " + std::string(section) +
                                                     "." + std::string(upper));
  }

  void ReadRole(const std::string& name, const toml::node& node) {
    const std::optional<std::string_view> role = node.value<std::string_view>();
    if (role == "auto") {
      policy_.role = RolePolicy::kAuto;
    } else if (role == "workstation") {
      policy_.role = RolePolicy::kWorkstation;
    } else if (role == "server") {
      policy_.role = RolePolicy::kServer;
    } else {
      Error(node.source(), name + " must be \"auto\", \"workstation\" or \"server\"");
    }
  }

  std::string source_name_;
  Policy policy_;
  std::vector<std::pair<toml::source_index, std::string>> errors_;
  // Where each integer was set, so a consistency error points at the line to change.
  std::array<std::optional<toml::source_region>, kIntegerSettings.size()> set_at_{};
};

}  // namespace

PolicyParseResult ParsePolicy(std::string_view toml_text, std::string_view source_name) {
  PolicyReader reader(source_name);
  toml::parse_result parsed = toml::parse(toml_text, source_name);
  if (!parsed) {
    reader.Error(parsed.error().source(), std::string(parsed.error().description()));
    return reader.Finish();
  }
  for (auto&& [section, node] : parsed.table()) {
    bool known = false;
    for (std::string_view name : kSections) {
      known = known || section.str() == name;
    }
    const toml::table* table = node.as_table();
    if (!known) {
      reader.Error(section.source(), table != nullptr
                                         ? "unknown section [" + std::string(section.str()) + "]"
                                         : "unknown key " + std::string(section.str()));
      continue;
    }
    if (table == nullptr) {
      reader.Error(node.source(), std::string(section.str()) + " must be a table ([" +
                                      std::string(section.str()) + "])");
      continue;
    }
    reader.ReadSection(section.str(), *table);
  }
  reader.CheckConsistency();
  return reader.Finish();
}

}  // namespace mamori::rules
