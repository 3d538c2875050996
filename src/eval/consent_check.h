// consent_check: does a valid consent cover this use right now?
// Clauses 2.4, 2.5, 7; APPI 20(2), 27, 28; PPC Q&A 1-62.
//
// CoverByConsent() is the one coverage rule: purpose_allowed asks it for
// each consent its rules need, acquisition_check for each category acquired
// only with consent, consent_check for the whole query, so that they cannot
// disagree.
#ifndef PIP_SRC_EVAL_CONSENT_CHECK_H_
#define PIP_SRC_EVAL_CONSENT_CHECK_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/limits.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// The clause a coverage finding cites, and the article of law beside it.
struct ConsentCite {
  ClauseIndex clause = 0;
  ClauseIndex article = kNoClause;
  // A finding about one category cites that category's own consent
  // requirement, when it has one, instead (consent_check, where the query
  // is not one rule's).
  bool per_category = false;
};

// Whether consent `c` counts at `as_of` whatever its scope: its subject
// matches, granted_at <= as_of, it was not withdrawn at or before as_of, it
// has not expired at as_of, its consent version is not older than the
// policy's min_consent_version, and, when it was given below the policy's
// age of consent, a legal representative's consent is recorded with it.
bool ConsentCounts(const CompiledPolicy& policy, const ConsentRecord& c,
                   absl::Time as_of);

// The consents of one query and the time it is asked at, with whether each
// counts (ConsentCounts) worked out the first time a question needs it and
// remembered: purpose_allowed asks the coverage rule one question per
// consent requirement (a gated category, the recipient) about the same
// consents. One per evaluation, on its stack; not shared between threads.
class ConsentsAt {
 public:
  ConsentsAt(const CompiledPolicy& policy,
             absl::Span<const ConsentRecord> consents, absl::Time as_of)
      : policy_(policy), consents_(consents), as_of_(as_of) {
    // The first word by itself: a query has a few consents, and the loop
    // alone becomes a string store whose start-up costs more than the
    // judging of a consent.
    known_[0] = counts_[0] = 0;
    const size_t words =
        (std::min(consents.size(), kWords * 64) + 63) / 64;
    for (size_t w = 1; w < words; ++w) known_[w] = counts_[w] = 0;
  }
  ConsentsAt(const ConsentsAt&) = delete;
  ConsentsAt& operator=(const ConsentsAt&) = delete;

  absl::Span<const ConsentRecord> consents() const { return consents_; }
  absl::Time as_of() const { return as_of_; }

  // ConsentCounts of consents()[i]; i < consents().size() and
  // i < kMaxConsentsPerRequest (CoverByConsent judges no consent past the
  // limit).
  bool Counts(size_t i) {
    const uint64_t bit = uint64_t{1} << (i % 64);
    uint64_t& known = known_[i / 64];
    if (!(known & bit)) {
      known |= bit;
      if (ConsentCounts(policy_, consents_[i], as_of_)) counts_[i / 64] |= bit;
    }
    return (counts_[i / 64] & bit) != 0;
  }

 private:
  static constexpr size_t kWords = (kMaxConsentsPerRequest + 63) / 64;

  const CompiledPolicy& policy_;
  const absl::Span<const ConsentRecord> consents_;
  const absl::Time as_of_;
  // Bit i: consent i judged; consent i counts. Words past the consents'
  // are left unset.
  uint64_t known_[kWords];
  uint64_t counts_[kWords];
};

// The coverage rule. Every category of `categories` must be covered by a
// consent of `consents` that counts at its as_of and whose scope covers it:
// the category (a consent for any category does not cover a category that
// needs a consent naming it: location, 2.4; special care-required data,
// APPI 20(2)), every purpose of `purposes` (none: acquisition) and
// `recipient` (an empty recipients list covers no recipient that needs a
// named consent). The consents may differ per category, and each category
// relies on the most recently granted one that covers it (the first listed
// among equals).
//
// When every category is covered, reports to `sink` a CONSENT_RELIED per
// category (`about` with the category and the consent set, citing `cite`)
// and returns the consent that covers the first category. Otherwise
// reports no reliance but why none qualified, citing `cite`: NO_CONSENT
// when there are no consents; else for each consent, every fault that
// keeps it from counting (SUBJECT_MISMATCH, NOT_YET_VALID, WITHDRAWN,
// EXPIRED, STALE_VERSION, MINOR_WITHOUT_REPRESENTATIVE), then its scope:
// one OUT_OF_SCOPE when the purposes or the recipient are not covered,
// else, for each category left uncovered that it does not cover,
// CATEGORY_NOT_NAMED (a consent for any category) or OUT_OF_SCOPE naming
// the category. Returns -1. A sink that is not detailed gets the reasons of
// the first consent only (its first is the decision's first).
template <typename Sink>
int CoverByConsent(const CompiledPolicy& policy, ConsentsAt& consents,
                   const IdSet& categories, const IdSet& purposes,
                   int recipient, ConsentCite cite, const ReasonRef& about,
                   Sink& sink);

// The clause a consent for this scope answers to: the recipient's consent
// clause when provision to it needs a named consent, else the clause (and
// article) of the first category's consent requirement, per category
// (ConsentCite::per_category), else the first category's clause.
ConsentCite ConsentClause(const CompiledPolicy& policy,
                          const IdSet& categories, int recipient);

// Evaluates a consent_check query: `valid` and `consent` of the verdict;
// the reliance per category, or the reasons, go to `sink`. The handles and
// sets of `f` must be of `policy`. `*v` is a default ConsentVerdict before
// the call.
template <typename Sink>
void EvaluateConsentCheck(const CompiledPolicy& policy, const ConsentFacts& f,
                          Sink& sink, ConsentVerdict* v) {
  const int recipient = RecipientIndex(policy, f.recipient);
  const IdSet& categories = BitsOf(f.categories);
  ConsentsAt consents(policy, f.consents, f.as_of);
  v->consent = CoverByConsent(
      policy, consents, categories, BitsOf(f.purposes), recipient,
      ConsentClause(policy, categories, recipient), ReasonRef(), sink);
  v->valid = v->consent >= 0;
}

// The same, returning the verdict.
template <typename Sink>
ConsentVerdict EvaluateConsentCheck(const CompiledPolicy& policy,
                                    const ConsentFacts& f, Sink& sink) {
  ConsentVerdict v;
  EvaluateConsentCheck(policy, f, sink, &v);
  return v;
}

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CONSENT_CHECK_H_
