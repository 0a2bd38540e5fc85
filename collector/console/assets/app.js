// mamori console: the single page the collector serves (docs/console.md). Plain JavaScript, no
// framework and no build step. Every text that comes from the collector (host names, account names,
// evidence, notes) is untrusted: it enters the page only through textContent, createElement and
// setAttribute on attributes that cannot run anything (el() below enforces the list). The page
// talks to /api/login, /api/session, /api/logout and /api/v1/<Method> of CollectorAdmin.

// ---------------------------------------------------------------------------------------------
// Text: one table, Japanese first. {0}, {1} are replaced by arguments.
const TEXT = {
  ja: {
    'app.title': 'mamori コンソール',
    'skip': '本文へ移動',
    'nav.label': 'メニュー',
    'nav.dashboard': 'ダッシュボード',
    'nav.hosts': '端末一覧',
    'nav.accounts': 'アカウント棚卸し',
    'nav.power': '電源・放置端末',
    'nav.usb': 'USB',
    'nav.ledger': '台帳',
    'nav.evidence': '証跡（院内の記録）',
    'nav.reports': 'レポート',
    'nav.tokens': '登録トークン',
    'nav.audit': '監査ログ',
    'lang.switch': 'English',
    'lang.switch.label': 'Switch to English',
    'logout': 'ログアウト',
    'role.admin': '管理者',
    'role.vendor': '保守ベンダー（閲覧のみ）',
    'who': '{0}（{1}）',
    'demo.banner': 'デモ: この画面のデータは練習用の架空のクリニックです。実際の医療機関のデータではありません。',
    'loading': '読み込み中…',
    'none': '—',
    'yes': 'はい',
    'no': 'いいえ',
    'unknownValue': '不明',
    'save': '保存',
    'cancel': '取り消し',
    'back.hosts': '← 端末一覧へ戻る',
    'count.pcs': '{0}台',
    'count.items': '{0}件',
    'admin.only': 'この画面は管理者だけが使えます。',
    'readonly.note': '閲覧のみの権限です。変更は院内の管理者が行います。',

    'login.title': 'ログイン',
    'login.lead': 'クリニックのPCの安全対策の状態を確認します。',
    'login.name': '名前',
    'login.password': 'パスワード',
    'login.submit': 'ログイン',
    'login.failed': '名前またはパスワードが違います。',
    'login.locked': 'ログインの失敗が続いたため、しばらくログインできません。{0}秒後にもう一度お試しください。',
    'login.expired': 'セッションの有効期限が切れました。もう一度ログインしてください。',
    'login.idle': '{0}分間操作がなかったため、画面をロックしました。もう一度ログインしてください。',
    'login.loggedOut': 'ログアウトしました。',

    'error.generic': 'エラーが起きました: {0}',
    'error.network': 'サーバー（mamori-collector）に接続できません。サーバーPCが動いているか確認してください。',
    'error.forbidden': 'この操作をする権限がありません。',
    'error.busy': 'サーバーが混み合っています。少し待ってからもう一度お試しください。',

    'light.ok': '適合',
    'light.bad': '要対応',
    'light.unknown': '不明',
    'status.FINDING_STATUS_PASS': '適合',
    'status.FINDING_STATUS_WARN': '注意',
    'status.FINDING_STATUS_FAIL': '要対応',
    'status.FINDING_STATUS_UNKNOWN': '不明',
    'status.FINDING_STATUS_NA': '対象外',
    'status.FINDING_STATUS_UNSPECIFIED': '記録開始',
    'contact.CONTACT_STATE_ONLINE': '連絡あり',
    'contact.CONTACT_STATE_OFF_EXPECTED': '電源オフ（時間外）',
    'contact.CONTACT_STATE_STALE': '連絡が途絶えています',
    'contact.CONTACT_STATE_NEVER_REPORTED': 'まだ報告なし',
    'contact.CONTACT_STATE_UNSPECIFIED': '不明',
    'role.workstation': '端末PC',
    'role.server': 'サーバー',

    'dash.title': 'ダッシュボード',
    'dash.lead': 'クリニックのPC {0}台の安全対策の状態です。',
    'dash.updated': '集計: {0}',
    'dash.tile.ok': '対策ができているPC',
    'dash.tile.bad': 'すぐ対応が必要なPC',
    'dash.tile.unknown': '状態を確認できないPC',
    'dash.tile.link': '端末一覧で見る',
    'dash.actions': 'まず対応すること（急ぐ順）',
    'dash.actions.none': 'いま急いで対応することはありません。',
    'dash.action.hosts': '{0}台のPC',
    'dash.action.first': 'まずすること:',
    'dash.action.org': '院内の記録',
    'dash.areas': '分野ごとの未解決の項目',
    'dash.areas.note': '数字は、まだ解決していない項目の数です（PCごと・項目ごとに数えます）。',
    'dash.trend': '過去90日間の適合率',
    'dash.trend.note': '連絡のあったPCのうち、対策ができていたPCの割合（1日ごと）。',
    'dash.trend.label': '過去90日間の適合率のグラフ。{0}: {1}、{2}: {3}。',
    'dash.trend.empty': 'まだ記録がありません。',
    'dash.trend.since': '記録は {0} から始まりました。日がたつと線になります。',
    'area.patch': '更新プログラム',
    'area.antivirus': 'ウイルス対策',
    'area.usb': 'USBメモリ',
    'area.idle': '放置・電源',
    'area.accounts': 'アカウント',
    'area.org': '院内の記録',
    'area.other': 'その他',

    'hosts.title': '端末一覧',
    'hosts.lead': 'mamori が見守っているPCとサーバーです。「要対応」のPCから順に並んでいます。',
    'hosts.col.light': '状態',
    'hosts.col.name': 'PC名',
    'hosts.col.role': '種類',
    'hosts.col.os': 'OS',
    'hosts.col.lastSeen': '最後の連絡',
    'hosts.col.contact': '連絡',
    'hosts.col.failing': '要対応',
    'hosts.col.warning': '注意',
    'hosts.empty': 'まだPCが登録されていません。「登録トークン」でトークンを作り、PCにエージェントを入れてください。',

    'host.facts': 'このPCについて',
    'host.open': '対応が必要な項目',
    'host.open.none': '対応が必要な項目はありません。',
    'host.passing': '問題のない項目（{0}件）',
    'host.history': 'これまでの変化',
    'host.history.none': 'まだ変化の記録はありません。',
    'host.history.firstPasses': '{1} の最初の確認で問題のなかった {0} 項目は省いています。',
    'host.since': '{0} から（{1}日間）',
    'host.sinceToday': '{0} から（今日）',
    'host.remedy': '対処:',
    'host.evidence': '根拠:',
    'host.rule': '項目番号 {0}',
    'host.mhlw': 'ガイドライン {0}',
    'host.change': '{0} → {1}',
    'host.notFound': 'このPCは見つかりません。',
    'host.notCollected': 'このPCからはまだ情報が届いていません。',
    'fact.role': '種類',
    'fact.os': 'OS',
    'fact.eos': 'サポート終了日',
    'fact.model': 'メーカー・機種',
    'fact.serial': '製造番号',
    'fact.addresses': 'IPアドレス',
    'fact.macs': 'MACアドレス',
    'fact.cpu': 'CPU',
    'fact.memory': 'メモリ',
    'fact.agent': 'エージェント版',
    'fact.firstSeen': '最初の登録',
    'fact.lastSeen': '最後の連絡',
    'fact.contact': '連絡の状態',
    'fact.location': '設置場所',
    'fact.purpose': '用途',
    'fact.person': '管理責任者',
    'fact.collectedAt': '情報の収集日時',
    'col.status': '状態',
    'col.item': '項目',
    'col.since': 'いつから',
    'col.detail': '内容と対処',

    'accounts.title': 'アカウント棚卸し',
    'accounts.lead': '各PCのアカウントが今も必要か、定期的に確認します。「要確認」のものから順に並んでいます。',
    'accounts.summary': '要確認 {0}件 ／ 全{1}件',
    'accounts.col.due': '確認',
    'accounts.col.host': 'PC',
    'accounts.col.name': 'アカウント',
    'accounts.col.kind': '種類',
    'accounts.col.lastLogon': '最後のログオン',
    'accounts.col.password': 'パスワード',
    'accounts.col.review': '前回の確認',
    'accounts.col.actions': '確認の記録',
    'accounts.due': '要確認',
    'accounts.done': '確認済み',
    'accounts.kind.admin': '管理者',
    'accounts.kind.user': '一般',
    'accounts.kind.disabled': '無効',
    'accounts.kind.removed': '削除済み',
    'accounts.passwordAge': '{0}日前に変更',
    'accounts.review.KEEP': '必要（残す）',
    'accounts.review.REMOVE': '削除する',
    'accounts.review.INVESTIGATE': '調べる',
    'accounts.review.by': '{0}: {1}（{2}）',
    'accounts.review.aria': '{2} の {1} を「{0}」と記録',
    'accounts.note': 'メモ（任意）',
    'accounts.note.aria': '{1} の {0} についてのメモ',
    'accounts.recorded': '{1} の {0} を「{2}」と記録しました。',
    'accounts.empty': 'アカウントの情報はまだありません。',
    'decision.REVIEW_DECISION_KEEP': '必要',
    'decision.REVIEW_DECISION_REMOVE': '削除予定',
    'decision.REVIEW_DECISION_INVESTIGATE': '調査中',
    'decision.REVIEW_DECISION_UNSPECIFIED': '—',

    'power.title': '電源・放置端末',
    'power.lead': '診療時間外に、電源が入ったまま長い間操作されていなかったPC（放置）です。色が濃いほど長く放置されていました。',
    'power.calendar': '過去5週間のカレンダー',
    'power.legend.0': 'なし',
    'power.legend.1': '2時間未満',
    'power.legend.2': '2〜6時間',
    'power.legend.3': '6〜12時間',
    'power.legend.4': '12時間以上',
    'power.cell': '{0}: 最長 {1} 放置',
    'power.cellNone': '{0}: 放置なし',
    'power.count': 'この5週間の放置: {0}回',
    'power.episodes': '放置の記録（新しい順）',
    'power.col.host': 'PC',
    'power.col.from': '始まり',
    'power.col.to': '最後に確認',
    'power.col.max': '最長の放置',
    'power.col.locked': '画面ロック',
    'power.open': '続いています',
    'power.none': 'この期間に放置されたPCはありません。',
    'power.servers': 'サーバーは夜間も動かすため、ここには出しません。',
    'weekday.0': '月', 'weekday.1': '火', 'weekday.2': '水', 'weekday.3': '木', 'weekday.4': '金', 'weekday.5': '土', 'weekday.6': '日',
    'duration.hm': '{0}時間{1}分',
    'duration.m': '{0}分',

    'usb.title': 'USB',
    'usb.lead': 'USBメモリなどの外部記憶装置の制限と、接続された装置です。遮断されていれば、情報を持ち出されにくくなります。',
    'usb.col.host': 'PC',
    'usb.col.verdict': '判定',
    'usb.col.mode': '設定',
    'usb.col.how': '方法',
    'usb.col.devices': '接続されたUSBストレージ',
    'usb.mode.USB_STORAGE_MODE_BLOCKED': '遮断',
    'usb.mode.USB_STORAGE_MODE_READ_ONLY': '読み取りのみ',
    'usb.mode.USB_STORAGE_MODE_ALLOWED': '許可（制限なし）',
    'usb.mode.USB_STORAGE_MODE_UNSPECIFIED': '不明',
    'usb.present': '接続中',
    'usb.past': '以前に接続',
    'usb.noDevices': 'なし',

    'ledger.title': '台帳',
    'ledger.lead': 'サーバーとPCの一覧（台帳）です。設置場所・用途・管理責任者は院内で記入します。',
    'ledger.col.name': 'PC名',
    'ledger.col.role': '種類',
    'ledger.col.location': '設置場所',
    'ledger.col.purpose': '用途',
    'ledger.col.person': '管理責任者',
    'ledger.col.os': 'OS',
    'ledger.col.eos': 'サポート終了',
    'ledger.col.model': '機種・製造番号',
    'ledger.col.address': 'IPアドレス',
    'ledger.col.lastSeen': '最後の連絡',
    'ledger.col.edit': '記入',
    'ledger.edit': '記入する',
    'ledger.edit.aria': '{0} の設置場所などを記入',
    'ledger.saved': '{0} の台帳を保存しました。',

    'evidence.title': '証跡（院内の記録）',
    'evidence.lead': 'PCからは分からない、院内の取り組みの記録です。チェックリストと報告書に使われます。記録は消えません。直すときは新しく記録します。',
    'evidence.verdicts': '院内の記録の判定',
    'evidence.records': '現在の記録',
    'evidence.records.none': 'まだ記録がありません。',
    'evidence.add': '記録を追加する',
    'evidence.col.kind': '種類',
    'evidence.col.item': '対象',
    'evidence.col.date': '日付',
    'evidence.col.content': '内容',
    'evidence.col.notes': 'メモ',
    'evidence.col.by': '記録した人',
    'evidence.kind': '記録の種類',
    'evidence.kind.choose': '選んでください',
    'evidence.date': '日付',
    'evidence.name': '名前',
    'evidence.item': '対象（システム名・業者名、またはチェックリスト番号）',
    'evidence.method': 'バックアップの方法',
    'evidence.offline': 'ネットワークから切り離した控えがある',
    'evidence.answer': '答え',
    'evidence.notes': 'メモ（任意）',
    'evidence.submit': '記録する',
    'evidence.recorded': '「{0}」を記録しました。',
    'evidence.offline.yes': '切り離した控えあり',
    'evidence.offline.no': '切り離した控えなし',
    'org.ORG_RECORD_KIND_CLINIC': '医療機関名',
    'org.ORG_RECORD_KIND_SECURITY_MANAGER': '安全管理責任者の任命',
    'org.ORG_RECORD_KIND_CONTACT_CHART': '連絡体制図の作成・見直し',
    'org.ORG_RECORD_KIND_MDS_SDS': 'MDS/SDS の受領',
    'org.ORG_RECORD_KIND_BACKUP': 'バックアップの点検',
    'org.ORG_RECORD_KIND_RESTORE_TEST': '復元テスト',
    'org.ORG_RECORD_KIND_BCP': 'BCP（事業継続計画）の策定・見直し',
    'org.ORG_RECORD_KIND_DRILL': 'BCP の訓練（サイバー攻撃を想定）',
    'org.ORG_RECORD_KIND_CONFIRMATION': 'チェックリスト項目の確認',
    'org.ORG_RECORD_KIND_TARGET': '対応の目標日',

    'reports.title': 'レポート',
    'reports.lead': '報告書を作って、このPCに保存します。HTML はブラウザでそのまま印刷できます。CSV は Excel で開けます。',
    'reports.lang': '報告書の言語',
    'reports.lang.ja': '日本語',
    'reports.lang.en': '英語',
    'reports.col.kind': '報告書',
    'reports.col.what': '内容',
    'reports.col.get': 'ダウンロード',
    'reports.get.aria': '{0}（{1}）をダウンロード',
    'reports.working': '{0} を作成しています…',
    'reports.saved': '{0} を保存しました（{1} バイト）。',
    'report.REPORT_KIND_VISIT': '保守点検報告書',
    'report.REPORT_KIND_CHECKLIST': 'チェックリスト（医療機関確認用）',
    'report.REPORT_KIND_LEDGER': '台帳',
    'report.REPORT_KIND_ACCOUNTS': 'アカウント棚卸し表',
    'report.REPORT_KIND_FINDINGS': '対応が必要な項目の一覧',
    'report.what.REPORT_KIND_VISIT': '保守点検の訪問時に使う、すべてをまとめた報告書',
    'report.what.REPORT_KIND_CHECKLIST': '厚生労働省のチェックリストに、記録とPCの状態から答えたもの（立入検査用）',
    'report.what.REPORT_KIND_LEDGER': 'サーバー・PCとソフトウェアの一覧',
    'report.what.REPORT_KIND_ACCOUNTS': '全PCのアカウントと確認の記録',
    'report.what.REPORT_KIND_FINDINGS': '不合格・注意・不明の項目と、前回からの変化',

    'tokens.title': '登録トークン',
    'tokens.lead': '新しいPCに mamori のエージェントを入れるときに使う、一時的な合言葉です。作った直後に一度だけ表示されます。',
    'tokens.create': 'トークンを作る',
    'tokens.label': '名前（何に使うか）',
    'tokens.label.hint': '例: 受付PC 入れ替え',
    'tokens.hours': '有効な時間（時間）',
    'tokens.uses': '使える回数（PCの台数）',
    'tokens.submit': '作る',
    'tokens.once': 'このトークンは今だけ表示されます。エージェントを入れる人に伝えたら、この画面を閉じてください。',
    'tokens.expires': '有効期限: {0} ／ 使える回数: {1}',
    'tokens.fingerprint': 'エージェントを入れるときは、このトークンのほかに、サーバーPCで「mamori-collector ca show」が表示する指紋（SHA256:…）も使います。',
    'tokens.copy': 'コピー',
    'tokens.copied': 'コピーしました。',
    'tokens.list': 'トークンの一覧',
    'tokens.col.label': '名前',
    'tokens.col.created': '作成',
    'tokens.col.expires': '有効期限',
    'tokens.col.uses': '残り回数',
    'tokens.col.state': '状態',
    'tokens.col.revoke': '取り消し',
    'tokens.state.active': '使用可',
    'tokens.state.expired': '期限切れ',
    'tokens.state.revoked': '取り消し済み',
    'tokens.state.used': '使用済み',
    'tokens.revoke': '取り消す',
    'tokens.revoke.aria': 'トークン「{0}」を取り消す',
    'tokens.revoked': 'トークン「{0}」を取り消しました。',
    'tokens.none': 'トークンはありません。',

    'audit.title': '監査ログ',
    'audit.lead': '誰が、いつ、何をしたかの記録です（新しい順、最大1000件）。',
    'audit.col.at': '日時',
    'audit.col.actor': '人',
    'audit.col.role': '役割',
    'audit.col.action': '操作',
    'audit.col.target': '対象',
    'audit.col.detail': '詳細',
    'audit.col.outcome': '結果',
    'audit.outcome.ok': '成功',
    'audit.outcome.refused': '拒否',
    'audit.outcome.failed': '失敗',
    'audit.none': '記録はありません。',
  },
  en: {
    'app.title': 'mamori console',
    'skip': 'Skip to content',
    'nav.label': 'Menu',
    'nav.dashboard': 'Dashboard',
    'nav.hosts': 'PCs',
    'nav.accounts': 'Account review',
    'nav.power': 'Power and idle PCs',
    'nav.usb': 'USB',
    'nav.ledger': 'Ledger',
    'nav.evidence': 'Clinic records',
    'nav.reports': 'Reports',
    'nav.tokens': 'Enrollment tokens',
    'nav.audit': 'Audit log',
    'lang.switch': '日本語',
    'lang.switch.label': '日本語に切り替える',
    'logout': 'Log out',
    'role.admin': 'admin',
    'role.vendor': 'vendor (read only)',
    'who': '{0} ({1})',
    'demo.banner': 'DEMO: the data on this screen is a made-up practice clinic, not a real one.',
    'loading': 'Loading…',
    'none': '—',
    'yes': 'yes',
    'no': 'no',
    'unknownValue': 'unknown',
    'save': 'Save',
    'cancel': 'Cancel',
    'back.hosts': '← Back to PCs',
    'count.pcs': '{0} PCs',
    'count.items': '{0}',
    'admin.only': 'Only an admin can use this page.',
    'readonly.note': 'Read-only access. Changes are made by the clinic\'s admin.',

    'login.title': 'Log in',
    'login.lead': 'See how well the clinic\'s PCs are protected.',
    'login.name': 'Name',
    'login.password': 'Password',
    'login.submit': 'Log in',
    'login.failed': 'Wrong name or password.',
    'login.locked': 'Too many failed logins. Try again in {0} seconds.',
    'login.expired': 'Your session has expired. Please log in again.',
    'login.idle': 'The screen was locked after {0} minutes without use. Please log in again.',
    'login.loggedOut': 'You have logged out.',

    'error.generic': 'Something went wrong: {0}',
    'error.network': 'Cannot reach the server (mamori-collector). Check that the server PC is running.',
    'error.forbidden': 'You are not allowed to do this.',
    'error.busy': 'The server is busy. Please try again shortly.',

    'light.ok': 'OK',
    'light.bad': 'Action needed',
    'light.unknown': 'Unknown',
    'status.FINDING_STATUS_PASS': 'OK',
    'status.FINDING_STATUS_WARN': 'Warning',
    'status.FINDING_STATUS_FAIL': 'Action needed',
    'status.FINDING_STATUS_UNKNOWN': 'Unknown',
    'status.FINDING_STATUS_NA': 'Not applicable',
    'status.FINDING_STATUS_UNSPECIFIED': 'first check',
    'contact.CONTACT_STATE_ONLINE': 'reporting',
    'contact.CONTACT_STATE_OFF_EXPECTED': 'off (outside hours)',
    'contact.CONTACT_STATE_STALE': 'silent',
    'contact.CONTACT_STATE_NEVER_REPORTED': 'no report yet',
    'contact.CONTACT_STATE_UNSPECIFIED': 'unknown',
    'role.workstation': 'PC',
    'role.server': 'server',

    'dash.title': 'Dashboard',
    'dash.lead': 'How well the clinic\'s {0} PCs are protected.',
    'dash.updated': 'As of {0}',
    'dash.tile.ok': 'PCs that are protected',
    'dash.tile.bad': 'PCs that need action now',
    'dash.tile.unknown': 'PCs whose state cannot be told',
    'dash.tile.link': 'See the PCs',
    'dash.actions': 'What to do first (most urgent first)',
    'dash.actions.none': 'Nothing urgent right now.',
    'dash.action.hosts': '{0} PC(s)',
    'dash.action.first': 'First step:',
    'dash.action.org': 'clinic records',
    'dash.areas': 'Open items by area',
    'dash.areas.note': 'Counts of open items (each PC and each item counted).',
    'dash.trend': 'Compliance over the last 90 days',
    'dash.trend.note': 'Share of the PCs heard from that were protected, per day.',
    'dash.trend.label': 'Chart of compliance over 90 days. {0}: {1}, {2}: {3}.',
    'dash.trend.empty': 'No history yet.',
    'dash.trend.since': 'The record starts on {0}; the line grows day by day.',
    'area.patch': 'Updates',
    'area.antivirus': 'Antivirus',
    'area.usb': 'USB storage',
    'area.idle': 'Idle and power',
    'area.accounts': 'Accounts',
    'area.org': 'Clinic records',
    'area.other': 'Other',

    'hosts.title': 'PCs',
    'hosts.lead': 'The PCs and servers mamori watches, those needing action first.',
    'hosts.col.light': 'State',
    'hosts.col.name': 'Name',
    'hosts.col.role': 'Kind',
    'hosts.col.os': 'OS',
    'hosts.col.lastSeen': 'Last report',
    'hosts.col.contact': 'Contact',
    'hosts.col.failing': 'Action needed',
    'hosts.col.warning': 'Warnings',
    'hosts.empty': 'No PC is enrolled yet. Create a token under "Enrollment tokens" and install the agent.',

    'host.facts': 'About this PC',
    'host.open': 'Items needing action',
    'host.open.none': 'Nothing needs action.',
    'host.passing': 'Items that are fine ({0})',
    'host.history': 'What changed',
    'host.history.none': 'No changes recorded yet.',
    'host.history.firstPasses': '{0} items that were fine at the first check ({1}) are left out.',
    'host.since': 'since {0} ({1} days)',
    'host.sinceToday': 'since {0} (today)',
    'host.remedy': 'What to do:',
    'host.evidence': 'Evidence:',
    'host.rule': 'Rule {0}',
    'host.mhlw': 'Guideline {0}',
    'host.change': '{0} → {1}',
    'host.notFound': 'This PC was not found.',
    'host.notCollected': 'No facts from this PC yet.',
    'fact.role': 'Kind',
    'fact.os': 'OS',
    'fact.eos': 'End of support',
    'fact.model': 'Maker and model',
    'fact.serial': 'Serial number',
    'fact.addresses': 'IP addresses',
    'fact.macs': 'MAC addresses',
    'fact.cpu': 'CPU',
    'fact.memory': 'Memory',
    'fact.agent': 'Agent version',
    'fact.firstSeen': 'Enrolled',
    'fact.lastSeen': 'Last report',
    'fact.contact': 'Contact',
    'fact.location': 'Location',
    'fact.purpose': 'Purpose',
    'fact.person': 'Person in charge',
    'fact.collectedAt': 'Facts collected',
    'col.status': 'State',
    'col.item': 'Item',
    'col.since': 'Since',
    'col.detail': 'Details and what to do',

    'accounts.title': 'Account review',
    'accounts.lead': 'Check regularly that each account on each PC is still needed. Accounts due for review come first.',
    'accounts.summary': '{0} due / {1} in all',
    'accounts.col.due': 'Review',
    'accounts.col.host': 'PC',
    'accounts.col.name': 'Account',
    'accounts.col.kind': 'Kind',
    'accounts.col.lastLogon': 'Last logon',
    'accounts.col.password': 'Password',
    'accounts.col.review': 'Last review',
    'accounts.col.actions': 'Record a review',
    'accounts.due': 'Due',
    'accounts.done': 'Reviewed',
    'accounts.kind.admin': 'administrator',
    'accounts.kind.user': 'standard',
    'accounts.kind.disabled': 'disabled',
    'accounts.kind.removed': 'removed',
    'accounts.passwordAge': 'changed {0} days ago',
    'accounts.review.KEEP': 'Needed (keep)',
    'accounts.review.REMOVE': 'Remove',
    'accounts.review.INVESTIGATE': 'Investigate',
    'accounts.review.by': '{0}: {1} ({2})',
    'accounts.review.aria': 'Record "{0}" for {1} on {2}',
    'accounts.note': 'Note (optional)',
    'accounts.note.aria': 'Note on {0} on {1}',
    'accounts.recorded': 'Recorded {0} on {1} as "{2}".',
    'accounts.empty': 'No accounts known yet.',
    'decision.REVIEW_DECISION_KEEP': 'needed',
    'decision.REVIEW_DECISION_REMOVE': 'to remove',
    'decision.REVIEW_DECISION_INVESTIGATE': 'investigating',
    'decision.REVIEW_DECISION_UNSPECIFIED': '—',

    'power.title': 'Power and idle PCs',
    'power.lead': 'PCs left on without use outside clinic hours. Darker means left longer.',
    'power.calendar': 'Last 5 weeks',
    'power.legend.0': 'none',
    'power.legend.1': 'under 2 h',
    'power.legend.2': '2–6 h',
    'power.legend.3': '6–12 h',
    'power.legend.4': '12 h or more',
    'power.cell': '{0}: left idle up to {1}',
    'power.cellNone': '{0}: not left idle',
    'power.count': 'Left idle {0} times in 5 weeks',
    'power.episodes': 'Idle episodes (newest first)',
    'power.col.host': 'PC',
    'power.col.from': 'From',
    'power.col.to': 'Last seen',
    'power.col.max': 'Longest idle',
    'power.col.locked': 'Screen locked',
    'power.open': 'ongoing',
    'power.none': 'No PC was left idle in this period.',
    'power.servers': 'Servers run overnight and are not shown here.',
    'weekday.0': 'Mo', 'weekday.1': 'Tu', 'weekday.2': 'We', 'weekday.3': 'Th', 'weekday.4': 'Fr', 'weekday.5': 'Sa', 'weekday.6': 'Su',
    'duration.hm': '{0} h {1} min',
    'duration.m': '{0} min',

    'usb.title': 'USB',
    'usb.lead': 'How USB storage is restricted on each PC, and the devices seen. Blocked storage makes it harder to take data out.',
    'usb.col.host': 'PC',
    'usb.col.verdict': 'Verdict',
    'usb.col.mode': 'Setting',
    'usb.col.how': 'How',
    'usb.col.devices': 'USB storage seen',
    'usb.mode.USB_STORAGE_MODE_BLOCKED': 'blocked',
    'usb.mode.USB_STORAGE_MODE_READ_ONLY': 'read only',
    'usb.mode.USB_STORAGE_MODE_ALLOWED': 'allowed (no limit)',
    'usb.mode.USB_STORAGE_MODE_UNSPECIFIED': 'unknown',
    'usb.present': 'attached',
    'usb.past': 'seen before',
    'usb.noDevices': 'none',

    'ledger.title': 'Ledger',
    'ledger.lead': 'The list of servers and PCs. The clinic fills in location, purpose and person in charge.',
    'ledger.col.name': 'Name',
    'ledger.col.role': 'Kind',
    'ledger.col.location': 'Location',
    'ledger.col.purpose': 'Purpose',
    'ledger.col.person': 'Person in charge',
    'ledger.col.os': 'OS',
    'ledger.col.eos': 'End of support',
    'ledger.col.model': 'Model and serial',
    'ledger.col.address': 'IP addresses',
    'ledger.col.lastSeen': 'Last report',
    'ledger.col.edit': 'Fill in',
    'ledger.edit': 'Fill in',
    'ledger.edit.aria': 'Fill in location and more for {0}',
    'ledger.saved': 'Saved the ledger entry of {0}.',

    'evidence.title': 'Clinic records',
    'evidence.lead': 'What only people know, recorded for the checklist and the reports. Records are never deleted: record again to correct one.',
    'evidence.verdicts': 'Verdicts on the clinic records',
    'evidence.records': 'Current records',
    'evidence.records.none': 'Nothing recorded yet.',
    'evidence.add': 'Add a record',
    'evidence.col.kind': 'Kind',
    'evidence.col.item': 'For',
    'evidence.col.date': 'Date',
    'evidence.col.content': 'Content',
    'evidence.col.notes': 'Notes',
    'evidence.col.by': 'Recorded by',
    'evidence.kind': 'Kind of record',
    'evidence.kind.choose': 'Choose one',
    'evidence.date': 'Date',
    'evidence.name': 'Name',
    'evidence.item': 'For (system or vendor, or checklist item number)',
    'evidence.method': 'Backup method',
    'evidence.offline': 'A copy is kept disconnected from the network',
    'evidence.answer': 'Answer',
    'evidence.notes': 'Notes (optional)',
    'evidence.submit': 'Record',
    'evidence.recorded': 'Recorded "{0}".',
    'evidence.offline.yes': 'offline copy',
    'evidence.offline.no': 'no offline copy',
    'org.ORG_RECORD_KIND_CLINIC': 'Clinic name',
    'org.ORG_RECORD_KIND_SECURITY_MANAGER': 'Security manager appointed',
    'org.ORG_RECORD_KIND_CONTACT_CHART': 'Incident contact chart made or revised',
    'org.ORG_RECORD_KIND_MDS_SDS': 'MDS/SDS received',
    'org.ORG_RECORD_KIND_BACKUP': 'Backup checked',
    'org.ORG_RECORD_KIND_RESTORE_TEST': 'Restore tested',
    'org.ORG_RECORD_KIND_BCP': 'BCP written or revised',
    'org.ORG_RECORD_KIND_DRILL': 'BCP drill held (cyber attack)',
    'org.ORG_RECORD_KIND_CONFIRMATION': 'Checklist item confirmed',
    'org.ORG_RECORD_KIND_TARGET': 'Target date',

    'reports.title': 'Reports',
    'reports.lead': 'Make a report and save it on this PC. HTML prints from the browser; CSV opens in Excel.',
    'reports.lang': 'Report language',
    'reports.lang.ja': 'Japanese',
    'reports.lang.en': 'English',
    'reports.col.kind': 'Report',
    'reports.col.what': 'Contents',
    'reports.col.get': 'Download',
    'reports.get.aria': 'Download {0} ({1})',
    'reports.working': 'Making {0}…',
    'reports.saved': 'Saved {0} ({1} bytes).',
    'report.REPORT_KIND_VISIT': 'Maintenance visit report',
    'report.REPORT_KIND_CHECKLIST': 'Checklist (clinic form)',
    'report.REPORT_KIND_LEDGER': 'Ledger',
    'report.REPORT_KIND_ACCOUNTS': 'Account review',
    'report.REPORT_KIND_FINDINGS': 'Open findings',
    'report.what.REPORT_KIND_VISIT': 'Everything, for the vendor\'s maintenance visit',
    'report.what.REPORT_KIND_CHECKLIST': 'The MHLW checklist answered from records and the PCs (for inspections)',
    'report.what.REPORT_KIND_LEDGER': 'Servers, PCs and their software',
    'report.what.REPORT_KIND_ACCOUNTS': 'Every account on every PC with its reviews',
    'report.what.REPORT_KIND_FINDINGS': 'Failing, warning and unknown items, and what changed',

    'tokens.title': 'Enrollment tokens',
    'tokens.lead': 'A one-time pass for installing the mamori agent on a new PC. It is shown once, right after it is made.',
    'tokens.create': 'Make a token',
    'tokens.label': 'Name (what it is for)',
    'tokens.label.hint': 'e.g. new reception PC',
    'tokens.hours': 'Valid for (hours)',
    'tokens.uses': 'Uses (number of PCs)',
    'tokens.submit': 'Make',
    'tokens.once': 'This token is shown only now. Give it to the person installing the agent, then close this page.',
    'tokens.expires': 'Expires {0} / uses: {1}',
    'tokens.fingerprint': 'Installing the agent also takes the fingerprint (SHA256:...) that "mamori-collector ca show" prints on the server PC.',
    'tokens.copy': 'Copy',
    'tokens.copied': 'Copied.',
    'tokens.list': 'Tokens',
    'tokens.col.label': 'Name',
    'tokens.col.created': 'Made',
    'tokens.col.expires': 'Expires',
    'tokens.col.uses': 'Uses left',
    'tokens.col.state': 'State',
    'tokens.col.revoke': 'Revoke',
    'tokens.state.active': 'usable',
    'tokens.state.expired': 'expired',
    'tokens.state.revoked': 'revoked',
    'tokens.state.used': 'used up',
    'tokens.revoke': 'Revoke',
    'tokens.revoke.aria': 'Revoke the token "{0}"',
    'tokens.revoked': 'Revoked the token "{0}".',
    'tokens.none': 'No tokens.',

    'audit.title': 'Audit log',
    'audit.lead': 'Who did what, and when (newest first, up to 1000).',
    'audit.col.at': 'When',
    'audit.col.actor': 'Who',
    'audit.col.role': 'Role',
    'audit.col.action': 'Action',
    'audit.col.target': 'Target',
    'audit.col.detail': 'Details',
    'audit.col.outcome': 'Outcome',
    'audit.outcome.ok': 'ok',
    'audit.outcome.refused': 'refused',
    'audit.outcome.failed': 'failed',
    'audit.none': 'Nothing recorded.',
  },
};

