// A reference for the Civil Code period arithmetic (民法 140, 143) and the
// clause 7 clocks, written on absl::CivilDay arithmetic: the integer versions
// in src/eval/ (civil_period.h, retention_due.h) are checked against it day
// by day. Test-only.
#ifndef PIP_TESTS_TESTING_CIVIL_REFERENCE_H_
#define PIP_TESTS_TESTING_CIVIL_REFERENCE_H_

#include <algorithm>

#include "absl/time/civil_time.h"
#include "pip/v1/policy.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace testing {

// The last day of a period of `months` months or `days` days (one of them
// positive) that counts `first_day` as its first day. 民法 143: months end
// the day before the corresponding day of the final month, or with that
// month when it has no such day; days end `days - 1` days after.
inline absl::CivilDay ReferencePeriodLastDay(absl::CivilDay first_day,
                                             int months, int days) {
  if (days > 0) return first_day + (days - 1);
  const absl::CivilMonth final_month = absl::CivilMonth(first_day) + months;
  // Abseil normalizes a day the month lacks into the next month.
  const absl::CivilDay corresponding(final_month.year(), final_month.month(),
                                     first_day.day());
  if (absl::CivilMonth(corresponding) != final_month) {
    return absl::CivilDay(final_month + 1) - 1;
  }
  return corresponding - 1;
}

inline absl::CivilDay ReferencePeriodLastDay(absl::CivilDay first_day,
                                             const v1::Period& period) {
  return ReferencePeriodLastDay(
      first_day, period.years() * 12 + period.months(), period.days());
}

// The last day of the fiscal year holding `day`: the policy's month and
// day, or the month's last day (February 29 in a leap year).
inline absl::CivilDay ReferenceFiscalYearEnd(
    const policy_internal::CompiledPolicy& policy, absl::CivilDay day) {
  const auto end_in = [&](int64_t year) {
    const absl::CivilMonth month(year, policy.fiscal_year_end_month);
    return policy.fiscal_year_ends_at_month_end
               ? absl::CivilDay(month + 1) - 1
               : absl::CivilDay(year, policy.fiscal_year_end_month,
                                policy.fiscal_year_end_day);
  };
  absl::CivilDay fiscal_end = end_in(day.year());
  if (fiscal_end < day) fiscal_end = end_in(day.year() + 1);
  return fiscal_end;
}

// The corporate tax filing deadline of the fiscal year holding `day`: the
// last day of `filing_deadline_months` months counted from the day after the
// fiscal year end (民法 140: the fiscal year end itself is not counted).
inline absl::CivilDay ReferenceFilingDeadline(
    const policy_internal::CompiledPolicy& policy, absl::CivilDay day) {
  return ReferencePeriodLastDay(ReferenceFiscalYearEnd(policy, day) + 1,
                                policy.filing_deadline_months, 0);
}

// The last day of `period` on `clock` for an event on `event_day`.
inline absl::CivilDay ReferenceClockLastDay(
    const policy_internal::CompiledPolicy& policy, v1::RetentionClock clock,
    const v1::Period& period, absl::CivilDay event_day) {
  switch (clock) {
    case v1::RETENTION_CLOCK_FILING_DEADLINE:
      return ReferencePeriodLastDay(
          ReferenceFilingDeadline(policy, event_day) + 1, period);
    case v1::RETENTION_CLOCK_FISCAL_YEAR_END:
      return ReferencePeriodLastDay(
          ReferenceFiscalYearEnd(policy, event_day) + 1, period);
    default:
      return ReferencePeriodLastDay(event_day + 1, period);
  }
}

// The last day a record of `kind` whose clock event fell on `event_day` is
// kept (clause 7): the event day is not counted; the accounting clock counts
// from the day after the filing deadline, and that day counts (法人税法施行規則
// 59); a statutory floor that ends later decides.
inline absl::CivilDay ReferenceRetainUntil(
    const policy_internal::CompiledPolicy& policy, int kind,
    absl::CivilDay event_day) {
  const auto& ck = policy.retention_kinds[kind];
  const v1::RetentionKind& k = *ck.source;
  absl::CivilDay until =
      ReferenceClockLastDay(policy, k.clock(), k.period(), event_day);
  if (ck.floor >= 0) {
    const v1::StatutoryFloor& f = *policy.statutory_floors[ck.floor].source;
    until = std::max(until, ReferenceClockLastDay(policy, f.clock(),
                                                  f.period(), event_day));
  }
  return until;
}

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_CIVIL_REFERENCE_H_
