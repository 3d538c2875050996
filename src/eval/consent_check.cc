#include "src/eval/consent_check.h"

#include "absl/base/optimization.h"
#include "pip/limits.h"
#include "src/eval/civil_period.h"

namespace pip {
namespace eval_internal {
namespace {

// Why one consent does not count, as bits in the order reasons are
// reported.
enum ConsentFault : uint32_t {
  kSubjectMismatch = 1u << 0,
  kNotYetValid = 1u << 1,
  kWithdrawn = 1u << 2,
  kExpired = 1u << 3,
  kStaleVersion = 1u << 4,
  kMinorWithoutRepresentative = 1u << 5,
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
    {kMinorWithoutRepresentative, v1::MINOR_WITHOUT_REPRESENTATIVE},
};

// PPC Q&A 1-62: the consent was given below the policy's age of consent.
// Age is counted from the day of birth, that day included (年齢計算ニ関スル
// 法律), and a year of age is completed at the end of the day before the
// birthday (民法 143), on the Tokyo date the consent was given.
bool GivenBelowAge(const CompiledPolicy& policy, const ConsentRecord& c) {
  const int32_t age = policy.representative_required_below_age;
  if (age <= 0 || !c.birth_date.has_value()) return false;
  const YearMonthDay last_day_below =
      LastDayYoungerThan(YearMonthDayOf(*c.birth_date), age);
  return TokyoUnixDays(c.granted_at) <= DaysSinceUnixEpoch(last_day_below);
}

uint32_t Faults(const CompiledPolicy& policy, const ConsentRecord& c,
                absl::Time as_of) {
  uint32_t faults = 0;
  if (!c.subject_matches) faults |= kSubjectMismatch;
  if (c.granted_at > as_of) faults |= kNotYetValid;
  if (c.withdrawn_at <= as_of) faults |= kWithdrawn;
  if (c.expires_at <= as_of) faults |= kExpired;
  if (c.consent_version < policy.min_consent_version) faults |= kStaleVersion;
  if (!c.representative_consent && GivenBelowAge(policy, c)) {
    faults |= kMinorWithoutRepresentative;
  }
  return faults;
}

bool CoversRecipient(const CompiledPolicy& policy, const ConsentRecord& c,
                     int recipient) {
  // An empty recipients list means internal use only: a recipient that needs
  // a named consent is covered only when the consent names it.
  return !policy.recipients[recipient].requires_named_consent ||
         Access::Bits(c.recipients).Contains(recipient);
}

// The scope apart from the category: every purpose (none when the question
// is acquisition) and the recipient.
bool CoversPurposesAndRecipient(const CompiledPolicy& policy,
                                const ConsentRecord& c, const IdSet& purposes,
                                int recipient) {
  return Access::Bits(c.purposes).ContainsAll(purposes) &&
         CoversRecipient(policy, c, recipient);
}

// The categories of `among` that consent `c`'s scope covers: a consent of
// any category covers all but the categories only a consent naming them
// covers (2.4 location; APPI 20(2) special care-required data).
IdSet CoveredCategories(const CompiledPolicy& policy, const ConsentRecord& c,
                        const IdSet& among) {
  return c.any_category ? among.Without(policy.named_consent_categories)
                        : among & Access::Bits(c.categories);
}

// The same rule for one category, as a bit test.
bool CoversCategory(const CompiledPolicy& policy, const ConsentRecord& c,
                    int category) {
  return c.any_category ? !policy.named_consent_categories.Contains(category)
                        : Access::Bits(c.categories).Contains(category);
}

// The clause and article of `category`'s consent requirement, or `fallback`
// for a category without one.
ConsentCite CategoryCite(const CompiledPolicy& policy, int category,
                         ConsentCite fallback) {
  for (const auto& cond : policy.categories[category].conditions) {
    if (cond.kind == policy_internal::CompiledCondition::Kind::kConsent) {
      return {cond.clause, cond.article, false};
    }
  }
  return fallback;
}

// Why consent `i` does not qualify for the categories of `uncovered`.
template <typename Sink>
void ReportFaults(const CompiledPolicy& policy,
                  absl::Span<const ConsentRecord> consents, size_t i,
                  const IdSet& uncovered, const IdSet& purposes,
                  int recipient, absl::Time as_of, ConsentCite cite,
                  Sink& sink) {
  const ConsentRecord& c = consents[i];
  ReasonRef r;
  r.clause = cite.clause;
  r.article = cite.article;
  r.consent = static_cast<int16_t>(i);
  const uint32_t faults = Faults(policy, c, as_of);
  for (const auto& fc : kFaultCodes) {
    if (!(faults & fc.fault)) continue;
    ReasonRef f = r;
    f.code = fc.code;
    if (fc.code == v1::MINOR_WITHOUT_REPRESENTATIVE) {
      f.clause = policy.minor_consent_clause;
      f.article = kNoClause;
    }
    sink.Add(f);
  }
  if (!CoversPurposesAndRecipient(policy, c, purposes, recipient)) {
    r.code = v1::OUT_OF_SCOPE;
    sink.Add(r);
    return;
  }
  uncovered.ForEach([&](int category) {
    if (CoversCategory(policy, c, category)) return;
    const ConsentCite own = cite.per_category
                                ? CategoryCite(policy, category, cite)
                                : cite;
    r.clause = own.clause;
    r.article = own.article;
    r.category = static_cast<int16_t>(category);
    r.code = c.any_category ? v1::CATEGORY_NOT_NAMED : v1::OUT_OF_SCOPE;
    sink.Add(r);
  });
}

}  // namespace

bool ConsentCounts(const CompiledPolicy& policy, const ConsentRecord& c,
                   absl::Time as_of) {
  return Faults(policy, c, as_of) == 0;
}

ConsentCite ConsentClause(const CompiledPolicy& policy,
                          const IdSet& categories, int recipient) {
  const auto& r = policy.recipients[recipient];
  if (r.requires_named_consent) return {r.consent_clause, kNoClause, false};
  int first = -1;
  int gated = -1;
  categories.ForEach([&](int id) {
    if (first < 0) first = id;
    if (gated < 0 && policy.consent_gated_categories.Contains(id)) gated = id;
  });
  const ConsentCite plain{
      first >= 0 ? policy.categories[first].clause : ClauseIndex{0},
      kNoClause, true};
  if (gated < 0) return plain;
  ConsentCite own = CategoryCite(policy, gated, plain);
  own.per_category = true;
  return own;
}

template <typename Sink>
int CoverByConsent(const CompiledPolicy& policy, ConsentsAt& judged,
                   const IdSet& categories, const IdSet& purposes,
                   int recipient, ConsentCite cite, const ReasonRef& about,
                   Sink& sink) {
  const absl::Span<const ConsentRecord> consents = judged.consents();
  // The consents that cover some of the categories, the purposes and the
  // recipient, and count at as_of: each is judged once, its scope (a few
  // word operations) before its dates, which `judged` works out once per
  // evaluation. More consents than a request may hold (the callers refuse
  // them) cover nothing: never an allow by accident.
  int16_t usable[kMaxConsentsPerRequest];
  int usable_count = 0;
  IdSet covered;
  if (ABSL_PREDICT_TRUE(consents.size() <=
                        static_cast<size_t>(kMaxConsentsPerRequest))) {
    for (size_t i = 0; i < consents.size(); ++i) {
      const ConsentRecord& c = consents[i];
      const IdSet scope = CoveredCategories(policy, c, categories);
      if (scope.Empty() ||
          !CoversPurposesAndRecipient(policy, c, purposes, recipient) ||
          !judged.Counts(i)) {
        continue;
      }
      usable[usable_count++] = static_cast<int16_t>(i);
      covered = covered | scope;
    }
  }
  const IdSet uncovered = categories.Without(covered);
  if (uncovered.Empty()) {
    // Each category relies on the latest given of the consents that cover
    // it (the earliest listed among equals). A count needs the first only.
    int first = -1;
    categories.ForEach([&](int category) {
      if (!Sink::kDetailed && first >= 0) return;
      int best = -1;
      for (int u = 0; u < usable_count; ++u) {
        const int i = usable[u];
        if (best >= 0 && consents[i].granted_at <= consents[best].granted_at) {
          continue;
        }
        if (CoversCategory(policy, consents[i], category)) best = i;
      }
      ReasonRef r = about;
      r.code = v1::CONSENT_RELIED;
      r.clause = cite.clause;
      r.article = cite.article;
      r.category = static_cast<int16_t>(category);
      r.consent = static_cast<int16_t>(best);
      if (first < 0) first = best;
      sink.Add(r);
    });
    return first;
  }

  // Not every category is covered: nothing is relied on; why not.
  if (consents.empty()) {
    ReasonRef r;
    r.code = v1::NO_CONSENT;
    r.clause = cite.clause;
    r.article = cite.article;
    sink.Add(r);
    return -1;
  }
  const size_t reported = Sink::kDetailed ? consents.size() : 1;
  for (size_t i = 0; i < reported; ++i) {
    ReportFaults(policy, consents, i, uncovered, purposes, recipient,
                 judged.as_of(), cite, sink);
  }
  return -1;
}

template int CoverByConsent<ReasonList>(const CompiledPolicy&, ConsentsAt&,
                                        const IdSet&, const IdSet&, int,
                                        ConsentCite, const ReasonRef&,
                                        ReasonList&);
template int CoverByConsent<ReasonCounter>(const CompiledPolicy&, ConsentsAt&,
                                        const IdSet&, const IdSet&, int,
                                        ConsentCite, const ReasonRef&,
                                        ReasonCounter&);

}  // namespace eval_internal
}  // namespace pip
