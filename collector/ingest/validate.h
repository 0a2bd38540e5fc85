// Checks on what an agent sends, before anything is stored: required fields, size bounds on every
// field, UTF-8 and timestamp ranges. Pure functions; the reason text names the offending field
// path.
#pragma once

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "mamori/v1/agent.pb.h"
#include "proto/connect_stream.h"

namespace mamori::collector {

// Bounds for anything arriving from the network. Generous for real hosts (a large Windows machine
// lists a few thousand installed programs), small enough that one agent cannot exhaust the
// collector.
inline constexpr std::size_t kMaxStringBytes = 4 * 1024;
inline constexpr std::size_t kMaxBytesFieldBytes = 64 * 1024;
inline constexpr int kMaxRepeatedEntries = 10'000;
inline constexpr std::size_t kMaxAgentMessageBytes = wire::kMaxAgentMessageBytes;

// The whole message: its size, then every field generically (ValidateFieldBounds), then the rules
// of the kind it carries. INVALID_ARGUMENT with "<field path>: <problem>" on the first problem
// found.
absl::Status ValidateAgentMessage(const mamori::v1::AgentMessage& message);

// Walks every field of `message` by reflection: strings within kMaxStringBytes and valid UTF-8,
// bytes within kMaxBytesFieldBytes, repeated fields within kMaxRepeatedEntries, Timestamps and
// Durations within the ranges RFC 3339 and the protobuf spec allow. `path` prefixes the reported
// field path.
absl::Status ValidateFieldBounds(const google::protobuf::Message& message, absl::string_view path);

// The rules of each kind of message; `path` is where it sits (e.g. "hello").
absl::Status ValidateHello(const mamori::v1::Hello& hello, absl::string_view path);
absl::Status ValidateSnapshot(const mamori::v1::Snapshot& snapshot, absl::string_view path);
absl::Status ValidateHeartbeat(const mamori::v1::Heartbeat& heartbeat, absl::string_view path);

// ^[A-Za-z0-9._-]{1,64}$: safe in file names, logs and URLs without escaping.
bool IsValidAgentId(absl::string_view agent_id);

// Strict UTF-8 (parse::IsValidUtf8) for the collector's absl::string_view callers.
bool IsValidUtf8(absl::string_view text);

}  // namespace mamori::collector
