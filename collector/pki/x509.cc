// Everything here goes through OpenSSL 3's EVP and X509 APIs; nothing is parsed by hand except the
// fingerprint text people type.
#include "collector/pki/x509.h"

#include <arpa/inet.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstring>
#include <ctime>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace mamori::pki {
namespace {

const unsigned char* Bytes(absl::string_view data) {
  return reinterpret_cast<const unsigned char*>(data.data());
}

absl::string_view AsText(const unsigned char* data, size_t size) {
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

// Never prompts for a passphrase: an encrypted key simply fails to load.
int NoPassphrase(char* /*buffer*/, int /*size*/, int /*rwflag*/, void* /*user*/) { return 0; }

BioPtr MemoryBio(absl::string_view data) {
  if (data.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return nullptr;
  }
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

absl::Time FromAsn1Time(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
    return absl::InfinitePast();
  }
  return absl::FromTM(tm, absl::UTCTimeZone());
}

std::string NameEntry(const X509_NAME* name, int nid) {
  const int index = X509_NAME_get_index_by_NID(name, nid, -1);
  if (index < 0) {
    return "";
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int length = ASN1_STRING_to_UTF8(&utf8, data);
  if (length < 0) {
    return "";
  }
  std::string text(AsText(utf8, static_cast<size_t>(length)));
  OPENSSL_free(utf8);
  return text;
}

template <typename T, int (*kEncode)(const T*, unsigned char**)>
std::string ToDer(const T* object) {
  const int length = kEncode(object, nullptr);
  if (length <= 0) {
    return "";
  }
  std::string der(static_cast<size_t>(length), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  kEncode(object, &out);
  return der;
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::GenerateP256() {
  EvpPkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (context == nullptr || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(context.get(), "P-256") != 1) {
    return OpenSslError("cannot set up P-256 key generation");
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(context.get(), &raw) != 1) {
    return OpenSslError("cannot generate a P-256 key");
  }
  return PrivateKey(EvpPkeyPtr(raw));
}

absl::StatusOr<PrivateKey> PrivateKey::FromPem(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) {
    return absl::InvalidArgumentError("private key PEM too large");
  }
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &NoPassphrase, nullptr));
  if (key == nullptr) {
    return OpenSslError("not an unencrypted PEM private key", absl::StatusCode::kInvalidArgument);
  }
  return PrivateKey(std::move(key));
}

absl::StatusOr<std::string> PrivateKey::ToPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslError("cannot encode the private key");
  }
  return BioContents(bio.get());
}

absl::StatusOr<Certificate> Certificate::FromDer(absl::string_view der) {
  if (der.size() > static_cast<size_t>(std::numeric_limits<long>::max())) {
    return absl::InvalidArgumentError("certificate too large");
  }
  const unsigned char* in = Bytes(der);
  X509Ptr cert(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
  if (cert == nullptr) {
    return OpenSslError("not a DER certificate", absl::StatusCode::kInvalidArgument);
  }
  if (in != Bytes(der) + der.size()) {
    return absl::InvalidArgumentError("trailing bytes after the DER certificate");
  }
  return Certificate(std::move(cert));
}

absl::StatusOr<Certificate> Certificate::FromPem(absl::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (bio == nullptr) {
    return absl::InvalidArgumentError("certificate PEM too large");
  }
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, &NoPassphrase, nullptr));
  if (cert == nullptr) {
    return OpenSslError("not a PEM certificate", absl::StatusCode::kInvalidArgument);
  }
  return Certificate(std::move(cert));
}

Certificate Certificate::Share(X509* cert) {
  X509_up_ref(cert);
  return Certificate(X509Ptr(cert));
}

Certificate::Certificate(const Certificate& other) : cert_(nullptr) {
  if (other.cert_ != nullptr) {
    X509_up_ref(other.cert_.get());
    cert_.reset(other.cert_.get());
  }
}

Certificate& Certificate::operator=(const Certificate& other) {
  if (this != &other) {
    Certificate copy(other);
    cert_ = std::move(copy.cert_);
  }
  return *this;
}

std::string Certificate::Der() const { return ToDer<X509, &i2d_X509>(cert_.get()); }

std::string Certificate::Pem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_X509(bio.get(), cert_.get()) != 1) {
    return "";
  }
  return BioContents(bio.get());
}

std::string Certificate::Fingerprint() const { return Sha256Fingerprint(Der()); }

std::string Certificate::SerialHex() const {
  BignumPtr serial(ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert_.get()), nullptr));
  if (serial == nullptr) {
    return "";
  }
  char* hex = BN_bn2hex(serial.get());
  if (hex == nullptr) {
    return "";
  }
  std::string text = absl::AsciiStrToLower(hex);
  OPENSSL_free(hex);
  return text;
}

std::string Certificate::CommonName() const {
  return NameEntry(X509_get_subject_name(cert_.get()), NID_commonName);
}

std::string Certificate::OrganizationalUnit() const {
  return NameEntry(X509_get_subject_name(cert_.get()), NID_organizationalUnitName);
}

absl::Time Certificate::NotBefore() const { return FromAsn1Time(X509_get0_notBefore(cert_.get())); }

absl::Time Certificate::NotAfter() const { return FromAsn1Time(X509_get0_notAfter(cert_.get())); }

