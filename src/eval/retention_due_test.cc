// Tests of retention_due (clause 7, 保存期間と削除) through the public API,
// against the default policy. Periods are counted as 民法 140 and 143 count
// them, on civil dates in Asia/Tokyo. The last tests check the evaluator's
// integer clock against an Abseil civil-time reference, day by day.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/policy.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/civil_period.h"
#include "src/eval/retention_due.h"
#include "src/policy/compile.h"
#include "tests/testing/civil_reference.h"
#include "tests/testing/engine.h"
#include "tests/testing/json_requests.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::AllOf;
using ::testing::IsEmpty;
using ::testing::Not;

// The engine of every test here (the default policy).
constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

// A request of `kind`; an empty `event_at` or `as_of` leaves it unset.
v1::RetentionDueRequest Request(const std::string& kind,
                                const std::string& event_at,
                                const std::string& as_of) {
  v1::RetentionDueRequest r;
  r.set_kind(kind);
  if (!event_at.empty()) *r.mutable_event_at() = Ts(event_at);
  if (!as_of.empty()) *r.mutable_as_of() = Ts(as_of);
  return r;
}

// Adds a hold; an empty `until` leaves it without an end.
void AddHold(v1::RetentionDueRequest* r, const std::string& type,
             const std::string& until = "") {
  v1::Hold* h = r->add_holds();
  h->set_type(type);
  h->set_id("h-" + std::to_string(r->holds_size()));
  if (!until.empty()) *h->mutable_until() = Ts(until);
}

// A request in the JSON contract.
constexpr auto& FromJson = ::pip::testing::ParseJson<v1::RetentionDueRequest>;

// The last day kept for `kind` with an event at `event_at`.
std::string RetainUntil(const std::string& kind, const std::string& event_at) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request(kind, event_at, "2026-01-01T00:00:00+09:00"));
  EXPECT_OK(d);
  return d.ok() ? d->retain_until() : "";
}

// --- The contract example (DESIGN.md, "The JSON contract") ---------------

TEST(RetentionDueTest, Clause7_ContractExampleInquiryDueAtMidnightAfterRetainUntil) {
  absl::StatusOr<v1::RetentionDueDecision> d =
      TheEngine().RetentionDue(FromJson(
          R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "holds": [],
              "as_of": "2026-05-11T00:00:00+09:00"})"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  EXPECT_TRUE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2026-05-10");
  EXPECT_EQ(d->due_at(), "2026-05-11T00:00:00+09:00");
  EXPECT_EQ(d->deletion_method(), "secure_erasure_and_shredding");
  EXPECT_EQ(d->deletion_method_ja(), "電子データ完全削除・書類シュレッダー廃棄");
  EXPECT_FALSE(d->deletion_method_en().empty());
  EXPECT_EQ(d->clause(), "7");
  EXPECT_THAT(d->reasons(), IsEmpty());
}

TEST(RetentionDueTest, Clause7_DecisionCarriesPolicyVersionAndHash) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("inquiry", "2023-05-10T14:00:00+09:00",
              "2024-01-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->policy().version().empty());
  EXPECT_EQ(d->policy().version(), TheEngine().policy_version());
  EXPECT_EQ(d->policy().hash(), TheEngine().policy_hash());
  // Lowercase hex SHA-256.
  EXPECT_THAT(d->policy().hash(), ::testing::MatchesRegex("[0-9a-f]{64}"));
}

// --- inquiry: 3 years from the inquiry ------------------------------------

TEST(RetentionDueTest, Clause7_InquiryKeptThreeYearsThenDue) {
  const std::string event = "2023-05-10T14:00:00+09:00";
  // The last day kept, one second before it ends: not due.
  {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request("inquiry", event, "2026-05-10T23:59:59+09:00"));
    ASSERT_OK(d);
    EXPECT_FALSE(d->due());
    EXPECT_FALSE(d->period_ended());
    EXPECT_EQ(d->retain_until(), "2026-05-10");
    EXPECT_EQ(d->due_at(), "2026-05-11T00:00:00+09:00");
    ASSERT_EQ(d->reasons_size(), 1);
    EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
    EXPECT_EQ(d->reasons(0).clause(), "7");
    EXPECT_FALSE(d->reasons(0).message_ja().empty());
    EXPECT_FALSE(d->reasons(0).message_en().empty());
  }
  // The last nanosecond of the last day: still kept.
  {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request("inquiry", event, "2026-05-10T23:59:59.999999999+09:00"));
    ASSERT_OK(d);
    EXPECT_FALSE(d->due());
  }
  // The first instant of the next day: due.
  {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request("inquiry", event, "2026-05-11T00:00:00+09:00"));
    ASSERT_OK(d);
    EXPECT_TRUE(d->due());
    EXPECT_TRUE(d->period_ended());
    EXPECT_THAT(d->reasons(), IsEmpty());
  }
  // The same instant written in UTC.
  {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request("inquiry", event, "2026-05-10T15:00:00Z"));
    ASSERT_OK(d);
    EXPECT_TRUE(d->due());
  }
  {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request("inquiry", event, "2026-05-10T14:59:59Z"));
    ASSERT_OK(d);
    EXPECT_FALSE(d->due());
  }
}

TEST(RetentionDueTest, Clause7_InquiryJustAfterEventIsRunning) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("inquiry", "2023-05-10T14:00:00+09:00",
              "2023-05-10T14:00:01+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_FALSE(d->period_ended());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
}

// 民法 140: the day of the event is not counted, even for an event at
// exactly 00:00:00 (keeping a day longer is the safe side).
TEST(RetentionDueTest, Clause7_Civil140_EventAtMidnightStillNotCounted) {
  EXPECT_EQ(RetainUntil("inquiry", "2023-05-10T00:00:00+09:00"), "2026-05-10");
  EXPECT_EQ(RetainUntil("inquiry", "2023-05-10T23:59:59+09:00"), "2026-05-10");
}

