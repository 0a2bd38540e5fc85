#include "platform/parse/hresult.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(DescribeHresult, NamesTheWmiErrorsProbesMeet) {
  EXPECT_EQ(DescribeHresult(0x8004100E), "0x8004100E (WBEM_E_INVALID_NAMESPACE)");
  EXPECT_EQ(DescribeHresult(0x80041003), "0x80041003 (WBEM_E_ACCESS_DENIED)");
  EXPECT_EQ(DescribeHresult(0x80041010), "0x80041010 (WBEM_E_INVALID_CLASS)");
  EXPECT_EQ(DescribeHresult(0x00040004), "0x00040004 (WBEM_S_TIMEDOUT)");
}

TEST(DescribeHresult, NamesComErrors) {
  EXPECT_EQ(DescribeHresult(0x80070005), "0x80070005 (E_ACCESSDENIED)");
  EXPECT_EQ(DescribeHresult(0x80040154), "0x80040154 (REGDB_E_CLASSNOTREG)");
  EXPECT_EQ(HresultName(0x80010106), "RPC_E_CHANGED_MODE");
}

TEST(DescribeHresult, GivesOnlyTheHexForCodesNotInTheTable) {
  EXPECT_EQ(DescribeHresult(0x80049999), "0x80049999");
  EXPECT_EQ(HresultName(0), "");
}

TEST(IsAccessDeniedHresult, RecognisesBothAccessDeniedCodesOnly) {
  EXPECT_TRUE(IsAccessDeniedHresult(0x80041003));
  EXPECT_TRUE(IsAccessDeniedHresult(0x80070005));
  EXPECT_FALSE(IsAccessDeniedHresult(0x8004100E));
  EXPECT_FALSE(IsAccessDeniedHresult(5));
}

}  // namespace
}  // namespace mamori::parse
