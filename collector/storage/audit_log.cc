#include "collector/storage/audit_log.h"

#include <pwd.h>
#include <unistd.h>

#include <array>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/storage/agent_record_store.h"
#include "collector/storage/schema.h"
#include "platform/parse/utf8.h"

namespace mamori::collector {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at `text[i]`, or 0 when it is not one or is a C1
// control (encoded as C2 80..C2 9F).
std::size_t Utf8SequenceLength(absl::string_view text, std::size_t i) {
  const std::size_t length =
      parse::Utf8SequenceLength(std::string_view(text.data(), text.size()), i);
  if (length == 2 && static_cast<unsigned char>(text[i]) == 0xC2 &&
      static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
    return 0;
  }
  return length;
}

AuditOutcome ParseOutcome(const std::string& text) {
  if (text == "ok") {
    return AuditOutcome::kOk;
  }
  if (text == "refused") {
    return AuditOutcome::kRefused;
  }
  return AuditOutcome::kFailed;
}

}  // namespace

absl::string_view AuditOutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kOk:
      return "ok";
    case AuditOutcome::kRefused:
      return "refused";
    case AuditOutcome::kFailed:
      return "failed";
  }
  return "failed";
}

std::string SanitizeAuditText(absl::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes));
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t length = Utf8SequenceLength(text, i);
    absl::string_view piece;
    if (length == 1 && (static_cast<unsigned char>(text[i]) < 0x20 || text[i] == 0x7f)) {
      piece = kReplacement;
    } else if (length == 0) {
      piece = kReplacement;
      length = 1;
    } else {
      piece = text.substr(i, length);
    }
    if (out.size() + piece.size() > max_bytes) {
      break;
    }
    out.append(piece.data(), piece.size());
    i += length;
  }
  return out;
}

std::string LocalActor() {
  std::array<char, 4096> buffer{};
  passwd entry{};
  passwd* found = nullptr;
  const uid_t uid = geteuid();
  if (getpwuid_r(uid, &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr) {
    return absl::StrCat("local:", found->pw_name);
  }
  return absl::StrCat("local:uid", uid);
}

absl::StatusOr<std::unique_ptr<AuditLog>> AuditLog::Open(const std::filesystem::path& path,
                                                         Database::OpenMode mode) {
  absl::StatusOr<Database> db = Database::Open(path, mode, CollectorSchema());
  if (!db.ok()) {
    return db.status();
  }
  return std::unique_ptr<AuditLog>(new AuditLog(*std::move(db)));
}

absl::Status AuditLog::Record(const AuditEntry& entry, absl::Time at) {
  absl::MutexLock lock(&mu_);
  return db_.Run(
      "INSERT INTO audit_events (at, actor, role, action, target, detail, outcome) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
      {FormatStoredTime(at), SanitizeAuditText(entry.actor, kMaxAuditFieldBytes),
       SanitizeAuditText(entry.role, kMaxAuditFieldBytes),
       SanitizeAuditText(entry.action, kMaxAuditFieldBytes),
       SanitizeAuditText(entry.target, kMaxAuditFieldBytes),
       SanitizeAuditText(entry.detail, kMaxAuditFieldBytes), AuditOutcomeName(entry.outcome)});
}

absl::StatusOr<std::vector<AuditEvent>> AuditLog::List(std::optional<absl::Time> since, int limit) {
  absl::MutexLock lock(&mu_);
  // Stored times have a varying number of fraction digits, so compare as times, not as text; the
  // newest `limit` rows are picked by id (insertion order) and then returned oldest first.
  absl::StatusOr<Statement> query = db_.Query(
      "SELECT id, at, actor, role, action, target, detail, outcome FROM ("
      "  SELECT * FROM audit_events "
      "  WHERE ?1 IS NULL OR julianday(at) >= julianday(?1) "
      "  ORDER BY id DESC LIMIT ?2) "
      "ORDER BY id",
      {since.has_value() ? SqlParam(FormatStoredTime(*since)) : SqlParam(nullptr),
       std::int64_t{limit}});
  if (!query.ok()) {
    return query.status();
  }
  std::vector<AuditEvent> events;
  if (absl::Status status = query->ForEachRow([&](const Statement& row) -> absl::Status {
        AuditEvent event;
        event.id = row.ColumnInt64(0);
        std::string error;
        if (!absl::ParseTime(absl::RFC3339_full, row.ColumnText(1), &event.at, &error)) {
          return absl::DataLossError(absl::StrCat("audit event ", event.id, ": damaged time"));
        }
        event.entry.actor = row.ColumnText(2);
        event.entry.role = row.ColumnText(3);
        event.entry.action = row.ColumnText(4);
        event.entry.target = row.ColumnText(5);
        event.entry.detail = row.ColumnText(6);
        event.entry.outcome = ParseOutcome(row.ColumnText(7));
        events.push_back(std::move(event));
        return absl::OkStatus();
      });
      !status.ok()) {
    return status;
  }
  return events;
}

}  // namespace mamori::collector
