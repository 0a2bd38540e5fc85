// The Windows power probe.
#include "platform/windows/power_probe.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/parse/text.h"
#include "platform/parse/windows_power.h"
#include "platform/parse/windows_version.h"

namespace mamori::platform {
namespace {

// The same threshold the Linux probe takes from logind's default IdleActionSec, so a session reads
// as idle after the same time on every OS.
constexpr std::chrono::minutes kIdleAfter{30};

std::optional<uint32_t> WindowsBuild(RegistryReader& registry) {
  const parse::WindowsVersionValues values = parse::ReadWindowsVersionValues(registry);
  const std::optional<uint64_t> build = parse::ParseDecimal(values.current_build);
  if (!build || *build > std::numeric_limits<uint32_t>::max()) {
    return std::nullopt;
  }
  return static_cast<uint32_t>(*build);
}

}  // namespace

SessionIdle OwnSessionIdle::IdleOf(uint32_t session_id) {
  const std::optional<uint32_t> own = api_->CurrentSessionId();
  if (!own) {
    return {std::nullopt, "ProcessIdToSessionId failed: cannot tell which session this is"};
  }
  if (*own != session_id) {
    return {std::nullopt, "input of session " + std::to_string(session_id) +
                              " is visible only inside it (this program runs in session " +
                              std::to_string(*own) + ")"};
  }
  return api_->CallingSessionIdle();
}

WindowsPowerProbe::WindowsPowerProbe(ProbeEnvironment env, std::unique_ptr<SessionApi> sessions,
                                     std::unique_ptr<PowerSettings> power_settings,
                                     std::unique_ptr<RegistryReader> registry,
                                     std::shared_ptr<IdleSource> idle)
    : env_(std::move(env)),
      sessions_(std::move(sessions)),
      power_settings_(std::move(power_settings)),
      registry_(std::move(registry)),
      idle_(std::move(idle)) {}

facts::PowerState WindowsPowerProbe::Collect() {
  const facts::Timestamp now = env_.now();
  facts::PowerState power;
  power.meta.collected_at = now;
  std::vector<std::string> unknown;

  power.uptime = std::chrono::floor<facts::Seconds>(sessions_->SinceBoot());

  const SchemeSleepAfter scheme = power_settings_->ReadSleepAfter();
  parse::SleepIndexes indexes;
  indexes.scheme_ac = scheme.ac_seconds;
  indexes.scheme_dc = scheme.dc_seconds;
  indexes.policy_ac = registry_->ReadDword(parse::kStandbyIdlePolicyKey, "ACSettingIndex");
  indexes.policy_dc = registry_->ReadDword(parse::kStandbyIdlePolicyKey, "DCSettingIndex");
  const parse::SleepSettings sleep = parse::DecodeSleepSettings(indexes);
  power.sleep_disabled = sleep.disabled;
  power.sleep_after_ac = sleep.after_ac;
  power.sleep_after_dc = sleep.after_dc;
  // A policy value for both sources makes the scheme's failure irrelevant.
  if (!scheme.error.empty() && !(indexes.policy_ac && indexes.policy_dc)) {
    unknown.push_back("sleep setting: " + scheme.error);
  }

  const SessionList list = sessions_->ListSessions();
  if (!list.ok()) {
    power.meta.status = facts::ProbeStatus::Unknown(list.error);
    return power;
  }

  // A program run in a user's session (mamori-check) must find that session in the list; when it
  // does not, the list is not the truth (Wine's WTSEnumerateSessionsW lists no session at all) and
  // "nobody is logged on" would be a false pass.
  if (const std::optional<uint32_t> own = sessions_->CurrentSessionId(); own && *own != 0) {
    const bool listed = std::any_of(list.sessions.begin(), list.sessions.end(),
                                    [&](const parse::WtsSessionRecord& record) {
                                      return record.id == *own && parse::IsLoggedOnSession(record);
                                    });
    if (!listed) {
      power.meta.status = facts::ProbeStatus::Unknown(
          "WTSEnumerateSessionsW did not list this program's own session " + std::to_string(*own));
      return power;
    }
  }

  const std::optional<uint32_t> build = WindowsBuild(*registry_);
  std::optional<facts::Seconds> shortest;
  bool active_known = true;
  bool any_active = false;
  for (const parse::WtsSessionRecord& record : list.sessions) {
    if (!parse::IsLoggedOnSession(record)) {
      continue;
    }
    facts::UserSession session = parse::DecodeSession(record, build);
    const SessionIdle idle = idle_ != nullptr
                                 ? idle_->IdleOf(record.id)
                                 : SessionIdle{std::nullopt, "no idle source was given"};
    const bool active = record.connect_state == parse::kWtsActive;
    any_active = any_active || active;
    if (idle.idle) {
      const facts::Seconds idle_for = std::chrono::floor<facts::Seconds>(*idle.idle);
      session.idle_since = now - idle_for;
      session.idle = idle_for >= kIdleAfter;
      if (active) {
        shortest = shortest ? std::min(*shortest, idle_for) : idle_for;
      }
    } else {
      active_known = active_known && !active;
      unknown.push_back("idle of session " + session.id + " (" + session.user +
                        "): " + idle.unknown_reason);
    }
    power.sessions.push_back(std::move(session));
  }
  if (any_active && active_known) {
    power.idle = shortest;
  }

  std::string reason;
  for (const std::string& what : unknown) {
    reason += (reason.empty() ? "" : "; ") + what;
  }
  power.meta.status = facts::ProbeStatus{facts::ProbeState::kOk, std::move(reason)};
  return power;
}

}  // namespace mamori::platform
