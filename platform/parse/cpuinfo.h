// Parses /proc/cpuinfo: the processor's model and how many logical processors the kernel lists.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mamori::parse {

struct CpuInfo {
  // x86 "model name"; on ARM, which has none, the older "Processor"/"Hardware" lines or a name
  // built from "CPU implementer"/"CPU part" ("ARM Cortex-A72"); empty when nothing names the
  // processor.
  std::string model;
  // Number of "processor : N" blocks; nullopt when there is none.
  std::optional<uint32_t> logical_processors;
  friend bool operator==(const CpuInfo&, const CpuInfo&) = default;
};

CpuInfo ParseCpuInfo(std::string_view cpuinfo);

}  // namespace mamori::parse
