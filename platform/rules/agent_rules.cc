// Rules on the mamori agent itself, from what only the collector knows: whether it still hears
// from the host (MHLW 2-1: a ledger is only as current as its last report).
#include "platform/rules/contact.h"
#include "platform/rules/rule_evaluators.h"
#include "platform/rules/rule_support.h"

namespace mamori::rules {

RuleOutcome EvaluateAgentContact(const RuleContext& context) {
  if (context.contact == nullptr) {
    return {Status::kNa, "収集サーバでのみ判定します"};
  }
  const bool server = IsServer(context);
  const ContactVerdict verdict =
      ClassifyContact(*context.contact, server, context.policy, context.now);
  switch (verdict.state) {
    case ContactState::kOnline:
      return {Status::kPass, verdict.evidence};
    case ContactState::kOffExpected:
      return {Status::kPass, "営業時間外のため電源オフとみなします: " + verdict.evidence};
    case ContactState::kStale:
      // A server is meant to run always; a workstation may also have been put away for good.
      return {server ? Status::kFail : Status::kWarn,
              verdict.evidence + " (役割: " + context.role.description + ")"};
    case ContactState::kNeverReported:
      return {Status::kUnknown, verdict.evidence};
  }
  return {Status::kUnknown, verdict.evidence};
}

}  // namespace mamori::rules
