#include "collector/ctl/output_format.h"

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/json_util.h"
#include "proto/codec/finding_status.h"
#include "proto/codec/proto_time.h"

namespace mamori::ctl {
namespace {

constexpr int kClinicUtcOffsetSeconds = 9 * 60 * 60;

std::string Count(std::int64_t value) { return absl::StrCat(value); }

// An optional bool the host could not always tell.
std::string Tristate(bool present, bool value) {
  if (!present) {
    return "?";
  }
  return value ? "yes" : "no";
}

std::string YesNo(bool value) { return value ? "yes" : ""; }

std::string Join(const google::protobuf::RepeatedPtrField<std::string>& values) {
  return absl::StrJoin(values, ", ");
}

std::string OsText(const std::string& pretty_name, const std::string& name,
                   const std::string& version) {
  if (!pretty_name.empty()) {
    return pretty_name;
  }
  return version.empty() ? name : absl::StrCat(name, " ", version);
}

std::string MemoryText(std::uint64_t bytes) {
  if (bytes == 0) {
    return "";
  }
  return absl::StrFormat("%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
}

std::string ReviewText(const mamori::v1::AccountEntry& account) {
  if (!account.has_review()) {
    return "";
  }
  std::string text = ReviewDecisionText(account.review().decision());
  if (account.review().has_closed_at()) {
    absl::StrAppend(&text, " (closed)");
  }
  return text;
}

std::string ReviewedText(const mamori::v1::AccountEntry& account) {
  if (!account.has_review()) {
    return "";
  }
  return absl::StrCat(FormatClinicTime(account.review().reviewed_at()), " ",
                      account.review().reviewer());
}

}  // namespace

absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "table") {
    return OutputFormat::kTable;
  }
  if (text == "csv") {
    return OutputFormat::kCsv;
  }
  if (text == "json") {
    return OutputFormat::kJson;
  }
  return absl::InvalidArgumentError("--format: must be table, csv or json");
}

absl::TimeZone ClinicTimeZone() { return absl::FixedTimeZone(kClinicUtcOffsetSeconds); }

std::string FormatClinicTime(const google::protobuf::Timestamp& timestamp) {
  if (timestamp.seconds() == 0 && timestamp.nanos() == 0) {
    return "";
  }
  return absl::FormatTime("%Y-%m-%d %H:%M", codec::FromProtoTimestamp(timestamp), ClinicTimeZone());
}

std::string FormatDuration(const google::protobuf::Duration& duration) {
  const std::int64_t seconds = duration.seconds();
  if (seconds <= 0) {
    return "";
  }
  const std::int64_t days = seconds / 86'400;
  const std::int64_t hours = seconds % 86'400 / 3'600;
  const std::int64_t minutes = seconds % 3'600 / 60;
  if (days > 0) {
    return absl::StrFormat("%dd%02dh", days, hours);
  }
  if (hours > 0) {
    return absl::StrFormat("%dh%02dm", hours, minutes);
  }
  if (minutes > 0) {
    return absl::StrFormat("%dm", minutes);
  }
  return absl::StrFormat("%ds", seconds);
}

absl::StatusOr<absl::Time> ParseDateArgument(std::string_view text) {
  const std::string input(text);
  absl::Time time;
  std::string error;
  if (absl::ParseTime("%Y-%m-%d", input, ClinicTimeZone(), &time, &error)) {
    return time;
  }
  if (absl::ParseTime(absl::RFC3339_full, input, &time, &error)) {
    return time;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("'", input, "' is neither YYYY-MM-DD nor an RFC 3339 time such as ",
                   "2026-11-27T09:00:00+09:00"));
}

std::string FindingStatusText(mamori::v1::FindingStatus status) {
  const std::string_view name = codec::FindingStatusName(status);
  return name.empty() ? "-" : std::string(name);
}

absl::StatusOr<mamori::v1::FindingStatus> FindingStatusFromText(std::string_view text) {
  if (std::optional<mamori::v1::FindingStatus> status = codec::FindingStatusFromName(text)) {
    return *status;
  }
  return absl::InvalidArgumentError("--status: must be fail, warn, unknown, pass or na");
}

