// mamorictl's output without a network: display widths of Japanese text, aligned and truncated
// tables, cells a hostile agent filled, CSV for Japanese Excel, JSON that parses back, the clinic's
// time, and fetching every page of a list.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "collector/ctl/collector_client.h"
#include "collector/ctl/output_format.h"
#include "collector/ctl/table_format.h"
#include "collector/ctl/terminal_text.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mamori::ctl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (!lines.empty() && lines.back().empty()) {
    lines.pop_back();
  }
  return lines;
}

google::protobuf::Timestamp At(const char* rfc3339) {
  absl::Time time;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, rfc3339, &time, &error)) << error;
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

// --- display width ---

TEST(DisplayWidth, CountsAsciiAsOneColumnEach) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("reception-01"), 12u);
}

TEST(DisplayWidth, CountsKanaAndKanjiAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("うけつけ"), 8u);
  EXPECT_EQ(DisplayWidth("カルテ"), 6u);
  EXPECT_EQ(DisplayWidth("受付PC"), 6u);
  EXPECT_EQ(DisplayWidth("電子カルテ端末"), 14u);
}

TEST(DisplayWidth, CountsFullwidthFormsAsTwoAndHalfwidthKatakanaAsOne) {
  EXPECT_EQ(DisplayWidth("ＰＣ１"), 6u);  // U+FF30 U+FF23 U+FF11
  EXPECT_EQ(DisplayWidth("\u3000"), 2u);  // ideographic space
  EXPECT_EQ(DisplayWidth("ｶﾙﾃ"), 3u);     // halfwidth katakana
}

TEST(DisplayWidth, CountsCombiningMarksAsZero) {
  EXPECT_EQ(DisplayWidth("e\u0301"), 1u);  // é decomposed
  EXPECT_EQ(DisplayWidth("\u304B\u3099"),
            2u);  // か + combining dakuten = が (NFD, as macOS writes)
  EXPECT_EQ(DisplayWidth("\u2764\uFE0F"), 1u);  // a variation selector adds nothing
}

TEST(DisplayWidth, CountsEmojiAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("\U0001F600"), 2u);
  EXPECT_EQ(DisplayWidth("\U0001F5A5"), 1u);  // desktop computer: narrow by default (EAW N)
}

TEST(DisplayWidth, CountsInvalidUtf8AsOneReplacementCharacterPerByte) {
  EXPECT_EQ(DisplayWidth("\xff\xfe"), 2u);
  EXPECT_EQ(DisplayWidth("a\xe3\x81"), 3u);  // truncated 3-byte sequence: two stray bytes
}

TEST(DecodeUtf8, RefusesOverlongFormsSurrogatesAndValuesAboveUnicode) {
  EXPECT_THAT(DecodeUtf8("\xc0\xaf"), ElementsAre(kReplacementCharacter, kReplacementCharacter));
  EXPECT_THAT(DecodeUtf8("\xe0\x80\xaf"),
              ElementsAre(kReplacementCharacter, kReplacementCharacter, kReplacementCharacter));
  EXPECT_THAT(DecodeUtf8("\xed\xa0\x80"),
              ElementsAre(kReplacementCharacter, kReplacementCharacter, kReplacementCharacter));
  EXPECT_THAT(DecodeUtf8("\xf4\x90\x80\x80"), SizeIs(4));
  EXPECT_THAT(DecodeUtf8("あ\U0010FFFF"), ElementsAre(U'あ', U'\U0010FFFF'));
}

// --- terminal safety ---

TEST(CleanForTerminal, EscapesAnsiSequencesSoTheyCannotRewriteTheScreen) {
  const std::string cleaned = CleanForTerminal("pc\x1b[2J\x1b]0;owned\x07-01");
  EXPECT_EQ(cleaned, "pc\\x1B[2J\\x1B]0;owned\\x07-01");
  EXPECT_EQ(cleaned.find('\x1b'), std::string::npos);
}

