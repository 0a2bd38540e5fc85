// How mamorictl says what went wrong: one line on stderr, in Japanese for the clinic's admin or the
// vendor, with the technical cause in English after it for whoever they call. Pure functions from
// what gRPC reported to that line and the exit code, tested without a network.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>
#include <string_view>

namespace mamori::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// What mamorictl knows about a call when it fails.
struct CallContext {
  std::string collector;       // "HOST:PORT" as given on the command line
  std::string role;            // the bundle certificate's role: "admin" or "vendor"
  std::string ca_fingerprint;  // "SHA256:..." of the bundle's ca.pem, as `ca show` prints it
};

enum class CallFailure {
  kUnreachable,         // no TCP connection, no answer at that address
  kUntrustedCollector,  // TLS failed: the collector's certificate is not from the bundle's CA, or
                        // the collector does not accept a certificate of that CA
  kCertificateExpired,  // the bundle's certificate has expired (the collector said so)
  kCertificateRevoked,  // `mamori-collector user revoke` (or the certificate was replaced)
  kCertificateUnknown,  // signed by the CA, but not in the collector's database
  kRoleRefused,         // PERMISSION_DENIED: the role may not call this RPC
  kNotFound,
  kInvalidArgument,
  kRefused,        // FAILED_PRECONDITION, e.g. a host name that names several hosts
  kTimeout,        // no answer within the deadline
  kCollectorBusy,  // the collector answered UNAVAILABLE itself (database, audit log)
  kTooLarge,       // RESOURCE_EXHAUSTED: a message over gRPC's limit
  kOther,
};

// Which of the above `status` (not OK) is. gRPC reports connection and TLS failures as UNAVAILABLE
// with its own text, so those are told apart by the text: a handshake failure mentions the
// handshake or the certificate check, while the collector's own UNAVAILABLE answers start with
// "the collector cannot".
CallFailure ClassifyCallFailure(const grpc::Status& status);

// The one line (no newline) for a failed call, e.g.
//   収集サーバ 192.0.2.5:7443 に接続できません (failed to connect to all addresses; ...)
// Text that came from the collector is cleaned for the terminal.
std::string DescribeCallFailure(const grpc::Status& status, const CallContext& context);

// The line for a usage error found by mamorictl itself (a bad option or date); `cause` is English.
std::string DescribeUsageError(std::string_view cause);

}  // namespace mamori::ctl
