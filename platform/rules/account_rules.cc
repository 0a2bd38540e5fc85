// Rules on local accounts and passwords (MHLW checklist 2-4, 2-5, 2-10, 2-11; 心得1).
#include <algorithm>

#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Could someone log in with it? An account whose state is not known counts as usable: a report that
// lists one account too many is reviewed; one that hides an account is not.
bool Usable(const facts::LocalAccount& account) {
  return account.enabled != false && account.locked != true;
}

bool PersonLogin(const facts::LocalAccount& account) {
  return !account.system_account && Usable(account);
}

bool OnWindows(const RuleContext& context) {
  return context.facts.inventory.os_family == facts::OsFamily::kWindows;
}

// Windows: RID 500 is the built-in Administrator, 501 Guest (whatever they were renamed to).
// Linux: root.
bool BuiltIn(const facts::LocalAccount& account, bool windows) {
  if (windows) {
    if (!account.id.empty()) {
      return EndsWith(account.id, "-500") || EndsWith(account.id, "-501");
    }
    return account.name == "Administrator" || account.name == "Guest";
  }
  return account.name == "root" || account.id == "0";
}

}  // namespace

RuleOutcome EvaluateUnusedAccounts(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  std::vector<std::string> unused;
  std::vector<std::string> subjects;
  int reviewed = 0;
  for (const facts::LocalAccount& account : list.accounts) {
    if (!PersonLogin(account)) {
      continue;
    }
    ++reviewed;
    if (!account.last_logon) {
      unused.push_back(account.name + " (ログイン記録なし)");
      subjects.push_back(account.name);
      continue;
    }
    const int64_t days = DaysBetween(*account.last_logon, context.now);
    if (days >= context.policy.unused_account_warn_days) {
      subjects.push_back(account.name);
      unused.push_back(account.name + " (最終ログイン " + DateText(*account.last_logon) + ", " +
                       std::to_string(days) + "日前)");
    }
  }
  if (!unused.empty()) {
    return {Status::kWarn,
            std::to_string(context.policy.unused_account_warn_days) +
                "日以上使われていない有効なアカウント " + std::to_string(unused.size()) +
                "件: " + JoinForEvidence(unused),
            std::move(subjects)};
  }
  return {Status::kPass, "有効なログインアカウント " + std::to_string(reviewed) + "件はいずれも" +
                             std::to_string(context.policy.unused_account_warn_days) +
                             "日以内に使用されています"};
}

RuleOutcome EvaluatePasswordAge(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  const std::optional<uint32_t> min_length = list.password_policy.min_length;
  const int64_t long_length = context.policy.long_password_min_length;
  // MHLW: with 13 or more characters periodic change is not required.
  if (min_length && *min_length >= long_length) {
    return {Status::kPass,
            "パスワードの最小文字数が " + std::to_string(*min_length) + "文字のため定期変更は不要"};
  }
  std::vector<std::string> old;
  std::vector<std::string> subjects;
  int unknown_age = 0;
  for (const facts::LocalAccount& account : list.accounts) {
    if (!PersonLogin(account) || account.password_empty == true) {
      continue;
    }
    if (!account.password_changed_at) {
      ++unknown_age;
      continue;
    }
    const int64_t days = DaysBetween(*account.password_changed_at, context.now);
    if (days >= context.policy.password_age_warn_days) {
      subjects.push_back(account.name);
      old.push_back(account.name + " (" + std::to_string(days) + "日前に変更)");
    }
  }
  const std::string policy_text =
      "最小文字数 " + (min_length ? std::to_string(*min_length) + "文字" : std::string("不明"));
  if (!old.empty()) {
    return {Status::kWarn,
            std::to_string(context.policy.password_age_warn_days) +
                "日以上変更されていないパスワード (" + policy_text + "): " + JoinForEvidence(old),
            std::move(subjects)};
  }
  if (unknown_age > 0) {
    return {Status::kUnknown, "パスワードの変更日を確認できないアカウント " +
                                  std::to_string(unknown_age) + "件 (" + policy_text + ")"};
  }
  return {Status::kPass, "すべてのパスワードが" +
                             std::to_string(context.policy.password_age_warn_days) +
                             "日以内に変更されています (" + policy_text + ")"};
}

