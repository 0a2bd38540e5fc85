// The spelling of report kinds, formats and languages ("visit", "html", "en") <-> the enums of
// report.proto: what mamorictl accepts, what report_runs and the audit log store, what file names
// carry. One table each, so a new kind is added in one place.
#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>

#include "mamori/v1/report.pb.h"

namespace mamori::codec {

inline constexpr std::array<std::pair<std::string_view, mamori::v1::ReportKind>, 5>
    kReportKindNames = {{
        {"checklist", mamori::v1::REPORT_KIND_CHECKLIST},
        {"ledger", mamori::v1::REPORT_KIND_LEDGER},
        {"accounts", mamori::v1::REPORT_KIND_ACCOUNTS},
        {"findings", mamori::v1::REPORT_KIND_FINDINGS},
        {"visit", mamori::v1::REPORT_KIND_VISIT},
    }};

inline constexpr std::array<std::pair<std::string_view, mamori::v1::ReportFormat>, 3>
    kReportFormatNames = {{
        {"html", mamori::v1::REPORT_FORMAT_HTML},
        {"csv", mamori::v1::REPORT_FORMAT_CSV},
        {"json", mamori::v1::REPORT_FORMAT_JSON},
    }};

inline constexpr std::array<std::pair<std::string_view, mamori::v1::ReportLanguage>, 2>
    kReportLanguageNames = {{
        {"ja", mamori::v1::REPORT_LANGUAGE_JA},
        {"en", mamori::v1::REPORT_LANGUAGE_EN},
    }};

namespace report_names_internal {

template <typename Enum, std::size_t N>
std::string_view NameOf(const std::array<std::pair<std::string_view, Enum>, N>& table, int value) {
  for (const auto& [name, known] : table) {
    if (known == value) {
      return name;
    }
  }
  return {};
}

template <typename Enum, std::size_t N>
std::optional<Enum> ValueOf(const std::array<std::pair<std::string_view, Enum>, N>& table,
                            std::string_view name) {
  for (const auto& [known, value] : table) {
    if (known == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace report_names_internal

// "" for UNSPECIFIED and any value outside the enum.
inline std::string_view ReportKindName(int kind) {
  return report_names_internal::NameOf(kReportKindNames, kind);
}
inline std::string_view ReportFormatName(int format) {
  return report_names_internal::NameOf(kReportFormatNames, format);
}
// UNSPECIFIED is Japanese, the default.
inline std::string_view ReportLanguageName(int language) {
  return language == mamori::v1::REPORT_LANGUAGE_UNSPECIFIED
             ? "ja"
             : report_names_internal::NameOf(kReportLanguageNames, language);
}

inline std::optional<mamori::v1::ReportKind> ReportKindFromName(std::string_view name) {
  return report_names_internal::ValueOf(kReportKindNames, name);
}
inline std::optional<mamori::v1::ReportFormat> ReportFormatFromName(std::string_view name) {
  return report_names_internal::ValueOf(kReportFormatNames, name);
}
inline std::optional<mamori::v1::ReportLanguage> ReportLanguageFromName(std::string_view name) {
  return report_names_internal::ValueOf(kReportLanguageNames, name);
}

}  // namespace mamori::codec
