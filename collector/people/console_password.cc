#include "collector/people/console_password.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collector/ingest/validate.h"

namespace mamori::collector {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// What a stored hash may ask for at most: a damaged or planted row must not make a login take
// gigabytes.
constexpr std::uint64_t kMaxN = 1u << 20;
constexpr std::uint64_t kMaxR = 32;
constexpr std::uint64_t kMaxP = 16;

std::size_t CountCharacters(absl::string_view text) {
  std::size_t count = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u) {
      ++count;
    }
  }
  return count;
}

bool HasControlCharacter(absl::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x20 || byte == 0x7f) {
      return true;
    }
    if (byte == 0xc2 && i + 1 < text.size()) {  // C1 controls: C2 80..C2 9F
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9f) {
        return true;
      }
    }
  }
  return false;
}

absl::StatusOr<std::string> Scrypt(absl::string_view password, absl::string_view salt,
                                   const ScryptCost& cost) {
  std::string key(kKeyBytes, '\0');
  // maxmem: what these parameters need, with room (OpenSSL's default of 32 MiB is exactly N=2^15,
  // r=8 and refuses it).
  const std::uint64_t maxmem = 128 * cost.n * cost.r * 2 + 128 * cost.r * cost.p + (1u << 20);
  if (EVP_PBE_scrypt(password.data(), password.size(),
                     reinterpret_cast<const unsigned char*>(salt.data()), salt.size(), cost.n,
                     cost.r, cost.p, maxmem, reinterpret_cast<unsigned char*>(key.data()),
                     key.size()) != 1) {
    return absl::InternalError("scrypt failed");
  }
  return key;
}

}  // namespace

absl::Status ValidateConsolePassword(absl::string_view password) {
  if (password.size() > kMaxConsolePasswordBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("the password is longer than ", kMaxConsolePasswordBytes, " bytes"));
  }
  if (!IsValidUtf8(password)) {
    return absl::InvalidArgumentError("the password is not valid UTF-8");
  }
  if (HasControlCharacter(password)) {
    return absl::InvalidArgumentError("the password contains a control character (tab, newline)");
  }
  if (CountCharacters(password) < kMinConsolePasswordCharacters) {
    return absl::InvalidArgumentError(absl::StrCat("the password must have at least ",
                                                   kMinConsolePasswordCharacters, " characters"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashConsolePassword(absl::string_view password, ScryptCost cost) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return absl::InternalError("no random bytes for a salt");
  }
  const absl::string_view salt_view(reinterpret_cast<const char*>(salt.data()), salt.size());
  absl::StatusOr<std::string> key = Scrypt(password, salt_view, cost);
  if (!key.ok()) {
    return key.status();
  }
  std::string encoded =
      absl::StrCat("scrypt$", cost.n, "$", cost.r, "$", cost.p, "$",
                   absl::BytesToHexString(salt_view), "$", absl::BytesToHexString(*key));
  OPENSSL_cleanse(key->data(), key->size());
  return encoded;
}

absl::StatusOr<bool> VerifyConsolePassword(absl::string_view password, absl::string_view encoded) {
  const std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  ScryptCost cost;
  if (parts.size() != 6 || parts[0] != "scrypt" || !absl::SimpleAtoi(parts[1], &cost.n) ||
      !absl::SimpleAtoi(parts[2], &cost.r) || !absl::SimpleAtoi(parts[3], &cost.p) ||
      parts[4].size() != 2 * kSaltBytes || parts[5].size() != 2 * kKeyBytes) {
    return absl::InvalidArgumentError("not a console password hash");
  }
  if (cost.n < 2 || (cost.n & (cost.n - 1)) != 0 || cost.n > kMaxN || cost.r == 0 ||
      cost.r > kMaxR || cost.p == 0 || cost.p > kMaxP) {
    return absl::InvalidArgumentError("the password hash asks for an unsupported scrypt cost");
  }
  const std::string salt = absl::HexStringToBytes(parts[4]);
  const std::string expected = absl::HexStringToBytes(parts[5]);
  if (password.size() > kMaxConsolePasswordBytes) {
    return false;
  }
  absl::StatusOr<std::string> key = Scrypt(password, salt, cost);
  if (!key.ok()) {
    return key.status();
  }
  const bool same = key->size() == expected.size() &&
                    CRYPTO_memcmp(key->data(), expected.data(), key->size()) == 0;
  OPENSSL_cleanse(key->data(), key->size());
  return same;
}

}  // namespace mamori::collector
