#include "collector/server/collector_identity.h"

#include <arpa/inet.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/pki/key_files.h"
#include "spdlog/spdlog.h"

namespace mamori::collector {
namespace {

constexpr char kCaKeyFile[] = "ca.key";
constexpr char kCaCertificateFile[] = "ca.crt";
constexpr char kServerKeyFile[] = "server.key";
constexpr char kServerCertificateFile[] = "server.crt";

std::string CaName() {
  const std::string host = LocalHostName();
  return host.empty() ? "mamori collector CA" : absl::StrCat("mamori collector CA (", host, ")");
}

// An IP literal in the form the certificate renders it (inet_ntop), so "0:0::1" and "::1" compare
// equal and do not re-issue the certificate at every start.
std::string Canonical(const std::string& name) {
  std::array<unsigned char, 16> address{};
  std::array<char, INET6_ADDRSTRLEN> text{};
  for (const int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, name.c_str(), address.data()) == 1 &&
        inet_ntop(family, address.data(), text.data(), static_cast<socklen_t>(text.size())) !=
            nullptr) {
      return text.data();
    }
  }
  return name;
}

std::vector<std::string> StripSanPrefixes(const std::vector<std::string>& sans) {
  std::vector<std::string> names;
  for (const std::string& san : sans) {
    const size_t colon = san.find(':');
    names.push_back(colon == std::string::npos ? san : san.substr(colon + 1));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

std::string LocalHostName() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) == 0 && pki::IsValidServerName(host.data())) {
    return host.data();
  }
  return "";
}

std::string CollectorIdentity::ServerChainPem() const {
  return server_certificate.Pem() + ca.certificate().Pem();
}

std::filesystem::path PkiDirectory(const std::filesystem::path& data_dir) {
  return data_dir / "pki";
}

absl::StatusOr<pki::CertificateAuthority> LoadOrCreateCollectorCa(
    const std::filesystem::path& data_dir, absl::Time now) {
  const std::filesystem::path dir = PkiDirectory(data_dir);
  if (absl::Status status = pki::MakeOwnerOnlyDirectory(dir); !status.ok()) {
    return status;
  }
  absl::StatusOr<std::string> cert_pem = pki::ReadSmallFile(dir / kCaCertificateFile);
  if (cert_pem.ok()) {
    absl::StatusOr<std::string> key_pem = pki::ReadSmallFile(dir / kCaKeyFile);
    if (!key_pem.ok()) {
      return key_pem.status();
    }
    absl::StatusOr<pki::CertificateAuthority> ca =
        pki::CertificateAuthority::FromPem(*key_pem, *cert_pem);
    if (!ca.ok()) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir.string(), ": the CA cannot be loaded: ", ca.status().message()));
    }
    return ca;
  }
  if (!absl::IsNotFound(cert_pem.status())) {
    return cert_pem.status();
  }
  // No certificate means no CA was ever published (pinned): a key without one is a leftover of an
  // interrupted first start, and is replaced.
  absl::StatusOr<pki::CertificateAuthority> ca = pki::CertificateAuthority::Create(CaName(), now);
  if (!ca.ok()) {
    return ca.status();
  }
  absl::StatusOr<std::string> key_pem = ca->key().ToPem();
  if (!key_pem.ok()) {
    return key_pem.status();
  }
  if (absl::Status status = pki::ReplaceSecretFile(dir / kCaKeyFile, *key_pem); !status.ok()) {
    return status;
  }
  if (absl::Status status =
          pki::ReplacePublicFile(dir / kCaCertificateFile, ca->certificate().Pem());
      !status.ok()) {
    return status;
  }
  spdlog::info("created the collector CA {} in {}", ca->certificate().Fingerprint(), dir.string());
  return ca;
}

absl::StatusOr<CollectorIdentity> LoadOrIssueCollectorIdentity(
    const std::filesystem::path& data_dir, std::span<const std::string> names, absl::Time now) {
  absl::StatusOr<pki::CertificateAuthority> ca = LoadOrCreateCollectorCa(data_dir, now);
  if (!ca.ok()) {
    return ca.status();
  }
  const std::filesystem::path dir = PkiDirectory(data_dir);
  std::vector<std::string> wanted;
  for (const std::string& name : names) {
    wanted.push_back(Canonical(name));
  }
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());

  absl::StatusOr<std::string> key_pem = pki::ReadSmallFile(dir / kServerKeyFile);
  absl::StatusOr<std::string> cert_pem = pki::ReadSmallFile(dir / kServerCertificateFile);
  if (key_pem.ok() && cert_pem.ok()) {
    absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(*key_pem);
    absl::StatusOr<pki::Certificate> cert = pki::Certificate::FromPem(*cert_pem);
    std::string reason;
    if (!key.ok() || !cert.ok() || !cert->MatchesKey(*key)) {
      reason = "the stored server key and certificate do not load or do not match";
    } else if (!pki::VerifyIssuedBy(*cert, ca->certificate(), now, pki::ChainPurpose::kServer)
                    .ok()) {
      reason = "the server certificate was not issued by this CA or is not valid now";
    } else if (cert->NotAfter() - now < kServerCertificateRenewBefore) {
      reason = "the server certificate expires within 30 days";
    } else if (StripSanPrefixes(cert->SubjectAltNames()) != wanted) {
      reason = "the server's names changed";
    }
    if (reason.empty()) {
      return CollectorIdentity{*std::move(ca), *std::move(key_pem), *std::move(cert)};
    }
    spdlog::info("issuing a new server certificate: {}", reason);
  }

  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::GenerateP256();
  if (!key.ok()) {
    return key.status();
  }
  absl::StatusOr<pki::Certificate> cert = ca->IssueServerCertificate(
      *key, wanted, now - pki::kClockSkewAllowance, now + pki::kServerCertificateLifetime);
  if (!cert.ok()) {
    return cert.status();
  }
  absl::StatusOr<std::string> new_key_pem = key->ToPem();
  if (!new_key_pem.ok()) {
    return new_key_pem.status();
  }
  if (absl::Status status = pki::ReplaceSecretFile(dir / kServerKeyFile, *new_key_pem);
      !status.ok()) {
    return status;
  }
  if (absl::Status status = pki::ReplacePublicFile(dir / kServerCertificateFile, cert->Pem());
      !status.ok()) {
    return status;
  }
  return CollectorIdentity{*std::move(ca), *std::move(new_key_pem), *std::move(cert)};
}

}  // namespace mamori::collector