TEST(CleanForTerminal, EscapesNulNewlinesDelAndC1Controls) {
  EXPECT_EQ(CleanForTerminal(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(CleanForTerminal("line1\r\nline2\t"), "line1\\x0D\\x0Aline2\\x09");
  EXPECT_EQ(CleanForTerminal("\x7f"), "\\x7F");
  EXPECT_EQ(CleanForTerminal("\u009b31m"), "\\x9B31m");  // C1 CSI
}

TEST(CleanForTerminal, NamesBidiControlsInsteadOfObeyingThem) {
  EXPECT_EQ(CleanForTerminal("invoice\u202Etxt.exe"), "invoice<U+202E>txt.exe");
  EXPECT_EQ(CleanForTerminal("\u2066x\u2069\u200E\u200F\u061C"),
            "<U+2066>x<U+2069><U+200E><U+200F><U+061C>");
}

TEST(CleanForTerminal, ReplacesInvalidUtf8AndKeepsJapanese) {
  EXPECT_EQ(CleanForTerminal("受付\xff"), "受付\uFFFD");
}

TEST(CleanForTerminal, HandlesATenKilobyteHostileName) {
  std::string name;
  for (int i = 0; i < 1300; ++i) {
    name += "\x1b[31m\u202E";
  }
  ASSERT_GT(name.size(), 10'000u);
  const std::string cleaned = CleanForTerminal(name);
  EXPECT_EQ(cleaned.find('\x1b'), std::string::npos);
  EXPECT_EQ(cleaned.find("\u202E"), std::string::npos);
  Table table{{"HOSTNAME", "OS"}, {{name, "Windows 11"}}};
  const std::vector<std::string> lines = Lines(RenderTable(table));
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_EQ(DisplayWidth(lines[1]), 40u + 2u + 10u);
  EXPECT_EQ(lines[1].find('\x1b'), std::string::npos);
}

// --- truncation and alignment ---

TEST(TruncateToWidth, CutsWithAnEllipsisWithinTheWidth) {
  EXPECT_EQ(TruncateToWidth("abcdef", 6), "abcdef");
  EXPECT_EQ(TruncateToWidth("abcdefg", 6), "abcde\u2026");
  // A wide character that would cross the limit is left out whole.
  EXPECT_EQ(TruncateToWidth("あいうえお", 6), "あい\u2026");
  EXPECT_EQ(DisplayWidth(TruncateToWidth("あいうえお", 6)), 5u);
  EXPECT_EQ(TruncateToWidth("がぎ", 3), "が\u2026");
}

TEST(TruncateToWidth, KeepsACombiningMarkWithItsBase) {
  EXPECT_EQ(TruncateToWidth("\u304B\u3099\u304D\u3099\u304F", 4), "\u304B\u3099\u2026");
}

TEST(RenderTable, AlignsColumnsByDisplayWidthWithJapaneseCells) {
  Table table{{"HOSTNAME", "LOCATION", "OS"},
              {{"受付PC", "受付", "Windows 11"}, {"srv-01", "サーバ室", "Ubuntu"}}};
  const std::vector<std::string> lines = Lines(RenderTable(table));
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_EQ(lines[0], "HOSTNAME  LOCATION  OS");
  EXPECT_EQ(lines[1], "受付PC    受付      Windows 11");
  EXPECT_EQ(lines[2], "srv-01    サーバ室  Ubuntu");
  // Every column starts at the same display column on every line.
  for (const std::string& line : lines) {
    EXPECT_EQ(DisplayWidth(line.substr(0, line.rfind("  ") + 2)), 20u) << line;
  }
}

TEST(RenderTable, TruncatesLongCellsButNotTheLastColumn) {
  const std::string long_name(60, 'x');
  const std::string long_evidence(100, 'e');
  Table table{{"HOST", "EVIDENCE"}, {{long_name, long_evidence}}};
  const std::vector<std::string> lines = Lines(RenderTable(table));
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_EQ(lines[1], std::string(39, 'x') + "\u2026  " + long_evidence);
}

TEST(RenderTable, PadsShortRowsAndLeavesNoTrailingSpaces) {
  Table table{{"A", "B"}, {{"only-a"}, {"x", "y", "dropped"}}};
  EXPECT_EQ(RenderTable(table), "A       B\nonly-a\nx       y\n");
}

// --- CSV ---

TEST(RenderCsv, StartsWithABomAndEndsEveryRecordWithCrlf) {
  Table table{{"HOSTNAME", "LOCATION"}, {{"受付PC", "受付"}}};
  EXPECT_EQ(RenderCsv(table), "\xEF\xBB\xBFHOSTNAME,LOCATION\r\n受付PC,受付\r\n");
}

TEST(RenderCsv, QuotesCommasAndQuotesAndEscapesLineBreaks) {
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField(" padded "), "\" padded \"");
  EXPECT_EQ(CsvField("line1\nline2"), "line1\\x0Aline2");
  EXPECT_EQ(CsvField("plain"), "plain");
}

TEST(RenderCsv, NeutralisesFormulaInjection) {
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(CsvField("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@SUM(A1:A2)"), "'@SUM(A1:A2)");
  EXPECT_EQ(CsvField("\t=1"), "'\\x09=1");
  EXPECT_EQ(CsvField("\r=1"), "'\\x0D=1");
  EXPECT_EQ(CsvField("\uFF1D1+1"), "'\uFF1D1+1");  // full-width ＝
  EXPECT_EQ(CsvField("a=1"), "a=1");
}

TEST(RenderCsv, EscapesControlAndBidiCharactersAsTheTableDoes) {
  EXPECT_EQ(CsvField("pc\x1b[2J\u202E"), "pc\\x1B[2J<U+202E>");
}

// --- times, dates, names ---

TEST(FormatClinicTime, ShowsAsiaTokyoMinutes) {
  EXPECT_EQ(FormatClinicTime(At("2026-11-27T10:10:59Z")), "2026-11-27 19:10");
  EXPECT_EQ(FormatClinicTime(At("2026-12-31T15:00:00Z")), "2027-01-01 00:00");
  EXPECT_EQ(FormatClinicTime(google::protobuf::Timestamp()), "");
}

TEST(ParseDateArgument, TakesADateAsMidnightInTokyo) {
  absl::StatusOr<absl::Time> time = ParseDateArgument("2026-11-27");
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_sec, *time, absl::UTCTimeZone()),
            "2026-11-26T15:00:00+00:00");
}

