// Parses /proc/cpuinfo.
#include "platform/parse/cpuinfo.h"

#include "platform/parse/text.h"

namespace mamori::parse {
namespace {

// Part numbers of Arm Ltd's own cores (implementer 0x41), as the kernel's cputype.h lists them; the
// common ones in small servers, single-board computers and Arm laptops.
std::string_view ArmCoreName(std::string_view part) {
  struct Core {
    std::string_view part;
    std::string_view name;
  };
  static constexpr Core kCores[] = {
      {"0xd03", "Cortex-A53"},  {"0xd04", "Cortex-A35"},  {"0xd05", "Cortex-A55"},
      {"0xd07", "Cortex-A57"},  {"0xd08", "Cortex-A72"},  {"0xd09", "Cortex-A73"},
      {"0xd0a", "Cortex-A75"},  {"0xd0b", "Cortex-A76"},  {"0xd0c", "Neoverse-N1"},
      {"0xd0d", "Cortex-A77"},  {"0xd40", "Neoverse-V1"}, {"0xd41", "Cortex-A78"},
      {"0xd44", "Cortex-X1"},   {"0xd46", "Cortex-A510"}, {"0xd47", "Cortex-A710"},
      {"0xd49", "Neoverse-N2"}, {"0xd4f", "Neoverse-V2"},
  };
  for (const Core& core : kCores) {
    if (core.part == part) {
      return core.name;
    }
  }
  return {};
}

std::string_view ImplementerName(std::string_view implementer) {
  struct Implementer {
    std::string_view code;
    std::string_view name;
  };
  static constexpr Implementer kImplementers[] = {
      {"0x41", "ARM"},    {"0x42", "Broadcom"}, {"0x43", "Cavium"}, {"0x48", "HiSilicon"},
      {"0x4e", "NVIDIA"}, {"0x51", "Qualcomm"}, {"0x61", "Apple"},  {"0xc0", "Ampere"},
  };
  for (const Implementer& known : kImplementers) {
    if (known.code == implementer) {
      return known.name;
    }
  }
  return {};
}

std::string ModelFromArmIds(std::string_view implementer, std::string_view part) {
  if (implementer.empty()) {
    return {};
  }
  const std::string_view vendor = ImplementerName(implementer);
  std::string model =
      vendor.empty() ? "CPU implementer " + std::string(implementer) : std::string(vendor);
  const std::string_view core = implementer == "0x41" ? ArmCoreName(part) : std::string_view();
  if (!core.empty()) {
    model += " " + std::string(core);
  } else if (!part.empty()) {
    model += " part " + std::string(part);
  }
  return model;
}

}  // namespace

CpuInfo ParseCpuInfo(std::string_view cpuinfo) {
  std::string model_name;     // x86, and some newer ARM kernels
  std::string arm_processor;  // 32-bit ARM before 3.8: "Processor : ARMv7 Processor rev 10 (v7l)"
  std::string hardware;       // 32-bit ARM board name: "Hardware : BCM2835"
  std::string implementer;
  std::string part;
  uint32_t processors = 0;
  ForEachBoundedLine(cpuinfo, [&](std::string_view line) {
    const std::optional<KeyValue> field = SplitKeyValue(line, ':');
    if (!field) {
      return;
    }
    if (field->key == "processor") {
      // x86 and ARM both start each logical processor's block with "processor : <index>".
      if (ParseDecimal(field->value)) {
        ++processors;
      }
    } else if (field->key == "model name" && model_name.empty()) {
      model_name = field->value;
    } else if (field->key == "Processor" && arm_processor.empty()) {
      arm_processor = field->value;
    } else if (field->key == "Hardware" && hardware.empty()) {
      hardware = field->value;
    } else if (field->key == "CPU implementer" && implementer.empty()) {
      implementer = field->value;
    } else if (field->key == "CPU part" && part.empty()) {
      part = field->value;
    }
  });

  CpuInfo info;
  if (!model_name.empty()) {
    info.model = model_name;
  } else if (!arm_processor.empty()) {
    info.model = arm_processor;
  } else if (std::string from_ids = ModelFromArmIds(implementer, part); !from_ids.empty()) {
    info.model = std::move(from_ids);
  } else {
    info.model = hardware;
  }
  if (processors > 0) {
    info.logical_processors = processors;
  }
  return info;
}

}  // namespace mamori::parse
