// The Linux firewall probe.
#include "platform/linux/firewall_probe.h"

#include <optional>
#include <string>

#include "platform/linux/process_names.h"
#include "platform/linux/rooted_files.h"
#include "platform/parse/ini_file.h"
#include "platform/parse/nft_ruleset.h"

namespace mamori::platform {
namespace {

constexpr std::size_t kMaxRulesetBytes = 4 * 1024 * 1024;

class NftCommandRulesetSource final : public NftRulesetSource {
 public:
  CommandOutput ListRuleset() override {
    return RunBoundedCommand({"/usr/sbin/nft", "list", "ruleset"}, std::chrono::seconds(10),
                             kMaxRulesetBytes);
  }
};

}  // namespace

std::unique_ptr<NftRulesetSource> MakeNftCommandRulesetSource() {
  return std::make_unique<NftCommandRulesetSource>();
}

facts::Firewall LinuxFirewallProbe::Collect() {
  const RootedFiles files(env_.root);
  facts::Firewall firewall;
  firewall.meta.collected_at = env_.now();

  if (const FileText ufw = files.Read("etc/ufw/ufw.conf", 64 * 1024); ufw.ok()) {
    const auto enabled = parse::LastIniValue(parse::ParseIniFile(ufw.text), "", "ENABLED");
    firewall.profiles.push_back(
        {"ufw", enabled && parse::ParseConfigBool(*enabled).value_or(false)});
  }

  const ProcessNames processes = ListProcessNames(files.Resolve("proc"));
  const bool firewalld_installed =
      files.Exists("usr/sbin/firewalld") || files.Exists("usr/bin/firewalld");
  if (firewalld_installed || processes.Contains("firewalld")) {
    const bool running = processes.ok() && !processes.names.empty()
                             ? processes.Contains("firewalld")
                             : UnitEnabled(files, "firewalld.service");
    firewall.profiles.push_back({"firewalld", running});
  }

  std::string nft_problem;
  if (live_ruleset_) {
    const CommandOutput listed = live_ruleset_->ListRuleset();
    if (listed.ok()) {
      firewall.profiles.push_back(
          {"nftables", parse::SummarizeNftRuleset(listed.text).input_drops_by_default});
    } else {
      nft_problem = "cannot list the nftables ruleset: " + listed.error;
    }
  } else if (const FileText conf = files.Read("etc/nftables.conf", kMaxRulesetBytes); conf.ok()) {
    // The file is loaded at boot only by an enabled nftables.service.
    const bool loaded = UnitEnabled(files, "nftables.service");
    firewall.profiles.push_back(
        {"nftables", loaded && parse::SummarizeNftRuleset(conf.text).input_drops_by_default});
  }

  for (const facts::FirewallProfile& profile : firewall.profiles) {
    if (profile.enabled == true) {
      firewall.enabled = true;
      firewall.product = profile.name;
      break;
    }
  }
  if (firewall.enabled) {
    firewall.meta.status = facts::ProbeStatus::Ok();
  } else if (!nft_problem.empty()) {
    firewall.meta.status = facts::ProbeStatus::Unknown(nft_problem);
  } else {
    firewall.enabled = false;
    firewall.meta.status = facts::ProbeStatus::Ok();
  }
  return firewall;
}

}  // namespace mamori::platform
