// Rules on logon, screen lock, firewall, disk encryption and remote login (2-2, 2-11; 心得4, 7, 8).
#include <chrono>

#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

std::string YesNo(std::optional<bool> value, std::string_view yes, std::string_view no) {
  if (!value) {
    return "不明";
  }
  return std::string(*value ? yes : no);
}

}  // namespace

RuleOutcome EvaluateAutomaticLogon(const RuleContext& context) {
  const facts::LogonSecurity& logon = context.facts.logon;
  if (auto unknown = UnknownUnlessCollected(logon.meta, "ログオン設定")) {
    return *unknown;
  }
  if (!logon.auto_logon_enabled) {
    return {Status::kUnknown, "自動ログオンの設定を確認できません"};
  }
  // Windows stores the automatic logon's password in clear text in the registry; it stays readable
  // to every administrator even after automatic logon is turned off.
  const bool password_stored = logon.auto_logon_password_stored == true;
  constexpr std::string_view kStoredPassword =
      "パスワードが平文で保存されています (Winlogon DefaultPassword)";
  std::vector<std::string> subjects;
  if (!logon.auto_logon_user.empty()) {
    subjects.push_back(logon.auto_logon_user);
  }
  if (*logon.auto_logon_enabled) {
    std::string evidence = "自動ログオンが有効です";
    if (!logon.auto_logon_user.empty()) {
      evidence += " (ユーザー: " + logon.auto_logon_user + ")";
    }
    if (password_stored) {
      evidence += "、" + std::string(kStoredPassword);
    }
    return {Status::kFail, evidence, std::move(subjects)};
  }
  if (password_stored) {
    return {Status::kWarn, "自動ログオンは無効ですが、" + std::string(kStoredPassword),
            std::move(subjects)};
  }
  return {Status::kPass, "自動ログオンは無効"};
}

RuleOutcome EvaluateScreenLock(const RuleContext& context) {
  if (IsServer(context)) {
    return NotApplicableOnServer(context);
  }
  const facts::LogonSecurity& logon = context.facts.logon;
  if (auto unknown = UnknownUnlessCollected(logon.meta, "ログオン設定")) {
    return *unknown;
  }
  const std::chrono::seconds limit = std::chrono::minutes{context.policy.screen_lock_max_minutes};
  const std::optional<std::chrono::seconds> timeout = logon.screen_lock_timeout;
  // A timeout of 0 means the lock never starts by itself.
  if (logon.screen_lock_enabled == false || (timeout && timeout->count() == 0)) {
    return {Status::kWarn, "無操作時の画面ロックが無効です"};
  }
  if (!timeout) {
    return {Status::kUnknown, "画面ロックまでの時間を確認できません (ロック設定: " +
                                  YesNo(logon.screen_lock_enabled, "有効", "無効") + ")"};
  }
  const std::string seen =
      "無操作 " +
      std::to_string(std::chrono::duration_cast<std::chrono::minutes>(*timeout).count()) +
      "分で画面ロック";
  if (*timeout > limit) {
    return {Status::kWarn, seen + " (" + std::to_string(context.policy.screen_lock_max_minutes) +
                               "分を超えています)"};
  }
  return {Status::kPass, seen};
}

RuleOutcome EvaluateFirewall(const RuleContext& context) {
  const facts::Firewall& firewall = context.facts.firewall;
  if (auto unknown = UnknownUnlessCollected(firewall.meta, "ファイアウォール")) {
    return *unknown;
  }
  std::vector<std::string> on;
  std::vector<std::string> off;
  for (const facts::FirewallProfile& profile : firewall.profiles) {
    if (profile.enabled == true) {
      on.push_back(profile.name);
    } else if (profile.enabled == false) {
      off.push_back(profile.name);
    }
  }
  const std::string product = firewall.product.empty() ? "" : firewall.product + ": ";
  std::optional<bool> enabled = firewall.enabled;
  if (!enabled && (!on.empty() || !off.empty())) {
    // Windows profiles must all be on (a laptop moves between them); on Linux any one of ufw,
    // nftables or firewalld filtering is enough.
    const bool windows = context.facts.inventory.os_family == facts::OsFamily::kWindows;
    enabled = windows ? off.empty() : !on.empty();
  }
  if (!enabled) {
    return {Status::kUnknown, "ファイアウォールの状態を確認できません"};
  }
  if (!*enabled ||
      (context.facts.inventory.os_family == facts::OsFamily::kWindows && !off.empty())) {
    return {Status::kFail, product + "ファイアウォールが無効" +
                               (off.empty() ? std::string() : " (" + JoinForEvidence(off) + ")")};
  }
  return {Status::kPass, product + "ファイアウォールが有効" +
                             (on.empty() ? std::string() : " (" + JoinForEvidence(on) + ")")};
}

