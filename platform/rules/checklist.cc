// THE checklist table: the MHLW checklist items (医療機関確認用) and the evidence that answers
// each. Our own condensed wording; the keys are those of ../shared/reference/mhlw.md.
#include "platform/rules/checklist.h"

#include <array>
#include <utility>

namespace mamori::rules {

const std::vector<ChecklistItemDefinition>& Checklist() {
  static const std::vector<ChecklistItemDefinition> kItems = {
      {"1-1",
       "1",
       {"医療情報システム安全管理責任者を設置している",
        "A security manager for the medical information systems is appointed"},
       ChecklistSource::kRegister,
       {"MAM-ORG-001"},
       false,
       false,
       {"安全管理責任者を決め、氏名と任命日を mamori の記録簿に登録してください。",
        "Appoint a security manager and record the name and date in mamori's register."}},
      {"2-1",
       "2",
       {"サーバ・端末PC・ネットワーク機器の台帳を管理している",
        "Servers, PCs and network devices are kept in an inventory"},
       ChecklistSource::kHosts,
       {"MAM-AGENT-001"},
       false,
       true,
       {"応答のない機器のエージェントを確認し、台帳に載らない機器 (ネットワーク機器を含む) "
        "は別途台帳に記載してください。",
        "Check the agents of silent machines; list devices mamori cannot see (network devices) "
        "in the inventory yourself."}},
      {"2-2",
       "2",
       {"リモートメンテナンスを利用している機器の有無を事業者に確認している",
        "Which devices vendors maintain remotely has been confirmed with them"},
       ChecklistSource::kHosts,
       {"MAM-REMOTE-001"},
       true,
       true,
       {"リモート接続が有効な機器の必要性を事業者と確認し、確認日を記録簿に登録してください。",
        "Confirm with the vendors which machines need remote access, and record the date."}},
      {"2-3",
       "2",
       {"事業者から MDS/SDS (医療情報セキュリティ開示書) を受け取っている",
        "The vendors' security disclosure forms (MDS/SDS) have been received"},
       ChecklistSource::kRegister,
       {"MAM-ORG-003"},
       false,
       false,
       {"各システムの事業者に MDS/SDS を依頼し、受領日を記録簿に登録してください。",
        "Ask each system's vendor for its MDS/SDS and record the date received."}},
      {"2-4",
       "2",
       {"利用者の職種・担当業務別に管理者権限を含むアクセス権限を設定している",
        "Access rights, including administrator rights, follow each user's job"},
       ChecklistSource::kHosts,
       {"MAM-ACCT-006"},
       false,
       true,
       {"管理者権限は必要な人だけに絞り、日常業務は一般ユーザで行ってください。",
        "Keep administrator rights to those who need them; do daily work as a standard user."}},
      {"2-5",
       "2",
       {"退職者や使用していないアカウント等、不要なアカウントを削除している",
        "Accounts of leavers and unused accounts are removed"},
       ChecklistSource::kHosts,
       {"MAM-ACCT-001"},
       false,
       true,
       {"長期間使われていないアカウントを確認して削除し、アカウントの棚卸しを記録してください。",
        "Review accounts unused for a long time, remove the unneeded ones and record the review."}},
      {"2-6",
       "2",
       {"アクセスログを管理している", "Access logs are kept and checked"},
       ChecklistSource::kManual,
       {},
       true,
       false,
       {"サーバのアクセスログの保存と確認の方法を事業者と決め、確認日を記録簿に登録してください。",
        "Agree with the vendor how server access logs are kept and checked, and record the date."}},
      {"2-7",
       "2",
       {"セキュリティパッチ (更新プログラム) を適用している",
        "Security patches (updates) are applied"},
       ChecklistSource::kHosts,
       {"MAM-PATCH-001", "MAM-PATCH-002", "MAM-PATCH-003", "MAM-PATCH-004"},
       false,
       true,
       {"未適用の更新を適用して再起動し、サポートが終了した OS は更新または入れ替えてください。",
        "Install pending updates and restart; upgrade or replace operating systems past their end "
        "of "
        "support."}},
      {"2-8",
       "2",
       {"バックグラウンドで動作している不要なソフトウェア及びサービスを停止している",
        "Unneeded background software and services are stopped"},
       ChecklistSource::kManual,
       {},
       true,
       false,
       {"台帳のソフトウェア一覧を事業者と確認し、不要なものを停止・削除して確認日を登録してくださ"
        "い。",
        "Go through the software list with the vendor, stop or remove what is not needed and "
        "record "
        "the date."}},
      {"2-9",
       "2",
       {"ネットワーク機器で接続元を制限している",
        "Network devices restrict where connections come from"},
       ChecklistSource::kManual,
       {},
       true,
       false,
       {"ルータ等の設定を事業者と確認し、確認日を記録簿に登録してください。",
        "Check the routers' settings with the vendor and record the date."}},
      {"2-10",
       "2",
       {"パスワードは英数字・記号混在の8文字以上とし定期的に変更している (13文字以上等なら定期変更"
        "不要)",
        "Passwords are 8+ mixed characters changed regularly (no regular change at 13+)"},
       ChecklistSource::kHosts,
       {"MAM-ACCT-002", "MAM-ACCT-004", "MAM-ACCT-005"},
       false,
       true,
       {"パスワードポリシーを13文字以上 (または8文字以上で60日以内に変更) とし、空のパスワードを"
        "なくしてください。",
        "Require 13+ characters (or 8+ changed within 60 days) and remove empty passwords."}},
      {"2-11",
       "2",
       {"パスワードの使い回しや初期設定のままの使用をしていない",
        "No reused or factory-default passwords"},
       ChecklistSource::kHosts,
       {"MAM-ACCT-003", "MAM-LOGON-001"},
       false,
       true,
       {"初期設定の組み込みアカウントを無効にし、自動ログオンを止めてください。",
        "Disable built-in default accounts and turn off automatic logon."}},
      {"2-12",
       "2",
       {"USBストレージ等の外部記録媒体の接続を制限している",
        "USB storage and other external media are restricted"},
       ChecklistSource::kHosts,
       {"MAM-USB-001"},
       false,
       true,
       {"USB ストレージの使用をグループポリシー等で禁止してください。",
        "Block USB storage, e.g. by group policy."}},
      {"2-13",
       "2",
       {"二要素認証を導入している (令和9年度までに)",
        "Two-factor authentication is in place (by FY2027)"},
       ChecklistSource::kManual,
       {},
       true,
       false,
       {"令和9年度までの導入計画を事業者と立て、導入したら確認日を登録してください。",
        "Plan two-factor authentication with the vendor for FY2027 and record it when in place."}},
      {"3-1",
       "3",
       {"インシデント発生時の連絡体制図 (院内・事業者・厚生労働省・警察) がある",
        "An incident contact chart exists (staff, vendors, MHLW, police)"},
       ChecklistSource::kRegister,
       {"MAM-ORG-002"},
       false,
       false,
       {"連絡体制図を作成または見直し、作成日を記録簿に登録してください。",
        "Make or revise the contact chart and record its date."}},
      {"3-2",
       "3",
       {"バックアップを実施し、復旧手順を確認している",
        "Backups are taken and restoring them has been tested"},
       ChecklistSource::kRegister,
       {"MAM-ORG-004", "MAM-ORG-005"},
       false,
       false,
       {"ネットワークから切り離したバックアップを含めて点検し、復元テストを行って記録してくださ"
        "い。",
        "Check the backups, including one kept offline, test a restore and record both."}},
      {"3-3",
       "3",
       {"サイバー攻撃を想定した BCP を策定し、訓練している",
        "A business continuity plan for cyber attacks exists and is rehearsed"},
       ChecklistSource::kRegister,
       {"MAM-ORG-006", "MAM-ORG-007"},
       false,
       false,
       {"BCP を作成し、年1回以上訓練を行って記録簿に登録してください。",
        "Write the BCP, hold a drill at least once a year and record it."}},
  };
  return kItems;
}

const ChecklistItemDefinition* FindChecklistItem(std::string_view key) {
  for (const ChecklistItemDefinition& item : Checklist()) {
    if (item.key == key) {
      return &item;
    }
  }
  return nullptr;
}

LocalizedText ChecklistSectionName(std::string_view section) {
  static constexpr std::array<std::pair<std::string_view, LocalizedText>, 3> kSections = {{
      {"1", {"体制構築", "Organisation"}},
      {"2", {"医療情報システムの管理・運用", "Managing the medical information systems"}},
      {"3", {"インシデント発生に備えた対応", "Preparing for incidents"}},
  }};
  for (const auto& [key, name] : kSections) {
    if (key == section) {
      return name;
    }
  }
  return {section, section};
}

}  // namespace mamori::rules
