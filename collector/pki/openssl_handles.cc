#include "collector/pki/openssl_handles.h"

#include <openssl/err.h>

#include <array>
#include <string>

#include "absl/strings/str_cat.h"

namespace mamori::pki {

absl::Status OpenSslError(absl::string_view what, absl::StatusCode code) {
  std::string text(what);
  bool first = true;
  while (const unsigned long error = ERR_get_error()) {
    std::array<char, 256> buffer{};
    ERR_error_string_n(error, buffer.data(), buffer.size());
    absl::StrAppend(&text, first ? " (" : "; ", buffer.data());
    first = false;
  }
  if (!first) {
    text += ")";
  }
  return absl::Status(code, text);
}

std::string BioContents(BIO* bio) {
  std::string out;
  const size_t pending = BIO_ctrl_pending(bio);
  out.resize(pending);
  size_t read = 0;
  if (pending > 0 && BIO_read_ex(bio, out.data(), pending, &read) == 1) {
    out.resize(read);
  } else {
    out.clear();
  }
  return out;
}

}  // namespace mamori::pki