RuleOutcome EvaluateBuiltinAccounts(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  const bool windows = OnWindows(context);
  std::vector<std::string> usable;
  std::vector<std::string> unclear;
  int found = 0;
  for (const facts::LocalAccount& account : list.accounts) {
    if (!BuiltIn(account, windows)) {
      continue;
    }
    ++found;
    if (!account.enabled.has_value() && !account.locked.has_value()) {
      unclear.push_back(account.name);
    } else if (Usable(account)) {
      usable.push_back(account.name);
    }
  }
  if (!usable.empty()) {
    // On Windows the RID 500/501 accounts are disabled out of the box, so an enabled one is a
    // deliberate change an inspector asks about; Linux servers often still need root's password.
    return {windows ? Status::kFail : Status::kWarn,
            "初期設定の組み込みアカウントが使用可能です: " + JoinForEvidence(usable), usable};
  }
  if (!unclear.empty()) {
    return {Status::kUnknown,
            "組み込みアカウントが使用可能か確認できません: " + JoinForEvidence(unclear), unclear};
  }
  if (found == 0) {
    return {Status::kPass, "使用可能な組み込みアカウントは見つかりません"};
  }
  return {Status::kPass, windows ? "組み込みの Administrator / Guest は無効"
                                 : "root はパスワードでログインできません (ロック済み)"};
}

RuleOutcome EvaluateEmptyPasswords(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  std::vector<std::string> empty;
  std::vector<std::string> unclear;
  int known = 0;
  for (const facts::LocalAccount& account : list.accounts) {
    if (!Usable(account)) {
      continue;
    }
    if (account.password_empty.has_value()) {
      ++known;
    } else {
      unclear.push_back(account.name);
    }
    if (account.password_empty == true) {
      empty.push_back(account.name);
    }
  }
  if (!empty.empty()) {
    return {Status::kFail, "パスワードなしでログインできるアカウント: " + JoinForEvidence(empty),
            empty};
  }
  // Windows cannot say whether a password is empty when "password not required" is set or no
  // minimum length applies (only a logon attempt could, and it would count toward lockout): those
  // accounts are named, never passed on a guess.
  if (!unclear.empty()) {
    return {Status::kUnknown,
            "パスワードが設定されているか確認できないアカウント: " + JoinForEvidence(unclear),
            unclear};
  }
  return {Status::kPass, "空のパスワードのアカウントなし (確認 " + std::to_string(known) + "件)"};
}

RuleOutcome EvaluatePasswordPolicy(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  const facts::PasswordPolicy& policy = list.password_policy;
  if (!policy.min_length) {
    return {Status::kUnknown, "パスワードの最小文字数を確認できません"};
  }
  const int64_t min_length = *policy.min_length;
  // A maximum age of 0 means "never expires" on Windows; Linux's 99999 is equally "never".
  const bool expires = policy.max_age_days && *policy.max_age_days > 0;
  const std::string seen =
      "最小文字数 " + std::to_string(min_length) + "文字、有効期限 " +
      (expires ? std::to_string(*policy.max_age_days) + "日" : std::string("なし"));
  if (min_length >= context.policy.long_password_min_length) {
    return {Status::kPass, seen};
  }
  if (min_length >= context.policy.password_min_length && expires &&
      static_cast<int64_t>(*policy.max_age_days) <= context.policy.password_max_age_days) {
    return {Status::kPass, seen};
  }
  return {Status::kFail,
          seen + " (必要: " + std::to_string(context.policy.long_password_min_length) +
              "文字以上、または" + std::to_string(context.policy.password_min_length) +
              "文字以上かつ有効期限" + std::to_string(context.policy.password_max_age_days) +
              "日以内)"};
}

RuleOutcome EvaluateAdministratorCount(const RuleContext& context) {
  const facts::AccountList& list = context.facts.accounts;
  if (auto unknown = UnknownUnlessCollected(list.meta, "アカウント")) {
    return *unknown;
  }
  std::vector<std::string> admins;
  for (const facts::LocalAccount& account : list.accounts) {
    if (account.admin == true && Usable(account)) {
      admins.push_back(account.name);
    }
  }
  const std::string seen = "有効な管理者 " + std::to_string(admins.size()) + "人" +
                           (admins.empty() ? std::string() : ": " + JoinForEvidence(admins));
  if (static_cast<int64_t>(admins.size()) > context.policy.max_enabled_administrators) {
    return {Status::kWarn, seen, admins};
  }
  return {Status::kPass, seen};
}

}  // namespace mamori::rules
