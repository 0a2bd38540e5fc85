#include "collector/pki/certificate_authority.h"

#include <arpa/inet.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace mamori::pki {
namespace {

constexpr char kOrganization[] = "mamori";

bool IsIpLiteral(const std::string& name) {
  std::array<unsigned char, 16> buffer{};
  return inet_pton(AF_INET, name.c_str(), buffer.data()) == 1 ||
         inet_pton(AF_INET6, name.c_str(), buffer.data()) == 1;
}

absl::StatusOr<X509NamePtr> MakeName(absl::string_view organizational_unit,
                                     absl::string_view common_name) {
  X509NamePtr name(X509_NAME_new());
  auto add = [&name](const char* field, absl::string_view value) {
    return X509_NAME_add_entry_by_txt(name.get(), field, MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(value.data()),
                                      static_cast<int>(value.size()), -1, 0) == 1;
  };
  if (name == nullptr || !add("O", kOrganization) ||
      (!organizational_unit.empty() && !add("OU", organizational_unit)) ||
      !add("CN", common_name)) {
    return OpenSslError("cannot build a certificate subject");
  }
  return name;
}

// A random positive serial of up to 128 bits (RFC 5280 allows 20 octets; browsers and OpenSSL
// expect positive).
absl::Status SetRandomSerial(X509* cert) {
  std::array<unsigned char, 16> bytes{};
  BignumPtr serial;
  do {
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
      return OpenSslError("cannot draw a random serial number");
    }
    bytes[0] &= 0x7f;
    serial.reset(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  } while (serial != nullptr && BN_is_zero(serial.get()));
  if (serial == nullptr) {
    return OpenSslError("cannot encode a serial number");
  }
  AsnIntegerPtr asn(BN_to_ASN1_INTEGER(serial.get(), nullptr));
  if (asn == nullptr || X509_set_serialNumber(cert, asn.get()) != 1) {
    return OpenSslError("cannot set the serial number");
  }
  return absl::OkStatus();
}

absl::StatusOr<X509Ptr> NewCertificate(EVP_PKEY* subject_key, const X509_NAME* subject,
                                       const X509_NAME* issuer, absl::Time not_before,
                                       absl::Time not_after) {
  X509Ptr cert(X509_new());
  if (cert == nullptr || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslError("cannot create a certificate");
  }
  if (absl::Status serial = SetRandomSerial(cert.get()); !serial.ok()) {
    return serial;
  }
  if (X509_set_subject_name(cert.get(), subject) != 1 ||
      X509_set_issuer_name(cert.get(), issuer) != 1 ||
      X509_set_pubkey(cert.get(), subject_key) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), absl::ToTimeT(not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), absl::ToTimeT(not_after)) == nullptr) {
    return OpenSslError("cannot fill in the certificate");
  }
  return cert;
}

