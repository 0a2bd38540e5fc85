#include "collector/report/report_builder.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "collector/report/checklist_answers.h"
#include "collector/storage/stored_time.h"
#include "nlohmann/json.hpp"
#include "platform/rules/checklist.h"
#include "platform/rules/org_rules.h"
#include "platform/rules/rule_catalogue.h"
#include "proto/codec/finding_status.h"
#include "proto/codec/proto_time.h"
#include "proto/codec/report_names.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;

// What one report covers at most; beyond, the clinic pulls the parts one by one (or this is not a
// clinic). Far above a clinic's few dozen machines, and low enough to keep a report in memory.
constexpr int kMaxHosts = 5000;
constexpr int kMaxAccounts = 200'000;
constexpr int kMaxSoftwareRows = 100'000;
constexpr int kMaxOpenFindings = 200'000;  // kMaxHosts hosts x the catalogue's rules, rounded up
constexpr int kMaxIdleEpisodes = 50'000;
// The previous report's open findings are read back whole: bounded like the findings themselves
// (host names are at most 4 KiB each, most are a few bytes).
constexpr std::size_t kMaxPreviousOpenFindingsBytes = 64 * 1024 * 1024;
// Without a previous report, the visit report shows the idle episodes of this long.
constexpr absl::Duration kDefaultPeriod = absl::Hours(24 * 30);

constexpr std::string_view kAgentContactRule = "MAM-AGENT-001";

std::string Str(std::string_view text) { return std::string(text); }

absl::string_view Sv(std::string_view text) { return absl::string_view(text.data(), text.size()); }

absl::Status TooMany(absl::string_view what, std::int64_t count, std::int64_t bound,
                     absl::string_view advice) {
  return absl::ResourceExhaustedError(absl::StrCat("the collector knows ", count, " ", what,
                                                   ", more than the ", bound, " a report covers; ",
                                                   advice));
}

// Pages through one of the knowledge reader's listings, largest pages first.
template <typename Request, typename Fetch, typename Take>
absl::Status PageThrough(Request request, Fetch fetch, Take take) {
  request.mutable_page()->set_page_size(kMaxPageSize);
  for (;;) {
    auto response = fetch(request);
    if (!response.ok()) {
      return response.status();
    }
    if (absl::Status status = take(*response); !status.ok()) {
      return status;
    }
    if (response->next_page_token().empty()) {
      return absl::OkStatus();
    }
    request.mutable_page()->set_page_token(response->next_page_token());
  }
}

// ---- Names --------------------------------------------------------------------------------------

// ---- Time ---------------------------------------------------------------------------------------

absl::TimeZone ClinicZone(const rules::Policy& policy) {
  return absl::FixedTimeZone(static_cast<int>(policy.business_hours.utc_offset.count()) * 60);
}

// "Asia/Tokyo (+09:00)"; a zone given as an offset is shown as that offset.
std::string ZoneLabel(const rules::Policy& policy) {
  const std::int64_t minutes = policy.business_hours.utc_offset.count();
  const std::int64_t magnitude = minutes < 0 ? -minutes : minutes;
  const std::string offset =
      absl::StrFormat("%c%02d:%02d", minutes < 0 ? '-' : '+', magnitude / 60, magnitude % 60);
  const std::string& name = policy.business_hours.time_zone;
  if (name.empty() || name == offset) {
    return offset;
  }
  return absl::StrCat(name, " (", offset, ")");
}

// ---- Findings -----------------------------------------------------------------------------------

int StatusRank(v1::FindingStatus status) {
  switch (status) {
    case v1::FINDING_STATUS_FAIL:
      return 0;
    case v1::FINDING_STATUS_WARN:
      return 1;
    case v1::FINDING_STATUS_UNKNOWN:
      return 2;
    case v1::FINDING_STATUS_PASS:
      return 3;
    default:
      return 4;
  }
}

bool IsOpen(v1::FindingStatus status) {
  return status == v1::FINDING_STATUS_FAIL || status == v1::FINDING_STATUS_WARN ||
         status == v1::FINDING_STATUS_UNKNOWN;
}

