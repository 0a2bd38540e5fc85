// A person's client certificate bundle for mamorictl, made on the server PC by `user add`: a fresh
// key, a certificate binding the name (CN) and role (OU) to it, the CA to pin, and optionally the
// same as a passphrase-protected PKCS#12 file for Windows' certificate store.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/pki/certificate_authority.h"
#include "collector/pki/x509.h"
#include "collector/storage/user_store.h"

namespace mamori::collector {

// People have no renewal RPC: a certificate is replaced by `user revoke` + `user add`. Half a year
// bounds how long a forgotten bundle on an old vendor laptop stays useful.
inline constexpr absl::Duration kUserCertificateLifetime = absl::Hours(24 * 180);
// PBKDF2 iterations of the PKCS#12 file: the file travels on a laptop, so guessing its passphrase
// must be slow; opening it once is still well under a second.
inline constexpr int kPkcs12Iterations = 100'000;
inline constexpr std::size_t kMinPassphraseBytes = 8;
inline constexpr std::size_t kMaxPassphraseBytes = 1024;

// File names inside the bundle directory.
inline constexpr char kUserKeyFile[] = "client.key";
inline constexpr char kUserCertificateFile[] = "client.crt";
inline constexpr char kUserCaFile[] = "ca.pem";
inline constexpr char kUserPkcs12File[] = "client.p12";

struct UserBundle {
  UserCertificateRecord record;
  std::string fingerprint;  // the certificate's, for the person issuing it to compare
  std::filesystem::path directory;
  bool has_pkcs12 = false;
};

// Generates the key, issues the certificate (CN = name, OU = role, kUserCertificateLifetime) and
// writes every file owner-only (0600) into `out_dir` (created 0700 if missing). ALREADY_EXISTS,
// with nothing written, when any of the files is there already; on a later failure the files
// written so far are removed. Does not touch the database: the caller records `record`.
absl::StatusOr<UserBundle> WriteUserBundle(const pki::CertificateAuthority& ca,
                                           absl::string_view name, UserRole role,
                                           const std::filesystem::path& out_dir,
                                           const std::optional<std::string>& pkcs12_passphrase,
                                           absl::Time now);

// DER of a PKCS#12 file holding `key`, `certificate` and `ca`: key and certificates encrypted with
// AES-256-CBC under PBKDF2-HMAC-SHA256 (PBES2), HMAC-SHA256 MAC, kPkcs12Iterations each.
absl::StatusOr<std::string> MakePkcs12(const pki::PrivateKey& key,
                                       const pki::Certificate& certificate,
                                       const pki::Certificate& ca, absl::string_view friendly_name,
                                       const std::string& passphrase);

// A passphrase is read from a file, never from the command line (where `ps` and the shell history
// would show it). One trailing newline (LF or CRLF) is dropped. INVALID_ARGUMENT when shorter than
// kMinPassphraseBytes or containing NUL.
absl::StatusOr<std::string> ReadPassphraseFile(const std::filesystem::path& path);

}  // namespace mamori::collector
