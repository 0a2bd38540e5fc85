// KnowledgeReader::GetClinicSummary: the console's dashboard, computed from the findings the writer
// stored, their history and the clinic's MAM-ORG verdicts.
#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "collector/knowledge/knowledge_reader.h"
#include "collector/storage/stored_time.h"
#include "platform/rules/org_rules.h"
#include "platform/rules/rule_catalogue.h"
#include "proto/codec/finding_status.h"
#include "proto/codec/proto_time.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;

constexpr int kTrendDays = 90;
constexpr std::size_t kUrgentActions = 3;

// The dashboard's areas, in the order the response lists them.
constexpr std::array<std::string_view, 7> kAreas = {"patch",    "antivirus", "usb",  "idle",
                                                    "accounts", "org",       "other"};

// "MAM-PATCH-001" -> index into kAreas.
std::size_t AreaIndex(std::string_view rule_id) {
  constexpr std::string_view kPrefix = "MAM-";
  std::string_view area;
  if (rule_id.starts_with(kPrefix)) {
    const std::string_view rest = rule_id.substr(kPrefix.size());
    area = rest.substr(0, rest.find('-'));
  }
  if (area == "PATCH") return 0;
  if (area == "AV") return 1;
  if (area == "USB") return 2;
  if (area == "IDLE") return 3;
  // Local accounts and automatic logon are both about who can use the PC.
  if (area == "ACCT" || area == "LOGON") return 4;
  if (area == "ORG") return 5;
  return 6;
}

std::string AreaOf(std::string_view rule_id) {
  constexpr std::string_view kPrefix = "MAM-";
  if (!rule_id.starts_with(kPrefix)) {
    return "";
  }
  const std::string_view rest = rule_id.substr(kPrefix.size());
  return std::string(rest.substr(0, rest.find('-')));
}

// What decides a PC's colour: its verdicts by status.
struct HostState {
  int verdicts = 0;
  int open = 0;      // fail or warn
  int unknowns = 0;  // unknown
  bool Known() const { return verdicts > 0; }
  bool Compliant() const { return verdicts > 0 && open == 0 && unknowns == 0; }
};

void Count(HostState& host, v1::FindingStatus status, int delta) {
  host.verdicts += delta;
  if (status == v1::FINDING_STATUS_FAIL || status == v1::FINDING_STATUS_WARN) {
    host.open += delta;
  } else if (status == v1::FINDING_STATUS_UNKNOWN) {
    host.unknowns += delta;
  }
}

// A rule open somewhere, as a candidate for the urgent actions.
struct Candidate {
  std::string rule_id;
  int fail_hosts = 0;
  int warn_hosts = 0;
  std::size_t order = 0;  // catalogue order; clinic rules after host rules
  bool clinic = false;
  rules::LocalizedText title;
  rules::LocalizedText remediation;
};

std::size_t CatalogueOrder(std::string_view rule_id, const rules::RuleDefinition** found) {
  const std::vector<rules::RuleDefinition>& catalogue = rules::RuleCatalogue();
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].id == rule_id) {
      *found = &catalogue[i];
      return i;
    }
  }
  *found = nullptr;
  return catalogue.size();
}

}  // namespace

