// An in-memory RegistryReader for tests on every OS.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "platform/windows/registry_reader.h"

namespace mamori::testing {

class FakeRegistry final : public platform::RegistryReader {
 public:
  FakeRegistry& SetString(std::string_view key, std::string_view name, std::string value) {
    strings_[{std::string(key), std::string(name)}] = std::move(value);
    return *this;
  }
  FakeRegistry& SetDword(std::string_view key, std::string_view name, uint32_t value) {
    dwords_[{std::string(key), std::string(name)}] = value;
    return *this;
  }

  std::optional<std::string> ReadString(std::string_view key, std::string_view name) override {
    const auto found = strings_.find({std::string(key), std::string(name)});
    return found == strings_.end() ? std::nullopt : std::optional<std::string>(found->second);
  }
  std::optional<uint32_t> ReadDword(std::string_view key, std::string_view name) override {
    const auto found = dwords_.find({std::string(key), std::string(name)});
    return found == dwords_.end() ? std::nullopt : std::optional<uint32_t>(found->second);
  }

 private:
  std::map<std::pair<std::string, std::string>, std::string> strings_;
  std::map<std::pair<std::string, std::string>, uint32_t> dwords_;
};

}  // namespace mamori::testing
