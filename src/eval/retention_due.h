// retention_due: must this record be deleted now, by when, and how? Clause 7.
#ifndef PIP_SRC_EVAL_RETENTION_DUE_H_
#define PIP_SRC_EVAL_RETENTION_DUE_H_

#include <cstdint>
#include <optional>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "src/eval/civil_period.h"
#include "src/eval/eval_types.h"

namespace pip {
namespace eval_internal {

// The last civil day a record of retention kind `kind` whose clock event
// fell on Unix day `event_day` (Asia/Tokyo; see civil_period.h) is kept, as
// a Unix day and as a date: the later of the kind's period and its
// statutory floor's (法定保存期間), each counted on its own clock.
//  - RETENTION_CLOCK_EVENT: the event day is not counted (民法 140), even for
//    an event at 00:00:00: keeping a day longer is the safe side.
//  - RETENTION_CLOCK_FILING_DEADLINE: the period runs from the day after the
//    corporate tax filing deadline of the fiscal year holding the event, and
//    that day counts (法人税法施行規則 59).
//  - RETENTION_CLOCK_FISCAL_YEAR_END: the period runs from the day after the
//    end of the fiscal year holding the event (会社法 432(2)).
// `floor_decides`, when given, is set to whether the floor's period ends
// later than the kind's.
inline UnixDayAndDate RetainUntil(const CompiledPolicy& policy, int kind,
                                  int64_t event_day,
                                  bool* floor_decides = nullptr);

// The last day of the period `period` on clock `clock` of an event on Unix
// day `event_day`.
inline UnixDayAndDate ClockPeriodLastDay(const CompiledPolicy& policy,
                                         v1::RetentionClock clock,
                                         const CompiledPeriod& period,
                                         int64_t event_day);

// The last day of the fiscal year that holds `day`: fiscal_year_end_month /
// fiscal_year_end_day, or the month's last day (February 29 in a leap year)
// when the policy says the year ends at the month's end.
YearMonthDay FiscalYearEnd(const CompiledPolicy& policy,
                           const YearMonthDay& day);

// The corporate tax filing deadline of the fiscal year that holds `day`:
// the last day of `filing_deadline_months` months counted from the day after
// the fiscal year end.
YearMonthDay FilingDeadline(const CompiledPolicy& policy,
                            const YearMonthDay& day);

// The last event day (a Unix day, Asia/Tokyo) whose record of `kind` has a
// period that ended before Unix day `today` began (retain_until < today),
// or nullopt when no day from kMinYear on qualifies. RetainUntil() never
// decreases as the event day grows, so this one day splits every record of
// the kind into due and not due: the batch sweep compares event times
// against it.
std::optional<int64_t> LastEventDayDue(const CompiledPolicy& policy, int kind,
                                       int64_t today);

// The clock of a record of `kind` whose event fell at Unix second
// `event_seconds` (in pip's years): sets clock_started, retain_until,
// retain_until_days and due_at of `v`. Returns due_at as Unix seconds, so
// that a caller holding as_of in seconds compares integers.
inline int64_t StartClock(const CompiledPolicy& policy, int kind,
                          int64_t event_seconds, RetentionVerdict& v);

// Evaluates a retention_due query. A record is due from 00:00 Asia/Tokyo the
// day after retain_until, unless a hold that has not ended keeps it
// (7, 保存期間の例外). A kind whose event may be pending, queried without an
// event, is not due (CLOCK_NOT_STARTED). Reasons go to `sink`: none when
// due; PERIOD_RUNNING, CLOCK_NOT_STARTED or one HOLD_APPLIES per hold
// otherwise. The handles of `f` must be of `policy`, its times in range
// (the resolver and Snapshot check them); the caller then checks the
// verdict with CheckDueAtInRange().
//
// Defined here, like RetainUntil(), so that the handle path
// (Snapshot::RetentionDue) compiles into one function without calls.
// Sets the fields of `*v`, a default RetentionVerdict before the call, but
// clause and deletion_method (the caller's: the kind's, or the first
// reason's).
template <typename Sink>
void EvaluateRetentionDue(const CompiledPolicy& policy, const RetentionFacts& f,
                          Sink& sink, RetentionVerdict* v);

// The same, returning the verdict.
template <typename Sink>
RetentionVerdict EvaluateRetentionDue(const CompiledPolicy& policy,
                                      const RetentionFacts& f, Sink& sink);

// InvalidArgumentError naming `field` when request type `type` is not
// one carried out by erasing data (RequestType.may_erase, 8.1): only such a
// request makes a record due through RetentionFacts::erasures.
absl::Status CheckErasureType(const CompiledPolicy& policy, int type,
                              absl::string_view field);

// InvalidArgumentError naming event_at and the limit when the period of a
// started clock ends after time_internal::kLastRetainUntilDay (9999-12-30,
// so that due_at is a time pip accepts): every date and time pip
// prints is one it accepts (an event in 9999 with a period of years would
// otherwise print a year 10002 that no surface reads back).
absl::Status CheckDueAtInRange(const CompiledPolicy& policy, int kind,
                               const RetentionVerdict& verdict);

// --- Implementation -----------------------------------------------------------

ABSL_ATTRIBUTE_ALWAYS_INLINE inline UnixDayAndDate ClockPeriodLastDay(
    const CompiledPolicy& policy, v1::RetentionClock clock,
    const CompiledPeriod& period, int64_t event_day) {
  if (ABSL_PREDICT_FALSE(clock == v1::RETENTION_CLOCK_FILING_DEADLINE)) {
    event_day = DaysSinceUnixEpoch(
        FilingDeadline(policy, DateOfUnixDays(event_day)));
  } else if (ABSL_PREDICT_FALSE(clock == v1::RETENTION_CLOCK_FISCAL_YEAR_END)) {
    event_day = DaysSinceUnixEpoch(
        FiscalYearEnd(policy, DateOfUnixDays(event_day)));
  }
  // The day after the clock's event is the first day.
  return PeriodLastUnixDay(event_day + 1, period);
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline UnixDayAndDate RetainUntil(
    const CompiledPolicy& policy, int kind, int64_t event_day,
    bool* floor_decides) {
  const auto& k = policy.retention_kinds[kind];
  UnixDayAndDate until =
      ClockPeriodLastDay(policy, k.clock, k.period, event_day);
  if (ABSL_PREDICT_FALSE(k.floor_may_decide)) {
    // 法定保存期間: never before the law's period has ended (a floor that
    // cannot end later than the kind's period is skipped:
    // policy_internal::FloorMayDecide). The later of
    // two days that never decrease as the event day grows never decreases
    // either (LastEventDayDue relies on it).
    const auto& f = policy.statutory_floors[k.floor];
    const UnixDayAndDate floor =
        ClockPeriodLastDay(policy, f.clock, f.period, event_day);
    if (floor.unix_days > until.unix_days) {
      until = floor;
      if (floor_decides != nullptr) *floor_decides = true;
    }
  }
  return until;
}

// Sets the last day `v` keeps the record to `until`, and due_at to 00:00
// Asia/Tokyo the day after; returns due_at as Unix seconds.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline int64_t KeepUntil(
    const UnixDayAndDate& until, RetentionVerdict& v) {
  const int64_t due_at = TokyoStartOfUnixDay(until.unix_days + 1);
  v.retain_until = CivilDayOf(until.date);
  v.retain_until_days = static_cast<int32_t>(until.unix_days);
  v.due_at = absl::FromUnixSeconds(due_at);
  return due_at;
}

ABSL_ATTRIBUTE_ALWAYS_INLINE inline int64_t StartClock(
    const CompiledPolicy& policy, int kind, int64_t event_seconds,
    RetentionVerdict& v) {
  bool floor_decides = false;
  const UnixDayAndDate until =
      RetainUntil(policy, kind, TokyoUnixDays(event_seconds), &floor_decides);
  v.clock_started = true;
  v.statutory_floor = floor_decides;
  return KeepUntil(until, v);
}

// Whether a hold of `f` is in force at as_of (7, 保存期間の例外): one
// HOLD_APPLIES in `wording` per such hold goes to `sink`.
template <typename Sink>
bool AnyHoldApplies(const CompiledPolicy& policy, const RetentionFacts& f,
                    uint8_t wording, Sink& sink) {
  bool held = false;
  ReasonRef r;
  r.clause = policy.hold_clause;
  r.code = v1::HOLD_APPLIES;
  r.wording = wording;
  for (size_t i = 0; i < f.holds.size(); ++i) {
    if (f.holds[i].until > f.as_of) {
      held = true;
      r.hold = static_cast<int16_t>(i);
      sink.Add(r);
    }
  }
  return held;
}

// The rest of EvaluateRetentionDue once erasure `erasure` of `f` counts
// (8.1): the record is due now unless the law sets its period
// (RetentionKind.statutory_article, or a statutory floor) and that period
// has not ended, or its clock has not started (ERASURE_DEFERRED_BY_LAW,
// the law's last day in `v`), or a hold keeps it (HOLD_APPLIES in the
// erasure's wording). `event_at` is absent when the clock has not started.
template <typename Sink>
void EvaluateErasure(const CompiledPolicy& policy, const RetentionFacts& f,
                     int erasure, std::optional<absl::Time> event_at,
                     RetentionVerdict& v, Sink& sink) {
  v.erasure = true;
  const auto& k = policy.retention_kinds[IndexOf(f.kind)];
  ReasonRef r;
  r.clause = policy.request_types[IndexOf(f.erasures[erasure].type)].clause;
  r.request = static_cast<int16_t>(erasure);
  // The law that sets the record's period, if any: the kind's own period
  // (statutory_article), or its statutory floor.
  const bool own = k.statutory_article != policy_internal::kNoClause;
  if (own || k.floor >= 0) {
    const policy_internal::CompiledStatutoryFloor* floor =
        own ? nullptr : &policy.statutory_floors[k.floor];
    r.article = own ? k.statutory_article : floor->article;
    r.code = v1::ERASURE_DEFERRED_BY_LAW;
    if (!event_at.has_value()) {
      r.wording = kClockNotStarted;
      sink.Add(r);
      return;
    }
    const UnixDayAndDate law = ClockPeriodLastDay(
        policy, own ? k.clock : floor->clock,
        own ? k.period : floor->period,
        TokyoUnixDays(absl::ToUnixSeconds(*event_at)));
    // Kept to the law's last day, and no longer.
    KeepUntil(law, v);
    v.statutory_floor = !own;
    v.period_ended = f.as_of >= v.due_at;
    if (!v.period_ended) {
      sink.Add(r);
      return;
    }
  }
  // A hold wins over the erasure; a person's review of the period too
  // (needs_review already says why).
  if (AnyHoldApplies(policy, f, kAfterErasure, sink) || v.needs_review) {
    return;
  }
  r.article = policy_internal::kNoClause;
  r.code = v1::ERASURE_CARRIED_OUT;
  sink.Add(r);
  v.due = true;
}

template <typename Sink>
void EvaluateRetentionDue(const CompiledPolicy& policy, const RetentionFacts& f,
                          Sink& sink, RetentionVerdict* out) {
  RetentionVerdict& v = *out;
  ReasonRef r;
  const int kind = IndexOf(f.kind);
  const auto& k = policy.retention_kinds[kind];
  r.clause = k.clause;
  // A category the kind's row does not list: which period applies is for a
  // person to decide (clause 7). The record is never due meanwhile.
  if (ABSL_PREDICT_FALSE(!f.categories.empty())) {
    ReasonRef review = r;
    review.code = v1::CATEGORY_NOT_RETAINED_BY_KIND;
    BitsOf(f.categories).ForEach([&](int c) {
      if (!k.categories.Contains(c)) {
        v.needs_review = true;
        review.category = static_cast<int16_t>(c);
        sink.Add(review);
      }
    });
  }
  // The first erasure carried out by as_of (8.1), if any.
  int erasure = -1;
  for (size_t i = 0; i < f.erasures.size(); ++i) {
    if (f.erasures[i].carried_out_at <= f.as_of) {
      erasure = static_cast<int>(i);
      break;
    }
  }
  if (!f.event_at.has_value()) {
    // A contract that has not ended: its clock has not started.
    if (erasure >= 0) {
      EvaluateErasure(policy, f, erasure, std::nullopt, v, sink);
      return;
    }
    r.code = v1::CLOCK_NOT_STARTED;
    sink.Add(r);
    return;
  }
  StartClock(policy, kind, absl::ToUnixSeconds(*f.event_at), v);
  v.period_ended = f.as_of >= v.due_at;
  if (ABSL_PREDICT_FALSE(erasure >= 0)) {
    EvaluateErasure(policy, f, erasure, f.event_at, v, sink);
    return;
  }
  if (!v.period_ended) {
    // The law's period outlasts the policy's: cite the law.
    if (v.statutory_floor) {
      r.code = v1::STATUTORY_FLOOR_APPLIES;
      r.article = policy.statutory_floors[k.floor].article;
      r.provision = static_cast<int16_t>(k.floor);
    } else {
      r.code = v1::PERIOD_RUNNING;
    }
    sink.Add(r);
    return;
  }
  v.due = !AnyHoldApplies(policy, f, 0, sink) && !v.needs_review;
}

template <typename Sink>
RetentionVerdict EvaluateRetentionDue(const CompiledPolicy& policy,
                                      const RetentionFacts& f, Sink& sink) {
  RetentionVerdict v;
  EvaluateRetentionDue(policy, f, sink, &v);
  return v;
}

}  // namespace eval_internal
}  // namespace pip

#endif  // PIP_SRC_EVAL_RETENTION_DUE_H_