TEST(ParseDateArgument, TakesRfc3339WithItsOffset) {
  absl::StatusOr<absl::Time> time = ParseDateArgument("2026-11-27T09:30:00+09:00");
  ASSERT_TRUE(time.ok()) << time.status();
  EXPECT_EQ(absl::FormatTime(absl::RFC3339_sec, *time, absl::UTCTimeZone()),
            "2026-11-27T00:30:00+00:00");
  EXPECT_TRUE(ParseDateArgument("2026-11-27T00:30:00Z").ok());
}

TEST(ParseDateArgument, RefusesAnythingElse) {
  for (const char* text :
       {"", "27/11/2026", "2026-13-01", "2026-11-27 09:00", "yesterday", "2026-11-27T09:30:00"}) {
    EXPECT_FALSE(ParseDateArgument(text).ok()) << text;
  }
}

TEST(FormatDuration, ShowsDaysHoursAndMinutes) {
  google::protobuf::Duration duration;
  duration.set_seconds(2 * 3600 + 5 * 60);
  EXPECT_EQ(FormatDuration(duration), "2h05m");
  duration.set_seconds(45 * 60);
  EXPECT_EQ(FormatDuration(duration), "45m");
  duration.set_seconds(3 * 86400 + 4 * 3600);
  EXPECT_EQ(FormatDuration(duration), "3d04h");
}

TEST(StatusNames, RoundTripThroughText) {
  for (const char* text : {"fail", "warn", "unknown", "pass", "na"}) {
    absl::StatusOr<mamori::v1::FindingStatus> status = FindingStatusFromText(text);
    ASSERT_TRUE(status.ok()) << text;
    EXPECT_EQ(FindingStatusText(*status), text);
  }
  EXPECT_FALSE(FindingStatusFromText("FAIL").ok());
  EXPECT_EQ(*ReviewDecisionFromText("investigate"), mamori::v1::REVIEW_DECISION_INVESTIGATE);
  EXPECT_FALSE(ReviewDecisionFromText("delete").ok());
}

// --- tables of answers ---

mamori::v1::ListFindingsResponse TwoFindings() {
  mamori::v1::ListFindingsResponse response;
  mamori::v1::Finding& usb = *response.add_findings();
  usb.set_hostname("受付PC");
  usb.set_rule_id("MAM-USB-001");
  usb.set_area("USB");
  usb.set_title_ja("USBメモリの使用制限");
  usb.set_status(mamori::v1::FINDING_STATUS_FAIL);
  usb.set_evidence("USBストレージが許可されています");
  *usb.mutable_since() = At("2026-10-14T00:00:00Z");
  mamori::v1::Finding& hostile = *response.add_findings();
  hostile.set_hostname("evil\x1b[2J\u202E");
  hostile.set_rule_id("MAM-ENC-001");
  hostile.set_status(mamori::v1::FINDING_STATUS_WARN);
  hostile.set_evidence("=cmd|' /C calc'!A0");
  response.set_total(2);
  return response;
}