const LANG_KEY = 'mamori.console.lang';
let lang = readStoredLang();

function readStoredLang() {
  try {
    return window.localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'ja';
  } catch {
    return 'ja';
  }
}

function t(key, ...args) {
  let text = TEXT[lang][key] ?? TEXT.ja[key] ?? key;
  args.forEach((arg, i) => {
    text = text.replaceAll(`{${i}}`, String(arg));
  });
  return text;
}

// ---------------------------------------------------------------------------------------------
// DOM: the only way data enters the page.
const SAFE_ATTRIBUTES = new Set([
  'class', 'id', 'type', 'name', 'value', 'for', 'role', 'tabindex', 'hidden', 'disabled',
  'required', 'min', 'max', 'maxlength', 'minlength', 'autocomplete', 'placeholder', 'lang',
  'scope', 'colspan', 'rowspan', 'datetime', 'title', 'checked', 'selected', 'rows', 'inputmode',
  'width', 'height', 'viewBox', 'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'd', 'points',
  'text-anchor', 'focusable', 'preserveAspectRatio', 'open', 'spellcheck', 'autofocus',
]);
const SVG_NS = 'http://www.w3.org/2000/svg';

function setAttributes(node, attrs) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name === 'href') {
      // Only in-page routes: data may appear in a route, never as a scheme.
      const href = String(value);
      if (!href.startsWith('#')) {
        throw new Error('refusing a link that is not a route');
      }
      node.setAttribute('href', href);
    } else if (name === 'on') {
      for (const [event, handler] of Object.entries(value)) {
        node.addEventListener(event, handler);
      }
    } else if (SAFE_ATTRIBUTES.has(name) || name.startsWith('aria-') || name.startsWith('data-')) {
      node.setAttribute(name, value === true ? '' : String(value));
    } else {
      throw new Error(`refusing attribute ${name}`);
    }
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attrs);
  return append(node, children);
}

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attrs);
  return append(node, children);
}

