#include "collector/server/listen_address.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace mamori::collector {
namespace {

using ::testing::HasSubstr;

TEST(ListenAddress, AcceptsIpv4Loopback) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress("127.0.0.1:7443");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->host, "127.0.0.1");
  EXPECT_EQ(address->port, 7443);
  EXPECT_EQ(address->ToString(), "127.0.0.1:7443");
}

TEST(ListenAddress, AcceptsPortZeroForAnEphemeralPort) {
  EXPECT_EQ(ParseListenAddress("127.0.0.1:0")->port, 0);
}

TEST(ListenAddress, AcceptsIpv6LoopbackInBrackets) {
  absl::StatusOr<ListenAddress> address = ParseListenAddress("[::1]:7443");
  ASSERT_TRUE(address.ok()) << address.status();
  EXPECT_EQ(address->host, "::1");
  EXPECT_EQ(address->ToString(), "[::1]:7443");
}

TEST(ListenAddress, AcceptsLanAndWildcardAddressesNowThatEveryConnectionIsTls) {
  for (const char* text : {"0.0.0.0:7443", "192.168.1.10:7443", "[::]:7443"}) {
    EXPECT_TRUE(ParseListenAddress(text).ok()) << text;
  }
  EXPECT_TRUE(IsWildcard(*ParseListenAddress("0.0.0.0:7443")));
  EXPECT_TRUE(IsWildcard(*ParseListenAddress("[::]:7443")));
  EXPECT_FALSE(IsWildcard(*ParseListenAddress("192.168.1.10:7443")));
}

TEST(ListenAddress, RefusesHostNames) {
  for (const char* text : {"localhost:7443", "server-pc.local:7443"}) {
    absl::StatusOr<ListenAddress> address = ParseListenAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_EQ(address.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(address.status().message(), HasSubstr("not an IP address")) << text;
  }
}

TEST(ListenAddress, RefusesMalformedPorts) {
  for (const char* text : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                           "127.0.0.1:http", "::1:7443"}) {
    EXPECT_FALSE(ParseListenAddress(text).ok()) << text;
  }
}

}  // namespace
}  // namespace mamori::collector
