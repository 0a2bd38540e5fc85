// The evaluate functions of the rules, one per rule id, grouped by area in *_rules.cc. Only
// rule_catalogue.cc (which pairs each with its id) and the rules' own tests use this header.
#pragma once

#include "platform/rules/rule_catalogue.h"

namespace mamori::rules {

// patch_rules.cc
RuleOutcome EvaluatePendingSecurityUpdates(const RuleContext& context);
RuleOutcome EvaluateOsEndOfSupport(const RuleContext& context);
RuleOutcome EvaluateRebootRequired(const RuleContext& context);
RuleOutcome EvaluateUpdateActivity(const RuleContext& context);

// antivirus_rules.cc
RuleOutcome EvaluateAntivirusRunning(const RuleContext& context);
RuleOutcome EvaluateRealtimeProtection(const RuleContext& context);
RuleOutcome EvaluateSignatureAge(const RuleContext& context);

// usb_rules.cc
RuleOutcome EvaluateUsbStorageBlocked(const RuleContext& context);
RuleOutcome EvaluateUsbStorageAttached(const RuleContext& context);

// idle_rules.cc
RuleOutcome EvaluateIdleSessions(const RuleContext& context);
RuleOutcome EvaluateSleepDisabled(const RuleContext& context);

// account_rules.cc
RuleOutcome EvaluateUnusedAccounts(const RuleContext& context);
RuleOutcome EvaluatePasswordAge(const RuleContext& context);
RuleOutcome EvaluateBuiltinAccounts(const RuleContext& context);
RuleOutcome EvaluateEmptyPasswords(const RuleContext& context);
RuleOutcome EvaluatePasswordPolicy(const RuleContext& context);
RuleOutcome EvaluateAdministratorCount(const RuleContext& context);

// host_hardening_rules.cc
RuleOutcome EvaluateAutomaticLogon(const RuleContext& context);
RuleOutcome EvaluateScreenLock(const RuleContext& context);
RuleOutcome EvaluateFirewall(const RuleContext& context);
RuleOutcome EvaluateDiskEncryption(const RuleContext& context);
RuleOutcome EvaluateRemoteLogin(const RuleContext& context);

// agent_rules.cc
RuleOutcome EvaluateAgentContact(const RuleContext& context);

}  // namespace mamori::rules