// Clinic findings (no agent) first, then by host name, rule id, agent id.
auto PlaceKey(const v1::Finding& finding) {
  return std::make_tuple(!finding.agent_id().empty(), std::cref(finding.hostname()),
                         std::cref(finding.rule_id()), std::cref(finding.agent_id()));
}

using FindingKey = std::pair<std::string, std::string>;  // agent id ("" for the clinic), rule id

FindingKey KeyOf(const v1::Finding& finding) { return {finding.agent_id(), finding.rule_id()}; }

// A finding of a host that is gone (or a rule this collector no longer has), as far as the
// previous report and the catalogues still tell.
v1::Finding GoneFinding(const std::string& agent_id, const std::string& hostname,
                        const std::string& rule_id) {
  v1::Finding finding;
  finding.set_agent_id(agent_id);
  finding.set_hostname(hostname);
  finding.set_rule_id(rule_id);
  finding.set_title_ja(rule_id);
  finding.set_title_en(rule_id);
  for (const rules::RuleDefinition& rule : rules::RuleCatalogue()) {
    if (rule.id == rule_id) {
      finding.set_area(Str(rule.area));
      finding.set_title_ja(Str(rule.title.ja));
      finding.set_title_en(Str(rule.title.en));
    }
  }
  for (const rules::OrgRuleDefinition& rule : rules::OrgRuleCatalogue()) {
    if (rule.id == rule_id) {
      finding.set_area("ORG");
      finding.set_title_ja(Str(rule.title.ja));
      finding.set_title_en(Str(rule.title.en));
    }
  }
  return finding;
}

struct PreviousFinding {
  std::string hostname;
  v1::FindingStatus status = v1::FINDING_STATUS_UNSPECIFIED;
};

struct PreviousReport {
  absl::Time generated_at;
  std::map<FindingKey, PreviousFinding> open;
};

absl::StatusOr<std::map<FindingKey, PreviousFinding>> ParseOpenFindings(const std::string& text,
                                                                        std::int64_t run_id) {
  auto damaged = [run_id](std::string_view what) {
    return absl::DataLossError(
        absl::StrCat("report run ", run_id, ": the stored open findings ", Sv(what)));
  };
  if (text.size() > kMaxPreviousOpenFindingsBytes) {
    return damaged("are larger than any report writes");
  }
  const nlohmann::json list = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!list.is_array()) {
    return damaged("are not a JSON array");
  }
  std::map<FindingKey, PreviousFinding> open;
  for (const nlohmann::json& entry : list) {
    auto text_of = [&entry](const char* key) -> std::optional<std::string> {
      if (!entry.is_object()) {
        return std::nullopt;
      }
      auto it = entry.find(key);
      if (it == entry.end() || !it->is_string()) {
        return std::nullopt;
      }
      return it->get<std::string>();
    };
    std::optional<std::string> agent_id = text_of("agent_id");
    std::optional<std::string> hostname = text_of("hostname");
    std::optional<std::string> rule_id = text_of("rule_id");
    std::optional<std::string> status_name = text_of("status");
    if (!agent_id || !hostname || !rule_id || !status_name) {
      return damaged("hold an entry without agent_id, hostname, rule_id and status");
    }
    std::optional<v1::FindingStatus> status = codec::FindingStatusFromName(*status_name);
    if (!status.has_value()) {
      return damaged(absl::StrCat("hold the unknown status '", *status_name, "'"));
    }
    open[{*agent_id, *rule_id}] = PreviousFinding{*hostname, *status};
  }
  return open;
}

