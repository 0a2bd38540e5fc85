#include "collector/ingest/validate.h"

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/duration.pb.h"
#include "google/protobuf/reflection.h"
#include "google/protobuf/timestamp.pb.h"
#include "platform/parse/utf8.h"

namespace mamori::collector {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The protobuf Timestamp range: 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, exactly
// what RFC 3339 can write.
constexpr std::int64_t kMinTimestampSeconds = -62'135'596'800;
constexpr std::int64_t kMaxTimestampSeconds = 253'402'300'799;
// The protobuf Duration range: +-10,000 years.
constexpr std::int64_t kMaxDurationSeconds = 315'576'000'000;
constexpr std::int32_t kNanosPerSecond = 1'000'000'000;

absl::Status Invalid(absl::string_view path, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", problem));
}

std::string Join(absl::string_view path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

absl::Status ValidateTimestamp(std::int64_t seconds, std::int32_t nanos, absl::string_view path) {
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
    return Invalid(path, "timestamp outside 0001-01-01 .. 9999-12-31");
  }
  if (nanos < 0 || nanos >= kNanosPerSecond) {
    return Invalid(path, "timestamp nanos outside 0 .. 999999999");
  }
  return absl::OkStatus();
}

absl::Status ValidateDuration(std::int64_t seconds, std::int32_t nanos, absl::string_view path) {
  if (seconds < -kMaxDurationSeconds || seconds > kMaxDurationSeconds) {
    return Invalid(path, "duration outside +-10000 years");
  }
  if (nanos <= -kNanosPerSecond || nanos >= kNanosPerSecond || (seconds > 0 && nanos < 0) ||
      (seconds < 0 && nanos > 0)) {
    return Invalid(path, "duration nanos out of range or of the wrong sign");
  }
  return absl::OkStatus();
}

absl::Status ValidateStringValue(const FieldDescriptor& field, absl::string_view value,
                                 absl::string_view path) {
  if (field.type() == FieldDescriptor::TYPE_BYTES) {
    if (value.size() > kMaxBytesFieldBytes) {
      return Invalid(path, absl::StrCat("longer than ", kMaxBytesFieldBytes, " bytes"));
    }
    return absl::OkStatus();
  }
  if (value.size() > kMaxStringBytes) {
    return Invalid(path, absl::StrCat("longer than ", kMaxStringBytes, " bytes"));
  }
  // The wire parser already refuses invalid UTF-8 in proto3 strings; a message built in process has
  // not been through it.
  if (!IsValidUtf8(value)) {
    return Invalid(path, "not valid UTF-8");
  }
  return absl::OkStatus();
}

absl::Status ValidateRepeatedField(const Message& message, const FieldDescriptor& field,
                                   absl::string_view path) {
  const Reflection& reflection = *message.GetReflection();
  const int count = reflection.FieldSize(message, &field);
  if (count > kMaxRepeatedEntries) {
    return Invalid(path, absl::StrCat("more than ", kMaxRepeatedEntries, " entries"));
  }
  for (int i = 0; i < count; ++i) {
    const std::string element_path = absl::StrCat(path, "[", i, "]");
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      const std::string& value =
          reflection.GetRepeatedStringReference(message, &field, i, &scratch);
      if (absl::Status status = ValidateStringValue(field, value, element_path); !status.ok()) {
        return status;
      }
    } else if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (absl::Status status =
              ValidateFieldBounds(reflection.GetRepeatedMessage(message, &field, i), element_path);
          !status.ok()) {
        return status;
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateSeq(std::uint64_t seq, absl::string_view path) {
  if (seq == 0) {
    return Invalid(path, "required (sequence numbers start at 1)");
  }
  // Stored as SQLite's signed 64-bit INTEGER.
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return Invalid(path, "larger than 2^63-1");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsValidAgentId(absl::string_view agent_id) {
  if (agent_id.empty() || agent_id.size() > 64) {
    return false;
  }
  for (char c : agent_id) {
    const bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return false;
    }
  }
  return true;
}

bool IsValidUtf8(absl::string_view text) {
  return parse::IsValidUtf8(std::string_view(text.data(), text.size()));
}

absl::Status ValidateFieldBounds(const Message& message, absl::string_view path) {
  // Well-known types are checked by value; read through reflection so any message implementation
  // works.
  const google::protobuf::Descriptor& descriptor = *message.GetDescriptor();
  const bool is_timestamp =
      descriptor.full_name() == google::protobuf::Timestamp::descriptor()->full_name();
  const bool is_duration =
      descriptor.full_name() == google::protobuf::Duration::descriptor()->full_name();
  if (is_timestamp || is_duration) {
    const Reflection& reflection = *message.GetReflection();
    const std::int64_t seconds =
        reflection.GetInt64(message, descriptor.FindFieldByName("seconds"));
    const std::int32_t nanos = reflection.GetInt32(message, descriptor.FindFieldByName("nanos"));
    return is_timestamp ? ValidateTimestamp(seconds, nanos, path)
                        : ValidateDuration(seconds, nanos, path);
  }

  const Reflection& reflection = *message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection.ListFields(message, &fields);  // only fields that are set: unset ones need no bounds
  for (const FieldDescriptor* field : fields) {
    const std::string field_path = Join(path, field->name());
    absl::Status status;
    if (field->is_repeated()) {
      status = ValidateRepeatedField(message, *field, field_path);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
      std::string scratch;
      status = ValidateStringValue(*field, reflection.GetStringReference(message, field, &scratch),
                                   field_path);
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      status = ValidateFieldBounds(reflection.GetMessage(message, field), field_path);
    }
    if (!status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateHello(const mamori::v1::Hello& hello, absl::string_view path) {
  if (hello.agent_id().empty()) {
    return Invalid(Join(path, "agent_id"), "required");
  }
  if (!IsValidAgentId(hello.agent_id())) {
    return Invalid(Join(path, "agent_id"), "must match ^[A-Za-z0-9._-]{1,64}$");
  }
  if (hello.hostname().empty()) {
    return Invalid(Join(path, "hostname"), "required");
  }
  return absl::OkStatus();
}

absl::Status ValidateSnapshot(const mamori::v1::Snapshot& snapshot, absl::string_view path) {
  if (absl::Status status = ValidateSeq(snapshot.seq(), Join(path, "seq")); !status.ok()) {
    return status;
  }
  if (!snapshot.has_facts()) {
    return Invalid(Join(path, "facts"), "required");
  }
  if (!snapshot.facts().has_inventory()) {
    return Invalid(Join(path, "facts.inventory"), "required");
  }
  if (snapshot.facts().inventory().hostname().empty()) {
    return Invalid(Join(path, "facts.inventory.hostname"), "required");
  }
  return absl::OkStatus();
}

absl::Status ValidateHeartbeat(const mamori::v1::Heartbeat& heartbeat, absl::string_view path) {
  return ValidateSeq(heartbeat.seq(), Join(path, "seq"));
}

absl::Status ValidateAgentMessage(const mamori::v1::AgentMessage& message) {
  if (const std::size_t size = message.ByteSizeLong(); size > kMaxAgentMessageBytes) {
    return Invalid("agent_message", absl::StrCat("larger than ", kMaxAgentMessageBytes, " bytes"));
  }
  if (absl::Status status = ValidateFieldBounds(message, ""); !status.ok()) {
    return status;
  }
  switch (message.body_case()) {
    case mamori::v1::AgentMessage::kHello:
      return ValidateHello(message.hello(), "hello");
    case mamori::v1::AgentMessage::kSnapshot:
      return ValidateSnapshot(message.snapshot(), "snapshot");
    case mamori::v1::AgentMessage::kHeartbeat:
      return ValidateHeartbeat(message.heartbeat(), "heartbeat");
    case mamori::v1::AgentMessage::BODY_NOT_SET:
      break;
  }
  return Invalid("agent_message", "no hello, snapshot or heartbeat");
}

}  // namespace mamori::collector
