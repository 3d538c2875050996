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
  // The inverse of DaysSinceUnixEpoch(), in closed form as well: Abseil would
  // step through the years between 1970 and the answer.
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;  // [0, 399]
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month = (5 * day_of_year + 2) / 153;  // March-based, [0, 11]
  const int day = static_cast<int>(day_of_year - (153 * month + 2) / 5 + 1);
  const int civil_month = static_cast<int>(month < 10 ? month + 3 : month - 9);
  const int64_t year = year_of_era + era * 400 + (civil_month <= 2 ? 1 : 0);
  return absl::CivilDay(year, civil_month, day);
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
