// Tests of the Civil Code calendar arithmetic (民法 138-143) on civil dates
// in Asia/Tokyo, used by retention (clause 7) and request deadlines (8.2).
#include "src/eval/civil_period.h"

#include <ostream>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/civil_reference.h"

namespace pip {
namespace eval_internal {

// For failure messages.
void PrintTo(const YearMonthDay& d, std::ostream* os) {
  *os << d.year << "-" << d.month << "-" << d.day;
}

namespace {

using absl::CivilDay;

v1::Period Years(int n) {
  v1::Period p;
  p.set_years(n);
  return p;
}
v1::Period Months(int n) {
  v1::Period p;
  p.set_months(n);
  return p;
}
v1::Period Days(int n) {
  v1::Period p;
  p.set_days(n);
  return p;
}

absl::Time Utc(int y, int mo, int d, int h, int mi, int s) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s),
                         absl::UTCTimeZone());
}

// --- Time: civil dates are taken in Asia/Tokyo (UTC+9, no DST) ----------

TEST(CivilPeriodTest, Time_TokyoDayOfUtcLateEveningIsNextDay) {
  // 2023-05-09T15:00:00Z is 2023-05-10T00:00:00+09:00.
  EXPECT_EQ(TokyoDay(Utc(2023, 5, 9, 15, 0, 0)), CivilDay(2023, 5, 10));
  // One second earlier is still 2023-05-09 in Tokyo.
  EXPECT_EQ(TokyoDay(Utc(2023, 5, 9, 14, 59, 59)), CivilDay(2023, 5, 9));
}

TEST(CivilPeriodTest, Time_TokyoDayOfUtcEarlyMorningIsSameDay) {
  EXPECT_EQ(TokyoDay(Utc(2023, 5, 10, 0, 0, 0)), CivilDay(2023, 5, 10));
  EXPECT_EQ(TokyoDay(Utc(2023, 5, 10, 14, 59, 59)), CivilDay(2023, 5, 10));
}

TEST(CivilPeriodTest, Time_TokyoDayAcrossYearEnd) {
  // 2025-12-31T15:00:00Z is already New Year's Day in Tokyo.
  EXPECT_EQ(TokyoDay(Utc(2025, 12, 31, 15, 0, 0)), CivilDay(2026, 1, 1));
}

TEST(CivilPeriodTest, Time_TokyoStartOfDayIsMidnightJst) {
  // 2026-05-11T00:00:00+09:00 == 2026-05-10T15:00:00Z.
  EXPECT_EQ(TokyoStartOfDay(CivilDay(2026, 5, 11)),
            Utc(2026, 5, 10, 15, 0, 0));
  EXPECT_EQ(TokyoDay(TokyoStartOfDay(CivilDay(2026, 5, 11))),
            CivilDay(2026, 5, 11));
  EXPECT_EQ(TokyoDay(TokyoStartOfDay(CivilDay(2026, 5, 11)) -
                     absl::Seconds(1)),
            CivilDay(2026, 5, 10));
}

TEST(CivilPeriodTest, Time_TokyoHasNoDaylightSavingTime) {
  // Summer and winter both start a day at 15:00Z the previous day.
  EXPECT_EQ(TokyoStartOfDay(CivilDay(2024, 7, 1)), Utc(2024, 6, 30, 15, 0, 0));
  EXPECT_EQ(TokyoStartOfDay(CivilDay(2024, 1, 1)),
            Utc(2023, 12, 31, 15, 0, 0));
}

TEST(CivilPeriodTest, Time_FormatDayIsIsoDate) {
  EXPECT_EQ(FormatDay(CivilDay(2026, 5, 10)), "2026-05-10");
  EXPECT_EQ(FormatDay(CivilDay(2024, 2, 29)), "2024-02-29");
  EXPECT_EQ(FormatDay(CivilDay(1900, 1, 1)), "1900-01-01");
  EXPECT_EQ(FormatDay(CivilDay(9999, 12, 31)), "9999-12-31");
}

TEST(CivilPeriodTest, Time_FormatTokyoTimeUsesPlusNineOffset) {
  EXPECT_EQ(FormatTokyoTime(TokyoStartOfDay(CivilDay(2026, 5, 11))),
            "2026-05-11T00:00:00+09:00");
  EXPECT_EQ(FormatTokyoTime(Utc(2023, 5, 9, 15, 0, 0)),
            "2023-05-10T00:00:00+09:00");
  EXPECT_EQ(FormatTokyoTime(Utc(2026, 1, 31, 1, 2, 3)),
            "2026-01-31T10:02:03+09:00");
}

