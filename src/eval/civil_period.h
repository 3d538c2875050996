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
// Days from 1970-01-01 to `day` (negative before it).
inline int64_t DaysSinceUnixEpoch(absl::CivilDay day) {
  return day - UnixEpochDay();
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
