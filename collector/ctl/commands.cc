#include "collector/ctl/commands.h"

#include <grpc/support/log.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "CLI/CLI.hpp"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "agent/agent_options.h"
#include "collector/ctl/client_bundle.h"
#include "collector/ctl/collector_client.h"
#include "collector/ctl/ctl_errors.h"
#include "collector/ctl/evidence_tables.h"
#include "collector/ctl/output_format.h"
#include "collector/ctl/report_pull.h"
#include "collector/ctl/summary_tables.h"
#include "google/protobuf/timestamp.pb.h"
#include "proto/codec/proto_time.h"
#include "proto/codec/report_names.h"

namespace mamori::ctl {
namespace {

namespace v1 = mamori::v1;
using v1::CollectorAdmin;

// What a command produced: the collector's answer (for JSON) and its tables.
struct Outcome {
  grpc::Status status;
  bool truncated = false;
  std::unique_ptr<google::protobuf::Message> message;
  std::vector<Section> sections;
};

// A list command: every page fetched and merged, then its tables.
template <typename Request, typename Response, typename Call, typename Tables>
Outcome List(const Request& request, Call call, Tables tables) {
  auto merged = std::make_unique<Response>();
  const FetchOutcome fetched = FetchAllPages(request, call, *merged);
  Outcome outcome{fetched.status, fetched.truncated, nullptr, {}};
  if (fetched.status.ok()) {
    outcome.sections = tables(*merged);
    outcome.message = std::move(merged);
  }
  return outcome;
}

// A command of one call.
template <typename Request, typename Response, typename Call, typename Tables>
Outcome Single(const Request& request, Call call, Tables tables) {
  auto response = std::make_unique<Response>();
  const std::unique_ptr<grpc::ClientContext> context = CallContextWithDeadline();
  Outcome outcome{call(context.get(), request, response.get()), false, nullptr, {}};
  if (outcome.status.ok()) {
    outcome.sections = tables(*response);
    outcome.message = std::move(response);
  }
  return outcome;
}

std::vector<Section> One(Table table) { return {Section{"", std::move(table)}}; }

// The options of every command, filled by CLI11.
struct Options {
  std::string collector;
  std::string bundle_dir;
  std::string format = "table";
  std::string host;  // positional HOST / NAME, or --host
  std::string account;
  std::string decision;
  std::string note;
  std::vector<std::string> statuses;
  std::string rule;
  std::string area;
  std::string since;
  std::string role;
  std::string location;
  std::string purpose;
  std::string person;
  std::string name;
  std::string version;
  bool by_host = false;
  bool due = false;
  bool system = false;
  bool removed = false;
  int limit = 1000;
  // report
  std::string report_kind;
  std::string report_format;
  std::string report_language = "ja";
  std::string output;
  // evidence
  std::string evidence_kind;
  std::string item;
  std::string date;
  std::string method;
  std::string offline_copy;
  std::string answer;
  bool history = false;
};

struct Subcommands {
  CLI::App* summary;
  CLI::App* hosts;
  CLI::App* host;
  CLI::App* findings;
  CLI::App* history;
  CLI::App* ledger;
  CLI::App* ledger_set;
  CLI::Option* set_location;
  CLI::Option* set_purpose;
  CLI::Option* set_person;
  CLI::App* software;
  CLI::App* accounts;
  CLI::App* review;
  CLI::App* idle;
  CLI::App* audit;
  CLI::App* report;
  CLI::App* evidence;
  CLI::App* evidence_record;
};

Subcommands Register(CLI::App& app, Options& o) {
  app.add_option("--collector", o.collector, "The collector, HOST:PORT")->required();
  app.add_option("--cert", o.bundle_dir,
                 "Your certificate bundle: the directory `mamori-collector user add` wrote")
      ->required();
  app.add_option("--format", o.format, "Output: table (default), csv (for Excel) or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  app.require_subcommand(1);
  app.fallthrough();

  Subcommands s{};
  s.summary = app.add_subcommand(
      "summary", "The clinic at a glance, as the console's dashboard (ダッシュボード) shows it");
  s.hosts = app.add_subcommand("hosts", "Hosts with their contact state and failing checks");
  s.host = app.add_subcommand("host", "One host: ledger, findings, recent changes, idle episodes");
  s.host->add_option("NAME", o.host, "Host name or agent id")->required();

  s.findings = app.add_subcommand("findings", "Current findings (default: fail, warn, unknown)");
  s.findings->add_option("--status", o.statuses, "fail, warn, unknown, pass, na (repeatable)")
      ->check(CLI::IsMember({"fail", "warn", "unknown", "pass", "na"}))
      ->delimiter(',');
  s.findings->add_option("--rule", o.rule, "Rule id, e.g. MAM-USB-001");
  s.findings->add_option("--host", o.host, "Host name or agent id");
  s.findings->add_option("--area", o.area, "Area, e.g. USB");

  s.history = app.add_subcommand("history", "Changes of findings, newest first");
  s.history->add_option("--host", o.host, "Host name or agent id");
  s.history->add_option("--rule", o.rule, "Rule id");
  s.history->add_option("--since", o.since, "YYYY-MM-DD (Asia/Tokyo) or RFC 3339 time");

  s.ledger = app.add_subcommand("ledger", "The inventory ledger (台帳)");
  s.ledger->add_option("--role", o.role, "workstation or server")
      ->check(CLI::IsMember({"workstation", "server"}));
  s.ledger_set = s.ledger->add_subcommand("set", "Edit a host's ledger fields (admin)");
  s.ledger_set->add_option("HOST", o.host, "Host name or agent id")->required();
  s.set_location = s.ledger_set->add_option("--location", o.location, "設置場所 (\"\" clears)");
  s.set_purpose = s.ledger_set->add_option("--purpose", o.purpose, "用途 (\"\" clears)");
  s.set_person = s.ledger_set->add_option("--person", o.person, "管理責任者 (\"\" clears)");

  s.software = app.add_subcommand("software", "Installed software across hosts");
  s.software->add_option("--name", o.name, "Part of the name, any case");
  s.software->add_option("--version", o.version, "Exact version");
  s.software->add_option("--host", o.host, "Host name or agent id");
  s.software->add_flag("--by-host", o.by_host, "One row per host that has it");

  s.accounts = app.add_subcommand("accounts", "Local accounts and their review (棚卸し)");
  s.accounts->add_flag("--due", o.due, "Only accounts due for review");
  s.accounts->add_option("--host", o.host, "Host name or agent id");
  s.accounts->add_flag("--system", o.system, "Include service accounts");
  s.accounts->add_flag("--removed", o.removed, "Include accounts no longer on the host");

  s.review = app.add_subcommand("review", "Record an account review (admin)");
  s.review->add_option("HOST", o.host, "Host name or agent id")->required();
  s.review->add_option("ACCOUNT", o.account, "Account name as the host reports it")->required();
  s.review->add_option("DECISION", o.decision, "keep, remove or investigate")
      ->required()
      ->check(CLI::IsMember({"keep", "remove", "investigate"}));
  s.review->add_option("--note", o.note, "Why (at most 2000 characters)")->required();

  s.idle = app.add_subcommand("idle", "Workstations left on outside business hours");
  s.idle->add_option("--since", o.since, "YYYY-MM-DD (Asia/Tokyo) or RFC 3339 time");
  s.idle->add_option("--host", o.host, "Host name or agent id");

  s.audit = app.add_subcommand("audit", "The collector's audit log (admin)");
  s.audit->add_option("--since", o.since, "YYYY-MM-DD (Asia/Tokyo) or RFC 3339 time");
  s.audit->add_option("--limit", o.limit, "Newest events to show (1-10000)")
      ->check(CLI::Range(1, 10'000));

  s.report = app.add_subcommand("report", "Pull a report the collector renders, into a file");
  s.report->add_option("--kind", o.report_kind, "checklist, ledger, accounts, findings or visit")
      ->required()
      ->check(CLI::IsMember({"checklist", "ledger", "accounts", "findings", "visit"}));
  s.report->add_option("--format", o.report_format, "html, csv (for Excel) or json")
      ->required()
      ->check(CLI::IsMember({"html", "csv", "json"}));
  s.report->add_option("--lang", o.report_language, "ja (default) or en")
      ->check(CLI::IsMember({"ja", "en"}));
  s.report->add_option("-o,--output", o.output, "File to write (\"-\": standard output)")
      ->required();

  s.evidence = app.add_subcommand(
      "evidence",
      "The evidence register: what only the clinic knows (security manager, backups ...)");
  s.evidence->add_flag("--history", o.history, "Older records too, not only the current ones");
  s.evidence_record =
      s.evidence->add_subcommand("record", "Add a record to the evidence register (admin)");
  s.evidence_record
      ->add_option("KIND", o.evidence_kind,
                   "clinic, security_manager, contact_chart, mds_sds, backup, restore_test, bcp, "
                   "drill, confirmation or target")
      ->required()
      ->check(CLI::IsMember({"clinic", "security_manager", "contact_chart", "mds_sds", "backup",
                             "restore_test", "bcp", "drill", "confirmation", "target"}));
  s.evidence_record->add_option("--date", o.date, "YYYY-MM-DD: when it happened (target: by when)");
  s.evidence_record->add_option("--name", o.name, "clinic: its name; security_manager: the person");
  s.evidence_record->add_option(
      "--item", o.item,
      "confirmation, target: checklist key (e.g. 2-6); mds_sds: the system "
      "or vendor");
  s.evidence_record->add_option("--method", o.method, "backup: how it is taken");
  s.evidence_record
      ->add_option("--offline-copy", o.offline_copy,
                   "backup: a copy is kept off the network (yes or no)")
      ->check(CLI::IsMember({"yes", "no"}));
  s.evidence_record->add_option("--answer", o.answer, "confirmation: yes (はい) or no (いいえ)")
      ->check(CLI::IsMember({"yes", "no"}));
  s.evidence_record->add_option("--notes", o.note, "Free text (at most 2000 characters)");
  return s;
}

// The OrgRecord of `evidence record`: the fields given; the collector checks what the kind needs.
v1::OrgRecord EvidenceRecord(const Options& o) {
  v1::OrgRecord record;
  v1::OrgRecordKind kind = v1::ORG_RECORD_KIND_UNSPECIFIED;
  v1::OrgRecordKind_Parse("ORG_RECORD_KIND_" + absl::AsciiStrToUpper(o.evidence_kind), &kind);
  record.set_kind(kind);
  record.set_item(o.item);
  record.set_date(o.date);
  record.set_name(o.name);
  record.set_method(o.method);
  if (!o.offline_copy.empty()) {
    record.set_offline_copy(o.offline_copy == "yes");
  }
  if (!o.answer.empty()) {
    record.set_answer(o.answer == "yes");
  }
  record.set_notes(o.note);
  return record;
}

// How long a report may take: the collector renders it before the first byte.
constexpr std::chrono::seconds kReportDeadline{300};

// `report`: pulls the document and writes it; prints where it went.
grpc::Status PullReport(const Options& o, CollectorAdmin::Stub& stub, std::string& summary) {
  v1::GenerateReportRequest request;
  request.set_kind(*codec::ReportKindFromName(o.report_kind));  // CLI11 checked the names
  request.set_format(*codec::ReportFormatFromName(o.report_format));
  request.set_language(*codec::ReportLanguageFromName(o.report_language));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kReportDeadline);
  std::unique_ptr<grpc::ClientReader<v1::ReportChunk>> reader =
      stub.GenerateReport(&context, request);
  absl::StatusOr<PulledReport> pulled =
      AssembleReport([&](v1::ReportChunk& chunk) { return reader->Read(&chunk); });
  if (!pulled.ok()) {
    // Drain and take the stream's own status: a refusal or a collector error explains more than
    // "no report".
    context.TryCancel();
    v1::ReportChunk ignored;
    while (reader->Read(&ignored)) {
    }
    if (grpc::Status status = reader->Finish(); !status.ok()) {
      return status;
    }
    return grpc::Status(grpc::StatusCode::DATA_LOSS, std::string(pulled.status().message()));
  }
  if (grpc::Status status = reader->Finish(); !status.ok()) {
    return status;
  }
  if (absl::Status written = WriteReportFile(o.output, pulled->document); !written.ok()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, std::string(written.message()));
  }
  summary = absl::StrCat("mamorictl: ", o.report_kind, " (", o.report_format, ", ",
                         o.report_language, ") ", pulled->document.size(), " bytes -> ",
                         o.output == "-" ? "stdout" : o.output, " (sha256 ",
                         pulled->header.sha256(), ")");
  return grpc::Status::OK;
}

// Runs the parsed command against `stub`.
Outcome Dispatch(const Subcommands& s, const Options& o, std::optional<absl::Time> since,
                 CollectorAdmin::Stub& stub) {
  if (s.summary->parsed()) {
    return Single<v1::GetClinicSummaryRequest, v1::GetClinicSummaryResponse>(
        v1::GetClinicSummaryRequest{},
        [&](grpc::ClientContext* c, const v1::GetClinicSummaryRequest& r,
            v1::GetClinicSummaryResponse* p) { return stub.GetClinicSummary(c, r, p); },
        [](const v1::GetClinicSummaryResponse& m) { return SummarySections(m); });
  }
  if (s.hosts->parsed()) {
    return List<v1::ListHostsRequest, v1::ListHostsResponse>(
        v1::ListHostsRequest{},
        [&](grpc::ClientContext* c, const v1::ListHostsRequest& r, v1::ListHostsResponse* p) {
          return stub.ListHosts(c, r, p);
        },
        [](const v1::ListHostsResponse& m) { return One(HostsTable(m)); });
  }
  if (s.host->parsed()) {
    v1::GetHostRequest request;
    request.set_host(o.host);
    return Single<v1::GetHostRequest, v1::GetHostResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::GetHostRequest& r, v1::GetHostResponse* p) {
          return stub.GetHost(c, r, p);
        },
        [](const v1::GetHostResponse& m) { return HostSections(m); });
  }
  if (s.findings->parsed()) {
    v1::ListFindingsRequest request;
    for (const std::string& text : o.statuses) {
      request.add_statuses(*FindingStatusFromText(text));  // CLI11 checked the names
    }
    request.set_rule_id(o.rule);
    request.set_host(o.host);
    request.set_area(o.area);
    return List<v1::ListFindingsRequest, v1::ListFindingsResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListFindingsRequest& r, v1::ListFindingsResponse* p) {
          return stub.ListFindings(c, r, p);
        },
        [](const v1::ListFindingsResponse& m) { return One(FindingsTable(m)); });
  }
  if (s.history->parsed()) {
    v1::ListFindingHistoryRequest request;
    request.set_host(o.host);
    request.set_rule_id(o.rule);
    if (since.has_value()) {
      *request.mutable_since() = codec::ToProtoTimestamp(*since);
    }
    return List<v1::ListFindingHistoryRequest, v1::ListFindingHistoryResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListFindingHistoryRequest& r,
            v1::ListFindingHistoryResponse* p) { return stub.ListFindingHistory(c, r, p); },
        [](const v1::ListFindingHistoryResponse& m) { return One(HistoryTable(m)); });
  }
  if (s.ledger_set->parsed()) {
    v1::UpdateHostAnnotationsRequest request;
    request.set_host(o.host);
    if (s.set_location->count() > 0) {
      request.set_location(o.location);
    }
    if (s.set_purpose->count() > 0) {
      request.set_purpose(o.purpose);
    }
    if (s.set_person->count() > 0) {
      request.set_person_in_charge(o.person);
    }
    return Single<v1::UpdateHostAnnotationsRequest, v1::UpdateHostAnnotationsResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::UpdateHostAnnotationsRequest& r,
            v1::UpdateHostAnnotationsResponse* p) { return stub.UpdateHostAnnotations(c, r, p); },
        [](const v1::UpdateHostAnnotationsResponse& m) { return One(AnnotationsTable(m)); });
  }
  if (s.ledger->parsed()) {
    v1::ListLedgerRequest request;
    request.set_role(o.role);
    return List<v1::ListLedgerRequest, v1::ListLedgerResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListLedgerRequest& r, v1::ListLedgerResponse* p) {
          return stub.ListLedger(c, r, p);
        },
        [](const v1::ListLedgerResponse& m) { return One(LedgerTable(m)); });
  }
  if (s.software->parsed()) {
    v1::ListSoftwareRequest request;
    request.set_name_contains(o.name);
    request.set_version(o.version);
    request.set_host(o.host);
    request.set_by_host(o.by_host);
    const bool by_host = o.by_host;
    return List<v1::ListSoftwareRequest, v1::ListSoftwareResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListSoftwareRequest& r, v1::ListSoftwareResponse* p) {
          return stub.ListSoftware(c, r, p);
        },
        [by_host](const v1::ListSoftwareResponse& m) { return One(SoftwareTable(m, by_host)); });
  }
  if (s.accounts->parsed()) {
    v1::ListAccountsRequest request;
    request.set_host(o.host);
    request.set_due_only(o.due);
    request.set_include_system(o.system);
    request.set_include_removed(o.removed);
    return List<v1::ListAccountsRequest, v1::ListAccountsResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListAccountsRequest& r, v1::ListAccountsResponse* p) {
          return stub.ListAccounts(c, r, p);
        },
        [](const v1::ListAccountsResponse& m) { return One(AccountsTable(m.accounts())); });
  }
  if (s.review->parsed()) {
    v1::RecordAccountReviewRequest request;
    request.set_host(o.host);
    request.set_account(o.account);
    request.set_decision(*ReviewDecisionFromText(o.decision));  // CLI11 checked the name
    request.set_note(o.note);
    return Single<v1::RecordAccountReviewRequest, v1::RecordAccountReviewResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::RecordAccountReviewRequest& r,
            v1::RecordAccountReviewResponse* p) { return stub.RecordAccountReview(c, r, p); },
        [](const v1::RecordAccountReviewResponse& m) {
          google::protobuf::RepeatedPtrField<v1::AccountEntry> one;
          *one.Add() = m.account();
          return One(AccountsTable(one));
        });
  }
  if (s.evidence_record->parsed()) {
    v1::RecordOrgEvidenceRequest request;
    *request.mutable_record() = EvidenceRecord(o);
    return Single<v1::RecordOrgEvidenceRequest, v1::RecordOrgEvidenceResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::RecordOrgEvidenceRequest& r,
            v1::RecordOrgEvidenceResponse* p) { return stub.RecordOrgEvidence(c, r, p); },
        [](const v1::RecordOrgEvidenceResponse& m) { return RecordedEvidenceSections(m); });
  }
  if (s.evidence->parsed()) {
    v1::ListOrgEvidenceRequest request;
    request.set_include_history(o.history);
    return Single<v1::ListOrgEvidenceRequest, v1::ListOrgEvidenceResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListOrgEvidenceRequest& r,
            v1::ListOrgEvidenceResponse* p) { return stub.ListOrgEvidence(c, r, p); },
        [](const v1::ListOrgEvidenceResponse& m) { return EvidenceSections(m); });
  }
  if (s.idle->parsed()) {
    v1::ListIdleEpisodesRequest request;
    request.set_host(o.host);
    if (since.has_value()) {
      *request.mutable_since() = codec::ToProtoTimestamp(*since);
    }
    return List<v1::ListIdleEpisodesRequest, v1::ListIdleEpisodesResponse>(
        request,
        [&](grpc::ClientContext* c, const v1::ListIdleEpisodesRequest& r,
            v1::ListIdleEpisodesResponse* p) { return stub.ListIdleEpisodes(c, r, p); },
        [](const v1::ListIdleEpisodesResponse& m) { return One(IdleEpisodesTable(m)); });
  }
  // audit: one call, bounded by --limit (the audit log is not paged).
  v1::ListAuditEventsRequest request;
  request.set_limit(o.limit);
  if (since.has_value()) {
    *request.mutable_since() = codec::ToProtoTimestamp(*since);
  }
  return Single<v1::ListAuditEventsRequest, v1::ListAuditEventsResponse>(
      request,
      [&](grpc::ClientContext* c, const v1::ListAuditEventsRequest& r,
          v1::ListAuditEventsResponse* p) { return stub.ListAuditEvents(c, r, p); },
      [](const v1::ListAuditEventsResponse& m) { return One(AuditTable(m)); });
}

