// The session helper's pipe message on every OS: what is accepted and what is refused.
#include "platform/parse/idle_report.h"

#include <gtest/gtest.h>

#include <string>

namespace mamori::parse {
namespace {

std::string Bytes(const std::array<unsigned char, kIdleReportBytes>& encoded) {
  return std::string(reinterpret_cast<const char*>(encoded.data()), encoded.size());
}

TEST(IdleReport, RoundTripsTheIdleMilliseconds) {
  for (const uint32_t idle_ms : {0u, 1u, 61'000u, 0xFFFFFFFFu}) {
    EXPECT_EQ(DecodeIdleReport(Bytes(EncodeIdleReport({idle_ms}))), IdleReport{idle_ms});
  }
}

TEST(IdleReport, EncodesLittleEndianAfterTheMagicAndVersion) {
  const std::string bytes = Bytes(EncodeIdleReport({0x01020304}));
  EXPECT_EQ(bytes, std::string("MIDL\x01\x00\x00\x00\x04\x03\x02\x01\x00\x00\x00\x00", 16));
}

TEST(IdleReport, RefusesAnyOtherLength) {
  const std::string good = Bytes(EncodeIdleReport({5}));
  EXPECT_EQ(DecodeIdleReport(""), std::nullopt);
  EXPECT_EQ(DecodeIdleReport(good.substr(0, 15)), std::nullopt);
  EXPECT_EQ(DecodeIdleReport(good + '\0'), std::nullopt);
}

TEST(IdleReport, RefusesAWrongMagicVersionOrReservedByte) {
  const std::string good = Bytes(EncodeIdleReport({5}));
  for (const std::size_t at : {0u, 3u, 4u, 5u, 6u, 7u, 12u, 15u}) {
    std::string bad = good;
    bad[at] = static_cast<char>(bad[at] ^ 0x40);
    EXPECT_EQ(DecodeIdleReport(bad), std::nullopt) << "byte " << at;
  }
}

}  // namespace
}  // namespace mamori::parse
