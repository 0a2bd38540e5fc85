// Parses the TOML policy file with toml++ in its no-exceptions mode: the portable core reports
// errors as data, and a malformed file must never abort a scan.
#include "platform/rules/policy.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

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
    IntegerSetting{"idle", "after_hours_minutes", 5, 1440, &Policy::idle_after_hours_minutes},
    IntegerSetting{"agent", "server_silent_minutes", 10, 10080, &Policy::server_silent_minutes},
    IntegerSetting{"agent", "workstation_silent_business_hours", 1, 400,
                   &Policy::workstation_silent_business_hours},
    IntegerSetting{"org", "contact_chart_review_days", 1, 3650, &Policy::contact_chart_review_days},
    IntegerSetting{"org", "backup_check_max_age_days", 1, 3650, &Policy::backup_check_max_age_days},
    IntegerSetting{"org", "restore_test_max_age_days", 1, 3650, &Policy::restore_test_max_age_days},
    IntegerSetting{"org", "drill_max_age_days", 1, 3650, &Policy::drill_max_age_days},
};

constexpr std::array<std::string_view, 9> kSections = {
    "host", "patch", "antivirus", "idle", "accounts", "lock", "agent", "org", "business_hours"};

constexpr std::array<std::string_view, 7> kDayNames = {"sun", "mon", "tue", "wed",
                                                       "thu", "fri", "sat"};

// More would be a generated list gone wrong: ten years of Japanese holidays and closures is ~300.
constexpr std::size_t kMaxHolidays = 1000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return lower;
}

// "08:30" (or a TOML local time 08:30) -> minutes after midnight.
std::optional<std::chrono::minutes> ClockTime(const toml::node& node) {
  if (const toml::value<toml::time>* time = node.as_time()) {
    const toml::time& t = time->get();
    if (t.second != 0 || t.nanosecond != 0) {
      return std::nullopt;
    }
    return std::chrono::minutes{t.hour * 60 + t.minute};
  }
  const std::optional<std::string_view> text = node.value<std::string_view>();
  if (!text || text->size() != 5 || !IsDigit((*text)[0]) || !IsDigit((*text)[1]) ||
      (*text)[2] != ':' || !IsDigit((*text)[3]) || !IsDigit((*text)[4])) {
    return std::nullopt;
  }
  const int hour = Digits(text->substr(0, 2));
  const int minute = Digits(text->substr(3, 2));
  if (hour > 23 || minute > 59) {
    return std::nullopt;
  }
  return std::chrono::minutes{hour * 60 + minute};
}

// "2026-12-29" (or a TOML local date 2026-12-29) -> a valid calendar date.
std::optional<LocalDate> CalendarDate(const toml::node& node) {
  LocalDate date;
  if (const toml::value<toml::date>* native = node.as_date()) {
    const toml::date& d = native->get();
    date = std::chrono::year{d.year} / std::chrono::month{d.month} / std::chrono::day{d.day};
  } else {
    const std::optional<std::string_view> text = node.value<std::string_view>();
    if (!text || text->size() != 10 || (*text)[4] != '-' || (*text)[7] != '-') {
      return std::nullopt;
    }
    for (std::size_t i = 0; i < text->size(); ++i) {
      if (i != 4 && i != 7 && !IsDigit((*text)[i])) {
        return std::nullopt;
      }
    }
    date = std::chrono::year{Digits(text->substr(0, 4))} /
           std::chrono::month{static_cast<unsigned>(Digits(text->substr(5, 2)))} /
           std::chrono::day{static_cast<unsigned>(Digits(text->substr(8, 2)))};
  }
  if (!date.ok()) {
    return std::nullopt;
  }
  return date;
}