// Time: the civil day of a timestamp is taken in Asia/Tokyo.
TEST(RetentionDueTest, Clause7_UtcEventLateInDayIsNextTokyoDay) {
  // 2023-05-09T15:00:00Z is 2023-05-10T00:00:00+09:00.
  EXPECT_EQ(RetainUntil("inquiry", "2023-05-09T15:00:00Z"), "2026-05-10");
  // One second earlier is still 2023-05-09 in Tokyo.
  EXPECT_EQ(RetainUntil("inquiry", "2023-05-09T14:59:59Z"), "2026-05-09");
}

// 民法 143(2): where the final month has no corresponding day, the period
// ends on the last day of that month. DESIGN.md: 2024-02-29 + 3 years ->
// 2027-02-28.
TEST(RetentionDueTest, Clause7_Civil143_LeapDayEventThreeYearKinds) {
  EXPECT_EQ(RetainUntil("inquiry", "2024-02-29T10:00:00+09:00"), "2027-02-28");
  EXPECT_EQ(RetainUntil("marketing", "2024-02-29T10:00:00+09:00"),
            "2027-02-28");
}

// --- marketing: 3 years from the last contact -----------------------------

TEST(RetentionDueTest, Clause7_MarketingThreeYearsFromLastContact) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("marketing", "2022-08-31T18:30:00+09:00",
              "2025-09-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2025-08-31");
  EXPECT_EQ(d->due_at(), "2025-09-01T00:00:00+09:00");
  EXPECT_TRUE(d->due());
  EXPECT_EQ(d->deletion_method(), "complete_deletion");
  EXPECT_EQ(d->clause(), "7");
}

// --- training_seminar: 1 year from the event ------------------------------

TEST(RetentionDueTest, Clause7_TrainingSeminarOneYearAcrossLeapDay) {
  // DESIGN.md: 2023-02-28 with a 1-year period is kept until 2024-02-29.
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("training_seminar", "2023-02-28T13:00:00+09:00",
              "2024-02-29T23:59:59+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2024-02-29");
  EXPECT_EQ(d->due_at(), "2024-03-01T00:00:00+09:00");
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->deletion_method(), "complete_deletion");
  EXPECT_EQ(d->clause(), "7");

  d = TheEngine().RetentionDue(Request("training_seminar",
                                       "2023-02-28T13:00:00+09:00",
                                       "2024-03-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

TEST(RetentionDueTest, Clause7_TrainingSeminarOneYearNotFixedDays) {
  // Not 365 days: an event on 2023-03-01 is kept until 2024-03-01.
  EXPECT_EQ(RetainUntil("training_seminar", "2023-03-01T10:00:00+09:00"),
            "2024-03-01");
  // An event on 2024-02-28: the first day is 2024-02-29, and 2025 has no
  // Feb 29, so the period ends on the last day of February 2025.
  EXPECT_EQ(RetainUntil("training_seminar", "2024-02-28T10:00:00+09:00"),
            "2025-02-28");
  // An event on 2024-02-29: the first day is 2024-03-01.
  EXPECT_EQ(RetainUntil("training_seminar", "2024-02-29T10:00:00+09:00"),
            "2025-02-28");
}

// --- web_access: 2 years from acquisition ---------------------------------

TEST(RetentionDueTest, Clause7_WebAccessTwoYearsFromAcquisition) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("web_access", "2024-07-01T12:00:00+09:00",
              "2026-07-01T23:59:59+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2026-07-01");
  EXPECT_EQ(d->due_at(), "2026-07-02T00:00:00+09:00");
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->deletion_method(), "automatic_deletion_log_rotation");
  EXPECT_EQ(d->clause(), "7");

  d = TheEngine().RetentionDue(Request(
      "web_access", "2024-07-01T12:00:00+09:00", "2026-07-02T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  // Across a leap day: 2022-02-28 -> first day 2022-03-01 -> 2024-02-29.
  EXPECT_EQ(RetainUntil("web_access", "2022-02-28T12:00:00+09:00"),
            "2024-02-29");
}

// --- contract_transaction: 5 years from the end of the contract ----------

// The policy's own period, 5 years from the end of the contract, is always
// outlasted by the statutory floor of 法人税法施行規則 59: a contract is a
// book or record the corporation tax law requires, kept 7 years from the day
// after the filing deadline of the fiscal year in which the contract ended.
TEST(RetentionDueTest, HojinzeiRule59_ContractFloorOutlastsFiveYears) {
  // Ended 2020-03-31 (the last day of fiscal year 2019): 5 years end
  // 2025-03-31, but the return was due 2020-05-31 and the 7 years run from
  // 2020-06-01 to 2027-05-31.
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("contract_transaction", "2020-03-31T17:00:00+09:00",
              "2025-04-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_FALSE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2027-05-31");
  EXPECT_EQ(d->due_at(), "2027-06-01T00:00:00+09:00");
  EXPECT_EQ(d->deletion_method(), "complete_deletion_after_legal_period");
  EXPECT_EQ(d->clause(), "7");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::STATUTORY_FLOOR_APPLIES);
  EXPECT_EQ(d->reasons(0).clause(), "7");
  EXPECT_EQ(d->reasons(0).article(), "法人税法施行規則 59");
  EXPECT_EQ(d->reasons(0).provision(), "hojinzei_rule59_books");
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("法人税法施行規則 第59条"));
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("2027-05-31"));
  EXPECT_THAT(d->reasons(0).message_en(),
              HasSubstr("Corporation Tax Act Enforcement Rules Article 59"));
  EXPECT_THAT(d->needs_review(), IsEmpty());

  // The last second of the floor: still kept; its first second after: due.
  d = TheEngine().RetentionDue(Request("contract_transaction",
                                       "2020-03-31T17:00:00+09:00",
                                       "2027-05-31T23:59:59+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  d = TheEngine().RetentionDue(Request("contract_transaction",
                                       "2020-03-31T17:00:00+09:00",
                                       "2027-06-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  EXPECT_TRUE(d->period_ended());
  EXPECT_THAT(d->reasons(), IsEmpty());
}

TEST(RetentionDueTest, HojinzeiRule59_ContractFloorFollowsFiscalYearOfContractEnd) {
  // The fiscal year ends 31 March: a contract ending on the first day of a
  // fiscal year waits for that year's return, a year later.
  EXPECT_EQ(RetainUntil("contract_transaction", "2020-04-01T00:00:00+09:00"),
            "2028-05-31");
  EXPECT_EQ(RetainUntil("contract_transaction", "2021-03-31T23:59:59+09:00"),
            "2028-05-31");
  // Midnight in Tokyo, not UTC: 2020-03-31T15:00Z is 2020-04-01 in Japan.
  EXPECT_EQ(RetainUntil("contract_transaction", "2020-03-31T15:00:00Z"),
            "2028-05-31");
  EXPECT_EQ(RetainUntil("contract_transaction", "2020-03-31T14:59:59Z"),
            "2027-05-31");
}

// Accounting records run on the accounting clock already: the floor ends
// the same day, so it does not decide, and the reason is PERIOD_RUNNING.
TEST(RetentionDueTest, HojinzeiRule59_FloorEqualToOwnPeriodDoesNotDecide) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("accounting", "2024-06-15T11:00:00+09:00",
              "2030-01-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2032-05-31");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
}

