#include "collector/knowledge/knowledge_reader.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/knowledge/reader_review_state.h"
#include "collector/storage/schema.h"
#include "collector/storage/stored_time.h"
#include "nlohmann/json.hpp"
#include "platform/parse/utf8.h"
#include "platform/rules/rule_catalogue.h"
#include "proto/codec/finding_status.h"
#include "proto/codec/proto_time.h"

namespace mamori::collector {
namespace {

namespace v1 = mamori::v1;

constexpr int kDefaultHistoryLimit = 200;
constexpr int kMaxHistoryLimit = 5000;
constexpr int kHostIdleEpisodes = 50;
// Filters name agent text (host, account and software names, versions): above what validation
// lets an agent store (4 KiB a string), so any stored name can be asked for.
constexpr std::size_t kMaxFilterBytes = 16 * 1024;
constexpr std::size_t kMaxAreaBytes = 32;
constexpr std::size_t kMaxAnnotationCharacters = 200;
constexpr std::size_t kMaxNoteCharacters = 2000;
// Offsets fit in 9 digits: no clinic has a billion rows of anything, and int32 sizes stay safe.
constexpr std::size_t kMaxTokenDigits = 9;
// Account review state is computed per row in C++, so the rows of one listing are read at once.
constexpr int kMaxAccountRows = 200'000;

// ---- Request checks ---------------------------------------------------------------------------

absl::Status Invalid(absl::string_view field, absl::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

std::optional<std::size_t> Utf8Characters(absl::string_view text) {
  const std::string_view view(text.data(), text.size());
  std::size_t characters = 0;
  for (std::size_t i = 0; i < view.size(); ++characters) {
    const std::size_t length = parse::Utf8SequenceLength(view, i);
    if (length == 0) {
      return std::nullopt;
    }
    i += length;
  }
  return characters;
}

absl::Status CheckText(absl::string_view field, absl::string_view value, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    return Invalid(field, absl::StrCat("longer than ", max_bytes, " bytes"));
  }
  if (!Utf8Characters(value).has_value()) {
    return Invalid(field, "not valid UTF-8");
  }
  return absl::OkStatus();
}

absl::Status CheckCharacters(absl::string_view field, absl::string_view value,
                             std::size_t max_characters) {
  const std::optional<std::size_t> characters = Utf8Characters(value);
  if (!characters.has_value()) {
    return Invalid(field, "not valid UTF-8");
  }
  if (*characters > max_characters) {
    return Invalid(field, absl::StrCat("longer than ", max_characters, " characters"));
  }
  return absl::OkStatus();
}

struct Page {
  std::int64_t offset = 0;
  int size = kDefaultPageSize;
};

// The token is "o" and the decimal offset of the next row: simple, and anything else (another
// query's idea of a token, a hand-edited one) is refused instead of being guessed at.
absl::StatusOr<Page> ParsePage(const v1::PageRequest& request) {
  Page page;
  if (request.page_size() < 0 || request.page_size() > kMaxPageSize) {
    return Invalid("page.page_size",
                   absl::StrCat("must be between 0 (default ", kDefaultPageSize, ") and ",
                                kMaxPageSize, ", not ", request.page_size()));
  }
  if (request.page_size() > 0) {
    page.size = request.page_size();
  }
  const std::string& token = request.page_token();
  if (token.empty()) {
    return page;
  }
  const absl::string_view digits = absl::string_view(token).substr(1);
  if (token.front() != 'o' || digits.empty() || digits.size() > kMaxTokenDigits ||
      !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(digits, &page.offset)) {
    return Invalid("page.page_token",
                   "not a token this collector issued (pass next_page_token as it was returned)");
  }
  return page;
}

std::string NextPageToken(const Page& page, bool more) {
  if (!more) {
    return "";
  }
  return absl::StrCat("o", page.offset + page.size);
}

// A request's optional `since` as stored text; "" when the request has none (no lower bound).
absl::StatusOr<std::string> StoredSince(absl::string_view field, bool present,
                                        const google::protobuf::Timestamp& since) {
  if (!present) {
    return std::string();
  }
  // The range of RFC 3339 (0001-01-01 to 9999-12-31), as protobuf defines Timestamp.
  constexpr std::int64_t kMinSeconds = -62'135'596'800;
  constexpr std::int64_t kMaxSeconds = 253'402'300'799;
  if (since.seconds() < kMinSeconds || since.seconds() > kMaxSeconds || since.nanos() < 0 ||
      since.nanos() > 999'999'999) {
    return Invalid(field, "not a valid timestamp");
  }
  return FormatStoredTime(codec::FromProtoTimestamp(since));
}

// ---- Stored values to messages ----------------------------------------------------------------

v1::ContactState ParseContactState(absl::string_view text) {
  if (text == "online") {
    return v1::CONTACT_STATE_ONLINE;
  }
  if (text == "off_expected") {
    return v1::CONTACT_STATE_OFF_EXPECTED;
  }
  if (text == "stale") {
    return v1::CONTACT_STATE_STALE;
  }
  if (text == "never_reported") {
    return v1::CONTACT_STATE_NEVER_REPORTED;
  }
  return v1::CONTACT_STATE_UNSPECIFIED;
}

// Reads one row's columns and keeps the first damaged value as a DATA_LOSS status, so that the
// code filling a message reads as a list of fields.
class RowReader {
 public:
  explicit RowReader(const Statement& row) : row_(row) {}

  std::string Text(int column) const { return row_.ColumnText(column); }
  std::int64_t Int(int column) const { return row_.ColumnInt64(column); }
  bool IsNull(int column) const { return row_.ColumnIsNull(column); }
  std::optional<bool> OptionalBool(int column) const {
    if (row_.ColumnIsNull(column)) {
      return std::nullopt;
    }
    return row_.ColumnInt64(column) != 0;
  }

  std::optional<absl::Time> Time(int column) {
    absl::StatusOr<std::optional<absl::Time>> time = OptionalStoredTime(row_, column);
    if (!time.ok()) {
      Fail(time.status());
      return std::nullopt;
    }
    return *time;
  }
  // Sets `field()` only when the column holds a time.
  template <typename MutableField>
  void TimeInto(int column, MutableField field) {
    if (std::optional<absl::Time> time = Time(column)) {
      *field() = codec::ToProtoTimestamp(*time);
    }
  }

