// Whether the collector hears from a host as it should: online, powered off as a workstation may
// be outside business hours, or silent for longer than the policy allows (MAM-AGENT-001). Pure.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "platform/facts/host_facts.h"
#include "platform/rules/business_hours.h"
#include "platform/rules/policy.h"

namespace mamori::rules {

enum class ContactState { kOnline, kOffExpected, kStale, kNeverReported };

// What only the collector knows about a host, beyond its facts.
struct ContactObservation {
  std::optional<facts::Timestamp> last_contact;  // last Hello, snapshot or heartbeat received
  // The agent's heartbeat interval: silence shorter than twice this is still "online".
  std::chrono::seconds heartbeat_interval{std::chrono::minutes{5}};
};

struct ContactVerdict {
  ContactState state = ContactState::kNeverReported;
  std::chrono::seconds silent_for{0};            // now - last_contact
  std::chrono::seconds silent_business_time{0};  // business time within that silence
  std::string evidence;                          // Japanese, with local times
};

// Servers are meant to run always: silent longer than agent.server_silent_minutes -> stale.
// Workstations may be off outside hours: only business time counts, and silence containing more
// than agent.workstation_silent_business_hours of it -> stale; less -> off_expected (or online
// within the heartbeat window).
ContactVerdict ClassifyContact(const ContactObservation& observation, bool is_server,
                               const Policy& policy, facts::Timestamp now);

}  // namespace mamori::rules
