// The Windows power probe: how long the PC has been up, who is logged on (console or Remote
// Desktop, locked or not) and for how long each session has been without input, and whether the
// PC is set never to sleep (machines left on overnight).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "platform/probe.h"
#include "platform/windows/power_settings.h"
#include "platform/windows/registry_reader.h"
#include "platform/windows/session_api.h"

namespace mamori::platform {

// Sessions: every logged-on session WTSEnumerateSessionsW lists (parse::DecodeSession: type,
// remote, lock state with the Windows 7 inversion corrected by CurrentBuild). Idle: from the
// IdleSource per session; idle_since = now - idle, idle = 30 minutes or more without input;
// PowerState.idle is the shortest idle of the active sessions, unknown when any active session's
// is. Sleep: the active scheme's STANDBYIDLE, overridden per power source by the Group Policy
// values under parse::kStandbyIdlePolicyKey. The section is unknown (naming the call) when the
// sessions cannot be listed; uptime and sleep are filled whenever read. Otherwise ok, with a reason
// naming what stayed unknown (a session's idle time, the sleep setting).
class WindowsPowerProbe final : public Probe<facts::PowerState> {
 public:
  WindowsPowerProbe(ProbeEnvironment env, std::unique_ptr<SessionApi> sessions,
                    std::unique_ptr<PowerSettings> power_settings,
                    std::unique_ptr<RegistryReader> registry, std::shared_ptr<IdleSource> idle);

  std::string_view Name() const override { return "windows power"; }
  facts::PowerState Collect() override;

 private:
  ProbeEnvironment env_;
  std::unique_ptr<SessionApi> sessions_;
  std::unique_ptr<PowerSettings> power_settings_;
  std::unique_ptr<RegistryReader> registry_;
  std::shared_ptr<IdleSource> idle_;
};

// The idle source of a program run by a person in their own session (mamori-check):
// GetLastInputInfo answers for the calling session only, so every other session's idle time stays
// unknown, saying so.
class OwnSessionIdle final : public IdleSource {
 public:
  explicit OwnSessionIdle(std::unique_ptr<SessionApi> api) : api_(std::move(api)) {}
  SessionIdle IdleOf(uint32_t session_id) override;

 private:
  std::unique_ptr<SessionApi> api_;
};

// The idle source when the real one could not start (the agent service's idle pipe, when another
// process holds the name): every session's idle time is unknown, with that reason.
class UnavailableIdleSource final : public IdleSource {
 public:
  explicit UnavailableIdleSource(std::string reason) : reason_(std::move(reason)) {}
  SessionIdle IdleOf(uint32_t /*session_id*/) override { return {std::nullopt, reason_}; }

 private:
  std::string reason_;
};

}  // namespace mamori::platform
