// purpose_allowed: may these categories be used for this purpose, and given
// to this recipient, now? Clauses 2, 4, 8.1; APPI 27, 28.
#ifndef PIP_SRC_EVAL_PURPOSE_ALLOWED_H_
#define PIP_SRC_EVAL_PURPOSE_ALLOWED_H_

#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// Evaluates every rule of the policy that bears on the use `f` describes:
//  - an active request whose effect blocks the purpose (8.1 suspension) or
//    the recipient (8.1 third-party stop);
//  - the purpose's conditions (4.3: statistics on anonymized data only);
//  - each category's conditions (2.4 location with consent; 2.5 health only
//    in a health service, for 4.1/4.4 purposes, with consent; 2.5 family
//    structure with documented necessity);
//  - a recipient that needs a named consent (APPI 27, 28).
// `legal_ground` is the index of a case of APPI 27(1) the use rests on
// (CompiledPolicy::legal_grounds), or -1: with one, no consent is asked for
// (APPI 18(3), 20(2), 27(1), 28(1)) and no request of 8.1 blocks the use;
// the other conditions still apply.
// Sets `allowed` of the verdict (true when no rule denies) and `consent`
// (the first consent relied on, or -1). Every denying rule is reported to
// `sink`; when allowed, `sink` gets PURPOSE_PERMITTED, LEGAL_GROUND_APPLIES
// with a ground, a CONSENT_RELIED for each consent relied on and, for a
// provision (a recipient other than the default) under a policy with a
// record rule, PROVISION_RECORD_REQUIRED or PROVISION_RECORD_NOT_REQUIRED
// (APPI 29(1)) last. The handles and sets of `f` must be of `policy` (the
// resolver and Snapshot check them). `*v` is a default PurposeVerdict
// before the call.
template <typename Sink>
void EvaluatePurposeAllowed(const CompiledPolicy& policy, const PurposeFacts& f,
                            Sink& sink, PurposeVerdict* v,
                            int legal_ground = -1);

// The same, returning the verdict.
template <typename Sink>
PurposeVerdict EvaluatePurposeAllowed(const CompiledPolicy& policy,
                                      const PurposeFacts& f, Sink& sink,
                                      int legal_ground = -1) {
  PurposeVerdict v;
  EvaluatePurposeAllowed(policy, f, sink, &v, legal_ground);
  return v;
}

// APPI 29(1): the record duty of an allowed provision to `recipient` (an
// index of policy.recipients), under the case `legal_ground` of APPI 27(1)
// or none (-1): PROVISION_RECORD_REQUIRED when the recipient's provisions
// are recorded, PROVISION_RECORD_NOT_REQUIRED under a case of 27(1) (which
// the reason names) or for a recipient that is no third party (27(5)).
// Code REASON_CODE_UNSPECIFIED for the default recipient (no provision) or
// a policy without a record rule. contractor_check asks it too, so the two
// functions say the same of every entrustment.
ReasonRef RecordDuty(const CompiledPolicy& policy, int recipient,
                     int legal_ground);

// The first step of EvaluatePurposeAllowed (snapshot_internal::
// NoRuleApplies, shared with the inline path of Snapshot::PurposeAllowed).
inline bool NoRuleApplies(const CompiledPolicy& policy, const IdSet& categories,
                          int purpose, int recipient, bool any_active_request) {
  return snapshot_internal::NoRuleApplies(
      categories, policy.purpose_category_gates[purpose],
      policy.named_consent_recipients.Contains(recipient), any_active_request);
}

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_PURPOSE_ALLOWED_H_
