#include "platform/parse/mac_address.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(MacAddressParser, LowerCasesAnEthernetAddress) {
  EXPECT_EQ(ParseMacAddress("52:54:00:AB:cd:01\n"), "52:54:00:ab:cd:01");
}

TEST(MacAddressParser, AcceptsALongInfinibandAddress) {
  EXPECT_EQ(ParseMacAddress("80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0f:b1:23"),
            "80:00:02:08:fe:80:00:00:00:00:00:00:00:02:c9:03:00:0f:b1:23");
}

TEST(MacAddressParser, TreatsTheAllZeroAddressAsNone) {
  EXPECT_FALSE(ParseMacAddress("00:00:00:00:00:00\n").has_value());
}

TEST(MacAddressParser, RejectsMalformedAddresses) {
  EXPECT_FALSE(ParseMacAddress("").has_value());
  EXPECT_FALSE(ParseMacAddress("52-54-00-ab-cd-01").has_value());
  EXPECT_FALSE(ParseMacAddress("52:54:00:ab:cd:0").has_value());
  EXPECT_FALSE(ParseMacAddress("52:54:00:ab:cd:0g").has_value());
  EXPECT_FALSE(ParseMacAddress("525:4:00:ab:cd:01").has_value());
}

}  // namespace
}  // namespace mamori::parse