std::string ContactStateText(mamori::v1::ContactState state) {
  switch (state) {
    case mamori::v1::CONTACT_STATE_ONLINE:
      return "online";
    case mamori::v1::CONTACT_STATE_OFF_EXPECTED:
      return "off (expected)";
    case mamori::v1::CONTACT_STATE_STALE:
      return "stale";
    case mamori::v1::CONTACT_STATE_NEVER_REPORTED:
      return "never reported";
    default:
      return "-";
  }
}

std::string ReviewDecisionText(mamori::v1::ReviewDecision decision) {
  switch (decision) {
    case mamori::v1::REVIEW_DECISION_KEEP:
      return "keep";
    case mamori::v1::REVIEW_DECISION_REMOVE:
      return "remove";
    case mamori::v1::REVIEW_DECISION_INVESTIGATE:
      return "investigate";
    default:
      return "-";
  }
}

absl::StatusOr<mamori::v1::ReviewDecision> ReviewDecisionFromText(std::string_view text) {
  for (const mamori::v1::ReviewDecision decision :
       {mamori::v1::REVIEW_DECISION_KEEP, mamori::v1::REVIEW_DECISION_REMOVE,
        mamori::v1::REVIEW_DECISION_INVESTIGATE}) {
    if (ReviewDecisionText(decision) == text) {
      return decision;
    }
  }
  return absl::InvalidArgumentError("decision: must be keep, remove or investigate");
}

Table HostsTable(const mamori::v1::ListHostsResponse& response) {
  Table table{{"HOSTNAME", "ROLE", "OS", "CONTACT", "FAIL", "WARN", "LAST SEEN", "AGENT ID"}, {}};
  for (const mamori::v1::Host& host : response.hosts()) {
    table.rows.push_back({host.hostname(), host.role(),
                          OsText(host.os_pretty_name(), host.os_name(), host.os_version()),
                          ContactStateText(host.contact_state()), Count(host.failing()),
                          Count(host.warning()), FormatClinicTime(host.last_seen()),
                          host.agent_id()});
  }
  return table;
}

std::vector<Section> HostSections(const mamori::v1::GetHostResponse& response) {
  const mamori::v1::LedgerEntry& ledger = response.ledger();
  const mamori::v1::HostAnnotations& notes = ledger.annotations();
  Table fields{{"FIELD", "VALUE"}, {}};
  const auto field = [&](std::string name, std::string value) {
    fields.rows.push_back({std::move(name), std::move(value)});
  };
  field("hostname", ledger.hostname());
  field("agent id", ledger.agent_id());
  field("role", ledger.role());
  field("contact", ContactStateText(ledger.contact_state()));
  field("failing / warning", absl::StrCat(ledger.failing(), " / ", ledger.warning()));
  field("OS", OsText(ledger.os_pretty_name(), ledger.os_name(), ledger.os_version()));
  field("OS edition", ledger.os_edition());
  field("OS version", ledger.os_version());
  field("OS build", ledger.os_build());
  field("end of support", ledger.end_of_support());
  field("manufacturer", ledger.manufacturer());
  field("model", ledger.model());
  field("serial number", ledger.serial_number());
  field("CPU", ledger.cpu_model());
  field("memory", MemoryText(ledger.memory_bytes()));
  field("addresses", Join(ledger.addresses()));
  field("MAC addresses", Join(ledger.mac_addresses()));
  field("software", Count(ledger.software_count()));
  field("agent version", ledger.agent_version());
  field("first seen", FormatClinicTime(ledger.first_seen()));
  field("last seen", FormatClinicTime(ledger.last_seen()));
  field("facts collected", FormatClinicTime(response.facts_collected_at()));
  field("location", notes.location());
  field("purpose", notes.purpose());
  field("person in charge", notes.person_in_charge());
  if (!notes.updated_by().empty()) {
    field("ledger edited",
          absl::StrCat(FormatClinicTime(notes.updated_at()), " by ", notes.updated_by()));
  }

  Table findings{{"STATUS", "RULE", "AREA", "SINCE", "TITLE", "EVIDENCE"}, {}};
  for (const mamori::v1::Finding& finding : response.findings()) {
    findings.rows.push_back({FindingStatusText(finding.status()), finding.rule_id(), finding.area(),
                             FormatClinicTime(finding.since()), finding.title_ja(),
                             finding.evidence()});
  }
  Table history{{"AT", "RULE", "OLD", "NEW", "EVIDENCE"}, {}};
  for (const mamori::v1::FindingChange& change : response.history()) {
    history.rows.push_back({FormatClinicTime(change.at()), change.rule_id(),
                            FindingStatusText(change.old_status()),
                            FindingStatusText(change.new_status()), change.evidence()});
  }
  mamori::v1::ListIdleEpisodesResponse idle;
  *idle.mutable_episodes() = response.idle_episodes();
  return {Section{"Ledger", std::move(fields)}, Section{"Findings", std::move(findings)},
          Section{"History", std::move(history)},
          Section{"Idle episodes", IdleEpisodesTable(idle)}};
}