// --- 民法 140: the day of the event is not counted ------------------------

TEST(CivilPeriodTest, Civil140_EventDayNotCounted) {
  // Clause 7 example: inquiry 2023-05-10, 3 years -> kept until 2026-05-10.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2023, 5, 10), Years(3)),
            CivilDay(2026, 5, 10));
  // Counting the event day itself would end one day earlier.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 5, 10), Years(3)),
            CivilDay(2026, 5, 9));
}

TEST(CivilPeriodTest, Civil140_AfterEventEqualsCountingFromNextDay) {
  for (CivilDay d = CivilDay(2023, 12, 25); d <= CivilDay(2024, 3, 5); ++d) {
    EXPECT_EQ(PeriodLastDayAfterEvent(d, Years(1)),
              PeriodLastDay(d + 1, Years(1)))
        << FormatDay(d);
    EXPECT_EQ(PeriodLastDayAfterEvent(d, Days(30)), d + 30) << FormatDay(d);
  }
}

// --- 民法 143: years and months end the day before the corresponding day --

TEST(CivilPeriodTest, Civil143_YearsEndDayBeforeCorrespondingDay) {
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 5, 11), Years(3)),
            CivilDay(2026, 5, 10));
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 6, 1), Years(7)),
            CivilDay(2032, 5, 31));
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 1, 1), Years(1)),
            CivilDay(2024, 12, 31));
}

TEST(CivilPeriodTest, Civil143_MonthsEndDayBeforeCorrespondingDay) {
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 4, 1), Months(2)),
            CivilDay(2025, 5, 31));
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 1, 15), Months(1)),
            CivilDay(2025, 2, 14));
  // Across the year end.
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 11, 20), Months(3)),
            CivilDay(2026, 2, 19));
  // A corresponding day that exists in February: 28th.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 1, 28), Months(1)),
            CivilDay(2023, 2, 27));
}

TEST(CivilPeriodTest, Civil143_FirstOfMonthEndsOnLastOfMonth) {
  // From the 1st, the period ends the day before the corresponding 1st: the
  // last day of the month before, whatever its length.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 2, 1), Months(1)),
            CivilDay(2023, 2, 28));
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 2, 1), Months(1)),
            CivilDay(2024, 2, 29));
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 3, 1), Years(3)),
            CivilDay(2027, 2, 28));
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 3, 1), Years(1)),
            CivilDay(2024, 2, 29));
}

TEST(CivilPeriodTest, Civil143_DesignLeapYearExamples) {
  // DESIGN.md: an event on 2023-02-28 with 1 year is kept until 2024-02-29.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2023, 2, 28), Years(1)),
            CivilDay(2024, 2, 29));
  // DESIGN.md: an event on 2024-02-29 with 3 years is kept until 2027-02-28.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2024, 2, 29), Years(3)),
            CivilDay(2027, 2, 28));
}

// 民法 143(2) ただし書: where the final month has no corresponding day, the
// period ends on the last day of that month.
TEST(CivilPeriodTest, Civil143_NoCorrespondingDayEndsOnMonthEnd_Jan31) {
  // First day Jan 31 + 1 month: no Feb 31, so the last day of February.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 1, 31), Months(1)),
            CivilDay(2023, 2, 28));
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 1, 31), Months(1)),
            CivilDay(2024, 2, 29));
  // Jan 30 and Jan 29 (non-leap year) have no corresponding day either.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 1, 30), Months(1)),
            CivilDay(2023, 2, 28));
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 1, 29), Months(1)),
            CivilDay(2023, 2, 28));
  // In a leap year Feb 29 corresponds to Jan 29: ends the day before.
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 1, 29), Months(1)),
            CivilDay(2024, 2, 28));
}

TEST(CivilPeriodTest, Civil143_NoCorrespondingDayEndsOnMonthEnd_31stTo30DayMonth) {
  // First day Mar 31 + 1 month: April has no 31st -> April 30.
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 3, 31), Months(1)),
            CivilDay(2025, 4, 30));
  // First day Aug 31 + 1 month: September 30.
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 8, 31), Months(1)),
            CivilDay(2025, 9, 30));
  // Mar 30 + 1 month: April 30 exists, so ends the day before.
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 3, 30), Months(1)),
            CivilDay(2025, 4, 29));
}

