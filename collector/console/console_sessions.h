// The console's memory of who is logged in and who keeps failing to: sessions (random cookie,
// CSRF token, idle and absolute expiry) and login throttling. In memory only, on purpose: a
// collector restart logs everyone out and forgets lockouts (docs/console.md, Decisions). Not
// thread-safe: the console server uses it from its one I/O thread. Time comes from the caller, so
// tests drive expiry without waiting.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/storage/user_store.h"

namespace mamori::collector {

inline constexpr absl::Duration kConsoleIdleTimeout = absl::Minutes(15);
inline constexpr absl::Duration kConsoleSessionLifetime = absl::Hours(12);
// More live sessions than this: the least recently used one ends (a clinic has a handful of
// people; the bound only keeps memory fixed).
inline constexpr std::size_t kMaxConsoleSessions = 256;

struct ConsoleSession {
  std::string name;
  UserRole role = UserRole::kVendor;
  std::string csrf_token;  // 64 hex characters
  absl::Time created_at;
  absl::Time last_used_at;
  // The password the person logged in with: a newer one (`user password`) ends the session.
  absl::Time password_set_at;
};

class ConsoleSessions {
 public:
  struct Created {
    std::string cookie;  // 64 hex characters (256 random bits): the cookie's value
    const ConsoleSession* session;
  };
  // A new session for a person who has just proved their password.
  absl::StatusOr<Created> Create(const ConsoleLogin& login, absl::Time now);

  // The live session of `cookie`, or null when there is none or it expired (then it is removed).
  // `touch`: the request counts as activity (every request except GET /api/session, which the
  // page may poll without keeping an unattended session alive).
  ConsoleSession* Find(absl::string_view cookie, absl::Time now, bool touch);

  void End(absl::string_view cookie);
  std::size_t size() const { return sessions_.size(); }

 private:
  // Keyed by the SHA-256 of the cookie: a lookup's timing says nothing about the cookie itself.
  absl::flat_hash_map<std::string, ConsoleSession> sessions_;
};

// Login throttling (docs/console.md, Decisions). Failures are counted per (name, client address)
// and per client address; each count is over a sliding window, and reaching it locks that key for
// kLoginLockout. Locking per (name, address) rather than per name means an attacker elsewhere on
// the LAN cannot keep a person locked out: only their own address is. Every lock ends by itself.
inline constexpr int kMaxLoginFailuresPerName = 5;
inline constexpr int kMaxLoginFailuresPerAddress = 20;
inline constexpr absl::Duration kLoginFailureWindow = absl::Minutes(15);
inline constexpr absl::Duration kLoginLockout = absl::Minutes(15);
// Keys remembered at most; the oldest are forgotten first (memory stays fixed under a flood).
inline constexpr std::size_t kMaxLoginThrottleKeys = 4096;

class LoginThrottle {
 public:
  // How long this login attempt must wait, when it is locked out now.
  std::optional<absl::Duration> LockedFor(absl::string_view name, absl::string_view address,
                                          absl::Time now);
  // Counts a failure. True when it locked the (name, address) pair or the address just now.
  bool Fail(absl::string_view name, absl::string_view address, absl::Time now);
  // A success clears the (name, address) pair's failures.
  void Succeed(absl::string_view name, absl::string_view address);

 private:
  struct Counter {
    int failures = 0;
    absl::Time window_start;
    absl::Time locked_until = absl::InfinitePast();
    absl::Time last_failure;
  };
  std::optional<absl::Duration> Locked(const std::string& key, absl::Time now) const;
  bool Count(const std::string& key, int limit, absl::Time now);
  void Prune(absl::Time now);

  absl::flat_hash_map<std::string, Counter> counters_;
};

}  // namespace mamori::collector