// gRPC's own log lines ("E1130 ... Handshake failed ...") would come before mamorictl's one line
// on stderr; that line already carries gRPC's reason.
void IgnoreGrpcLog(gpr_log_func_args* /*args*/) {}

}  // namespace

int RunMamorictl(int argc, char** argv) {
  gpr_set_log_function(IgnoreGrpcLog);
  CLI::App app{"mamorictl: what the clinic's mamori collector knows, for its admins and IT vendor"};
  app.name("mamorictl");
  Options options;
  const Subcommands subcommands = Register(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::ParseError& error) {
    std::cerr << DescribeUsageError(error.what()) << std::endl;
    return kExitUsage;
  }

  const agent::Validated<agent::CollectorAddress> address =
      agent::CheckCollectorAddress(options.collector);
  if (!address.ok()) {
    std::cerr << DescribeUsageError(absl::StrCat("--collector: ", address.error)) << std::endl;
    return kExitUsage;
  }
  std::optional<absl::Time> since;
  if (!options.since.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseDateArgument(options.since);
    if (!parsed.ok()) {
      std::cerr << DescribeUsageError(absl::StrCat("--since: ", parsed.status().message()))
                << std::endl;
      return kExitUsage;
    }
    since = *parsed;
  }
  if (subcommands.ledger_set->parsed() && subcommands.set_location->count() == 0 &&
      subcommands.set_purpose->count() == 0 && subcommands.set_person->count() == 0) {
    std::cerr << DescribeUsageError("ledger set: give --location, --purpose or --person")
              << std::endl;
    return kExitUsage;
  }
  const OutputFormat format = *ParseOutputFormat(options.format);  // CLI11 checked it

  absl::StatusOr<ClientBundle> bundle = LoadClientBundle(options.bundle_dir, absl::Now());
  if (!bundle.ok()) {
    std::cerr << bundle.status().message() << std::endl;
    return kExitFailure;
  }
  const std::string target = address.value->Target();
  auto stub = CollectorAdmin::NewStub(CollectorChannel(target, *bundle));
  const CallContext call_context{options.collector, bundle->role, bundle->ca_fingerprint};
  if (subcommands.report->parsed()) {
    std::string summary;
    if (const grpc::Status status = PullReport(options, *stub, summary); !status.ok()) {
      std::cerr << DescribeCallFailure(status, call_context) << std::endl;
      return kExitFailure;
    }
    std::cerr << summary << std::endl;
    return kExitOk;
  }
  Outcome outcome = Dispatch(subcommands, options, since, *stub);
  if (!outcome.status.ok()) {
    std::cerr << DescribeCallFailure(outcome.status, call_context) << std::endl;
    return kExitFailure;
  }
  absl::StatusOr<std::string> rendered = RenderOutput(format, *outcome.message, outcome.sections);
  if (!rendered.ok()) {
    std::cerr << "mamorictl: 出力を作れません (" << rendered.status().message() << ")" << std::endl;
    return kExitFailure;
  }
  std::cout << *rendered << std::flush;
  if (outcome.truncated) {
    std::cerr << "mamorictl: 警告: " << kMaxFetchedRows
              << " 行で打ち切りました。条件を絞ってください (stopped after " << kMaxFetchedRows
              << " rows)" << std::endl;
  }
  return kExitOk;
}

}  // namespace mamori::ctl