TEST(CivilPeriodTest, Civil143_LeapDayFirstDayPlusOneYearEndsFeb28) {
  // First day 2024-02-29 + 1 year: 2025 has no Feb 29, so the period ends
  // on the last day of February 2025.
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 2, 29), Years(1)),
            CivilDay(2025, 2, 28));
  // + 4 years: 2028-02-29 exists, so the day before it.
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 2, 29), Years(4)),
            CivilDay(2028, 2, 28));
  // Event on 2024-02-28: first day is 2024-02-29, same result.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2024, 2, 28), Years(1)),
            CivilDay(2025, 2, 28));
}

TEST(CivilPeriodTest, Civil143_YearsEqualTwelveMonths) {
  for (CivilDay d = CivilDay(2023, 1, 1); d <= CivilDay(2025, 12, 31); ++d) {
    ASSERT_EQ(PeriodLastDay(d, Years(2)), PeriodLastDay(d, Months(24)))
        << FormatDay(d);
  }
}

TEST(CivilPeriodTest, Civil143_NotAFixedNumberOfDays) {
  // Over a leap day a year is 366 days; otherwise 365.
  EXPECT_EQ(PeriodLastDay(CivilDay(2023, 3, 1), Years(1)) -
                CivilDay(2023, 3, 1) + 1,
            366);
  EXPECT_EQ(PeriodLastDay(CivilDay(2024, 3, 1), Years(1)) -
                CivilDay(2024, 3, 1) + 1,
            365);
}

// --- Periods of days: end `days - 1` days after the first day ------------

TEST(CivilPeriodTest, Days_ThirtyDaysAcrossMonthEnd) {
  // Clause 8.2 example: received 2026-01-31 -> respond by 2026-03-02.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2026, 1, 31), Days(30)),
            CivilDay(2026, 3, 2));
  // In a leap year February has 29 days: one day earlier.
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2024, 1, 31), Days(30)),
            CivilDay(2024, 3, 1));
  EXPECT_EQ(PeriodLastDay(CivilDay(2026, 2, 1), Days(30)),
            CivilDay(2026, 3, 2));
}

TEST(CivilPeriodTest, Days_ThirtyDaysAcrossYearEnd) {
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2025, 12, 15), Days(30)),
            CivilDay(2026, 1, 14));
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2025, 12, 31), Days(30)),
            CivilDay(2026, 1, 30));
}

TEST(CivilPeriodTest, Days_OneDayIsTheFirstDayOnly) {
  EXPECT_EQ(PeriodLastDay(CivilDay(2025, 12, 31), Days(1)),
            CivilDay(2025, 12, 31));
  EXPECT_EQ(PeriodLastDayAfterEvent(CivilDay(2025, 12, 31), Days(1)),
            CivilDay(2026, 1, 1));
}

// --- Day numbers: the fast conversions agree with Abseil's --------------------

TEST(CivilPeriodTest, Time_DayOfUnixDaysAgreesWithAbseilOverPipsYears) {
  // Every day from 1900 to 2100, then a stride through to 9999.
  const CivilDay epoch(1970, 1, 1);
  for (int64_t d = CivilDay(1900, 1, 1) - epoch;
       d <= CivilDay(2100, 12, 31) - epoch; ++d) {
    ASSERT_EQ(DayOfUnixDays(d), epoch + d) << d;
  }
  for (int64_t d = CivilDay(2100, 12, 31) - epoch;
       d <= CivilDay(9999, 12, 31) - epoch; d += 97) {
    ASSERT_EQ(DayOfUnixDays(d), epoch + d) << d;
  }
}

TEST(CivilPeriodTest, Time_DaysSinceUnixEpochAgreesWithAbseilOverPipsYears) {
  // Every day from 1900 to 2100 (leap days, 1900 not leap, 2000 leap), then a
  // stride through to 9999; each also comes back through DayOfUnixDays.
  const CivilDay epoch(1970, 1, 1);
  for (CivilDay day(1900, 1, 1); day <= CivilDay(2100, 12, 31); ++day) {
    ASSERT_EQ(DaysSinceUnixEpoch(day), day - epoch) << day;
    ASSERT_EQ(DayOfUnixDays(DaysSinceUnixEpoch(day)), day) << day;
  }
  for (CivilDay day(2100, 12, 31); day <= CivilDay(9999, 12, 31); day += 89) {
    ASSERT_EQ(DaysSinceUnixEpoch(day), day - epoch) << day;
  }
}

