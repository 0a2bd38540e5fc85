// Our own condensed wording of the MHLW items the rules refer to (not the official text).
#include "platform/rules/mhlw.h"

#include <array>

namespace mamori::rules {
namespace {

constexpr std::array kMhlwReferences = {
    MhlwReference{"1-1",
                  {"医療情報システム安全管理責任者の設置",
                   "Appoint a security manager for the medical information systems"}},
    MhlwReference{"2-1",
                  {"サーバ・端末PC・ネットワーク機器の台帳管理",
                   "Keep an inventory of servers, PCs and network devices"}},
    MhlwReference{"2-2",
                  {"リモートメンテナンスを利用している機器の把握",
                   "Know which devices vendors maintain remotely"}},
    MhlwReference{"2-3",
                  {"事業者からの MDS/SDS (医療情報セキュリティ開示書) の受領",
                   "Receive the vendors' security disclosure forms (MDS/SDS)"}},
    MhlwReference{"2-4",
                  {"職種・業務に応じたアクセス権限(管理者権限)の設定",
                   "Access rights (administrator rights) by role"}},
    MhlwReference{"2-5",
                  {"退職者や使用していない不要なアカウントの削除",
                   "Remove accounts of leavers and unused accounts"}},
    MhlwReference{
        "2-7", {"セキュリティパッチ(更新プログラム)の適用", "Apply security patches and updates"}},
    MhlwReference{"2-10",
                  {"パスワードの長さ・文字種と定期変更(13文字以上なら定期変更不要)",
                   "Password length, character mix and periodic change (not needed at 13+)"}},
    MhlwReference{"2-11",
                  {"パスワードの使い回し・初期設定のままの使用の禁止",
                   "No reused or factory-default passwords"}},
    MhlwReference{"2-12",
                  {"USBストレージ等の外部記録媒体の接続制限",
                   "Restrict USB storage and other external media"}},
    MhlwReference{"3-1",
                  {"インシデント発生時の連絡体制図 (院内・事業者・厚生労働省・警察)",
                   "Incident contact chart (staff, vendors, MHLW, police)"}},
    MhlwReference{
        "3-2",
        {"バックアップの実施と復旧手順の確認", "Take backups and check that they can be restored"}},
    MhlwReference{"3-3",
                  {"サイバー攻撃を想定した BCP の策定と訓練",
                   "A business continuity plan for cyber attacks, rehearsed"}},
    MhlwReference{"心得1",
                  {"アカウント整理と使用状況の棚卸し", "Review accounts and how they are used"}},
    MhlwReference{"心得2", {"連絡先の整備", "Keep the contact list ready"}},
    MhlwReference{"心得3",
                  {"バックアップの実施状況の点検 (ネットワークから切り離した保管)",
                   "Check that backups run as planned, with a copy kept offline"}},
    MhlwReference{"心得4", {"通信制御の確認", "Check network access controls"}},
    MhlwReference{"心得6",
                  {"各種システムの更新とセキュリティソフトの常時稼働",
                   "Keep systems updated and security software running"}},
    MhlwReference{"心得7",
                  {"機器やデータの持ち出しルール", "Rules for taking devices and data out"}},
    MhlwReference{"心得8",
                  {"利用機器の対策(マルウェア対策の常時稼働、使わない機器の電源OFF)",
                   "Device care (anti-malware always on, power off unused machines)"}},
    MhlwReference{"心得9",
                  {"メールを開く前に更新と定義ファイルを最新に",
                   "Patches and definitions current before reading mail"}},
};

}  // namespace

std::optional<MhlwReference> FindMhlwReference(std::string_view key) {
  for (const MhlwReference& reference : kMhlwReferences) {
    if (reference.key == key) {
      return reference;
    }
  }
  return std::nullopt;
}

}  // namespace mamori::rules