// The newest findings or visit report generated before `before` (the start of today, clinic
// time), so every format pulled on one visit day compares with the same baseline.
absl::StatusOr<std::optional<PreviousReport>> LoadPreviousReport(Database& db, absl::Time before) {
  return db.QueryOptionalRow<PreviousReport>(
      "SELECT run_id, generated_at, open_findings FROM report_runs "
      "WHERE kind IN ('findings', 'visit') AND julianday(generated_at) < julianday(?1) "
      "ORDER BY julianday(generated_at) DESC, run_id DESC LIMIT 1",
      {FormatStoredTime(before)}, [](const Statement& row) -> absl::StatusOr<PreviousReport> {
        const std::int64_t run_id = row.ColumnInt64(0);
        absl::StatusOr<absl::Time> generated_at = ParseStoredTime(row.ColumnText(1));
        if (!generated_at.ok()) {
          return generated_at.status();
        }
        absl::StatusOr<std::map<FindingKey, PreviousFinding>> open =
            ParseOpenFindings(row.ColumnText(2), run_id);
        if (!open.ok()) {
          return open.status();
        }
        return PreviousReport{*generated_at, *std::move(open)};
      });
}

// ---- What the builder gathers -------------------------------------------------------------------

struct Gathered {
  std::vector<v1::LedgerEntry> ledger;            // by host name
  std::map<std::string, std::size_t> host_index;  // agent id -> index in ledger
  // Each host's verdict of each rule the checklist needs.
  std::vector<std::map<std::string, v1::FindingStatus, std::less<>>> statuses;
  std::vector<v1::Finding> open_host_findings;
  std::vector<v1::OrgRecord> records;        // current
  std::vector<v1::Finding> clinic_findings;  // all statuses
  std::vector<v1::AccountEntry> accounts;
  int accounts_due = 0;
};

}  // namespace

