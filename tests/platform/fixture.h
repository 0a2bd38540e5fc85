// Locates and reads the fixture trees under tests/fixtures (MAMORI_FIXTURES_DIR comes from CMake).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

#include "platform/probe.h"

namespace mamori::testing {

inline std::filesystem::path FixturePath(std::string_view relative) {
  return std::filesystem::path(MAMORI_FIXTURES_DIR) / relative;
}

// The whole file, or an empty string when it cannot be opened (the test's expectations then fail).
inline std::string ReadFixture(std::string_view relative) {
  std::ifstream in(FixturePath(relative), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A probe environment reading below `root` whose clock always says `now`, so verdicts that depend
// on ages (last logon, signature dates) do not change with the day the tests run.
inline platform::ProbeEnvironment FixedTimeEnvironment(const std::filesystem::path& root,
                                                       facts::Timestamp now) {
  platform::ProbeEnvironment env;
  env.root = root;
  env.now = [now] { return now; };
  return env;
}

}  // namespace mamori::testing