Table FindingsTable(const mamori::v1::ListFindingsResponse& response) {
  Table table{{"STATUS", "HOST", "RULE", "AREA", "SINCE", "TITLE", "EVIDENCE"}, {}};
  for (const mamori::v1::Finding& finding : response.findings()) {
    table.rows.push_back({FindingStatusText(finding.status()), finding.hostname(),
                          finding.rule_id(), finding.area(), FormatClinicTime(finding.since()),
                          finding.title_ja(), finding.evidence()});
  }
  return table;
}

Table HistoryTable(const mamori::v1::ListFindingHistoryResponse& response) {
  Table table{{"AT", "HOST", "RULE", "OLD", "NEW", "EVIDENCE"}, {}};
  for (const mamori::v1::FindingChange& change : response.changes()) {
    table.rows.push_back({FormatClinicTime(change.at()), change.hostname(), change.rule_id(),
                          FindingStatusText(change.old_status()),
                          FindingStatusText(change.new_status()), change.evidence()});
  }
  return table;
}

Table LedgerTable(const mamori::v1::ListLedgerResponse& response) {
  Table table{{"HOSTNAME", "ROLE", "OS", "END OF SUPPORT", "MODEL", "SERIAL", "ADDRESSES",
               "LOCATION", "PURPOSE", "PERSON IN CHARGE", "FAIL", "WARN", "CONTACT", "LAST SEEN"},
              {}};
  for (const mamori::v1::LedgerEntry& entry : response.entries()) {
    table.rows.push_back(
        {entry.hostname(), entry.role(),
         OsText(entry.os_pretty_name(), entry.os_name(), entry.os_version()),
         entry.end_of_support(),
         entry.manufacturer().empty() ? entry.model()
                                      : absl::StrCat(entry.manufacturer(), " ", entry.model()),
         entry.serial_number(), Join(entry.addresses()), entry.annotations().location(),
         entry.annotations().purpose(), entry.annotations().person_in_charge(),
         Count(entry.failing()), Count(entry.warning()), ContactStateText(entry.contact_state()),
         FormatClinicTime(entry.last_seen())});
  }
  return table;
}

Table AnnotationsTable(const mamori::v1::UpdateHostAnnotationsResponse& response) {
  const mamori::v1::HostAnnotations& notes = response.annotations();
  return Table{{"AGENT ID", "LOCATION", "PURPOSE", "PERSON IN CHARGE", "UPDATED BY", "UPDATED AT"},
               {{response.agent_id(), notes.location(), notes.purpose(), notes.person_in_charge(),
                 notes.updated_by(), FormatClinicTime(notes.updated_at())}}};
}

