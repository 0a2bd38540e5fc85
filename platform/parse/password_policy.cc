// Works out password rules from login.defs, pwquality and PAM stack files.
#include "platform/parse/password_policy.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <utility>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

constexpr std::size_t kMaxArgs = 64;
constexpr int64_t kMaxSetting = 1000000;

std::optional<uint32_t> ParseSmallUnsigned(std::string_view text) {
  const auto value = ParseDecimal(text);
  if (!value || *value > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*value);
}

// "-1", "12": a signed setting of a sane size; nullopt otherwise.
std::optional<int64_t> ParseSigned(std::string_view text) {
  text = TrimAsciiWhitespace(text);
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  const auto value = ParseDecimal(text);
  if (!value || *value > static_cast<uint64_t>(kMaxSetting)) {
    return std::nullopt;
  }
  const auto magnitude = static_cast<int64_t>(*value);
  return negative ? -magnitude : magnitude;
}

std::vector<std::string_view> SplitWords(std::string_view line) {
  std::vector<std::string_view> words;
  while (words.size() <= kMaxArgs) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos) {
      break;
    }
    line = line.substr(start);
    const std::size_t end = line.find_first_of(" \t");
    words.push_back(line.substr(0, end));
    if (end == std::string_view::npos) {
      break;
    }
    line = line.substr(end);
  }
  return words;
}

QualitySettings WithSetting(QualitySettings settings, std::string_view key,
                            std::string_view value) {
  const auto number = ParseSigned(value);
  if (!number) {
    return settings;
  }
  if (key == "minlen") {
    settings.minlen = number;
  } else if (key == "minclass") {
    settings.minclass = number;
  } else if (key == "dcredit") {
    settings.dcredit = number;
  } else if (key == "ucredit") {
    settings.ucredit = number;
  } else if (key == "lcredit") {
    settings.lcredit = number;
  } else if (key == "ocredit") {
    settings.ocredit = number;
  }
  return settings;
}

uint32_t ClampToUnsigned(int64_t value) {
  return static_cast<uint32_t>(std::clamp<int64_t>(value, 0, kMaxSetting));
}

}  // namespace

LoginDefs ParseLoginDefs(std::string_view text) {
  LoginDefs defs;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      return;
    }
    const auto words = SplitWords(line);
    if (words.size() < 2) {
      return;
    }
    if (words[0] == "PASS_MAX_DAYS") {
      if (const auto days = ParseSmallUnsigned(words[1])) {
        defs.pass_max_days = days;
      }
    } else if (words[0] == "UID_MIN") {
      if (const auto uid = ParseSmallUnsigned(words[1])) {
        defs.uid_min = uid;
      }
    }
  });
  return defs;
}

QualitySettings ParsePwqualityConf(std::string_view text) {
  QualitySettings settings;
  ForEachBoundedLine(text, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') {
      return;
    }
    if (const auto pair = SplitKeyValue(line, '=')) {
      settings = WithSetting(std::move(settings), pair->key, pair->value);
    }
  });
  return settings;
}

QualitySettings ParseQualityArgs(const std::vector<std::string>& args) {
  QualitySettings settings;
  for (const std::string& arg : args) {
    if (const auto pair = SplitKeyValue(arg, '=')) {
      settings = WithSetting(std::move(settings), pair->key, pair->value);
    }
  }
  return settings;
}

QualitySettings OverlayQuality(const QualitySettings& base, const QualitySettings& top) {
  QualitySettings merged = base;
  if (top.minlen) {
    merged.minlen = top.minlen;
  }
  if (top.minclass) {
    merged.minclass = top.minclass;
  }
  if (top.dcredit) {
    merged.dcredit = top.dcredit;
  }
  if (top.ucredit) {
    merged.ucredit = top.ucredit;
  }
  if (top.lcredit) {
    merged.lcredit = top.lcredit;
  }
  if (top.ocredit) {
    merged.ocredit = top.ocredit;
  }
  return merged;
}

std::optional<std::vector<std::string>> FindPamModuleArgs(std::string_view pam_file,
                                                          std::string_view type,
                                                          std::string_view module) {
  std::optional<std::vector<std::string>> found;
  ForEachBoundedLine(pam_file, [&](std::string_view line) {
    line = TrimAsciiWhitespace(line);
    if (found || line.empty() || line.front() == '#') {
      return;
    }
    // A leading '-' only silences a missing module; the line still counts.
    if (line.front() == '-') {
      line.remove_prefix(1);
    }
    auto words = SplitWords(line);
    if (words.size() < 3 || words[0] != type) {
      return;
    }
    // The control field may be "[success=1 default=ignore]", spaces included.
    std::size_t module_at = 2;
    if (words[1].front() == '[') {
      module_at = 1;
      while (module_at < words.size() && words[module_at].back() != ']') {
        ++module_at;
      }
      ++module_at;
    }
    if (module_at >= words.size()) {
      return;
    }
    std::string_view path = words[module_at];
    const std::size_t slash = path.rfind('/');
    if (slash != std::string_view::npos) {
      path = path.substr(slash + 1);
    }
    if (path != module) {
      return;
    }
    std::vector<std::string> args;
    for (std::size_t i = module_at + 1; i < words.size(); ++i) {
      args.emplace_back(words[i]);
    }
    found = std::move(args);
  });
  return found;
}

std::optional<std::string> PamArgValue(const std::vector<std::string>& args, std::string_view key) {
  for (const std::string& arg : args) {
    const auto pair = SplitKeyValue(arg, '=');
    if (pair && pair->key == key) {
      return std::string(pair->value);
    }
  }
  return std::nullopt;
}

PasswordRequirements ComputePasswordRequirements(QualityModule module,
                                                 const QualitySettings& settings) {
  PasswordRequirements requirements;
  if (module == QualityModule::kNone) {
    return requirements;
  }
  if (module == QualityModule::kUnixOnly) {
    // pam_unix(8): minlen defaults to 6; it has no character-class rule.
    requirements.min_length = ClampToUnsigned(settings.minlen.value_or(6));
    requirements.min_classes = 0;
    return requirements;
  }
  const bool cracklib = module == QualityModule::kCracklib;
  const int64_t minlen = settings.minlen.value_or(cracklib ? 9 : 8);
  const int64_t default_credit = cracklib ? 1 : 0;
  int64_t positive_credits = 0;
  int64_t required_classes = 0;
  for (const auto& credit :
       {settings.dcredit, settings.ucredit, settings.lcredit, settings.ocredit}) {
    const int64_t value = credit.value_or(default_credit);
    if (value > 0) {
      positive_credits += value;
    } else if (value < 0) {
      ++required_classes;
    }
  }
  // Each character counts once, plus once more while its class still has credit: a password of
  // length L scores at most L + min(L, credits), so the shortest accepted one is
  // max(minlen - credits, ceil(minlen / 2)).
  const int64_t shortest = std::max(minlen - positive_credits, (minlen + 1) / 2);
  requirements.min_length = ClampToUnsigned(shortest);
  requirements.min_classes =
      ClampToUnsigned(std::max(settings.minclass.value_or(0), required_classes));
  return requirements;
}

}  // namespace mamori::parse
