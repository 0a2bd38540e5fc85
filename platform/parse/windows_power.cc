// Sleep settings and WTS session records to the facts model.
#include "platform/parse/windows_power.h"

namespace mamori::parse {
namespace {

std::optional<uint32_t> Either(std::optional<uint32_t> winner, std::optional<uint32_t> fallback) {
  return winner ? winner : fallback;
}

std::optional<facts::Seconds> AsSeconds(std::optional<uint32_t> value) {
  if (!value) {
    return std::nullopt;
  }
  return facts::Seconds(static_cast<facts::Seconds::rep>(*value));
}

}  // namespace

SleepSettings DecodeSleepSettings(const SleepIndexes& indexes) {
  SleepSettings settings;
  const std::optional<uint32_t> ac = Either(indexes.policy_ac, indexes.scheme_ac);
  const std::optional<uint32_t> dc = Either(indexes.policy_dc, indexes.scheme_dc);
  settings.after_ac = AsSeconds(ac);
  settings.after_dc = AsSeconds(dc);
  if (ac) {
    settings.disabled = *ac == 0;
  }
  return settings;
}

std::optional<bool> DecodeLockState(std::optional<int32_t> session_flags,
                                    std::optional<uint32_t> windows_build) {
  if (!session_flags) {
    return std::nullopt;
  }
  const bool inverted = windows_build && *windows_build < kFirstBuildWithCorrectLockFlags;
  if (*session_flags == kWtsSessionStateLock) {
    return !inverted;
  }
  if (*session_flags == kWtsSessionStateUnlock) {
    return inverted;
  }
  return std::nullopt;
}

bool IsLoggedOnSession(const WtsSessionRecord& session) {
  return !session.user.empty() &&
         (session.connect_state == kWtsActive || session.connect_state == kWtsConnected ||
          session.connect_state == kWtsDisconnected);
}

facts::UserSession DecodeSession(const WtsSessionRecord& session,
                                 std::optional<uint32_t> windows_build) {
  facts::UserSession decoded;
  decoded.id = std::to_string(session.id);
  decoded.user = session.user;
  if (session.protocol) {
    switch (*session.protocol) {
      case kWtsProtocolConsole:
        decoded.type = "console";
        break;
      case kWtsProtocolRdp:
        decoded.type = "rdp";
        break;
      case kWtsProtocolIca:
        decoded.type = "ica";
        break;
      default:
        break;
    }
  } else if (session.station == "Console") {
    decoded.type = "console";
  } else if (session.station.starts_with("RDP-")) {
    decoded.type = "rdp";
  }
  decoded.remote = !decoded.type.empty() && decoded.type != "console";
  decoded.locked = session.connect_state == kWtsDisconnected
                       ? std::optional<bool>(true)
                       : DecodeLockState(session.session_flags, windows_build);
  return decoded;
}

}  // namespace mamori::parse