function clear(node) {
  while (node.firstChild) {
    node.firstChild.remove();
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// Formatting: times are shown in Asia/Tokyo, like the reports.
const TOKYO_TIME = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
  minute: '2-digit', hour12: false,
});
const TOKYO_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit', day: '2-digit',
});

function parseTime(ts) {
  if (!ts) {
    return null;
  }
  const date = new Date(ts);
  // An unset Timestamp may come as the epoch.
  if (Number.isNaN(date.getTime()) || date.getTime() <= 0) {
    return null;
  }
  return date;
}

function fmtTime(ts) {
  const date = parseTime(ts);
  return date ? TOKYO_TIME.format(date) : t('none');
}

function fmtDate(ts) {
  const date = parseTime(ts);
  return date ? TOKYO_DATE.format(date) : t('none');
}

function tokyoDay(date) {
  return TOKYO_DATE.format(date);  // YYYY-MM-DD
}

function todayInTokyo() {
  return tokyoDay(new Date());
}

function daysSince(ts) {
  const date = parseTime(ts);
  if (!date) {
    return null;
  }
  const from = Date.parse(`${tokyoDay(date)}T00:00:00Z`);
  const to = Date.parse(`${todayInTokyo()}T00:00:00Z`);
  return Math.max(0, Math.round((to - from) / 86400000));
}

