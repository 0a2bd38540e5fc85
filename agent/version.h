// The agent's version as reported to the collector (set by CMake from the project version).
#pragma once

namespace mamori::agent {
inline constexpr char kAgentVersion[] = MAMORI_VERSION;
}  // namespace mamori::agent
