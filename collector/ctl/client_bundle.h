// A person's certificate bundle as mamorictl reads it: the directory `mamori-collector user add`
// writes (client.key, client.crt, ca.pem; collector/people/user_bundle.h), checked on this PC
// before anything is sent, so an expired or mismatched bundle is reported as such and not as a
// network problem.
#pragma once

#include <filesystem>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/pki/x509.h"

namespace mamori::ctl {

struct ClientBundle {
  std::string key_pem;  // never printed or logged
  pki::Certificate certificate;
  pki::Certificate ca;
  std::string user;            // the certificate's CN
  std::string role;            // its OU: "admin" or "vendor"
  std::string ca_fingerprint;  // "SHA256:...", as `mamori-collector ca show` prints it
};

// Reads and checks the bundle in `directory` at `now`. FAILED_PRECONDITION with the one line to
// print (Japanese, then the cause in English) when a file cannot be read (naming it), is not what
// it should be, the key and certificate do not belong together, the certificate is not from the
// bundle's CA or not a person's, or it is outside its validity period (saying when it expired, in
// the clinic's time). The private key's content never appears in a message.
absl::StatusOr<ClientBundle> LoadClientBundle(const std::filesystem::path& directory,
                                              absl::Time now);

}  // namespace mamori::ctl