// protobuf JSON Duration: "3600s", "1.5s".
function durationSeconds(text) {
  if (typeof text === 'number') {
    return text;
  }
  const match = /^(-?\d+(?:\.\d+)?)s$/.exec(String(text || ''));
  return match ? Number(match[1]) : 0;
}

function fmtDuration(seconds) {
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return t('duration.m', minutes);
  }
  return t('duration.hm', Math.floor(minutes / 60), minutes % 60);
}

function fmtBytes(bytes) {
  const n = Number(bytes || 0);
  if (!n) {
    return t('none');
  }
  return `${(n / 1024 ** 3).toFixed(1)} GB`;
}

function int(value) {
  const n = Number(value ?? 0);
  return Number.isFinite(n) ? n : 0;
}

function joinOrNone(list) {
  return list && list.length ? list.join(', ') : t('none');
}

// ---------------------------------------------------------------------------------------------
// Session and API.
let session = null;  // {name, role, csrfToken, idleTimeoutSeconds}
let summaryCache = null;
let lastActivity = Date.now();
let idleTimer = null;

class SessionEnded extends Error {}

class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message || code || String(status));
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

async function readError(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  return new ApiError(response.status, body.code || '', body.message || '',
                      response.headers.get('Retry-After'));
}

async function post(path, body) {
  const headers = {'Content-Type': 'application/json'};
  if (session && path !== '/api/login') {
    headers['X-CSRF-Token'] = session.csrfToken;
  }
  let response;
  try {
    response = await fetch(path, {
      method: 'POST', headers, body: JSON.stringify(body ?? {}), credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'UNAVAILABLE', t('error.network'));
  }
  return response;
}

async function api(method, body = {}) {
  const response = await post(`/api/v1/${method}`, body);
  if (response.status === 401) {
    endSession('expired');
    throw new SessionEnded();
  }
  if (!response.ok) {
    throw await readError(response);
  }
  lastActivity = Date.now();
  return response.json();
}

// Every page of a paged list (bounded: a clinic has tens of PCs, not thousands).
async function listAll(method, body, key, maxPages = 20) {
  const items = [];
  let pageToken = '';
  for (let i = 0; i < maxPages; i++) {
    const answer = await api(method, {...body, page: {pageSize: 1000, pageToken}});
    items.push(...(answer[key] || []));
    pageToken = answer.nextPageToken || '';
    if (!pageToken) {
      break;
    }
  }
  return items;
}

function errorText(error) {
  if (error instanceof ApiError) {
    if (error.status === 0) {
      return t('error.network');
    }
    if (error.status === 403) {
      return t('error.forbidden');
    }
    if (error.status === 429 || error.status === 503) {
      return t('error.busy');
    }
    return t('error.generic', error.message);
  }
  return t('error.generic', error && error.message ? error.message : String(error));
}

function showError(error) {
  if (error instanceof SessionEnded) {
    return;
  }
  if (!(error instanceof ApiError)) {
    console.warn(error);  // a bug of ours; visible in the browser's console
  }
  showAlert(errorText(error));
}

function showAlert(text) {
  const alert = document.getElementById('alert');
  alert.textContent = text;
  alert.hidden = !text;
}

function announce(text) {
  document.getElementById('status').textContent = text;
}

function isAdmin() {
  return session && session.role === 'admin';
}

// The lead adds a demo marker to GetClinicSummary; the banner follows it and nothing else (a host's
// name is data from an agent and must not be able to switch the banner).
function isDemo(summary) {
  return Boolean(summary && summary.demo === true);
}

function applyDemoBanner(summary) {
  const banner = document.getElementById('demo-banner');
  banner.textContent = t('demo.banner');
  banner.hidden = !isDemo(summary);
}

function startSession(body) {
  session = {
    name: String(body.name || ''),
    role: body.role === 'admin' ? 'admin' : 'vendor',
    csrfToken: String(body.csrfToken || ''),
    idleTimeoutSeconds: Math.max(60, int(body.idleTimeoutSeconds) || 900),
  };
  lastActivity = Date.now();
  if (idleTimer) {
    clearInterval(idleTimer);
  }
  idleTimer = setInterval(checkIdle, 5000);
}

function checkIdle() {
  if (session && Date.now() - lastActivity > session.idleTimeoutSeconds * 1000) {
    const minutes = Math.round(session.idleTimeoutSeconds / 60);
    post('/api/logout', {}).catch(() => {});
    endSession('idle', minutes);
  }
}

// Leaves every page's data behind: the next person at this PC sees only the login form.
function endSession(reason, minutes) {
  if (!session && reason === 'expired') {
    return;  // several requests of one page came back 401: one message is enough
  }
  session = null;
  summaryCache = null;
  if (idleTimer) {
    clearInterval(idleTimer);
    idleTimer = null;
  }
  pendingLoginMessage = reason === 'expired' ? t('login.expired')
      : reason === 'idle' ? t('login.idle', minutes)
      : reason === 'logout' ? t('login.loggedOut') : '';
  renderChrome();
  if (location.hash !== '#/login') {
    location.hash = '#/login';
  } else {
    route();
  }
}

let pendingLoginMessage = '';

for (const event of ['keydown', 'pointerdown', 'wheel', 'touchstart']) {
  document.addEventListener(event, () => {
    lastActivity = Date.now();
  }, {passive: true, capture: true});
}

// ---------------------------------------------------------------------------------------------
// Chrome: header, navigation, demo banner.
const PAGES = [
  {path: 'dashboard', label: 'nav.dashboard', render: renderDashboard},
  {path: 'hosts', label: 'nav.hosts', render: renderHosts},
  {path: 'accounts', label: 'nav.accounts', render: renderAccounts},
  {path: 'power', label: 'nav.power', render: renderPower},
  {path: 'usb', label: 'nav.usb', render: renderUsb},
  {path: 'ledger', label: 'nav.ledger', render: renderLedger},
  {path: 'evidence', label: 'nav.evidence', render: renderEvidence},
  {path: 'reports', label: 'nav.reports', render: renderReports},
  {path: 'tokens', label: 'nav.tokens', render: renderTokens, adminOnly: true},
  {path: 'audit', label: 'nav.audit', render: renderAudit, adminOnly: true},
];

function currentPath() {
  const hash = location.hash.replace(/^#\/?/, '');
  const [first, ...rest] = hash.split('/');
  return {first: first || '', rest: rest.join('/')};
}

function renderChrome() {
  document.documentElement.lang = lang;
  document.title = t('app.title');
  document.getElementById('skip-link').textContent = t('skip');
  const tools = clear(document.getElementById('header-tools'));
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  tools.append(el('button', {
    type: 'button', id: 'lang-toggle', lang: lang === 'ja' ? 'en' : 'ja',
    'aria-label': t('lang.switch.label'), on: {click: toggleLanguage},
  }, t('lang.switch')));
  if (!session) {
    nav.hidden = true;
    clear(nav);
    document.getElementById('clinic-name').textContent = '';
    return;
  }
  tools.prepend(el('span', {class: 'who', id: 'who'},
                   t('who', session.name, t(`role.${session.role}`))));
  tools.append(el('button', {type: 'button', id: 'logout', on: {click: logout}}, t('logout')));
  const {first} = currentPath();
  const list = el('ul');
  for (const page of PAGES) {
    if (page.adminOnly && !isAdmin()) {
      continue;
    }
    const current = first === page.path || (first === 'hosts' && page.path === 'hosts');
    list.append(el('li', {}, el('a', {
      href: `#/${page.path}`, 'aria-current': current ? 'page' : undefined,
    }, t(page.label))));
  }
  clear(nav).append(list);
  nav.hidden = false;
  document.getElementById('clinic-name').textContent =
      summaryCache && summaryCache.clinicName ? summaryCache.clinicName : '';
}

function toggleLanguage() {
  lang = lang === 'ja' ? 'en' : 'ja';
  try {
    window.localStorage.setItem(LANG_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  renderChrome();
  if (summaryCache) {
    applyDemoBanner(summaryCache);
  }
  route({keepFocus: true});
}

async function logout() {
  try {
    await post('/api/logout', {});
  } catch {
    // Leaving anyway: the session dies with the collector or its idle timeout.
  }
  endSession('logout');
}

// ---------------------------------------------------------------------------------------------
// Routing.
let renderGeneration = 0;

async function route(options = {}) {
  const generation = ++renderGeneration;
  const page = document.getElementById('page');
  showAlert('');
  const {first, rest} = currentPath();
  if (!session) {
    if (first !== 'login') {
      location.replace('#/login');
      return;
    }
    renderChrome();
    renderLogin(page);
    return;
  }
  if (first === 'login' || first === '') {
    location.replace('#/dashboard');
    return;
  }
  renderChrome();
  const found = PAGES.find((p) => p.path === first) || PAGES[0];
  clear(page).append(el('p', {class: 'loading'}, t('loading')));
  const view = el('div');
  // A page that finishes after the user moved on is dropped.
  const stillCurrent = () => generation === renderGeneration && session !== null;
  try {
    if (found.adminOnly && !isAdmin()) {
      view.append(el('h1', {tabindex: '-1'}, t(found.label)), el('p', {}, t('admin.only')));
    } else if (first === 'hosts' && rest) {
      await renderHostDetail(view, decodeURIComponent(rest));
    } else {
      await found.render(view);
    }
  } catch (error) {
    if (!stillCurrent()) {
      return;
    }
    clear(page);
    showError(error);
    return;
  }
  if (!stillCurrent()) {
    return;
  }
  clear(page).append(view);
  const heading = page.querySelector('h1');
  if (heading && !options.keepFocus && options.focus !== false) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({preventScroll: false});
  }
}

window.addEventListener('hashchange', () => route());

async function boot() {
  renderChrome();
  try {
    const response = await fetch('/api/session', {credentials: 'same-origin', cache: 'no-store'});
    if (response.ok) {
      startSession(await response.json());
      await loadSummaryForChrome();
    }
  } catch {
    // Not logged in, or the collector is down: the login page says what happens next.
  }
  route({focus: false});
}

async function loadSummaryForChrome() {
  try {
    summaryCache = await api('GetClinicSummary', {});
  } catch (error) {
    summaryCache = null;
    if (error instanceof SessionEnded) {
      return;
    }
  }
  applyDemoBanner(summaryCache);
}

// ---------------------------------------------------------------------------------------------
// Building blocks.
function pageHeading(key, ...args) {
  return el('h1', {tabindex: '-1'}, t(key, ...args));
}

function light(kind, word) {
  return el('span', {class: `light ${kind}`, 'data-light': kind}, word ?? t(`light.${kind}`));
}

const STATUS_CLASS = {
  FINDING_STATUS_PASS: 'ok', FINDING_STATUS_WARN: 'warn', FINDING_STATUS_FAIL: 'bad',
  FINDING_STATUS_UNKNOWN: 'unknown', FINDING_STATUS_NA: 'na', FINDING_STATUS_UNSPECIFIED: 'na',
};

function statusLight(status) {
  const name = STATUS_CLASS[status] ? status : 'FINDING_STATUS_UNKNOWN';
  return light(STATUS_CLASS[name], t(`status.${name}`));
}

// A host's traffic light, as GetClinicSummary counts it (query.proto): 要対応 when any verdict is
// fail or warn; 不明 when the host has no verdict yet or an unknown one besides passes (what could
// not be checked never counts as a pass); 適合 otherwise. `unknownHosts` holds the agent ids with an
// unknown verdict (ListFindings), since ListHosts counts only fail and warn.
function hostLight(host, unknownHosts = new Set()) {
  if (int(host.failing) > 0 || int(host.warning) > 0) {
    return 'bad';
  }
  if (host.contactState === 'CONTACT_STATE_NEVER_REPORTED' || unknownHosts.has(host.agentId)) {
    return 'unknown';
  }
  return 'ok';
}

// The same verdict from a host's own findings (GetHost).
function lightOfFindings(findings) {
  if (!findings.length) {
    return 'unknown';
  }
  if (findings.some((f) => f.status === 'FINDING_STATUS_FAIL' || f.status === 'FINDING_STATUS_WARN')) {
    return 'bad';
  }
  return findings.some((f) => f.status === 'FINDING_STATUS_UNKNOWN') ? 'unknown' : 'ok';
}

async function hostsWithUnknowns() {
  const unknown = await listAll('ListFindings', {statuses: ['FINDING_STATUS_UNKNOWN']}, 'findings', 5);
  return new Set(unknown.map((f) => f.agentId).filter(Boolean));
}

const LIGHT_ORDER = {bad: 0, unknown: 1, ok: 2};

function hostLink(agentId, name) {
  return el('a', {href: `#/hosts/${encodeURIComponent(agentId)}`, class: 'name-cell'}, name || agentId);
}

function roleText(role) {
  if (role === 'server' || role === 'HOST_ROLE_SERVER') {
    return t('role.server');
  }
  if (role === 'workstation' || role === 'HOST_ROLE_WORKSTATION') {
    return t('role.workstation');
  }
  return t('none');
}

function table(headers, rows, options = {}) {
  const head = el('tr', {}, headers.map((h) => el('th', {scope: 'col', class: h.num ? 'num' : undefined},
                                                  typeof h === 'string' ? h : h.text)));
  const wrap = el('div', {class: 'table-wrap'},
                  el('table', {class: options.class, 'data-table': options.name},
                     options.caption ? el('caption', {}, options.caption) : null,
                     el('thead', {}, head), el('tbody', {}, rows)));
  return wrap;
}

function titleOf(finding) {
  return lang === 'en' ? (finding.titleEn || finding.titleJa) : (finding.titleJa || finding.titleEn);
}

function remediationOf(finding) {
  return lang === 'en' ? (finding.remediationEn || finding.remediationJa)
                       : (finding.remediationJa || finding.remediationEn);
}

function sinceText(ts) {
  const days = daysSince(ts);
  if (days === null) {
    return t('none');
  }
  return days === 0 ? t('host.sinceToday', fmtDate(ts)) : t('host.since', fmtDate(ts), days);
}

function notice(text) {
  announce(text);
  return el('p', {class: 'notice', role: 'status'}, text);
}

// ---------------------------------------------------------------------------------------------
// Login.
function renderLogin(page) {
  const name = el('input', {type: 'text', id: 'login-name', name: 'username', autocomplete: 'username',
                            required: true, maxlength: '128', spellcheck: 'false'});
  const password = el('input', {type: 'password', id: 'login-password', name: 'password',
                                autocomplete: 'current-password', required: true, maxlength: '1024'});
  const submit = el('button', {type: 'submit', id: 'login-submit'}, t('login.submit'));
  const form = el('form', {class: 'stack', id: 'login-form'},
                  el('div', {class: 'field'}, el('label', {for: 'login-name'}, t('login.name')), name),
                  el('div', {class: 'field'}, el('label', {for: 'login-password'}, t('login.password')),
                     password),
                  el('div', {}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showAlert('');
    submit.disabled = true;
    try {
      const response = await post('/api/login', {name: name.value, password: password.value});
      if (response.ok) {
        password.value = '';
        startSession(await response.json());
        await loadSummaryForChrome();
        location.hash = '#/dashboard';
        return;
      }
      const error = await readError(response);
      if (response.status === 401) {
        showAlert(t('login.failed'));
      } else if (response.status === 429) {
        showAlert(t('login.locked', int(error.retryAfter) || 60));
      } else {
        showAlert(errorText(error));
      }
      password.value = '';
      password.focus();
    } catch (error) {
      showAlert(errorText(error));
    } finally {
      submit.disabled = false;
    }
  });
  clear(page).append(el('div', {class: 'login-box'}, el('h1', {}, t('login.title')),
                        el('p', {class: 'lead'}, t('login.lead')), form));
  if (pendingLoginMessage) {
    showAlert(pendingLoginMessage);
    pendingLoginMessage = '';
  }
  name.focus();
}

// ---------------------------------------------------------------------------------------------
// Dashboard (GetClinicSummary). The response's field names are read in one place.
function readSummary(s) {
  const pick = (...names) => {
    for (const n of names) {
      if (s[n] !== undefined && s[n] !== null) {
        return s[n];
      }
    }
    return undefined;
  };
  const areasRaw = pick('areas', 'openFindingsByArea', 'areaCounts') || [];
  const areas = Array.isArray(areasRaw)
      ? areasRaw.map((a) => ({area: String(a.area || '').toLowerCase(), open: int(a.open ?? a.count ?? a.findings)}))
      : Object.entries(areasRaw).map(([area, open]) => ({area: area.toLowerCase(), open: int(open)}));
  return {
    hosts: int(pick('hosts', 'hostsTotal', 'hostsAll')),
    compliant: int(pick('compliant', 'hostsCompliant')),
    notCompliant: int(pick('notCompliant', 'hostsNotCompliant')),
    unknown: int(pick('unknown', 'hostsUnknown')),
    actions: (pick('urgentActions', 'actions', 'topActions') || []).slice(0, 3),
    areas,
    trend: (pick('trend', 'days') || []).map((p) => ({
      date: String(p.date || ''), compliant: int(p.compliant ?? p.hostsCompliant),
      known: int(p.known ?? p.hostsKnown),
    })),
    generatedAt: pick('generatedAt', 'asOf'),
  };
}

const AREAS = ['patch', 'antivirus', 'usb', 'idle', 'accounts', 'org', 'other'];
const AREA_ALIASES = {av: 'antivirus', acct: 'accounts', account: 'accounts'};

async function renderDashboard(view) {
  const raw = await api('GetClinicSummary', {});
  summaryCache = raw;
  applyDemoBanner(raw);
  document.getElementById('clinic-name').textContent = raw.clinicName || '';
  const s = readSummary(raw);
  view.append(pageHeading('dash.title'),
              el('p', {class: 'lead'}, t('dash.lead', s.hosts),
                 s.generatedAt ? ` ${t('dash.updated', fmtTime(s.generatedAt))}` : ''));

  const tile = (kind, count, noteKey) => el('div', {class: `tile ${kind}`, 'data-count': kind},
      el('div', {class: 'tile-word'}, light(kind)),
      el('div', {}, el('span', {class: 'tile-number', 'data-number': kind}, String(count)),
         el('span', {class: 'tile-unit'}, lang === 'ja' ? '台' : count === 1 ? 'PC' : 'PCs')),
      el('div', {class: 'tile-note'}, t(noteKey)));
  view.append(el('div', {class: 'tiles'},
                 tile('ok', s.compliant, 'dash.tile.ok'),
                 tile('bad', s.notCompliant, 'dash.tile.bad'),
                 tile('unknown', s.unknown, 'dash.tile.unknown')),
              el('p', {class: 'no-print'}, el('a', {href: '#/hosts'}, t('dash.tile.link'))));

  view.append(el('h2', {}, t('dash.actions')));
  if (!s.actions.length) {
    view.append(el('p', {class: 'notice'}, t('dash.actions.none')));
  } else {
    const list = el('ol', {class: 'actions', id: 'urgent-actions'});
    s.actions.forEach((action, i) => {
      const hosts = int(action.hosts);
      const isOrg = String(action.ruleId || '').startsWith('MAM-ORG');
      list.append(el('li', {class: 'action'},
          el('div', {class: 'action-head'},
             el('span', {class: 'rank'}, `${i + 1}.`),
             el('span', {class: 'action-title'}, titleOf(action)),
             light(action.status === 'FINDING_STATUS_WARN' ? 'warn' : 'bad',
                   isOrg ? t('dash.action.org') : t('dash.action.hosts', hosts)),
             el('span', {class: 'muted small'}, action.ruleId || '')),
          el('p', {class: 'first-step'}, el('strong', {}, t('dash.action.first')),
             remediationOf(action) || t('none'))));
    });
    view.append(list);
  }

  const areaGrid = el('div', {class: 'areas', id: 'area-counts'});
  const byArea = new Map();
  for (const a of s.areas) {
    const key = AREA_ALIASES[a.area] || a.area;
    byArea.set(key, (byArea.get(key) || 0) + a.open);
  }
  for (const area of AREAS) {
    const open = byArea.get(area) || 0;
    areaGrid.append(el('div', {class: `area ${open ? 'has-open' : 'none-open'}`, 'data-area': area},
                       el('span', {}, t(`area.${area}`)),
                       el('span', {class: 'area-count'}, t('count.items', open))));
  }
  view.append(el('div', {class: 'dash-columns'},
                 el('section', {class: 'trend'}, el('h2', {}, t('dash.trend')),
                    el('p', {class: 'muted small'}, t('dash.trend.note')), trendChart(s.trend)),
                 el('section', {}, el('h2', {}, t('dash.areas')),
                    el('p', {class: 'muted small'}, t('dash.areas.note')), areaGrid)));
}

// The 90-day trend as inline SVG built with DOM calls: share of known PCs that were compliant.
function trendChart(points) {
  const known = points.filter((p) => p.known > 0);
  if (!known.length) {
    return el('p', {class: 'muted'}, t('dash.trend.empty'));
  }
  const width = 640;
  const height = 220;
  const left = 44;
  const right = 12;
  const top = 12;
  const bottom = 28;
  const n = Math.max(points.length, 2);
  const x = (i) => left + (i * (width - left - right)) / (n - 1);
  const y = (ratio) => top + (1 - ratio) * (height - top - bottom);
  const pct = (p) => `${Math.round((100 * p.compliant) / p.known)}%`;
  const first = known[0];
  const last = known[known.length - 1];
  const note = known.length < 7 ? el('p', {class: 'muted small'}, t('dash.trend.since', first.date)) : null;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', id: 'trend-chart',
    'aria-label': t('dash.trend.label', first.date, pct(first), last.date, pct(last)),
  });
  for (const ratio of [0, 0.5, 1]) {
    chart.append(svg('line', {class: 'grid', x1: left, x2: width - right, y1: y(ratio), y2: y(ratio)}),
                 svg('text', {x: left - 6, y: y(ratio) + 4, 'text-anchor': 'end'}, `${ratio * 100}%`));
  }
  chart.append(svg('line', {class: 'axis', x1: left, x2: left, y1: top, y2: height - bottom}),
               svg('line', {class: 'axis', x1: left, x2: width - right, y1: height - bottom,
                            y2: height - bottom}));
  // One path segment per run of days with known PCs.
  let d = '';
  let fill = '';
  let run = [];
  const flush = () => {
    if (!run.length) {
      return;
    }
    d += run.map(([i, r], k) => `${k ? 'L' : 'M'}${x(i).toFixed(1)},${y(r).toFixed(1)}`).join(' ') + ' ';
    fill += `M${x(run[0][0]).toFixed(1)},${y(0)} ` +
        run.map(([i, r]) => `L${x(i).toFixed(1)},${y(r).toFixed(1)}`).join(' ') +
        ` L${x(run[run.length - 1][0]).toFixed(1)},${y(0)} Z `;
    run = [];
  };
  points.forEach((p, i) => {
    if (p.known > 0) {
      run.push([i, p.compliant / p.known]);
    } else {
      flush();
    }
  });
  flush();
  chart.append(svg('path', {class: 'area-fill', d: fill.trim()}), svg('path', {class: 'line', d: d.trim()}));
  const lastIndex = points.lastIndexOf(last);
  chart.append(svg('circle', {class: 'dot', cx: x(lastIndex), cy: y(last.compliant / last.known), r: 4}),
               svg('text', {class: 'value', x: x(lastIndex) - 8, y: y(last.compliant / last.known) - 8,
                            'text-anchor': 'end'}, pct(last)));
  const label = (i) => (points[i] ? points[i].date.slice(5).replace('-', '/') : '');
  for (const i of [0, Math.floor((points.length - 1) / 2), points.length - 1]) {
    chart.append(svg('text', {x: x(i), y: height - 8, 'text-anchor': i === 0 ? 'start' : i === points.length - 1 ? 'end' : 'middle'},
                     label(i)));
  }
  return note ? el('div', {}, chart, note) : chart;
}

// ---------------------------------------------------------------------------------------------
// Hosts.
async function renderHosts(view) {
  const [hosts, unknownHosts] = await Promise.all([listAll('ListHosts', {}, 'hosts'), hostsWithUnknowns()]);
  view.append(pageHeading('hosts.title'), el('p', {class: 'lead'}, t('hosts.lead')));
  if (!hosts.length) {
    view.append(el('p', {}, t('hosts.empty')));
    return;
  }
  hosts.sort((a, b) => LIGHT_ORDER[hostLight(a, unknownHosts)] - LIGHT_ORDER[hostLight(b, unknownHosts)] ||
                       String(a.hostname).localeCompare(String(b.hostname), 'ja'));
  const rows = hosts.map((h) => el('tr', {'data-agent': h.agentId},
      el('td', {class: 'nowrap'}, light(hostLight(h, unknownHosts))),
      el('td', {}, hostLink(h.agentId, h.hostname)),
      el('td', {class: 'nowrap'}, roleText(h.role)),
      el('td', {}, h.osPrettyName || [h.osName, h.osVersion].filter(Boolean).join(' ') || t('none')),
      el('td', {class: 'nowrap'}, fmtTime(h.lastSeen)),
      el('td', {}, t(`contact.${h.contactState || 'CONTACT_STATE_UNSPECIFIED'}`)),
      el('td', {class: 'num'}, String(int(h.failing))),
      el('td', {class: 'num'}, String(int(h.warning)))));
  view.append(table([t('hosts.col.light'), t('hosts.col.name'), t('hosts.col.role'), t('hosts.col.os'),
                     t('hosts.col.lastSeen'), t('hosts.col.contact'),
                     {text: t('hosts.col.failing'), num: true}, {text: t('hosts.col.warning'), num: true}],
                    rows, {name: 'hosts'}));
}

async function renderHostDetail(view, agentId) {
  let host;
  try {
    host = await api('GetHost', {host: agentId, historyLimit: 1});
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      view.append(el('p', {}, el('a', {href: '#/hosts'}, t('back.hosts'))), pageHeading('nav.hosts'),
                  el('p', {}, t('host.notFound')));
      return;
    }
    throw error;
  }
  const ledger = host.ledger || {};
  const [open, history] = await Promise.all([
    api('ListFindings', {host: ledger.agentId || agentId, page: {pageSize: 1000}}),
    api('ListFindingHistory', {host: ledger.agentId || agentId, page: {pageSize: 200}}),
  ]);
  const findings = host.findings || [];
  const titles = new Map(findings.map((f) => [f.ruleId, titleOf(f)]));
  const ann = ledger.annotations || {};
  view.append(el('p', {class: 'no-print'}, el('a', {href: '#/hosts'}, t('back.hosts'))),
              el('h1', {tabindex: '-1', class: 'name-cell'}, ledger.hostname || agentId, ' ',
                 light(lightOfFindings(host.findings || []))));

  const facts = host.facts || {};
  const inv = facts.inventory || {};
  const model = [ledger.manufacturer, ledger.model].filter(Boolean).join(' ');
  const kv = el('dl', {class: 'kv', id: 'host-facts'});
  const fact = (key, value) => kv.append(el('dt', {}, t(key)), el('dd', {}, value || t('none')));
  fact('fact.role', roleText(ledger.role));
  fact('fact.os', ledger.osPrettyName || [ledger.osName, ledger.osVersion].filter(Boolean).join(' '));
  fact('fact.eos', ledger.endOfSupport);
  fact('fact.model', model);
  fact('fact.serial', ledger.serialNumber);
  fact('fact.cpu', ledger.cpuModel || inv.cpuModel);
  fact('fact.memory', fmtBytes(ledger.memoryBytes || inv.memoryBytes));
  fact('fact.addresses', joinOrNone(ledger.addresses));
  fact('fact.macs', joinOrNone(ledger.macAddresses));
  fact('fact.location', ann.location);
  fact('fact.purpose', ann.purpose);
  fact('fact.person', ann.personInCharge);
  fact('fact.agent', ledger.agentVersion);
  fact('fact.firstSeen', fmtTime(ledger.firstSeen));
  fact('fact.lastSeen', fmtTime(ledger.lastSeen));
  fact('fact.contact', t(`contact.${ledger.contactState || 'CONTACT_STATE_UNSPECIFIED'}`));
  fact('fact.collectedAt', fmtTime(host.factsCollectedAt));

  view.append(el('h2', {}, t('host.open')));
  const openFindings = open.findings || [];
  if (!openFindings.length) {
    view.append(el('p', {class: 'notice'}, t('host.open.none')));
  } else {
    view.append(findingsTable(openFindings, 'open-findings'));
  }
  const fine = findings.filter((f) => f.status === 'FINDING_STATUS_PASS' || f.status === 'FINDING_STATUS_NA');
  if (fine.length) {
    const details = el('details', {}, el('summary', {}, t('host.passing', fine.length)),
        el('ul', {}, fine.map((f) => el('li', {}, statusLight(f.status), ' ', titleOf(f),
                                        el('span', {class: 'muted small'}, ` ${f.ruleId}`)))));
    view.append(details);
  }

  view.append(el('h2', {}, t('host.facts')), kv);

  view.append(el('h2', {}, t('host.history')));
  // The first verdict of each rule is a change too; the ones that passed say nothing to a manager
  // and are counted in one line instead.
  const firstPasses = (history.changes || []).filter(
      (c) => (!c.oldStatus || c.oldStatus === 'FINDING_STATUS_UNSPECIFIED') &&
             (c.newStatus === 'FINDING_STATUS_PASS' || c.newStatus === 'FINDING_STATUS_NA'));
  const changes = (history.changes || []).filter((c) => !firstPasses.includes(c));
  if (firstPasses.length) {
    view.append(el('p', {class: 'muted'}, t('host.history.firstPasses', firstPasses.length,
                                             fmtTime(firstPasses[firstPasses.length - 1].at))));
  }
  if (!changes.length) {
    view.append(el('p', {}, t('host.history.none')));
  } else {
    view.append(el('ol', {class: 'timeline', id: 'host-history'}, changes.map((c) => el('li', {},
        el('span', {class: 'when'}, fmtTime(c.at)),
        el('span', {}, titles.get(c.ruleId) || c.ruleId, ': '),
        statusLight(c.oldStatus || 'FINDING_STATUS_UNSPECIFIED'), ' → ', statusLight(c.newStatus),
        c.evidence ? el('div', {class: 'muted small'}, c.evidence) : null))));
  }
}

