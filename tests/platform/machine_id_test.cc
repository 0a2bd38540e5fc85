#include "platform/parse/machine_id.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(MachineIdParser, AcceptsThirtyTwoHexDigitsInLowerCase) {
  EXPECT_EQ(ParseMachineId("4F1C2B7D9E0A4C6B8D2E1F3A5B7C9D0E\n"),
            "4f1c2b7d9e0a4c6b8d2e1f3a5b7c9d0e");
}

TEST(MachineIdParser, RejectsTheUninitializedPlaceholder) {
  EXPECT_FALSE(ParseMachineId("uninitialized\n").has_value());
}

TEST(MachineIdParser, RejectsWrongLengthsAndNonHexDigits) {
  EXPECT_FALSE(ParseMachineId("").has_value());
  EXPECT_FALSE(ParseMachineId("4f1c2b7d9e0a4c6b8d2e1f3a5b7c9d0").has_value());
  EXPECT_FALSE(ParseMachineId("4f1c2b7d9e0a4c6b8d2e1f3a5b7c9d0e0").has_value());
  EXPECT_FALSE(ParseMachineId("4f1c2b7d-9e0a-4c6b-8d2e-1f3a5b7c").has_value());
  EXPECT_FALSE(ParseMachineId("gf1c2b7d9e0a4c6b8d2e1f3a5b7c9d0e").has_value());
}

TEST(MachineIdParser, RejectsAllZeros) {
  EXPECT_FALSE(ParseMachineId("00000000000000000000000000000000\n").has_value());
}

}  // namespace
}  // namespace mamori::parse