TEST(FindingsTable, ShowsStatusesAsTextAndTimesInTokyo) {
  const std::string out = RenderTable(FindingsTable(TwoFindings()));
  const std::vector<std::string> lines = Lines(out);
  ASSERT_THAT(lines, SizeIs(3));
  EXPECT_THAT(lines[0], StartsWith("STATUS  HOST"));
  EXPECT_THAT(lines[1], StartsWith("fail    受付PC"));
  EXPECT_THAT(lines[1], HasSubstr("2026-10-14 09:00"));
  EXPECT_THAT(lines[2], StartsWith("warn    evil\\x1B[2J<U+202E>"));
  EXPECT_THAT(out, Not(HasSubstr("\x1b")));
}

TEST(RenderOutput, WritesCsvWithOneBomAndTitledSections) {
  mamori::v1::GetHostResponse host;
  host.mutable_ledger()->set_hostname("受付PC");
  host.mutable_ledger()->mutable_annotations()->set_location("受付");
  absl::StatusOr<std::string> csv = RenderOutput(OutputFormat::kCsv, host, HostSections(host));
  ASSERT_TRUE(csv.ok());
  EXPECT_THAT(*csv, StartsWith("\xEF\xBB\xBFLedger\r\nFIELD,VALUE\r\nhostname,受付PC\r\n"));
  EXPECT_EQ(csv->find("\xEF\xBB\xBF", 1), std::string::npos);
  EXPECT_THAT(*csv, HasSubstr("\r\n\r\nFindings\r\nSTATUS,RULE,AREA,SINCE,TITLE,EVIDENCE\r\n"));
  EXPECT_THAT(*csv, HasSubstr("location,受付\r\n"));
  for (std::size_t i = csv->find('\n'); i != std::string::npos; i = csv->find('\n', i + 1)) {
    EXPECT_EQ((*csv)[i - 1], '\r') << "bare LF at " << i;
  }
}

TEST(RenderOutput, WritesTitledTablesForAHost) {
  mamori::v1::GetHostResponse host;
  host.mutable_ledger()->set_hostname("srv-01");
  absl::StatusOr<std::string> table = RenderOutput(OutputFormat::kTable, host, HostSections(host));
  ASSERT_TRUE(table.ok());
  EXPECT_THAT(*table, StartsWith("== Ledger ==\nFIELD"));
  EXPECT_THAT(*table, HasSubstr("\n\n== Findings ==\nSTATUS  RULE"));
  EXPECT_THAT(*table, HasSubstr("\n\n== Idle episodes ==\n"));
}

TEST(RenderOutput, WritesJsonThatParsesBackToTheSameMessage) {
  const mamori::v1::ListFindingsResponse response = TwoFindings();
  absl::StatusOr<std::string> json =
      RenderOutput(OutputFormat::kJson, response, {Section{"", FindingsTable(response)}});
  ASSERT_TRUE(json.ok()) << json.status();
  // Proto field names, defaults included, enums by name.
  const nlohmann::json parsed = nlohmann::json::parse(*json);
  EXPECT_EQ(parsed["findings"][0]["rule_id"], "MAM-USB-001");
  EXPECT_EQ(parsed["findings"][0]["status"], "FINDING_STATUS_FAIL");
  EXPECT_EQ(parsed["findings"][0]["hostname"], "受付PC");
  EXPECT_EQ(parsed["findings"][1]["hostname"], "evil\x1b[2J\u202E");
  EXPECT_EQ(parsed["next_page_token"], "");
  EXPECT_EQ(parsed["total"], 2);
  mamori::v1::ListFindingsResponse back;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*json, &back).ok());
  EXPECT_EQ(back.SerializeAsString(), response.SerializeAsString());
  // JSON escapes the control characters itself: nothing raw reaches the terminal.
  EXPECT_EQ(json->find('\x1b'), std::string::npos);
}

TEST(SoftwareTable, ShowsVersionsOrHostsAsAsked) {
  mamori::v1::ListSoftwareResponse response;
  mamori::v1::SoftwareVersion& version = *response.add_versions();
  version.set_name("ORCA");
  version.set_version("5.2.0");
  version.set_host_count(3);
  EXPECT_THAT(Lines(RenderTable(SoftwareTable(response, false))),
              ElementsAre("NAME  VERSION  PUBLISHER  HOSTS", "ORCA  5.2.0               3"));
  EXPECT_THAT(Lines(RenderTable(SoftwareTable(response, true))),
              ElementsAre("HOSTNAME  NAME  VERSION  PUBLISHER  INSTALLED"));
}

