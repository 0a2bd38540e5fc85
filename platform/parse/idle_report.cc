// The idle report's fixed 16-byte layout.
#include "platform/parse/idle_report.h"

namespace mamori::parse {
namespace {

constexpr std::array<unsigned char, 4> kMagic = {'M', 'I', 'D', 'L'};

uint32_t ReadLe(std::string_view bytes, std::size_t at, std::size_t width) {
  uint32_t value = 0;
  for (std::size_t i = 0; i < width; ++i) {
    value |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  }
  return value;
}

void WriteLe(std::array<unsigned char, kIdleReportBytes>& out, std::size_t at, std::size_t width,
             uint32_t value) {
  for (std::size_t i = 0; i < width; ++i) {
    out[at + i] = static_cast<unsigned char>((value >> (8 * i)) & 0xFF);
  }
}

}  // namespace

std::array<unsigned char, kIdleReportBytes> EncodeIdleReport(const IdleReport& report) {
  std::array<unsigned char, kIdleReportBytes> out{};
  for (std::size_t i = 0; i < kMagic.size(); ++i) {
    out[i] = kMagic[i];
  }
  WriteLe(out, 4, 2, kIdleReportVersion);
  WriteLe(out, 8, 4, report.idle_ms);
  return out;
}

std::optional<IdleReport> DecodeIdleReport(std::string_view bytes) {
  if (bytes.size() != kIdleReportBytes) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < kMagic.size(); ++i) {
    if (static_cast<unsigned char>(bytes[i]) != kMagic[i]) {
      return std::nullopt;
    }
  }
  if (ReadLe(bytes, 4, 2) != kIdleReportVersion || ReadLe(bytes, 6, 2) != 0 ||
      ReadLe(bytes, 12, 4) != 0) {
    return std::nullopt;
  }
  return IdleReport{ReadLe(bytes, 8, 4)};
}

}  // namespace mamori::parse
