#include "collector/report/report_text.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/substitute.h"
#include "absl/time/time.h"
#include "platform/parse/utf8.h"
#include "proto/codec/proto_time.h"

namespace mamori::collector::report_text {
namespace {

constexpr int kClinicUtcOffsetSeconds = 9 * 60 * 60;
constexpr absl::string_view kReplacement = "\uFFFD";

bool IsUnset(const google::protobuf::Timestamp& time) {
  return time.seconds() == 0 && time.nanos() == 0;
}

std::string FormatClinic(const google::protobuf::Timestamp& time, const char* format) {
  if (IsUnset(time)) {
    return "";
  }
  return absl::FormatTime(format, codec::FromProtoTimestamp(time),
                          absl::FixedTimeZone(kClinicUtcOffsetSeconds));
}

// The code point of the valid `length`-byte UTF-8 sequence at `text[i]`.
char32_t DecodeAt(absl::string_view text, std::size_t i, std::size_t length) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  switch (length) {
    case 1:
      return byte(0);
    case 2:
      return (char32_t{byte(0)} & 0x1F) << 6 | (byte(1) & 0x3F);
    case 3:
      return (char32_t{byte(0)} & 0x0F) << 12 | (char32_t{byte(1)} & 0x3F) << 6 | (byte(2) & 0x3F);
    default:
      return (char32_t{byte(0)} & 0x07) << 18 | (char32_t{byte(1)} & 0x3F) << 12 |
             (char32_t{byte(2)} & 0x3F) << 6 | (byte(3) & 0x3F);
  }
}

bool IsHidden(char32_t c) {
  if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F)) {
    return true;
  }
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

}  // namespace

Lang LangOf(mamori::v1::ReportLanguage language) {
  return language == mamori::v1::REPORT_LANGUAGE_EN ? Lang::kEn : Lang::kJa;
}

std::string ClinicTime(const google::protobuf::Timestamp& time) {
  return FormatClinic(time, "%Y-%m-%d %H:%M");
}

std::string ClinicDateCompact(const google::protobuf::Timestamp& time) {
  return FormatClinic(time, "%Y%m%d");
}

std::string DurationText(const google::protobuf::Duration& duration, Lang lang) {
  const std::int64_t seconds = duration.seconds();
  if (seconds <= 0) {
    return "";
  }
  const std::int64_t hours = seconds / 3600;
  const std::int64_t minutes = seconds % 3600 / 60;
  if (lang == Lang::kEn) {
    return hours > 0 ? absl::StrFormat("%d h %02d min", hours, minutes)
                     : absl::StrFormat("%d min", minutes);
  }
  return hours > 0 ? absl::StrFormat("%d時間%02d分", hours, minutes)
                   : absl::StrFormat("%d分", minutes);
}

