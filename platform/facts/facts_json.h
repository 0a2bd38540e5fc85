// The facts model as JSON, for mamori-check's report and for people reading what a probe saw. Every
// field of HostFacts appears; an unset optional is null (so the shape never depends on the host),
// times are RFC 3339 UTC strings and durations whole seconds in fields named *_seconds.
#pragma once

#include <nlohmann/json.hpp>

#include "platform/facts/host_facts.h"

namespace mamori::facts {

// {"state":"ok|unknown|error","reason":"..."}
nlohmann::json ToJson(const ProbeStatus& status);

nlohmann::json ToJson(const HostFacts& facts);

}  // namespace mamori::facts
