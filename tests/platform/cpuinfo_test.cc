#include "platform/parse/cpuinfo.h"

#include <gtest/gtest.h>

namespace mamori::parse {
namespace {

TEST(CpuinfoParser, ReadsModelNameAndCountsProcessorsOnX86) {
  const CpuInfo info = ParseCpuInfo(
      "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM) i5-8500 CPU @ "
      "3.00GHz\n\n"
      "processor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Core(TM) i5-8500 CPU @ "
      "3.00GHz\n");
  EXPECT_EQ(info.model, "Intel(R) Core(TM) i5-8500 CPU @ 3.00GHz");
  EXPECT_EQ(info.logical_processors, 2u);
}

TEST(CpuinfoParser, NamesAnArm64CoreFromImplementerAndPart) {
  const CpuInfo info = ParseCpuInfo(
      "processor\t: 0\nBogoMIPS\t: 108.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n\n"
      "processor\t: 1\nBogoMIPS\t: 108.00\nCPU implementer\t: 0x41\nCPU part\t: 0xd08\n");
  EXPECT_EQ(info.model, "ARM Cortex-A72");
  EXPECT_EQ(info.logical_processors, 2u);
}

TEST(CpuinfoParser, NamesAnUnknownArmPartByNumber) {
  EXPECT_EQ(ParseCpuInfo("processor : 0\nCPU implementer : 0x61\nCPU part : 0x022\n").model,
            "Apple part 0x022");
  EXPECT_EQ(ParseCpuInfo("processor : 0\nCPU implementer : 0x99\nCPU part : 0x001\n").model,
            "CPU implementer 0x99 part 0x001");
}

TEST(CpuinfoParser, UsesTheOldArmProcessorLineWithoutCountingIt) {
  const CpuInfo info = ParseCpuInfo(
      "Processor\t: ARMv7 Processor rev 10 (v7l)\nprocessor\t: 0\nprocessor\t: 1\n"
      "Hardware\t: BCM2709\n");
  EXPECT_EQ(info.model, "ARMv7 Processor rev 10 (v7l)");
  EXPECT_EQ(info.logical_processors, 2u);
}

TEST(CpuinfoParser, FallsBackToTheHardwareLine) {
  EXPECT_EQ(ParseCpuInfo("processor : 0\nHardware : Allwinner sun8i Family\n").model,
            "Allwinner sun8i Family");
}

TEST(CpuinfoParser, ReportsNoCountWhenNoProcessorIsListed) {
  const CpuInfo info = ParseCpuInfo("vendor_id : GenuineIntel\n");
  EXPECT_FALSE(info.logical_processors.has_value());
  EXPECT_EQ(info.model, "");
}

}  // namespace
}  // namespace mamori::parse
