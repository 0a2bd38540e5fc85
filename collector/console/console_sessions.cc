#include "collector/console/console_sessions.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "collector/pki/x509.h"

namespace mamori::collector {
namespace {

absl::StatusOr<std::string> RandomHex(std::size_t bytes) {
  std::array<unsigned char, 64> buffer{};
  if (bytes > buffer.size() || RAND_bytes(buffer.data(), static_cast<int>(bytes)) != 1) {
    return absl::InternalError("no random bytes for a session");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(buffer.data()), bytes));
}

std::string PairKey(absl::string_view name, absl::string_view address) {
  // The name is at most kMaxUserNameBytes of text without control characters when it could be a
  // person's; anything else is still just a key. '\n' cannot appear in an address.
  return absl::StrCat("n\n", address, "\n", name);
}

std::string AddressKey(absl::string_view address) { return absl::StrCat("a\n", address); }

}  // namespace

absl::StatusOr<ConsoleSessions::Created> ConsoleSessions::Create(const ConsoleLogin& login,
                                                                 absl::Time now) {
  absl::StatusOr<std::string> cookie = RandomHex(32);
  absl::StatusOr<std::string> csrf = RandomHex(32);
  if (!cookie.ok() || !csrf.ok()) {
    return absl::InternalError("no random bytes for a session");
  }
  // Expired sessions go first; when still full, the least recently used one.
  for (auto it = sessions_.begin(); it != sessions_.end();) {
    const ConsoleSession& session = it->second;
    if (now - session.last_used_at >= kConsoleIdleTimeout ||
        now - session.created_at >= kConsoleSessionLifetime) {
      sessions_.erase(it++);
    } else {
      ++it;
    }
  }
  if (sessions_.size() >= kMaxConsoleSessions) {
    auto oldest = std::min_element(
        sessions_.begin(), sessions_.end(),
        [](const auto& a, const auto& b) { return a.second.last_used_at < b.second.last_used_at; });
    sessions_.erase(oldest);
  }
  ConsoleSession session;
  session.name = login.name;
  session.role = login.role;
  session.csrf_token = *std::move(csrf);
  session.created_at = now;
  session.last_used_at = now;
  session.password_set_at = login.password_set_at;
  auto [it, added] = sessions_.insert_or_assign(pki::Sha256Hex(*cookie), std::move(session));
  return Created{*std::move(cookie), &it->second};
}

ConsoleSession* ConsoleSessions::Find(absl::string_view cookie, absl::Time now, bool touch) {
  if (cookie.size() != 64) {
    return nullptr;
  }
  auto it = sessions_.find(pki::Sha256Hex(cookie));
  if (it == sessions_.end()) {
    return nullptr;
  }
  ConsoleSession& session = it->second;
  if (now - session.last_used_at >= kConsoleIdleTimeout ||
      now - session.created_at >= kConsoleSessionLifetime) {
    sessions_.erase(it);
    return nullptr;
  }
  if (touch) {
    session.last_used_at = std::max(session.last_used_at, now);
  }
  return &session;
}

void ConsoleSessions::End(absl::string_view cookie) {
  if (cookie.size() == 64) {
    sessions_.erase(pki::Sha256Hex(cookie));
  }
}

std::optional<absl::Duration> LoginThrottle::Locked(const std::string& key, absl::Time now) const {
  auto it = counters_.find(key);
  if (it == counters_.end() || it->second.locked_until <= now) {
    return std::nullopt;
  }
  return it->second.locked_until - now;
}

std::optional<absl::Duration> LoginThrottle::LockedFor(absl::string_view name,
                                                       absl::string_view address, absl::Time now) {
  const std::optional<absl::Duration> pair = Locked(PairKey(name, address), now);
  const std::optional<absl::Duration> from = Locked(AddressKey(address), now);
  if (pair.has_value() && from.has_value()) {
    return std::max(*pair, *from);
  }
  return pair.has_value() ? pair : from;
}

bool LoginThrottle::Count(const std::string& key, int limit, absl::Time now) {
  Counter& counter = counters_[key];
  if (counter.failures == 0 || now - counter.window_start >= kLoginFailureWindow ||
      (counter.locked_until != absl::InfinitePast() && counter.locked_until <= now)) {
    // A new window; a lock that has run out starts the count again.
    counter.failures = 0;
    counter.window_start = now;
    counter.locked_until = absl::InfinitePast();
  }
  counter.last_failure = now;
  ++counter.failures;
  if (counter.failures >= limit && counter.locked_until <= now) {
    counter.locked_until = now + kLoginLockout;
    return true;
  }
  return false;
}

bool LoginThrottle::Fail(absl::string_view name, absl::string_view address, absl::Time now) {
  Prune(now);
  const bool pair_locked = Count(PairKey(name, address), kMaxLoginFailuresPerName, now);
  const bool address_locked = Count(AddressKey(address), kMaxLoginFailuresPerAddress, now);
  return pair_locked || address_locked;
}

void LoginThrottle::Succeed(absl::string_view name, absl::string_view address) {
  counters_.erase(PairKey(name, address));
}

void LoginThrottle::Prune(absl::Time now) {
  if (counters_.size() < kMaxLoginThrottleKeys) {
    return;
  }
  for (auto it = counters_.begin(); it != counters_.end();) {
    const Counter& counter = it->second;
    if (counter.locked_until <= now && now - counter.window_start >= kLoginFailureWindow) {
      counters_.erase(it++);
    } else {
      ++it;
    }
  }
  // Still full of live entries (a flood from many addresses): forget the oldest.
  while (counters_.size() >= kMaxLoginThrottleKeys) {
    auto oldest = std::min_element(
        counters_.begin(), counters_.end(),
        [](const auto& a, const auto& b) { return a.second.last_failure < b.second.last_failure; });
    counters_.erase(oldest);
  }
}

}  // namespace mamori::collector
