#include "collector/ctl/terminal_text.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>

namespace mamori::ctl {
namespace {

struct Range {
  char32_t first;
  char32_t last;
};

template <std::size_t N>
bool InRanges(const std::array<Range, N>& ranges, char32_t c) {
  // Sorted and disjoint: the first range whose end is not below c is the only candidate.
  const auto it =
      std::lower_bound(ranges.begin(), ranges.end(), c,
                       [](const Range& range, char32_t value) { return range.last < value; });
  return it != ranges.end() && it->first <= c;
}

// East Asian Width W and F (Unicode 15.0 EastAsianWidth.txt), merged where adjacent.
constexpr std::array kWide = {
    Range{0x1100, 0x115F},   Range{0x231A, 0x231B},   Range{0x2329, 0x232A},
    Range{0x23E9, 0x23EC},   Range{0x23F0, 0x23F0},   Range{0x23F3, 0x23F3},
    Range{0x25FD, 0x25FE},   Range{0x2614, 0x2615},   Range{0x2648, 0x2653},
    Range{0x267F, 0x267F},   Range{0x2693, 0x2693},   Range{0x26A1, 0x26A1},
    Range{0x26AA, 0x26AB},   Range{0x26BD, 0x26BE},   Range{0x26C4, 0x26C5},
    Range{0x26CE, 0x26CE},   Range{0x26D4, 0x26D4},   Range{0x26EA, 0x26EA},
    Range{0x26F2, 0x26F3},   Range{0x26F5, 0x26F5},   Range{0x26FA, 0x26FA},
    Range{0x26FD, 0x26FD},   Range{0x2705, 0x2705},   Range{0x270A, 0x270B},
    Range{0x2728, 0x2728},   Range{0x274C, 0x274C},   Range{0x274E, 0x274E},
    Range{0x2753, 0x2755},   Range{0x2757, 0x2757},   Range{0x2795, 0x2797},
    Range{0x27B0, 0x27B0},   Range{0x27BF, 0x27BF},   Range{0x2B1B, 0x2B1C},
    Range{0x2B50, 0x2B50},   Range{0x2B55, 0x2B55},   Range{0x2E80, 0x2E99},
    Range{0x2E9B, 0x2EF3},   Range{0x2F00, 0x2FD5},   Range{0x2FF0, 0x2FFB},
    Range{0x3000, 0x303E},   Range{0x3041, 0x3096},   Range{0x3099, 0x30FF},
    Range{0x3105, 0x312F},   Range{0x3131, 0x318E},   Range{0x3190, 0x31E3},
    Range{0x31F0, 0x321E},   Range{0x3220, 0x3247},   Range{0x3250, 0x4DBF},
    Range{0x4E00, 0xA48C},   Range{0xA490, 0xA4C6},   Range{0xA960, 0xA97C},
    Range{0xAC00, 0xD7A3},   Range{0xF900, 0xFAFF},   Range{0xFE10, 0xFE19},
    Range{0xFE30, 0xFE52},   Range{0xFE54, 0xFE66},   Range{0xFE68, 0xFE6B},
    Range{0xFF01, 0xFF60},   Range{0xFFE0, 0xFFE6},   Range{0x16FE0, 0x16FE4},
    Range{0x16FF0, 0x16FF1}, Range{0x17000, 0x187F7}, Range{0x18800, 0x18CD5},
    Range{0x18D00, 0x18D08}, Range{0x1AFF0, 0x1AFF3}, Range{0x1AFF5, 0x1AFFB},
    Range{0x1AFFD, 0x1AFFE}, Range{0x1B000, 0x1B122}, Range{0x1B132, 0x1B132},
    Range{0x1B150, 0x1B152}, Range{0x1B155, 0x1B155}, Range{0x1B164, 0x1B167},
    Range{0x1B170, 0x1B2FB}, Range{0x1F004, 0x1F004}, Range{0x1F0CF, 0x1F0CF},
    Range{0x1F18E, 0x1F18E}, Range{0x1F191, 0x1F19A}, Range{0x1F200, 0x1F202},
    Range{0x1F210, 0x1F23B}, Range{0x1F240, 0x1F248}, Range{0x1F250, 0x1F251},
    Range{0x1F260, 0x1F265}, Range{0x1F300, 0x1F320}, Range{0x1F32D, 0x1F335},
    Range{0x1F337, 0x1F37C}, Range{0x1F37E, 0x1F393}, Range{0x1F3A0, 0x1F3CA},
    Range{0x1F3CF, 0x1F3D3}, Range{0x1F3E0, 0x1F3F0}, Range{0x1F3F4, 0x1F3F4},
    Range{0x1F3F8, 0x1F43E}, Range{0x1F440, 0x1F440}, Range{0x1F442, 0x1F4FC},
    Range{0x1F4FF, 0x1F53D}, Range{0x1F54B, 0x1F54E}, Range{0x1F550, 0x1F567},
    Range{0x1F57A, 0x1F57A}, Range{0x1F595, 0x1F596}, Range{0x1F5A4, 0x1F5A4},
    Range{0x1F5FB, 0x1F64F}, Range{0x1F680, 0x1F6C5}, Range{0x1F6CC, 0x1F6CC},
    Range{0x1F6D0, 0x1F6D2}, Range{0x1F6D5, 0x1F6D7}, Range{0x1F6DC, 0x1F6DF},
    Range{0x1F6EB, 0x1F6EC}, Range{0x1F6F4, 0x1F6FC}, Range{0x1F7E0, 0x1F7EB},
    Range{0x1F7F0, 0x1F7F0}, Range{0x1F90C, 0x1F93A}, Range{0x1F93C, 0x1F945},
    Range{0x1F947, 0x1F9FF}, Range{0x1FA70, 0x1FA7C}, Range{0x1FA80, 0x1FA88},
    Range{0x1FA90, 0x1FABD}, Range{0x1FABF, 0x1FAC5}, Range{0x1FACE, 0x1FADB},
    Range{0x1FAE0, 0x1FAE8}, Range{0x1FAF0, 0x1FAF8}, Range{0x20000, 0x2FFFD},
    Range{0x30000, 0x3FFFD},
};

// Zero columns: nonspacing and enclosing combining marks of the scripts a clinic's data is in
// (Latin, Greek, Cyrillic, Hebrew, Arabic, Thai, Japanese, Korean), zero-width format characters
// and variation selectors. Other scripts' marks count 1: a column too many, never a broken line.
constexpr std::array kZeroWidth = {
    Range{0x0300, 0x036F},   Range{0x0483, 0x0489},   Range{0x0591, 0x05BD},
    Range{0x05BF, 0x05BF},   Range{0x05C1, 0x05C2},   Range{0x05C4, 0x05C5},
    Range{0x05C7, 0x05C7},   Range{0x0610, 0x061A},   Range{0x064B, 0x065F},
    Range{0x0670, 0x0670},   Range{0x06D6, 0x06DC},   Range{0x06DF, 0x06E4},
    Range{0x06E7, 0x06E8},   Range{0x06EA, 0x06ED},   Range{0x0E31, 0x0E31},
    Range{0x0E34, 0x0E3A},   Range{0x0E47, 0x0E4E},   Range{0x1160, 0x11FF},
    Range{0x1AB0, 0x1AFF},   Range{0x1DC0, 0x1DFF},   Range{0x200B, 0x200D},
    Range{0x2060, 0x2064},   Range{0x20D0, 0x20FF},   Range{0x302A, 0x302D},
    Range{0x3099, 0x309A},   Range{0xD7B0, 0xD7FF},   Range{0xFE00, 0xFE0F},
    Range{0xFE20, 0xFE2F},   Range{0xFEFF, 0xFEFF},   Range{0x1D167, 0x1D169},
    Range{0x1D17B, 0x1D182}, Range{0xE0001, 0xE0001}, Range{0xE0020, 0xE007F},
    Range{0xE0100, 0xE01EF},
};

bool IsBidiControl(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

// Some terminals and pagers start a new line at these.
bool IsLineSeparator(char32_t c) { return c == 0x2028 || c == 0x2029; }

bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

char HexDigit(unsigned value) { return "0123456789ABCDEF"[value & 0xFu]; }

// Length of the sequence a lead byte starts, and the bits it carries; 0 for a byte that cannot
// start one.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return 2;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    return 3;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    return 4;
  }
  return 0;
}

}  // namespace

