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

// The fixed offset makes a Tokyo day exactly 86400 seconds, so days are
// counted with integer division instead of a time zone conversion.
constexpr int64_t kTokyoOffsetSeconds = 9 * 60 * 60;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

absl::CivilDay TokyoDayOfUnixSeconds(int64_t unix_seconds) {
  const int64_t local = unix_seconds + kTokyoOffsetSeconds;
  int64_t days = local / kSecondsPerDay;
  if (local % kSecondsPerDay < 0) --days;  // floor for times before 1970
  return DayOfUnixDays(days);
}

absl::CivilDay DayOfUnixDays(int64_t days) {
  // Adding tens of thousands of days to 1970-01-01 makes Abseil step through
  // years and months one at a time. Start instead from the first day of a
  // month at or before the answer (a guess from the mean Gregorian year,
  // corrected), so that Abseil adds less than a month.
  int64_t year = 1970 + days * 400 / 146097;  // 146097 days in 400 years
  absl::CivilDay jan1(year, 1, 1);
  int64_t offset = days - DaysSinceUnixEpoch(jan1);
  while (offset < 0) {
    jan1 = absl::CivilDay(--year, 1, 1);
    offset = days - DaysSinceUnixEpoch(jan1);
  }
  // No month is longer than 31 days, so month offset / 31 has begun.
  const absl::CivilDay first(year, 1 + offset / 31, 1);
  return first + (offset - (first - jan1));
}

absl::CivilDay TokyoDay(absl::Time t) {
  // Far outside pip's years (or infinite): let Abseil saturate.
  if (t < absl::FromUnixSeconds(-(int64_t{1} << 40)) ||
      t > absl::FromUnixSeconds(int64_t{1} << 40)) {
    return absl::ToCivilDay(t, Tokyo());
  }
  return TokyoDayOfUnixSeconds(absl::ToUnixSeconds(t));
}

int64_t TokyoStartOfDayUnixSeconds(absl::CivilDay day) {
  return DaysSinceUnixEpoch(day) * kSecondsPerDay - kTokyoOffsetSeconds;
}

absl::Time TokyoStartOfDay(absl::CivilDay day) {
  return absl::FromUnixSeconds(TokyoStartOfDayUnixSeconds(day));
}

absl::CivilDay PeriodLastDay(absl::CivilDay first_day,
                             const v1::Period& period) {
  if (period.days() > 0) return first_day + (period.days() - 1);
  const int months = period.years() * 12 + period.months();
  // The month in which the period ends, and its day corresponding to the
  // first day.
  const absl::CivilMonth final_month = absl::CivilMonth(first_day) + months;
  // Abseil normalizes a day the month lacks into the next month.
  const absl::CivilDay corresponding(final_month.year(), final_month.month(),
                                     first_day.day());
  if (absl::CivilMonth(corresponding) != final_month) {
    // No corresponding day: the period ends with the month (民法 143(2)).
    return absl::CivilDay(final_month + 1) - 1;
  }
  return corresponding - 1;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

std::string FormatTokyoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, Tokyo());
}

}  // namespace eval_internal
}  // namespace pip