// A contract that has not ended has no clock yet: not due, with a reason,
// not an error.
TEST(RetentionDueTest, Clause7_ContractNotEndedClockNotStarted) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("contract_transaction", "", "2099-01-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_FALSE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "");
  EXPECT_EQ(d->due_at(), "");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::CLOCK_NOT_STARTED);
  EXPECT_EQ(d->reasons(0).clause(), "7");
  EXPECT_FALSE(d->reasons(0).message_en().empty());
  EXPECT_EQ(d->deletion_method(), "complete_deletion_after_legal_period");
  EXPECT_EQ(d->clause(), "7");
  EXPECT_FALSE(d->policy().version().empty());
  EXPECT_FALSE(d->policy().hash().empty());
}

TEST(RetentionDueTest, Clause7_ContractNotEndedFromJson) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      FromJson(R"({"kind": "contract_transaction", "holds": [],
                   "as_of": "2026-05-11T00:00:00+09:00"})"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::CLOCK_NOT_STARTED);
}

// --- accounting: 7 years from the day after the filing deadline -----------
// (法人税法: the fiscal year ends 31 March, the return is due 2 months later,
// and the 7 years run from the next day, which counts.)

TEST(RetentionDueTest, Clause7_AccountingSevenYearsAfterFilingDeadline) {
  // Transaction 2024-06-15: fiscal year ends 2025-03-31, filing deadline
  // 2025-05-31, clock starts 2025-06-01 (counted) -> 2032-05-31.
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("accounting", "2024-06-15T11:00:00+09:00",
              "2032-05-31T23:59:59+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2032-05-31");
  EXPECT_EQ(d->due_at(), "2032-06-01T00:00:00+09:00");
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->deletion_method(), "complete_deletion_after_statutory_period");
  EXPECT_EQ(d->clause(), "7");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);

  d = TheEngine().RetentionDue(Request("accounting",
                                       "2024-06-15T11:00:00+09:00",
                                       "2032-06-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  EXPECT_THAT(d->reasons(), IsEmpty());
}

TEST(RetentionDueTest, Clause7_AccountingFiscalYearBoundaries) {
  // First day of the fiscal year 2024 (2024-04-01 .. 2025-03-31).
  EXPECT_EQ(RetainUntil("accounting", "2024-04-01T00:00:00+09:00"),
            "2032-05-31");
  // The fiscal year end day itself belongs to that fiscal year.
  EXPECT_EQ(RetainUntil("accounting", "2025-03-31T10:00:00+09:00"),
            "2032-05-31");
  EXPECT_EQ(RetainUntil("accounting", "2025-03-31T23:59:59+09:00"),
            "2032-05-31");
  // The next day starts the next fiscal year: 2026-03-31, filing deadline
  // 2026-05-31, clock 2026-06-01 -> 2033-05-31.
  EXPECT_EQ(RetainUntil("accounting", "2025-04-01T00:00:00+09:00"),
            "2033-05-31");
  // Transactions between January and March belong to the fiscal year ending
  // that March.
  EXPECT_EQ(RetainUntil("accounting", "2025-01-15T10:00:00+09:00"),
            "2032-05-31");
}

TEST(RetentionDueTest, Clause7_AccountingFiscalYearTakenInTokyo) {
  // 2025-03-31T15:00:00Z is 2025-04-01 in Tokyo: the next fiscal year.
  EXPECT_EQ(RetainUntil("accounting", "2025-03-31T15:00:00Z"), "2033-05-31");
  // 2025-03-31T14:59:59Z is still 2025-03-31 in Tokyo.
  EXPECT_EQ(RetainUntil("accounting", "2025-03-31T14:59:59Z"), "2032-05-31");
}

// --- Exceptions to the retention periods (7, 保存期間の例外) --------------

class RetentionHoldTest : public ::testing::TestWithParam<std::string> {};

// A legal obligation, a dispute or the customer's consent keeps a record
// past its period: not due, the hold is named, and the end of the period is
// still reported.
TEST_P(RetentionHoldTest, Clause7_HoldWithoutEndKeepsRecordPastPeriod) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2030-01-01T00:00:00+09:00");
  AddHold(&r, GetParam());
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_TRUE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2026-05-10");
  EXPECT_EQ(d->due_at(), "2026-05-11T00:00:00+09:00");
  EXPECT_EQ(d->deletion_method(), "secure_erasure_and_shredding");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d->reasons(0).hold_type(), GetParam());
  EXPECT_EQ(d->reasons(0).clause(), "7");
  EXPECT_FALSE(d->reasons(0).message_ja().empty());
  EXPECT_FALSE(d->reasons(0).message_en().empty());
}

TEST_P(RetentionHoldTest, Clause7_HoldEndingAfterAsOfStillApplies) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2026-06-01T00:00:00+09:00");
  AddHold(&r, GetParam(), "2026-06-01T00:00:01+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_TRUE(d->period_ended());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d->reasons(0).hold_type(), GetParam());
}

TEST_P(RetentionHoldTest, Clause7_HoldEndedAtOrBeforeAsOfNoLongerApplies) {
  for (const std::string until :
       {"2026-06-01T00:00:00+09:00", "2026-05-20T12:00:00+09:00",
        "2024-01-01T00:00:00+09:00"}) {
    v1::RetentionDueRequest r = Request(
        "inquiry", "2023-05-10T14:00:00+09:00", "2026-06-01T00:00:00+09:00");
    AddHold(&r, GetParam(), until);
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
    ASSERT_OK(d);
    EXPECT_TRUE(d->due()) << until;
    EXPECT_TRUE(d->period_ended()) << until;
    EXPECT_THAT(d->reasons(), IsEmpty()) << until;
  }
}

