#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "platform/probe.h"

namespace mamori::platform {
namespace {

const facts::Timestamp kNow{std::chrono::seconds(1750000000)};

ProbeEnvironment FixedClock() {
  ProbeEnvironment env;
  env.now = [] { return kNow; };
  return env;
}

class ThrowingInventoryProbe final : public Probe<facts::Inventory> {
 public:
  std::string_view Name() const override { return "exploding inventory"; }
  facts::Inventory Collect() override { throw std::runtime_error("disk on fire"); }
};

class ThrowingNonExceptionProbe final : public Probe<facts::Inventory> {
 public:
  std::string_view Name() const override { return "odd inventory"; }
  facts::Inventory Collect() override { throw 42; }
};

class FixedInventoryProbe final : public Probe<facts::Inventory> {
 public:
  std::string_view Name() const override { return "fixed inventory"; }
  facts::Inventory Collect() override {
    facts::Inventory inventory;
    inventory.hostname = "pc-01";
    inventory.meta.status = facts::ProbeStatus::Ok();
    return inventory;
  }
};

TEST(CollectHostFacts, ReportsAnEmptySlotAsUnknownWithAReason) {
  ProbeRegistry probes;
  const facts::HostFacts host = CollectHostFacts(probes, FixedClock());
  EXPECT_EQ(host.inventory.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(host.inventory.meta.status.reason, "no inventory probe on this platform yet");
  EXPECT_EQ(host.firewall.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(host.inventory.meta.collected_at, kNow);
}

TEST(CollectHostFacts, ReportsAThrowingProbeAsAnErrorNamingTheProbe) {
  ProbeRegistry probes;
  probes.inventory = std::make_unique<ThrowingInventoryProbe>();
  const facts::HostFacts host = CollectHostFacts(probes, FixedClock());
  EXPECT_EQ(host.inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_EQ(host.inventory.meta.status.reason, "exploding inventory probe failed: disk on fire");
  EXPECT_EQ(host.inventory.meta.collected_at, kNow);
}

TEST(CollectHostFacts, ReportsAProbeThrowingANonExceptionAsAnError) {
  ProbeRegistry probes;
  probes.inventory = std::make_unique<ThrowingNonExceptionProbe>();
  const facts::HostFacts host = CollectHostFacts(probes, FixedClock());
  EXPECT_EQ(host.inventory.meta.status.state, facts::ProbeState::kError);
  EXPECT_EQ(host.inventory.meta.status.reason,
            "odd inventory probe failed with an unknown exception");
}

TEST(CollectHostFacts, KeepsWhatAWorkingProbeFound) {
  ProbeRegistry probes;
  probes.inventory = std::make_unique<FixedInventoryProbe>();
  const facts::HostFacts host = CollectHostFacts(probes, FixedClock());
  EXPECT_TRUE(host.inventory.meta.status.ok());
  EXPECT_EQ(host.inventory.hostname, "pc-01");
  EXPECT_EQ(host.inventory.meta.collected_at, kNow);
}

TEST(MakeHostProbes, ProvidesAnInventoryProbe) {
  const ProbeRegistry probes = MakeHostProbes(ProbeEnvironment{});
  EXPECT_NE(probes.inventory, nullptr);
}

}  // namespace
}  // namespace mamori::platform