function findingsTable(findings, name) {
  const rows = findings.map((f) => el('tr', {'data-rule': f.ruleId},
      el('td', {class: 'nowrap'}, statusLight(f.status)),
      el('td', {}, el('strong', {}, titleOf(f)),
         el('div', {class: 'muted small'}, t('host.rule', f.ruleId),
            f.mhlwKeys && f.mhlwKeys.length ? ` ・ ${t('host.mhlw', f.mhlwKeys.join(', '))}` : '')),
      el('td', {class: 'nowrap'}, sinceText(f.since)),
      el('td', {}, f.evidence ? el('div', {}, el('span', {class: 'muted'}, t('host.evidence'), ' '), f.evidence) : null,
         remediationOf(f) ? el('p', {class: 'remedy'}, el('strong', {}, t('host.remedy'), ' '), remediationOf(f))
                          : null)));
  return table([t('col.status'), t('col.item'), t('col.since'), t('col.detail')], rows, {name});
}

// ---------------------------------------------------------------------------------------------
// Accounts.
const DECISIONS = ['KEEP', 'REMOVE', 'INVESTIGATE'];

async function renderAccounts(view, message) {
  const accounts = await listAll('ListAccounts', {}, 'accounts');
  view.append(pageHeading('accounts.title'), el('p', {class: 'lead'}, t('accounts.lead')));
  if (message) {
    view.append(notice(message));
  }
  if (!isAdmin()) {
    view.append(el('p', {class: 'muted'}, t('readonly.note')));
  }
  if (!accounts.length) {
    view.append(el('p', {}, t('accounts.empty')));
    return;
  }
  const due = accounts.filter((a) => a.due).length;
  view.append(el('p', {id: 'accounts-summary'}, t('accounts.summary', due, accounts.length)));
  // The collector sends due accounts first; kept stable here in case of paging.
  accounts.sort((a, b) => Number(Boolean(b.due)) - Number(Boolean(a.due)));
  const rows = accounts.map((a) => {
    const kind = a.removedAt ? 'removed' : a.enabled === false ? 'disabled' : a.admin ? 'admin' : 'user';
    const review = a.review;
    const cells = [
      el('td', {class: 'nowrap'}, a.due ? light('bad', t('accounts.due')) : light('ok', t('accounts.done')),
         a.due && a.dueReason ? el('div', {class: 'small'}, a.dueReason) : null),
      el('td', {}, hostLink(a.agentId, a.hostname)),
      el('td', {class: 'name-cell'}, el('strong', {}, a.name),
         a.fullName ? el('div', {class: 'small muted'}, a.fullName) : null),
      el('td', {class: 'nowrap'}, t(`accounts.kind.${kind}`)),
      el('td', {class: 'nowrap'}, fmtDate(a.lastLogon)),
      el('td', {class: 'nowrap'}, a.passwordAgeDays !== undefined && a.passwordAgeDays !== null
          ? t('accounts.passwordAge', a.passwordAgeDays) : t('none')),
      el('td', {}, review && review.decision
          ? t('accounts.review.by', fmtDate(review.reviewedAt), t(`decision.${review.decision}`), review.reviewer)
          : t('none'),
         review && review.note ? el('div', {class: 'small muted'}, review.note) : null),
    ];
    if (isAdmin()) {
      const note = el('input', {type: 'text', maxlength: '2000', placeholder: t('accounts.note'),
                                'aria-label': t('accounts.note.aria', a.name, a.hostname),
                                class: 'review-note'});
      const buttons = DECISIONS.map((decision) => el('button', {
        type: 'button', class: decision === 'KEEP' ? '' : 'secondary', 'data-decision': decision,
        'aria-label': t('accounts.review.aria', t(`accounts.review.${decision}`), a.name, a.hostname),
        on: {click: async (event) => {
          event.currentTarget.disabled = true;
          try {
            await api('RecordAccountReview', {host: a.agentId, account: a.name,
                                              decision: `REVIEW_DECISION_${decision}`, note: note.value});
            await rerender(renderAccounts, t('accounts.recorded', a.name, a.hostname,
                                             t(`accounts.review.${decision}`)));
          } catch (error) {
            showError(error);
            event.currentTarget.disabled = false;
          }
        }},
      }, t(`accounts.review.${decision}`)));
      cells.push(el('td', {class: 'actions-cell'},
                    a.removedAt ? t('none') : [el('div', {class: 'button-row'}, buttons), note]));
    }
    return el('tr', {class: a.due ? 'due' : undefined, 'data-account': a.name, 'data-host': a.hostname}, cells);
  });
  const headers = [t('accounts.col.due'), t('accounts.col.host'), t('accounts.col.name'),
                   t('accounts.col.kind'), t('accounts.col.lastLogon'), t('accounts.col.password'),
                   t('accounts.col.review')];
  if (isAdmin()) {
    headers.push(t('accounts.col.actions'));
  }
  view.append(table(headers, rows, {name: 'accounts'}));
}

