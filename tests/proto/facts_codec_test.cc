// The facts <-> proto converter keeps every field, in both directions.
#include "proto/codec/facts_codec.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mamori::codec {
namespace {

using facts::Seconds;
using facts::Timestamp;

Timestamp At(int64_t unix_seconds) { return Timestamp(Seconds(unix_seconds)); }

// Every field set to a value distinct from its default, so a field the codec forgets shows up.
facts::HostFacts FullyPopulatedFacts() {
  // A status with a reason, so that the reason field is filled too.
  const facts::SectionMeta ok{facts::ProbeStatus::Unknown("fixture: every field set"),
                              At(1'790'000'000)};
  facts::HostFacts f;
  f.inventory = {.meta = ok,
                 .hostname = "uketsuke-pc2",
                 .os_family = facts::OsFamily::kWindows,
                 .os_id = "Professional",
                 .os_name = "Windows 11 Pro",
                 .os_version = "23H2",
                 .os_build = "22631.4460",
                 .os_codename = "sun valley",
                 .os_pretty_name = "Windows 11 Pro 23H2",
                 .kernel_version = "10.0.22631",
                 .architecture = "x86_64",
                 .cpu_model = "Intel(R) Core(TM) i5-8500",
                 .cpu_logical_cores = 6,
                 .memory_bytes = 17'179'869'184ULL,
                 .boot_time = At(1'789'990'000),
                 .machine_id = "0f3b6a9c2d7e4f10a1b2c3d4e5f60718",
                 .interfaces = {{"eth0", "00:11:22:33:44:55", {"192.0.2.10/24", "fe80::1/64"}}},
                 .hardware = {"FUJITSU", "ESPRIMO D588", "SN-12345"},
                 .role = facts::HostRole::kWorkstation,
                 .software = {{"ORCA", "5.2.0", "JMA", At(1'700'000'000)}}};
  f.patch = {.meta = ok,
             .pending = {{"openssl", "3.0.15-1", "3.0.17-1", "bookworm-security", true}},
             .installed = {{"KB5044273", "2024-10 Cumulative Update", At(1'728'000'000)}},
             .reboot_required = true,
             .last_update_installed = At(1'789'000'000),
             .last_update_check = At(1'789'500'000),
             .update_service_disabled = false,
             .os_support_ends = "2026-11-10"};
  f.antivirus = {.meta = ok,
                 .products = {{.name = "Microsoft Defender Antivirus",
                               .source = "SecurityCenter2",
                               .state = facts::AntivirusState::kPassive,
                               .realtime_protection = true,
                               .signatures_up_to_date = true,
                               .signatures_updated_at = At(1'789'900'000),
                               .version = "4.18.24090.11"}}};
  f.usb_storage = {.meta = ok,
                   .mode = facts::UsbStorageMode::kReadOnly,
                   .controls = {{"StorageDevicePolicies WriteProtect=1", "HKLM\\SYSTEM\\..."}},
                   .devices = {{"BUFFALO", "USB Flash Disk", "0123456789", true}},
                   .driver_loaded = true,
                   .driver_builtin = false};
  f.power = {.meta = ok,
             .uptime = Seconds(86'400),
             .idle = Seconds(3'600),
             .sessions = {{.id = "2",
                           .user = "reception",
                           .type = "console",
                           .remote = true,
                           .locked = false,
                           .idle = true,
                           .idle_since = At(1'789'996'400)}},
             .sleep_disabled = true,
             .sleep_after_ac = Seconds(1'800),
             .sleep_after_dc = Seconds(900)};
  f.accounts = {.meta = ok,
                .accounts = {{.name = "taro",
                              .id = "1001",
                              .full_name = "Yamada Taro",
                              .groups = {"sudo", "users"},
                              .system_account = true,
                              .enabled = true,
                              .locked = false,
                              .admin = true,
                              .password_empty = false,
                              .password_expires = true,
                              .password_changed_at = At(1'780'000'000),
                              .last_logon = At(1'789'000'000)}},
                .password_policy = {.min_length = 13,
                                    .min_classes = 3,
                                    .max_age_days = 0,
                                    .complexity_required = true,
                                    .lockout_threshold = 10}};
  f.logon = {.meta = ok,
             .auto_logon_enabled = false,
             .auto_logon_user = "kiosk",
             .auto_logon_password_stored = true,
             .screen_lock_enabled = true,
             .screen_lock_timeout = Seconds(600)};
  f.firewall = {
      .meta = ok, .enabled = true, .product = "Windows Firewall", .profiles = {{"Public", true}}};
  f.disk_encryption = {
      .meta = ok, .system_volume_encrypted = true, .method = "BitLocker XTS-AES 128"};
  f.remote_access = {.meta = ok,
                     .ssh_enabled = true,
                     .ssh_password_authentication = false,
                     .ssh_root_login = false,
                     .rdp_enabled = true,
                     .rdp_nla_required = true};
  return f;
}

// Collects the path of every field that is unset (or empty) anywhere in the message tree.
void CollectUnsetFields(const google::protobuf::Message& message, const std::string& prefix,
                        std::vector<std::string>& unset) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const auto* field = descriptor->field(i);
    const std::string path = prefix + field->name();
    if (field->is_repeated()) {
      if (reflection->FieldSize(message, field) == 0) {
        unset.push_back(path);
      } else if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
        CollectUnsetFields(reflection->GetRepeatedMessage(message, field, 0), path + "[0].", unset);
      }
      continue;
    }
    if (field->cpp_type() == google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!reflection->HasField(message, field)) {
        unset.push_back(path);
      } else if (field->message_type()->file()->package() != "google.protobuf") {
        // Timestamps and durations carry whole seconds only: their nanos stay zero by design.
        CollectUnsetFields(reflection->GetMessage(message, field), path + ".", unset);
      }
      continue;
    }
    // Scalars: proto3 `optional` ones must be present, plain ones must differ from their default.
    if (!reflection->HasField(message, field)) {
      unset.push_back(path);
    }
  }
}

TEST(FactsCodec, RoundTripKeepsEveryField) {
  const facts::HostFacts original = FullyPopulatedFacts();
  EXPECT_EQ(FromProto(ToProto(original)), original);
}

TEST(FactsCodec, FillsEveryProtoFieldFromFullyPopulatedFacts) {
  std::vector<std::string> unset;
  CollectUnsetFields(ToProto(FullyPopulatedFacts()), "", unset);
  EXPECT_EQ(unset, std::vector<std::string>{}) << "fields the codec does not fill";
}

TEST(FactsCodec, AbsentOptionalValuesStayAbsent) {
  facts::HostFacts empty;
  const mamori::v1::HostFacts proto = ToProto(empty);
  EXPECT_FALSE(proto.inventory().has_memory_bytes());
  EXPECT_FALSE(proto.inventory().has_boot_time());
  EXPECT_FALSE(proto.patch().has_reboot_required());
  EXPECT_EQ(FromProto(proto), empty);
}

TEST(FactsCodec, UnspecifiedProbeStateFromTheWireIsUnknownNotOk) {
  mamori::v1::HostFacts proto;
  proto.mutable_antivirus()->mutable_meta()->mutable_status()->set_state(
      mamori::v1::PROBE_STATE_UNSPECIFIED);
  EXPECT_EQ(FromProto(proto).antivirus.meta.status.state, facts::ProbeState::kUnknown);
}

TEST(FactsCodec, CarriesUnknownReasonAcrossTheWire) {
  facts::HostFacts f;
  f.power.meta.status = facts::ProbeStatus::Unknown("no logind: /run/systemd/system absent");
  const facts::HostFacts back = FromProto(ToProto(f));
  EXPECT_EQ(back.power.meta.status.state, facts::ProbeState::kUnknown);
  EXPECT_EQ(back.power.meta.status.reason, "no logind: /run/systemd/system absent");
}

}  // namespace
}  // namespace mamori::codec