TEST_P(RetentionHoldTest, Clause7_HoldBeforePeriodEndsOnlyPeriodRunning) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2025-01-01T00:00:00+09:00");
  AddHold(&r, GetParam());
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_FALSE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2026-05-10");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
}

INSTANTIATE_TEST_SUITE_P(AllHoldTypes, RetentionHoldTest,
                         ::testing::Values("legal_obligation", "dispute",
                                           "consent"));

TEST(RetentionDueTest, Clause7_EveryHoldThatAppliesIsNamed) {
  v1::RetentionDueRequest r = Request("accounting", "2024-06-15T11:00:00+09:00",
                                      "2033-01-01T00:00:00+09:00");
  AddHold(&r, "legal_obligation", "2032-12-31T00:00:00+09:00");  // ended
  AddHold(&r, "dispute");
  AddHold(&r, "consent", "2034-01-01T00:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_TRUE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2032-05-31");
  ASSERT_EQ(d->reasons_size(), 2);
  EXPECT_EQ(d->reasons(0).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d->reasons(0).hold_type(), "dispute");
  EXPECT_EQ(d->reasons(1).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d->reasons(1).hold_type(), "consent");
}

TEST(RetentionDueTest, Clause7_HoldOnContractNotEndedStillClockNotStarted) {
  v1::RetentionDueRequest r =
      Request("contract_transaction", "", "2030-01-01T00:00:00+09:00");
  AddHold(&r, "dispute");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::CLOCK_NOT_STARTED);
}

TEST(RetentionDueTest, Clause7_HoldsFromJson) {
  absl::StatusOr<v1::RetentionDueDecision> d =
      TheEngine().RetentionDue(FromJson(
          R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
              "holds": [{"type": "legal_obligation"},
                        {"type": "dispute", "until": "2026-05-11T00:00:00+09:00"}],
              "as_of": "2026-05-11T00:00:00+09:00"})"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).hold_type(), "legal_obligation");
}

// --- Errors: fail closed --------------------------------------------------

TEST(RetentionDueTest, Errors_UnknownKind) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("customer_file", "2023-05-10T14:00:00+09:00",
              "2026-05-11T00:00:00+09:00"));
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("kind"),
                                           HasSubstr("customer_file"))));
}

TEST(RetentionDueTest, Errors_MisspelledKindSuggestsTheId) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("inqiury", "2023-05-10T14:00:00+09:00",
              "2026-05-11T00:00:00+09:00"));
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("inqiury"),
                                        HasSubstr("did you mean 'inquiry'"))));
}

TEST(RetentionDueTest, Errors_EmptyKind) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("", "2023-05-10T14:00:00+09:00", "2026-05-11T00:00:00+09:00"));
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kind")));
}

// A missing date that the kind needs is an error; only a contract may have
// no end yet.
TEST(RetentionDueTest, Errors_MissingEventAtForKindsThatNeedIt) {
  for (const std::string kind : {"inquiry", "accounting", "marketing",
                                 "web_access", "training_seminar"}) {
    absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
        Request(kind, "", "2026-05-11T00:00:00+09:00"));
    ASSERT_FALSE(d.ok()) << kind;
    EXPECT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument)) << kind;
    EXPECT_THAT(d.status().message(), HasSubstr("event_at")) << kind;
  }
}

TEST(RetentionDueTest, Errors_MissingAsOf) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("inquiry", "2023-05-10T14:00:00+09:00", ""));
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));

  // Also for a contract that has not ended.
  d = TheEngine().RetentionDue(Request("contract_transaction", "", ""));
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

TEST(RetentionDueTest, Errors_UnknownHoldType) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2030-01-01T00:00:00+09:00");
  AddHold(&r, "dispute");
  AddHold(&r, "litigation_hold");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("holds[1]"),
                                           HasSubstr("litigation_hold"))));
}

TEST(RetentionDueTest, Errors_EmptyHoldType) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2030-01-01T00:00:00+09:00");
  AddHold(&r, "");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RetentionDueTest, Errors_EventOutsideSupportedYears) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("inquiry", "1800-05-10T14:00:00+09:00",
              "2026-05-11T00:00:00+09:00"));
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("event_at")));
}

// --- The evaluator's integer clock agrees with Abseil's civil time ----------

TEST(RetentionDueTest, Clause7_RetainUntilAgreesWithAbseilForEveryKind) {
  // Every event day 2015-2030 for every kind of the default policy, both
  // clocks: the event (not counted) and the filing deadline (accounting).
  absl::StatusOr<std::shared_ptr<const policy_internal::CompiledPolicy>> p =
      policy_internal::Compile(TheEngine().policy());
  ASSERT_OK(p);
  const policy_internal::CompiledPolicy& policy = **p;
  // Clause 7's six, and the records of APPI 29(2) and 30(4).
  ASSERT_EQ(policy.retention_kinds.size(), 8u);
  for (int kind = 0; kind < static_cast<int>(policy.retention_kinds.size());
       ++kind) {
    for (absl::CivilDay day(2015, 1, 1); day <= absl::CivilDay(2030, 12, 31);
         ++day) {
      const absl::CivilDay want =
          testing::ReferenceRetainUntil(policy, kind, day);
      const eval_internal::UnixDayAndDate got = eval_internal::RetainUntil(
          policy, kind, eval_internal::DaysSinceUnixEpoch(day));
      ASSERT_EQ(eval_internal::CivilDayOf(got.date), want)
          << policy.retention_kinds[kind].source->id() << " " << day;
      // not normalized into place
      ASSERT_EQ(got.date.day, want.day()) << day;
      ASSERT_EQ(got.unix_days, eval_internal::DaysSinceUnixEpoch(want)) << day;
    }
  }
}