// Re-renders the current page in place after a change, with a message for the person and for
// screen readers.
async function rerender(render, message) {
  const generation = ++renderGeneration;
  const view = el('div');
  await render(view, message);
  if (generation !== renderGeneration) {
    return;
  }
  const page = clear(document.getElementById('page'));
  page.append(view);
  const focusTarget = page.querySelector('.notice') || page.querySelector('h1');
  if (focusTarget) {
    focusTarget.setAttribute('tabindex', '-1');
    focusTarget.focus();
  }
}

// ---------------------------------------------------------------------------------------------
// Power and idle PCs: a five-week calendar per PC, darker for longer.
const HEAT_WEEKS = 5;

function heatLevel(seconds) {
  if (seconds <= 0) {
    return 0;
  }
  const hours = seconds / 3600;
  return hours < 2 ? 1 : hours < 6 ? 2 : hours < 12 ? 3 : 4;
}

function calendarDays() {
  // Monday-first weeks in Tokyo, ending with the current week.
  const today = todayInTokyo();
  const todayUtc = new Date(`${today}T00:00:00Z`);
  const weekday = (todayUtc.getUTCDay() + 6) % 7;  // Monday 0
  const start = new Date(todayUtc.getTime() - (weekday + 7 * (HEAT_WEEKS - 1)) * 86400000);
  const days = [];
  for (let i = 0; i < HEAT_WEEKS * 7; i++) {
    const day = new Date(start.getTime() + i * 86400000).toISOString().slice(0, 10);
    days.push({day, future: day > today, today: day === today});
  }
  return days;
}

