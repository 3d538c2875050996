#include "src/eval/incident_assess.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace pip {
namespace eval_internal {
namespace {

ReasonRef Finding(v1::ReasonCode code, ClauseIndex clause, int category = -1) {
  ReasonRef r;
  r.code = code;
  r.clause = clause;
  r.category = static_cast<int16_t>(category);
  return r;
}

}  // namespace

template <typename Sink>
IncidentVerdict EvaluateIncidentAssess(const CompiledPolicy& policy,
                                       const IncidentFacts& f, Sink& sink) {
  const policy_internal::CompiledIncidentPolicy& in = policy.incidents;
  IncidentVerdict v;
  const int64_t aware = TokyoUnixDays(f.aware_at);
  v.aware_day = {aware, DateOfUnixDays(aware)};

  // The grounds of 施行規則 7, found before the exclusion is weighed.
  absl::InlinedVector<ReasonRef, 8> grounds;
  // Data the company was still acquiring is not yet personal data it holds:
  // 7(1), 7(2) and 7(4) speak of personal data, only the amended 7(3) of
  // data being acquired.
  if (!f.being_acquired) {
    (f.categories & in.special_care_categories).ForEach([&](int c) {
      grounds.push_back(Finding(v1::SPECIAL_CARE_DATA_INVOLVED,
                                in.special_care_clause, c));
    });
    if (f.financial_harm) {
      grounds.push_back(
          Finding(v1::FINANCIAL_HARM_POSSIBLE, in.financial_harm_clause));
    }
    (f.categories & in.financial_harm_categories).ForEach([&](int c) {
      grounds.push_back(
          Finding(v1::FINANCIAL_HARM_POSSIBLE, in.financial_harm_clause, c));
    });
  }
  // 7(3): an act that may have had a wrongful purpose; the theft of
  // documents or devices is one. Data being acquired counts from the day
  // the amended rule applies, judged on the day of awareness.
  const bool acquisition_counts =
      !f.being_acquired || aware >= in.acquisition_counts_from_day;
  const bool wrongful = (f.wrongful_purpose || f.stolen) && acquisition_counts;
  if (wrongful) {
    if (f.wrongful_purpose) {
      grounds.push_back(Finding(v1::WRONGFUL_PURPOSE_SUSPECTED,
                                in.wrongful_purpose_clause));
    }
    if (f.stolen) {
      grounds.push_back(Finding(v1::DOCUMENTS_OR_DEVICES_STOLEN,
                                in.wrongful_purpose_clause));
    }
    if (f.being_acquired) {
      grounds.push_back(
          Finding(v1::DATA_BEING_ACQUIRED, in.wrongful_purpose_clause));
    }
  }
  // 7(4): more than the threshold, or a count not known yet that may be.
  if (!f.being_acquired) {
    if (f.people > in.people_threshold) {
      grounds.push_back(Finding(v1::PEOPLE_OVER_THRESHOLD, in.people_clause));
    } else if (f.people_unknown) {
      grounds.push_back(Finding(v1::PEOPLE_COUNT_UNKNOWN, in.people_clause));
    }
  }

  // The exclusion of 7(1), which covers every item: high-level encryption
  // whose key is confirmed safe. Anything less, or not known, is not relied
  // on.
  const bool excluded =
      f.encryption == v1::ENCRYPTION_HIGH_LEVEL && f.key == v1::KEY_SAFE;
  v.reportable = !grounds.empty() && !excluded;
  if (!v.reportable) {
    sink.Add(Finding(v1::INCIDENT_NOT_REPORTABLE, in.report_clause));
    if (!grounds.empty()) {
      sink.Add(Finding(v1::ENCRYPTION_EXCLUDES, in.encryption_clause));
    }
  } else {
    sink.Add(Finding(v1::INCIDENT_REPORTABLE, in.report_clause));
    for (const ReasonRef& g : grounds) sink.Add(g);
  }
  if (f.being_acquired && !wrongful) {
    sink.Add(Finding(v1::DATA_BEING_ACQUIRED_NOT_COVERED,
                     in.wrongful_purpose_clause));
  }

  if (v.reportable) {
    if (f.encryption != v1::ENCRYPTION_NONE) {
      sink.Add(Finding(v1::ENCRYPTION_NOT_CONFIRMED, in.encryption_clause));
    }
    // APPI 26(2): whenever reportable. The proviso (notice difficult,
    // alternative measures taken) is for a person to weigh.
    v.notify_people = true;
    sink.Add(Finding(v1::NOTIFY_PEOPLE, in.notify_clause));
    if (f.notice_difficult) {
      sink.Add(Finding(v1::NOTICE_DIFFICULT, in.notify_clause));
    }
    // 施行規則 8, counted like every period: the day of awareness is not
    // counted (民法 140).
    const int64_t first = aware + 1;
    v.preliminary_earliest =
        PeriodLastUnixDay(first, in.preliminary_report_earliest);
    v.preliminary_latest = PeriodLastUnixDay(first, in.preliminary_report_latest);
    const CompiledPeriod final_period =
        wrongful ? in.final_report_period_wrongful_purpose
                 : in.final_report_period;
    v.final_by = PeriodLastUnixDay(first, final_period);
    v.final_report_days = final_period.days;
    sink.Add(Finding(v1::PRELIMINARY_REPORT_DUE, in.preliminary_report_clause));
    sink.Add(Finding(v1::FINAL_REPORT_DUE, in.final_report_clause));
    const auto passed = [&](const UnixDayAndDate& last) {
      return f.as_of >=
             absl::FromUnixSeconds(TokyoStartOfUnixDay(last.unix_days + 1));
    };
    if (passed(v.preliminary_latest)) {
      sink.Add(
          Finding(v1::PRELIMINARY_REPORT_LATE, in.preliminary_report_clause));
    }
    if (passed(v.final_by)) {
      sink.Add(Finding(v1::FINAL_REPORT_LATE, in.final_report_clause));
    }
  }

  // 1.4: whatever the law requires, the company investigates and prevents
  // recurrence.
  for (size_t i = 0; i < in.duty_clauses.size(); ++i) {
    ReasonRef r = Finding(v1::INCIDENT_DUTY, in.duty_clauses[i]);
    r.provision = static_cast<int16_t>(i);
    sink.Add(r);
  }
  return v;
}

absl::Status CheckIncidentDatesInRange(const IncidentVerdict& verdict) {
  return CheckDeadlineInRange(std::max(verdict.preliminary_latest.unix_days,
                                       verdict.final_by.unix_days),
                              "aware_at", "the reporting periods");
}

template IncidentVerdict EvaluateIncidentAssess<ReasonList>(
    const CompiledPolicy&, const IncidentFacts&, ReasonList&);

}  // namespace eval_internal
}  // namespace pip