// The text of a value for an error message: strings as written, anything else by its type.
std::string Shown(const toml::node& node) {
  if (const std::optional<std::string_view> text = node.value<std::string_view>()) {
    return "\"" + std::string(*text) + "\"";
  }
  switch (node.type()) {
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    default:
      return "a date or time";
  }
}

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

  // [business_hours]: each key checked on its own, then the times against each other.
  void ReadBusinessHours(const toml::table& table) {
    struct Clock {
      std::string_view key;
      std::optional<std::chrono::minutes> value;
      std::optional<toml::source_region> at;
    };
    std::array<Clock, 4> clocks = {
        {{"open", {}, {}}, {"close", {}, {}}, {"lunch_start", {}, {}}, {"lunch_end", {}, {}}}};
    bool times_valid = true;
    for (auto&& [key, node] : table) {
      const std::string name = "business_hours." + std::string(key.str());
      // A named copy: clang before 16 cannot capture a structured binding in a lambda.
      const std::string_view key_text = key.str();
      const auto clock = std::find_if(clocks.begin(), clocks.end(),
                                      [&](const Clock& c) { return c.key == key_text; });
      if (key.str() == "time_zone") {
        ReadTimeZone(name, node);
      } else if (key.str() == "days") {
        ReadDays(name, node);
      } else if (key.str() == "holidays") {
        ReadHolidays(name, node);
      } else if (clock != clocks.end()) {
        clock->value = ClockTime(node);
        clock->at = node.source();
        if (!clock->value) {
          Error(node.source(), name + " must be a time \"HH:MM\" from 00:00 to 23:59");
          times_valid = false;
        }
      } else {
        Error(key.source(), "unknown key " + name);
      }
    }
    BusinessHours& hours = policy_.business_hours;
    hours.open = clocks[0].value.value_or(hours.open);
    hours.close = clocks[1].value.value_or(hours.close);
    hours.lunch_start = clocks[2].value;
    hours.lunch_end = clocks[3].value;
    const std::optional<toml::source_region>& open_at = clocks[0].at;
    const std::optional<toml::source_region>& close_at = clocks[1].at;
    const std::optional<toml::source_region>& lunch_start_at = clocks[2].at;
    const std::optional<toml::source_region>& lunch_end_at = clocks[3].at;
    if (!times_valid) {
      return;  // one error per mistake: no follow-up complaints about a time that was refused
    }
    if (hours.close <= hours.open) {
      Error((close_at ? close_at : open_at).value_or(toml::source_region{}),
            "business_hours.close must be after business_hours.open");
      return;
    }
    if (hours.lunch_start.has_value() != hours.lunch_end.has_value()) {
      Error((lunch_start_at ? lunch_start_at : lunch_end_at).value_or(toml::source_region{}),
            "business_hours.lunch_start and business_hours.lunch_end must be set together");
    } else if (hours.lunch_start && *hours.lunch_start >= *hours.lunch_end) {
      Error(lunch_start_at.value_or(toml::source_region{}),
            "business_hours.lunch_start must be before business_hours.lunch_end");
    } else if (hours.lunch_start &&
               (*hours.lunch_start < hours.open || *hours.lunch_end > hours.close)) {
      Error(lunch_start_at.value_or(toml::source_region{}),
            "business_hours.lunch_start..lunch_end must lie within business_hours.open..close");
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

  void ReadTimeZone(const std::string& name, const toml::node& node) {
    constexpr std::string_view kKnown = "\"Asia/Tokyo\", \"UTC\" or an offset such as \"+09:00\"";
    const std::optional<std::string_view> zone = node.value<std::string_view>();
    if (!zone) {
      Error(node.source(), name + " must be a string: " + std::string(kKnown));
      return;
    }
    const std::optional<std::chrono::minutes> offset = ParseUtcOffset(*zone);
    if (!offset) {
      Error(node.source(), name + " " + Shown(node) + " is not a time zone mamori knows: use " +
                               std::string(kKnown));
      return;
    }
    policy_.business_hours.time_zone = std::string(*zone);
    policy_.business_hours.utc_offset = *offset;
  }

  void ReadDays(const std::string& name, const toml::node& node) {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      Error(node.source(), name + " must be an array of days such as [\"mon\", \"tue\"]");
      return;
    }
    std::array<bool, 7> days{};
    bool valid = true;
    for (const toml::node& element : *list) {
      const std::optional<std::string_view> text = element.value<std::string_view>();
      const auto day =
          text ? std::find(kDayNames.begin(), kDayNames.end(), Lower(*text)) : kDayNames.end();
      if (day == kDayNames.end()) {
        Error(element.source(), name + ": " + Shown(element) +
                                    " is not a day (\"sun\", \"mon\", \"tue\", \"wed\", "
                                    "\"thu\", \"fri\" or \"sat\")");
        valid = false;
        continue;
      }
      const auto index = static_cast<std::size_t>(day - kDayNames.begin());
      if (days[index]) {
        Error(element.source(), name + " lists \"" + std::string(*day) + "\" twice");
        valid = false;
      }
      days[index] = true;
    }
    if (list->empty()) {
      Error(node.source(), name + " must list at least one day");
      valid = false;
    }
    if (valid) {
      policy_.business_hours.days = days;
    }
  }

  void ReadHolidays(const std::string& name, const toml::node& node) {
    const toml::array* list = node.as_array();
    if (list == nullptr) {
      Error(node.source(), name + " must be an array of dates such as [\"2026-12-29\"]");
      return;
    }
    if (list->size() > kMaxHolidays) {
      Error(node.source(), name + " must list at most " + std::to_string(kMaxHolidays) + " dates");
      return;
    }
    std::vector<LocalDate> holidays;
    bool valid = true;
    for (const toml::node& element : *list) {
      const std::optional<LocalDate> date = CalendarDate(element);
      if (!date) {
        Error(element.source(),
              name + ": " + Shown(element) + " is not a valid date \"YYYY-MM-DD\"");
        valid = false;
        continue;
      }
      holidays.push_back(*date);
    }
    if (!valid) {
      return;
    }
    std::sort(holidays.begin(), holidays.end());
    holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
    policy_.business_hours.holidays = std::move(holidays);
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
    if (section.str() == "business_hours") {
      reader.ReadBusinessHours(*table);
    } else {
      reader.ReadSection(section.str(), *table);
    }
  }
  reader.CheckConsistency();
  return reader.Finish();
}

}  // namespace mamori::rules
