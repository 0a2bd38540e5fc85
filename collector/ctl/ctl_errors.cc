#include "collector/ctl/ctl_errors.h"

#include <initializer_list>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collector/ctl/terminal_text.h"

namespace mamori::ctl {
namespace {

bool ContainsAny(std::string_view text, std::initializer_list<std::string_view> needles) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
  for (const std::string_view needle : needles) {
    if (absl::StrContains(lower, absl::string_view(needle.data(), needle.size()))) {
      return true;
    }
  }
  return false;
}

// gRPC's words (OpenSSL's and its own) for a TLS handshake that failed over the certificates:
// "certificate verify failed", "CERTIFICATE_VERIFY_FAILED", "tlsv1 alert unknown ca",
// "Handshake failed", "Ssl handshake failed: SSL_ERROR_SSL ...".
bool IsHandshakeFailure(std::string_view message) {
  return ContainsAny(message,
                     {"handshake", "certificate verify", "certificate_verify", "unknown ca",
                      "bad certificate", "certificate unknown", "ssl_error_ssl", "ssl routines"});
}

// The collector's TLS alert when the client certificate is out of its validity period (OpenSSL:
// "sslv3 alert certificate expired"). Not "certificate has expired", which is this side's verdict
// on the collector's certificate.
bool IsExpiredAlert(std::string_view message) {
  return ContainsAny(message, {"alert certificate expired"});
}

std::string Cause(const grpc::Status& status) { return CleanForTerminal(status.error_message()); }

}  // namespace

CallFailure ClassifyCallFailure(const grpc::Status& status) {
  const std::string& message = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      if (IsExpiredAlert(message)) {
        return CallFailure::kCertificateExpired;
      }
      if (IsHandshakeFailure(message)) {
        return CallFailure::kUntrustedCollector;
      }
      if (absl::StartsWith(message, "the collector cannot")) {
        return CallFailure::kCollectorBusy;
      }
      return CallFailure::kUnreachable;
    case grpc::StatusCode::UNAUTHENTICATED:
      // The messages of Authorizer::Authorize (collector/server/authorization.h).
      if (absl::EndsWith(message, "has expired")) {
        return CallFailure::kCertificateExpired;
      }
      if (absl::EndsWith(message, "has been revoked")) {
        return CallFailure::kCertificateRevoked;
      }
      if (IsHandshakeFailure(message)) {
        return CallFailure::kUntrustedCollector;
      }
      return CallFailure::kCertificateUnknown;
    case grpc::StatusCode::PERMISSION_DENIED:
      return CallFailure::kRoleRefused;
    case grpc::StatusCode::NOT_FOUND:
      return CallFailure::kNotFound;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE:
      return CallFailure::kInvalidArgument;
    case grpc::StatusCode::FAILED_PRECONDITION:
      return CallFailure::kRefused;
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return CallFailure::kTimeout;
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return CallFailure::kTooLarge;
    default:
      return CallFailure::kOther;
  }
}

std::string DescribeCallFailure(const grpc::Status& status, const CallContext& context) {
  const std::string collector = CleanForTerminal(context.collector);
  const std::string cause = Cause(status);
  std::string japanese;
  switch (ClassifyCallFailure(status)) {
    case CallFailure::kUnreachable:
      japanese = absl::StrCat("収集サーバ ", collector, " に接続できません");
      break;
    case CallFailure::kUntrustedCollector:
      japanese = absl::StrCat("収集サーバ ", collector,
                              " とこの証明書バンドルの CA が一致しません (接続先か証明書バンドルが"
                              "違います)。バンドルの CA の指紋 ",
                              context.ca_fingerprint,
                              " を収集サーバの `mamori-collector ca show` と比べてください");
      break;
    case CallFailure::kCertificateExpired:
      japanese =
          "この証明書バンドルの有効期限が切れています。管理者に新しいバンドル (mamori-collector "
          "user add) を発行してもらってください";
      break;
    case CallFailure::kCertificateRevoked:
      japanese = "この証明書バンドルは失効しています。管理者に確認してください";
      break;
    case CallFailure::kCertificateUnknown:
      japanese = "この証明書は収集サーバに登録されていません。管理者に確認してください";
      break;
    case CallFailure::kRoleRefused:
      japanese = absl::StrCat("この操作は ", CleanForTerminal(context.role),
                              " の証明書では許可されていません");
      break;
    case CallFailure::kNotFound:
      japanese = "見つかりません";
      break;
    case CallFailure::kInvalidArgument:
      japanese = "指定が正しくありません";
      break;
    case CallFailure::kRefused:
      japanese = "この指定では実行できません";
      break;
    case CallFailure::kTimeout:
      japanese = absl::StrCat("収集サーバ ", collector, " から時間内に応答がありません");
      break;
    case CallFailure::kCollectorBusy:
      japanese = "収集サーバが一時的に処理できません。しばらくしてからもう一度実行してください";
      break;
    case CallFailure::kTooLarge:
      japanese = "要求または応答が大きすぎます。条件を絞ってください";
      break;
    case CallFailure::kOther:
      japanese = "収集サーバでエラーが発生しました";
      break;
  }
  return absl::StrCat("mamorictl: ", japanese, " (", cause, ")");
}

std::string DescribeUsageError(std::string_view cause) {
  return absl::StrCat("mamorictl: 使い方が正しくありません (", CleanForTerminal(cause), ")");
}

}  // namespace mamori::ctl
