// THE rule table: every rule id mamori reports, with its titles, MHLW mapping, remediation and the
// function that evaluates it. Ids are a public contract: never renumber or reuse one.
#include "platform/rules/rule_catalogue.h"

#include <array>

#include "platform/rules/rule_evaluators.h"

namespace mamori::rules {

EffectiveRole DetermineRole(const facts::Inventory& inventory, const Policy& policy) {
  switch (policy.role) {
    case RolePolicy::kWorkstation:
      return {facts::HostRole::kWorkstation, "端末PC (ポリシーで指定)"};
    case RolePolicy::kServer:
      return {facts::HostRole::kServer, "サーバ (ポリシーで指定)"};
    case RolePolicy::kAuto:
      break;
  }
  switch (inventory.role) {
    case facts::HostRole::kWorkstation:
      return {facts::HostRole::kWorkstation, "端末PC"};
    case facts::HostRole::kServer:
      return {facts::HostRole::kServer, "サーバ"};
    case facts::HostRole::kUnspecified:
      break;
  }
  if (inventory.os_name.find("Server") != std::string::npos ||
      inventory.os_pretty_name.find("Server") != std::string::npos) {
    return {facts::HostRole::kServer, "サーバ (OS名から判定)"};
  }
  return {facts::HostRole::kWorkstation, "端末PC (役割が未設定のため、より厳しい端末PCとして判定)"};
}

LocalizedText AreaName(std::string_view area) {
  static constexpr std::array<std::pair<std::string_view, LocalizedText>, 12> kAreas = {{
      {"PATCH", {"更新プログラム", "Updates"}},
      {"AV", {"ウイルス対策", "Antivirus"}},
      {"USB", {"USBストレージ", "USB storage"}},
      {"IDLE", {"放置端末", "Idle machines"}},
      {"ACCT", {"アカウント", "Accounts"}},
      {"LOGON", {"ログオン", "Logon"}},
      {"LOCK", {"画面ロック", "Screen lock"}},
      {"FW", {"ファイアウォール", "Firewall"}},
      {"ENC", {"ディスク暗号化", "Disk encryption"}},
      {"REMOTE", {"リモート接続", "Remote access"}},
      {"AGENT", {"エージェント", "Agent"}},
      {"ORG", {"院内体制 (記録簿)", "Clinic organisation (register)"}},  // MAM-ORG, org_rules.cc
  }};
  for (const auto& [key, name] : kAreas) {
    if (key == area) {
      return name;
    }
  }
  return {area, area};
}

const std::vector<RuleDefinition>& RuleCatalogue() {
  static const std::vector<RuleDefinition> kCatalogue = {
      {"MAM-PATCH-001",
       "PATCH",
       {"未適用のセキュリティ更新", "Security updates pending"},
       {"2-7", "心得6", "心得9"},
       {"保留中のセキュリティ更新を適用してください (Windows Update / apt upgrade)。",
        "Install the pending security updates (Windows Update / apt upgrade)."},
       EvaluatePendingSecurityUpdates},
      {"MAM-PATCH-002",
       "PATCH",
       {"サポートが終了した OS", "Operating system past end of support"},
       {"2-7", "心得6"},
       {"サポート中の OS またはバージョンへ更新してください。延長セキュリティ更新 (ESU 等) の契約が"
        "ある場合は、その記録を残してください。",
        "Upgrade to a supported OS or version. If an extended security update contract (ESU) "
        "covers this PC, keep its record."},
       EvaluateOsEndOfSupport},
      {"MAM-PATCH-003",
       "PATCH",
       {"再起動待ちの更新", "Reboot required to finish updates"},
       {"2-7", "心得6"},
       {"業務時間外に再起動して更新を完了してください。",
        "Reboot outside clinic hours to finish updating."},
       EvaluateRebootRequired},
      {"MAM-PATCH-004",
       "PATCH",
       {"更新が長期間行われていない", "No update activity for a long time"},
       {"2-7", "心得6"},
       {"自動更新が動いているか確認し、更新を確認・適用してください。",
        "Check that automatic updates run, then check for and install updates."},
       EvaluateUpdateActivity},
      {"MAM-AV-001",
       "AV",
       {"ウイルス対策ソフトが稼働していない", "No antivirus running"},
       {"心得6", "心得8"},
       {"ウイルス対策ソフトを導入し、常に稼働させてください。",
        "Install antivirus software and keep it running."},
       EvaluateAntivirusRunning},
      {"MAM-AV-002",
       "AV",
       {"リアルタイム保護が無効", "No real-time (on-access) protection"},
       {"心得6", "心得8"},
       {"ウイルス対策ソフトのリアルタイム保護 (オンアクセス検査) を有効にしてください。",
        "Turn on real-time (on-access) protection in the antivirus software."},
       EvaluateRealtimeProtection},
      {"MAM-AV-003",
       "AV",
       {"ウイルス定義ファイルが古い", "Antivirus signatures out of date"},
       {"心得6", "心得8", "心得9"},
       {"定義ファイルを更新し、自動更新が動いているか確認してください。",
        "Update the signatures and check that automatic signature updates run."},
       EvaluateSignatureAge},
      {"MAM-USB-001",
       "USB",
       {"USBストレージが制限されていない", "USB mass storage not blocked"},
       {"2-12", "心得7"},
       {"USBストレージの使用を禁止してください (Windows: グループポリシー「リムーバブル記憶域への"
        "アクセス拒否」、Linux: modprobe.d に install usb-storage /bin/false)。",
        "Block USB mass storage (Windows: the \"deny all access to removable storage\" group "
        "policy; Linux: install usb-storage /bin/false in modprobe.d)."},
       EvaluateUsbStorageBlocked},
      {"MAM-USB-002",
       "USB",
       {"USBストレージが接続されている", "USB mass storage attached"},
       {"2-12", "心得7"},
       {"接続されている媒体が許可されたものか確認し、不要なら取り外してください。",
        "Check that the attached device is an approved one; remove it otherwise."},
       EvaluateUsbStorageAttached},
      {"MAM-IDLE-001",
       "IDLE",
       {"長時間操作のないセッション", "Session idle for a long time"},
       {"心得8"},
       {"使わない端末はログオフするか電源を切ってください。",
        "Log off or power off machines that are not in use."},
       EvaluateIdleSessions},
      {"MAM-IDLE-002",
       "IDLE",
       {"自動スリープが無効", "Automatic sleep disabled"},
       {"心得8"},
       {"電源設定で一定時間操作がないときのスリープを有効にしてください。",
        "Turn on sleep after a period of inactivity in the power settings."},
       EvaluateSleepDisabled},
      {"MAM-ACCT-001",
       "ACCT",
       {"長期間使われていないアカウント", "Accounts unused for a long time"},
       {"2-5", "心得1"},
       {"退職者や使われていないアカウントを確認し、不要なものを削除または無効化してください。",
        "Review the listed accounts; delete or disable those of leavers and unused ones."},
       EvaluateUnusedAccounts},
      {"MAM-ACCT-002",
       "ACCT",
       {"長期間変更されていないパスワード", "Passwords not changed for a long time"},
       {"2-10", "心得1"},
       {"パスワードを変更するか、13文字以上のパスワードを必須にしてください。",
        "Change the passwords, or require passwords of 13 characters or more."},
       EvaluatePasswordAge},
      {"MAM-ACCT-003",
       "ACCT",
       {"初期設定の組み込みアカウントが使用可能", "Built-in default account usable"},
       {"2-11", "心得1"},
       {"組み込みの Administrator / Guest (Linux では root のパスワードログイン) を無効にし、"
        "個人ごとのアカウントを使ってください。",
        "Disable the built-in Administrator / Guest (on Linux, root's password login) and use "
        "personal accounts."},
       EvaluateBuiltinAccounts},
      {"MAM-ACCT-004",
       "ACCT",
       {"パスワードのないアカウント", "Account without a password"},
       {"2-10", "2-11", "心得1"},
       {"すべてのアカウントにパスワードを設定するか、不要なアカウントを無効にしてください。",
        "Set a password on every account, or disable the accounts not needed."},
       EvaluateEmptyPasswords},
      {"MAM-ACCT-005",
       "ACCT",
       {"パスワードポリシーが基準未満", "Password policy below the guideline"},
       {"2-10", "心得1"},
       {"パスワードの最小文字数を13文字以上にしてください (または8文字以上かつ有効期限60日以内)。",
        "Require at least 13 characters (or at least 8 with a maximum age of 60 days)."},
       EvaluatePasswordPolicy},
      {"MAM-ACCT-006",
       "ACCT",
       {"管理者アカウントが多すぎる", "Too many administrators"},
       {"2-4", "心得1"},
       {"管理者権限は必要な人だけに限ってください。",
        "Limit administrator rights to those who need them."},
       EvaluateAdministratorCount},
      {"MAM-LOGON-001",
       "LOGON",
       {"自動ログオンが有効", "Automatic logon enabled"},
       {"2-11", "心得1"},
       {"自動ログオンを無効にしてください (Windows では保存されたパスワードも削除)。",
        "Turn off automatic logon (on Windows, also remove the stored password)."},
       EvaluateAutomaticLogon},
      {"MAM-LOCK-001",
       "LOCK",
       {"画面ロックが無効または長すぎる", "Screen lock off or too late"},
       {"心得8"},
       {"無操作15分以内で画面ロックがかかるよう設定してください。",
        "Lock the screen after at most 15 minutes of inactivity."},
       EvaluateScreenLock},
      {"MAM-FW-001",
       "FW",
       {"ファイアウォールが無効", "Host firewall off"},
       {"心得4"},
       {"ファイアウォールを有効にしてください (Windows Defender ファイアウォール、ufw 等)。",
        "Turn the host firewall on (Windows Defender Firewall, ufw, ...)."},
       EvaluateFirewall},
      {"MAM-ENC-001",
       "ENC",
       {"システムディスクが暗号化されていない", "System disk not encrypted"},
       {"心得7"},
       {"BitLocker (Linux では LUKS) でシステムディスクを暗号化してください。",
        "Encrypt the system disk with BitLocker (LUKS on Linux)."},
       EvaluateDiskEncryption},
      {"MAM-REMOTE-001",
       "REMOTE",
       {"リモートログインが公開されている", "Remote login exposed"},
       {"2-2", "心得4"},
       {"不要なリモート接続を無効にし、SSH は鍵認証のみ・root ログイン禁止にしてください。"
        "保守で使う場合は事業者と利用範囲を確認してください。",
        "Turn off remote login that is not needed; allow SSH with keys only and without root. "
        "Where a vendor maintains the host remotely, agree on its scope."},
       EvaluateRemoteLogin},
      {"MAM-AGENT-001",
       "AGENT",
       {"エージェントからの応答なし", "Agent silent"},
       {"2-1", "心得6"},
       {"PCの電源が入っているか、mamori エージェントのサービス (Windows: mamori-agent、Linux: "
        "systemctl status mamori-agent) が動いているか、ネットワークにつながっているか確認して"
        "ください。廃棄・移設した端末は収集サーバから削除してください。",
        "Check that the PC is on, that the mamori agent service runs (Windows: mamori-agent; "
        "Linux: systemctl status mamori-agent) and that it is on the network. Remove retired or "
        "moved PCs from the collector."},
       EvaluateAgentContact},
  };
  return kCatalogue;
}

}  // namespace mamori::rules
