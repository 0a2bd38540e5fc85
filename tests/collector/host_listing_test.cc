#include "collector/cli/host_listing.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace mamori::collector {
namespace {

std::vector<HostSummary> TwoHosts() {
  return {
      HostSummary{"agent-1", "reception-01", "Debian GNU/Linux", "12",
                  "Debian GNU/Linux 12 (bookworm)", absl::FromUnixSeconds(1'700'000'000)},
      HostSummary{"agent-22", "受付", "Windows", "10.0.19045", "Windows 10 Pro",
                  absl::FromUnixSeconds(1'700'000'000) + absl::Milliseconds(250)},
  };
}

TEST(FormatHostTable, AlignsColumnsIncludingWideCharacters) {
  EXPECT_EQ(FormatHostTable(TwoHosts()),
            "AGENT ID  HOSTNAME      OS                VERSION     PRETTY NAME                     "
            "LAST SEEN\n"
            "agent-1   reception-01  Debian GNU/Linux  12          Debian GNU/Linux 12 (bookworm)  "
            "2023-11-14T22:13:20Z\n"
            "agent-22  受付          Windows           10.0.19045  Windows 10 Pro                  "
            "2023-11-14T22:13:20.25Z\n");
}

TEST(FormatHostTable, PrintsOnlyTheHeaderWhenThereAreNoHosts) {
  EXPECT_EQ(FormatHostTable({}), "AGENT ID  HOSTNAME  OS  VERSION  PRETTY NAME  LAST SEEN\n");
}

TEST(FormatHostJson, WritesAnArrayOfObjectsWithRfc3339UtcLastSeen) {
  const nlohmann::json json = nlohmann::json::parse(FormatHostJson(TwoHosts()));
  ASSERT_TRUE(json.is_array());
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[0], (nlohmann::json{{"agent_id", "agent-1"},
                                     {"hostname", "reception-01"},
                                     {"os_name", "Debian GNU/Linux"},
                                     {"os_version", "12"},
                                     {"os_pretty_name", "Debian GNU/Linux 12 (bookworm)"},
                                     {"last_seen", "2023-11-14T22:13:20Z"}}));
  EXPECT_EQ(json[1]["hostname"], "受付");
  EXPECT_EQ(json[1]["last_seen"], "2023-11-14T22:13:20.25Z");
}

TEST(FormatHostJson, WritesAnEmptyArrayWhenThereAreNoHosts) {
  EXPECT_EQ(FormatHostJson({}), "[]\n");
}

TEST(DisplayWidth, CountsJapaneseCharactersAsTwoColumns) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("受付"), 4u);
  EXPECT_EQ(DisplayWidth("PC-受付"), 7u);
}

}  // namespace
}  // namespace mamori::collector
