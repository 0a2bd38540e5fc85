// Locates and reads the fixture trees under tests/fixtures (MAMORI_FIXTURES_DIR comes from CMake).
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

namespace mamori::testing {

inline std::filesystem::path FixturePath(std::string_view relative) {
  return std::filesystem::path(MAMORI_FIXTURES_DIR) / relative;
}

// The whole file, or an empty string when it cannot be opened (the test's expectations then fail).
inline std::string ReadFixture(std::string_view relative) {
  std::ifstream in(FixturePath(relative), std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace mamori::testing
