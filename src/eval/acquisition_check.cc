#include "src/eval/acquisition_check.h"

#include <algorithm>

#include "src/eval/consent_check.h"

namespace pip {
namespace eval_internal {
namespace {

// APPI 20(2)(vii): published by the data subject, a public body or the
// press. Anyone else (or nobody) leaves the consent rule in place.
bool PublishedByExempt(v1::PublishedBy by) {
  return by == v1::PUBLISHED_BY_DATA_SUBJECT ||
         by == v1::PUBLISHED_BY_PUBLIC_BODY || by == v1::PUBLISHED_BY_PRESS;
}

// The clause and article a finding about acquiring `category` with consent
// cites: the category's own consent requirement (2.4; 2.5 with APPI 20(2)),
// and for special care-required data the article of 20(2) when the policy
// names none beside it.
ConsentCite AcquisitionCite(const CompiledPolicy& policy, int category) {
  IdSet only;
  only.Insert(category);
  ConsentCite cite = ConsentClause(policy, only, policy.default_recipient);
  cite.per_category = false;
  if (policy.acquisition.special_care_categories.Contains(category) &&
      cite.article == kNoClause) {
    cite.article = policy.acquisition.special_care_article;
  }
  return cite;
}

// The item of APPI 27(5) for a provider that is no third party, or
// kNoClause.
ClauseIndex NoThirdPartyArticle(const CompiledPolicy& policy,
                                v1::ProviderRole role) {
  const auto& a = policy.acquisition;
  switch (role) {
    case v1::PROVIDER_CONTRACTOR:
      return a.contractor_article;
    case v1::PROVIDER_SUCCESSOR:
      return a.successor_article;
    case v1::PROVIDER_JOINT_USER:
      return a.joint_use_article;
    default:
      return kNoClause;
  }
}

// Whether a finding states how a rule was met rather than what denies.
bool Satisfied(v1::ReasonCode code) {
  switch (code) {
    case v1::CONSENT_RELIED:
    case v1::PUBLISHED_EXCEPTION_APPLIES:
    case v1::SPECIAL_CARE_GROUND_APPLIES:
    case v1::PURPOSE_STATED:
    case v1::PURPOSES_PUBLISHED:
    case v1::CONFIRMATION_RECORD_REQUIRED:
    case v1::CONFIRMATION_NOT_REQUIRED:
      return true;
    default:
      return false;
  }
}

}  // namespace

template <typename Sink>
AcquisitionVerdict EvaluateAcquisitionCheck(const CompiledPolicy& policy,
                                            const AcquisitionFacts& f,
                                            Sink& sink) {
  const auto& channel = policy.acquisition_channels[f.channel];
  const auto& rules = policy.acquisition;
  const int16_t channel_ref = static_cast<int16_t>(f.channel);
  bool allowed = true;

  // Clause 3: what the channel acquires under the published policy.
  f.categories.ForEach([&](int category) {
    if (channel.acquired.Contains(category)) return;
    ReasonRef r;
    r.code = v1::CATEGORY_NOT_ACQUIRED_BY_CHANNEL;
    r.clause = channel.clause;
    r.category = static_cast<int16_t>(category);
    r.channel = channel_ref;
    sink.Add(r);
    allowed = false;
  });

  // Clause 2 and APPI 20(2): categories acquired only with consent.
  const IdSet special = f.categories & policy.acquisition.special_care_categories;
  const IdSet gated =
      (f.categories & policy.consent_gated_categories) | special;
  ConsentsAt consents(policy, f.consents, f.as_of);
  gated.ForEach([&](int category) {
    const ConsentCite cite = AcquisitionCite(policy, category);
    ReasonRef about;
    about.clause = cite.clause;
    about.article = cite.article;
    about.category = static_cast<int16_t>(category);
    if (special.Contains(category)) {
      // 20(2)(i)-(iv): the cases of the Act.
      if (f.legal_ground >= 0) {
        ReasonRef r = about;
        r.code = v1::SPECIAL_CARE_GROUND_APPLIES;
        r.article = rules.special_care_ground_articles[f.legal_ground];
        r.provision = static_cast<int16_t>(f.legal_ground);
        sink.Add(r);
        return;
      }
      // 20(2)(vii): published by the person, a public body or the press.
      if (PublishedByExempt(f.published_by)) {
        ReasonRef r = about;
        r.code = v1::PUBLISHED_EXCEPTION_APPLIES;
        r.article = rules.published_article;
        r.wording = static_cast<uint8_t>(f.published_by);
        sink.Add(r);
        return;
      }
    }
    IdSet only;
    only.Insert(category);
    ReasonRef relied = about;
    relied.wording = kForAcquisition;
    const size_t mark = sink.Mark();
    if (CoverByConsent(policy, consents, only, IdSet(),
                       policy.default_recipient, cite, relied, sink) >= 0) {
      return;
    }
    ReasonRef r = about;
    r.code = v1::ACQUISITION_CONSENT_REQUIRED;
    sink.InsertAt(mark, r);
    allowed = false;
  });

  // APPI 21: stating the purpose, or the purposes the policy publishes.
  ReasonRef notice;
  notice.channel = channel_ref;
  if (channel.direct && channel.written) {
    notice.clause = rules.written_notice_article;
    notice.code = f.purpose_stated ? v1::PURPOSE_STATED : v1::PURPOSE_NOT_STATED;
    allowed &= f.purpose_stated;
  } else {
    notice.clause = rules.published_purposes_article;
    notice.code = v1::PURPOSES_PUBLISHED;
  }
  sink.Add(notice);

  // APPI 30: the confirmation of data received from a third party.
  if (channel.from_third_party) {
    ReasonRef r;
    r.channel = channel_ref;
    r.clause = rules.confirmation_article;
    const ClauseIndex not_third_party =
        NoThirdPartyArticle(policy, f.provider_role);
    if (f.provider_ground >= 0) {
      // Proviso of 30(1), (3): a provision under a case of 27(1).
      r.code = v1::CONFIRMATION_NOT_REQUIRED;
      r.article = policy.legal_grounds[f.provider_ground].article;
      r.provision = static_cast<int16_t>(f.provider_ground);
      sink.Add(r);
    } else if (not_third_party != kNoClause) {
      // Proviso of 30(1), (3): no provision by a third party (27(5)).
      r.code = v1::CONFIRMATION_NOT_REQUIRED;
      r.article = not_third_party;
      r.wording = static_cast<uint8_t>(f.provider_role);
      sink.Add(r);
    } else if (f.missing != 0) {
      r.code = v1::CONFIRMATION_MISSING;
      for (uint8_t item = kFirstConfirmationItem;
           item <= kLastConfirmationItem; ++item) {
        if (!(f.missing & ItemBit(item))) continue;
        r.wording = item;
        sink.Add(r);
      }
      allowed = false;
    } else {
      r.code = v1::CONFIRMATION_RECORD_REQUIRED;
      r.clause = rules.record_article;
      r.article = rules.period_article;
      sink.Add(r);
    }
  }

  AcquisitionVerdict verdict;
  verdict.allowed = allowed;
  auto& items = sink.items;
  if (allowed) {
    ReasonRef permitted;
    permitted.code = v1::ACQUISITION_PERMITTED;
    permitted.clause = channel.clause;
    permitted.channel = channel_ref;
    items.insert(items.begin(), permitted);
  } else {
    // A denial lists what denies, not what was met.
    items.erase(std::remove_if(items.begin(), items.end(),
                               [](const ReasonRef& r) {
                                 return Satisfied(r.code);
                               }),
                items.end());
  }
  for (const ReasonRef& r : items) {
    if (r.code == v1::CONSENT_RELIED) {
      verdict.consent = r.consent;
      break;
    }
  }
  return verdict;
}

template AcquisitionVerdict EvaluateAcquisitionCheck<ReasonList>(
    const CompiledPolicy&, const AcquisitionFacts&, ReasonList&);

}  // namespace eval_internal
}  // namespace pip