// 法定保存期間: a floor is left out of retain_until only where it can never
// end later than the kind's own period (FloorMayDecide). Checked on every
// pair of clocks and a spread of periods, for every event day of eight
// years (two leap days, every month end): whenever FloorMayDecide says no,
// the floor's last day is never after the period's.
TEST(RetentionDueTest, HojinzeiRule59_FloorLeftOutOnlyWhereItNeverDecides) {
  absl::StatusOr<std::shared_ptr<const policy_internal::CompiledPolicy>> p =
      policy_internal::Compile(TheEngine().policy());
  ASSERT_OK(p);
  const policy_internal::CompiledPolicy& policy = **p;
  const v1::RetentionClock clocks[] = {v1::RETENTION_CLOCK_EVENT,
                                       v1::RETENTION_CLOCK_FISCAL_YEAR_END,
                                       v1::RETENTION_CLOCK_FILING_DEADLINE};
  std::vector<policy_internal::CompiledPeriod> periods;
  for (int months : {1, 2, 11, 12, 13, 24, 60, 84, 120}) {
    v1::Period period;
    period.set_months(months);
    periods.push_back(policy_internal::CompilePeriod(period));
  }
  for (int days : {1, 30, 365, 400}) {
    v1::Period period;
    period.set_days(days);
    periods.push_back(policy_internal::CompilePeriod(period));
  }
  int left_out = 0;
  for (v1::RetentionClock kind_clock : clocks) {
    for (v1::RetentionClock floor_clock : clocks) {
      for (const auto& own : periods) {
        for (const auto& law : periods) {
          const policy_internal::CompiledStatutoryFloor floor{
              nullptr, policy_internal::kNoClause, floor_clock, law};
          if (policy_internal::FloorMayDecide(floor, kind_clock, own,
                                              policy.filing_deadline_months)) {
            continue;
          }
          ++left_out;
          for (absl::CivilDay day(2020, 1, 1); day <= absl::CivilDay(2027, 12, 31);
               ++day) {
            const int64_t event = eval_internal::DaysSinceUnixEpoch(day);
            ASSERT_LE(eval_internal::ClockPeriodLastDay(policy, floor_clock,
                                                        law, event)
                          .unix_days,
                      eval_internal::ClockPeriodLastDay(policy, kind_clock, own,
                                                        event)
                          .unix_days)
                << "kind clock " << kind_clock << " months " << own.months
                << " days " << own.days << ", floor clock " << floor_clock
                << " months " << law.months << " days " << law.days
                << ", event " << day;
          }
        }
      }
    }
  }
  EXPECT_GT(left_out, 100);  // the bound leaves most such pairs out
  // The default policy: accounting's floor is its own period on its own
  // clock (left out); the contract's outlasts 5 years (kept).
  for (const auto& kind : policy.retention_kinds) {
    if (kind.source->id() == "accounting") {
      EXPECT_GE(kind.floor, 0);
      EXPECT_FALSE(kind.floor_may_decide);
    }
    if (kind.source->id() == "contract_transaction") {
      EXPECT_TRUE(kind.floor_may_decide);
    }
  }
}

TEST(RetentionDueTest, Clause7_LastEventDayDueSplitsDueFromNotDue) {
  // The batch sweep's split day: the last event day whose period ended
  // before `today`, found by bisection, is what a scan finds.
  absl::StatusOr<std::shared_ptr<const policy_internal::CompiledPolicy>> p =
      policy_internal::Compile(TheEngine().policy());
  ASSERT_OK(p);
  const policy_internal::CompiledPolicy& policy = **p;
  const absl::CivilDay epoch(1970, 1, 1);
  for (int kind = 0; kind < static_cast<int>(policy.retention_kinds.size());
       ++kind) {
    for (absl::CivilDay today(2024, 2, 20); today <= absl::CivilDay(2024, 4, 10);
         ++today) {
      const std::optional<int64_t> last =
          eval_internal::LastEventDayDue(policy, kind, today - epoch);
      ASSERT_TRUE(last.has_value()) << today;
      const absl::CivilDay split = epoch + *last;
      EXPECT_LT(testing::ReferenceRetainUntil(policy, kind, split), today)
          << policy.retention_kinds[kind].source->id() << " " << today;
      EXPECT_GE(testing::ReferenceRetainUntil(policy, kind, split + 1), today)
          << policy.retention_kinds[kind].source->id() << " " << today;
    }
    // Before any period from kMinYear on could end, none is due.
    EXPECT_FALSE(eval_internal::LastEventDayDue(
                     policy, kind, absl::CivilDay(kMinYear, 1, 2) - epoch)
                     .has_value());
  }
}

// --- Policies other than the default --------------------------------------

// The default policy with `edit` applied to its text: each pair replaces the
// one occurrence of its first string.
std::unique_ptr<Engine> EditedDefault(
    const std::vector<std::pair<std::string, std::string>>& edits) {
  std::string text(DefaultPolicyText());
  for (const auto& [from, to] : edits) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at == std::string::npos) return nullptr;
    text.replace(at, from.size(), to);
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, "edited_default.textproto"));
  EXPECT_OK(engine);
  return engine.ok() ? std::move(*engine) : nullptr;
}

std::string RetainUntilOn(const Engine& engine, const std::string& kind,
                          const std::string& event_at) {
  absl::StatusOr<v1::RetentionDueDecision> d = engine.RetentionDue(
      Request(kind, event_at, "2026-01-01T00:00:00+09:00"));
  EXPECT_OK(d);
  return d.ok() ? d->retain_until() : "";
}

// A fiscal year that ends on the last day of February: 28 February, and
// 29 February in a leap year (2028). The return is due 2 months after, on
// 30 April, and the 7 years of 法人税法施行規則 59 run from 1 May.
std::unique_ptr<Engine> FebruaryYearEndEngine() {
  return EditedDefault({{"  fiscal_year_end_month: 3\n  fiscal_year_end_day: 31\n",
                         "  fiscal_year_end_month: 2\n"
                         "  fiscal_year_ends_at_month_end: true\n"}});
}

