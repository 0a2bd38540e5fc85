// This PC's name as the agent gives it when enrolling (one implementation per OS, chosen in
// CMake).
#pragma once

#include <string>

namespace mamori::agent {

// The host name (Linux) or DNS host name (Windows); "unknown" when the OS does not say.
std::string ThisHostName();

}  // namespace mamori::agent
