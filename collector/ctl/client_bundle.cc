#include "collector/ctl/client_bundle.h"

#include "absl/strings/str_cat.h"
#include "collector/ctl/output_format.h"
#include "collector/ctl/terminal_text.h"
#include "collector/pki/key_files.h"

namespace mamori::ctl {
namespace {

// The file names `user add` writes (collector/people/user_bundle.h); repeated here so mamorictl
// does not link the collector's storage.
constexpr char kKeyFile[] = "client.key";
constexpr char kCertificateFile[] = "client.crt";
constexpr char kCaFile[] = "ca.pem";

// RFC 3339 in UTC with "Z", as the collector's logs and audit show times.
constexpr char kUtcFormat[] = "%Y-%m-%dT%H:%M:%SZ";

// PEM certificates and a P-256 key are a few kilobytes.
constexpr std::size_t kMaxBundleFileBytes = 64 * 1024;

// Debian's Abseil has its own string_view; both kinds of text arrive here.
absl::Status Problem(absl::string_view japanese, absl::string_view cause) {
  return absl::FailedPreconditionError(
      absl::StrCat("mamorictl: ", CleanForTerminal({japanese.data(), japanese.size()}), " (",
                   CleanForTerminal({cause.data(), cause.size()}), ")"));
}

std::string ShownPath(const std::filesystem::path& path) { return path.string(); }

absl::StatusOr<std::string> ReadBundleFile(const std::filesystem::path& path) {
  absl::StatusOr<std::string> content = pki::ReadSmallFile(path, kMaxBundleFileBytes);
  if (!content.ok()) {
    return Problem(absl::StrCat("証明書バンドルのファイル ", ShownPath(path), " を読めません"),
                   content.status().message());
  }
  return content;
}

std::string ClinicTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M", time, ClinicTimeZone());
}

}  // namespace

absl::StatusOr<ClientBundle> LoadClientBundle(const std::filesystem::path& directory,
                                              absl::Time now) {
  const std::filesystem::path key_path = directory / kKeyFile;
  const std::filesystem::path certificate_path = directory / kCertificateFile;
  const std::filesystem::path ca_path = directory / kCaFile;
  absl::StatusOr<std::string> key_pem = ReadBundleFile(key_path);
  if (!key_pem.ok()) {
    return key_pem.status();
  }
  absl::StatusOr<std::string> certificate_pem = ReadBundleFile(certificate_path);
  if (!certificate_pem.ok()) {
    return certificate_pem.status();
  }
  absl::StatusOr<std::string> ca_pem = ReadBundleFile(ca_path);
  if (!ca_pem.ok()) {
    return ca_pem.status();
  }
  // OpenSSL's reasons for a key it cannot parse never quote the key; still, only a fixed text is
  // shown for it.
  absl::StatusOr<pki::PrivateKey> key = pki::PrivateKey::FromPem(*key_pem);
  if (!key.ok()) {
    return Problem(
        absl::StrCat("証明書バンドルのファイル ", ShownPath(key_path), " は秘密鍵として読めません"),
        "not an unencrypted PEM private key");
  }
  absl::StatusOr<pki::Certificate> certificate = pki::Certificate::FromPem(*certificate_pem);
  if (!certificate.ok()) {
    return Problem(absl::StrCat("証明書バンドルのファイル ", ShownPath(certificate_path),
                                " は証明書として読めません"),
                   certificate.status().message());
  }
  absl::StatusOr<pki::Certificate> ca = pki::Certificate::FromPem(*ca_pem);
  if (!ca.ok() || !ca->IsCa()) {
    return Problem(absl::StrCat("証明書バンドルのファイル ", ShownPath(ca_path),
                                " は CA 証明書として読めません"),
                   ca.ok() ? "not a CA certificate" : ca.status().message());
  }
  if (!certificate->MatchesKey(*key)) {
    return Problem(absl::StrCat(kKeyFile, " と ", kCertificateFile, " が対になっていません (",
                                ShownPath(directory), ")"),
                   "the private key does not belong to the certificate");
  }
  const std::string role = certificate->OrganizationalUnit();
  if (role != "admin" && role != "vendor") {
    return Problem(
        absl::StrCat(ShownPath(certificate_path), " は mamori の利用者の証明書ではありません"),
        absl::StrCat("certificate OU is '", role, "', not admin or vendor"));
  }
  if (certificate->NotAfter() <= now) {
    return Problem(
        absl::StrCat("証明書バンドルの有効期限は ", ClinicTime(certificate->NotAfter()),
                     " に切れています。管理者に新しいバンドル (mamori-collector user add) "
                     "を発行してもらってください"),
        absl::StrCat("client certificate expired at ",
                     absl::FormatTime(kUtcFormat, certificate->NotAfter(), absl::UTCTimeZone())));
  }
  if (certificate->NotBefore() > now) {
    return Problem(
        absl::StrCat("証明書バンドルは ", ClinicTime(certificate->NotBefore()),
                     " から有効です。この PC の時計を確かめてください"),
        absl::StrCat("client certificate not valid before ",
                     absl::FormatTime(kUtcFormat, certificate->NotBefore(), absl::UTCTimeZone())));
  }
  if (absl::Status chained =
          pki::VerifyIssuedBy(*certificate, *ca, now, pki::ChainPurpose::kClient);
      !chained.ok()) {
    return Problem(absl::StrCat(kCertificateFile, " はこのバンドルの ", kCaFile,
                                " が発行したものではありません (", ShownPath(directory), ")"),
                   chained.message());
  }
  ClientBundle bundle{*std::move(key_pem), *std::move(certificate), *std::move(ca), "", role, ""};
  bundle.user = bundle.certificate.CommonName();
  bundle.ca_fingerprint = bundle.ca.Fingerprint();
  return bundle;
}

}  // namespace mamori::ctl