absl::StatusOr<v1::Report> ReportBuilder::Build(const ReportRequest& request,
                                                const rules::Policy& policy) {
  const v1::ReportKind kind = request.kind;
  if (codec::ReportKindName(kind).empty()) {
    return absl::InvalidArgumentError(
        "kind: must be checklist, ledger, accounts, findings or visit");
  }
  const absl::Time now = request.now;
  const absl::TimeZone zone = ClinicZone(policy);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const absl::Time start_of_today = absl::FromCivil(today, zone);

  Gathered g;

  // The ledger: every host the collector knows, by name.
  {
    v1::ListLedgerRequest ledger_request;
    absl::Status status = PageThrough(
        ledger_request, [&](const auto& r) { return knowledge_.ListLedger(r); },
        [&](v1::ListLedgerResponse& page) -> absl::Status {
          if (page.total() > kMaxHosts) {
            return TooMany("hosts", page.total(), kMaxHosts,
                           "remove retired hosts (mamori-collector hosts remove)");
          }
          for (v1::LedgerEntry& entry : *page.mutable_entries()) {
            g.host_index[entry.agent_id()] = g.ledger.size();
            g.ledger.push_back(std::move(entry));
          }
          if (g.ledger.size() > static_cast<std::size_t>(kMaxHosts)) {
            return TooMany("hosts", static_cast<std::int64_t>(g.ledger.size()), kMaxHosts,
                           "remove retired hosts");
          }
          return absl::OkStatus();
        });
    if (!status.ok()) {
      return status;
    }
  }
  g.statuses.resize(g.ledger.size());

  // The verdicts the checklist needs: every status of its host rules on every host.
  {
    std::set<std::string, std::less<>> rule_ids = {Str(kAgentContactRule)};
    for (const rules::ChecklistItemDefinition& item : rules::Checklist()) {
      if (item.source != rules::ChecklistSource::kHosts) {
        continue;
      }
      for (std::string_view rule : item.rules) {
        if (!rule.starts_with("MAM-ORG-")) {
          rule_ids.insert(Str(rule));
        }
      }
    }
    for (const std::string& rule_id : rule_ids) {
      v1::ListFindingsRequest findings_request;
      findings_request.set_rule_id(rule_id);
      for (const auto& [name, value] : codec::kFindingStatusNames) {
        findings_request.add_statuses(value);
      }
      absl::Status status = PageThrough(
          findings_request, [&](const auto& r) { return knowledge_.ListFindings(r); },
          [&](const v1::ListFindingsResponse& page) -> absl::Status {
            for (const v1::Finding& finding : page.findings()) {
              auto it = g.host_index.find(finding.agent_id());
              if (it != g.host_index.end()) {
                g.statuses[it->second][finding.rule_id()] = finding.status();
              }
            }
            return absl::OkStatus();
          });
      if (!status.ok()) {
        return status;
      }
    }
  }

  // The hosts' open findings: fail, warn, unknown.
  {
    v1::ListFindingsRequest findings_request;
    absl::Status status = PageThrough(
        findings_request, [&](const auto& r) { return knowledge_.ListFindings(r); },
        [&](v1::ListFindingsResponse& page) -> absl::Status {
          if (page.total() > kMaxOpenFindings) {
            return TooMany("open findings", page.total(), kMaxOpenFindings,
                           "list them with mamorictl findings");
          }
          for (v1::Finding& finding : *page.mutable_findings()) {
            g.open_host_findings.push_back(std::move(finding));
          }
          if (g.open_host_findings.size() > static_cast<std::size_t>(kMaxOpenFindings)) {
            return TooMany("open findings", static_cast<std::int64_t>(g.open_host_findings.size()),
                           kMaxOpenFindings, "list them with mamorictl findings");
          }
          return absl::OkStatus();
        });
    if (!status.ok()) {
      return status;
    }
  }

  // The register: its current records and the clinic's MAM-ORG findings as of now.
  {
    v1::ListOrgEvidenceRequest org_request;
    org_request.set_include_history(false);
    absl::StatusOr<v1::ListOrgEvidenceResponse> org = org_.List(org_request, policy, now);
    if (!org.ok()) {
      return org.status();
    }
    for (v1::OrgRecord& record : *org->mutable_records()) {
      g.records.push_back(std::move(record));
    }
    for (v1::Finding& finding : *org->mutable_findings()) {
      // Clinic findings are about no host, whatever the store filled in.
      finding.clear_agent_id();
      finding.clear_hostname();
      g.clinic_findings.push_back(std::move(finding));
    }
  }

  // The previous report: the baseline of trends and the start of the period.
  absl::StatusOr<std::optional<PreviousReport>> previous = LoadPreviousReport(db_, start_of_today);
  if (!previous.ok()) {
    return previous.status();
  }
  const absl::Time period_from =
      previous->has_value() ? (*previous)->generated_at : now - kDefaultPeriod;

  // Accounts, host by host (each listing reads one host's accounts): system accounts left out;
  // removed ones kept when they were reviewed or removed within the period.
  {
    std::vector<v1::AccountEntry> due;
    std::vector<v1::AccountEntry> rest;
    for (const v1::LedgerEntry& host : g.ledger) {
      v1::ListAccountsRequest accounts_request;
      accounts_request.set_host(host.agent_id());
      accounts_request.set_include_system(false);
      accounts_request.set_include_removed(true);
      absl::Status status = PageThrough(
          accounts_request, [&](const auto& r) { return knowledge_.ListAccounts(r, policy, now); },
          [&](v1::ListAccountsResponse& page) -> absl::Status {
            for (v1::AccountEntry& account : *page.mutable_accounts()) {
              if (account.has_removed_at() && !account.has_review() &&
                  codec::FromProtoTimestamp(account.removed_at()) < period_from) {
                continue;
              }
              if (account.due()) {
                due.push_back(std::move(account));
              } else {
                rest.push_back(std::move(account));
              }
            }
            if (due.size() + rest.size() > static_cast<std::size_t>(kMaxAccounts)) {
              return TooMany("accounts", static_cast<std::int64_t>(due.size() + rest.size()),
                             kMaxAccounts, "pull the account review host by host");
            }
            return absl::OkStatus();
          });
      if (!status.ok()) {
        return status;
      }
    }
    g.accounts_due = static_cast<int>(due.size());
    g.accounts = std::move(due);
    std::move(rest.begin(), rest.end(), std::back_inserter(g.accounts));
  }

  v1::Report report;
  report.set_schema(kReportSchema);
  report.set_kind(kind);

  // ---- Findings with trends ----
  std::vector<v1::ReportFinding> findings;
  {
    std::vector<v1::Finding> open = std::move(g.open_host_findings);
    for (const v1::Finding& finding : g.clinic_findings) {
      if (IsOpen(finding.status())) {
        open.push_back(finding);
      }
    }
    std::stable_sort(open.begin(), open.end(), [](const v1::Finding& a, const v1::Finding& b) {
      const int ra = StatusRank(a.status());
      const int rb = StatusRank(b.status());
      if (ra != rb) {
        return ra < rb;
      }
      return PlaceKey(a) < PlaceKey(b);
    });
    std::set<FindingKey> open_now;
    for (v1::Finding& finding : open) {
      open_now.insert(KeyOf(finding));
      v1::ReportFinding& entry = findings.emplace_back();
      if (previous->has_value()) {
        auto it = (*previous)->open.find(KeyOf(finding));
        if (it == (*previous)->open.end()) {
          entry.set_trend(v1::FINDING_TREND_NEW);
        } else {
          entry.set_trend(v1::FINDING_TREND_STILL_OPEN);
          entry.set_previous_status(it->second.status);
        }
      }
      *entry.mutable_finding() = std::move(finding);
    }

    if (previous->has_value()) {
      // Open then, not now: fixed. The finding shown is the current one, or (host gone) what
      // the previous report said.
      std::map<std::string, std::vector<std::pair<FindingKey, PreviousFinding>>> fixed_by_agent;
      for (const auto& [key, was] : (*previous)->open) {
        if (!open_now.contains(key)) {
          fixed_by_agent[key.first].emplace_back(key, was);
        }
      }
      std::vector<v1::ReportFinding> fixed;
      for (const auto& [agent_id, entries] : fixed_by_agent) {
        std::map<std::string, v1::Finding> current;  // by rule id
        if (agent_id.empty()) {
          for (const v1::Finding& finding : g.clinic_findings) {
            current[finding.rule_id()] = finding;
          }
        } else if (g.host_index.contains(agent_id)) {
          v1::ListFindingsRequest host_request;
          host_request.set_host(agent_id);
          for (const auto& [name, value] : codec::kFindingStatusNames) {
            host_request.add_statuses(value);
          }
          absl::Status status = PageThrough(
              host_request, [&](const auto& r) { return knowledge_.ListFindings(r); },
              [&](v1::ListFindingsResponse& page) -> absl::Status {
                for (v1::Finding& finding : *page.mutable_findings()) {
                  if (finding.agent_id() == agent_id) {
                    current[finding.rule_id()] = std::move(finding);
                  }
                }
                return absl::OkStatus();
              });
          if (!status.ok()) {
            return status;
          }
        }
        for (const auto& [key, was] : entries) {
          v1::ReportFinding& entry = fixed.emplace_back();
          entry.set_trend(v1::FINDING_TREND_FIXED);
          entry.set_previous_status(was.status);
          auto it = current.find(key.second);
          *entry.mutable_finding() =
              it != current.end() ? it->second : GoneFinding(key.first, was.hostname, key.second);
        }
      }
      std::stable_sort(fixed.begin(), fixed.end(),
                       [](const v1::ReportFinding& a, const v1::ReportFinding& b) {
                         return PlaceKey(a.finding()) < PlaceKey(b.finding());
                       });
      std::move(fixed.begin(), fixed.end(), std::back_inserter(findings));
    }
  }

  // ---- Checklist ----
  std::vector<v1::ChecklistItem> checklist;
  {
    ChecklistEvidence evidence;
    for (std::size_t i = 0; i < g.ledger.size(); ++i) {
      evidence.hosts.push_back(
          ChecklistHost{g.ledger[i].hostname(), g.ledger[i].role(), g.statuses[i]});
    }
    evidence.clinic_findings = g.clinic_findings;
    evidence.records = g.records;
    evidence.accounts_due = g.accounts_due;
    evidence.today = today;
    checklist = AnswerChecklist(evidence);
  }

  // ---- Idle episodes within the period ----
  std::vector<v1::IdleEpisode> episodes;
  {
    v1::ListIdleEpisodesRequest episodes_request;
    *episodes_request.mutable_since() = codec::ToProtoTimestamp(period_from);
    absl::Status status = PageThrough(
        episodes_request, [&](const auto& r) { return knowledge_.ListIdleEpisodes(r); },
        [&](v1::ListIdleEpisodesResponse& page) -> absl::Status {
          for (v1::IdleEpisode& episode : *page.mutable_episodes()) {
            episodes.push_back(std::move(episode));
          }
          if (episodes.size() > static_cast<std::size_t>(kMaxIdleEpisodes)) {
            return TooMany("idle episodes in the period",
                           static_cast<std::int64_t>(episodes.size()), kMaxIdleEpisodes,
                           "pull the findings and ledger reports instead");
          }
          return absl::OkStatus();
        });
    if (!status.ok()) {
      return status;
    }
  }

  // ---- Cover ----
  v1::ReportCover& cover = *report.mutable_cover();
  for (const v1::OrgRecord& record : g.records) {
    if (record.kind() == v1::ORG_RECORD_KIND_CLINIC) {
      cover.set_clinic_name(record.name());
    }
  }
  cover.set_collector_name(origin_.collector_name);
  cover.set_mamori_version(origin_.mamori_version);
  *cover.mutable_generated_at() = codec::ToProtoTimestamp(now);
  *cover.mutable_period_to() = codec::ToProtoTimestamp(now);
  if (previous->has_value()) {
    *cover.mutable_period_from() = codec::ToProtoTimestamp((*previous)->generated_at);
  }
  cover.set_generated_by(request.generated_by);
  cover.set_generated_by_role(request.generated_by_role);
  cover.set_checklist_version(Str(rules::kChecklistVersion.ja));
  cover.set_fiscal_year(absl::StrCat(FiscalYearOf(today)));
  cover.set_time_zone(ZoneLabel(policy));

  // ---- Summary ----
  v1::ReportSummary& summary = *report.mutable_summary();
  summary.set_hosts(static_cast<std::int32_t>(g.ledger.size()));
  for (std::size_t i = 0; i < g.ledger.size(); ++i) {
    if (g.ledger[i].role() == "server") {
      summary.set_servers(summary.servers() + 1);
    } else {
      summary.set_workstations(summary.workstations() + 1);
    }
    auto contact = g.statuses[i].find(kAgentContactRule);
    if (contact != g.statuses[i].end() && (contact->second == v1::FINDING_STATUS_FAIL ||
                                           contact->second == v1::FINDING_STATUS_WARN)) {
      summary.set_hosts_stale(summary.hosts_stale() + 1);
    }
  }
  for (const v1::ReportFinding& entry : findings) {
    if (entry.trend() == v1::FINDING_TREND_FIXED) {
      summary.set_findings_fixed(summary.findings_fixed() + 1);
      continue;
    }
    if (entry.trend() == v1::FINDING_TREND_NEW) {
      summary.set_findings_new(summary.findings_new() + 1);
    }
    switch (entry.finding().status()) {
      case v1::FINDING_STATUS_FAIL:
        summary.set_findings_fail(summary.findings_fail() + 1);
        break;
      case v1::FINDING_STATUS_WARN:
        summary.set_findings_warn(summary.findings_warn() + 1);
        break;
      default:
        summary.set_findings_unknown(summary.findings_unknown() + 1);
        break;
    }
  }
  summary.set_accounts_due(g.accounts_due);
  for (const v1::ChecklistItem& item : checklist) {
    if (item.answer() == v1::CHECKLIST_ANSWER_YES) {
      summary.set_checklist_yes(summary.checklist_yes() + 1);
    } else if (item.answer() == v1::CHECKLIST_ANSWER_NO) {
      summary.set_checklist_no(summary.checklist_no() + 1);
    } else if (item.answer() == v1::CHECKLIST_ANSWER_ACTION_NEEDED) {
      summary.set_checklist_action_needed(summary.checklist_action_needed() + 1);
    }
  }
  summary.set_idle_episodes(static_cast<std::int32_t>(episodes.size()));

  // ---- Sections of this kind ----
  const bool visit = kind == v1::REPORT_KIND_VISIT;
  if (visit || kind == v1::REPORT_KIND_CHECKLIST) {
    for (v1::ChecklistItem& item : checklist) {
      *report.add_checklist() = std::move(item);
    }
    for (v1::OrgRecord& record : g.records) {
      *report.add_org_records() = std::move(record);
    }
  }
  if (visit || kind == v1::REPORT_KIND_LEDGER) {
    // Servers first, then workstations, then hosts not yet reported; by name within each.
    auto role_rank = [](const v1::LedgerEntry& entry) {
      return entry.role() == "server" ? 0 : entry.role() == "workstation" ? 1 : 2;
    };
    std::stable_sort(g.ledger.begin(), g.ledger.end(),
                     [&](const v1::LedgerEntry& a, const v1::LedgerEntry& b) {
                       return role_rank(a) < role_rank(b);
                     });
    for (v1::LedgerEntry& entry : g.ledger) {
      *report.add_ledger() = std::move(entry);
    }
    v1::ListSoftwareRequest software_request;
    software_request.set_by_host(false);
    absl::Status status = PageThrough(
        software_request, [&](const auto& r) { return knowledge_.ListSoftware(r); },
        [&](v1::ListSoftwareResponse& page) -> absl::Status {
          if (page.total() > kMaxSoftwareRows) {
            return TooMany("software versions", page.total(), kMaxSoftwareRows,
                           "search them with mamorictl software");
          }
          for (v1::SoftwareVersion& version : *page.mutable_versions()) {
            *report.add_software() = std::move(version);
          }
          if (report.software_size() > kMaxSoftwareRows) {
            return TooMany("software versions", report.software_size(), kMaxSoftwareRows,
                           "search them with mamorictl software");
          }
          return absl::OkStatus();
        });
    if (!status.ok()) {
      return status;
    }
  }
  if (visit || kind == v1::REPORT_KIND_ACCOUNTS) {
    for (v1::AccountEntry& account : g.accounts) {
      *report.add_accounts() = std::move(account);
    }
  }
  if (visit || kind == v1::REPORT_KIND_FINDINGS) {
    for (v1::ReportFinding& entry : findings) {
      *report.add_findings() = std::move(entry);
    }
  }
  if (visit) {
    for (v1::IdleEpisode& episode : episodes) {
      *report.add_idle_episodes() = std::move(episode);
    }
  }
  return report;
}

