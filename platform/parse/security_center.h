// Windows antivirus status values as WMI reports them: Security Center's undocumented productState
// bit field (ROOT\SecurityCenter2 AntiVirusProduct) and Defender's running mode
// (MSFT_MpComputerStatus). Pure logic, tested on every OS.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "platform/facts/host_facts.h"

namespace mamori::parse {

// productState is undocumented; this is the decoding established agents agree on, one hex digit
// each: 0xPP_SO_G0, P = security provider bits, S = scanner state, O = owner, G = signatures.
struct SecurityCenterProductState {
  // S: 0 off, 1 on, 2 snoozed, 3 expired; any other digit is kUnspecified.
  facts::AntivirusState state = facts::AntivirusState::kUnspecified;
  // O: 1 for Microsoft's own product (Defender), 0 for a third party.
  bool microsoft_owned = false;
  // G: 0 up to date, 1 out of date; nullopt for any other digit.
  std::optional<bool> signatures_up_to_date;
  friend bool operator==(const SecurityCenterProductState&,
                         const SecurityCenterProductState&) = default;
};

// nullopt for a value that cannot be a productState (negative or wider than 24 bits).
std::optional<SecurityCenterProductState> DecodeProductState(int64_t product_state);

// Defender's state from MSFT_MpComputerStatus: AMRunningMode ("Normal", "Passive Mode",
// "SxS Passive Mode", "EDR Block Mode", "Not running") decides when present, because
// AntivirusEnabled stays true in passive mode; otherwise AntivirusEnabled and AMServiceEnabled
// do. Passive (a third-party product is primary) is kPassive, never kOff. kUnspecified when
// nothing tells.
facts::AntivirusState DefenderState(std::string_view am_running_mode,
                                    std::optional<bool> antivirus_enabled,
                                    std::optional<bool> service_enabled);

}  // namespace mamori::parse