TEST(RetentionDueTest, HojinzeiRule59_FebruaryYearEndLeapYear) {
  std::unique_ptr<Engine> engine = FebruaryYearEndEngine();
  ASSERT_NE(engine, nullptr);
  // 2028-02-28 and 2028-02-29 belong to the fiscal year ending 2028-02-29:
  // deadline 2028-04-30, kept until 2035-04-30.
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2028-02-28T10:00:00+09:00"),
            "2035-04-30");
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2028-02-29T23:59:59+09:00"),
            "2035-04-30");
  // 2028-03-01 starts the fiscal year ending 2029-02-28.
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2028-03-01T00:00:00+09:00"),
            "2036-04-30");
  // 2028-02-29T15:00Z is already 1 March in Tokyo.
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2028-02-29T15:00:00Z"),
            "2036-04-30");
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2028-02-29T14:59:59Z"),
            "2035-04-30");
  // The contract floor follows the same fiscal year.
  EXPECT_EQ(RetainUntilOn(*engine, "contract_transaction",
                          "2028-02-29T12:00:00+09:00"),
            "2035-04-30");
}

TEST(RetentionDueTest, HojinzeiRule59_FebruaryYearEndNonLeapYear) {
  std::unique_ptr<Engine> engine = FebruaryYearEndEngine();
  ASSERT_NE(engine, nullptr);
  // 2027 is not a leap year: the fiscal year ends 2027-02-28.
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2027-02-28T10:00:00+09:00"),
            "2034-04-30");
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2027-03-01T00:00:00+09:00"),
            "2035-04-30");
  // 2026-03-01 .. 2027-02-28 is one fiscal year.
  EXPECT_EQ(RetainUntilOn(*engine, "accounting", "2026-03-01T00:00:00+09:00"),
            "2034-04-30");
}

