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

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
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

// A multiple of 4 is a multiple of 100 exactly when it is one of 25, and of
// 400 exactly when it is then also one of 16.
constexpr bool IsLeapYear(int64_t year) {
  return (year & 3) == 0 && (year % 25 != 0 || (year & 15) == 0);
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

namespace civil_period_internal {
// The day counts below run in March-based years, in which the leap day falls
// last (January and February are months 13 and 14 of the year before), from
// 0000-03-01 moved back by kShiftEras 400-year eras of 146097 days each:
// every date from two billion years BCE on then counts as a non-negative
// number, and divides without sign fix-ups. The formulas are those of
// C. Neri and L. Schneider, "Euclidean affine functions and their
// application to calendar algorithms" (Softw. Pract. Exp. 53(4), 2023).
inline constexpr uint64_t kShiftEras = 5000000;
inline constexpr int64_t kShiftYears = 400 * kShiftEras;
// From the shifted 0000-03-01 to 1970-01-01.
inline constexpr uint64_t kShiftDays = 146097 * kShiftEras + 719468;

// A date as the closed forms count it: the shifted March-based year and the
// day of that year (0: March 1, 365: February 29). Every March-based year
// has the same days before each month, the leap day coming last, so a date
// moves by whole years by changing the year alone.
struct MarchDate {
  uint64_t year;
  uint64_t day_of_year;
};

// Days from the shifted 0000-03-01 to the first day of March-based `year`:
// 365.25 days a year, less the century years that are not leap years.
inline uint64_t DaysBeforeMarchYear(uint64_t year) {
  const uint64_t century = year / 100;
  return 1461 * year / 4 - century + century / 4;
}

// Unix days of `d`; the inverse of MarchDateOfUnixDays(). A day_of_year of
// 365 in a year without a leap day counts as the next March 1.
inline int64_t UnixDaysOfMarchDate(const MarchDate& d) {
  return static_cast<int64_t>(DaysBeforeMarchYear(d.year) + d.day_of_year -
                              kShiftDays);
}

// The March date of the day `days` after 1970-01-01.
inline MarchDate MarchDateOfUnixDays(int64_t days) {
  // Four times the day count plus 3 divides exactly into centuries of an
  // era's 146097 days, and then into years of a leap cycle's 1461.
  const uint64_t n = 4 * (static_cast<uint64_t>(days) + kShiftDays) + 3;
  const uint64_t century = n / 146097;
  const uint64_t n_of_century = n % 146097 / 4 * 4 + 3;
  // n_of_century / 1461 and n_of_century % 1461 / 4 with one multiplication
  // (exact for the values a century takes).
  const uint64_t p = 2939745 * n_of_century;
  return {100 * century + (p >> 32), (p & 0xFFFFFFFF) / 2939745 / 4};
}

// The calendar date of `d`, whose day_of_year must be one the year has.
inline YearMonthDay DateOfMarchDate(const MarchDate& d) {
  // The month (3-14) in the high bits, the day of the month in the low ones.
  const uint64_t m = 2141 * d.day_of_year + 197913;
  const bool jan_feb = d.day_of_year >= 306;  // 306 days from March 1 to Jan 1
  YearMonthDay date;
  date.year = static_cast<int64_t>(d.year + jan_feb) - kShiftYears;
  date.month = static_cast<int>((m >> 16) - (jan_feb ? 12 : 0));
  date.day = static_cast<int>((m & 0xFFFF) / 2141 + 1);
  return date;
}

}  // namespace civil_period_internal

// Days from 1970-01-01 to `d` (negative before it), in closed form.
inline int64_t DaysSinceUnixEpoch(const YearMonthDay& d) {
  using civil_period_internal::kShiftYears;
  const bool jan_feb = d.month <= 2;
  const uint64_t month = jan_feb ? d.month + 12 : d.month;  // 3-14
  // The months from March alternate 31 and 30 days but for August and
  // January; (979 * month - 2919) / 32 counts them exactly.
  return civil_period_internal::UnixDaysOfMarchDate(
      {static_cast<uint64_t>(d.year + kShiftYears) - jan_feb,
       (979 * month - 2919) / 32 + d.day - 1});
}
inline int64_t DaysSinceUnixEpoch(absl::CivilDay day) {
  return DaysSinceUnixEpoch(YearMonthDayOf(day));
}

// The day `days` after 1970-01-01 (before it when negative): the inverse of
// DaysSinceUnixEpoch(), in closed form as well.
inline YearMonthDay DateOfUnixDays(int64_t days) {
  return civil_period_internal::DateOfMarchDate(
      civil_period_internal::MarchDateOfUnixDays(days));
}
absl::CivilDay DayOfUnixDays(int64_t days);

// The fixed offset makes a Tokyo day exactly 86400 seconds, so days are
// counted with integer division instead of a time zone conversion.
inline constexpr int64_t kTokyoOffsetSeconds = 9 * 60 * 60;
inline constexpr int64_t kSecondsPerDay = 24 * 60 * 60;

// The Unix day of the Tokyo civil day that holds `unix_seconds`, which must
// lie within 2^40 seconds (some 34,000 years) of 1970: counted from a day
// before that, the division rounds down without a sign fix-up.
inline int64_t TokyoUnixDays(int64_t unix_seconds) {
  constexpr int64_t kShiftDays = (int64_t{1} << 40) / kSecondsPerDay + 1;
  return static_cast<int64_t>(
             static_cast<uint64_t>(unix_seconds + kTokyoOffsetSeconds +
                                   kShiftDays * kSecondsPerDay) /
             kSecondsPerDay) -
         kShiftDays;
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
// The same within 2^40 seconds of 1970, like TokyoUnixDays().
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
inline YearMonthDay PeriodLastDay(const YearMonthDay& first_day,
                                  CompiledPeriod period) {
  if (period.days > 0) {
    return DateOfUnixDays(DaysSinceUnixEpoch(first_day) + period.days - 1);
  }
  // The month in which the period ends.
  const uint32_t months =
      static_cast<uint32_t>(first_day.month - 1 + period.months);
  const int64_t year = first_day.year + months / 12;
  const int month = static_cast<int>(months % 12) + 1;
  const int last = DaysInMonth(year, month);
  // No corresponding day: the period ends with the month (民法 143(2)).
  if (first_day.day > last) return {year, month, last};
  if (first_day.day > 1) return {year, month, first_day.day - 1};
  // The corresponding day is the 1st: the day before ends the month before.
  if (month > 1) return {year, month - 1, DaysInMonth(year, month - 1)};
  return {year - 1, 12, 31};
}

// The last day on which a person born on `birth` is younger than `years`
// years. Age is counted from the day of birth, that day included
// (年齢計算ニ関スル法律 1), by the calendar (民法 143): a year of age is
// completed at the end of the day before the birthday, so a person born on
// 1 April turns 16 at the end of 31 March, and one born on 29 February at
// the end of 28 February, in leap years too (143(2) where the year has no
// 29 February). `years` must be positive.
inline YearMonthDay LastDayYoungerThan(const YearMonthDay& birth, int years) {
  return PeriodLastDay(birth, CompiledPeriod{years * 12, 0, years});
}

// A civil day both as its Unix day and as its date: a verdict carries both.
struct UnixDayAndDate {
  int64_t unix_days;
  YearMonthDay date;
};

// PeriodLastDay() counting Unix day `first_day` as the first day, for the
// per-record paths. A period of days is an addition. A period of whole years
// moves the first day's March date by its years and steps back a day: the
// eve of the corresponding day, or, for a first day of February 29 whose
// final year has none, February 28, the month's last day (民法 143(2)), with
// no month arithmetic. Other periods, and a first day of March 1 (whose eve
// falls in the year before), take PeriodLastDay() out of line
// (PeriodLastUnixDayByMonths).
UnixDayAndDate PeriodLastUnixDayByMonths(int64_t first_day,
                                         CompiledPeriod period);
ABSL_ATTRIBUTE_ALWAYS_INLINE inline UnixDayAndDate PeriodLastUnixDay(
    int64_t first_day, CompiledPeriod period) {
  using civil_period_internal::DateOfMarchDate;
  using civil_period_internal::MarchDate;
  if (period.days > 0) {
    const int64_t last = first_day + period.days - 1;
    return {last, DateOfUnixDays(last)};
  }
  const MarchDate first =
      civil_period_internal::MarchDateOfUnixDays(first_day);
  if (period.whole_years > 0 && first.day_of_year > 0) {
    const MarchDate last{first.year + period.whole_years,
                         first.day_of_year - 1};
    return {civil_period_internal::UnixDaysOfMarchDate(last),
            DateOfMarchDate(last)};
  }
  return PeriodLastUnixDayByMonths(first_day, period);
}

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

// The last day a deadline pip prints may fall on: 9999-12-31 (kMaxYear),
// as a Unix day of the Tokyo calendar.
inline constexpr int64_t kLastDeadlineDay = 2932896;

// InvalidArgumentError "<field>: <period> would end after 9999-12-31, ..."
// when `last_day` (a Unix day) is after kLastDeadlineDay: every date pip
// prints is one it accepts.
absl::Status CheckDeadlineInRange(int64_t last_day, absl::string_view field,
                                  absl::string_view period);

// "YYYY-MM-DD" and "YYYY-MM-DDT00:00:00+09:00" into fixed buffers, without
// allocating: false, writing nothing, for a year that is not four digits
// (none that pip prints: pip/limits.h), which FormatDay() and
// FormatTokyoStartOfDay() then spell.
inline constexpr size_t kDayChars = 10;
inline constexpr size_t kTokyoTimeChars = 25;
bool WriteDay(const YearMonthDay& day, char (&out)[kDayChars]);
bool WriteTokyoStartOfDay(const YearMonthDay& day,
                          char (&out)[kTokyoTimeChars]);

// "YYYY-MM-DD".
std::string FormatDay(absl::CivilDay day);
std::string FormatDay(const YearMonthDay& day);

// RFC 3339 with the Tokyo offset, e.g. "2026-05-11T00:00:00+09:00".
std::string FormatTokyoTime(absl::Time t);
// The same for 00:00:00 Asia/Tokyo at the start of `day`.
std::string FormatTokyoStartOfDay(const YearMonthDay& day);

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_CIVIL_PERIOD_H_
