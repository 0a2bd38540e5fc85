// The print check: the fixture clinic's visit report, rendered by the real renderer, printed to PDF
// by headless Chromium as a clinic PC's browser would, and read back with poppler: A4 pages, each
// section on its own page, and Japanese text that only a working Japanese font puts in the PDF.
// Chromium, poppler-utils and fonts-ipafont-gothic come from scripts/setup; without them this test
// fails (it never skips).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "collector/report/report_render.h"
#include "gtest/gtest.h"
#include "tests/collector/report_fixture.h"
#include "tests/integration/process_harness.h"

namespace mamori::collector {
namespace {

constexpr char kChromium[] = "/usr/bin/chromium";
constexpr char kPdfInfo[] = "/usr/bin/pdfinfo";
constexpr char kPdfToText[] = "/usr/bin/pdftotext";
constexpr char kTimeout[] = "/usr/bin/timeout";

// Measured with Debian's chromium 156 and IPAGothic: cover, summary, checklist (with the register),
// findings, idle episodes, accounts and the ledger (with software), each starting a page, the
// checklist and the ledger running over two. A change in the layout or the fixture changes it:
// look at the PDF (the test leaves it in its temporary directory) before updating the number.
constexpr int kExpectedPages = 9;
// Sections that start a page of their own in the visit report.
constexpr int kSections = 7;

class ReportPdf : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* tool : {kChromium, kPdfInfo, kPdfToText, kTimeout}) {
      ASSERT_TRUE(std::filesystem::exists(tool))
          << tool << " is missing: run scripts/setup (it installs chromium, poppler-utils and "
          << "fonts-ipafont-gothic for this test)";
    }
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("report-pdf-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ / "profile");
  }

  // Prints `html` to a PDF with headless Chromium; the PDF's path, empty on failure.
  std::filesystem::path Print(const std::string& html, const std::string& name) {
    const std::filesystem::path page = dir_ / (name + ".html");
    const std::filesystem::path pdf = dir_ / (name + ".pdf");
    std::ofstream(page, std::ios::binary) << html;
    const testing::CommandResult printed = testing::RunCommand(
        {kTimeout, "180", kChromium, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions",
         "--user-data-dir=" + (dir_ / "profile").string(), "--no-pdf-header-footer",
         "--print-to-pdf=" + pdf.string(), "file://" + page.string()});
    EXPECT_EQ(printed.exit_code, 0) << printed.err;
    if (!std::filesystem::exists(pdf) || std::filesystem::file_size(pdf) == 0) {
      ADD_FAILURE() << "chromium wrote no PDF: " << printed.err;
      return {};
    }
    return pdf;
  }

  std::filesystem::path dir_;
};

TEST_F(ReportPdf, PrintsTheVisitReportOnA4WithSectionsOnTheirOwnPagesAndJapaneseText) {
  const v1::Report report = testing::LoadFixtureReport(MAMORI_REPORT_FIXTURE);
  ASSERT_EQ(report.kind(), v1::REPORT_KIND_VISIT);
  const std::filesystem::path pdf =
      Print(RenderReportHtml(report, v1::REPORT_LANGUAGE_JA), "visit");
  ASSERT_FALSE(pdf.empty());

  const testing::CommandResult info = testing::RunCommand({kPdfInfo, pdf.string()});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  std::smatch pages;
  ASSERT_TRUE(std::regex_search(info.out, pages, std::regex(R"(Pages:\s+(\d+))"))) << info.out;
  const int page_count = std::stoi(pages[1]);
  EXPECT_GT(page_count, kSections) << "each section starts a new page";
  EXPECT_EQ(page_count, kExpectedPages) << "the PDF is in " << dir_;
  // A4 is 595.28 x 841.89 points; Chromium rounds to its own units (594.96 x 841.92 in 156).
  EXPECT_TRUE(std::regex_search(
      info.out, std::regex(R"(Page size:\s+59[4-6](\.\d+)? x 84[1-3](\.\d+)? pts)")))
      << info.out;

  const testing::CommandResult text =
      testing::RunCommand({kPdfToText, "-layout", pdf.string(), "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  // Text extracted as these characters proves the font had the glyphs (no tofu, no blank). The
  // text is left beside the PDF rather than printed: it is long.
  std::ofstream(dir_ / "visit.txt", std::ios::binary) << text.out;
  for (const char* expected :
       {"保守点検報告書", "さくら内科クリニック", "チェックリスト", "受付PC-2", "はい", "いいえ",
        "要対応", "医院全体", "山田 花子", "(既定: 年度末)", "<script>alert(1)</script>"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos)
        << expected << " is not in the PDF's text: see " << dir_ / "visit.txt";
  }
}

TEST_F(ReportPdf, PrintsTheChecklistWithItsFullTitle) {
  v1::Report report = testing::ReportOfKind(testing::LoadFixtureReport(MAMORI_REPORT_FIXTURE),
                                            v1::REPORT_KIND_CHECKLIST);
  const std::filesystem::path pdf =
      Print(RenderReportHtml(report, v1::REPORT_LANGUAGE_JA), "checklist");
  ASSERT_FALSE(pdf.empty());
  const testing::CommandResult text =
      testing::RunCommand({kPdfToText, "-layout", pdf.string(), "-"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  std::ofstream(dir_ / "checklist.txt", std::ios::binary) << text.out;
  for (const char* expected : {"医療機関におけるサイバーセキュリティ対策チェックリスト",
                               "(医療機関確認用) の回答", "2027-03-31", "(既定: 年度末)"}) {
    EXPECT_NE(text.out.find(expected), std::string::npos)
        << expected << " is not in the PDF's text: see " << dir_ / "checklist.txt";
  }
}

}  // namespace
}  // namespace mamori::collector