// 会社法 432(2): a 株式会社 keeps its accounting books 10 years from when the
// books are closed, the fiscal year end. Expressed as a floor of its own for
// the accounting kind, it outlasts 7 years after the filing deadline.
TEST(RetentionDueTest, Kaisha432_TenYearFloorForAccountingBooks) {
  std::unique_ptr<Engine> engine = EditedDefault({
      {"    kinds: [ \"contract_transaction\", \"accounting\" ]\n",
       "    kinds: [ \"contract_transaction\" ]\n"},
      {"  # 保存期間の例外\n",
       "  statutory_floors {\n"
       "    id: \"kaisha_432_books\"\n"
       "    article: \"会社法 432(2)\"\n"
       "    kinds: \"accounting\"\n"
       "    period { years: 10 }\n"
       "    clock: RETENTION_CLOCK_FISCAL_YEAR_END\n"
       "  }\n"
       "  # 保存期間の例外\n"},
      {"clauses {\n  number: \"法人税法施行規則 59\"",
       "clauses {\n"
       "  number: \"会社法 432(2)\"\n"
       "  title_ja: \"会社法 第432条第2項(会計帳簿の保存)\"\n"
       "  title_en: \"Companies Act Article 432(2) (keeping of accounting "
       "books)\"\n"
       "}\n"
       "clauses {\n  number: \"法人税法施行規則 59\""},
  });
  ASSERT_NE(engine, nullptr);
  // A transaction of 2024-06-15: the books close 2025-03-31 and are kept to
  // 2035-03-31, not 2032-05-31.
  absl::StatusOr<v1::RetentionDueDecision> d = engine->RetentionDue(
      Request("accounting", "2024-06-15T11:00:00+09:00",
              "2032-06-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->retain_until(), "2035-03-31");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::STATUTORY_FLOOR_APPLIES);
  EXPECT_EQ(d->reasons(0).article(), "会社法 432(2)");
  EXPECT_EQ(d->reasons(0).provision(), "kaisha_432_books");
  d = engine->RetentionDue(Request("accounting", "2024-06-15T11:00:00+09:00",
                                   "2035-04-01T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

// --- Categories the kind does not hold (clause 7, no gap) ------------------

TEST(RetentionDueTest, Clause7_CategoryTheKindListsDecidesAsUsual) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2026-05-11T00:00:00+09:00");
  r.add_categories("inquiry_content");
  r.add_categories("email");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  EXPECT_THAT(d->needs_review(), IsEmpty());
}

// An inquiry record that holds payment information: the inquiry row of
// clause 7 does not cover it, so whether 3 years or the accounting period
// applies is for a person to decide. Never due meanwhile, never silently
// kept: the finding names the category and clause 7.
TEST(RetentionDueTest, Clause7_CategoryTheKindDoesNotListGoesToReview) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2026-05-11T00:00:00+09:00");
  r.add_categories("inquiry_content");
  r.add_categories("payment");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_TRUE(d->period_ended());
  EXPECT_EQ(d->retain_until(), "2026-05-10");
  EXPECT_THAT(d->reasons(), IsEmpty());
  ASSERT_EQ(d->needs_review_size(), 1);
  EXPECT_EQ(d->needs_review(0).code(), v1::CATEGORY_NOT_RETAINED_BY_KIND);
  EXPECT_EQ(d->needs_review(0).clause(), "7");
  EXPECT_EQ(d->needs_review(0).category(), "payment");
  EXPECT_THAT(d->needs_review(0).message_ja(), HasSubstr("お問い合わせ情報"));
  EXPECT_THAT(d->needs_review(0).message_ja(), HasSubstr("担当者"));
  EXPECT_THAT(d->needs_review(0).message_en(), HasSubstr("A person must"));

  // Before the period ends: the period still runs, and the review is asked.
  r.mutable_as_of()->CopyFrom(Ts("2024-01-01T00:00:00+09:00"));
  d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
  EXPECT_EQ(d->needs_review_size(), 1);
}

TEST(RetentionDueTest, Clause7_CategoriesFromJsonNameEachOneNotHeld) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      FromJson(R"({"kind": "web_access", "event_at": "2020-01-01T00:00:00+09:00",
                   "categories": ["ip_address", "health", "payment"],
                   "as_of": "2026-05-11T00:00:00+09:00"})"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->needs_review_size(), 2);
  EXPECT_EQ(d->needs_review(0).category(), "payment");
  EXPECT_EQ(d->needs_review(1).category(), "health");
}

TEST(RetentionDueTest, Errors_UnknownCategoryNamesTheField) {
  v1::RetentionDueRequest r = Request("inquiry", "2023-05-10T14:00:00+09:00",
                                      "2026-05-11T00:00:00+09:00");
  r.add_categories("email");
  r.add_categories("emial");
  EXPECT_THAT(TheEngine().RetentionDue(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("categories[1]: unknown category 'emial'")));
}

// --- provision_record, confirmation_record: 3 years from the day the record
// is made (APPI 29(2), 30(4); 施行規則 21, 25), counted as 民法 140, 143 count
// -------------------------------------------------------------------------

// APPI 29(2); 施行規則 21(iii): a provision record made on 2026-04-10 is kept
// until 2029-04-10 (the day it is made is not counted, 民法 140) and due
// from 00:00 the next day.
TEST(RetentionDueTest, Appi29_2_ProvisionRecordKeptThreeYearsFromTheRecord) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("provision_record", "2026-04-10T15:00:00+09:00",
              "2029-04-10T23:59:59+09:00"));
  ASSERT_OK(d);
  EXPECT_EQ(d->retain_until(), "2029-04-10");
  EXPECT_EQ(d->due_at(), "2029-04-11T00:00:00+09:00");
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->clause(), "APPI 29(2)");
  EXPECT_EQ(d->deletion_method(), "complete_deletion");

  d = TheEngine().RetentionDue(Request("provision_record",
                                       "2026-04-10T15:00:00+09:00",
                                       "2029-04-11T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

// APPI 30(4); 施行規則 25(iii): a confirmation record likewise.
TEST(RetentionDueTest, Appi30_4_ConfirmationRecordKeptThreeYearsFromTheRecord) {
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(
      Request("confirmation_record", "2026-04-10T00:00:00+09:00",
              "2029-04-10T12:00:00+09:00"));
  ASSERT_OK(d);
  // A record made at 00:00 still does not count its first day (民法 140).
  EXPECT_EQ(d->retain_until(), "2029-04-10");
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->clause(), "APPI 30(4)");

  d = TheEngine().RetentionDue(Request("confirmation_record",
                                       "2026-04-10T00:00:00+09:00",
                                       "2029-04-11T00:00:00+09:00"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

// 民法 143(2): a record made on a leap day is kept until 28 February three
// years on; one made late on 31 December in UTC is a Tokyo 1 January record.
TEST(RetentionDueTest, Appi29_2_Civil143_RecordPeriodBoundaries) {
  EXPECT_EQ(RetainUntil("provision_record", "2024-02-29T10:00:00+09:00"),
            "2027-02-28");
  EXPECT_EQ(RetainUntil("confirmation_record", "2024-02-29T10:00:00+09:00"),
            "2027-02-28");
  EXPECT_EQ(RetainUntil("provision_record", "2025-12-31T16:30:00Z"),
            "2029-01-01");
  EXPECT_EQ(RetainUntil("confirmation_record", "2023-02-28T10:00:00+09:00"),
            "2026-02-28");
}

// --- Erasure carried out on request (8.1) ------------------------------------

// Adds an erasure of `type` carried out at `at`.
void AddErasure(v1::RetentionDueRequest* r, const std::string& type,
                const std::string& at) {
  v1::Erasure* e = r->add_erasures();
  e->set_type(type);
  e->set_id("r-" + std::to_string(r->erasures_size()));
  *e->mutable_carried_out_at() = Ts(at);
}

TEST(RetentionDueTest, Clause8_1_SuspensionErasureMakesRecordDueBeforePeriodEnds) {
  // An inquiry of 2025-05-10 is kept to 2028-05-10 by clause 7; the person's
  // 利用停止・消去 request, carried out by erasing, makes it due now.
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-02-01T09:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  EXPECT_FALSE(d->period_ended());
  // The period's dates stay: the record is due before them.
  EXPECT_EQ(d->retain_until(), "2028-05-10");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_CARRIED_OUT);
  EXPECT_EQ(d->reasons(0).clause(), "8.1");
  EXPECT_EQ(d->reasons(0).request_type(), "suspension");
  EXPECT_EQ(d->reasons(0).request_id(), "r-1");
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("「利用停止・消去」"));
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("直ちに削除"));
  EXPECT_THAT(d->reasons(0).message_en(), HasSubstr("due for deletion now"));
}

TEST(RetentionDueTest, Clause8_1_DeletionUnderCorrectionMakesRecordDue) {
  v1::RetentionDueRequest r = Request("marketing", "2026-01-10T10:00:00+09:00",
                                      "2026-03-01T00:00:00+09:00");
  AddErasure(&r, "correction", "2026-02-27T11:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_CARRIED_OUT);
  EXPECT_EQ(d->reasons(0).request_type(), "correction");
}

TEST(RetentionDueTest, Clause8_1_ErasureCountsFromTheSecondItWasCarriedOut) {
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-01-31T16:59:59+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  // Not carried out yet at as_of: the period decides.
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::PERIOD_RUNNING);
  *r.mutable_as_of() = Ts("2026-01-31T17:00:00+09:00");
  d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

TEST(RetentionDueTest, Clause7_HoldWinsOverErasure) {
  // 保存期間の例外: a dispute that needs the record keeps it, erasure or not.
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-02-01T09:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  AddHold(&r, "dispute");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d->reasons(0).hold_type(), "dispute");
  // Not "the period ended": the erasure, not the period, was the ground.
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("消去の請求に応じた記録"));
  EXPECT_THAT(d->reasons(0).message_ja(), Not(HasSubstr("満了")));
  // The hold ended: due.
  r.mutable_holds(0)->mutable_until()->CopyFrom(Ts("2026-01-15T00:00:00+09:00"));
  d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
}

TEST(RetentionDueTest, HojinzeiRule59_ErasureWaitsForTheStatutoryFloor) {
  // Contract ended 2020-03-31: 法人税法施行規則 59 keeps it to 2027-05-31.
  // Erased on request in 2026: kept to the law's last day, due the next.
  v1::RetentionDueRequest r = Request("contract_transaction",
                                      "2020-03-31T17:00:00+09:00",
                                      "2027-05-31T23:59:59+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->retain_until(), "2027-05-31");
  EXPECT_EQ(d->due_at(), "2027-06-01T00:00:00+09:00");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_DEFERRED_BY_LAW);
  EXPECT_EQ(d->reasons(0).clause(), "8.1");
  EXPECT_EQ(d->reasons(0).article(), "法人税法施行規則 59");
  EXPECT_EQ(d->reasons(0).request_type(), "suspension");
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("2027-05-31"));
  *r.mutable_as_of() = Ts("2027-06-01T00:00:00+09:00");
  d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_CARRIED_OUT);
}