absl::StatusOr<v1::GetClinicSummaryResponse> KnowledgeReader::GetClinicSummary(
    const v1::GetClinicSummaryRequest& /*request*/, const rules::Policy& policy, absl::Time now,
    std::span<const rules::Finding> clinic_findings) {
  v1::GetClinicSummaryResponse response;
  *response.mutable_generated_at() = codec::ToProtoTimestamp(now);
  {
    absl::StatusOr<Statement> statement =
        db_.Query("SELECT value FROM collector_settings WHERE name = 'demo'", {});
    if (!statement.ok()) {
      return statement.status();
    }
    if (absl::Status status = statement->ForEachRow([&](const Statement& row) {
          response.set_demo(row.ColumnText(0) == "1");
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }

  // PCs and their current verdicts.
  absl::flat_hash_map<std::string, HostState> hosts;
  {
    absl::StatusOr<Statement> statement =
        db_.Query("SELECT agent_id FROM agents WHERE removed_at IS NULL", {});
    if (!statement.ok()) {
      return statement.status();
    }
    if (absl::Status status = statement->ForEachRow([&](const Statement& row) {
          hosts.try_emplace(row.ColumnText(0));
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
  }
  std::map<std::string, Candidate> candidates;  // by rule id
  std::array<v1::AreaFindings, kAreas.size()> areas;
  for (std::size_t i = 0; i < kAreas.size(); ++i) {
    areas[i].set_area(std::string(kAreas[i]));
  }
  const auto count_open = [&](std::string_view rule_id, v1::FindingStatus status) {
    v1::AreaFindings& area = areas[AreaIndex(rule_id)];
    area.set_open(area.open() + 1);
    if (status == v1::FINDING_STATUS_FAIL) {
      area.set_fail(area.fail() + 1);
    } else {
      area.set_warn(area.warn() + 1);
    }
  };
  {
    absl::StatusOr<Statement> statement = db_.Query(
        "SELECT f.agent_id, f.rule_id, f.status FROM findings AS f "
        "JOIN agents AS a ON a.agent_id = f.agent_id WHERE a.removed_at IS NULL",
        {});
    if (!statement.ok()) {
      return statement.status();
    }
    absl::Status status = statement->ForEachRow([&](const Statement& row) -> absl::Status {
      const std::string rule_id = row.ColumnText(1);
      const std::optional<v1::FindingStatus> verdict =
          codec::FindingStatusFromName(row.ColumnText(2));
      if (!verdict.has_value()) {
        return absl::DataLossError("findings: a status the collector does not know");
      }
      Count(hosts[row.ColumnText(0)], *verdict, 1);
      if (*verdict != v1::FINDING_STATUS_FAIL && *verdict != v1::FINDING_STATUS_WARN) {
        return absl::OkStatus();
      }
      count_open(rule_id, *verdict);
      Candidate& candidate = candidates[rule_id];
      if (candidate.rule_id.empty()) {
        candidate.rule_id = rule_id;
        const rules::RuleDefinition* rule = nullptr;
        candidate.order = CatalogueOrder(rule_id, &rule);
        if (rule != nullptr) {
          candidate.title = rule->title;
          candidate.remediation = rule->remediation;
        }
      }
      ++(*verdict == v1::FINDING_STATUS_FAIL ? candidate.fail_hosts : candidate.warn_hosts);
      return absl::OkStatus();
    });
    if (!status.ok()) {
      return status;
    }
  }
  const std::size_t clinic_order_base = rules::RuleCatalogue().size() + 1;
  for (std::size_t i = 0; i < clinic_findings.size(); ++i) {
    const rules::Finding& finding = clinic_findings[i];
    if (finding.status != rules::Status::kFail && finding.status != rules::Status::kWarn) {
      continue;
    }
    const v1::FindingStatus status =
        finding.status == rules::Status::kFail ? v1::FINDING_STATUS_FAIL : v1::FINDING_STATUS_WARN;
    count_open(finding.rule_id, status);
    Candidate candidate;
    candidate.rule_id = std::string(finding.rule_id);
    candidate.clinic = true;
    candidate.order = clinic_order_base + i;
    candidate.title = finding.title;
    candidate.remediation = finding.remediation;
    ++(status == v1::FINDING_STATUS_FAIL ? candidate.fail_hosts : candidate.warn_hosts);
    candidates[candidate.rule_id] = candidate;
  }

  for (const auto& [agent_id, host] : hosts) {
    if (host.Compliant()) {
      response.set_compliant(response.compliant() + 1);
    } else if (host.open > 0) {
      response.set_not_compliant(response.not_compliant() + 1);
    } else {
      response.set_unknown(response.unknown() + 1);
    }
  }
  response.set_hosts(static_cast<int>(hosts.size()));

  // Fail before warn, then more PCs first, then catalogue order.
  std::vector<const Candidate*> ranked;
  for (const auto& [rule_id, candidate] : candidates) {
    ranked.push_back(&candidate);
  }
  std::sort(ranked.begin(), ranked.end(), [](const Candidate* a, const Candidate* b) {
    const auto key = [](const Candidate* c) {
      return std::make_tuple(c->fail_hosts > 0 ? 0 : 1, -(c->fail_hosts + c->warn_hosts), c->order,
                             c->rule_id);
    };
    return key(a) < key(b);
  });
  for (std::size_t i = 0; i < ranked.size() && i < kUrgentActions; ++i) {
    const Candidate& candidate = *ranked[i];
    v1::UrgentAction& action = *response.add_urgent_actions();
    action.set_rule_id(candidate.rule_id);
    action.set_area(AreaOf(candidate.rule_id));
    // A rule this collector does not know (stored by a newer one) is shown by its id.
    action.set_title_ja(candidate.title.ja.empty() ? candidate.rule_id
                                                   : std::string(candidate.title.ja));
    action.set_title_en(candidate.title.en.empty() ? candidate.rule_id
                                                   : std::string(candidate.title.en));
    action.set_remediation_ja(std::string(candidate.remediation.ja));
    action.set_remediation_en(std::string(candidate.remediation.en));
    action.set_status(candidate.fail_hosts > 0 ? v1::FINDING_STATUS_FAIL : v1::FINDING_STATUS_WARN);
    action.set_hosts(candidate.clinic ? 0 : candidate.fail_hosts + candidate.warn_hosts);
  }
  for (v1::AreaFindings& area : areas) {
    *response.add_areas() = std::move(area);
  }

  // The trend: replay every change in time order and take each host's state at the end of each
  // day of the window (today: now).
  const absl::TimeZone zone =
      absl::FixedTimeZone(static_cast<int>(policy.business_hours.utc_offset.count()) * 60);
  const absl::CivilDay today = absl::ToCivilDay(now, zone);
  const absl::CivilDay first = today - (kTrendDays - 1);
  absl::flat_hash_map<std::string, HostState> past;
  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, v1::FindingStatus>> verdicts;
  int compliant = 0;
  int known = 0;
  absl::CivilDay day = first;
  const auto day_end = [&](absl::CivilDay d) {
    return d == today ? now : absl::FromCivil(absl::CivilSecond(d + 1), zone);
  };
  const auto close_days_before = [&](absl::Time at) {
    while (day <= today && at >= day_end(day)) {
      v1::CompliancePoint& point = *response.add_trend();
      point.set_date(absl::FormatCivilTime(day));
      point.set_compliant(compliant);
      point.set_known(known);
      ++day;
    }
  };
  absl::StatusOr<Statement> statement = db_.Query(
      "SELECT c.agent_id, c.rule_id, c.new_status, c.at FROM finding_history AS c "
      "JOIN agents AS a ON a.agent_id = c.agent_id WHERE a.removed_at IS NULL "
      "ORDER BY julianday(c.at), c.change_id",
      {});
  if (!statement.ok()) {
    return statement.status();
  }
  absl::Status status = statement->ForEachRow([&](const Statement& row) -> absl::Status {
    absl::StatusOr<absl::Time> at = ParseStoredTime(row.ColumnText(3));
    if (!at.ok()) {
      return at.status();
    }
    const std::optional<v1::FindingStatus> verdict =
        codec::FindingStatusFromName(row.ColumnText(2));
    if (!verdict.has_value()) {
      return absl::DataLossError("finding_history: a status the collector does not know");
    }
    close_days_before(*at);
    if (*at > now) {
      return absl::OkStatus();  // a clock that ran ahead; the future is not part of the trend
    }
    const std::string agent_id = row.ColumnText(0);
    HostState& host = past[agent_id];
    const bool was_known = host.Known();
    const bool was_compliant = host.Compliant();
    auto [it, added] = verdicts[agent_id].try_emplace(row.ColumnText(1), *verdict);
    if (!added) {
      Count(host, it->second, -1);
      it->second = *verdict;
    }
    Count(host, *verdict, 1);
    known += (host.Known() ? 1 : 0) - (was_known ? 1 : 0);
    compliant += (host.Compliant() ? 1 : 0) - (was_compliant ? 1 : 0);
    return absl::OkStatus();
  });
  if (!status.ok()) {
    return status;
  }
  close_days_before(absl::InfiniteFuture());
  return response;
}

}  // namespace mamori::collector
