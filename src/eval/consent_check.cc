#include "src/eval/consent_check.h"

namespace pip {
namespace eval_internal {
namespace {

// Why one consent does not qualify, as bits in the order reasons are
// reported.
enum ConsentFault : uint32_t {
  kSubjectMismatch = 1u << 0,
  kNotYetValid = 1u << 1,
  kWithdrawn = 1u << 2,
  kExpired = 1u << 3,
  kStaleVersion = 1u << 4,
  kOutOfScope = 1u << 5,
};

constexpr struct {
  ConsentFault fault;
  v1::ReasonCode code;
} kFaultCodes[] = {
    {kSubjectMismatch, v1::SUBJECT_MISMATCH},
    {kNotYetValid, v1::NOT_YET_VALID},
    {kWithdrawn, v1::WITHDRAWN},
    {kExpired, v1::EXPIRED},
    {kStaleVersion, v1::STALE_VERSION},
    {kOutOfScope, v1::OUT_OF_SCOPE},
};

bool CoversRecipient(const CompiledPolicy& policy, const ConsentRecord& c,
                     int recipient) {
  // An empty recipients list means internal use only: a recipient that needs
  // a named consent is covered only when the consent names it.
  return !policy.recipients[recipient].requires_named_consent ||
         Access::Bits(c.recipients).Contains(recipient);
}

uint32_t Faults(const CompiledPolicy& policy, const ConsentRecord& c,
                const IdSet& categories, const IdSet& purposes,
                int recipient, absl::Time as_of) {
  uint32_t faults = 0;
  if (!c.subject_matches) faults |= kSubjectMismatch;
  if (c.granted_at > as_of) faults |= kNotYetValid;
  if (c.withdrawn_at <= as_of) faults |= kWithdrawn;
  if (c.expires_at <= as_of) faults |= kExpired;
  if (c.consent_version < policy.min_consent_version) faults |= kStaleVersion;
  if (!Access::Bits(c.categories).ContainsAll(categories) ||
      !Access::Bits(c.purposes).ContainsAll(purposes) ||
      !CoversRecipient(policy, c, recipient)) {
    faults |= kOutOfScope;
  }
  return faults;
}

}  // namespace

ClauseIndex ConsentClause(const CompiledPolicy& policy,
                          const IdSet& categories, int recipient) {
  const auto& r = policy.recipients[recipient];
  if (r.requires_named_consent) return r.consent_clause;
  int first = -1;
  int gated = -1;
  categories.ForEach([&](int id) {
    if (first < 0) first = id;
    if (gated < 0 && policy.consent_gated_categories.Contains(id)) gated = id;
  });
  if (gated >= 0) {
    for (const auto& cond : policy.categories[gated].conditions) {
      if (cond.kind == policy_internal::CompiledCondition::Kind::kConsent) {
        return cond.clause;
      }
    }
  }
  return first >= 0 ? policy.categories[first].clause : 0;
}

template <typename Sink>
int FindValidConsent(const CompiledPolicy& policy,
                     absl::Span<const ConsentRecord> consents,
                     const IdSet& categories, const IdSet& purposes,
                     int recipient, absl::Time as_of, ClauseIndex clause,
                     Sink& sink) {
  int best = -1;
  for (size_t i = 0; i < consents.size(); ++i) {
    if (Faults(policy, consents[i], categories, purposes, recipient, as_of) ==
        0) {
      if (best < 0 || consents[i].granted_at > consents[best].granted_at) {
        best = static_cast<int>(i);
      }
    }
  }
  if (best >= 0) return best;

  ReasonRef r;
  r.clause = clause;
  if (consents.empty()) {
    r.code = v1::NO_CONSENT;
    sink.Add(r);
    return -1;
  }
  if constexpr (Sink::kDetailed) {
    for (size_t i = 0; i < consents.size(); ++i) {
      const uint32_t faults =
          Faults(policy, consents[i], categories, purposes, recipient, as_of);
      r.consent = static_cast<int16_t>(i);
      for (const auto& fc : kFaultCodes) {
        if (faults & fc.fault) {
          r.code = fc.code;
          sink.Add(r);
        }
      }
    }
  } else {
    // The reason the detailed list gives first: the first fault of the
    // first consent (every consent has one, or it would have been relied on).
    const uint32_t faults =
        Faults(policy, consents[0], categories, purposes, recipient, as_of);
    r.consent = 0;
    for (const auto& fc : kFaultCodes) {
      if (faults & fc.fault) {
        r.code = fc.code;
        break;
      }
    }
    sink.Add(r);
  }
  return -1;
}

template int FindValidConsent<ReasonList>(const CompiledPolicy&,
                                          absl::Span<const ConsentRecord>,
                                          const IdSet&, const IdSet&, int,
                                          absl::Time,
                                          ClauseIndex, ReasonList&);
template int FindValidConsent<ReasonCounter>(const CompiledPolicy&,
                                             absl::Span<const ConsentRecord>,
                                             const IdSet&, const IdSet&, int,
                                             absl::Time, ClauseIndex,
                                             ReasonCounter&);

}  // namespace eval_internal
}  // namespace pip
