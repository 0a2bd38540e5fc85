// Decoders for the Windows patch probe.
#include "platform/parse/windows_update.h"

#include <array>
#include <chrono>

#include "platform/parse/hresult.h"
#include "platform/parse/text.h"
#include "platform/parse/windows_time.h"

namespace mamori::parse {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::optional<uint32_t> SmallNumber(std::string_view digits) {
  const std::optional<uint64_t> value = ParseDecimal(digits);
  if (!value || *value > UINT32_MAX) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

std::optional<facts::Timestamp> Midnight(uint32_t year, uint32_t month, uint32_t day) {
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(year)},
                                         std::chrono::month{month}, std::chrono::day{day}};
  // Years outside this range are typing errors or garbage, not hotfix dates.
  if (year < 1990 || year > 9999 || !date.ok()) {
    return std::nullopt;
  }
  return facts::Timestamp(std::chrono::sys_days(date));
}

// "a<sep>b<sep>c" with one separator character used twice.
std::optional<std::array<std::string_view, 3>> SplitDate(std::string_view text) {
  const std::size_t first = text.find_first_of("/-.");
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  const char separator = text[first];
  const std::size_t second = text.find(separator, first + 1);
  if (second == std::string_view::npos ||
      text.find(separator, second + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  return std::array{text.substr(0, first), text.substr(first + 1, second - first - 1),
                    text.substr(second + 1)};
}

std::optional<facts::Timestamp> ParseHexFileTime(std::string_view text) {
  uint64_t ticks = 0;
  for (const char c : text) {
    const char lower = AsciiLower(c);
    int nibble = 0;
    if (IsDigit(lower)) {
      nibble = lower - '0';
    } else if (lower >= 'a' && lower <= 'f') {
      nibble = lower - 'a' + 10;
    } else {
      return std::nullopt;
    }
    ticks = (ticks << 4) | static_cast<uint64_t>(nibble);
  }
  return FromFileTime(ticks);
}

std::string_view StripBraces(std::string_view id) {
  if (id.size() >= 2 && id.front() == '{' && id.back() == '}') {
    return id.substr(1, id.size() - 2);
  }
  return id;
}

struct KnownHresult {
  uint32_t value;
  std::string_view description;
};

// What only the Windows Update Agent returns, or what means something particular from it: a
// disabled service, no network or proxy, and our own abort after the timeout. Everything else is
// named by DescribeHresult.
constexpr std::array kUpdateHresults = {
    KnownHresult{0x80070422, "ERROR_SERVICE_DISABLED: the Windows Update service is disabled"},
    KnownHresult{0x80240001, "WU_E_NO_SERVICE"},
    KnownHresult{0x80240007, "WU_E_INVALIDINDEX"},
    KnownHresult{0x8024000B, "WU_E_CALL_CANCELLED"},
    KnownHresult{0x8024001E, "WU_E_SERVICE_STOP"},
    KnownHresult{0x8024402C, "WU_E_PT_WINHTTP_NAME_NOT_RESOLVED: no DNS or proxy"},
    KnownHresult{0x80244022, "WU_E_PT_HTTP_STATUS_SERVICE_UNAVAIL"},
    KnownHresult{0x80072EE2, "ERROR_INTERNET_TIMEOUT"},
    KnownHresult{0x80072EFD, "ERROR_INTERNET_CANNOT_CONNECT"},
};

}  // namespace

std::string FindKbArticle(std::string_view text) {
  for (std::size_t at = 0; at + 2 < text.size(); ++at) {
    if (AsciiLower(text[at]) != 'k' || AsciiLower(text[at + 1]) != 'b') {
      continue;
    }
    if (at > 0 && (IsAsciiLetter(text[at - 1]) || IsDigit(text[at - 1]))) {
      continue;
    }
    std::size_t end = at + 2;
    while (end < text.size() && IsDigit(text[end]) && end - at - 2 < 9) {
      ++end;
    }
    const std::size_t digits = end - at - 2;
    if (digits >= 6 && digits <= 8 && (end == text.size() || !IsDigit(text[end]))) {
      return "KB" + std::string(text.substr(at + 2, digits));
    }
  }
  return {};
}

std::optional<RollupFixPackage> ParseRollupFixPackage(std::string_view package_name) {
  constexpr std::string_view kPrefix = "Package_for_RollupFix~";
  if (package_name.size() <= kPrefix.size() ||
      !EqualsIgnoringAsciiCase(package_name.substr(0, kPrefix.size()), kPrefix)) {
    return std::nullopt;
  }
  // The version is the last '~'-separated field; the language field before it is empty.
  const std::string_view version = package_name.substr(package_name.rfind('~') + 1);
  const std::size_t first_dot = version.find('.');
  if (first_dot == std::string_view::npos) {
    return std::nullopt;
  }
  const std::size_t second_dot = version.find('.', first_dot + 1);
  const std::optional<uint32_t> build = SmallNumber(version.substr(0, first_dot));
  const std::optional<uint32_t> revision = SmallNumber(version.substr(
      first_dot + 1,
      second_dot == std::string_view::npos ? std::string_view::npos : second_dot - first_dot - 1));
  if (!build || !revision || *build == 0) {
    return std::nullopt;
  }
  return RollupFixPackage{*build, *revision};
}

bool IsCbsStateInstalled(uint32_t current_state) {
  return current_state == 0x70 || current_state == 0x80;
}

std::optional<facts::Timestamp> ParseQfeInstalledOn(std::string_view text) {
  text = TrimAsciiWhitespace(text);
  if (text.find_first_of("/-.") == std::string_view::npos) {
    if (text.size() == 16) {
      return ParseHexFileTime(text);
    }
    return text.size() == 8 ? ParseYyyymmdd(text) : std::nullopt;
  }
  if (text.size() > 10) {
    return std::nullopt;
  }
  const auto parts = SplitDate(text);
  if (!parts) {
    return std::nullopt;
  }
  const std::optional<uint32_t> a = SmallNumber((*parts)[0]);
  const std::optional<uint32_t> b = SmallNumber((*parts)[1]);
  const std::optional<uint32_t> c = SmallNumber((*parts)[2]);
  if (!a || !b || !c) {
    return std::nullopt;
  }
  if ((*parts)[0].size() == 4) {
    return Midnight(*a, *b, *c);
  }
  if ((*parts)[2].size() != 4) {
    return std::nullopt;
  }
  // Month first unless the first number cannot be a month.
  if (*a > 12) {
    return Midnight(*c, *b, *a);
  }
  return Midnight(*c, *a, *b);
}

UpdateOperation DecodeUpdateOperation(int64_t code) {
  switch (code) {
    case 1:
      return UpdateOperation::kInstallation;
    case 2:
      return UpdateOperation::kUninstallation;
    default:
      return UpdateOperation::kUnknown;
  }
}

OperationResult DecodeOperationResult(int64_t code) {
  switch (code) {
    case 0:
      return OperationResult::kNotStarted;
    case 1:
      return OperationResult::kInProgress;
    case 2:
      return OperationResult::kSucceeded;
    case 3:
      return OperationResult::kSucceededWithErrors;
    case 4:
      return OperationResult::kFailed;
    case 5:
      return OperationResult::kAborted;
    default:
      return OperationResult::kUnknown;
  }
}

std::string_view OperationResultName(OperationResult result) {
  switch (result) {
    case OperationResult::kNotStarted:
      return "not started";
    case OperationResult::kInProgress:
      return "in progress";
    case OperationResult::kSucceeded:
      return "succeeded";
    case OperationResult::kSucceededWithErrors:
      return "succeeded with errors";
    case OperationResult::kFailed:
      return "failed";
    case OperationResult::kAborted:
      return "aborted";
    case OperationResult::kUnknown:
      break;
  }
  return "unknown result";
}

bool IsSuccessfulInstall(int64_t operation_code, int64_t result_code) {
  const OperationResult result = DecodeOperationResult(result_code);
  return DecodeUpdateOperation(operation_code) == UpdateOperation::kInstallation &&
         (result == OperationResult::kSucceeded || result == OperationResult::kSucceededWithErrors);
}

bool IsSecurityUpdate(std::string_view msrc_severity,
                      const std::vector<std::string>& category_ids) {
  if (!TrimAsciiWhitespace(msrc_severity).empty()) {
    return true;
  }
  for (const std::string& id : category_ids) {
    if (EqualsIgnoringAsciiCase(StripBraces(TrimAsciiWhitespace(id)), kSecurityUpdatesCategoryId)) {
      return true;
    }
  }
  return false;
}

std::string DescribeUpdateHresult(uint32_t hresult) {
  for (const KnownHresult& known : kUpdateHresults) {
    if (known.value == hresult) {
      const std::string hex = DescribeHresult(hresult);
      return hex.substr(0, hex.find(' ')) + " (" + std::string(known.description) + ")";
    }
  }
  return DescribeHresult(hresult);
}

}  // namespace mamori::parse
