// consent_check: does a valid consent cover this use right now?
// Clauses 2.4, 2.5, 7 (exception); APPI 20(2), 27, 28.
#ifndef PIP_SRC_EVAL_CONSENT_CHECK_H_
#define PIP_SRC_EVAL_CONSENT_CHECK_H_

#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// Finds a consent among `consents` that is valid at `as_of` and covers every
// category of `categories`, every purpose of `purposes` and `recipient`.
// A consent is valid iff its subject matches, granted_at <= as_of, it was
// not withdrawn at or before as_of, it has not expired at as_of, and its
// consent version is not older than the policy's min_consent_version.
//
// Returns the index of the consent relied on (the most recently granted of
// the valid ones), or -1. On -1, reports to `sink`, with `clause`, every
// reason each consent failed, or NO_CONSENT when there was none.
template <typename Sink>
int FindValidConsent(const CompiledPolicy& policy,
                     absl::Span<const ConsentRecord> consents,
                     const IdSet& categories, const IdSet& purposes,
                     int recipient, absl::Time as_of, ClauseIndex clause,
                     Sink& sink);

// The clause a consent for this scope answers to: the recipient's consent
// clause when provision to it needs a named consent, else the clause of the
// first category that needs consent, else the first category's clause.
ClauseIndex ConsentClause(const CompiledPolicy& policy,
                          const IdSet& categories, int recipient);

// Evaluates a consent_check query: `valid` and `consent` (the index of the
// consent relied on, or -1, with the reasons in `sink`) of the verdict. The
// handles and sets of `f` must be of `policy`.
template <typename Sink>
ConsentVerdict EvaluateConsentCheck(const CompiledPolicy& policy,
                                    const ConsentFacts& f, Sink& sink) {
  const int recipient = RecipientIndex(policy, f.recipient);
  ConsentVerdict v;
  v.consent = FindValidConsent(
      policy, f.consents, BitsOf(f.categories), BitsOf(f.purposes), recipient,
      f.as_of, ConsentClause(policy, BitsOf(f.categories), recipient), sink);
  v.valid = v.consent >= 0;
  return v;
}

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CONSENT_CHECK_H_