Table SoftwareTable(const mamori::v1::ListSoftwareResponse& response, bool by_host) {
  if (by_host) {
    Table table{{"HOSTNAME", "NAME", "VERSION", "PUBLISHER", "INSTALLED"}, {}};
    for (const mamori::v1::SoftwareInstall& install : response.installs()) {
      table.rows.push_back({install.hostname(), install.name(), install.version(),
                            install.publisher(), FormatClinicTime(install.installed_at())});
    }
    return table;
  }
  Table table{{"NAME", "VERSION", "PUBLISHER", "HOSTS"}, {}};
  for (const mamori::v1::SoftwareVersion& version : response.versions()) {
    table.rows.push_back(
        {version.name(), version.version(), version.publisher(), Count(version.host_count())});
  }
  return table;
}

Table AccountsTable(const google::protobuf::RepeatedPtrField<mamori::v1::AccountEntry>& accounts) {
  Table table{{"DUE", "HOSTNAME", "ACCOUNT", "ENABLED", "ADMIN", "SYSTEM", "LAST LOGON",
               "PASSWORD AGE", "FLAGS", "RULES", "REMOVED", "REVIEW", "REVIEWED", "REASON"},
              {}};
  for (const mamori::v1::AccountEntry& account : accounts) {
    table.rows.push_back(
        {YesNo(account.due()), account.hostname(), account.name(),
         Tristate(account.has_enabled(), account.enabled()),
         Tristate(account.has_admin(), account.admin()), YesNo(account.system_account()),
         FormatClinicTime(account.last_logon()),
         account.has_password_age_days() ? absl::StrCat(account.password_age_days(), "d") : "",
         Join(account.flags()), Join(account.rule_ids()), FormatClinicTime(account.removed_at()),
         ReviewText(account), ReviewedText(account), account.due_reason()});
  }
  return table;
}

Table IdleEpisodesTable(const mamori::v1::ListIdleEpisodesResponse& response) {
  Table table{{"HOSTNAME", "FROM", "TO", "MAX IDLE", "IDLE SINCE", "LOCKED", "OPEN"}, {}};
  for (const mamori::v1::IdleEpisode& episode : response.episodes()) {
    table.rows.push_back({episode.hostname(), FormatClinicTime(episode.from()),
                          FormatClinicTime(episode.to()), FormatDuration(episode.max_idle()),
                          FormatClinicTime(episode.idle_since()),
                          Tristate(episode.has_locked(), episode.locked()), YesNo(episode.open())});
  }
  return table;
}

Table AuditTable(const mamori::v1::ListAuditEventsResponse& response) {
  Table table{{"AT", "ACTOR", "ROLE", "ACTION", "TARGET", "OUTCOME", "DETAIL"}, {}};
  for (const mamori::v1::AuditEvent& event : response.events()) {
    table.rows.push_back({FormatClinicTime(event.at()), event.actor(), event.role(), event.action(),
                          event.target(), event.outcome(), event.detail()});
  }
  return table;
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot write JSON: ", status.ToString()));
  }
  if (json.empty() || json.back() != '\n') {
    json += '\n';
  }
  return json;
}

absl::StatusOr<std::string> RenderOutput(OutputFormat format,
                                         const google::protobuf::Message& message,
                                         const std::vector<Section>& sections) {
  switch (format) {
    case OutputFormat::kJson:
      return ToJson(message);
    case OutputFormat::kTable: {
      std::string out;
      for (const Section& section : sections) {
        if (!out.empty()) {
          out += '\n';
        }
        if (!section.title.empty()) {
          absl::StrAppend(&out, "== ", section.title, " ==\n");
        }
        out += RenderTable(section.table);
      }
      return out;
    }
    case OutputFormat::kCsv: {
      std::string out;
      for (const Section& section : sections) {
        std::string csv = RenderCsv(section.table);
        if (!out.empty()) {
          // One byte order mark, at the start of the file.
          csv.erase(0, 3);
          out += "\r\n";
        }
        if (!section.title.empty()) {
          const std::string title = absl::StrCat(CsvField(section.title), "\r\n");
          csv.insert(out.empty() ? 3 : 0, title);
        }
        out += csv;
      }
      return out;
    }
  }
  return absl::InternalError("unknown output format");
}

}  // namespace mamori::ctl