  v1::FindingStatus Status(int column) {
    if (row_.ColumnIsNull(column)) {
      return v1::FINDING_STATUS_UNSPECIFIED;
    }
    const std::string text = row_.ColumnText(column);
    std::optional<v1::FindingStatus> status = codec::FindingStatusFromName(text);
    if (!status.has_value()) {
      Fail(absl::DataLossError(absl::StrCat("stored finding status '", text, "' is unknown")));
      return v1::FINDING_STATUS_UNSPECIFIED;
    }
    return *status;
  }

  // A JSON array of strings.
  std::vector<std::string> Strings(int column) {
    const std::string text = row_.ColumnText(column);
    nlohmann::json list = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    std::vector<std::string> strings;
    if (!list.is_array()) {
      Fail(absl::DataLossError("a stored list is not a JSON array"));
      return strings;
    }
    for (const nlohmann::json& item : list) {
      if (!item.is_string()) {
        Fail(absl::DataLossError("a stored list holds something other than text"));
        return {};
      }
      strings.push_back(item.get<std::string>());
    }
    return strings;
  }

  const absl::Status& status() const { return status_; }

 private:
  void Fail(absl::Status status) {
    if (status_.ok()) {
      status_ = std::move(status);
    }
  }

  const Statement& row_;
  absl::Status status_;
};

// ---- Queries ----------------------------------------------------------------------------------

absl::StatusOr<Statement> QueryWith(Database& db, absl::string_view sql,
                                    std::span<const SqlParam> params) {
  absl::StatusOr<Statement> statement = db.Prepare(sql);
  if (!statement.ok()) {
    return statement.status();
  }
  for (std::size_t i = 0; i < params.size(); ++i) {
    if (absl::Status status = statement->Bind(static_cast<int>(i) + 1, params[i]); !status.ok()) {
      return status;
    }
  }
  return statement;
}

// Runs a query whose SQL ends in "LIMIT ?n OFFSET ?n+1" (the two parameters after `params`) and
// hands each row of the page to `on_row`. True when there are more rows after this page.
absl::StatusOr<bool> ForEachPageRow(Database& db, absl::string_view sql,
                                    std::vector<SqlParam> params, const Page& page,
                                    absl::FunctionRef<absl::Status(const Statement&)> on_row) {
  params.emplace_back(static_cast<std::int64_t>(page.size) + 1);
  params.emplace_back(page.offset);
  absl::StatusOr<Statement> query = QueryWith(db, sql, params);
  if (!query.ok()) {
    return query.status();
  }
  for (int rows = 0;; ++rows) {
    absl::StatusOr<bool> row = query->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return false;
    }
    if (rows == page.size) {
      return true;
    }
    if (absl::Status status = on_row(*query); !status.ok()) {
      return status;
    }
  }
}

absl::StatusOr<std::int32_t> CountRows(Database& db, absl::string_view sql,
                                       std::span<const SqlParam> params) {
  absl::StatusOr<Statement> query = QueryWith(db, sql, params);
  if (!query.ok()) {
    return query.status();
  }
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) {
    return row.status();
  }
  if (!*row) {
    return absl::InternalError("a count returned no row");
  }
  return static_cast<std::int32_t>(
      std::min<std::int64_t>(query->ColumnInt64(0), std::numeric_limits<std::int32_t>::max()));
}

// The name people see for a host: the newest snapshot's, else the one it said Hello with.
constexpr absl::string_view kHostname = "COALESCE(h.hostname, a.hostname)";