async function renderPower(view) {
  const days = calendarDays();
  const since = new Date(`${days[0].day}T00:00:00+09:00`).toISOString();
  const [hosts, episodes] = await Promise.all([
    listAll('ListHosts', {}, 'hosts'),
    listAll('ListIdleEpisodes', {since}, 'episodes', 10),
  ]);
  view.append(pageHeading('power.title'), el('p', {class: 'lead'}, t('power.lead')));
  const legend = el('div', {class: 'legend', 'aria-hidden': 'true'},
                    [0, 1, 2, 3, 4].map((l) => el('span', {}, el('span', {class: `swatch lvl${l}`}),
                                                   t(`power.legend.${l}`))));
  view.append(el('h2', {}, t('power.calendar')), legend);
  const byHost = new Map();
  for (const e of episodes) {
    const day = tokyoDay(parseTime(e.from) || new Date());
    const perHost = byHost.get(e.agentId) || new Map();
    perHost.set(day, Math.max(perHost.get(day) || 0, durationSeconds(e.maxIdle)));
    byHost.set(e.agentId, perHost);
  }
  const workstations = hosts.filter((h) => h.role !== 'server' || byHost.has(h.agentId));
  workstations.sort((a, b) => (byHost.get(b.agentId)?.size || 0) - (byHost.get(a.agentId)?.size || 0) ||
                              String(a.hostname).localeCompare(String(b.hostname), 'ja'));
  const cards = el('div', {class: 'cards', id: 'idle-calendars'});
  for (const h of workstations) {
    const perHost = byHost.get(h.agentId) || new Map();
    const head = el('tr', {}, [0, 1, 2, 3, 4, 5, 6].map((d) => el('th', {scope: 'col'}, t(`weekday.${d}`))));
    const body = el('tbody');
    for (let w = 0; w < HEAT_WEEKS; w++) {
      const row = el('tr');
      for (let d = 0; d < 7; d++) {
        const {day, future, today} = days[w * 7 + d];
        const seconds = perHost.get(day) || 0;
        const label = seconds ? t('power.cell', day, fmtDuration(seconds)) : t('power.cellNone', day);
        row.append(el('td', {class: `${future ? 'out' : `lvl${heatLevel(seconds)}`}${today ? ' today' : ''}`,
                             title: future ? day : label, 'aria-label': future ? day : label,
                             'data-day': day},
                      w + d === 0 || day.endsWith('-01') ? `${Number(day.slice(5, 7))}/${Number(day.slice(8))}`
                                                         : String(Number(day.slice(8)))));
      }
      body.append(row);
    }
    cards.append(el('div', {class: 'card', 'data-agent': h.agentId},
                    el('h3', {}, hostLink(h.agentId, h.hostname)),
                    el('p', {class: 'small'}, t('power.count', perHost.size)),
                    el('table', {class: 'heat'}, el('thead', {}, head), body)));
  }
  view.append(cards, el('p', {class: 'muted small'}, t('power.servers')));

  view.append(el('h2', {}, t('power.episodes')));
  if (!episodes.length) {
    view.append(el('p', {class: 'notice'}, t('power.none')));
    return;
  }
  const rows = episodes.slice(0, 200).map((e) => el('tr', {},
      el('td', {}, hostLink(e.agentId, e.hostname)),
      el('td', {class: 'nowrap'}, fmtTime(e.from)),
      el('td', {class: 'nowrap'}, fmtTime(e.to), e.open ? el('div', {}, light('bad', t('power.open'))) : null),
      el('td', {class: 'nowrap'}, fmtDuration(durationSeconds(e.maxIdle))),
      el('td', {}, e.locked === true ? t('yes') : e.locked === false ? t('no') : t('unknownValue'))));
  view.append(table([t('power.col.host'), t('power.col.from'), t('power.col.to'), t('power.col.max'),
                     t('power.col.locked')], rows, {name: 'idle-episodes'}));
}

// ---------------------------------------------------------------------------------------------
// USB: policy and devices from each host's facts.
async function mapLimited(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({length: Math.min(limit, items.length)}, worker));
  return results;
}

const STATUS_RANK = {FINDING_STATUS_FAIL: 4, FINDING_STATUS_UNKNOWN: 3, FINDING_STATUS_WARN: 2,
                     FINDING_STATUS_PASS: 1, FINDING_STATUS_NA: 0};

async function renderUsb(view) {
  const hosts = await listAll('ListHosts', {}, 'hosts');
  const details = await mapLimited(hosts, 4, (h) => api('GetHost', {host: h.agentId, historyLimit: 1}));
  view.append(pageHeading('usb.title'), el('p', {class: 'lead'}, t('usb.lead')));
  const rows = hosts.map((h, i) => {
    const detail = details[i] || {};
    const usb = (detail.facts || {}).usbStorage || {};
    const usbFindings = (detail.findings || []).filter((f) => String(f.area).toUpperCase() === 'USB');
    let worst = usbFindings.reduce((w, f) => ((STATUS_RANK[f.status] ?? 0) > (STATUS_RANK[w] ?? -1) ? f.status : w),
                                   '');
    if (!worst) {
      worst = 'FINDING_STATUS_UNKNOWN';
    }
    const devices = usb.devices || [];
    const mode = usb.mode || 'USB_STORAGE_MODE_UNSPECIFIED';
    return el('tr', {'data-agent': h.agentId},
        el('td', {}, hostLink(h.agentId, h.hostname)),
        el('td', {class: 'nowrap'}, statusLight(worst)),
        el('td', {}, t(`usb.mode.${mode}`)),
        el('td', {}, (usb.controls || []).length
            ? el('ul', {}, usb.controls.map((c) => el('li', {}, [c.mechanism, c.detail].filter(Boolean).join(': '))))
            : t('none')),
        el('td', {}, devices.length
            ? el('ul', {}, devices.map((d) => el('li', {},
                  [d.vendor, d.product].filter(Boolean).join(' ') || t('unknownValue'),
                  d.serialNumber ? ` (${d.serialNumber})` : '', ' ',
                  d.present ? light('warn', t('usb.present')) : el('span', {class: 'muted'}, t('usb.past')))))
            : t('usb.noDevices')));
  });
  view.append(table([t('usb.col.host'), t('usb.col.verdict'), t('usb.col.mode'), t('usb.col.how'),
                     t('usb.col.devices')], rows, {name: 'usb'}));
}

// ---------------------------------------------------------------------------------------------
// Ledger (台帳).
async function renderLedger(view, message) {
  const entries = await listAll('ListLedger', {}, 'entries');
  view.append(pageHeading('ledger.title'), el('p', {class: 'lead'}, t('ledger.lead')));
  if (message) {
    view.append(notice(message));
  }
  if (!isAdmin()) {
    view.append(el('p', {class: 'muted'}, t('readonly.note')));
  }
  const columns = 10 + (isAdmin() ? 1 : 0);
  const rows = [];
  for (const e of entries) {
    const ann = e.annotations || {};
    const cells = [
      el('td', {}, hostLink(e.agentId, e.hostname)),
      el('td', {class: 'nowrap'}, roleText(e.role)),
      el('td', {}, ann.location || t('none')),
      el('td', {}, ann.purpose || t('none')),
      el('td', {}, ann.personInCharge || t('none')),
      el('td', {}, e.osPrettyName || [e.osName, e.osVersion].filter(Boolean).join(' ') || t('none')),
      el('td', {class: 'nowrap'}, e.endOfSupport || t('none')),
      el('td', {}, [e.manufacturer, e.model].filter(Boolean).join(' ') || t('none'),
         e.serialNumber ? el('div', {class: 'small muted'}, e.serialNumber) : null),
      el('td', {class: 'small'}, joinOrNone(e.addresses)),
      el('td', {class: 'nowrap'}, fmtDate(e.lastSeen)),
    ];
    const row = el('tr', {'data-agent': e.agentId}, cells);
    rows.push(row);
    if (isAdmin()) {
      const editRow = el('tr', {hidden: true, class: 'edit-row'});
      const button = el('button', {type: 'button', class: 'secondary', 'aria-expanded': 'false',
                                   'aria-label': t('ledger.edit.aria', e.hostname),
                                   on: {click: () => {
                                     editRow.hidden = !editRow.hidden;
                                     button.setAttribute('aria-expanded', String(!editRow.hidden));
                                     if (!editRow.hidden) {
                                       editRow.querySelector('input').focus();
                                     }
                                   }}}, t('ledger.edit'));
      row.append(el('td', {}, button));
      const field = (key, id, value) => {
        const inputId = `ledger-${id}-${rows.length}`;
        return el('div', {class: 'field'}, el('label', {for: inputId}, t(key)),
                  el('input', {type: 'text', id: inputId, name: id, maxlength: '200', value: value || ''}));
      };
      const form = el('form', {class: 'inline-form'},
                      field('ledger.col.location', 'location', ann.location),
                      field('ledger.col.purpose', 'purpose', ann.purpose),
                      field('ledger.col.person', 'person', ann.personInCharge),
                      el('div', {class: 'button-row'}, el('button', {type: 'submit'}, t('save')),
                         el('button', {type: 'button', class: 'secondary', on: {click: () => {
                           editRow.hidden = true;
                           button.setAttribute('aria-expanded', 'false');
                           button.focus();
                         }}}, t('cancel'))));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          await api('UpdateHostAnnotations', {
            host: e.agentId, location: form.elements.location.value, purpose: form.elements.purpose.value,
            personInCharge: form.elements.person.value,
          });
          await rerender(renderLedger, t('ledger.saved', e.hostname));
        } catch (error) {
          showError(error);
        }
      });
      editRow.append(el('td', {colspan: String(columns)}, form));
      rows.push(editRow);
    }
  }
  const headers = ['ledger.col.name', 'ledger.col.role', 'ledger.col.location', 'ledger.col.purpose',
                   'ledger.col.person', 'ledger.col.os', 'ledger.col.eos', 'ledger.col.model',
                   'ledger.col.address', 'ledger.col.lastSeen'].map((k) => t(k));
  if (isAdmin()) {
    headers.push(t('ledger.col.edit'));
  }
  view.append(table(headers, rows, {name: 'ledger'}));
}

// ---------------------------------------------------------------------------------------------
// Evidence register (証跡).
const ORG_KINDS = ['DRILL', 'BCP', 'BACKUP', 'RESTORE_TEST', 'CONTACT_CHART', 'SECURITY_MANAGER', 'MDS_SDS',
                   'CONFIRMATION', 'TARGET', 'CLINIC'];
// Which fields each kind takes (docs/reports.md, "The evidence register"); others are refused.
const ORG_FIELDS = {
  CLINIC: ['name'], SECURITY_MANAGER: ['name', 'date'], CONTACT_CHART: ['date'], MDS_SDS: ['item', 'date'],
  BACKUP: ['date', 'method', 'offlineCopy'], RESTORE_TEST: ['date'], BCP: ['date'], DRILL: ['date'],
  CONFIRMATION: ['item', 'answer', 'date'], TARGET: ['item', 'date'],
};

function orgContent(r) {
  const parts = [];
  if (r.name) {
    parts.push(r.name);
  }
  if (r.method) {
    parts.push(r.method);
  }
  if (r.offlineCopy === true || r.offlineCopy === false) {
    parts.push(t(r.offlineCopy ? 'evidence.offline.yes' : 'evidence.offline.no'));
  }
  if (r.answer === true || r.answer === false) {
    parts.push(t(r.answer ? 'yes' : 'no'));
  }
  return parts.join(' ／ ') || t('none');
}

async function renderEvidence(view, message) {
  const answer = await api('ListOrgEvidence', {});
  view.append(pageHeading('evidence.title'), el('p', {class: 'lead'}, t('evidence.lead')));
  if (message) {
    view.append(notice(message));
  }
  // Most urgent first, as on the dashboard.
  const findings = (answer.findings || []).slice().sort(
      (a, b) => (STATUS_RANK[b.status] ?? 0) - (STATUS_RANK[a.status] ?? 0));
  if (findings.length) {
    view.append(el('h2', {}, t('evidence.verdicts')), findingsTable(findings, 'org-findings'));
  }
  view.append(el('h2', {}, t('evidence.records')));
  const records = answer.records || [];
  if (!records.length) {
    view.append(el('p', {}, t('evidence.records.none')));
  } else {
    view.append(table([t('evidence.col.kind'), t('evidence.col.item'), t('evidence.col.date'),
                       t('evidence.col.content'), t('evidence.col.notes'), t('evidence.col.by')],
                      records.map((r) => el('tr', {'data-kind': r.kind},
                          el('td', {}, t(`org.${r.kind}`)),
                          el('td', {}, r.item || t('none')),
                          el('td', {class: 'nowrap'}, r.date || t('none')),
                          el('td', {}, orgContent(r)),
                          el('td', {}, r.notes || t('none')),
                          el('td', {}, r.recordedBy || t('none'),
                             el('div', {class: 'small muted'}, fmtTime(r.recordedAt))))),
                      {name: 'org-records'}));
  }
  if (!isAdmin()) {
    view.append(el('p', {class: 'muted'}, t('readonly.note')));
    return;
  }
  view.append(el('h2', {}, t('evidence.add')), evidenceForm());
}