// `value` uses OpenSSL's extension syntax ("critical,CA:TRUE"); only our own constant strings and
// validated names ever reach it.
absl::Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr extension(X509V3_EXT_nconf_nid(nullptr, &context, nid, value.c_str()));
  if (extension == nullptr || X509_add_ext(cert, extension.get(), -1) != 1) {
    return OpenSslError(absl::StrCat("cannot add certificate extension ", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

absl::Status AddExtensions(X509* cert, X509* issuer,
                           std::initializer_list<std::pair<int, std::string>> extensions) {
  for (const auto& [nid, value] : extensions) {
    if (absl::Status status = AddExtension(cert, issuer, nid, value); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Certificate> Sign(X509Ptr cert, const PrivateKey& issuer_key) {
  if (X509_sign(cert.get(), issuer_key.get(), EVP_sha256()) <= 0) {
    return OpenSslError("cannot sign the certificate");
  }
  return Certificate::Share(cert.get());
}

}  // namespace

bool IsValidServerName(absl::string_view name) {
  if (name.empty() || name.size() > 253) {
    return false;
  }
  if (IsIpLiteral(std::string(name))) {
    return true;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
  });
}

std::vector<std::string> DefaultServerNames() {
  std::vector<std::string> names = {kCollectorServerName, "localhost", "127.0.0.1", "::1"};
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0) {
    const std::string name(host.data());
    if (IsValidServerName(name) && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::Create(absl::string_view common_name,
                                                                  absl::Time now) {
  absl::StatusOr<PrivateKey> key = PrivateKey::GenerateP256();
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<X509NamePtr> name = MakeName("", common_name);
  if (!name.ok()) {
    return name.status();
  }
  absl::StatusOr<X509Ptr> cert = NewCertificate(key->get(), name->get(), name->get(),
                                                now - kClockSkewAllowance, now + kCaLifetime);
  if (!cert.ok()) {
    return cert.status();
  }
  X509* raw = cert->get();
  if (absl::Status status = AddExtensions(raw, raw,
                                          {{NID_basic_constraints, "critical,CA:TRUE"},
                                           {NID_key_usage, "critical,keyCertSign,cRLSign"},
                                           {NID_subject_key_identifier, "hash"},
                                           {NID_authority_key_identifier, "keyid:always"}});
      !status.ok()) {
    return status;
  }
  absl::StatusOr<Certificate> signed_cert = Sign(*std::move(cert), *key);
  if (!signed_cert.ok()) {
    return signed_cert.status();
  }
  return CertificateAuthority(*std::move(key), *std::move(signed_cert));
}

absl::StatusOr<CertificateAuthority> CertificateAuthority::FromPem(
    absl::string_view key_pem, absl::string_view certificate_pem) {
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(key_pem);
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<Certificate> cert = Certificate::FromPem(certificate_pem);
  if (!cert.ok()) {
    return cert.status();
  }
  if (!cert->IsCa()) {
    return absl::FailedPreconditionError("the CA certificate is not a CA certificate");
  }
  if (!cert->MatchesKey(*key)) {
    ERR_clear_error();
    return absl::FailedPreconditionError("the CA key does not belong to the CA certificate");
  }
  return CertificateAuthority(*std::move(key), *std::move(cert));
}

absl::StatusOr<Certificate> CertificateAuthority::IssueServerCertificate(
    const PrivateKey& server_key, std::span<const std::string> names, absl::Time not_before,
    absl::Time not_after) const {
  if (std::find(names.begin(), names.end(), kCollectorServerName) == names.end()) {
    return absl::InvalidArgumentError(
        absl::StrCat("the server certificate must name ", kCollectorServerName));
  }
  std::vector<std::string> entries;
  for (const std::string& name : names) {
    if (!IsValidServerName(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("'", name, "' is neither a DNS name nor an IP address"));
    }
    entries.push_back(absl::StrCat(IsIpLiteral(name) ? "IP:" : "DNS:", name));
  }
  absl::StatusOr<X509NamePtr> subject = MakeName("collector", kCollectorServerName);
  if (!subject.ok()) {
    return subject.status();
  }
  absl::StatusOr<X509Ptr> cert =
      NewCertificate(server_key.get(), subject->get(), X509_get_subject_name(certificate_.get()),
                     not_before, not_after);
  if (!cert.ok()) {
    return cert.status();
  }
  if (absl::Status status = AddExtensions(cert->get(), certificate_.get(),
                                          {{NID_basic_constraints, "critical,CA:FALSE"},
                                           {NID_key_usage, "critical,digitalSignature"},
                                           {NID_ext_key_usage, "serverAuth"},
                                           {NID_subject_key_identifier, "hash"},
                                           {NID_authority_key_identifier, "keyid:always"},
                                           {NID_subject_alt_name, absl::StrJoin(entries, ",")}});
      !status.ok()) {
    return status;
  }
  return Sign(*std::move(cert), key_);
}

absl::StatusOr<Certificate> CertificateAuthority::IssueClientCertificate(
    const CertificateRequest& request, const ClientIdentity& identity, absl::Time not_before,
    absl::Time not_after) const {
  if (identity.role.empty() || identity.id.empty() || identity.id.size() > 64) {
    return absl::InvalidArgumentError("a client certificate needs a role and an id");
  }
  absl::StatusOr<X509NamePtr> subject = MakeName(identity.role, identity.id);
  if (!subject.ok()) {
    return subject.status();
  }
  EVP_PKEY* public_key = X509_REQ_get0_pubkey(request.get());
  if (public_key == nullptr) {
    return absl::InvalidArgumentError("csr: no public key");
  }
  absl::StatusOr<X509Ptr> cert = NewCertificate(
      public_key, subject->get(), X509_get_subject_name(certificate_.get()), not_before, not_after);
  if (!cert.ok()) {
    return cert.status();
  }
  if (absl::Status status = AddExtensions(cert->get(), certificate_.get(),
                                          {{NID_basic_constraints, "critical,CA:FALSE"},
                                           {NID_key_usage, "critical,digitalSignature"},
                                           {NID_ext_key_usage, "clientAuth"},
                                           {NID_subject_key_identifier, "hash"},
                                           {NID_authority_key_identifier, "keyid:always"}});
      !status.ok()) {
    return status;
  }
  return Sign(*std::move(cert), key_);
}

}  // namespace mamori::pki
