// Builders for the agent messages the collector tests send and store.
#pragma once

#include <cstdint>
#include <string>

#include "mamori/v1/agent.pb.h"

namespace mamori::collector::testing {

inline mamori::v1::AgentMessage HelloMessage(const std::string& agent_id,
                                             const std::string& hostname = "reception-01") {
  mamori::v1::AgentMessage message;
  mamori::v1::Hello* hello = message.mutable_hello();
  hello->set_agent_id(agent_id);
  hello->set_hostname(hostname);
  hello->set_agent_version("0.1.0");
  return message;
}

inline mamori::v1::AgentMessage SnapshotMessage(std::uint64_t seq,
                                                const std::string& hostname = "reception-01") {
  mamori::v1::AgentMessage message;
  mamori::v1::Snapshot* snapshot = message.mutable_snapshot();
  snapshot->set_seq(seq);
  snapshot->mutable_collected_at()->set_seconds(1'700'000'000);
  mamori::v1::Inventory* inventory = snapshot->mutable_facts()->mutable_inventory();
  inventory->set_hostname(hostname);
  inventory->set_os_family(mamori::v1::OS_FAMILY_LINUX);
  inventory->set_os_name("Debian GNU/Linux");
  inventory->set_os_version("12");
  inventory->set_os_pretty_name("Debian GNU/Linux 12 (bookworm)");
  inventory->set_kernel_version("6.1.0-18-amd64");
  inventory->set_architecture("x86_64");
  inventory->set_machine_id("0123456789abcdef0123456789abcdef");
  return message;
}

inline mamori::v1::AgentMessage HeartbeatMessage(std::uint64_t seq) {
  mamori::v1::AgentMessage message;
  mamori::v1::Heartbeat* heartbeat = message.mutable_heartbeat();
  heartbeat->set_seq(seq);
  heartbeat->mutable_uptime()->set_seconds(3600);
  heartbeat->mutable_idle()->set_seconds(60);
  heartbeat->set_session_locked(true);
  heartbeat->set_sessions(1);
  return message;
}

}  // namespace mamori::collector::testing
