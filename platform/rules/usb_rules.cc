// Rules on USB storage (MHLW checklist 2-12, 心得7).
#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

std::string ControlsSeen(const facts::UsbStoragePolicy& usb) {
  std::vector<std::string> seen;
  for (const facts::UsbStorageControl& control : usb.controls) {
    seen.push_back(control.detail.empty() ? control.mechanism
                                          : control.mechanism + " (" + control.detail + ")");
  }
  return seen.empty() ? std::string("なし") : JoinForEvidence(seen);
}

}  // namespace

RuleOutcome EvaluateUsbStorageBlocked(const RuleContext& context) {
  const facts::UsbStoragePolicy& usb = context.facts.usb_storage;
  if (auto unknown = UnknownUnlessCollected(usb.meta, "USBストレージ")) {
    return *unknown;
  }
  const std::string controls = "制御設定: " + ControlsSeen(usb);
  switch (usb.mode) {
    case facts::UsbStorageMode::kBlocked:
      // A config that forbids loading does nothing once the driver is in the kernel.
      if (usb.driver_builtin == true) {
        return {Status::kFail,
                "設定では禁止されていますが、USBストレージのドライバがカーネルに組み込まれて"
                "いるため無効化できません。" +
                    controls};
      }
      if (usb.driver_loaded == true) {
        return {
            Status::kFail,
            "設定では禁止されていますが、USBストレージのドライバが読み込み済みです。" + controls};
      }
      return {Status::kPass, "USBストレージは使用禁止。" + controls +
                                 (usb.driver_loaded ? "" : " (ドライバの読込状態は不明)")};
    case facts::UsbStorageMode::kReadOnly:
      // Writing data out is prevented, infected media coming in are not.
      return {Status::kWarn,
              "USBストレージは読み取り専用 (書き出しは禁止、読み込みは可能)。" + controls};
    case facts::UsbStorageMode::kAllowed:
      return {Status::kFail, "USBストレージの使用が制限されていません。" + controls};
    case facts::UsbStorageMode::kUnspecified:
      break;
  }
  return {Status::kUnknown, "USBストレージの制限状態を判定できませんでした。" + controls};
}

RuleOutcome EvaluateUsbStorageAttached(const RuleContext& context) {
  const facts::UsbStoragePolicy& usb = context.facts.usb_storage;
  if (auto unknown = UnknownUnlessCollected(usb.meta, "USBストレージ")) {
    return *unknown;
  }
  std::vector<std::string> attached;
  for (const facts::UsbStorageDevice& device : usb.devices) {
    if (device.present) {
      std::string name = device.vendor + " " + device.product;
      if (!device.serial_number.empty()) {
        name += " (シリアル " + device.serial_number + ")";
      }
      attached.push_back(name);
    }
  }
  if (!attached.empty()) {
    return {Status::kWarn, "接続中のUSBストレージ " + std::to_string(attached.size()) +
                               "台: " + JoinForEvidence(attached)};
  }
  return {Status::kPass, "接続中のUSBストレージなし"};
}

}  // namespace mamori::rules