absl::Status ReportBuilder::RecordRun(const v1::Report& report, const ReportRun& run) {
  const std::string kind(codec::ReportKindName(run.kind));
  if (kind.empty()) {
    return absl::InvalidArgumentError(
        "kind: must be checklist, ledger, accounts, findings or visit");
  }
  if (run.kind != report.kind()) {
    return absl::InvalidArgumentError("the run's kind is not the report's");
  }
  const std::string format(codec::ReportFormatName(run.format));
  if (format.empty()) {
    return absl::InvalidArgumentError("format: must be html, csv or json");
  }
  // The findings open in the document: the next report's baseline.
  nlohmann::json open = nlohmann::json::array();
  if (run.kind == v1::REPORT_KIND_FINDINGS || run.kind == v1::REPORT_KIND_VISIT) {
    for (const v1::ReportFinding& entry : report.findings()) {
      if (entry.trend() == v1::FINDING_TREND_FIXED || !IsOpen(entry.finding().status())) {
        continue;
      }
      open.push_back({{"agent_id", entry.finding().agent_id()},
                      {"hostname", entry.finding().hostname()},
                      {"rule_id", entry.finding().rule_id()},
                      {"status", Str(codec::FindingStatusName(entry.finding().status()))}});
    }
  }
  return db_.Run(
      "INSERT INTO report_runs (kind, format, language, generated_at, generated_by, role, "
      "size_bytes, sha256, open_findings) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
      {kind, format, std::string(codec::ReportLanguageName(run.language)),
       FormatStoredTime(run.generated_at), run.generated_by, run.generated_by_role, run.size_bytes,
       run.sha256, open.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
}

}  // namespace mamori::collector