// An agent id, or a host name that names exactly one agent that was not removed.
absl::StatusOr<std::string> ResolveHost(Database& db, absl::string_view host) {
  if (host.empty()) {
    return Invalid("host", "required (an agent id or a host name)");
  }
  if (absl::Status status = CheckText("host", host, kMaxFilterBytes); !status.ok()) {
    return status;
  }
  absl::StatusOr<Statement> matches = db.Query(
      "SELECT DISTINCT a.agent_id FROM agents AS a LEFT JOIN hosts AS h ON h.agent_id = a.agent_id "
      "WHERE a.removed_at IS NULL AND (a.agent_id = ?1 OR a.hostname = ?1 OR h.hostname = ?1) "
      "ORDER BY a.agent_id",
      {host});
  if (!matches.ok()) {
    return matches.status();
  }
  std::vector<std::string> agent_ids;
  if (absl::Status status = matches->ForEachRow([&](const Statement& row) {
        agent_ids.push_back(row.ColumnText(0));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  // An agent id is unambiguous even if some host happens to be called the same.
  if (std::find(agent_ids.begin(), agent_ids.end(), host) != agent_ids.end()) {
    return std::string(host);
  }
  if (agent_ids.empty()) {
    return absl::NotFoundError(absl::StrCat("no host named '", host, "'"));
  }
  if (agent_ids.size() > 1) {
    return absl::FailedPreconditionError(absl::StrCat("'", host, "' names ", agent_ids.size(),
                                                      " hosts (", absl::StrJoin(agent_ids, ", "),
                                                      "); use the agent id"));
  }
  return agent_ids.front();
}

// "" when the filter is empty: every query reads "(?n = '' OR x.agent_id = ?n)".
absl::StatusOr<std::string> ResolveHostFilter(Database& db, absl::string_view host) {
  if (host.empty()) {
    return std::string();
  }
  return ResolveHost(db, host);
}

// ---- Rules ------------------------------------------------------------------------------------

struct CatalogueEntry {
  const rules::RuleDefinition* rule = nullptr;  // null: not in this collector's catalogue
  std::size_t order = 0;
};

CatalogueEntry FindRule(absl::string_view rule_id) {
  const std::vector<rules::RuleDefinition>& catalogue = rules::RuleCatalogue();
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    if (catalogue[i].id == std::string_view(rule_id.data(), rule_id.size())) {
      return {&catalogue[i], i};
    }
  }
  return {nullptr, catalogue.size()};
}

// "MAM-USB-001" -> "USB"; "" for an id of another shape.
std::string AreaOf(absl::string_view rule_id) {
  constexpr absl::string_view kPrefix = "MAM-";
  if (!absl::StartsWith(rule_id, kPrefix)) {
    return "";
  }
  const absl::string_view rest = rule_id.substr(kPrefix.size());
  const std::size_t dash = rest.find('-');
  if (dash == absl::string_view::npos) {
    return "";
  }
  return std::string(rest.substr(0, dash));
}

std::string Str(std::string_view text) { return std::string(text); }

// Titles, remediation and MHLW keys come from the catalogue; an id it does not know is shown by
// its id, so a finding stored by a newer collector is never hidden.
void FillRuleTexts(v1::Finding& finding) {
  const CatalogueEntry entry = FindRule(finding.rule_id());
  if (entry.rule == nullptr) {
    finding.set_area(AreaOf(finding.rule_id()));
    finding.set_title_ja(finding.rule_id());
    finding.set_title_en(finding.rule_id());
    return;
  }
  const rules::RuleDefinition& rule = *entry.rule;
  finding.set_area(Str(rule.area));
  finding.set_title_ja(Str(rule.title.ja));
  finding.set_title_en(Str(rule.title.en));
  finding.set_remediation_ja(Str(rule.remediation.ja));
  finding.set_remediation_en(Str(rule.remediation.en));
  for (std::string_view key : rule.mhlw) {
    finding.add_mhlw_keys(Str(key));
  }
}

// SELECT agent_id, hostname, rule_id, status, evidence, since, evaluated_at
absl::StatusOr<v1::Finding> ReadFinding(const Statement& row) {
  RowReader reader(row);
  v1::Finding finding;
  finding.set_agent_id(reader.Text(0));
  finding.set_hostname(reader.Text(1));
  finding.set_rule_id(reader.Text(2));
  finding.set_status(reader.Status(3));
  finding.set_evidence(reader.Text(4));
  reader.TimeInto(5, [&] { return finding.mutable_since(); });
  reader.TimeInto(6, [&] { return finding.mutable_evaluated_at(); });
  FillRuleTexts(finding);
  if (!reader.status().ok()) {
    return reader.status();
  }
  return finding;
}

constexpr absl::string_view kFindingColumns =
    "SELECT f.agent_id, COALESCE(h.hostname, a.hostname), f.rule_id, f.status, f.evidence, "
    "f.since, f.evaluated_at ";
constexpr absl::string_view kFindingsFrom =
    "FROM findings AS f JOIN agents AS a ON a.agent_id = f.agent_id "
    "LEFT JOIN hosts AS h ON h.agent_id = f.agent_id "
    "WHERE a.removed_at IS NULL AND instr(?1, ',' || f.status || ',') > 0 "
    "AND (?2 = '' OR f.rule_id = ?2) AND (?3 = '' OR f.agent_id = ?3) "
    "AND (?4 = '' OR (f.rule_id LIKE 'MAM-%' "
    "AND substr(f.rule_id, 5, instr(substr(f.rule_id, 5), '-') - 1) = ?4)) ";

// SELECT change_id, agent_id, hostname, rule_id, old_status, new_status, at, evidence
absl::StatusOr<v1::FindingChange> ReadFindingChange(const Statement& row) {
  RowReader reader(row);
  v1::FindingChange change;
  change.set_agent_id(reader.Text(1));
  change.set_hostname(reader.Text(2));
  change.set_rule_id(reader.Text(3));
  change.set_old_status(reader.Status(4));
  change.set_new_status(reader.Status(5));
  reader.TimeInto(6, [&] { return change.mutable_at(); });
  change.set_evidence(reader.Text(7));
  if (!reader.status().ok()) {
    return reader.status();
  }
  return change;
}

// Newest first; times compare as instants (julianday), not as text, since RFC 3339 text with
// fraction digits does not sort in time order.
constexpr absl::string_view kHistoryQuery =
    "SELECT c.change_id, c.agent_id, COALESCE(h.hostname, a.hostname), c.rule_id, c.old_status, "
    "c.new_status, c.at, c.evidence "
    "FROM finding_history AS c JOIN agents AS a ON a.agent_id = c.agent_id "
    "LEFT JOIN hosts AS h ON h.agent_id = c.agent_id "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR julianday(c.at) >= julianday(?1)) "
    "AND (?2 = '' OR c.agent_id = ?2) AND (?3 = '' OR c.rule_id = ?3) "
    "ORDER BY julianday(c.at) DESC, c.change_id DESC LIMIT ?4 OFFSET ?5";

// ---- Ledger -----------------------------------------------------------------------------------

constexpr absl::string_view kLedgerQuery =
    "SELECT a.agent_id, COALESCE(h.hostname, a.hostname), h.role, h.os_name, h.os_edition, "
    "h.os_version, h.os_build, h.os_pretty_name, h.end_of_support, h.manufacturer, h.model, "
    "h.serial_number, COALESCE(h.addresses, '[]'), COALESCE(h.mac_addresses, '[]'), "
    "COALESCE(h.software_count, 0), a.agent_version, a.first_seen, a.last_seen, a.contact_state, "
    "h.cpu_model, h.memory_bytes, "
    "(SELECT count(*) FROM findings AS f WHERE f.agent_id = a.agent_id AND f.status = 'fail'), "
    "(SELECT count(*) FROM findings AS f WHERE f.agent_id = a.agent_id AND f.status = 'warn'), "
    "n.agent_id IS NOT NULL, n.location, n.purpose, n.person_in_charge, n.updated_by, "
    "n.updated_at "
    "FROM agents AS a LEFT JOIN hosts AS h ON h.agent_id = a.agent_id "
    "LEFT JOIN host_annotations AS n ON n.agent_id = a.agent_id "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR COALESCE(h.role, '') = ?1) "
    "AND (?2 = '' OR a.agent_id = ?2) "
    "ORDER BY COALESCE(h.hostname, a.hostname), a.agent_id LIMIT ?3 OFFSET ?4";
constexpr absl::string_view kLedgerCount =
    "SELECT count(*) FROM agents AS a LEFT JOIN hosts AS h ON h.agent_id = a.agent_id "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR COALESCE(h.role, '') = ?1) "
    "AND (?2 = '' OR a.agent_id = ?2)";