std::vector<char32_t> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const int length = SequenceLength(lead);
    if (length == 1) {
      out.push_back(lead);
      ++i;
      continue;
    }
    if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) {
      out.push_back(kReplacementCharacter);
      ++i;
      continue;
    }
    char32_t c = lead & (0xFFu >> (length + 1));
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((next & 0xC0u) != 0x80u) {
        valid = false;
        break;
      }
      c = (c << 6) | (next & 0x3Fu);
    }
    // Shortest form only, no surrogates, nothing above U+10FFFF.
    const bool overlong = (length == 3 && c < 0x800) || (length == 4 && c < 0x10000);
    if (!valid || overlong || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
      out.push_back(kReplacementCharacter);
      ++i;
      continue;
    }
    out.push_back(c);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

void AppendUtf8(char32_t c, std::string& out) {
  if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    c = kReplacementCharacter;
  }
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0u | (c >> 6)));
    out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0u | (c >> 12)));
    out.push_back(static_cast<char>(0x80u | ((c >> 6) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
  } else {
    out.push_back(static_cast<char>(0xF0u | (c >> 18)));
    out.push_back(static_cast<char>(0x80u | ((c >> 12) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | ((c >> 6) & 0x3Fu)));
    out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
  }
}

int CodePointWidth(char32_t c) {
  if (InRanges(kZeroWidth, c)) {
    return 0;
  }
  if (InRanges(kWide, c)) {
    return 2;
  }
  return 1;
}

std::size_t DisplayWidth(std::string_view text) {
  std::size_t width = 0;
  for (const char32_t c : DecodeUtf8(text)) {
    width += static_cast<std::size_t>(CodePointWidth(c));
  }
  return width;
}

std::string CleanForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char32_t c : DecodeUtf8(text)) {
    if (IsControl(c)) {
      const auto value = static_cast<unsigned>(c);
      out += "\\x";
      out.push_back(HexDigit(value >> 4));
      out.push_back(HexDigit(value));
    } else if (IsBidiControl(c) || IsLineSeparator(c)) {
      std::array<char, 16> name{};
      std::snprintf(name.data(), name.size(), "<U+%04X>", static_cast<unsigned>(c));
      out += name.data();
    } else {
      AppendUtf8(c, out);
    }
  }
  return out;
}

std::string TruncateToWidth(std::string_view text, std::size_t max_width) {
  if (DisplayWidth(text) <= max_width) {
    return std::string(text);
  }
  if (max_width == 0) {
    return "";
  }
  constexpr std::string_view kEllipsis = "\u2026";
  const std::size_t budget = max_width - 1;  // the ellipsis takes one column
  const std::vector<char32_t> code_points = DecodeUtf8(text);
  std::string out;
  std::size_t width = 0;
  for (const char32_t c : code_points) {
    const auto w = static_cast<std::size_t>(CodePointWidth(c));
    if (width + w > budget) {
      break;
    }
    AppendUtf8(c, out);
    width += w;
  }
  out += kEllipsis;
  return out;
}

}  // namespace mamori::ctl
