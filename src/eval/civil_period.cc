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