std::string MemoryText(std::uint64_t bytes) {
  if (bytes == 0) {
    return "";
  }
  return absl::StrFormat("%.1f GB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

Word AnswerWord(mamori::v1::ChecklistAnswer answer, Lang lang) {
  switch (answer) {
    case mamori::v1::CHECKLIST_ANSWER_YES:
      return {std::string(T(kYes, lang)), Tone::kOk};
    case mamori::v1::CHECKLIST_ANSWER_NO:
      return {std::string(T(kNo, lang)), Tone::kBad};
    case mamori::v1::CHECKLIST_ANSWER_ACTION_NEEDED:
      return {std::string(T(Bilingual{"要対応", "Action needed"}, lang)), Tone::kBad};
    case mamori::v1::CHECKLIST_ANSWER_NOT_APPLICABLE:
      return {std::string(T(Bilingual{"該当なし", "Not applicable"}, lang)), Tone::kMuted};
    default:
      return {"", Tone::kNone};
  }
}

Word StatusWord(mamori::v1::FindingStatus status, Lang lang) {
  switch (status) {
    case mamori::v1::FINDING_STATUS_FAIL:
      return {std::string(T(Bilingual{"不合格", "Fail"}, lang)), Tone::kBad};
    case mamori::v1::FINDING_STATUS_WARN:
      return {std::string(T(Bilingual{"警告", "Warning"}, lang)), Tone::kWarn};
    case mamori::v1::FINDING_STATUS_UNKNOWN:
      return {std::string(T(Bilingual{"不明", "Unknown"}, lang)), Tone::kWarn};
    case mamori::v1::FINDING_STATUS_PASS:
      return {std::string(T(Bilingual{"合格", "Pass"}, lang)), Tone::kOk};
    case mamori::v1::FINDING_STATUS_NA:
      return {std::string(T(Bilingual{"対象外", "N/A"}, lang)), Tone::kMuted};
    default:
      return {"", Tone::kNone};
  }
}

Word TrendWord(mamori::v1::FindingTrend trend, Lang lang) {
  switch (trend) {
    case mamori::v1::FINDING_TREND_NEW:
      return {std::string(T(Bilingual{"新規", "New"}, lang)), Tone::kBad};
    case mamori::v1::FINDING_TREND_STILL_OPEN:
      return {std::string(T(Bilingual{"継続", "Still open"}, lang)), Tone::kWarn};
    case mamori::v1::FINDING_TREND_FIXED:
      return {std::string(T(Bilingual{"解消", "Fixed"}, lang)), Tone::kOk};
    default:
      return {"", Tone::kNone};
  }
}

Word ContactWord(mamori::v1::ContactState state, Lang lang) {
  switch (state) {
    case mamori::v1::CONTACT_STATE_ONLINE:
      return {std::string(T(Bilingual{"応答あり", "Reporting"}, lang)), Tone::kOk};
    case mamori::v1::CONTACT_STATE_OFF_EXPECTED:
      return {std::string(T(Bilingual{"時間外の電源オフ", "Off outside hours"}, lang)),
              Tone::kMuted};
    case mamori::v1::CONTACT_STATE_STALE:
      return {std::string(T(Bilingual{"応答なし", "Not reporting"}, lang)), Tone::kBad};
    case mamori::v1::CONTACT_STATE_NEVER_REPORTED:
      return {std::string(T(Bilingual{"未報告", "Never reported"}, lang)), Tone::kWarn};
    default:
      return {"", Tone::kNone};
  }
}

Word TristateWord(bool present, bool value, Lang lang) {
  if (!present) {
    return {std::string(T(kUnknownValue, lang)), Tone::kMuted};
  }
  return {std::string(T(value ? kYes : kNo, lang)), Tone::kNone};
}

std::string RoleText(absl::string_view role, Lang lang) {
  if (role == "server") {
    return std::string(T(kColServer, lang));
  }
  if (role == "workstation") {
    return std::string(T(kColWorkstation, lang));
  }
  return std::string(role);
}

std::string EquipmentText(absl::string_view equipment, Lang lang) {
  if (equipment == "network") {
    return std::string(T(kColNetwork, lang));
  }
  return RoleText(equipment, lang);
}

std::string PersonRoleText(absl::string_view role, Lang lang) {
  if (role == "admin") {
    return std::string(T(kRoleAdmin, lang));
  }
  if (role == "vendor") {
    return std::string(T(kRoleVendor, lang));
  }
  return std::string(role);
}

std::string FlagText(absl::string_view flag, Lang lang) {
  if (flag == "locked") {
    return std::string(T(Bilingual{"ロック中", "locked"}, lang));
  }
  if (flag == "password_empty") {
    return std::string(T(Bilingual{"パスワードが空", "empty password"}, lang));
  }
  if (flag == "password_never_expires") {
    return std::string(T(Bilingual{"パスワード無期限", "password never expires"}, lang));
  }
  return std::string(flag);
}

std::string DecisionText(mamori::v1::ReviewDecision decision, Lang lang) {
  switch (decision) {
    case mamori::v1::REVIEW_DECISION_KEEP:
      return std::string(T(Bilingual{"必要 (継続)", "keep"}, lang));
    case mamori::v1::REVIEW_DECISION_REMOVE:
      return std::string(T(Bilingual{"削除する", "remove"}, lang));
    case mamori::v1::REVIEW_DECISION_INVESTIGATE:
      return std::string(T(Bilingual{"調査中", "investigate"}, lang));
    default:
      return "";
  }
}

std::string OrgRecordKindText(mamori::v1::OrgRecordKind kind, Lang lang) {
  switch (kind) {
    case mamori::v1::ORG_RECORD_KIND_CLINIC:
      return std::string(T(kClinic, lang));
    case mamori::v1::ORG_RECORD_KIND_SECURITY_MANAGER:
      return std::string(T(Bilingual{"安全管理責任者", "Security manager"}, lang));
    case mamori::v1::ORG_RECORD_KIND_CONTACT_CHART:
      return std::string(T(Bilingual{"連絡体制図", "Contact chart"}, lang));
    case mamori::v1::ORG_RECORD_KIND_MDS_SDS:
      return "MDS/SDS";
    case mamori::v1::ORG_RECORD_KIND_BACKUP:
      return std::string(T(Bilingual{"バックアップの点検", "Backup checked"}, lang));
    case mamori::v1::ORG_RECORD_KIND_RESTORE_TEST:
      return std::string(T(Bilingual{"復元テスト", "Restore test"}, lang));
    case mamori::v1::ORG_RECORD_KIND_BCP:
      return "BCP";
    case mamori::v1::ORG_RECORD_KIND_DRILL:
      return std::string(T(Bilingual{"訓練", "Drill"}, lang));
    case mamori::v1::ORG_RECORD_KIND_CONFIRMATION:
      return std::string(T(Bilingual{"確認 (チェックリスト)", "Confirmation (checklist)"}, lang));
    case mamori::v1::ORG_RECORD_KIND_TARGET:
      return std::string(T(kColTargetDate, lang));
    default:
      return "";
  }
}

Bilingual KindTitle(mamori::v1::ReportKind kind) {
  switch (kind) {
    case mamori::v1::REPORT_KIND_CHECKLIST:
      return kTitleChecklist;
    case mamori::v1::REPORT_KIND_LEDGER:
      return kTitleLedger;
    case mamori::v1::REPORT_KIND_ACCOUNTS:
      return kTitleAccounts;
    case mamori::v1::REPORT_KIND_FINDINGS:
      return kTitleFindings;
    case mamori::v1::REPORT_KIND_VISIT:
      return kTitleVisit;
    default:
      return kTitleOther;
  }
}

std::string FindingHost(const mamori::v1::Finding& finding, Lang lang) {
  if (finding.agent_id().empty()) {
    return std::string(T(kWholeClinic, lang));
  }
  return finding.hostname();
}

std::string OsText(const mamori::v1::LedgerEntry& entry) {
  std::string text =
      entry.os_pretty_name().empty()
          ? absl::StrCat(entry.os_name(), entry.os_version().empty() ? "" : " ", entry.os_version())
          : entry.os_pretty_name();
  if (!entry.os_build().empty()) {
    absl::StrAppend(&text, " (", entry.os_build(), ")");
  }
  return text;
}

absl::string_view TitleText(const mamori::v1::Finding& finding, Lang lang) {
  if (lang == Lang::kEn && !finding.title_en().empty()) {
    return finding.title_en();
  }
  return finding.title_ja().empty() ? finding.title_en() : finding.title_ja();
}

absl::string_view RemediationText(const mamori::v1::Finding& finding, Lang lang) {
  if (lang == Lang::kEn && !finding.remediation_en().empty()) {
    return finding.remediation_en();
  }
  return finding.remediation_ja().empty() ? finding.remediation_en() : finding.remediation_ja();
}

std::string CleanText(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t length =
        parse::Utf8SequenceLength(std::string_view(text.data(), text.size()), i);
    if (length == 0) {
      absl::StrAppend(&out, kReplacement);
      ++i;
      continue;
    }
    const char32_t c = DecodeAt(text, i, length);
    if (c == '\r') {
      out += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
    } else if (IsHidden(c)) {
      absl::StrAppend(&out, kReplacement);
    } else {
      out.append(text.data() + i, length);
    }
    i += length;
  }
  return out;
}

}  // namespace mamori::collector::report_text
