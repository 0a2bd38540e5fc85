// mamorictl report: assembling the collector's stream (header first, size and SHA-256 checked) and
// writing the file atomically, without a network.
#include "collector/ctl/report_pull.h"

#include <sys/stat.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "collector/pki/x509.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/codec/report_names.h"
#include "tests/collector/temp_dir.h"

namespace mamori::ctl {
namespace {

using ::testing::HasSubstr;
namespace v1 = mamori::v1;

v1::ReportChunk Header(const std::string& document) {
  v1::ReportChunk chunk;
  chunk.mutable_header()->set_file_name("mamori-visit-20261130.html");
  chunk.mutable_header()->set_size_bytes(static_cast<std::int64_t>(document.size()));
  chunk.mutable_header()->set_sha256(pki::Sha256Hex(document));
  return chunk;
}

v1::ReportChunk Data(const std::string& bytes) {
  v1::ReportChunk chunk;
  chunk.set_data(bytes);
  return chunk;
}

absl::StatusOr<PulledReport> Assemble(std::deque<v1::ReportChunk> chunks) {
  return AssembleReport([&](v1::ReportChunk& chunk) {
    if (chunks.empty()) {
      return false;
    }
    chunk = std::move(chunks.front());
    chunks.pop_front();
    return true;
  });
}

std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST(ReportPull, AssemblesChunksThatMatchTheHeader) {
  const std::string document = "<!doctype html>受付PC-2";
  absl::StatusOr<PulledReport> pulled =
      Assemble({Header(document), Data(document.substr(0, 5)), Data(document.substr(5))});
  ASSERT_TRUE(pulled.ok()) << pulled.status();
  EXPECT_EQ(pulled->document, document);
  EXPECT_EQ(pulled->header.file_name(), "mamori-visit-20261130.html");
}

TEST(ReportPull, RefusesAStreamThatIsShortLongTamperedOrWithoutHeader) {
  const std::string document = "0123456789";
  absl::StatusOr<PulledReport> shorter = Assemble({Header(document), Data("01234")});
  EXPECT_EQ(shorter.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(shorter.status().message(), HasSubstr("stopped after 5 of 10 bytes"));

  absl::StatusOr<PulledReport> longer = Assemble({Header(document), Data(document), Data("x")});
  EXPECT_THAT(longer.status().message(), HasSubstr("longer than the 10 bytes"));

  absl::StatusOr<PulledReport> tampered = Assemble({Header(document), Data("0123456780")});
  EXPECT_THAT(tampered.status().message(), HasSubstr("SHA-256 does not match"));

  absl::StatusOr<PulledReport> headless = Assemble({Data(document)});
  EXPECT_THAT(headless.status().message(), HasSubstr("did not start with its header"));

  absl::StatusOr<PulledReport> two_headers = Assemble({Header(document), Header(document)});
  EXPECT_THAT(two_headers.status().message(), HasSubstr("second header"));

  EXPECT_THAT(Assemble({}).status().message(), HasSubstr("no report"));

  v1::ReportChunk huge = Header(document);
  huge.mutable_header()->set_size_bytes(static_cast<std::int64_t>(kMaxPulledReportBytes) + 1);
  EXPECT_THAT(Assemble({huge}).status().message(), HasSubstr("announced size"));
}

TEST(ReportPull, WritesTheFileForTheOwnerOnlyAndReplacesAnOlderOne) {
  collector::testing::TempDir dir;
  const std::filesystem::path path = dir.path() / "visit.html";
  { std::ofstream(path) << "old"; }
  ASSERT_TRUE(WriteReportFile(path, "new report").ok());
  EXPECT_EQ(ReadAll(path), "new report");
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  // No temporary file is left beside it.
  int files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++files;
  }
  EXPECT_EQ(files, 1);
}

TEST(ReportPull, AFailedWriteLeavesTheOldFileAndNoTemporary) {
  collector::testing::TempDir dir;
  const std::filesystem::path missing = dir.path() / "no-such-dir" / "visit.html";
  const absl::Status status = WriteReportFile(missing, "report");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("no-such-dir"));
}

TEST(ReportPull, NamesMapToTheWireEnums) {
  EXPECT_EQ(codec::ReportKindFromName("visit"), v1::REPORT_KIND_VISIT);
  EXPECT_EQ(codec::ReportKindFromName("checklist"), v1::REPORT_KIND_CHECKLIST);
  EXPECT_EQ(codec::ReportFormatFromName("csv"), v1::REPORT_FORMAT_CSV);
  EXPECT_EQ(codec::ReportLanguageFromName("en"), v1::REPORT_LANGUAGE_EN);
  EXPECT_FALSE(codec::ReportKindFromName("VISIT").has_value());
  EXPECT_FALSE(codec::ReportFormatFromName("pdf").has_value());
  EXPECT_EQ(codec::ReportKindName(v1::REPORT_KIND_LEDGER), "ledger");
  EXPECT_EQ(codec::ReportKindName(v1::REPORT_KIND_UNSPECIFIED), "");
  EXPECT_EQ(codec::ReportLanguageName(v1::REPORT_LANGUAGE_UNSPECIFIED), "ja");
  // Every kind mamorictl offers has a name, and names and values round-trip.
  for (const auto& [name, kind] : codec::kReportKindNames) {
    EXPECT_EQ(codec::ReportKindName(kind), name);
    EXPECT_EQ(codec::ReportKindFromName(name), kind);
  }
}

}  // namespace
}  // namespace mamori::ctl