TEST(CivilPeriodTest, Time_TokyoDayOfUnixSecondsAgreesWithTimeZoneConversion) {
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  for (int64_t s = -2208988800; s < 253402300800; s += 86400 * 7 + 3607) {
    ASSERT_EQ(TokyoDayOfUnixSeconds(s),
              absl::ToCivilDay(absl::FromUnixSeconds(s), tokyo))
        << s;
    const CivilDay day = TokyoDayOfUnixSeconds(s);
    ASSERT_EQ(TokyoStartOfDay(day), absl::FromCivil(day, tokyo)) << s;
  }
}

// --- The integer calendar agrees with Abseil's civil time ---------------------

TEST(CivilPeriodTest, Time_DateOfUnixDaysAndNextDayAgreeWithAbseilOverPipsYears) {
  // Every day from 1900 to 2100, then a stride through to 9999; compared
  // field by field, since an absl::CivilDay would normalize a wrong triple.
  const CivilDay epoch(1970, 1, 1);
  for (CivilDay day(1900, 1, 1); day <= CivilDay(2100, 12, 31); ++day) {
    const YearMonthDay d = DateOfUnixDays(day - epoch);
    ASSERT_EQ(d, YearMonthDayOf(day)) << day;
    ASSERT_EQ(NextDay(d), YearMonthDayOf(day + 1)) << day;
    ASSERT_EQ(DaysSinceUnixEpoch(d), day - epoch) << day;
  }
  for (CivilDay day(2100, 12, 31); day <= CivilDay(9999, 12, 31); day += 89) {
    ASSERT_EQ(DateOfUnixDays(day - epoch), YearMonthDayOf(day)) << day;
    ASSERT_EQ(NextDay(YearMonthDayOf(day)), YearMonthDayOf(day + 1)) << day;
  }
}

TEST(CivilPeriodTest, Time_DaysInMonthAgreesWithAbseil) {
  // 1900 is not a leap year, 2000 is.
  for (absl::CivilMonth m(1900, 1); m <= absl::CivilMonth(9999, 12); ++m) {
    ASSERT_EQ(DaysInMonth(m.year(), m.month()),
              absl::CivilDay(m + 1) - absl::CivilDay(m))
        << m;
  }
}

TEST(CivilPeriodTest, Time_TokyoUnixDaysAgreesWithTimeZoneConversion) {
  // Fractions of a second before 1970 round down, like whole seconds.
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  const CivilDay epoch(1970, 1, 1);
  for (int64_t s = -2208988800; s < 253402300800; s += 86400 * 5 + 3593) {
    for (const absl::Time t :
         {absl::FromUnixSeconds(s), absl::FromUnixSeconds(s) - absl::Nanoseconds(1),
          absl::FromUnixSeconds(s) + absl::Milliseconds(500)}) {
      ASSERT_EQ(TokyoUnixDays(t), absl::ToCivilDay(t, tokyo) - epoch) << t;
    }
    const int64_t day = TokyoUnixDays(s);
    ASSERT_EQ(absl::FromUnixSeconds(TokyoStartOfUnixDay(day)),
              absl::FromCivil(epoch + day, tokyo))
        << s;
  }
  // The ends of the range TokyoDay() hands over rather than saturating.
  const int64_t end = int64_t{1} << 40;
  for (const int64_t s : {-end, -end + 1, end - 1, end}) {
    EXPECT_EQ(TokyoUnixDays(s),
              absl::ToCivilDay(absl::FromUnixSeconds(s), tokyo) - epoch)
        << s;
    EXPECT_EQ(TokyoDay(absl::FromUnixSeconds(s)),
              absl::ToCivilDay(absl::FromUnixSeconds(s), tokyo))
        << s;
  }
  // Beyond them and at infinity TokyoDay() saturates as Abseil does.
  for (const absl::Time t : {absl::FromUnixSeconds(-end - 1),
                             absl::FromUnixSeconds(end + 1),
                             absl::InfinitePast(), absl::InfiniteFuture()}) {
    EXPECT_EQ(TokyoDay(t), absl::ToCivilDay(t, tokyo)) << t;
  }
}

