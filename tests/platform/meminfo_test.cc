#include "platform/parse/meminfo.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(MeminfoParser, ConvertsMemTotalFromKibibytesToBytes) {
  EXPECT_EQ(ParseMemTotalBytes("MemTotal:       16318884 kB\nMemFree:  1 kB\n"),
            uint64_t{16318884} * 1024);
}

TEST(MeminfoParser, FindsMemTotalAfterOtherLines) {
  EXPECT_EQ(ParseMemTotalBytes("MemFree: 5 kB\nMemTotal: 2 kB\n"), uint64_t{2048});
}

TEST(MeminfoParser, ReadsAValueWithoutUnitAsBytes) {
  EXPECT_EQ(ParseMemTotalBytes("MemTotal: 4096\n"), uint64_t{4096});
}

TEST(MeminfoParser, ReturnsNothingWithoutMemTotal) {
  EXPECT_FALSE(ParseMemTotalBytes("MemFree: 5 kB\nMemTotalx: 7 kB\n").has_value());
  EXPECT_FALSE(ParseMemTotalBytes("").has_value());
}

TEST(MeminfoParser, RejectsMalformedValues) {
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal: -5 kB\n").has_value());
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal: 5 MB\n").has_value());
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal: lots kB\n").has_value());
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal:\n").has_value());
}

TEST(MeminfoParser, RejectsValuesThatOverflowWhenScaled) {
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal: 18446744073709551615 kB\n").has_value());
  EXPECT_FALSE(ParseMemTotalBytes("MemTotal: 99999999999999999999999 kB\n").has_value());
}

}  // namespace
}  // namespace mamori::parse
