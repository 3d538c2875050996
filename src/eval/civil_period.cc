#include "src/eval/civil_period.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "pip/limits.h"

namespace pip {
namespace eval_internal {
namespace {

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone* const kTokyo =
      new absl::TimeZone(absl::FixedTimeZone(9 * 60 * 60));
  return *kTokyo;
}

// Decisions format a date or two each; written digit by digit, that costs a
// small fraction of absl::StrFormat or absl::FormatTime. Years of other than
// four digits (none in pip's range) take the general path, whose padding
// differs between the two.
bool FourDigitYear(const YearMonthDay& day) {
  return day.year >= 1000 && day.year <= 9999;
}

}  // namespace

// Writes "YYYY-MM-DD" at `out`.
static void PutDay(const YearMonthDay& day, char* out) {
  const auto two = [](int64_t v, char* p) {
    p[0] = static_cast<char>('0' + v / 10);
    p[1] = static_cast<char>('0' + v % 10);
  };
  two(day.year / 100, out);
  two(day.year % 100, out + 2);
  out[4] = '-';
  two(day.month, out + 5);
  out[7] = '-';
  two(day.day, out + 8);
}


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

UnixDayAndDate PeriodLastUnixDayByMonths(int64_t first_day,
                                         CompiledPeriod period) {
  const YearMonthDay last = PeriodLastDay(DateOfUnixDays(first_day), period);
  return {DaysSinceUnixEpoch(last), last};
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

absl::Status CheckDeadlineInRange(int64_t last_day, absl::string_view field,
                                  absl::string_view period) {
  if (ABSL_PREDICT_TRUE(last_day <= kLastDeadlineDay)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      field, ": ", period, " would end after 9999-12-31, outside the years ",
      kMinYear, "-", kMaxYear, " pip accepts (kMaxYear)"));
}

bool WriteDay(const YearMonthDay& day, char (&out)[kDayChars]) {
  if (!FourDigitYear(day)) return false;
  PutDay(day, out);
  return true;
}

bool WriteTokyoStartOfDay(const YearMonthDay& day,
                          char (&out)[kTokyoTimeChars]) {
  if (!FourDigitYear(day)) return false;
  std::memcpy(out, "YYYY-MM-DDT00:00:00+09:00", kTokyoTimeChars);
  PutDay(day, out);
  return true;
}

std::string FormatDay(const YearMonthDay& day) {
  if (!FourDigitYear(day)) {
    return absl::StrFormat("%04d-%02d-%02d", day.year, day.month, day.day);
  }
  std::string out(10, '\0');
  PutDay(day, &out[0]);
  return out;
}

std::string FormatDay(absl::CivilDay day) {
  return FormatDay(YearMonthDayOf(day));
}

std::string FormatTokyoStartOfDay(const YearMonthDay& day) {
  if (!FourDigitYear(day)) {
    return FormatTokyoTime(absl::FromUnixSeconds(
        TokyoStartOfUnixDay(DaysSinceUnixEpoch(day))));
  }
  std::string out = "YYYY-MM-DDT00:00:00+09:00";
  PutDay(day, &out[0]);
  return out;
}

std::string FormatTokyoTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", t, Tokyo());
}

}  // namespace eval_internal
}  // namespace pip