absl::StatusOr<v1::LedgerEntry> ReadLedgerEntry(const Statement& row) {
  RowReader reader(row);
  v1::LedgerEntry entry;
  entry.set_agent_id(reader.Text(0));
  entry.set_hostname(reader.Text(1));
  entry.set_role(reader.Text(2));
  entry.set_os_name(reader.Text(3));
  entry.set_os_edition(reader.Text(4));
  entry.set_os_version(reader.Text(5));
  entry.set_os_build(reader.Text(6));
  entry.set_os_pretty_name(reader.Text(7));
  entry.set_end_of_support(reader.Text(8));
  entry.set_manufacturer(reader.Text(9));
  entry.set_model(reader.Text(10));
  entry.set_serial_number(reader.Text(11));
  for (std::string& address : reader.Strings(12)) {
    entry.add_addresses(std::move(address));
  }
  for (std::string& mac : reader.Strings(13)) {
    entry.add_mac_addresses(std::move(mac));
  }
  entry.set_software_count(static_cast<std::int32_t>(reader.Int(14)));
  entry.set_agent_version(reader.Text(15));
  reader.TimeInto(16, [&] { return entry.mutable_first_seen(); });
  reader.TimeInto(17, [&] { return entry.mutable_last_seen(); });
  entry.set_contact_state(ParseContactState(reader.Text(18)));
  entry.set_cpu_model(reader.Text(19));
  if (!reader.IsNull(20) && reader.Int(20) > 0) {
    entry.set_memory_bytes(static_cast<std::uint64_t>(reader.Int(20)));
  }
  entry.set_failing(static_cast<std::int32_t>(reader.Int(21)));
  entry.set_warning(static_cast<std::int32_t>(reader.Int(22)));
  if (reader.Int(23) != 0) {
    v1::HostAnnotations& annotations = *entry.mutable_annotations();
    annotations.set_location(reader.Text(24));
    annotations.set_purpose(reader.Text(25));
    annotations.set_person_in_charge(reader.Text(26));
    annotations.set_updated_by(reader.Text(27));
    reader.TimeInto(28, [&] { return annotations.mutable_updated_at(); });
  }
  if (!reader.status().ok()) {
    return reader.status();
  }
  return entry;
}

// ---- Software ---------------------------------------------------------------------------------

constexpr absl::string_view kSoftwareFrom =
    "FROM host_software AS s JOIN agents AS a ON a.agent_id = s.agent_id "
    "LEFT JOIN hosts AS h ON h.agent_id = s.agent_id "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR instr(lower(s.name), lower(?1)) > 0) "
    "AND (?2 = '' OR s.version = ?2) AND (?3 = '' OR s.agent_id = ?3) ";

// ---- Idle episodes ----------------------------------------------------------------------------

constexpr absl::string_view kIdleEpisodeQuery =
    "SELECT e.episode_id, e.agent_id, COALESCE(h.hostname, a.hostname), e.started_at, "
    "e.ended_at, e.max_idle_s, e.idle_since, e.open, e.locked "
    "FROM idle_episodes AS e JOIN agents AS a ON a.agent_id = e.agent_id "
    "LEFT JOIN hosts AS h ON h.agent_id = e.agent_id "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR julianday(e.ended_at) >= julianday(?1)) "
    "AND (?2 = '' OR e.agent_id = ?2) "
    "ORDER BY julianday(e.started_at) DESC, e.episode_id DESC LIMIT ?3 OFFSET ?4";

absl::StatusOr<v1::IdleEpisode> ReadIdleEpisode(const Statement& row) {
  RowReader reader(row);
  v1::IdleEpisode episode;
  episode.set_episode_id(reader.Int(0));
  episode.set_agent_id(reader.Text(1));
  episode.set_hostname(reader.Text(2));
  reader.TimeInto(3, [&] { return episode.mutable_from(); });
  reader.TimeInto(4, [&] { return episode.mutable_to(); });
  episode.mutable_max_idle()->set_seconds(reader.Int(5));
  reader.TimeInto(6, [&] { return episode.mutable_idle_since(); });
  episode.set_open(reader.Int(7) != 0);
  if (std::optional<bool> locked = reader.OptionalBool(8)) {
    episode.set_locked(*locked);
  }
  if (!reader.status().ok()) {
    return reader.status();
  }
  return episode;
}

// ---- Accounts ---------------------------------------------------------------------------------

// The newest review of each account is the one with the highest review_id.
constexpr absl::string_view kAccountQuery =
    "SELECT ha.agent_id, COALESCE(h.hostname, a.hostname), ha.name, ha.account_id, ha.full_name, "
    "ha.enabled, ha.admin, ha.system_account, ha.last_logon, ha.password_changed_at, ha.locked, "
    "ha.password_empty, ha.password_expires, ha.rule_ids, ha.first_seen, ha.removed_at, "
    "ha.material, r.review_id, r.decision, r.note, r.reviewer, r.reviewed_at, r.valid_until, "
    "r.closed_at, r.closed_reason, r.material "
    "FROM host_accounts AS ha JOIN agents AS a ON a.agent_id = ha.agent_id "
    "LEFT JOIN hosts AS h ON h.agent_id = ha.agent_id "
    "LEFT JOIN account_reviews AS r ON r.review_id = (SELECT max(x.review_id) "
    "FROM account_reviews AS x WHERE x.agent_id = ha.agent_id AND x.account_name = ha.name) "
    "WHERE a.removed_at IS NULL AND (?1 = '' OR ha.agent_id = ?1) "
    "AND (?2 != 0 OR ha.system_account = 0) AND (?3 != 0 OR ha.removed_at IS NULL) "
    "AND (?4 = '' OR ha.name = ?4) "
    "ORDER BY COALESCE(h.hostname, a.hostname), ha.name, ha.agent_id LIMIT ?5";

struct AccountFilter {
  std::string agent_id;  // "" for every host
  bool include_system = false;
  bool include_removed = false;
  std::string name;  // "" for every account
};

