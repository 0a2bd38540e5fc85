#include "agent/collector_address.h"

#include <gtest/gtest.h>

namespace mamori::agent {
namespace {

TEST(CollectorAddress, ParsesIpv4LoopbackWithPort) {
  absl::StatusOr<CollectorAddress> a = ParseCollectorAddress("127.0.0.1:7443");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 7443);
  EXPECT_TRUE(a->loopback);
  EXPECT_EQ(a->Target(), "127.0.0.1:7443");
}

TEST(CollectorAddress, TreatsWholeLoopbackNetAndLocalhostAsLoopback) {
  EXPECT_TRUE(ParseCollectorAddress("127.8.9.10:1")->loopback);
  EXPECT_TRUE(ParseCollectorAddress("LocalHost:7443")->loopback);
  EXPECT_TRUE(ParseCollectorAddress("[::1]:7443")->loopback);
}

TEST(CollectorAddress, BracketsIpv6InTarget) {
  absl::StatusOr<CollectorAddress> a = ParseCollectorAddress("[::1]:7443");
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->Target(), "[::1]:7443");
}

TEST(CollectorAddress, LanAddressesAreNotLoopback) {
  EXPECT_FALSE(ParseCollectorAddress("192.168.1.10:7443")->loopback);
  EXPECT_FALSE(ParseCollectorAddress("server-pc.local:7443")->loopback);
  EXPECT_FALSE(ParseCollectorAddress("[fe80::1]:7443")->loopback);
  // A name that merely starts like a loopback address is a LAN name.
  EXPECT_FALSE(ParseCollectorAddress("127.0.0.1.example:7443")->loopback);
}

TEST(CollectorAddress, RejectsMissingOrBadPort) {
  for (const char* bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
                          "127.0.0.1:http", "::1:7443", "[::1]7443", ":7443", "a b:1"}) {
    absl::StatusOr<CollectorAddress> a = ParseCollectorAddress(bad);
    EXPECT_FALSE(a.ok()) << bad;
    EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace mamori::agent
