// The report renderers on the fixture clinic: each kind and format against its golden document
// (tests/golden/reports; MAMORI_UPDATE_GOLDEN=1 rewrites them), and what must hold whatever the
// layout: hostile texts inert, nothing fetched or run, CSV for Japanese Excel, JSON that parses
// back, labels in the report's language, times in Japan time.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_split.h"
#include "collector/report/report_render.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/codec/report_names.h"
#include "tests/collector/report_fixture.h"

namespace mamori::collector {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using v1::Report;
using v1::ReportKind;

constexpr char kByteOrderMark[] = "\xEF\xBB\xBF";

Report Fixture() { return testing::LoadFixtureReport(MAMORI_REPORT_FIXTURE); }

Report FixtureOfKind(ReportKind kind) { return testing::ReportOfKind(Fixture(), kind); }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The first line where `actual` and `expected` differ, for a readable failure.
std::string FirstDifference(const std::string& actual, const std::string& expected) {
  const std::vector<std::string> a = absl::StrSplit(actual, '\n');
  const std::vector<std::string> e = absl::StrSplit(expected, '\n');
  for (std::size_t i = 0; i < std::max(a.size(), e.size()); ++i) {
    const std::string got = i < a.size() ? a[i] : "<end>";
    const std::string want = i < e.size() ? e[i] : "<end>";
    if (got != want) {
      return "line " + std::to_string(i + 1) + ":\n  got:  " + got + "\n  want: " + want;
    }
  }
  return "";
}

TEST(ReportFixture, ParsesAndFillsEverySection) {
  const Report report = Fixture();
  EXPECT_EQ(report.kind(), v1::REPORT_KIND_VISIT) << "tests/fixtures/reports/clinic.textproto";
  EXPECT_GT(report.checklist_size(), 0);
  EXPECT_GT(report.ledger_size(), 5);
  EXPECT_GT(report.software_size(), 0);
  EXPECT_GT(report.accounts_size(), 0);
  EXPECT_GT(report.findings_size(), 0);
  EXPECT_GT(report.idle_episodes_size(), 0);
  EXPECT_GT(report.org_records_size(), 0);
}

// ---- Golden documents: one per kind and format.

enum class Format { kHtmlJa, kHtmlEn, kCsvJa, kJson };

struct GoldenCase {
  ReportKind kind;
  Format format;
};

std::string KindName(ReportKind kind) { return std::string(codec::ReportKindName(kind)); }

std::string GoldenName(const GoldenCase& c) {
  const std::string kind = KindName(c.kind);
  switch (c.format) {
    case Format::kHtmlJa:
      return kind + ".ja.html";
    case Format::kHtmlEn:
      return kind + ".en.html";
    case Format::kCsvJa:
      return kind + ".ja.csv";
    case Format::kJson:
      return kind + ".json";
  }
  return kind;
}

std::string Render(const Report& report, Format format) {
  switch (format) {
    case Format::kHtmlJa:
      return RenderReportHtml(report, v1::REPORT_LANGUAGE_JA);
    case Format::kHtmlEn:
      return RenderReportHtml(report, v1::REPORT_LANGUAGE_EN);
    case Format::kCsvJa:
      return RenderReportCsv(report, v1::REPORT_LANGUAGE_JA);
    case Format::kJson:
      return RenderReportJson(report);
  }
  return "";
}

class ReportGolden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(ReportGolden, MatchesTheCheckedInDocument) {
  const GoldenCase& c = GetParam();
  const std::string document = Render(FixtureOfKind(c.kind), c.format);
  ASSERT_FALSE(document.empty());
  EXPECT_EQ(document, Render(FixtureOfKind(c.kind), c.format)) << "the same model, other bytes";
  const std::filesystem::path golden = std::filesystem::path(MAMORI_GOLDEN_DIR) / GoldenName(c);
  const char* update = std::getenv("MAMORI_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << document;
    GTEST_SKIP() << "rewrote " << golden;
  }
  ASSERT_TRUE(std::filesystem::exists(golden))
      << golden << " is missing: run with MAMORI_UPDATE_GOLDEN=1 and review the new file";
  const std::string expected = ReadFile(golden);
  EXPECT_TRUE(document == expected)
      << GoldenName(c) << " differs, " << FirstDifference(document, expected)
      << "\nIf the change is intended, rerun with MAMORI_UPDATE_GOLDEN=1 and review the diff.";
}

std::vector<GoldenCase> AllGoldenCases() {
  std::vector<GoldenCase> cases;
  for (const ReportKind kind :
       {v1::REPORT_KIND_CHECKLIST, v1::REPORT_KIND_LEDGER, v1::REPORT_KIND_ACCOUNTS,
        v1::REPORT_KIND_FINDINGS, v1::REPORT_KIND_VISIT}) {
    for (const Format format : {Format::kHtmlJa, Format::kHtmlEn, Format::kCsvJa, Format::kJson}) {
      cases.push_back({kind, format});
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(EveryKindAndFormat, ReportGolden, ::testing::ValuesIn(AllGoldenCases()),
                         [](const ::testing::TestParamInfo<GoldenCase>& param_info) {
                           std::string name = GoldenName(param_info.param);
                           for (char& ch : name) {
                             if (ch == '.') {
                               ch = '_';
                             }
                           }
                           return name;
                         });

// ---- HTML.

std::string VisitHtml(v1::ReportLanguage language = v1::REPORT_LANGUAGE_JA) {
  return RenderReportHtml(Fixture(), language);
}

TEST(ReportHtml, MakesHostileTextInert) {
  for (const v1::ReportLanguage language : {v1::REPORT_LANGUAGE_JA, v1::REPORT_LANGUAGE_EN}) {
    const std::string html = VisitHtml(language);
    EXPECT_THAT(html, Not(HasSubstr("<script")));
    EXPECT_THAT(html, Not(HasSubstr("<img")));
    EXPECT_THAT(html, Not(HasSubstr("<b>")));
    EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
    EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(2)&gt;"));
    EXPECT_THAT(html, HasSubstr("&amp;amp; &lt;b&gt;"));
    EXPECT_THAT(html, HasSubstr("&quot;quoted&quot; &amp; &#39;single&#39;"));
    EXPECT_THAT(html, HasSubstr("=cmd|&#39; /C calc&#39;!A0"));
  }
}

TEST(ReportHtml, NeverPutsModelTextIntoAttributesOrStyle) {
  Report report = Fixture();
  report.mutable_cover()->set_clinic_name("\" onload=\"x\" style=\"a</style><style>");
  const std::string html = RenderReportHtml(report, v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(html, Not(HasSubstr("onload=\"")));
  EXPECT_THAT(html, HasSubstr("&quot; onload=&quot;x&quot;"));
  EXPECT_EQ(html.find("</style>"), html.rfind("</style>")) << "one style sheet, ours";
}

TEST(ReportHtml, FetchesNothingAndRunsNothing) {
  for (const v1::ReportLanguage language : {v1::REPORT_LANGUAGE_JA, v1::REPORT_LANGUAGE_EN}) {
    const std::string html = VisitHtml(language);
    for (const char* forbidden : {"http://", "https://", "<link", "<script", "@import", "url(",
                                  "href=", "<img", "<iframe", "<object", "<embed", "@font-face"}) {
      EXPECT_THAT(html, Not(HasSubstr(forbidden))) << forbidden;
    }
  }
}

TEST(ReportHtml, IsOneUtf8DocumentForA4WithPageBreaksAndRepeatedHeaders) {
  const std::string html = VisitHtml();
  EXPECT_THAT(html, StartsWith("<!DOCTYPE html>\n<html lang=\"ja\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("@page { size: A4; margin: 15mm 12mm; }"));
  EXPECT_THAT(html, HasSubstr("break-before: page"));
  EXPECT_THAT(html, HasSubstr("thead { display: table-header-group; }"));
  EXPECT_THAT(html, HasSubstr("tr { break-inside: avoid; }"));
  EXPECT_THAT(html,
              HasSubstr("\"IPAexGothic\", \"IPAPGothic\", \"IPAGothic\", \"Noto Sans CJK JP\""));
  EXPECT_THAT(html, HasSubstr("sans-serif"));
  EXPECT_THAT(html, HasSubstr("<thead>"));
  EXPECT_THAT(html, HasSubstr("</html>\n"));
}

TEST(ReportHtml, StartsWithTheCoverAndTheMostUrgentFirst) {
  const std::string html = VisitHtml();
  const std::size_t cover = html.find("さくら内科クリニック");
  const std::size_t red =
      html.find("badge bad\">\u00D7 要対応</span> 不合格の指摘が 3 件あります。");
  const std::size_t amber = html.find("badge warn\">\u25B2 注意</span> 警告が 2 件あります。");
  const std::size_t checklist = html.find("<h2>チェックリスト</h2>");
  ASSERT_NE(cover, std::string::npos);
  ASSERT_NE(red, std::string::npos);
  ASSERT_NE(amber, std::string::npos);
  ASSERT_NE(checklist, std::string::npos);
  EXPECT_LT(cover, red);
  EXPECT_LT(red, amber) << "red before amber";
  EXPECT_LT(amber, checklist) << "the summary before the sections";
  EXPECT_THAT(html, HasSubstr("2026-10-31 10:00 〜 2026-11-30 14:05"));
  EXPECT_THAT(html, HasSubstr("保守ベンダー (保守事業者)"));
  EXPECT_THAT(html, HasSubstr("令和7年度版 (FY2025) の項目に基づく"));
  EXPECT_THAT(html, HasSubstr("2026年度"));
}

TEST(ReportHtml, NamesAMissingClinicAsNotRecorded) {
  Report report = Fixture();
  report.mutable_cover()->clear_clinic_name();
  EXPECT_THAT(RenderReportHtml(report, v1::REPORT_LANGUAGE_JA), HasSubstr("(医院名 未登録)"));
  EXPECT_THAT(RenderReportHtml(report, v1::REPORT_LANGUAGE_EN),
              HasSubstr("(clinic name not recorded)"));
}

TEST(ReportHtml, AnswersTheChecklistWithWordsDatesAndEquipmentColumns) {
  const std::string html =
      RenderReportHtml(FixtureOfKind(v1::REPORT_KIND_CHECKLIST), v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(html, HasSubstr("医療機関におけるサイバーセキュリティ対策チェックリスト"));
  for (const char* answer : {"\u25CB はい", "\u00D7 いいえ", "\u00D7 要対応", "該当なし"}) {
    EXPECT_THAT(html, HasSubstr(answer));
  }
  for (const char* column : {"<th>確認日</th>", "<th>サーバ</th>", "<th>端末PC</th>",
                             "<th>ネットワーク機器</th>", "<th>目標日・対応</th>"}) {
    EXPECT_THAT(html, HasSubstr(column));
  }
  EXPECT_THAT(html, HasSubstr("2027-03-31<span class=\"sub\">(既定: 年度末)</span>"));
  EXPECT_THAT(html, HasSubstr("6 台中 4 台で対応済み"));
  EXPECT_THAT(html, HasSubstr("未対応: 受付PC-2、&lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("不明: 診察室PC"));
  EXPECT_THAT(html, HasSubstr("USB ストレージの使用をグループポリシー等で禁止してください。"));
  EXPECT_THAT(html, Not(HasSubstr("<h2>機器台帳</h2>"))) << "a checklist report has no ledger";
}

TEST(ReportHtml, GroupsFindingsByTrendWithTheClinicAsWholeClinic) {
  const std::string html =
      RenderReportHtml(FixtureOfKind(v1::REPORT_KIND_FINDINGS), v1::REPORT_LANGUAGE_JA);
  const std::size_t added = html.find("<h3>新たな指摘</h3>");
  const std::size_t open = html.find("<h3>継続中の指摘</h3>");
  const std::size_t fixed = html.find("<h3>解消済み</h3>");
  ASSERT_NE(added, std::string::npos);
  ASSERT_NE(open, std::string::npos);
  ASSERT_NE(fixed, std::string::npos);
  EXPECT_LT(added, open);
  EXPECT_LT(open, fixed);
  EXPECT_LT(html.find("MAM-PATCH-003"), open);
  EXPECT_GT(html.find("MAM-AV-001"), fixed);
  EXPECT_THAT(html, HasSubstr("<td>医院全体</td>"));
  EXPECT_THAT(html, HasSubstr("前回: 不合格"));

  Report untracked = FixtureOfKind(v1::REPORT_KIND_FINDINGS);
  for (v1::ReportFinding& row : *untracked.mutable_findings()) {
    row.clear_trend();
  }
  const std::string one_list = RenderReportHtml(untracked, v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(one_list, Not(HasSubstr("<h3>新たな指摘</h3>")));
  EXPECT_THAT(one_list, HasSubstr("MAM-PATCH-003"));
  EXPECT_THAT(one_list, HasSubstr("MAM-AV-001"));
}

TEST(ReportHtml, ShowsTimesInJapanTime) {
  const std::string html = VisitHtml();
  // 2026-11-27 11:00 UTC is 20:00 in Japan.
  EXPECT_THAT(html, HasSubstr(">2026-11-27 20:00</td>"));
  EXPECT_THAT(html, HasSubstr("10時間00分"));
  EXPECT_THAT(html, Not(HasSubstr("UTC")));
}

TEST(ReportHtml, SwitchesEveryLabelWithTheLanguage) {
  const std::string ja = VisitHtml(v1::REPORT_LANGUAGE_JA);
  const std::string en = VisitHtml(v1::REPORT_LANGUAGE_EN);
  EXPECT_THAT(en, StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  for (const auto& [japanese, english] : std::vector<std::pair<std::string, std::string>>{
           {"<h1>保守点検報告書</h1>", "<h1>Maintenance visit report</h1>"},
           {"<h2>概要</h2>", "<h2>Summary</h2>"},
           {"<th>確認日</th>", "<th>Checked on</th>"},
           {"<h3>新たな指摘</h3>", "<h3>New since the previous report</h3>"},
           {"<h2>機器台帳</h2>", "<h2>Inventory</h2>"},
           {"\u00D7 いいえ", "\u00D7 No"},
           {"<td>医院全体</td>", "<td>Whole clinic</td>"},
           {"(既定: 年度末)", "(default: end of fiscal year)"}}) {
    EXPECT_THAT(ja, HasSubstr(japanese));
    EXPECT_THAT(en, HasSubstr(english));
    EXPECT_THAT(en, Not(HasSubstr(japanese)));
  }
  // The model's English texts; the hosts' evidence stays Japanese.
  EXPECT_THAT(en, HasSubstr("Security patches (updates) are applied"));
  EXPECT_THAT(en, HasSubstr("Windows 10 22H2 のサポートは 2025-10-14 に終了しました"));
}

// ---- CSV.

TEST(ReportCsv, StartsWithABomAndEndsEveryLineWithCrlf) {
  for (const ReportKind kind :
       {v1::REPORT_KIND_CHECKLIST, v1::REPORT_KIND_LEDGER, v1::REPORT_KIND_ACCOUNTS,
        v1::REPORT_KIND_FINDINGS, v1::REPORT_KIND_VISIT}) {
    const std::string csv = RenderReportCsv(FixtureOfKind(kind), v1::REPORT_LANGUAGE_JA);
    ASSERT_THAT(csv, StartsWith(kByteOrderMark));
    EXPECT_EQ(csv.find(kByteOrderMark, 1), std::string::npos) << "one BOM";
    ASSERT_GE(csv.size(), 5u);
    EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
    for (std::size_t i = 0; i < csv.size(); ++i) {
      if (csv[i] == '\n') {
        ASSERT_GT(i, 0u);
        EXPECT_EQ(csv[i - 1], '\r') << KindName(kind) << ": bare LF at byte " << i;
      }
      if (csv[i] == '\r') {
        ASSERT_LT(i + 1, csv.size());
        EXPECT_EQ(csv[i + 1], '\n') << KindName(kind) << ": bare CR at byte " << i;
      }
    }
  }
}

TEST(ReportCsv, PrefixesEveryCellThatCouldRunAsAFormula) {
  const std::string csv = RenderReportCsv(Fixture(), v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(csv, HasSubstr(",'=cmd|' /C calc'!A0,"));
  EXPECT_THAT(csv, HasSubstr("\r\n\"'+SUM(1,2)\",1.0,'@evil,1\r\n"));
  EXPECT_THAT(csv, HasSubstr(",'-2+3,"));
  EXPECT_THAT(csv, HasSubstr(",\"'=HYPERLINK(\"\"example.invalid\"\",\"\"x\"\")\","));
  for (const char* raw : {",=", ",+", ",@", ",\"=", ",\"+", ",\"@", "\n=", "\n+", "\n@"}) {
    EXPECT_THAT(csv, Not(HasSubstr(raw))) << raw;
  }

  Report report = FixtureOfKind(v1::REPORT_KIND_LEDGER);
  report.mutable_software(0)->set_name("\uFF1D1+1");
  report.mutable_software(1)->set_name("\tcmd");
  report.mutable_software(2)->set_name("-1");
  const std::string ledger = RenderReportCsv(report, v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(ledger, HasSubstr("\r\n'\uFF1D1+1,"));
  EXPECT_THAT(ledger, HasSubstr("\r\n'\tcmd,"));
  EXPECT_THAT(ledger, HasSubstr("\r\n'-1,"));
}

TEST(ReportCsv, QuotesFieldsAndKeepsLineBreaksInsideTheCell) {
  const std::string csv = RenderReportCsv(Fixture(), v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(csv, HasSubstr(",\"\"\"quotes\"\", commas and a\r\nnewline\","));
  // Markup is plain text in a CSV: as the model has it.
  EXPECT_THAT(csv, HasSubstr(",最後の更新から 45 日 &amp; <b>未適用</b>,"));
  EXPECT_THAT(csv, HasSubstr(",\"端末PC 6台中 4台で更新を適用済み\r\n評価: &amp; <b>太字</b>\","));
}

TEST(ReportCsv, WritesOneTableForSingleSectionKinds) {
  const std::string csv =
      RenderReportCsv(FixtureOfKind(v1::REPORT_KIND_ACCOUNTS), v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(csv, StartsWith(std::string(kByteOrderMark) + "機器,アカウント,氏名,有効,"));
  EXPECT_THAT(csv, Not(HasSubstr("\r\n\r\n"))) << "no section separator";
}

TEST(ReportCsv, WritesTheVisitAsSectionsOfTitleHeaderRowsAndAnEmptyRow) {
  const std::string csv = RenderReportCsv(Fixture(), v1::REPORT_LANGUAGE_JA);
  EXPECT_THAT(csv, StartsWith(std::string(kByteOrderMark) + "表紙\r\n項目,内容\r\n医院名,"));
  for (const char* section :
       {"\r\n\r\n概要\r\n項目,内容\r\n", "\r\n\r\nチェックリスト\r\n番号,区分,項目,回答,確認日,",
        "\r\n\r\n記録簿 (医院が記録した内容)\r\n", "\r\n\r\n指摘事項\r\n前回から,状態,",
        "\r\n\r\n時間外に操作されずに放置された機器\r\n", "\r\n\r\nアカウント\r\n",
        "\r\n\r\n機器台帳\r\n", "\r\n\r\nソフトウェア\r\n名前,バージョン,発行元,台数\r\n"}) {
    EXPECT_THAT(csv, HasSubstr(section)) << section;
  }
  const std::string english = RenderReportCsv(Fixture(), v1::REPORT_LANGUAGE_EN);
  EXPECT_THAT(english, HasSubstr("\r\n\r\nChecklist\r\nNo.,Part,Item,Answer,Checked on,"));
  EXPECT_THAT(english, Not(HasSubstr("確認日")));
}

// ---- JSON.

TEST(ReportJson, ParsesBackIntoTheSameReport) {
  const Report report = Fixture();
  const std::string json = RenderReportJson(report);
  ASSERT_FALSE(json.empty());
  EXPECT_EQ(json.back(), '\n');
  Report parsed;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &parsed).ok()) << json;
  std::string difference;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&difference);
  EXPECT_TRUE(differencer.Compare(report, parsed)) << difference;
}

TEST(ReportJson, WritesEveryFieldInLowerCamelCase) {
  Report report;
  report.set_schema("mamori.report.v1");
  report.set_kind(v1::REPORT_KIND_FINDINGS);
  const std::string json = RenderReportJson(report);
  EXPECT_THAT(json, HasSubstr("\"kind\": \"REPORT_KIND_FINDINGS\""));
  EXPECT_THAT(json, HasSubstr("\"findings\": []"));
  EXPECT_THAT(json, HasSubstr("\"orgRecords\": []"));
  const std::string full = RenderReportJson(Fixture());
  EXPECT_THAT(full, HasSubstr("\"clinicName\": \"さくら内科クリニック\""));
  EXPECT_THAT(full, HasSubstr("\"hostsStale\": 1"));
  EXPECT_THAT(full, HasSubstr("\"generatedAt\": \"2026-11-30T05:05:00Z\""));
  EXPECT_THAT(full, Not(HasSubstr("\"clinic_name\"")));
  EXPECT_EQ(RenderReportJson(Fixture()), RenderReportJson(FixtureOfKind(v1::REPORT_KIND_VISIT)));
}

// ---- File names and content types.

TEST(ReportFileName, NamesKindAndTheJapanDateOfGeneration) {
  Report report = Fixture();
  EXPECT_EQ(ReportFileName(report, v1::REPORT_FORMAT_HTML), "mamori-visit-20261130.html");
  EXPECT_EQ(ReportFileName(FixtureOfKind(v1::REPORT_KIND_CHECKLIST), v1::REPORT_FORMAT_CSV),
            "mamori-checklist-20261130.csv");
  // 2026-11-30 20:00 UTC is already 1 December in Japan.
  report.mutable_cover()->mutable_generated_at()->set_seconds(1796068800);
  EXPECT_EQ(ReportFileName(report, v1::REPORT_FORMAT_JSON), "mamori-visit-20261201.json");
  report.set_kind(v1::REPORT_KIND_UNSPECIFIED);
  EXPECT_EQ(ReportFileName(report, v1::REPORT_FORMAT_JSON), "mamori-report-20261201.json");
}

TEST(ReportContentType, NamesUtf8ForTheTextFormats) {
  EXPECT_EQ(ReportContentType(v1::REPORT_FORMAT_HTML), "text/html; charset=utf-8");
  EXPECT_EQ(ReportContentType(v1::REPORT_FORMAT_CSV), "text/csv; charset=utf-8");
  EXPECT_EQ(ReportContentType(v1::REPORT_FORMAT_JSON), "application/json");
}

}  // namespace
}  // namespace mamori::collector
