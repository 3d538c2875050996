#include "src/eval/purpose_allowed.h"

#include <algorithm>

#include "src/eval/consent_check.h"

namespace pip {
namespace eval_internal {
namespace {

using policy_internal::CompiledCondition;

v1::ReasonCode ContextCode(uint32_t bit) {
  switch (bit) {
    case policy_internal::kContextAnonymized:
      return v1::NOT_ANONYMIZED;
    case policy_internal::kContextHealthService:
      return v1::NOT_HEALTH_SERVICE;
    case policy_internal::kContextNecessityDocumented:
      return v1::NECESSITY_NOT_DOCUMENTED;
  }
  return v1::REASON_CODE_UNSPECIFIED;
}

// Checks one condition; on failure reports it. `about` carries the category
// or purpose the condition belongs to. `consent_scope` is what a consent
// must cover. Returns false when the condition denies.
// The caller-supplied facts of `f` as the bits conditions demand.
uint32_t ContextBits(const PurposeContext& c) {
  return (c.anonymized ? policy_internal::kContextAnonymized : 0u) |
         (c.health_service ? policy_internal::kContextHealthService : 0u) |
         (c.necessity_documented ? policy_internal::kContextNecessityDocumented
                                 : 0u);
}

// A purpose_allowed query as its rules read it: dense ids.
struct Use {
  const PurposeFacts& f;
  // f.consents at f.as_of, each judged once for every consent requirement.
  ConsentsAt& consents;
  int purpose;
  int recipient;
  uint32_t context;
  // A case of APPI 27(1) the use rests on, or -1.
  int legal_ground;
};

template <typename Sink>
bool CheckCondition(const CompiledPolicy& policy, const Use& q,
                    const CompiledCondition& cond, const ReasonRef& about,
                    const IdSet& consent_scope, Sink& sink) {
  ReasonRef r = about;
  r.clause = cond.clause;
  switch (cond.kind) {
    case CompiledCondition::Kind::kContext:
      if (q.context & cond.context_bit) return true;
      r.code = ContextCode(cond.context_bit);
      sink.Add(r);
      return false;
    case CompiledCondition::Kind::kPurposes:
      if (cond.allowed_purposes.Contains(q.purpose)) return true;
      r.code = v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY;
      sink.Add(r);
      return false;
    case CompiledCondition::Kind::kConsent: {
      // APPI 18(3), 20(2), 27(1): the cases of the Act need no consent.
      if (q.legal_ground >= 0) return true;
      IdSet purpose;
      purpose.Insert(q.purpose);
      r.article = cond.article;
      const size_t mark = sink.Mark();
      if (CoverByConsent(policy, q.consents, consent_scope, purpose,
                         q.recipient, ConsentCite{cond.clause, cond.article},
                         r, sink) >= 0) {
        return true;
      }
      // The requirement first, then why each consent fell short.
      r.code = v1::CONSENT_REQUIRED;
      sink.InsertAt(mark, r);
      return false;
    }
  }
  return false;
}

// 8.1: whether `req` is in force at `as_of`: received and not rejected or
// withdrawn by then. A carried-out request stays in force.
bool InForce(const PendingRequest& req, absl::Time as_of) {
  if (req.received_at > as_of) return false;  // not yet received
  switch (req.status) {
    case RequestState::kReceived:
    case RequestState::kCarriedOut:
      return true;
    case RequestState::kRejected:
    case RequestState::kWithdrawn:
      return as_of < req.decided_at;
  }
  return true;  // an unknown state is read as in force: never allow by it
}

// The reason of a permitted use: the purpose is one of clause 4.
ReasonRef Permitted(const CompiledPolicy& policy, int purpose) {
  ReasonRef r;
  r.code = v1::PURPOSE_PERMITTED;
  r.clause = policy.purposes[purpose].clause;
  r.purpose = static_cast<int16_t>(purpose);
  return r;
}

// The reason of a use under a case of APPI 27(1): the clause that reserves
// the case (the recipient's consent clause, APPI 27 or 28, or the ground's
// own) and its item of the Act; for internal use, which is no provision but
// a use beyond the purposes, the same case's item of APPI 18(3).
ReasonRef GroundApplies(const CompiledPolicy& policy, const Use& q) {
  const auto& ground = policy.legal_grounds[q.legal_ground];
  const auto& recipient = policy.recipients[q.recipient];
  ReasonRef r;
  r.code = v1::LEGAL_GROUND_APPLIES;
  if (q.recipient == policy.default_recipient &&
      ground.use_article != policy_internal::kNoClause) {
    r.clause = ground.use_article;
  } else {
    r.clause = recipient.requires_named_consent ? recipient.consent_clause
                                                : ground.clause;
    r.article = ground.article;
  }
  r.recipient = static_cast<int16_t>(q.recipient);
  r.provision = static_cast<int16_t>(q.legal_ground);
  return r;
}

// APPI 29(1): whether an allowed provision must be recorded (RecordDuty).
template <typename Sink>
void AddRecordDuty(const CompiledPolicy& policy, const Use& q, Sink& sink) {
  const ReasonRef r = RecordDuty(policy, q.recipient, q.legal_ground);
  if (r.code != v1::REASON_CODE_UNSPECIFIED) sink.Add(r);
}

}  // namespace

ReasonRef RecordDuty(const CompiledPolicy& policy, int recipient,
                     int legal_ground) {
  ReasonRef r;
  if (!policy.provision_record.present ||
      recipient == policy.default_recipient) {
    return r;
  }
  r.clause = policy.provision_record.clause;
  r.recipient = static_cast<int16_t>(recipient);
  if (legal_ground >= 0) {
    // The proviso of 29(1): a case of 27(1).
    r.code = v1::PROVISION_RECORD_NOT_REQUIRED;
    r.article = policy.legal_grounds[legal_ground].article;
    r.provision = static_cast<int16_t>(legal_ground);
  } else if (policy.recipients[recipient].provision_record_required) {
    r.code = v1::PROVISION_RECORD_REQUIRED;
    r.article = policy.provision_record.period_article;
  } else {
    // The proviso of 29(1): not a provision to a third party (27(5)).
    r.code = v1::PROVISION_RECORD_NOT_REQUIRED;
  }
  return r;
}

template <typename Sink>
void EvaluatePurposeAllowed(const CompiledPolicy& policy, const PurposeFacts& f,
                            Sink& sink, PurposeVerdict* out, int legal_ground) {
  ConsentsAt consents(policy, f.consents, f.as_of);
  const Use q{f, consents, IndexOf(f.purpose),
              RecipientIndex(policy, f.recipient), ContextBits(f.context),
              legal_ground};
  const IdSet& categories = BitsOf(f.categories);
  PurposeVerdict& verdict = *out;
  if (legal_ground < 0 &&
      NoRuleApplies(policy, categories, q.purpose, q.recipient,
                    !f.active_requests.empty())) {
    if constexpr (Sink::kDetailed) {
      sink.Add(Permitted(policy, q.purpose));
      AddRecordDuty(policy, q, sink);
    }
    verdict.allowed = true;
    return;
  }
  bool allowed = true;

  // 8.1: active requests of the subject. A request to suspend use or to
  // stop provision lies against handling that breaks the Act (APPI 35); a
  // use under a case of 27(1) does not, and no request blocks it.
  for (size_t i = 0; legal_ground < 0 && i < f.active_requests.size(); ++i) {
    const PendingRequest& req = f.active_requests[i];
    if (!InForce(req, f.as_of)) continue;
    // The request's scope: no list is every purpose, every category.
    const IdSet& scope_purposes = BitsOf(req.purposes);
    const IdSet& scope_categories = BitsOf(req.categories);
    const bool by_purpose = !scope_purposes.Empty();
    const bool by_category = !scope_categories.Empty();
    if (by_purpose && !scope_purposes.Contains(q.purpose)) continue;
    const IdSet covered = scope_categories & categories;
    if (by_category && covered.Empty()) continue;
    const auto& type = policy.request_types[IndexOf(req.type)];
    ReasonRef r;
    r.clause = type.effect_clause;
    r.request = static_cast<int16_t>(i);
    r.wording = by_purpose && by_category ? kScopedToBoth
                : by_purpose              ? kScopedToPurposes
                : by_category             ? kScopedToCategories
                                          : uint8_t{0};
    if (by_category) {
      // The first category of the use the request covers.
      int first = -1;
      covered.ForEach([&](int c) {
        if (first < 0) first = c;
      });
      r.category = static_cast<int16_t>(first);
    }
    if (type.blocked_purposes.Contains(q.purpose)) {
      r.code = v1::SUSPENDED_BY_REQUEST;
      r.purpose = static_cast<int16_t>(q.purpose);
      sink.Add(r);
      allowed = false;
    }
    if (type.blocked_recipients.Contains(q.recipient)) {
      r.code = v1::THIRD_PARTY_STOPPED;
      r.purpose = by_purpose ? static_cast<int16_t>(q.purpose) : -1;
      r.recipient = static_cast<int16_t>(q.recipient);
      sink.Add(r);
      allowed = false;
    }
  }

  // Clause 4: the purpose's own conditions.
  if (policy.conditional_purposes.Contains(q.purpose)) {
    ReasonRef about;
    about.purpose = static_cast<int16_t>(q.purpose);
    for (const auto& cond : policy.purposes[q.purpose].conditions) {
      allowed &= CheckCondition(policy, q, cond, about, categories, sink);
    }
  }

  // Clause 2: the conditions of each category used.
  const IdSet gated = categories & policy.conditional_categories;
  gated.ForEach([&](int category) {
    ReasonRef about;
    about.category = static_cast<int16_t>(category);
    about.purpose = static_cast<int16_t>(q.purpose);
    IdSet only;
    only.Insert(category);
    for (const auto& cond : policy.categories[category].conditions) {
      allowed &= CheckCondition(policy, q, cond, about, only, sink);
    }
  });

  // APPI 27, 28: provision to a recipient that needs a named consent; each
  // category provided may rest on a different consent.
  const auto& recipient = policy.recipients[q.recipient];
  if (recipient.requires_named_consent && legal_ground < 0) {
    IdSet purpose;
    purpose.Insert(q.purpose);
    ReasonRef r;
    r.clause = recipient.consent_clause;
    r.recipient = static_cast<int16_t>(q.recipient);
    const size_t mark = sink.Mark();
    if (CoverByConsent(policy, q.consents, categories, purpose, q.recipient,
                       ConsentCite{recipient.consent_clause}, r, sink) < 0) {
      r.code = v1::RECIPIENT_CONSENT_REQUIRED;
      sink.InsertAt(mark, r);
      allowed = false;
    }
  }

  verdict.allowed = allowed;
  if constexpr (Sink::kDetailed) {
    auto& items = sink.items;
    if (allowed) {
      // Only reliance notes were reported; the permission leads, worded for
      // a use that met the rules that applied to it.
      ReasonRef permitted = Permitted(policy, q.purpose);
      permitted.wording = kRulesMet;
      items.insert(items.begin(), permitted);
      if (legal_ground >= 0) {
        items.insert(items.begin() + 1, GroundApplies(policy, q));
      }
      AddRecordDuty(policy, q, sink);
    } else {
      // A denial lists what denies, not what was satisfied.
      items.erase(std::remove_if(items.begin(), items.end(),
                                 [](const ReasonRef& r) {
                                   return r.code == v1::CONSENT_RELIED;
                                 }),
                  items.end());
    }
    for (const ReasonRef& r : items) {
      if (r.code == v1::CONSENT_RELIED) {
        verdict.consent = r.consent;
        break;
      }
    }
  } else {
    if (allowed) verdict.consent = sink.relied;
  }
}

template void EvaluatePurposeAllowed<ReasonList>(const CompiledPolicy&,
                                                 const PurposeFacts&,
                                                 ReasonList&, PurposeVerdict*,
                                                 int);
template void EvaluatePurposeAllowed<ReasonCounter>(const CompiledPolicy&,
                                                    const PurposeFacts&,
                                                    ReasonCounter&,
                                                    PurposeVerdict*, int);

}  // namespace eval_internal
}  // namespace pip
