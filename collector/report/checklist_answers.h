// The MHLW checklist answered from evidence (platform/rules/checklist.h says which evidence decides
// each item). Pure: the hosts' verdicts, the clinic's MAM-ORG findings, the register's current
// records, the number of account reviews due and today's date in; the answered items out. The
// report builder gathers the inputs from the collector's database; tests build them by hand.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "mamori/v1/query.pb.h"
#include "mamori/v1/report.pb.h"

namespace mamori::collector {

// One host as the checklist judges it.
struct ChecklistHost {
  std::string hostname;
  // "server" or "workstation"; anything else (a host enrolled but never reported) is judged with
  // the workstations (端末PC), where every rule of it is unknown.
  std::string role;
  // The host's verdict of each checklist rule it has a finding of; a rule it has none of counts as
  // unknown.
  std::map<std::string, mamori::v1::FindingStatus, std::less<>> statuses;
};

struct ChecklistEvidence {
  std::vector<ChecklistHost> hosts;  // names are listed in this order (the ledger's: by name)
  std::vector<mamori::v1::Finding> clinic_findings;  // the clinic's MAM-ORG findings, any status
  // The register's current records. Should two share a kind (and item), the higher record_id wins.
  std::vector<mamori::v1::OrgRecord> records;
  int accounts_due = 0;  // account reviews due (2-5 is いいえ while any is)
  absl::CivilDay today;  // in the clinic's time zone: 確認日 of host evidence, the fiscal year
};

// Every item of rules::Checklist(), in its order.
std::vector<mamori::v1::ChecklistItem> AnswerChecklist(const ChecklistEvidence& evidence);

// The Japanese fiscal year (April to March) a day falls in: 2027-02-01 -> 2026.
int FiscalYearOf(absl::CivilDay day);

// Its last day, the default target date of a gap: 2026-11-25 -> "2027-03-31".
std::string FiscalYearEnd(absl::CivilDay day);

// How many host names an evidence sentence names before "ほか N台".
inline constexpr int kEvidenceHostNames = 10;

}  // namespace mamori::collector