absl::StatusOr<v1::AccountEntry> ReadAccount(const Statement& row, absl::Time now) {
  RowReader reader(row);
  v1::AccountEntry account;
  account.set_agent_id(reader.Text(0));
  account.set_hostname(reader.Text(1));
  account.set_name(reader.Text(2));
  account.set_account_id(reader.Text(3));
  account.set_full_name(reader.Text(4));
  if (std::optional<bool> enabled = reader.OptionalBool(5)) {
    account.set_enabled(*enabled);
  }
  if (std::optional<bool> admin = reader.OptionalBool(6)) {
    account.set_admin(*admin);
  }
  account.set_system_account(reader.Int(7) != 0);
  reader.TimeInto(8, [&] { return account.mutable_last_logon(); });
  if (std::optional<absl::Time> changed = reader.Time(9)) {
    *account.mutable_password_changed_at() = codec::ToProtoTimestamp(*changed);
    const std::int64_t days = absl::ToInt64Hours(now - *changed) / 24;
    account.set_password_age_days(static_cast<std::int32_t>(
        std::clamp<std::int64_t>(days, 0, std::numeric_limits<std::int32_t>::max())));
  }
  if (reader.OptionalBool(10).value_or(false)) {
    account.add_flags("locked");
  }
  if (reader.OptionalBool(11).value_or(false)) {
    account.add_flags("password_empty");
  }
  if (!reader.OptionalBool(12).value_or(true)) {
    account.add_flags("password_never_expires");
  }
  for (std::string& rule_id : reader.Strings(13)) {
    account.add_rule_ids(std::move(rule_id));
  }
  reader.TimeInto(14, [&] { return account.mutable_first_seen(); });
  reader.TimeInto(15, [&] { return account.mutable_removed_at(); });
  const std::string material = reader.Text(16);

  std::optional<NewestReview> newest;
  if (!reader.IsNull(17)) {
    v1::AccountReview& review = *account.mutable_review();
    review.set_review_id(reader.Int(17));
    review.set_decision(ParseReviewDecision(reader.Text(18)));
    review.set_note(reader.Text(19));
    review.set_reviewer(reader.Text(20));
    reader.TimeInto(21, [&] { return review.mutable_reviewed_at(); });
    std::optional<absl::Time> valid_until = reader.Time(22);
    if (valid_until.has_value()) {
      *review.mutable_valid_until() = codec::ToProtoTimestamp(*valid_until);
    }
    reader.TimeInto(23, [&] { return review.mutable_closed_at(); });
    review.set_closed_reason(reader.Text(24));
    newest = NewestReview{.decision = review.decision(),
                          .material = reader.Text(25),
                          .valid_until = valid_until,
                          .closed = !reader.IsNull(23)};
  }
  const ReviewDue due = DecideReviewDue(!reader.IsNull(15), material, newest, now);
  account.set_due(due.due);
  account.set_due_reason(due.reason);
  if (!reader.status().ok()) {
    return reader.status();
  }
  return account;
}

// Every matching account, due ones first (then by host name and name), with the review state as of
// `now`.
absl::StatusOr<std::vector<v1::AccountEntry>> ReadAccounts(Database& db,
                                                           const AccountFilter& filter,
                                                           absl::Time now) {
  absl::StatusOr<Statement> query =
      db.Query(kAccountQuery, {filter.agent_id, static_cast<std::int64_t>(filter.include_system),
                               static_cast<std::int64_t>(filter.include_removed), filter.name,
                               static_cast<std::int64_t>(kMaxAccountRows) + 1});
  if (!query.ok()) {
    return query.status();
  }
  std::vector<v1::AccountEntry> accounts;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
        if (accounts.size() == static_cast<std::size_t>(kMaxAccountRows)) {
          return absl::ResourceExhaustedError(absl::StrCat(
              "more than ", kMaxAccountRows, " accounts match; list them host by host"));
        }
        absl::StatusOr<v1::AccountEntry> account = ReadAccount(row, now);
        if (!account.ok()) {
          return account.status();
        }
        accounts.push_back(*std::move(account));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  std::stable_partition(accounts.begin(), accounts.end(),
                        [](const v1::AccountEntry& account) { return account.due(); });
  return accounts;
}

}  // namespace