function evidenceForm() {
  const kind = el('select', {id: 'evidence-kind', name: 'kind', required: true},
                  el('option', {value: ''}, t('evidence.kind.choose')),
                  ORG_KINDS.map((k) => el('option', {value: k}, t(`org.ORG_RECORD_KIND_${k}`))));
  const field = (name, labelKey, control) => el('div', {class: 'field', 'data-field': name, hidden: true},
      el('label', {for: control.id}, t(labelKey)), control);
  const date = el('input', {type: 'date', id: 'evidence-date', name: 'date', value: todayInTokyo()});
  const name = el('input', {type: 'text', id: 'evidence-name', name: 'name', maxlength: '200'});
  const item = el('input', {type: 'text', id: 'evidence-item', name: 'item', maxlength: '200'});
  const method = el('input', {type: 'text', id: 'evidence-method', name: 'method', maxlength: '500'});
  const offline = el('select', {id: 'evidence-offline', name: 'offlineCopy'},
                     el('option', {value: 'true'}, t('yes')), el('option', {value: 'false'}, t('no')));
  const answerSelect = el('select', {id: 'evidence-answer', name: 'answer'},
                          el('option', {value: 'true'}, t('yes')), el('option', {value: 'false'}, t('no')));
  const notes = el('textarea', {id: 'evidence-notes', name: 'notes', maxlength: '2000', rows: '2'});
  const fields = {
    date: field('date', 'evidence.date', date), name: field('name', 'evidence.name', name),
    item: field('item', 'evidence.item', item), method: field('method', 'evidence.method', method),
    offlineCopy: field('offlineCopy', 'evidence.offline', offline),
    answer: field('answer', 'evidence.answer', answerSelect),
  };
  const form = el('form', {class: 'stack', id: 'evidence-form'},
                  el('div', {class: 'field'}, el('label', {for: 'evidence-kind'}, t('evidence.kind')), kind),
                  Object.values(fields),
                  el('div', {class: 'field'}, el('label', {for: 'evidence-notes'}, t('evidence.notes')), notes),
                  el('div', {}, el('button', {type: 'submit', id: 'evidence-submit'}, t('evidence.submit'))));
  const showFields = () => {
    const used = ORG_FIELDS[kind.value] || [];
    for (const [key, node] of Object.entries(fields)) {
      node.hidden = !used.includes(key);
    }
  };
  kind.addEventListener('change', showFields);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!kind.value) {
      showAlert(t('evidence.kind') + ': ' + t('evidence.kind.choose'));
      kind.focus();
      return;
    }
    const used = ORG_FIELDS[kind.value];
    const record = {kind: `ORG_RECORD_KIND_${kind.value}`, notes: notes.value};
    const values = {date: date.value, name: name.value, item: item.value, method: method.value,
                    offlineCopy: offline.value === 'true', answer: answerSelect.value === 'true'};
    for (const key of used) {
      record[key] = values[key];
    }
    try {
      await api('RecordOrgEvidence', {record});
      await rerender(renderEvidence, t('evidence.recorded', t(`org.${record.kind}`)));
    } catch (error) {
      showError(error);
    }
  });
  return form;
}

// ---------------------------------------------------------------------------------------------
// Reports: fetched and saved through a Blob under the collector's file name.
const REPORT_KINDS = ['VISIT', 'CHECKLIST', 'FINDINGS', 'ACCOUNTS', 'LEDGER'];
const REPORT_FORMATS = ['HTML', 'CSV', 'JSON'];

function fileNameFrom(disposition) {
  const header = String(disposition || '');
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  let name = '';
  if (star) {
    try {
      name = decodeURIComponent(star[1].trim());
    } catch {
      name = '';
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*"([^"]*)"/i.exec(header) || /filename\s*=\s*([^;]+)/i.exec(header);
    name = plain ? plain[1].trim() : '';
  }
  // A name only: no directories, no control characters.
  name = name.replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_').replace(/^\.+/, '');
  return name || 'mamori-report';
}

async function downloadReport(kind, format, language, status) {
  const label = `${t(`report.REPORT_KIND_${kind}`)} (${format})`;
  status.replaceChildren(el('p', {class: 'loading'}, t('reports.working', label)));
  const response = await post('/api/v1/GenerateReport', {
    kind: `REPORT_KIND_${kind}`, format: `REPORT_FORMAT_${format}`, language: `REPORT_LANGUAGE_${language}`,
  });
  if (response.status === 401) {
    endSession('expired');
    throw new SessionEnded();
  }
  if (!response.ok) {
    status.replaceChildren();
    throw await readError(response);
  }
  lastActivity = Date.now();
  const blob = await response.blob();
  const name = fileNameFrom(response.headers.get('Content-Disposition'));
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;  // a blob: URL this page made, not data
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  status.replaceChildren(notice(t('reports.saved', name, blob.size)));
}

async function renderReports(view) {
  view.append(pageHeading('reports.title'), el('p', {class: 'lead'}, t('reports.lead')));
  const radios = ['JA', 'EN'].map((l) => el('label', {},
      el('input', {type: 'radio', name: 'report-lang', value: l, checked: (lang === 'en') === (l === 'EN')}),
      t(`reports.lang.${l.toLowerCase()}`)));
  view.append(el('fieldset', {class: 'no-print'}, el('legend', {}, t('reports.lang')),
                 el('div', {class: 'radio-row'}, radios)));
  const status = el('div', {id: 'report-status', 'aria-live': 'polite'});
  const rows = REPORT_KINDS.map((kind) => el('tr', {'data-kind': kind},
      el('th', {scope: 'row'}, t(`report.REPORT_KIND_${kind}`)),
      el('td', {}, t(`report.what.REPORT_KIND_${kind}`)),
      el('td', {}, el('div', {class: 'button-row'}, REPORT_FORMATS.map((format) => el('button', {
        type: 'button', class: format === 'HTML' ? '' : 'secondary', 'data-format': format,
        'aria-label': t('reports.get.aria', t(`report.REPORT_KIND_${kind}`), format),
        on: {click: async (event) => {
          const button = event.currentTarget;
          button.disabled = true;
          showAlert('');
          const language = view.querySelector('input[name="report-lang"]:checked')?.value || 'JA';
          try {
            await downloadReport(kind, format, language, status);
          } catch (error) {
            showError(error);
          } finally {
            button.disabled = false;
          }
        }},
      }, format))))));
  view.append(table([t('reports.col.kind'), t('reports.col.what'), t('reports.col.get')], rows,
                    {name: 'reports'}), status);
}

// ---------------------------------------------------------------------------------------------
// Enrollment tokens (admin).
async function renderTokens(view, message, created) {
  const answer = await api('ListEnrollmentTokens', {});
  view.append(pageHeading('tokens.title'), el('p', {class: 'lead'}, t('tokens.lead')));
  if (message) {
    view.append(notice(message));
  }
  if (created) {
    const code = el('code', {id: 'new-token'}, created.token);
    view.append(el('div', {class: 'token-box', role: 'region', 'aria-label': t('tokens.create')},
        el('p', {}, el('strong', {}, t('tokens.once'))), code,
        el('p', {}, t('tokens.expires', fmtTime(created.expiresAt), created.uses)),
        el('p', {class: 'small'}, t('tokens.fingerprint')),
        el('button', {type: 'button', class: 'secondary no-print', on: {click: async () => {
          try {
            await navigator.clipboard.writeText(created.token);
            announce(t('tokens.copied'));
          } catch {
            const range = document.createRange();
            range.selectNodeContents(code);
            window.getSelection().removeAllRanges();
            window.getSelection().addRange(range);
          }
        }}}, t('tokens.copy'))));
  }
  const label = el('input', {type: 'text', id: 'token-label', name: 'label', maxlength: '200',
                             placeholder: t('tokens.label.hint'), required: true});
  const hours = el('input', {type: 'number', id: 'token-hours', name: 'hours', min: '1', max: '720', value: '24',
                             required: true});
  const uses = el('input', {type: 'number', id: 'token-uses', name: 'uses', min: '1', max: '1000', value: '1',
                            required: true});
  const form = el('form', {class: 'stack', id: 'token-form'},
      el('div', {class: 'field'}, el('label', {for: 'token-label'}, t('tokens.label')), label),
      el('div', {class: 'field'}, el('label', {for: 'token-hours'}, t('tokens.hours')), hours),
      el('div', {class: 'field'}, el('label', {for: 'token-uses'}, t('tokens.uses')), uses),
      el('div', {}, el('button', {type: 'submit', id: 'token-submit'}, t('tokens.submit'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const made = await api('CreateEnrollmentToken', {
        label: label.value, ttl: `${Math.round(Number(hours.value) * 3600)}s`, uses: String(int(uses.value)),
      });
      await rerender((v) => renderTokens(v, '', made));
    } catch (error) {
      showError(error);
    }
  });
  view.append(el('h2', {}, t('tokens.create')), form, el('h2', {}, t('tokens.list')));
  const tokens = answer.tokens || [];
  if (!tokens.length) {
    view.append(el('p', {}, t('tokens.none')));
    return;
  }
  const now = Date.now();
  const rows = tokens.map((tk) => {
    const expires = parseTime(tk.expiresAt);
    const state = parseTime(tk.revokedAt) ? 'revoked' : expires && expires.getTime() < now ? 'expired'
        : int(tk.usesLeft) <= 0 ? 'used' : 'active';
    return el('tr', {'data-token': tk.tokenId},
        el('td', {class: 'name-cell'}, tk.label || tk.tokenId),
        el('td', {class: 'nowrap'}, fmtTime(tk.createdAt)),
        el('td', {class: 'nowrap'}, fmtTime(tk.expiresAt)),
        el('td', {class: 'num'}, String(int(tk.usesLeft))),
        el('td', {}, state === 'active' ? light('ok', t('tokens.state.active'))
                                         : el('span', {class: 'muted'}, t(`tokens.state.${state}`))),
        el('td', {}, state === 'active' ? el('button', {
          type: 'button', class: 'danger', 'aria-label': t('tokens.revoke.aria', tk.label || tk.tokenId),
          on: {click: async (event) => {
            event.currentTarget.disabled = true;
            try {
              await api('RevokeEnrollmentToken', {tokenId: tk.tokenId});
              await rerender((v, m) => renderTokens(v, m), t('tokens.revoked', tk.label || tk.tokenId));
            } catch (error) {
              showError(error);
            }
          }},
        }, t('tokens.revoke')) : t('none')));
  });
  view.append(table([t('tokens.col.label'), t('tokens.col.created'), t('tokens.col.expires'),
                     {text: t('tokens.col.uses'), num: true}, t('tokens.col.state'), t('tokens.col.revoke')],
                    rows, {name: 'tokens'}));
}

// ---------------------------------------------------------------------------------------------
// Audit log (admin).
async function renderAudit(view) {
  const answer = await api('ListAuditEvents', {limit: 1000});
  view.append(pageHeading('audit.title'), el('p', {class: 'lead'}, t('audit.lead')));
  const events = (answer.events || []).slice().reverse();
  if (!events.length) {
    view.append(el('p', {}, t('audit.none')));
    return;
  }
  const rows = events.map((e) => el('tr', {},
      el('td', {class: 'nowrap'}, fmtTime(e.at)),
      el('td', {class: 'name-cell'}, e.actor || t('none')),
      el('td', {}, e.role === 'admin' || e.role === 'vendor' ? t(`role.${e.role}`) : e.role || t('none')),
      el('td', {}, String(e.action || '').replace(/^CollectorAdmin\//, '')),
      el('td', {class: 'name-cell'}, e.target || t('none')),
      el('td', {class: 'small name-cell'}, e.detail || ''),
      el('td', {}, e.outcome === 'ok' ? t('audit.outcome.ok')
          : e.outcome === 'refused' || e.outcome === 'failed' ? light('bad', t(`audit.outcome.${e.outcome}`))
          : e.outcome || t('none'))));
  view.append(table([t('audit.col.at'), t('audit.col.actor'), t('audit.col.role'), t('audit.col.action'),
                     t('audit.col.target'), t('audit.col.detail'), t('audit.col.outcome')], rows,
                    {name: 'audit'}));
}

boot();
