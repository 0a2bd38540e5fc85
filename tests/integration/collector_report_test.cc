// Issue 7's "done when", end to end with the real binaries: a clinic of fixture agents (Japanese
// host names, a hostile one), an admin who records the clinic's evidence register with mamorictl,
// and the vendor who pulls the visit report as HTML, CSV and JSON with a vendor certificate. The
// documents must be what a clinic manager can read and Excel can open (checked here for content,
// encoding and inert hostile text; the print layout is checked by report_pdf_test), and every pull
// must be in the audit log. The vendor may not write the register.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "tests/integration/collector_knowledge_fixture.h"
#include "tests/integration/process_harness.h"

namespace mamori::testing::knowledge {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

constexpr char kClinicName[] = "さくら内科クリニック";

class CollectorReport : public CollectorKnowledge {
 protected:
  // A small clinic: an ORCA server, two Windows PCs with Japanese names (one with the hostile
  // name) and a weak Linux PC.
  void SeedClinic() {
    ASSERT_EQ(
        FixtureAgent("server", {"--facts-root", MAMORI_FIXTURES_DIR "/linux-hardened", "--hostname",
                                kServer, "--role", "server", "--send", "snapshot"})
            .exit_code,
        0);
    ASSERT_EQ(FixtureAgent("reception",
                           {"--facts", "builtin:windows11", "--hostname", kReception, "--send",
                            "snapshot", "--send", "heartbeat:idle=3h,uptime=10h,locked=true"})
                  .exit_code,
              0);
    ASSERT_EQ(FixtureAgent("hostile", {"--facts", "builtin:windows11", "--hostname", kHostileHost,
                                       "--send", "snapshot"})
                  .exit_code,
              0);
    ASSERT_EQ(FixtureAgent("linux", {"--facts-root", MAMORI_FIXTURES_DIR "/linux-weak",
                                     "--hostname", kLinuxHost, "--send", "snapshot"})
                  .exit_code,
              0);
  }

  CommandResult Record(const std::string& role, const std::vector<std::string>& args) {
    std::vector<std::string> full{"evidence", "record"};
    full.insert(full.end(), args.begin(), args.end());
    return Ctl(role, "table", full);
  }

