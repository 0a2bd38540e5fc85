// The Windows antivirus probe.
#include "platform/windows/antivirus_probe.h"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/parse/security_center.h"
#include "platform/parse/windows_time.h"

namespace mamori::platform {
namespace {

constexpr std::string_view kSecurityCenterNamespace = R"(ROOT\SecurityCenter2)";
constexpr std::string_view kSecurityCenterQuery =
    "SELECT displayName, productState FROM AntiVirusProduct";
constexpr std::string_view kDefenderNamespace = R"(ROOT\Microsoft\Windows\Defender)";
// Every property rather than a list: naming one that an older Defender platform lacks
// (AMRunningMode arrived in 2020) would fail the whole query on a long-unpatched Server.
constexpr std::string_view kDefenderQuery = "SELECT * FROM MSFT_MpComputerStatus";

constexpr std::string_view kDefenderName = "Microsoft Defender Antivirus";
constexpr std::string_view kSecurityCenterSource = "SecurityCenter2";
constexpr std::string_view kDefenderSource = "MSFT_MpComputerStatus";

// AntivirusSignatureAge is a day count; beyond this it is a placeholder (65535 = never updated),
// not an age.
constexpr int64_t kMaxSignatureAgeDays = 36500;

facts::AntivirusProduct FromDefenderStatus(const WmiObject& status, facts::Timestamp now) {
  facts::AntivirusProduct defender;
  defender.name = std::string(kDefenderName);
  defender.source = std::string(kDefenderSource);
  defender.state = parse::DefenderState(WmiString(status, "AMRunningMode").value_or(""),
                                        WmiBool(status, "AntivirusEnabled"),
                                        WmiBool(status, "AMServiceEnabled"));
  // Real-time protection is the two together: the real-time monitor, and scanning of files as
  // they are opened.
  const std::optional<bool> realtime = WmiBool(status, "RealTimeProtectionEnabled");
  const std::optional<bool> on_access = WmiBool(status, "OnAccessProtectionEnabled");
  if (realtime || on_access) {
    defender.realtime_protection = realtime.value_or(true) && on_access.value_or(true);
  }
  if (const std::optional<std::string> updated =
          WmiString(status, "AntivirusSignatureLastUpdated")) {
    defender.signatures_updated_at = parse::ParseCimDatetime(*updated);
  }
  if (!defender.signatures_updated_at) {
    // Whole days only: the time of day is lost, the age the rules judge is not.
    if (const std::optional<int64_t> age = WmiInteger(status, "AntivirusSignatureAge");
        age && *age >= 0 && *age <= kMaxSignatureAgeDays) {
      defender.signatures_updated_at = now - std::chrono::days(*age);
    }
  }
  defender.version = WmiString(status, "AMProductVersion").value_or("");
  return defender;
}

// A Security Center entry as the facts model's product. Security Center calls a product "on"
// when its real-time scanner runs, so that is what realtime_protection says.
facts::AntivirusProduct FromSecurityCenter(
    std::string name, const std::optional<parse::SecurityCenterProductState>& decoded) {
  facts::AntivirusProduct product;
  product.name = std::move(name);
  product.source = std::string(kSecurityCenterSource);
  if (decoded) {
    product.state = decoded->state;
    if (decoded->state != facts::AntivirusState::kUnspecified) {
      product.realtime_protection = decoded->state == facts::AntivirusState::kOn;
    }
    product.signatures_up_to_date = decoded->signatures_up_to_date;
  }
  return product;
}

}  // namespace

WindowsAntivirusProbe::WindowsAntivirusProbe(ProbeEnvironment env, std::unique_ptr<WmiClient> wmi)
    : env_(std::move(env)), wmi_(std::move(wmi)) {}

facts::Antivirus WindowsAntivirusProbe::Collect() {
  facts::Antivirus antivirus;
  const facts::Timestamp now = env_.now();
  antivirus.meta.collected_at = now;

  const WmiQueryResult center = wmi_->Query(kSecurityCenterNamespace, kSecurityCenterQuery);
  const WmiQueryResult defender_status = wmi_->Query(kDefenderNamespace, kDefenderQuery);

  // MSFT_MpComputerStatus is a singleton; no Defender (removed from a Server) answers no object.
  std::optional<facts::AntivirusProduct> defender;
  if (defender_status.ok() && !defender_status.objects.empty()) {
    defender = FromDefenderStatus(defender_status.objects.front(), now);
  }

  std::optional<std::size_t> defender_index;
  if (center.ok()) {
    for (const WmiObject& entry : center.objects) {
      std::optional<parse::SecurityCenterProductState> decoded;
      if (const std::optional<int64_t> state = WmiInteger(entry, "productState")) {
        decoded = parse::DecodeProductState(*state);
      }
      std::string name = WmiString(entry, "displayName").value_or("");
      if (name.empty()) {
        name = "(Security Center entry without a displayName)";
      }
      // Defender is the one Microsoft-owned antivirus Security Center lists: its entry and
      // MSFT_MpComputerStatus are one product. Defender's own running mode decides the state
      // (Security Center shows a passive Defender as off); Security Center adds its verdict on
      // the signatures. A second Microsoft-owned entry would be listed on its own.
      if (decoded && decoded->microsoft_owned && !defender_index) {
        if (defender) {
          defender->source += ", " + std::string(kSecurityCenterSource);
          defender->signatures_up_to_date = decoded->signatures_up_to_date;
        } else {
          defender = FromSecurityCenter(std::string(kDefenderName), decoded);
        }
        defender_index = antivirus.products.size();
        antivirus.products.push_back(*defender);
        continue;
      }
      antivirus.products.push_back(FromSecurityCenter(std::move(name), decoded));
    }
  }
  if (defender && !defender_index) {
    antivirus.products.push_back(std::move(*defender));
  }

  const std::string center_error = "SecurityCenter2 AntiVirusProduct: " + center.error;
  const std::string defender_error = "MSFT_MpComputerStatus: " + defender_status.error;
  if (!center.ok() && !defender_status.ok()) {
    antivirus.meta.status = facts::ProbeStatus::Unknown(
        "antivirus unknown: neither source answered; " + center_error + "; " + defender_error);
  } else if (!center.ok()) {
    // Windows Server has no Security Center: Defender's status is all there is to read.
    antivirus.meta.status = {facts::ProbeState::kOk, "not read: " + center_error};
  } else if (!defender_status.ok()) {
    antivirus.meta.status = {facts::ProbeState::kOk, "not read: " + defender_error};
  } else {
    antivirus.meta.status = facts::ProbeStatus::Ok();
  }
  return antivirus;
}

}  // namespace mamori::platform
