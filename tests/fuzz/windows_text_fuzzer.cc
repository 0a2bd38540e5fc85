// libFuzzer target: what the Windows probes decode from text or bytes another program wrote: the
// session helper's idle report (another process, over a pipe), registry key names and values (USB
// device ids, Uninstall dates, CBS package names), WMI's CIM datetimes and QFE dates, update
// titles.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "platform/parse/bitlocker.h"
#include "platform/parse/idle_report.h"
#include "platform/parse/windows_logon.h"
#include "platform/parse/windows_time.h"
#include "platform/parse/windows_update.h"
#include "platform/parse/windows_usb_storage.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (const auto report = mamori::parse::DecodeIdleReport(text)) {
    // Whatever decodes must encode back to the same bytes: the layout has exactly one spelling.
    const auto bytes = mamori::parse::EncodeIdleReport(*report);
    if (std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()) != text) {
      __builtin_trap();
    }
  }
  mamori::parse::ParseCimDatetime(text);
  mamori::parse::ParseYyyymmdd(text);
  mamori::parse::ParseQfeInstalledOn(text);
  mamori::parse::ParseRollupFixPackage(text);
  mamori::parse::FindKbArticle(text);
  mamori::parse::ParseUsbstorDeviceId(text);
  mamori::parse::UsbstorSerialNumber(text);
  mamori::parse::IsPersonSid(text);
  mamori::parse::DriveOfPath(text);
  return 0;
}
