// Text from agents made safe and measurable for a terminal: host names, account names and evidence
// are untrusted (query.proto), so nothing mamorictl prints may move the cursor, change colours or
// reorder the line, and columns must line up with Japanese text in them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mamori::ctl {

inline constexpr char32_t kReplacementCharacter = U'\uFFFD';

// The code points of UTF-8 `text`. Each byte that does not start a valid, shortest-form sequence of
// a Unicode scalar value (no surrogates, at most U+10FFFF) becomes one U+FFFD.
std::vector<char32_t> DecodeUtf8(std::string_view text);

// UTF-8 of `code_point` (a scalar value; anything else is encoded as U+FFFD).
void AppendUtf8(char32_t code_point, std::string& out);

// Columns `code_point` takes in a terminal: 2 for East Asian Wide and Fullwidth characters (かな,
// 漢字, fullwidth forms, most emoji), 0 for combining marks and zero-width format characters (e.g.
// the combining dakuten U+3099, variation selectors, ZWJ), 1 otherwise. East Asian Ambiguous
// characters (…, ○, Greek) count 1, as most terminals draw them. Controls are never measured here:
// CleanForTerminal has replaced them.
int CodePointWidth(char32_t code_point);

// Columns of UTF-8 `text` (invalid bytes count as U+FFFD, one column each).
std::size_t DisplayWidth(std::string_view text);

// `text` with everything a terminal would act on made visible: C0 controls, DEL and C1 controls as
// "\xNN" (the code point in two hex digits), bidirectional controls (U+061C, U+200E, U+200F,
// U+202A-U+202E, U+2066-U+2069) and the line and paragraph separators as "<U+202E>", invalid UTF-8
// as U+FFFD. The result is one line of printable text.
std::string CleanForTerminal(std::string_view text);

// `text` cut to at most `max_width` columns, ending in "…" when cut. `text` must already be clean
// (CleanForTerminal): cutting happens between code points and never splits an escape's meaning.
// A combining mark stays with its base character.
std::string TruncateToWidth(std::string_view text, std::size_t max_width);

}  // namespace mamori::ctl
