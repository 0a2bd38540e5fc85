// Parses `apt-get -s dist-upgrade` output.
#include "platform/parse/apt_simulation.h"

#include <string>
#include <utility>

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// "Debian-Security:12/oldstable-security", "Ubuntu:24.04/noble-security",
// "Debian-Security:10/oldstable"
bool IsSecurityArchive(std::string_view archive) {
  const std::size_t colon = archive.rfind(':');
  const std::string_view label =
      colon == std::string_view::npos ? std::string_view() : archive.substr(0, colon);
  const std::size_t slash = archive.rfind('/');
  std::string_view suite = archive;
  if (slash != std::string_view::npos) {
    suite = archive.substr(slash + 1);
  } else if (colon != std::string_view::npos) {
    suite = archive.substr(colon + 1);
  }
  return EndsWith(suite, "-security") || label == "Debian-Security";
}

// "N upgraded, N newly installed, N to remove and N not upgraded."
bool IsSummaryLine(std::string_view line) {
  const std::size_t space = line.find(' ');
  return space != std::string_view::npos && ParseDecimal(line.substr(0, space)).has_value() &&
         StartsWith(line.substr(space), " upgraded, ") &&
         line.find(" newly installed, ") != std::string_view::npos;
}

std::optional<facts::PendingUpdate> ParseInstLine(std::string_view line) {
  line.remove_prefix(std::string_view("Inst ").size());
  facts::PendingUpdate update;
  const std::size_t name_end = line.find(' ');
  if (name_end == 0 || name_end == std::string_view::npos) {
    return std::nullopt;
  }
  update.name = std::string(line.substr(0, name_end));
  std::string_view rest = line.substr(name_end + 1);
  // "[current]" is absent when the package is newly installed.
  if (StartsWith(rest, "[")) {
    const std::size_t close = rest.find("] ");
    if (close == std::string_view::npos || close == 1) {
      return std::nullopt;
    }
    update.current_version = std::string(rest.substr(1, close - 1));
    rest = rest.substr(close + 2);
  }
  if (!StartsWith(rest, "(")) {
    return std::nullopt;
  }
  const std::size_t close = rest.find(')');
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view candidate = rest.substr(1, close - 1);
  const std::size_t version_end = candidate.find(' ');
  if (candidate.empty() || version_end == 0) {
    return std::nullopt;
  }
  update.candidate_version = std::string(candidate.substr(0, version_end));
  if (version_end == std::string_view::npos) {
    return update;  // no archive named: neither a security update nor a known source
  }
  std::string_view archives = candidate.substr(version_end + 1);
  // The architecture comes last: "... [amd64]".
  if (EndsWith(archives, "]")) {
    const std::size_t open = archives.rfind(" [");
    archives = open == std::string_view::npos ? std::string_view() : archives.substr(0, open);
  }
  while (!archives.empty()) {
    const std::size_t comma = archives.find(", ");
    const std::string_view archive = archives.substr(0, comma);
    archives = comma == std::string_view::npos ? std::string_view() : archives.substr(comma + 2);
    if (archive.empty()) {
      continue;
    }
    if (!update.security && IsSecurityArchive(archive)) {
      update.security = true;
      update.source = std::string(archive);
    } else if (update.source.empty()) {
      update.source = std::string(archive);
    }
  }
  return update;
}

}  // namespace

std::optional<AptSimulation> ParseAptSimulation(std::string_view text) {
  if (text.size() > kMaxAptSimulationBytes) {
    return std::nullopt;
  }
  AptSimulation simulation;
  bool saw_summary = false;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.size() > kMaxLineBytes) {
      continue;
    }
    if (IsSummaryLine(line)) {
      saw_summary = true;
      continue;
    }
    if (!StartsWith(line, "Inst ")) {
      continue;
    }
    if (simulation.updates.size() >= kMaxPendingUpdates) {
      simulation.truncated = true;
      continue;
    }
    if (auto update = ParseInstLine(line)) {
      simulation.updates.push_back(std::move(*update));
    }
  }
  if (!saw_summary) {
    return std::nullopt;
  }
  return simulation;
}

}  // namespace mamori::parse
