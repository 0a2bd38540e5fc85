// People's passwords for the web console: what a password must be (the MHLW guideline's 13+
// characters), and how it is kept: an scrypt hash (OpenSSL EVP_PBE_scrypt) with a random salt,
// the parameters stored beside it, compared in constant time. The password itself is never stored
// or logged.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace mamori::collector {

// "13文字以上" (MHLW guideline 6.0, system operation 14.1): counted in characters (code points),
// so a Japanese pass phrase counts as it reads. At most kMaxConsolePasswordBytes bytes: scrypt
// reads every byte, and nobody types more.
inline constexpr std::size_t kMinConsolePasswordCharacters = 13;
inline constexpr std::size_t kMaxConsolePasswordBytes = 256;

// OK, or INVALID_ARGUMENT with a sentence for the person setting it (never the password): too
// short, too long, not UTF-8, or containing a control character (a pasted tab or line break).
absl::Status ValidateConsolePassword(absl::string_view password);

// scrypt's cost: N (a power of two), r, p. Memory is 128 * N * r bytes.
struct ScryptCost {
  std::uint64_t n = 1u << 15;  // 32768: 32 MiB and about 0.1 s per hash on a clinic's server PC
  std::uint64_t r = 8;
  std::uint64_t p = 1;
};
inline constexpr ScryptCost kConsolePasswordCost{};

// "scrypt$<N>$<r>$<p>$<salt hex>$<key hex>" with a 16-byte random salt and a 32-byte key. The
// password must have passed ValidateConsolePassword. `cost` other than the default is for tests.
absl::StatusOr<std::string> HashConsolePassword(absl::string_view password,
                                                ScryptCost cost = kConsolePasswordCost);

// Whether `password` is the one `encoded` was made from (constant-time compare). INVALID_ARGUMENT
// for an `encoded` this code did not write, or whose cost is beyond what a login may spend.
absl::StatusOr<bool> VerifyConsolePassword(absl::string_view password, absl::string_view encoded);

}  // namespace mamori::collector
