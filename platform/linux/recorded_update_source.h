// Pending updates of a tree that is not the running system: an offline scan of a copied or mounted
// root cannot run apt against it (apt-get simulates with the running host's package database,
// sources and keys), so the tree carries a recorded `apt-get -s dist-upgrade` output instead. This
// makes a fixture tree self-describing, and is also what a vendor can capture on a clinic PC
// (`LC_ALL=C apt-get -s dist-upgrade > /var/cache/mamori/apt-get-simulate.txt`) and analyse
// elsewhere with `mamori-check --root`.
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "platform/linux/package_update_source.h"

namespace mamori::platform {

// Where the recorded simulation lives, relative to the root.
inline constexpr std::string_view kRecordedSimulationPath = "var/cache/mamori/apt-get-simulate.txt";

// Serves <root>/var/cache/mamori/apt-get-simulate.txt as the simulation's output, read afresh on
// each call with the same size cap as a live run; a missing or unreadable file is an error with
// the reason, never an empty (up-to-date) simulation.
std::unique_ptr<PackageUpdateSource> MakeRecordedUpdateSource(std::filesystem::path root);

}  // namespace mamori::platform
