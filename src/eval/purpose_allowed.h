// purpose_allowed: may these categories be used for this purpose, and given
// to this recipient, now? Clauses 2, 4, 8.1; APPI 27, 28.
#ifndef PIP_SRC_EVAL_PURPOSE_ALLOWED_H_
#define PIP_SRC_EVAL_PURPOSE_ALLOWED_H_

#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// Evaluates every rule of the policy that bears on the query:
//  - an active request whose effect blocks the purpose (8.1 suspension) or
//    the recipient (8.1 third-party stop);
//  - the purpose's conditions (4.3: statistics on anonymized data only);
//  - each category's conditions (2.4 location with consent; 2.5 health only
//    in a health service, for 4.1/4.4 purposes, with consent; 2.5 family
//    structure with documented necessity);
//  - a recipient that needs a named consent (APPI 27, 28).
// Returns true when no rule denies. Every denying rule is reported to `sink`;
// when allowed, `sink` gets PURPOSE_PERMITTED and a CONSENT_RELIED for each
// consent relied on.
template <typename Sink>
bool EvaluatePurposeAllowed(const CompiledPolicy& policy,
                            const PurposeQuery& q, Sink& sink);

// The first step of EvaluatePurposeAllowed, inline for the hot path: true
// when no rule can bear on the query (no active request, a purpose without
// conditions, no category with conditions, a recipient that needs no named
// consent). The use is then permitted with PURPOSE_PERMITTED alone, and
// nothing else needs to be looked at.
inline bool NoRuleApplies(const CompiledPolicy& policy,
                          const CategorySet& categories, int purpose,
                          int recipient, bool any_active_request) {
  return !any_active_request && !policy.conditional_purposes.Contains(purpose) &&
         !policy.named_consent_recipients.Contains(recipient) &&
         !categories.Intersects(policy.conditional_categories);
}

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_PURPOSE_ALLOWED_H_
