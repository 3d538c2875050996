// Calendar arithmetic of the Japanese Civil Code (民法 138-143) on civil
// dates in Asia/Tokyo, used by retention (clause 7) and request deadlines
// (clause 8.2).
//
// Asia/Tokyo has had no daylight saving time since 1951, so pip uses the
// fixed offset UTC+9 and needs no time zone database.
#ifndef PIP_SRC_EVAL_CIVIL_PERIOD_H_
#define PIP_SRC_EVAL_CIVIL_PERIOD_H_

#include <cstdint>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "pip/v1/policy.pb.h"

namespace pip {
namespace eval_internal {

// 1970-01-01, the day the Unix epoch falls on (in UTC and in Tokyo).
inline absl::CivilDay UnixEpochDay() { return absl::CivilDay(1970, 1, 1); }

// Days from 1970-01-01 to `day` (negative before it), in the proleptic
// Gregorian calendar. Abseil's `day - epoch` gives the same answer (the
// tests check every day of pip's years) but costs several times more, and
// retention runs this on every record: the count is done here in closed
// form, in March-based years of 400-year eras so leap days fall last.
inline int64_t DaysSinceUnixEpoch(absl::CivilDay day) {
  const int64_t y = day.year() - (day.month() <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;                       // [0, 399]
  const int64_t month = day.month() > 2 ? day.month() - 3 : day.month() + 9;
  const int64_t day_of_year = (153 * month + 2) / 5 + day.day() - 1;  // [0, 365]
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4 -
                             year_of_era / 100 + day_of_year;      // [0, 146096]
  return era * 146097 + day_of_era - 719468;  // 719468: 0000-03-01 to 1970-01-01
}

// The day `days` after 1970-01-01 (before it when negative).
absl::CivilDay DayOfUnixDays(int64_t days);

// The civil day of `t` in Asia/Tokyo.
absl::CivilDay TokyoDay(absl::Time t);
absl::CivilDay TokyoDayOfUnixSeconds(int64_t unix_seconds);

// 00:00:00 Asia/Tokyo at the start of `day`.
absl::Time TokyoStartOfDay(absl::CivilDay day);
int64_t TokyoStartOfDayUnixSeconds(absl::CivilDay day);

// The last day of a period of `period` that counts `first_day` as its first
// day (the 起算日). Following 民法 143: a period of years or months ends at
// the end of the day before the day that corresponds to `first_day` in the
// final month; when that month has no such day, it ends on the month's last
// day. A period of days ends `days - 1` days after `first_day`.
//
// `period` must have exactly one positive component (validated policies do).
absl::CivilDay PeriodLastDay(absl::CivilDay first_day, const v1::Period& period);

// The last day of a period that starts with an event on `event_day`: the day
// of the event is not counted (民法 140), so counting starts the next day.
inline absl::CivilDay PeriodLastDayAfterEvent(absl::CivilDay event_day,
                                              const v1::Period& period) {
  return PeriodLastDay(event_day + 1, period);
}

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);

// RFC 3339 with the Tokyo offset, e.g. "2026-05-11T00:00:00+09:00".
std::string FormatTokyoTime(absl::Time t);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CIVIL_PERIOD_H_
