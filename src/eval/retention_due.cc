#include "src/eval/retention_due.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "pip/limits.h"

namespace pip {
namespace eval_internal {

namespace {

// The fiscal year end in `year`: a day every year has (validation checks
// it), or the month's last day.
YearMonthDay FiscalYearEndIn(const CompiledPolicy& policy, int64_t year) {
  const int month = policy.fiscal_year_end_month;
  return {year, month,
          policy.fiscal_year_ends_at_month_end ? DaysInMonth(year, month)
                                               : policy.fiscal_year_end_day};
}

}  // namespace

YearMonthDay FiscalYearEnd(const CompiledPolicy& policy,
                           const YearMonthDay& day) {
  YearMonthDay fiscal_end = FiscalYearEndIn(policy, day.year);
  if (day.month > fiscal_end.month ||
      (day.month == fiscal_end.month && day.day > fiscal_end.day)) {
    fiscal_end = FiscalYearEndIn(policy, day.year + 1);
  }
  return fiscal_end;
}

YearMonthDay FilingDeadline(const CompiledPolicy& policy,
                            const YearMonthDay& day) {
  CompiledPeriod months;
  months.months = policy.filing_deadline_months;
  return PeriodLastDayAfterEvent(FiscalYearEnd(policy, day), months);
}

absl::Status CheckDueAtInRange(const CompiledPolicy& policy, int kind,
                               const RetentionVerdict& verdict) {
  if (ABSL_PREDICT_TRUE(!verdict.clock_started ||
                        verdict.retain_until_days <= time_internal::kLastRetainUntilDay)) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "event_at: the retention period of kind '",
      policy.retention_kinds[kind].source->id(),
      "' would end after 9999-12-30, and the record would become due after "
      "the years ",
      kMinYear, "-", kMaxYear, " pip accepts (kMaxYear)"));
}

absl::Status CheckErasureType(const CompiledPolicy& policy, int type,
                              absl::string_view field) {
  const v1::RequestType& t = *policy.request_types[type].source;
  if (ABSL_PREDICT_TRUE(t.may_erase())) return absl::OkStatus();
  std::string erasing;
  for (const policy_internal::CompiledRequestType& other :
       policy.request_types) {
    if (!other.source->may_erase()) continue;
    absl::StrAppend(&erasing, erasing.empty() ? "" : ", ", "'",
                    other.source->id(), "'");
  }
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": a '", t.id(),
      "' request is not carried out by erasing data (",
      t.clause().empty() ? "8.1" : t.clause(), "); request types that may: ",
      erasing.empty() ? "none in this policy" : erasing));
}

std::optional<int64_t> LastEventDayDue(const CompiledPolicy& policy, int kind,
                                       int64_t today) {
  const auto ended = [&](int64_t event_day) {
    return RetainUntil(policy, kind, event_day).unix_days < today;
  };
  const int64_t first = DaysSinceUnixEpoch(YearMonthDay{kMinYear, 1, 1});
  // `hi` is never due (every period is at least a day); widen the step until
  // `lo` is due, then bisect.
  int64_t hi = today;
  int64_t lo = today - 1;
  for (int64_t step = 1; !ended(lo); step *= 2) {
    hi = lo;
    if (today - first <= 2 * step) {  // the next probe would pass `first`
      if (!ended(first)) return std::nullopt;
      lo = first;
      break;
    }
    lo = today - step * 2;
  }
  while (hi - lo > 1) {
    const int64_t mid = lo + (hi - lo) / 2;
    (ended(mid) ? lo : hi) = mid;
  }
  return lo;
}

}  // namespace eval_internal
}  // namespace pip