  // `mamorictl report` as `role`, written to the test's directory; returns the document.
  std::string Pull(const std::string& role, const std::vector<std::string>& args,
                   const std::string& file) {
    std::vector<std::string> full{"report"};
    full.insert(full.end(), args.begin(), args.end());
    full.push_back("-o");
    full.push_back((root_ / file).string());
    const CommandResult result = Ctl(role, "table", full);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_NE(result.err.find("bytes ->"), std::string::npos) << result.err;
    return ReadFile(root_ / file);
  }
};

TEST_F(CollectorReport, AVendorPullsTheVisitReportAsHtmlCsvAndJsonAndEveryPullIsAudited) {
  SeedClinic();
  // The clinic's register, as its admin records it.
  const std::string yesterday = TokyoDate(-1);
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"clinic", "--name", kClinicName},
           {"security_manager", "--name", "山田 太郎", "--date", "2026-04-01"},
           {"backup", "--date", yesterday, "--method", "外付けHDD 2台を週替わり", "--offline-copy",
            "yes"},
           {"confirmation", "--item", "2-6", "--answer", "no", "--date", yesterday, "--notes",
            "=cmd|' /C calc'!A0"},
       }) {
    const CommandResult recorded = Record("admin", args);
    ASSERT_EQ(recorded.exit_code, 0) << args[0] << ": " << recorded.err;
  }
  // The register refuses bad input with the field named, and the vendor's attempt is refused.
  const CommandResult bad_date = Record("admin", {"drill", "--date", "2026-02-30"});
  EXPECT_EQ(bad_date.exit_code, 1);
  EXPECT_NE(bad_date.err.find("date"), std::string::npos) << bad_date.err;
  const CommandResult vendor_write = Record("vendor", {"bcp", "--date", yesterday});
  EXPECT_EQ(vendor_write.exit_code, 1);

  const json evidence = CtlJson("vendor", {"evidence"});
  EXPECT_EQ(Objects(evidence, [](const json& o) { return Text(o, "name") == kClinicName; }).size(),
            1u)
      << evidence.dump(2);
  // The drill was never recorded: its MAM-ORG rule fails.
  EXPECT_FALSE(Objects(evidence,
                       [](const json& o) {
                         return Text(o, "rule_id") == "MAM-ORG-007" &&
                                StatusIs(o, "status", "fail");
                       })
                   .empty())
      << evidence.dump(2);

  // The done-when: the vendor's visit report as HTML, readable by a clinic manager.
  const std::string html = Pull("vendor", {"--kind", "visit", "--format", "html"}, "visit.html");
  EXPECT_NE(html.find("<html"), std::string::npos);
  EXPECT_NE(html.find(kClinicName), std::string::npos);
  EXPECT_NE(html.find(kReception), std::string::npos);
  EXPECT_NE(html.find("保守ベンダー"), std::string::npos) << "the cover names who pulled it";
  EXPECT_NE(html.find("はい"), std::string::npos);
  EXPECT_NE(html.find("いいえ"), std::string::npos);
  EXPECT_NE(html.find("USB"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos) << "the hostile host name is inert";
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("href="), std::string::npos) << "self-contained: no link, none from agents";

  // The same visit as CSV for Excel: BOM, CRLF only, the formula inert.
  const std::string csv = Pull("vendor", {"--kind", "visit", "--format", "csv"}, "visit.csv");
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  for (std::size_t i = 0; i < csv.size(); ++i) {
    if (csv[i] == '\n') {
      // Line ends are CRLF; a LF inside a quoted cell is data, and the fixture has none here.
      ASSERT_GT(i, 0u);
      EXPECT_EQ(csv[i - 1], '\r') << "bare LF at byte " << i;
    }
  }
  EXPECT_NE(csv.find(kReception), std::string::npos);
  EXPECT_EQ(csv.find(",=HYPERLINK"), std::string::npos) << "a cell starting with = is neutralised";
  EXPECT_EQ(csv.find(",\"=HYPERLINK"), std::string::npos);

  // JSON: the documented schema.
  const std::string json_text =
      Pull("vendor", {"--kind", "visit", "--format", "json"}, "visit.json");
  const json report = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(report.is_discarded()) << json_text.substr(0, 2000);
  EXPECT_EQ(Text(report, "schema"), "mamori.report.v1");
  EXPECT_EQ(Text(report, "kind"), "REPORT_KIND_VISIT");
  const json* cover = Field(report, "cover");
  ASSERT_NE(cover, nullptr);
  EXPECT_EQ(Text(*cover, "clinic_name"), kClinicName);
  EXPECT_EQ(Text(*cover, "generated_by"), "保守ベンダー");
  EXPECT_EQ(Text(*cover, "generated_by_role"), "vendor");
  const json* checklist = Field(report, "checklist");
  ASSERT_NE(checklist, nullptr);
  EXPECT_GE(checklist->size(), 15u);
  // 2-6 was answered いいえ by hand; 1-1 is met by the recorded security manager.
  EXPECT_FALSE(Objects(*checklist, [](const json& o) {
                 return Text(o, "key") == "2-6" && Text(o, "answer") == "CHECKLIST_ANSWER_NO";
               }).empty());
  EXPECT_FALSE(Objects(*checklist, [](const json& o) {
                 return Text(o, "key") == "1-1" && Text(o, "answer") == "CHECKLIST_ANSWER_YES";
               }).empty());

  // The checklist in English, from the admin.
  const std::string english =
      Pull("admin", {"--kind", "checklist", "--format", "html", "--lang", "en"}, "checklist.html");
  EXPECT_NE(english.find("lang=\"en\""), std::string::npos);
  EXPECT_NE(english.find("Security patches"), std::string::npos);

  // Every pull is in the audit log, with who, the kind and the format.
  const json audit = CtlJson("admin", {"audit"});
  const std::vector<json> pulls = Objects(
      audit, [](const json& o) { return Text(o, "action") == "CollectorAdmin/GenerateReport"; });
  ASSERT_EQ(pulls.size(), 4u) << audit.dump(2);
  EXPECT_EQ(Text(pulls[0], "actor"), "保守ベンダー");
  EXPECT_EQ(Text(pulls[0], "role"), "vendor");
  EXPECT_EQ(Text(pulls[0], "target"), "visit");
  EXPECT_NE(Text(pulls[0], "detail").find("format=html"), std::string::npos);
  EXPECT_NE(Text(pulls[1], "detail").find("format=csv"), std::string::npos);
  EXPECT_EQ(Text(pulls[3], "actor"), "院長");
  // The vendor's refused write is audited too.
  EXPECT_FALSE(Objects(audit,
                       [](const json& o) {
                         return Text(o, "action") == "CollectorAdmin/RecordOrgEvidence" &&
                                Text(o, "actor") == "保守ベンダー" &&
                                Text(o, "outcome") == "refused";
                       })
                   .empty())
      << audit.dump(2);
  // Notes stay in the register, not in the audit log.
  EXPECT_EQ(audit.dump().find("calc"), std::string::npos);
}

TEST_F(CollectorReport, ABadRequestIsRefusedWithoutWritingAFile) {
  const CommandResult result =
      Ctl("vendor", "table",
          {"report", "--kind", "visit", "--format", "pdf", "-o", (root_ / "visit.pdf").string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_FALSE(std::filesystem::exists(root_ / "visit.pdf"));
}

}  // namespace
}  // namespace mamori::testing::knowledge
