// SetupAPI's list of present USB storage devices.
#include "platform/windows/win32_usb_device_lister.h"

#include <windows.h>

#include <setupapi.h>

#include <memory>
#include <string>

#include "platform/parse/win32_error.h"
#include "platform/windows/wide_text.h"

namespace mamori::platform {
namespace {

// Device instance ids are at most MAX_DEVICE_ID_LEN (200) characters.
constexpr DWORD kMaxInstanceIdChars = 512;

struct DeviceInfoListDestroyer {
  void operator()(HDEVINFO list) const { ::SetupDiDestroyDeviceInfoList(list); }
};
using UniqueDeviceInfoList = std::unique_ptr<void, DeviceInfoListDestroyer>;

class Win32UsbDeviceLister final : public UsbDeviceLister {
 public:
  parse::PresentUsbStorage ListPresentUsbStorage() override {
    parse::PresentUsbStorage present;
    HDEVINFO raw =
        ::SetupDiGetClassDevsW(nullptr, L"USBSTOR", nullptr, DIGCF_ALLCLASSES | DIGCF_PRESENT);
    if (raw == INVALID_HANDLE_VALUE) {
      const DWORD error = ::GetLastError();
      // An enumerator no device was ever installed under is unknown to PnP: nothing is attached.
      if (error != ERROR_INVALID_DATA) {
        present.error =
            parse::Win32CallFailed("SetupDiGetClassDevsW(USBSTOR, DIGCF_PRESENT)", error);
      }
      return present;
    }
    const UniqueDeviceInfoList list(raw);
    for (DWORD index = 0; present.instance_ids.size() < kMaxDevices; ++index) {
      SP_DEVINFO_DATA device{};
      device.cbSize = sizeof(device);
      if (!::SetupDiEnumDeviceInfo(list.get(), index, &device)) {
        const DWORD error = ::GetLastError();
        if (error != ERROR_NO_MORE_ITEMS) {
          present.error = parse::Win32CallFailed("SetupDiEnumDeviceInfo", error);
        }
        break;
      }
      wchar_t id[kMaxInstanceIdChars] = {};
      if (!::SetupDiGetDeviceInstanceIdW(list.get(), &device, id, kMaxInstanceIdChars, nullptr)) {
        present.error = parse::Win32CallFailed("SetupDiGetDeviceInstanceIdW", ::GetLastError());
        continue;
      }
      present.instance_ids.push_back(ToUtf8(id));
    }
    return present;
  }
};

}  // namespace

std::unique_ptr<UsbDeviceLister> MakeWin32UsbDeviceLister() {
  return std::make_unique<Win32UsbDeviceLister>();
}

}  // namespace mamori::platform