std::vector<std::string> Certificate::SubjectAltNames() const {
  std::vector<std::string> names;
  GeneralNamesPtr sans(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert_.get(), NID_subject_alt_name, nullptr, nullptr)));
  if (sans == nullptr) {
    return names;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(sans.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans.get(), i);
    if (name->type == GEN_DNS) {
      const ASN1_IA5STRING* dns = name->d.dNSName;
      names.push_back(absl::StrCat("DNS:", AsText(ASN1_STRING_get0_data(dns),
                                                  static_cast<size_t>(ASN1_STRING_length(dns)))));
    } else if (name->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* ip = name->d.iPAddress;
      const int length = ASN1_STRING_length(ip);
      std::array<char, INET6_ADDRSTRLEN> text{};
      if ((length == 4 || length == 16) &&
          inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(ip), text.data(),
                    static_cast<socklen_t>(text.size())) != nullptr) {
        names.push_back(absl::StrCat("IP:", text.data()));
      }
    }
  }
  return names;
}

bool Certificate::IsCa() const { return X509_check_ca(cert_.get()) == 1; }

bool Certificate::MatchesKey(const PrivateKey& key) const {
  return X509_check_private_key(cert_.get(), key.get()) == 1;
}

absl::StatusOr<CertificateRequest> CertificateRequest::Create(const PrivateKey& key,
                                                              absl::string_view common_name) {
  X509ReqPtr request(X509_REQ_new());
  if (request == nullptr || X509_REQ_set_version(request.get(), 0) != 1) {
    return OpenSslError("cannot create a certificate request");
  }
  X509_NAME* subject = X509_REQ_get_subject_name(request.get());
  if (common_name.size() > static_cast<size_t>(kMaxSubjectEntryBytes) ||
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8, Bytes(common_name),
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return OpenSslError("cannot set the request's subject", absl::StatusCode::kInvalidArgument);
  }
  if (X509_REQ_set_pubkey(request.get(), key.get()) != 1 ||
      X509_REQ_sign(request.get(), key.get(), EVP_sha256()) <= 0) {
    return OpenSslError("cannot sign the certificate request");
  }
  return CertificateRequest(std::move(request));
}

absl::StatusOr<CertificateRequest> CertificateRequest::ParseAndValidate(absl::string_view der) {
  if (der.empty()) {
    return absl::InvalidArgumentError("csr: required");
  }
  if (der.size() > kMaxCertificateRequestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("csr: larger than ", kMaxCertificateRequestBytes, " bytes"));
  }
  const unsigned char* in = Bytes(der);
  X509ReqPtr request(d2i_X509_REQ(nullptr, &in, static_cast<long>(der.size())));
  // Drop OpenSSL's queued reasons: the caller gets one stable message, not parser internals.
  ERR_clear_error();
  if (request == nullptr || in != Bytes(der) + der.size()) {
    return absl::InvalidArgumentError("csr: not a DER PKCS#10 certificate request");
  }
  const X509_NAME* subject = X509_REQ_get_subject_name(request.get());
  const int entries = X509_NAME_entry_count(subject);
  if (entries > kMaxSubjectEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("csr: subject has more than ", kMaxSubjectEntries, " entries"));
  }
  for (int i = 0; i < entries; ++i) {
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    if (ASN1_STRING_length(value) > kMaxSubjectEntryBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("csr: a subject entry is longer than ", kMaxSubjectEntryBytes, " bytes"));
    }
  }
  if (X509_REQ_get_attr_count(request.get()) > kMaxSubjectEntries) {
    return absl::InvalidArgumentError("csr: too many attributes");
  }
  EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
  std::array<char, 64> group{};
  size_t group_length = 0;
  if (key == nullptr || !EVP_PKEY_is_a(key, "EC") ||
      EVP_PKEY_get_group_name(key, group.data(), group.size(), &group_length) != 1 ||
      (std::strcmp(group.data(), "prime256v1") != 0 && std::strcmp(group.data(), "P-256") != 0)) {
    ERR_clear_error();
    return absl::InvalidArgumentError("csr: the key must be an EC P-256 key");
  }
  if (X509_REQ_verify(request.get(), key) != 1) {
    ERR_clear_error();
    return absl::InvalidArgumentError("csr: the signature does not verify");
  }
  return CertificateRequest(std::move(request));
}

std::string CertificateRequest::Der() const {
  return ToDer<X509_REQ, &i2d_X509_REQ>(request_.get());
}

std::string Sha256Hex(absl::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    return "";
  }
  return absl::BytesToHexString(AsText(digest.data(), length));
}

std::string Sha256Fingerprint(absl::string_view der) {
  const std::string hex = Sha256Hex(der);
  return hex.empty() ? "" : absl::StrCat("SHA256:", hex);
}

absl::Status VerifyIssuedBy(const Certificate& leaf, const Certificate& trusted_ca, absl::Time at,
                            ChainPurpose purpose) {
  X509StorePtr store(X509_STORE_new());
  X509StoreCtxPtr context(X509_STORE_CTX_new());
  if (store == nullptr || context == nullptr ||
      X509_STORE_add_cert(store.get(), trusted_ca.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), nullptr) != 1) {
    return OpenSslError("cannot set up certificate verification");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(param, absl::ToTimeT(at));
  X509_STORE_CTX_set_purpose(context.get(), purpose == ChainPurpose::kServer
                                                ? X509_PURPOSE_SSL_SERVER
                                                : X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(context.get()) != 1) {
    const int error = X509_STORE_CTX_get_error(context.get());
    ERR_clear_error();
    return absl::UnauthenticatedError(
        absl::StrCat("certificate verification failed: ", X509_verify_cert_error_string(error)));
  }
  return absl::OkStatus();
}

}  // namespace mamori::pki