TEST(AccountsTable, ShowsUnknownFactsAsAQuestionMark) {
  google::protobuf::RepeatedPtrField<mamori::v1::AccountEntry> accounts;
  mamori::v1::AccountEntry& account = *accounts.Add();
  account.set_hostname("受付PC");
  account.set_name("tanaka");
  account.set_admin(true);
  account.set_due(true);
  account.set_due_reason("未レビュー");
  const std::vector<std::string> lines = Lines(RenderTable(AccountsTable(accounts)));
  ASSERT_THAT(lines, SizeIs(2));
  EXPECT_THAT(lines[1], StartsWith("yes  受付PC    tanaka   ?        yes"));
  EXPECT_THAT(lines[1], testing::EndsWith("未レビュー"));
}

// --- fetching every page ---

struct FakeHostPages {
  int pages = 3;
  int per_page = 2;
  std::vector<std::string> tokens_seen;
  std::vector<int> sizes_seen;

  grpc::Status operator()(grpc::ClientContext*, const mamori::v1::ListHostsRequest& request,
                          mamori::v1::ListHostsResponse* response) {
    tokens_seen.push_back(request.page().page_token());
    sizes_seen.push_back(request.page().page_size());
    const int page =
        request.page().page_token().empty() ? 0 : std::stoi(request.page().page_token().substr(1));
    for (int i = 0; i < per_page; ++i) {
      response->add_hosts()->set_hostname("pc-" + std::to_string(page * per_page + i));
    }
    if (page + 1 < pages) {
      response->set_next_page_token("p" + std::to_string(page + 1));
    }
    return grpc::Status::OK;
  }
};

TEST(FetchAllPages, FollowsTokensAndMergesEveryPage) {
  FakeHostPages fake;
  mamori::v1::ListHostsResponse merged;
  const FetchOutcome outcome = FetchAllPages(
      mamori::v1::ListHostsRequest{},
      [&](grpc::ClientContext* c, const mamori::v1::ListHostsRequest& r,
          mamori::v1::ListHostsResponse* p) { return fake(c, r, p); },
      merged);
  EXPECT_TRUE(outcome.status.ok());
  EXPECT_FALSE(outcome.truncated);
  ASSERT_THAT(merged.hosts(), SizeIs(6));
  EXPECT_EQ(merged.hosts(5).hostname(), "pc-5");
  EXPECT_TRUE(merged.next_page_token().empty());
  EXPECT_THAT(fake.tokens_seen, ElementsAre("", "p1", "p2"));
  EXPECT_THAT(fake.sizes_seen, ElementsAre(kFetchPageSize, kFetchPageSize, kFetchPageSize));
}

TEST(FetchAllPages, StopsAtTheRowBoundAndSaysSo) {
  FakeHostPages fake;
  fake.pages = 1000;
  mamori::v1::ListHostsResponse merged;
  const FetchOutcome outcome = FetchAllPages(
      mamori::v1::ListHostsRequest{},
      [&](grpc::ClientContext* c, const mamori::v1::ListHostsRequest& r,
          mamori::v1::ListHostsResponse* p) { return fake(c, r, p); },
      merged, /*max_rows=*/10);
  EXPECT_TRUE(outcome.status.ok());
  EXPECT_TRUE(outcome.truncated);
  EXPECT_THAT(merged.hosts(), SizeIs(10));
  EXPECT_THAT(fake.tokens_seen, SizeIs(5));
}

TEST(FetchAllPages, StopsWhenTheCollectorRepeatsAToken) {
  mamori::v1::ListHostsResponse merged;
  int calls = 0;
  const FetchOutcome outcome = FetchAllPages(
      mamori::v1::ListHostsRequest{},
      [&](grpc::ClientContext*, const mamori::v1::ListHostsRequest&,
          mamori::v1::ListHostsResponse* p) {
        ++calls;
        p->add_hosts();
        p->set_next_page_token("same");
        return grpc::Status::OK;
      },
      merged);
  EXPECT_TRUE(outcome.truncated);
  EXPECT_EQ(calls, 2);
}

TEST(FetchAllPages, ReturnsTheFirstFailure) {
  mamori::v1::ListHostsResponse merged;
  const FetchOutcome outcome = FetchAllPages(
      mamori::v1::ListHostsRequest{},
      [&](grpc::ClientContext*, const mamori::v1::ListHostsRequest&,
          mamori::v1::ListHostsResponse*) {
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no");
      },
      merged);
  EXPECT_EQ(outcome.status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

TEST(CountRows, SumsEveryRepeatedMessageField) {
  mamori::v1::ListSoftwareResponse response;
  response.add_versions();
  response.add_installs();
  response.add_installs();
  response.set_total(40);
  EXPECT_EQ(CountRows(response), 3);
}

}  // namespace
}  // namespace mamori::ctl
