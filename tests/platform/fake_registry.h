// An in-memory RegistryReader for tests on every OS. Setting a value creates its key and the key's
// parents, as the registry itself would show them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/parse/text.h"
#include "platform/windows/registry_reader.h"

namespace mamori::testing {

class FakeRegistry final : public platform::RegistryReader {
 public:
  FakeRegistry& SetString(std::string_view key, std::string_view name, std::string value) {
    AddKey(key);
    strings_[{std::string(key), std::string(name)}] = std::move(value);
    return *this;
  }
  FakeRegistry& SetDword(std::string_view key, std::string_view name, uint32_t value) {
    AddKey(key);
    dwords_[{std::string(key), std::string(name)}] = value;
    return *this;
  }
  // An empty key (its presence is the fact), e.g. ...\Auto Update\RebootRequired.
  FakeRegistry& AddKey(std::string_view key) {
    std::string path(key);
    while (!path.empty()) {
      keys_.insert(path);
      const std::size_t separator = path.rfind('\\');
      path = separator == std::string::npos ? std::string() : path.substr(0, separator);
    }
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
  bool KeyExists(std::string_view key) override { return keys_.contains(std::string(key)); }
  bool ValueExists(std::string_view key, std::string_view name) override {
    const std::pair<std::string, std::string> wanted{std::string(key), std::string(name)};
    return strings_.contains(wanted) || dwords_.contains(wanted);
  }
  // Filters and bounds as the real reader does (prefix without ASCII case, kMaxSubkeys names).
  std::vector<std::string> ListSubkeysStartingWith(std::string_view key,
                                                   std::string_view name_prefix) override {
    std::vector<std::string> names;
    // The empty key is the hive's root (HKEY_USERS lists user SIDs there).
    const std::string parent = key.empty() ? std::string() : std::string(key) + "\\";
    for (const std::string& candidate : keys_) {
      if (names.size() >= kMaxSubkeys) {
        break;
      }
      if (!candidate.starts_with(parent) ||
          candidate.find('\\', parent.size()) != std::string::npos) {
        continue;
      }
      const std::string name = candidate.substr(parent.size());
      if (parse::StartsWithIgnoringAsciiCase(name, name_prefix)) {
        names.push_back(name);
      }
    }
    return names;
  }

 private:
  std::set<std::string> keys_;
  std::map<std::pair<std::string, std::string>, std::string> strings_;
  std::map<std::pair<std::string, std::string>, uint32_t> dwords_;
};

}  // namespace mamori::testing