RuleOutcome EvaluateDiskEncryption(const RuleContext& context) {
  const facts::DiskEncryption& encryption = context.facts.disk_encryption;
  if (auto unknown = UnknownUnlessCollected(encryption.meta, "ディスク暗号化")) {
    return *unknown;
  }
  if (!encryption.system_volume_encrypted) {
    return {Status::kUnknown, "システムディスクの暗号化状態を確認できません"};
  }
  if (*encryption.system_volume_encrypted) {
    return {Status::kPass,
            "システムディスクは暗号化済み" +
                (encryption.method.empty() ? std::string() : " (" + encryption.method + ")")};
  }
  // The method says why, when the probe knows: BitLocker suspended or still encrypting.
  return {Status::kWarn,
          "システムディスクが暗号化されていません" +
              (encryption.method.empty() ? std::string() : " (" + encryption.method + ")")};
}

RuleOutcome EvaluateRemoteLogin(const RuleContext& context) {
  const facts::RemoteAccess& remote = context.facts.remote_access;
  if (auto unknown = UnknownUnlessCollected(remote.meta, "リモート接続")) {
    return *unknown;
  }
  std::vector<std::string> exposed;
  // sshd settings matter only while sshd runs; when that is unknown, the settings still count.
  if (remote.ssh_enabled != false) {
    if (remote.ssh_root_login == true) {
      exposed.push_back("SSH で root のログインを許可");
    }
    if (remote.ssh_password_authentication == true) {
      exposed.push_back("SSH でパスワード認証を許可");
    }
  }
  if (remote.rdp_enabled == true) {
    exposed.push_back(std::string("リモートデスクトップが有効 (NLA ") +
                      YesNo(remote.rdp_nla_required, "必須", "不要") + ")");
  }
  // Without Network Level Authentication anyone who reaches port 3389 gets a logon screen (and the
  // pre-authentication attack surface BlueKeep used): a failure, not a matter of scope.
  if (remote.rdp_enabled == true && remote.rdp_nla_required == false) {
    return {Status::kFail, JoinForEvidence(exposed)};
  }
  if (!exposed.empty()) {
    return {Status::kWarn, JoinForEvidence(exposed)};
  }
  const bool ssh_known =
      remote.ssh_enabled == false ||
      (remote.ssh_root_login.has_value() && remote.ssh_password_authentication.has_value());
  const bool rdp_known = remote.rdp_enabled.has_value();
  const bool windows = context.facts.inventory.os_family == facts::OsFamily::kWindows;
  if (!(windows ? rdp_known : ssh_known)) {
    return {Status::kUnknown, "リモートログインの設定を確認できません (SSH: " +
                                  YesNo(remote.ssh_enabled, "稼働", "停止") +
                                  ", RDP: " + YesNo(remote.rdp_enabled, "有効", "無効") + ")"};
  }
  std::string ssh = "不明";
  if (remote.ssh_enabled == false) {
    ssh = "停止";
  } else if (ssh_known) {
    ssh = "パスワード認証・root ログインとも不可";
  }
  return {Status::kPass, "SSH: " + ssh + ", RDP: " + YesNo(remote.rdp_enabled, "有効", "無効")};
}

}  // namespace mamori::rules
