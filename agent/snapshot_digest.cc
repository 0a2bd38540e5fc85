// Volatile fields are cleared on a copy; the digest is of protobuf's deterministic serialization,
// which is stable for one agent version (a new version may send one extra snapshot).
#include "agent/snapshot_digest.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "collector/pki/key_files.h"
#include "collector/pki/x509.h"
#include "nlohmann/json.hpp"

namespace mamori::agent {
namespace {

constexpr std::int64_t kBootTimeGrainSeconds = 300;
constexpr std::size_t kMaxLastSnapshotFileBytes = 4 * 1024;

void ClearSectionTimes(google::protobuf::Message& facts) {
  const google::protobuf::Reflection* reflection = facts.GetReflection();
  const google::protobuf::Descriptor* descriptor = facts.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* section = descriptor->field(i);
    if (section->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE ||
        section->is_repeated() || !reflection->HasField(facts, section)) {
      continue;
    }
    google::protobuf::Message* body = reflection->MutableMessage(&facts, section);
    const google::protobuf::FieldDescriptor* meta = body->GetDescriptor()->FindFieldByName("meta");
    if (meta == nullptr || meta->message_type() != mamori::v1::SectionMeta::descriptor()) {
      continue;
    }
    if (body->GetReflection()->HasField(*body, meta)) {
      static_cast<mamori::v1::SectionMeta*>(body->GetReflection()->MutableMessage(body, meta))
          ->clear_collected_at();
    }
  }
}

}  // namespace

std::string FactsDigest(const mamori::v1::HostFacts& facts) {
  mamori::v1::HostFacts stable = facts;
  ClearSectionTimes(stable);
  if (stable.has_power()) {
    mamori::v1::PowerState& power = *stable.mutable_power();
    power.clear_uptime();
    power.clear_idle();
    for (mamori::v1::UserSession& session : *power.mutable_sessions()) {
      session.clear_idle();
      session.clear_idle_since();
    }
  }
  if (stable.has_inventory() && stable.inventory().has_boot_time()) {
    google::protobuf::Timestamp& boot = *stable.mutable_inventory()->mutable_boot_time();
    const std::int64_t seconds = boot.seconds();
    const std::int64_t floored =
        seconds -
        ((seconds % kBootTimeGrainSeconds) + kBootTimeGrainSeconds) % kBootTimeGrainSeconds;
    boot.set_seconds(floored);
    boot.set_nanos(0);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    stable.SerializeToCodedStream(&coded);
  }
  return pki::Sha256Hex(bytes);
}

std::optional<LastSnapshot> LoadLastSnapshot(const std::filesystem::path& file) {
  absl::StatusOr<std::string> text = pki::ReadSmallFile(file, kMaxLastSnapshotFileBytes);
  if (!text.ok()) {
    return std::nullopt;
  }
  const nlohmann::json json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("digest") || !json["digest"].is_string() ||
      !json.contains("spooled_at_unix") || !json["spooled_at_unix"].is_number_integer()) {
    return std::nullopt;
  }
  return LastSnapshot{json["digest"].get<std::string>(),
                      absl::FromUnixSeconds(json["spooled_at_unix"].get<std::int64_t>())};
}

absl::Status SaveLastSnapshot(const std::filesystem::path& file, const LastSnapshot& last) {
  const nlohmann::json json = {{"digest", last.digest},
                               {"spooled_at_unix", absl::ToUnixSeconds(last.spooled_at)}};
  return pki::ReplaceSecretFile(file, json.dump() + "\n");
}

bool SnapshotDue(const std::optional<LastSnapshot>& last, const std::string& digest,
                 absl::Time now) {
  if (!last.has_value() || last->digest != digest) {
    return true;
  }
  const absl::Duration age = now - last->spooled_at;
  return age >= kFullSnapshotEvery || age < absl::ZeroDuration();
}

}  // namespace mamori::agent
