#include "src/eval/civil_period.h"

#include "absl/strings/str_format.h"

namespace pip {
namespace eval_internal {
namespace {

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone* const kTokyo =
      new absl::TimeZone(absl::FixedTimeZone(9 * 60 * 60));
  return *kTokyo;
}

}  // namespace

absl::CivilDay DayOfUnixDays(int64_t days) {
  return CivilDayOf(DateOfUnixDays(days));
}

absl::CivilDay TokyoDayOfUnixSeconds(int64_t unix_seconds) {
  return DayOfUnixDays(TokyoUnixDays(unix_seconds));
}

absl::CivilDay TokyoDay(absl::Time t) {
  // Far outside pip's years (or infinite): let Abseil saturate.
  if (t < absl::FromUnixSeconds(-(int64_t{1} << 40)) ||
      t > absl::FromUnixSeconds(int64_t{1} << 40)) {
    return absl::ToCivilDay(t, Tokyo());
  }
  return TokyoDayOfUnixSeconds(absl::ToUnixSeconds(t));
}

absl::Time TokyoStartOfDay(absl::CivilDay day) {
  return absl::FromUnixSeconds(TokyoStartOfUnixDay(DaysSinceUnixEpoch(day)));
}

YearMonthDay PeriodLastDay(const YearMonthDay& first_day,
                           CompiledPeriod period) {
  if (period.days > 0) {
    return DateOfUnixDays(DaysSinceUnixEpoch(first_day) + period.days - 1);
  }
  // The month in which the period ends, counted in months since year 0.
  const int64_t final_month =
      first_day.year * 12 + (first_day.month - 1) + period.months;
  int64_t year = final_month / 12;
  int month = static_cast<int>(final_month % 12);
  if (month < 0) {  // floor for years before 0
    month += 12;
    --year;
  }
  ++month;
  const int last = DaysInMonth(year, month);
  // No corresponding day: the period ends with the month (民法 143(2)).
  if (first_day.day > last) return {year, month, last};
  if (first_day.day > 1) return {year, month, first_day.day - 1};
  // The corresponding day is the 1st: the day before ends the month before.
  if (month > 1) return {year, month - 1, DaysInMonth(year, month - 1)};
  return {year - 1, 12, 31};
}

absl::CivilDay PeriodLastDay(absl::CivilDay first_day,
                             const v1::Period& period) {
  return CivilDayOf(PeriodLastDay(YearMonthDayOf(first_day),
                                  policy_internal::CompilePeriod(period)));
}

absl::CivilDay PeriodLastDayAfterEvent(absl::CivilDay event_day,
                                       const v1::Period& period) {
  return CivilDayOf(PeriodLastDayAfterEvent(
      YearMonthDayOf(event_day), policy_internal::CompilePeriod(period)));
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatTokyoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, Tokyo());
}

}  // namespace eval_internal
}  // namespace pip
