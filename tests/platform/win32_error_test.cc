// Win32 error codes as report text, on every OS.
#include "platform/parse/win32_error.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(Win32Error, NamesTheCodesTheProbesMeet) {
  EXPECT_EQ(DescribeWin32Error(124), "error 124 (ERROR_INVALID_LEVEL)");
  EXPECT_EQ(DescribeWin32Error(5), "error 5 (ERROR_ACCESS_DENIED)");
  EXPECT_EQ(DescribeWin32Error(2220), "error 2220 (NERR_GroupNotFound)");
}

TEST(Win32Error, GivesTheNumberAloneForOtherCodes) {
  EXPECT_EQ(DescribeWin32Error(12345), "error 12345");
  EXPECT_EQ(Win32ErrorName(12345), "");
}

TEST(Win32Error, NamesTheCallThatFailed) {
  EXPECT_EQ(Win32CallFailed("NetUserEnum level 3", 124),
            "NetUserEnum level 3 failed: error 124 (ERROR_INVALID_LEVEL)");
}

}  // namespace
}  // namespace mamori::parse
