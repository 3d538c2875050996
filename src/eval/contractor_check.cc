#include "src/eval/contractor_check.h"

#include "src/eval/purpose_allowed.h"

namespace pip {
namespace eval_internal {
namespace {

using policy_internal::CompiledContractors;

// A finding about an item of clause 6 (`provision`, or none), with the
// article beside its clause (APPI 25).
ReasonRef Finding(const CompiledContractors& cm, v1::ReasonCode code,
                  ClauseIndex clause, int provision = -1) {
  ReasonRef r;
  r.code = code;
  r.clause = clause;
  r.article = cm.article;
  r.provision = static_cast<int16_t>(provision);
  return r;
}

// A finding of APPI 28: its clause and rule, about `recipient` or none.
ReasonRef Overseas(v1::ReasonCode code, ClauseIndex clause,
                   ClauseIndex article, int recipient = -1) {
  ReasonRef r;
  r.code = code;
  r.clause = clause;
  r.article = article;
  r.recipient = static_cast<int16_t>(recipient);
  return r;
}

// Reports an item of `clauses` missing from `present` with `code`.
template <typename Sink>
bool AllPresent(const CompiledContractors& cm,
                const std::vector<ClauseIndex>& clauses, const IdSet& present,
                v1::ReasonCode code, Sink& sink) {
  bool all = true;
  for (size_t i = 0; i < clauses.size(); ++i) {
    if (present.Contains(static_cast<int>(i))) continue;
    sink.Add(Finding(cm, code, clauses[i], static_cast<int>(i)));
    all = false;
  }
  return all;
}

}  // namespace

template <typename Sink>
ContractorVerdict EvaluateContractorCheck(const CompiledPolicy& policy,
                                          const ContractorFacts& f,
                                          Sink& sink) {
  const CompiledContractors& cm = policy.contractors;
  ContractorVerdict v;
  bool allowed = true;

  // 6.1 and 6.2, item by item (APPI 25: the contractor is chosen and bound
  // so that the data it is entrusted with stays secure).
  allowed &= AllPresent(cm, cm.criteria, f.criteria_met,
                        v1::SELECTION_CRITERION_NOT_MET, sink);
  allowed &= AllPresent(cm, cm.terms, f.contract_terms,
                        v1::CONTRACT_TERM_MISSING, sink);

  // 6.3: the periodic check, current within the review interval of 5.1,
  // counted like every period: the day of the check is not counted.
  const ClauseIndex periodic_clause = cm.supervision[cm.periodic_check];
  if (!f.checked) {
    sink.Add(Finding(cm, v1::SUPERVISION_CHECK_MISSING, periodic_clause,
                     cm.periodic_check));
    allowed = false;
  } else {
    const int64_t day = TokyoUnixDays(f.last_checked_at);
    v.last_checked_on = {day, DateOfUnixDays(day)};
    v.next_check_by = PeriodLastUnixDay(day + 1, cm.review_interval);
    if (f.as_of >= absl::FromUnixSeconds(
                       TokyoStartOfUnixDay(v.next_check_by.unix_days + 1))) {
      sink.Add(Finding(cm, v1::SUPERVISION_CHECK_OVERDUE, periodic_clause,
                       cm.periodic_check));
      allowed = false;
    }
  }
  // 6.3: a measure the situation calls for and not yet carried out.
  f.outstanding.ForEach([&](int i) {
    sink.Add(Finding(cm, v1::SUPERVISION_MEASURE_OUTSTANDING,
                     cm.supervision[i], i));
    allowed = false;
  });

  // APPI 28: a contractor abroad needs a basis.
  ReasonRef basis;
  if (!f.abroad) {
    v.recipient = cm.domestic_recipient;
  } else if (f.equivalent_measures && f.continuing_measures) {
    v.basis = v1::OVERSEAS_BASIS_EQUIVALENT_MEASURES;
    v.recipient = cm.equivalent_measures_recipient;
    basis = Overseas(v1::OVERSEAS_EQUIVALENT_MEASURES_BASIS,
                     cm.equivalent_measures_article,
                     cm.continuing_measures_clause, v.recipient);
  } else if (f.informed_consent) {
    v.basis = v1::OVERSEAS_BASIS_CONSENT;
    v.recipient = cm.consent_recipient;
    basis = Overseas(v1::OVERSEAS_CONSENT_BASIS,
                     policy.recipients[v.recipient].consent_clause,
                     cm.consent_article, v.recipient);
  } else {
    v.basis = v1::OVERSEAS_BASIS_NONE;
    sink.Add(Overseas(v1::OVERSEAS_BASIS_MISSING, cm.overseas_clause,
                      kNoClause));
    if (f.equivalent_measures) {
      sink.Add(Overseas(v1::CONTINUING_MEASURES_MISSING,
                        cm.continuing_measures_clause,
                        cm.continuing_measures_article));
    }
    allowed = false;
  }

  v.allowed = allowed;
  if (allowed) {
    ReasonRef qualified;
    qualified.code = v1::CONTRACTOR_QUALIFIED;
    qualified.clause = cm.clause;
    qualified.article = cm.article;
    sink.Add(qualified);
    if (basis.code != v1::REASON_CODE_UNSPECIFIED) sink.Add(basis);
    // APPI 29(1), as purpose_allowed says it for the same recipient.
    const ReasonRef record = RecordDuty(policy, v.recipient, -1);
    if (record.code != v1::REASON_CODE_UNSPECIFIED) sink.Add(record);
  }
  return v;
}

absl::Status CheckContractorDatesInRange(const ContractorVerdict& verdict) {
  return CheckDeadlineInRange(verdict.next_check_by.unix_days,
                              "last_checked_at", "the review interval");
}

template ContractorVerdict EvaluateContractorCheck<ReasonList>(
    const CompiledPolicy&, const ContractorFacts&, ReasonList&);

}  // namespace eval_internal
}  // namespace pip
