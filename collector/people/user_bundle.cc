#include "collector/people/user_bundle.h"

#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>
#include <system_error>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/pki/key_files.h"
#include "collector/pki/openssl_handles.h"

namespace mamori::collector {
namespace {

using Pkcs12Ptr = std::unique_ptr<PKCS12, pki::OpenSslDeleter<&PKCS12_free>>;

// sk_X509_free frees the stack only; the certificates stay owned by their pki::Certificate.
struct X509StackDeleter {
  void operator()(STACK_OF(X509) * stack) const { sk_X509_free(stack); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

// Removes the files written so far unless Keep() is called.
class WrittenFiles {
 public:
  WrittenFiles() = default;
  WrittenFiles(const WrittenFiles&) = delete;
  WrittenFiles& operator=(const WrittenFiles&) = delete;
  ~WrittenFiles() {
    for (const std::filesystem::path& path : paths_) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
  }
  absl::Status Write(const std::filesystem::path& path, absl::string_view content) {
    if (absl::Status status = pki::WriteNewSecretFile(path, content); !status.ok()) {
      return status;
    }
    paths_.push_back(path);
    return absl::OkStatus();
  }
  void Keep() { paths_.clear(); }

 private:
  std::vector<std::filesystem::path> paths_;
};

}  // namespace

absl::StatusOr<std::string> MakePkcs12(const pki::PrivateKey& key,
                                       const pki::Certificate& certificate,
                                       const pki::Certificate& ca, absl::string_view friendly_name,
                                       const std::string& passphrase) {
  X509StackPtr chain(sk_X509_new_null());
  if (chain == nullptr || sk_X509_push(chain.get(), ca.get()) <= 0) {
    return pki::OpenSslError("cannot build the PKCS#12 certificate chain");
  }
  const std::string name(friendly_name);
  // Naming the cipher (not a PKCS#12 PBE) makes OpenSSL use PBES2 with PBKDF2-HMAC-SHA256; the MAC
  // is HMAC-SHA256 in OpenSSL 3.
  Pkcs12Ptr p12(PKCS12_create(passphrase.c_str(), name.c_str(), key.get(), certificate.get(),
                              chain.get(), NID_aes_256_cbc, NID_aes_256_cbc, kPkcs12Iterations,
                              kPkcs12Iterations, 0));
  if (p12 == nullptr) {
    return pki::OpenSslError("cannot create the PKCS#12 bundle");
  }
  pki::BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || i2d_PKCS12_bio(bio.get(), p12.get()) != 1) {
    return pki::OpenSslError("cannot encode the PKCS#12 bundle");
  }
  return pki::BioContents(bio.get());
}

absl::StatusOr<std::string> ReadPassphraseFile(const std::filesystem::path& path) {
  absl::StatusOr<std::string> content = pki::ReadSmallFile(path, kMaxPassphraseBytes + 2);
  if (!content.ok()) {
    return content.status();
  }
  std::string passphrase = *std::move(content);
  if (absl::EndsWith(passphrase, "\r\n")) {
    passphrase.resize(passphrase.size() - 2);
  } else if (absl::EndsWith(passphrase, "\n")) {
    passphrase.pop_back();
  }
  if (passphrase.size() < kMinPassphraseBytes || passphrase.size() > kMaxPassphraseBytes) {
    return absl::InvalidArgumentError(absl::StrCat("--passphrase-file: the passphrase must be ",
                                                   kMinPassphraseBytes, " to ", kMaxPassphraseBytes,
                                                   " bytes"));
  }
  if (passphrase.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError("--passphrase-file: the passphrase contains a NUL byte");
  }
  return passphrase;
}

absl::StatusOr<UserBundle> WriteUserBundle(const pki::CertificateAuthority& ca,
                                           absl::string_view name, UserRole role,
                                           const std::filesystem::path& out_dir,
                                           const std::optional<std::string>& pkcs12_passphrase,
                                           absl::Time now) {
  if (absl::Status valid = ValidateUserName(name); !valid.ok()) {
    return valid;
  }
  if (absl::Status dir = pki::MakeOwnerOnlyDirectory(out_dir); !dir.ok()) {
    return dir;
  }
  std::vector<std::filesystem::path> paths = {
      out_dir / kUserKeyFile, out_dir / kUserCertificateFile, out_dir / kUserCaFile};
  if (pkcs12_passphrase.has_value()) {
    paths.push_back(out_dir / kUserPkcs12File);
  }
  for (const std::filesystem::path& path : paths) {
    std::error_code error;
    if (std::filesystem::exists(path, error) || error) {
      return absl::AlreadyExistsError(
          absl::StrCat(path.string(), " already exists; choose an empty --out directory"));
    }
  }

  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::GenerateP256();
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<pki::CertificateRequest> request = pki::CertificateRequest::Create(*key, name);
  if (!request.ok()) {
    return request.status();
  }
  const std::string role_name(UserRoleName(role));
  absl::StatusOr<pki::Certificate> certificate =
      ca.IssueClientCertificate(*request, pki::ClientIdentity{role_name, std::string(name)},
                                now - pki::kClockSkewAllowance, now + kUserCertificateLifetime);
  if (!certificate.ok()) {
    return certificate.status();
  }
  absl::StatusOr<std::string> key_pem = key->ToPem();
  if (!key_pem.ok()) {
    return key_pem.status();
  }

  WrittenFiles written;
  if (absl::Status status = written.Write(out_dir / kUserKeyFile, *key_pem); !status.ok()) {
    return status;
  }
  if (absl::Status status = written.Write(out_dir / kUserCertificateFile, certificate->Pem());
      !status.ok()) {
    return status;
  }
  if (absl::Status status = written.Write(out_dir / kUserCaFile, ca.certificate().Pem());
      !status.ok()) {
    return status;
  }
  if (pkcs12_passphrase.has_value()) {
    absl::StatusOr<std::string> p12 =
        MakePkcs12(*key, *certificate, ca.certificate(), name, *pkcs12_passphrase);
    if (!p12.ok()) {
      return p12.status();
    }
    if (absl::Status status = written.Write(out_dir / kUserPkcs12File, *p12); !status.ok()) {
      return status;
    }
  }
  written.Keep();

  UserBundle bundle;
  bundle.record.serial = certificate->SerialHex();
  bundle.record.user_name = std::string(name);
  bundle.record.role = role;
  bundle.record.not_before = certificate->NotBefore();
  bundle.record.not_after = certificate->NotAfter();
  bundle.record.issued_at = now;
  bundle.fingerprint = certificate->Fingerprint();
  bundle.directory = out_dir;
  bundle.has_pkcs12 = pkcs12_passphrase.has_value();
  return bundle;
}

}  // namespace mamori::collector
