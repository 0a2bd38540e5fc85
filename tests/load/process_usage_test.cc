#include "tests/load/process_usage.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace mamori::fleet {
namespace {

TEST(ProcessUsage, ReadsRssAndPeakFromStatus) {
  const std::optional<ProcessUsage> usage = ParseProcStatus(
      "Name:\tmamori-collect\nVmPeak:\t  900000 kB\nVmHWM:\t   204800 kB\nVmRSS:\t   102400 kB\n");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(usage->rss_bytes, 100u * 1024 * 1024);
  EXPECT_EQ(usage->peak_rss_bytes, 200u * 1024 * 1024);
}

TEST(ProcessUsage, StatusWithoutRssIsNotRead) {
  EXPECT_FALSE(ParseProcStatus("Name:\tkthreadd\nVmHWM:\t 1 kB\n").has_value());
  EXPECT_FALSE(ParseProcStatus("VmRSSX:\t 1 kB\nVmHWM:\t 1 kB\n").has_value());
}

TEST(ProcessUsage, CpuTicksAreUtimePlusStimeCountedAfterTheCommandName) {
  // The command name holds a space and a ')': fields are counted after the last ')'.
  const std::string stat =
      "4242 (a b) c) S 1 4242 4242 0 -1 4194560 2000 0 0 0 150 75 0 0 20 0 9 0 100 1000 500";
  EXPECT_EQ(ParseProcStatCpuTicks(stat), 225u);
}

TEST(ProcessUsage, TruncatedStatIsNotRead) {
  EXPECT_FALSE(
      ParseProcStatCpuTicks("4242 (x) S 1 4242 4242 0 -1 4194560 2000 0 0 0 150").has_value());
  EXPECT_FALSE(ParseProcStatCpuTicks("no parenthesis").has_value());
}

TEST(ProcessUsage, ReadsThisProcess) {
  const std::optional<ProcessUsage> usage = ReadProcessUsage(getpid());
  ASSERT_TRUE(usage.has_value());
  EXPECT_GT(usage->rss_bytes, 0u);
  EXPECT_GE(usage->peak_rss_bytes, usage->rss_bytes);
  EXPECT_FALSE(ReadProcessUsage(0).has_value());
}

}  // namespace
}  // namespace mamori::fleet