TEST(RetentionDueTest, HojinzeiRule59_ErasureOfRunningContractKeptWithoutDate) {
  // The contract has not ended: the law's period has not started.
  v1::RetentionDueRequest r =
      Request("contract_transaction", "", "2026-02-01T00:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->retain_until(), "");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_DEFERRED_BY_LAW);
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("まだ始まっていない"));
}

TEST(RetentionDueTest, Clause8_1_ErasureOfKindWithoutLawNeedsNoClock) {
  // A kind whose event may be pending but that no law keeps: an erasure
  // makes it due at once. (The default's only such kind has a floor, so
  // the policy is edited: the floor removed.)
  v1::Policy p = TheEngine().policy();
  p.mutable_retention()->clear_statutory_floors();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(p));
  ASSERT_OK(engine);
  v1::RetentionDueRequest r =
      Request("contract_transaction", "", "2026-02-01T00:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = (*engine)->RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->due());
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_CARRIED_OUT);
}

TEST(RetentionDueTest, Appi29_2_ErasureDoesNotCutProvisionRecordShort) {
  // A provision record is kept 3 years by APPI 29(2) (施行規則 21).
  v1::RetentionDueRequest r = Request("provision_record",
                                      "2025-06-01T10:00:00+09:00",
                                      "2026-02-01T00:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  EXPECT_EQ(d->retain_until(), "2028-06-01");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_DEFERRED_BY_LAW);
  EXPECT_EQ(d->reasons(0).article(), "APPI 29(2)");
}

TEST(RetentionDueTest, HojinzeiRule59_ErasureDoesNotCutAccountingShort) {
  v1::RetentionDueRequest r = Request("accounting", "2025-06-01T10:00:00+09:00",
                                      "2026-02-01T00:00:00+09:00");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  // Fiscal year ending 2026-03-31, return due 2026-05-31: 7 years from
  // 2026-06-01.
  EXPECT_EQ(d->retain_until(), "2033-05-31");
  ASSERT_EQ(d->reasons_size(), 1);
  EXPECT_EQ(d->reasons(0).code(), v1::ERASURE_DEFERRED_BY_LAW);
  EXPECT_EQ(d->reasons(0).article(), "法人税法施行規則 59");
}

TEST(RetentionDueTest, Clause7_ErasureWaitsForAPersonsReviewOfThePeriod) {
  // A category the kind does not hold: a person decides first.
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-02-01T09:00:00+09:00");
  r.add_categories("payment");
  AddErasure(&r, "suspension", "2026-01-31T17:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->due());
  ASSERT_EQ(d->needs_review_size(), 1);
  EXPECT_EQ(d->needs_review(0).code(), v1::CATEGORY_NOT_RETAINED_BY_KIND);
  EXPECT_THAT(d->reasons(), IsEmpty());
}

TEST(RetentionDueTest, Errors_ErasureOfARequestTypeThatDoesNotErase) {
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-02-01T09:00:00+09:00");
  AddErasure(&r, "disclosure", "2026-01-31T17:00:00+09:00");
  EXPECT_THAT(TheEngine().RetentionDue(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("erasures[0].type"),
                             HasSubstr("'disclosure'"), HasSubstr("8.1"),
                             HasSubstr("'suspension'"))));
}

TEST(RetentionDueTest, Errors_ErasureFieldsNamed) {
  v1::RetentionDueRequest r = Request("inquiry", "2025-05-10T14:00:00+09:00",
                                      "2026-02-01T09:00:00+09:00");
  r.add_erasures()->set_type("suspension");
  EXPECT_THAT(TheEngine().RetentionDue(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("erasures[0].carried_out_at")));
  r.mutable_erasures(0)->set_type("erase");
  EXPECT_THAT(TheEngine().RetentionDue(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("erasures[0].type")));
}

TEST(RetentionDueTest, Clause8_1_HandlesAgreeWithMessagesOnErasure) {
  // Snapshot::RetentionDue evaluates the same rule.
  std::shared_ptr<const Snapshot> s = TheEngine().snapshot();
  absl::StatusOr<RetentionKindId> inquiry = s->RetentionKind("inquiry");
  absl::StatusOr<RetentionKindId> accounting = s->RetentionKind("accounting");
  absl::StatusOr<RequestTypeId> suspension = s->RequestType("suspension");
  absl::StatusOr<RequestTypeId> disclosure = s->RequestType("disclosure");
  ASSERT_OK(inquiry);
  ASSERT_OK(accounting);
  ASSERT_OK(suspension);
  ASSERT_OK(disclosure);
  const RecordErasure erased[] = {
      {*suspension, absl::FromUnixSeconds(Ts("2026-01-31T17:00:00+09:00").seconds())}};
  RetentionFacts f;
  f.kind = *inquiry;
  f.event_at = absl::FromUnixSeconds(Ts("2025-05-10T14:00:00+09:00").seconds());
  f.as_of = absl::FromUnixSeconds(Ts("2026-02-01T09:00:00+09:00").seconds());
  f.erasures = erased;
  absl::StatusOr<RetentionVerdict> v = s->RetentionDue(f);
  ASSERT_OK(v);
  EXPECT_TRUE(v->due);
  EXPECT_TRUE(v->erasure);
  EXPECT_EQ(v->reason, v1::ERASURE_CARRIED_OUT);
  EXPECT_EQ(v->clause, "8.1");
  f.kind = *accounting;
  v = s->RetentionDue(f);
  ASSERT_OK(v);
  EXPECT_FALSE(v->due);
  EXPECT_EQ(v->reason, v1::ERASURE_DEFERRED_BY_LAW);
  const RecordErasure not_erasing[] = {{*disclosure, f.as_of}};
  f.erasures = not_erasing;
  EXPECT_THAT(s->RetentionDue(f),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("erasures[0].type")));
}

}  // namespace
}  // namespace pip
