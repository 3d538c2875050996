// Calendar arithmetic of the Japanese Civil Code (民法 138-143) on civil
// dates in Asia/Tokyo, used by retention (clause 7) and request deadlines
// (clause 8.2).
//
// Asia/Tokyo has had no daylight saving time since 1951, so pip uses the
// fixed offset UTC+9 and needs no time zone database.
//
// The evaluators carry plain integers: a day as its number of days since
// 1970-01-01 ("Unix days") or as a (year, month, day) triple. Constructing or
// stepping an absl::CivilDay normalizes its fields each time and costs
// several times more, and retention runs this on every record. The
// absl::CivilDay overloads below convert at the edges; the tests check every
// integer function against Abseil's civil time over pip's years.
#ifndef PIP_SRC_EVAL_CIVIL_PERIOD_H_
#define PIP_SRC_EVAL_CIVIL_PERIOD_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pip/v1/policy.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace eval_internal {

using policy_internal::CompiledPeriod;

// A valid date of the proleptic Gregorian calendar.
struct YearMonthDay {
  int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-DaysInMonth(year, month)
};

inline bool operator==(const YearMonthDay& a, const YearMonthDay& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day;
}
inline bool operator!=(const YearMonthDay& a, const YearMonthDay& b) {
  return !(a == b);
}

inline YearMonthDay YearMonthDayOf(absl::CivilDay day) {
  return {day.year(), day.month(), day.day()};
}
inline absl::CivilDay CivilDayOf(const YearMonthDay& d) {
  return absl::CivilDay(d.year, d.month, d.day);
}

constexpr bool IsLeapYear(int64_t year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

// 28-31: odd months up to July and even months from August have 31 days,
// which (month + month / 8) & 1 says without a table.
constexpr int DaysInMonth(int64_t year, int month) {
  return month == 2 ? 28 + IsLeapYear(year) : 30 + ((month + month / 8) & 1);
}

// The day after `d`.
inline YearMonthDay NextDay(YearMonthDay d) {
  if (d.day < DaysInMonth(d.year, d.month)) {
    ++d.day;
  } else if (d.month < 12) {
    ++d.month;
    d.day = 1;
  } else {
    return {d.year + 1, 1, 1};
  }
  return d;
}

// Days from 1970-01-01 to `d` (negative before it), in closed form: in
// March-based years of 400-year eras, so that leap days fall last.
inline int64_t DaysSinceUnixEpoch(const YearMonthDay& d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                     // [0, 399]
  const int64_t month = d.month > 2 ? d.month - 3 : d.month + 9;
  const int64_t day_of_year = (153 * month + 2) / 5 + d.day - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
                             year_of_era / 100 + day_of_year;    // [0, 146096]
  return era * 146097 + day_of_era - 719468;  // 719468: 0000-03-01 to 1970-01-01
}
inline int64_t DaysSinceUnixEpoch(absl::CivilDay day) {
  return DaysSinceUnixEpoch(YearMonthDayOf(day));
}

// The day `days` after 1970-01-01 (before it when negative): the inverse of
// DaysSinceUnixEpoch(), in closed form as well.
inline YearMonthDay DateOfUnixDays(int64_t days) {
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t day_of_era = z - era * 146097;  // [0, 146096]
  const int64_t year_of_era = (day_of_era - day_of_era / 1460 +
                               day_of_era / 36524 - day_of_era / 146096) /
                              365;  // [0, 399]
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month = (5 * day_of_year + 2) / 153;  // March-based, [0, 11]
  YearMonthDay d;
  d.day = static_cast<int>(day_of_year - (153 * month + 2) / 5 + 1);
  d.month = static_cast<int>(month < 10 ? month + 3 : month - 9);
  d.year = year_of_era + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}
absl::CivilDay DayOfUnixDays(int64_t days);

// 1970-01-01, the day the Unix epoch falls on (in UTC and in Tokyo).
inline absl::CivilDay UnixEpochDay() { return absl::CivilDay(1970, 1, 1); }

// The fixed offset makes a Tokyo day exactly 86400 seconds, so days are
// counted with integer division instead of a time zone conversion.
inline constexpr int64_t kTokyoOffsetSeconds = 9 * 60 * 60;
inline constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

// The Unix day of the Tokyo civil day that holds `unix_seconds`.
inline int64_t TokyoUnixDays(int64_t unix_seconds) {
  const int64_t local = unix_seconds + kTokyoOffsetSeconds;
  int64_t days = local / kSecondsPerDay;
  if (local % kSecondsPerDay < 0) --days;  // floor for times before 1970
  return days;
}
// `t` must lie in pip's years (pip/limits.h; requests are checked before
// evaluation). TokyoDay() takes any time.
inline int64_t TokyoUnixDays(absl::Time t) {
  return TokyoUnixDays(absl::ToUnixSeconds(t));
}

// 00:00:00 Asia/Tokyo at the start of Unix day `unix_days`, as Unix seconds.
inline constexpr int64_t TokyoStartOfUnixDay(int64_t unix_days) {
  return unix_days * kSecondsPerDay - kTokyoOffsetSeconds;
}

// The civil day of `t` in Asia/Tokyo; saturates far outside pip's years.
absl::CivilDay TokyoDay(absl::Time t);
absl::CivilDay TokyoDayOfUnixSeconds(int64_t unix_seconds);

// 00:00:00 Asia/Tokyo at the start of `day`.
absl::Time TokyoStartOfDay(absl::CivilDay day);

// The last day of a period of `period` that counts `first_day` as its first
// day (the 起算日). Following 民法 143: a period of years or months ends at
// the end of the day before the day that corresponds to `first_day` in the
// final month; when that month has no such day, it ends on the month's last
// day. A period of days ends `days - 1` days after `first_day`.
//
// `period` must have exactly one positive component (validated policies do).
YearMonthDay PeriodLastDay(const YearMonthDay& first_day,
                           CompiledPeriod period);

// The last day of a period that starts with an event on `event_day`: the day
// of the event is not counted (民法 140), so counting starts the next day.
inline YearMonthDay PeriodLastDayAfterEvent(const YearMonthDay& event_day,
                                            CompiledPeriod period) {
  return PeriodLastDay(NextDay(event_day), period);
}

// The same on absl::CivilDay and pip.v1.Period.
absl::CivilDay PeriodLastDay(absl::CivilDay first_day, const v1::Period& period);
absl::CivilDay PeriodLastDayAfterEvent(absl::CivilDay event_day,
                                       const v1::Period& period);

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// RFC 3339 with the Tokyo offset, e.g. "2026-05-11T00:00:00+09:00".
std::string FormatTokyoTime(absl::Time t);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CIVIL_PERIOD_H_
