// Matches file names against shell wildcards ('*', '?'), the way Include lines in sshd_config and
// similar files name the files they pull in. Pure, so Include handling is testable on any OS.
#pragma once

#include <string_view>

namespace mamori::parse {

// True when name matches pattern, where '*' matches any run of characters and '?' any one; no
// character classes. A leading '.' in name is not matched by a wildcard, as with glob(3).
bool MatchesFilenamePattern(std::string_view pattern, std::string_view name);

}  // namespace mamori::parse