absl::StatusOr<KnowledgeReader> KnowledgeReader::Open(const std::filesystem::path& path) {
  absl::StatusOr<Database> db =
      Database::Open(path, Database::OpenMode::kExistingOnly, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return KnowledgeReader(*std::move(db));
}

absl::StatusOr<v1::ListHostsResponse> KnowledgeReader::ListHosts(
    const v1::ListHostsRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  v1::ListHostsResponse response;
  absl::StatusOr<bool> more =
      ForEachPageRow(db_, kLedgerQuery, {"", ""}, *page, [&](const Statement& row) -> absl::Status {
        absl::StatusOr<v1::LedgerEntry> entry = ReadLedgerEntry(row);
        if (!entry.ok()) {
          return entry.status();
        }
        v1::Host& host = *response.add_hosts();
        host.set_agent_id(entry->agent_id());
        host.set_hostname(entry->hostname());
        host.set_os_name(entry->os_name());
        host.set_os_version(entry->os_version());
        host.set_os_pretty_name(entry->os_pretty_name());
        *host.mutable_last_seen() = entry->last_seen();
        host.set_role(entry->role());
        host.set_contact_state(entry->contact_state());
        host.set_failing(entry->failing());
        host.set_warning(entry->warning());
        return absl::OkStatus();
      });
  if (!more.ok()) {
    return more.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  return response;
}

absl::StatusOr<v1::GetHostResponse> KnowledgeReader::GetHost(const v1::GetHostRequest& request) {
  if (request.history_limit() < 0 || request.history_limit() > kMaxHistoryLimit) {
    return Invalid("history_limit",
                   absl::StrCat("must be between 0 (default ", kDefaultHistoryLimit, ") and ",
                                kMaxHistoryLimit, ", not ", request.history_limit()));
  }
  absl::StatusOr<std::string> agent_id = ResolveHost(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  v1::GetHostResponse response;
  bool found = false;
  absl::StatusOr<bool> more = ForEachPageRow(
      db_, kLedgerQuery, {"", *agent_id}, Page{0, 1}, [&](const Statement& row) -> absl::Status {
        absl::StatusOr<v1::LedgerEntry> entry = ReadLedgerEntry(row);
        if (!entry.ok()) {
          return entry.status();
        }
        *response.mutable_ledger() = *std::move(entry);
        found = true;
        return absl::OkStatus();
      });
  if (!more.ok()) {
    return more.status();
  }
  if (!found) {
    return absl::NotFoundError(absl::StrCat("no host named '", request.host(), "'"));
  }

  // The newest snapshot's facts: seq only ever grows, so the highest is the newest.
  {
    absl::StatusOr<Statement> snapshot = db_.Query(
        "SELECT seq, collected_at, received_at, facts FROM snapshots WHERE agent_id = ?1 "
        "ORDER BY seq DESC LIMIT 1",
        {*agent_id});
    if (!snapshot.ok()) {
      return snapshot.status();
    }
    absl::StatusOr<bool> row = snapshot->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (*row) {
      if (!response.mutable_facts()->ParseFromString(snapshot->ColumnText(3))) {
        return absl::DataLossError(absl::StrCat("snapshot ", snapshot->ColumnInt64(0), " of agent ",
                                                *agent_id, ": the stored facts do not parse"));
      }
      // An agent that could not tell when it collected is dated by when the collector got it.
      RowReader reader(*snapshot);
      std::optional<absl::Time> collected_at = reader.Time(1);
      if (!collected_at.has_value()) {
        collected_at = reader.Time(2);
      }
      if (!reader.status().ok()) {
        return reader.status();
      }
      if (collected_at.has_value()) {
        *response.mutable_facts_collected_at() = codec::ToProtoTimestamp(*collected_at);
      }
    }
  }

  // Findings in catalogue order; ids the catalogue does not know come last, by id.
  {
    absl::StatusOr<Statement> findings =
        db_.Query(absl::StrCat(kFindingColumns,
                               "FROM findings AS f JOIN agents AS a ON a.agent_id = f.agent_id "
                               "LEFT JOIN hosts AS h ON h.agent_id = f.agent_id "
                               "WHERE f.agent_id = ?1 ORDER BY f.rule_id"),
                  {*agent_id});
    if (!findings.ok()) {
      return findings.status();
    }
    std::vector<std::pair<std::size_t, v1::Finding>> ordered;
    if (absl::Status status = findings->ForEachRow([&](const Statement& row) -> absl::Status {
          absl::StatusOr<v1::Finding> finding = ReadFinding(row);
          if (!finding.ok()) {
            return finding.status();
          }
          const std::size_t order = FindRule(finding->rule_id()).order;
          ordered.emplace_back(order, *std::move(finding));
          return absl::OkStatus();
        });
        !status.ok()) {
      return status;
    }
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [order, finding] : ordered) {
      *response.add_findings() = std::move(finding);
    }
  }

  const int history_limit =
      request.history_limit() == 0 ? kDefaultHistoryLimit : request.history_limit();
  more = ForEachPageRow(db_, kHistoryQuery, {"", *agent_id, ""}, Page{0, history_limit},
                        [&](const Statement& row) -> absl::Status {
                          absl::StatusOr<v1::FindingChange> change = ReadFindingChange(row);
                          if (!change.ok()) {
                            return change.status();
                          }
                          *response.add_history() = *std::move(change);
                          return absl::OkStatus();
                        });
  if (!more.ok()) {
    return more.status();
  }

  more = ForEachPageRow(db_, kIdleEpisodeQuery, {"", *agent_id}, Page{0, kHostIdleEpisodes},
                        [&](const Statement& row) -> absl::Status {
                          absl::StatusOr<v1::IdleEpisode> episode = ReadIdleEpisode(row);
                          if (!episode.ok()) {
                            return episode.status();
                          }
                          *response.add_idle_episodes() = *std::move(episode);
                          return absl::OkStatus();
                        });
  if (!more.ok()) {
    return more.status();
  }
  return response;
}

absl::StatusOr<v1::ListFindingsResponse> KnowledgeReader::ListFindings(
    const v1::ListFindingsRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  // ",fail,warn," so that one parameter carries the set.
  std::string statuses = ",";
  if (request.statuses().empty()) {
    statuses = ",fail,warn,unknown,";
  }
  for (int status : request.statuses()) {
    const std::string_view name = codec::FindingStatusName(status);
    if (name.empty()) {
      return Invalid("statuses", absl::StrCat("unknown status ", status));
    }
    absl::StrAppend(&statuses, std::string(name), ",");
  }
  if (absl::Status status = CheckText("rule_id", request.rule_id(), kMaxFilterBytes);
      !status.ok()) {
    return status;
  }
  std::string area = absl::AsciiStrToUpper(request.area());
  if (area.size() > kMaxAreaBytes || !std::all_of(area.begin(), area.end(), absl::ascii_isalnum)) {
    return Invalid("area", "must be the letters of a rule id's area, e.g. \"USB\"");
  }
  absl::StatusOr<std::string> agent_id = ResolveHostFilter(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }

  const std::vector<SqlParam> filters = {statuses, request.rule_id(), *agent_id, area};
  v1::ListFindingsResponse response;
  absl::StatusOr<bool> more =
      ForEachPageRow(db_,
                     absl::StrCat(kFindingColumns, kFindingsFrom,
                                  "ORDER BY CASE f.status WHEN 'fail' THEN 0 WHEN 'warn' THEN 1 "
                                  "WHEN 'unknown' THEN 2 WHEN 'pass' THEN 3 ELSE 4 END, ",
                                  kHostname, ", f.rule_id, f.agent_id LIMIT ?5 OFFSET ?6"),
                     filters, *page, [&](const Statement& row) -> absl::Status {
                       absl::StatusOr<v1::Finding> finding = ReadFinding(row);
                       if (!finding.ok()) {
                         return finding.status();
                       }
                       *response.add_findings() = *std::move(finding);
                       return absl::OkStatus();
                     });
  if (!more.ok()) {
    return more.status();
  }
  absl::StatusOr<std::int32_t> total =
      CountRows(db_, absl::StrCat("SELECT count(*) ", kFindingsFrom), filters);
  if (!total.ok()) {
    return total.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  response.set_total(*total);
  return response;
}

absl::StatusOr<v1::ListFindingHistoryResponse> KnowledgeReader::ListFindingHistory(
    const v1::ListFindingHistoryRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  absl::StatusOr<std::string> since = StoredSince("since", request.has_since(), request.since());
  if (!since.ok()) {
    return since.status();
  }
  if (absl::Status status = CheckText("rule_id", request.rule_id(), kMaxFilterBytes);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> agent_id = ResolveHostFilter(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  v1::ListFindingHistoryResponse response;
  absl::StatusOr<bool> more =
      ForEachPageRow(db_, kHistoryQuery, {*since, *agent_id, request.rule_id()}, *page,
                     [&](const Statement& row) -> absl::Status {
                       absl::StatusOr<v1::FindingChange> change = ReadFindingChange(row);
                       if (!change.ok()) {
                         return change.status();
                       }
                       *response.add_changes() = *std::move(change);
                       return absl::OkStatus();
                     });
  if (!more.ok()) {
    return more.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  return response;
}

absl::StatusOr<v1::ListLedgerResponse> KnowledgeReader::ListLedger(
    const v1::ListLedgerRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  if (!request.role().empty() && request.role() != "workstation" && request.role() != "server") {
    return Invalid("role", "must be \"workstation\", \"server\" or empty");
  }
  const std::vector<SqlParam> filters = {request.role(), ""};
  v1::ListLedgerResponse response;
  absl::StatusOr<bool> more =
      ForEachPageRow(db_, kLedgerQuery, filters, *page, [&](const Statement& row) -> absl::Status {
        absl::StatusOr<v1::LedgerEntry> entry = ReadLedgerEntry(row);
        if (!entry.ok()) {
          return entry.status();
        }
        *response.add_entries() = *std::move(entry);
        return absl::OkStatus();
      });
  if (!more.ok()) {
    return more.status();
  }
  absl::StatusOr<std::int32_t> total = CountRows(db_, kLedgerCount, filters);
  if (!total.ok()) {
    return total.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  response.set_total(*total);
  return response;
}

absl::StatusOr<v1::ListSoftwareResponse> KnowledgeReader::ListSoftware(
    const v1::ListSoftwareRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  if (absl::Status status = CheckText("name_contains", request.name_contains(), kMaxFilterBytes);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckText("version", request.version(), kMaxFilterBytes);
      !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> agent_id = ResolveHostFilter(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  const std::vector<SqlParam> filters = {request.name_contains(), request.version(), *agent_id};
  v1::ListSoftwareResponse response;
  absl::StatusOr<bool> more = false;
  absl::StatusOr<std::int32_t> total = 0;
  if (request.by_host()) {
    more = ForEachPageRow(db_,
                          absl::StrCat("SELECT s.agent_id, ", kHostname,
                                       ", s.name, s.version, s.publisher, s.installed_at ",
                                       kSoftwareFrom, "ORDER BY s.name, s.version, ", kHostname,
                                       ", s.agent_id, s.publisher, s.rowid LIMIT ?4 OFFSET ?5"),
                          filters, *page, [&](const Statement& row) -> absl::Status {
                            RowReader reader(row);
                            v1::SoftwareInstall& install = *response.add_installs();
                            install.set_agent_id(reader.Text(0));
                            install.set_hostname(reader.Text(1));
                            install.set_name(reader.Text(2));
                            install.set_version(reader.Text(3));
                            install.set_publisher(reader.Text(4));
                            reader.TimeInto(5, [&] { return install.mutable_installed_at(); });
                            return reader.status();
                          });
    total = CountRows(db_, absl::StrCat("SELECT count(*) ", kSoftwareFrom), filters);
  } else {
    more = ForEachPageRow(
        db_,
        absl::StrCat("SELECT s.name, s.version, s.publisher, count(DISTINCT s.agent_id) ",
                     kSoftwareFrom,
                     "GROUP BY s.name, s.version, s.publisher "
                     "ORDER BY s.name, s.version, s.publisher LIMIT ?4 OFFSET ?5"),
        filters, *page, [&](const Statement& row) -> absl::Status {
          v1::SoftwareVersion& version = *response.add_versions();
          version.set_name(row.ColumnText(0));
          version.set_version(row.ColumnText(1));
          version.set_publisher(row.ColumnText(2));
          version.set_host_count(static_cast<std::int32_t>(row.ColumnInt64(3)));
          return absl::OkStatus();
        });
    total = CountRows(db_,
                      absl::StrCat("SELECT count(*) FROM (SELECT 1 ", kSoftwareFrom,
                                   "GROUP BY s.name, s.version, s.publisher)"),
                      filters);
  }
  if (!more.ok()) {
    return more.status();
  }
  if (!total.ok()) {
    return total.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  response.set_total(*total);
  return response;
}

absl::StatusOr<v1::ListAccountsResponse> KnowledgeReader::ListAccounts(
    const v1::ListAccountsRequest& request, const rules::Policy& /*policy*/, absl::Time now) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  absl::StatusOr<std::string> agent_id = ResolveHostFilter(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  absl::StatusOr<std::vector<v1::AccountEntry>> accounts =
      ReadAccounts(db_,
                   AccountFilter{.agent_id = *agent_id,
                                 .include_system = request.include_system(),
                                 .include_removed = request.include_removed(),
                                 .name = ""},
                   now);
  if (!accounts.ok()) {
    return accounts.status();
  }
  // Due accounts come first, so "due only" is the leading run.
  const auto due_end = std::find_if(accounts->begin(), accounts->end(),
                                    [](const v1::AccountEntry& account) { return !account.due(); });
  const std::int64_t due = due_end - accounts->begin();
  const std::int64_t matching = request.due_only() ? due : std::ssize(*accounts);

  v1::ListAccountsResponse response;
  const std::int64_t end = std::min<std::int64_t>(matching, page->offset + page->size);
  for (std::int64_t i = page->offset; i < end; ++i) {
    *response.add_accounts() = std::move((*accounts)[static_cast<std::size_t>(i)]);
  }
  response.set_next_page_token(NextPageToken(*page, end < matching));
  response.set_total(static_cast<std::int32_t>(matching));
  response.set_due(static_cast<std::int32_t>(due));
  return response;
}

absl::StatusOr<v1::ListIdleEpisodesResponse> KnowledgeReader::ListIdleEpisodes(
    const v1::ListIdleEpisodesRequest& request) {
  absl::StatusOr<Page> page = ParsePage(request.page());
  if (!page.ok()) {
    return page.status();
  }
  absl::StatusOr<std::string> since = StoredSince("since", request.has_since(), request.since());
  if (!since.ok()) {
    return since.status();
  }
  absl::StatusOr<std::string> agent_id = ResolveHostFilter(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  v1::ListIdleEpisodesResponse response;
  absl::StatusOr<bool> more = ForEachPageRow(db_, kIdleEpisodeQuery, {*since, *agent_id}, *page,
                                             [&](const Statement& row) -> absl::Status {
                                               absl::StatusOr<v1::IdleEpisode> episode =
                                                   ReadIdleEpisode(row);
                                               if (!episode.ok()) {
                                                 return episode.status();
                                               }
                                               *response.add_episodes() = *std::move(episode);
                                               return absl::OkStatus();
                                             });
  if (!more.ok()) {
    return more.status();
  }
  response.set_next_page_token(NextPageToken(*page, *more));
  return response;
}

absl::StatusOr<v1::UpdateHostAnnotationsResponse> KnowledgeReader::UpdateHostAnnotations(
    const v1::UpdateHostAnnotationsRequest& request, absl::string_view actor, absl::Time now) {
  if (request.has_location()) {
    if (absl::Status status =
            CheckCharacters("location", request.location(), kMaxAnnotationCharacters);
        !status.ok()) {
      return status;
    }
  }
  if (request.has_purpose()) {
    if (absl::Status status =
            CheckCharacters("purpose", request.purpose(), kMaxAnnotationCharacters);
        !status.ok()) {
      return status;
    }
  }
  if (request.has_person_in_charge()) {
    if (absl::Status status = CheckCharacters("person_in_charge", request.person_in_charge(),
                                              kMaxAnnotationCharacters);
        !status.ok()) {
      return status;
    }
  }
  absl::StatusOr<std::string> agent_id = ResolveHost(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }
  // NULL for a field left unset: COALESCE keeps what is stored.
  auto field = [](bool has, const std::string& value) -> std::optional<std::string> {
    return has ? std::optional<std::string>(value) : std::nullopt;
  };
  const std::optional<std::string> location = field(request.has_location(), request.location());
  const std::optional<std::string> purpose = field(request.has_purpose(), request.purpose());
  const std::optional<std::string> person =
      field(request.has_person_in_charge(), request.person_in_charge());

  v1::UpdateHostAnnotationsResponse response;
  response.set_agent_id(*agent_id);
  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  {
    absl::StatusOr<Statement> upsert = db_.Query(
        "INSERT INTO host_annotations "
        "(agent_id, location, purpose, person_in_charge, updated_by, updated_at) "
        "VALUES (?1, COALESCE(?2, ''), COALESCE(?3, ''), COALESCE(?4, ''), ?5, ?6) "
        "ON CONFLICT (agent_id) DO UPDATE SET location = COALESCE(?2, location), "
        "purpose = COALESCE(?3, purpose), person_in_charge = COALESCE(?4, person_in_charge), "
        "updated_by = ?5, updated_at = ?6 "
        "RETURNING location, purpose, person_in_charge, updated_by, updated_at",
        {*agent_id, location, purpose, person, actor, FormatStoredTime(now)});
    if (!upsert.ok()) {
      return upsert.status();
    }
    absl::StatusOr<bool> row = upsert->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::InternalError("the annotations upsert returned no row");
    }
    RowReader reader(*upsert);
    v1::HostAnnotations& annotations = *response.mutable_annotations();
    annotations.set_location(reader.Text(0));
    annotations.set_purpose(reader.Text(1));
    annotations.set_person_in_charge(reader.Text(2));
    annotations.set_updated_by(reader.Text(3));
    reader.TimeInto(4, [&] { return annotations.mutable_updated_at(); });
    if (!reader.status().ok()) {
      return reader.status();
    }
    // Finish the statement so COMMIT has no statement in progress.
    if (absl::StatusOr<bool> done = upsert->Step(); !done.ok()) {
      return done.status();
    }
  }
  if (absl::Status status = transaction->Commit(); !status.ok()) {
    return status;
  }
  return response;
}

absl::StatusOr<v1::RecordAccountReviewResponse> KnowledgeReader::RecordAccountReview(
    const v1::RecordAccountReviewRequest& request, absl::string_view actor,
    const rules::Policy& /*policy*/, absl::Time now) {
  const v1::ReviewDecision decision = request.decision();
  if (ReviewDecisionName(decision).empty()) {
    return Invalid("decision", "required: keep, remove or investigate");
  }
  if (request.account().empty()) {
    return Invalid("account", "required (the account name as the host reports it)");
  }
  if (absl::Status status = CheckText("account", request.account(), kMaxFilterBytes);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = CheckCharacters("note", request.note(), kMaxNoteCharacters);
      !status.ok()) {
    return status;
  }
  // Whoever reads the record later must learn why an account is to be removed or looked into.
  if (decision != v1::REVIEW_DECISION_KEEP && request.note().empty()) {
    return Invalid("note", "required when the decision is remove or investigate: say why");
  }
  absl::StatusOr<std::string> agent_id = ResolveHost(db_, request.host());
  if (!agent_id.ok()) {
    return agent_id.status();
  }

  absl::StatusOr<Transaction> transaction = Transaction::Begin(db_);
  if (!transaction.ok()) {
    return transaction.status();
  }
  std::string material;
  {
    absl::StatusOr<Statement> account = db_.Query(
        "SELECT ha.material FROM host_accounts AS ha JOIN agents AS a ON a.agent_id = ha.agent_id "
        "WHERE ha.agent_id = ?1 AND ha.name = ?2 AND ha.removed_at IS NULL "
        "AND a.removed_at IS NULL",
        {*agent_id, request.account()});
    if (!account.ok()) {
      return account.status();
    }
    absl::StatusOr<bool> row = account->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::NotFoundError(
          absl::StrCat("host '", request.host(), "' has no account '", request.account(), "'"));
    }
    material = account->ColumnText(0);
  }
  std::int64_t review_id = 0;
  {
    absl::StatusOr<Statement> insert = db_.Query(
        "INSERT INTO account_reviews (agent_id, account_name, decision, note, reviewer, "
        "reviewed_at, material, valid_until) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
        "RETURNING review_id",
        {*agent_id, request.account(), ReviewDecisionName(decision), request.note(), actor,
         FormatStoredTime(now), material, FormatStoredTime(ReviewValidUntil(decision, now))});
    if (!insert.ok()) {
      return insert.status();
    }
    absl::StatusOr<bool> row = insert->Step();
    if (!row.ok()) {
      return row.status();
    }
    if (!*row) {
      return absl::InternalError("the review insert returned no id");
    }
    review_id = insert->ColumnInt64(0);
    if (absl::StatusOr<bool> done = insert->Step(); !done.ok()) {
      return done.status();
    }
  }
  if (absl::Status status = db_.Run(
          "UPDATE account_reviews SET closed_at = ?4, closed_reason = ?5 "
          "WHERE agent_id = ?1 AND account_name = ?2 AND review_id != ?3 AND closed_at IS NULL",
          {*agent_id, request.account(), review_id, FormatStoredTime(now),
           absl::StrCat("新しいレビュー (#", review_id, ") に置き換え")});
      !status.ok()) {
    return status;
  }
  if (absl::Status status = transaction->Commit(); !status.ok()) {
    return status;
  }

  absl::StatusOr<std::vector<v1::AccountEntry>> accounts =
      ReadAccounts(db_,
                   AccountFilter{.agent_id = *agent_id,
                                 .include_system = true,
                                 .include_removed = true,
                                 .name = request.account()},
                   now);
  if (!accounts.ok()) {
    return accounts.status();
  }
  if (accounts->size() != 1) {
    return absl::InternalError("the reviewed account could not be read back");
  }
  v1::RecordAccountReviewResponse response;
  *response.mutable_account() = std::move(accounts->front());
  return response;
}

}  // namespace mamori::collector