TEST(CivilPeriodTest, Civil143_PeriodLastDayAgreesWithAbseilOverPipsYears) {
  // Every first day from 1900 to 2100, then a stride through to 9999, for
  // periods of days, of months (a month end, half a year, a year, past a
  // year, two years) and of years (a leap cycle apart and not), by both
  // PeriodLastDay() and PeriodLastUnixDay(); checked against the
  // Abseil reference of tests/testing/civil_reference.h.
  const std::vector<v1::Period> periods = {
      Days(1),    Days(2),    Days(3),  Months(1), Months(2), Months(6),
      Months(12), Months(13), Months(24), Years(1), Years(3),  Years(4),
      Years(5),   Years(7)};
  const auto check = [&](CivilDay day) {
    for (const v1::Period& p : periods) {
      const CivilDay want = testing::ReferencePeriodLastDay(day, p);
      ASSERT_EQ(PeriodLastDay(YearMonthDayOf(day),
                              policy_internal::CompilePeriod(p)),
                YearMonthDayOf(want))
          << day << " " << p.ShortDebugString();
      const UnixDayAndDate last = PeriodLastUnixDay(
          DaysSinceUnixEpoch(day), policy_internal::CompilePeriod(p));
      ASSERT_EQ(last.date, YearMonthDayOf(want))
          << day << " " << p.ShortDebugString();
      ASSERT_EQ(last.unix_days, DaysSinceUnixEpoch(want))
          << day << " " << p.ShortDebugString();
      ASSERT_EQ(PeriodLastDay(day, p), want) << day << " " << p.ShortDebugString();
      ASSERT_EQ(PeriodLastDayAfterEvent(day, p),
                testing::ReferencePeriodLastDay(day + 1, p))
          << day << " " << p.ShortDebugString();
    }
  };
  for (CivilDay day(1900, 1, 1); day <= CivilDay(2100, 12, 31); ++day) {
    check(day);
    if (::testing::Test::HasFatalFailure()) return;
  }
  for (CivilDay day(2100, 12, 31); day <= CivilDay(9999, 12, 31); day += 89) {
    check(day);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(CivilPeriodTest, Time_FormattersAgreeWithAbseilFormatting) {
  // Every day of pip's years and beyond, where the digit-by-digit writers
  // hand over to the general ones: the strings decisions carry.
  const absl::TimeZone tokyo = absl::FixedTimeZone(9 * 3600);
  const auto check = [&](CivilDay day) {
    ASSERT_EQ(FormatDay(day), absl::StrFormat("%04d-%02d-%02d", day.year(),
                                              day.month(), day.day()));
    ASSERT_EQ(FormatDay(YearMonthDayOf(day)), FormatDay(day));
    ASSERT_EQ(FormatTokyoStartOfDay(YearMonthDayOf(day)),
              absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez",
                               absl::FromCivil(day, tokyo), tokyo));
  };
  for (CivilDay day(995, 1, 1); day <= CivilDay(1005, 1, 1); day += 17) {
    check(day);
  }
  for (CivilDay day(1899, 1, 1); day <= CivilDay(2100, 12, 31); ++day) {
    check(day);
  }
  for (CivilDay day(2100, 12, 31); day <= CivilDay(10010, 12, 31); day += 89) {
    check(day);
  }
}

}  // namespace
}  // namespace eval_internal
}  // namespace pip

namespace pip {
namespace eval_internal {
namespace {

// 年齢計算ニ関スル法律 with 民法 143 (PPC Q&A 1-62 asks whether a person is 15
// or under): a person is N on the birthday N years on, having completed
// the year at the end of the day before; born on 29 February, on 1 March in
// a year without one. Checked against that reading, on absl::CivilDay, for
// every birth day of 1996-2030 and the ages 1, 16 and 20.
TEST(CivilPeriodTest, AgeLaw_LastDayYoungerThanIsTheEveOfTheBirthday) {
  for (absl::CivilDay birth(1996, 1, 1); birth <= absl::CivilDay(2030, 12, 31);
       ++birth) {
    for (int years : {1, 16, 20}) {
      const int64_t year = birth.year() + years;
      const bool has_day =
          birth.month() != 2 || birth.day() != 29 ||
          absl::CivilDay(year, 2, 29).month() == 2;
      const absl::CivilDay birthday =
          has_day ? absl::CivilDay(year, birth.month(), birth.day())
                  : absl::CivilDay(year, 3, 1);
      ASSERT_EQ(CivilDayOf(LastDayYoungerThan(YearMonthDayOf(birth), years)),
                birthday - 1)
          << birth << " +" << years;
    }
  }
}

TEST(CivilPeriodTest, AgeLaw_BornOn1AprilTurns16AtTheEndOf31March) {
  EXPECT_EQ(CivilDayOf(LastDayYoungerThan({2010, 4, 1}, 16)),
            absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(CivilDayOf(LastDayYoungerThan({2008, 2, 29}, 16)),
            absl::CivilDay(2024, 2, 28));
  EXPECT_EQ(CivilDayOf(LastDayYoungerThan({2084, 2, 29}, 16)),
            absl::CivilDay(2100, 2, 28));
}

}  // namespace
}  // namespace eval_internal
}  // namespace pip
