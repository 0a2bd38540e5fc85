// Parses what `apt-get -s dist-upgrade` prints (run with LC_ALL=C): the updates apt would install,
// and which of them come from a security archive.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// A simulation bigger than this is not apt-get's: a full release upgrade of a desktop prints well
// under 2 MiB.
inline constexpr std::size_t kMaxAptSimulationBytes = 16 * 1024 * 1024;
// More pending updates than any Debian or Ubuntu install has packages; the rest are dropped.
inline constexpr std::size_t kMaxPendingUpdates = 20000;

struct AptSimulation {
  std::vector<facts::PendingUpdate> updates;
  bool truncated = false;  // more than kMaxPendingUpdates "Inst" lines
  friend bool operator==(const AptSimulation&, const AptSimulation&) = default;
};

// One "Inst" line per package apt would install or upgrade:
//   Inst libssl3 [3.0.19-1~deb12u2] (3.0.22-1~deb12u2 Debian-Security:12/oldstable-security
//   [amd64]) [] Inst linux-image-6.8.0-63-generic (6.8.0-63.66 Ubuntu:24.04/noble-security [amd64])
// The parenthesis holds the candidate version and the archives offering it ("Label:Version/Suite",
// comma separated; labels may hold spaces: "Docker CE:noble"). An update is a security update when
// any of those archives is: suite ending in "-security" (Debian 11+, Ubuntu, Ubuntu ESM) or label
// "Debian-Security" (Debian 10 and older named the suite plain "stable"). `source` is that archive,
// or the first one.
//
// nullopt when the text is not a simulation at all: apt-get always prints its summary line
// ("0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded."), so output without one
// (an error, garbage, a translated run) is never read as "no updates". Malformed "Inst" lines are
// skipped. Text over kMaxAptSimulationBytes is refused.
std::optional<AptSimulation> ParseAptSimulation(std::string_view text);

}  // namespace mamori::parse
