// Tests of incident_assess (clause 1.4; APPI 26; 施行規則 7, 8) through the
// public API, against the default policy. Each test names the article whose
// rule it checks. Deadlines are checked against the reference calendar of
// tests/testing/civil_reference.h (absl::CivilDay arithmetic), not against
// dates written by hand.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/civil_reference.h"
#include "tests/testing/engine.h"
#include "tests/testing/files.h"
#include "tests/testing/reasons.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::ReferencePeriodLastDay;
using ::pip::testing::Codes;
using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

// A leak of names and email addresses of ten people, with nothing that
// makes it reportable: no attack, no theft, not encrypted; aware
// 2026-02-02 10:00 JST, assessed two hours later.
v1::IncidentAssessRequest Plain() {
  v1::IncidentAssessRequest r;
  r.set_kind(v1::INCIDENT_LEAK);
  r.add_categories("name");
  r.add_categories("email");
  r.set_people(10);
  r.set_encryption(v1::ENCRYPTION_NONE);
  *r.mutable_aware_at() = Ts("2026-02-02T10:00:00+09:00");
  *r.mutable_as_of() = Ts("2026-02-02T12:00:00+09:00");
  return r;
}

v1::IncidentAssessDecision Assess(const v1::IncidentAssessRequest& r) {
  absl::StatusOr<v1::IncidentAssessDecision> d = TheEngine().IncidentAssess(r);
  EXPECT_TRUE(d.ok()) << d.status();
  return d.ok() ? *d : v1::IncidentAssessDecision();
}

// The grounds' clauses, in order.
std::vector<std::string> Clauses(
    const google::protobuf::RepeatedPtrField<v1::Reason>& reasons) {
  std::vector<std::string> clauses;
  for (const v1::Reason& r : reasons) clauses.push_back(r.clause());
  return clauses;
}

// A copy of the running policy, made once (Engine::policy() returns a copy).
const v1::Policy& DefaultPolicy() {
  static const v1::Policy* const policy = new v1::Policy(TheEngine().policy());
  return *policy;
}

// The Tokyo civil day `n` days after `day`, as a decision prints it.
std::string DaysAfter(absl::CivilDay day, int n) {
  return absl::FormatCivilTime(
      ReferencePeriodLastDay(day + 1, /*months=*/0, /*days=*/n));
}

// --- 施行規則 7: the grounds -------------------------------------------------

TEST(IncidentAssess, Rule7NoGroundIsNotReportableButStillAnswers) {
  const v1::IncidentAssessDecision d = Assess(Plain());
  EXPECT_FALSE(d.reportable());
  EXPECT_FALSE(d.notify_people());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_NOT_REPORTABLE));
  EXPECT_EQ(d.grounds(0).clause(), "APPI 26(1)");
  EXPECT_THAT(d.grounds(0).message_ja(), HasSubstr("当たりません"));
  EXPECT_EQ(d.preliminary_report_earliest(), "");
  EXPECT_EQ(d.final_report_by(), "");
  EXPECT_EQ(d.final_report_days(), 0);
  EXPECT_THAT(d.reasons(), IsEmpty());
}

TEST(IncidentAssess, Rule7_1SpecialCareDataIsReportable) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_REPORTABLE,
                                              v1::SPECIAL_CARE_DATA_INVOLVED));
  EXPECT_THAT(Clauses(d.grounds()), ElementsAre("APPI 26(1)", "施行規則 7(1)"));
  EXPECT_EQ(d.grounds(1).category(), "health");
  EXPECT_THAT(d.grounds(1).message_ja(), HasSubstr("要配慮個人情報"));
}

// 施行規則 7(1) follows the policy's marking, not a list in the code.
TEST(IncidentAssess, Rule7_1AnyCategoryThePolicyMarksSpecialCareCounts) {
  v1::Policy policy = DefaultPolicy();
  for (v1::Category& c : *policy.mutable_categories()) {
    if (c.id() == "nationality") c.set_special_care_required(true);
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("nationality");
  absl::StatusOr<v1::IncidentAssessDecision> d = (*engine)->IncidentAssess(r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_TRUE(d->reportable());
  EXPECT_EQ(d->grounds(1).category(), "nationality");
  // The default policy does not mark it.
  EXPECT_FALSE(Assess(r).reportable());
}

TEST(IncidentAssess, Rule7_2FinancialHarmByTheCallersWord) {
  v1::IncidentAssessRequest r = Plain();
  r.set_financial_harm(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_REPORTABLE,
                                              v1::FINANCIAL_HARM_POSSIBLE));
  EXPECT_EQ(d.grounds(1).clause(), "施行規則 7(2)");
  EXPECT_EQ(d.grounds(1).category(), "");
}

TEST(IncidentAssess, Rule7_2PaymentDataCountsWhateverTheCallerSays) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("payment");
  r.set_financial_harm(false);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_REPORTABLE,
                                              v1::FINANCIAL_HARM_POSSIBLE));
  EXPECT_EQ(d.grounds(1).category(), "payment");
}

TEST(IncidentAssess, Rule7_3WrongfulPurposeIsReportableWithSixtyDays) {
  v1::IncidentAssessRequest r = Plain();
  r.set_wrongful_purpose(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_REPORTABLE,
                                              v1::WRONGFUL_PURPOSE_SUSPECTED));
  EXPECT_EQ(d.grounds(1).clause(), "施行規則 7(3)");
  EXPECT_EQ(d.final_report_days(), 60);
  EXPECT_EQ(d.final_report_by(), DaysAfter(absl::CivilDay(2026, 2, 2), 60));
}

TEST(IncidentAssess, Rule7_3TheftOfDocumentsOrDevicesIsAWrongfulPurpose) {
  v1::IncidentAssessRequest r = Plain();
  r.set_kind(v1::INCIDENT_LOSS);
  r.set_stolen(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_REPORTABLE,
                                              v1::DOCUMENTS_OR_DEVICES_STOLEN));
  EXPECT_EQ(d.final_report_days(), 60);
}

// 施行規則 8(2): 60 days whenever 7(3) applies, even with another ground.
TEST(IncidentAssess, Rule8_2SixtyDaysEvenWhenAnotherGroundApplies) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  r.set_people(5000);
  r.set_wrongful_purpose(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_THAT(Codes(d.grounds()),
              ElementsAre(v1::INCIDENT_REPORTABLE, v1::SPECIAL_CARE_DATA_INVOLVED,
                          v1::WRONGFUL_PURPOSE_SUSPECTED,
                          v1::PEOPLE_OVER_THRESHOLD));
  EXPECT_EQ(d.final_report_days(), 60);
  r.set_wrongful_purpose(false);
  EXPECT_EQ(Assess(r).final_report_days(), 30);
}

// The amended 施行規則 7(3), in force from 2024-04-01: data being acquired
// (a skimmed web form) counts, judged on the Tokyo day of awareness.
TEST(IncidentAssess, Rule7_3DataBeingAcquiredCountsFromApril2024) {
  v1::IncidentAssessRequest r = Plain();
  r.set_being_acquired(true);
  r.set_wrongful_purpose(true);
  *r.mutable_as_of() = Ts("2025-06-01T00:00:00+09:00");
  for (const char* from : {"2024-04-01T00:00:00+09:00", "2024-03-31T15:00:00Z",
                           "2025-01-01T00:00:00+09:00"}) {
    *r.mutable_aware_at() = Ts(from);
    const v1::IncidentAssessDecision d = Assess(r);
    EXPECT_TRUE(d.reportable()) << from;
    EXPECT_THAT(Codes(d.grounds()),
                ElementsAre(v1::INCIDENT_REPORTABLE,
                            v1::WRONGFUL_PURPOSE_SUSPECTED,
                            v1::DATA_BEING_ACQUIRED))
        << from;
    EXPECT_EQ(d.final_report_days(), 60);
  }
  for (const char* before : {"2024-03-31T23:59:59+09:00",
                             "2024-03-31T14:59:59Z"}) {
    *r.mutable_aware_at() = Ts(before);
    const v1::IncidentAssessDecision d = Assess(r);
    EXPECT_FALSE(d.reportable()) << before;
    EXPECT_THAT(Codes(d.reasons()),
                ElementsAre(v1::DATA_BEING_ACQUIRED_NOT_COVERED));
    EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("2024-04-01"));
  }
}

// Only 7(3) speaks of data being acquired: without a wrongful purpose the
// other grounds do not reach it (docs/policy-notes.md).
TEST(IncidentAssess, Rule7_3DataBeingAcquiredWithoutWrongfulPurposeIsNotCovered) {
  v1::IncidentAssessRequest r = Plain();
  r.set_being_acquired(true);
  r.add_categories("health");
  r.add_categories("payment");
  r.set_people(5000);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_FALSE(d.reportable());
  EXPECT_THAT(Codes(d.reasons()),
              ElementsAre(v1::DATA_BEING_ACQUIRED_NOT_COVERED));
}

TEST(IncidentAssess, Rule7_4MoreThanOneThousandPeople) {
  v1::IncidentAssessRequest r = Plain();
  r.set_people(1000);
  EXPECT_FALSE(Assess(r).reportable());
  r.set_people(1001);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()),
              ElementsAre(v1::INCIDENT_REPORTABLE, v1::PEOPLE_OVER_THRESHOLD));
  EXPECT_EQ(d.grounds(1).clause(), "施行規則 7(4)");
  EXPECT_THAT(d.grounds(1).message_ja(), HasSubstr("1001人"));
}

// An unknown count may exceed the threshold: it counts (発生したおそれ).
TEST(IncidentAssess, Rule7_4AnUnknownCountCounts) {
  v1::IncidentAssessRequest r = Plain();
  r.set_people(0);
  r.set_people_unknown(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.reportable());
  EXPECT_THAT(Codes(d.grounds()),
              ElementsAre(v1::INCIDENT_REPORTABLE, v1::PEOPLE_COUNT_UNKNOWN));
  // Past the threshold already, the count is what it is.
  r.set_people(2000);
  EXPECT_THAT(Codes(Assess(r).grounds()),
              ElementsAre(v1::INCIDENT_REPORTABLE, v1::PEOPLE_OVER_THRESHOLD));
}

TEST(IncidentAssess, Rule7_1HighLevelEncryptionWithASafeKeyExcludes) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  r.set_wrongful_purpose(true);
  r.set_encryption(v1::ENCRYPTION_HIGH_LEVEL);
  r.set_key(v1::KEY_SAFE);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_FALSE(d.reportable());
  EXPECT_FALSE(d.notify_people());
  EXPECT_THAT(Codes(d.grounds()), ElementsAre(v1::INCIDENT_NOT_REPORTABLE,
                                              v1::ENCRYPTION_EXCLUDES));
  EXPECT_EQ(d.grounds(1).clause(), "施行規則 7(1)");
  // With no ground to exclude, the exclusion is not cited.
  EXPECT_THAT(Codes(Assess(Plain()).grounds()),
              ElementsAre(v1::INCIDENT_NOT_REPORTABLE));
}

// Anything short of a confirmed high level and a confirmed safe key is not
// relied on, and the decision says so.
TEST(IncidentAssess, Rule7_1EncryptionNotConfirmedIsNotRelied) {
  struct Case {
    v1::Encryption encryption;
    v1::KeyStatus key;
    bool says_not_confirmed;
  };
  for (const Case& c : {Case{v1::ENCRYPTION_UNSPECIFIED, v1::KEY_SAFE, true},
                        Case{v1::ENCRYPTION_HIGH_LEVEL, v1::KEY_LEAKED, true},
                        Case{v1::ENCRYPTION_HIGH_LEVEL,
                             v1::KEY_STATUS_UNSPECIFIED, true},
                        Case{v1::ENCRYPTION_NONE, v1::KEY_SAFE, false}}) {
    v1::IncidentAssessRequest r = Plain();
    r.add_categories("health");
    r.set_encryption(c.encryption);
    r.set_key(c.key);
    const v1::IncidentAssessDecision d = Assess(r);
    EXPECT_TRUE(d.reportable());
    EXPECT_EQ(d.reasons(0).code() == v1::ENCRYPTION_NOT_CONFIRMED,
              c.says_not_confirmed)
        << v1::Encryption_Name(c.encryption) << " "
        << v1::KeyStatus_Name(c.key);
  }
}

// A likelihood (おそれ) is assessed as the incident itself, of every kind.
TEST(IncidentAssess, Rule7ALikelihoodCountsForEveryKind) {
  for (const v1::IncidentKind kind :
       {v1::INCIDENT_LEAK, v1::INCIDENT_LOSS, v1::INCIDENT_DAMAGE}) {
    v1::IncidentAssessRequest r = Plain();
    r.set_kind(kind);
    r.set_suspected(true);
    r.add_categories("health");
    const v1::IncidentAssessDecision d = Assess(r);
    EXPECT_TRUE(d.reportable()) << v1::IncidentKind_Name(kind);
    EXPECT_THAT(d.grounds(0).message_ja(), HasSubstr("のおそれ"));
  }
}

// --- APPI 26(2): notice to the people ---------------------------------------

TEST(IncidentAssess, Appi26_2NotifyWheneverReportable) {
  v1::IncidentAssessRequest r = Plain();
  EXPECT_FALSE(Assess(r).notify_people());
  r.set_people(1001);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.notify_people());
  EXPECT_THAT(Codes(d.reasons()), Contains(v1::NOTIFY_PEOPLE));
  EXPECT_THAT(d.needs_review(), IsEmpty());
}

// The proviso (notice difficult, alternative measures) goes to a person;
// it never lifts the duty by itself.
TEST(IncidentAssess, Appi26_2ProvisoIsForAPersonNeverAnExemption) {
  v1::IncidentAssessRequest r = Plain();
  r.set_people(1001);
  r.set_notice_difficult(true);
  const v1::IncidentAssessDecision d = Assess(r);
  EXPECT_TRUE(d.notify_people());
  EXPECT_THAT(Codes(d.needs_review()), ElementsAre(v1::NOTICE_DIFFICULT));
  EXPECT_EQ(d.needs_review(0).clause(), "APPI 26(2)");
  EXPECT_THAT(d.needs_review(0).message_ja(), HasSubstr("代替措置"));
  // Not reportable: nothing to notify, nothing to review.
  r.set_people(10);
  EXPECT_THAT(Assess(r).needs_review(), IsEmpty());
}

// --- 施行規則 8: the deadlines, on Tokyo civil days (民法 140) ----------------

// Awareness at `aware_at` (RFC 3339) falls on `tokyo_day`; the periods count
// from the next day.
void ExpectDeadlines(const std::string& aware_at, absl::CivilDay tokyo_day) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  *r.mutable_aware_at() = Ts(aware_at);
  *r.mutable_as_of() = Ts(aware_at);
  const v1::IncidentAssessDecision d = Assess(r);
  ASSERT_TRUE(d.reportable()) << aware_at;
  EXPECT_EQ(d.aware_on(), absl::FormatCivilTime(tokyo_day)) << aware_at;
  EXPECT_EQ(d.preliminary_report_earliest(), DaysAfter(tokyo_day, 3))
      << aware_at;
  EXPECT_EQ(d.preliminary_report_latest(), DaysAfter(tokyo_day, 5))
      << aware_at;
  EXPECT_EQ(d.final_report_by(), DaysAfter(tokyo_day, 30)) << aware_at;
  EXPECT_EQ(d.final_report_days(), 30);
  r.set_wrongful_purpose(true);
  EXPECT_EQ(Assess(r).final_report_by(), DaysAfter(tokyo_day, 60))
      << aware_at;
}

TEST(IncidentAssess, Rule8AwarenessAt2359And0000Tokyo) {
  ExpectDeadlines("2026-01-31T23:59:00+09:00", absl::CivilDay(2026, 1, 31));
  ExpectDeadlines("2026-01-31T23:59:59.999+09:00",
                  absl::CivilDay(2026, 1, 31));
  ExpectDeadlines("2026-02-01T00:00:00+09:00", absl::CivilDay(2026, 2, 1));
}

TEST(IncidentAssess, Rule8AwarenessGivenInUtcIsCountedOnTheTokyoDay) {
  ExpectDeadlines("2026-01-31T15:30:00Z", absl::CivilDay(2026, 2, 1));
  ExpectDeadlines("2026-01-31T14:59:59Z", absl::CivilDay(2026, 1, 31));
  ExpectDeadlines("2026-01-31T15:00:00Z", absl::CivilDay(2026, 2, 1));
  ExpectDeadlines("2026-02-01T08:00:00-05:00", absl::CivilDay(2026, 2, 1));
}

TEST(IncidentAssess, Rule8MonthEndsYearEndsAndLeapYears) {
  for (const absl::CivilDay day :
       {absl::CivilDay(2026, 1, 31), absl::CivilDay(2028, 1, 30),
        absl::CivilDay(2027, 1, 30), absl::CivilDay(2028, 2, 29),
        absl::CivilDay(2100, 1, 30), absl::CivilDay(2000, 1, 30),
        absl::CivilDay(2026, 12, 31), absl::CivilDay(2026, 2, 28),
        absl::CivilDay(2026, 4, 30)}) {
    ExpectDeadlines(absl::FormatCivilTime(day) + "T10:00:00+09:00", day);
  }
  // The ones a compliance officer checks by hand.
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  *r.mutable_aware_at() = Ts("2028-01-30T10:00:00+09:00");
  *r.mutable_as_of() = Ts("2028-01-30T12:00:00+09:00");
  EXPECT_EQ(Assess(r).final_report_by(), "2028-02-29");
  *r.mutable_aware_at() = Ts("2027-01-30T10:00:00+09:00");
  *r.mutable_as_of() = Ts("2027-01-30T12:00:00+09:00");
  EXPECT_EQ(Assess(r).final_report_by(), "2027-03-01");
}

// Every day of four years, against the reference calendar.
TEST(IncidentAssess, Rule8EveryDayOfFourYears) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  for (absl::CivilDay day(2027, 1, 1); day < absl::CivilDay(2031, 1, 1);
       ++day) {
    *r.mutable_aware_at() =
        Ts(absl::FormatCivilTime(day) + "T23:59:59+09:00");
    *r.mutable_as_of() = r.aware_at();
    const v1::IncidentAssessDecision d = Assess(r);
    ASSERT_EQ(d.final_report_by(), DaysAfter(day, 30)) << day;
    ASSERT_EQ(d.preliminary_report_latest(), DaysAfter(day, 5)) << day;
  }
}

TEST(IncidentAssess, Rule8LateOnlyFromTheDayAfterTheLastDay) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  const absl::CivilDay aware(2026, 2, 2);
  const absl::CivilDay latest = aware + 5;
  const absl::CivilDay final_by = aware + 30;
  const auto warnings = [&](const std::string& as_of) {
    *r.mutable_as_of() = Ts(as_of);
    return Codes(Assess(r).warnings());
  };
  EXPECT_THAT(warnings(absl::FormatCivilTime(latest) + "T23:59:59+09:00"),
              IsEmpty());
  EXPECT_THAT(warnings(absl::FormatCivilTime(latest + 1) + "T00:00:00+09:00"),
              ElementsAre(v1::PRELIMINARY_REPORT_LATE));
  EXPECT_THAT(
      warnings(absl::FormatCivilTime(final_by) + "T23:59:59+09:00"),
      ElementsAre(v1::PRELIMINARY_REPORT_LATE));
  EXPECT_THAT(
      warnings(absl::FormatCivilTime(final_by + 1) + "T00:00:00+09:00"),
      ElementsAre(v1::PRELIMINARY_REPORT_LATE, v1::FINAL_REPORT_LATE));
}

// --- Clause 1.4: the company's own duties -----------------------------------

TEST(IncidentAssess, Clause1_4DutiesForEveryIncident) {
  v1::IncidentAssessRequest reportable = Plain();
  reportable.set_wrongful_purpose(true);
  for (const v1::IncidentAssessRequest& r : {Plain(), reportable}) {
    const v1::IncidentAssessDecision d = Assess(r);
    ASSERT_EQ(d.duties_size(), DefaultPolicy().incidents().duties_size());
    for (int i = 0; i < d.duties_size(); ++i) {
      const v1::Provision& duty = DefaultPolicy().incidents().duties(i);
      EXPECT_EQ(d.duties(i).code(), v1::INCIDENT_DUTY);
      EXPECT_EQ(d.duties(i).clause(), "1.4");
      EXPECT_EQ(d.duties(i).provision(), duty.id());
      EXPECT_EQ(d.duties(i).message_ja(), duty.text_ja());
      EXPECT_EQ(d.duties(i).message_en(), duty.text_en());
    }
  }
}

// --- Bad input: an error naming the field, never a silent answer ------------

TEST(IncidentAssess, BadInputIsAnErrorNamingTheField) {
  const auto error = [](const v1::IncidentAssessRequest& r) {
    return TheEngine().IncidentAssess(r).status();
  };
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("helth");
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 AllOf(HasSubstr("categories[2]"),
                                       HasSubstr("health"))));
  r = Plain();
  r.clear_categories();
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("categories")));
  r = Plain();
  r.set_people(-1);
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("people: ")));
  r.set_people(0);
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("people_unknown")));
  r = Plain();
  r.clear_aware_at();
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("aware_at")));
  r = Plain();
  *r.mutable_aware_at() = Ts("2026-02-02T12:00:01+09:00");
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("aware_at")));
  r = Plain();
  r.clear_kind();
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("kind")));
  r = Plain();
  r.set_kind(static_cast<v1::IncidentKind>(9));
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("kind")));
  r = Plain();
  r.set_encryption(static_cast<v1::Encryption>(7));
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("encryption")));
  r = Plain();
  r.set_key(static_cast<v1::KeyStatus>(7));
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("key")));
  r = Plain();
  *r.mutable_aware_at() = Ts("1899-12-31T10:00:00+09:00");
  EXPECT_THAT(error(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("aware_at")));
}

// A deadline pip would have to print past 9999-12-31 is an error; the last
// awareness whose deadline fits is answered.
TEST(IncidentAssess, DeadlinesPastTheLastYearAreAnError) {
  v1::IncidentAssessRequest r = Plain();
  r.set_wrongful_purpose(true);
  const absl::CivilDay last(9999, 12, 31);
  *r.mutable_as_of() = Ts("9999-12-31T12:00:00+09:00");
  *r.mutable_aware_at() =
      Ts(absl::FormatCivilTime(last - 60) + "T10:00:00+09:00");
  EXPECT_EQ(Assess(r).final_report_by(), "9999-12-31");
  *r.mutable_aware_at() =
      Ts(absl::FormatCivilTime(last - 59) + "T10:00:00+09:00");
  EXPECT_THAT(TheEngine().IncidentAssess(r).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("aware_at"), HasSubstr("9999-12-31"))));
}

// A policy without incident rules cannot decide: a misuse, not a "not
// reportable".
TEST(IncidentAssess, APolicyWithoutIncidentRulesIsFailedPrecondition) {
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::File(
          ::pip::testing::SourcePath("tests/testdata/minimal.textproto")));
  ASSERT_TRUE(engine.ok()) << engine.status();
  v1::IncidentAssessRequest r = Plain();
  r.clear_categories();
  r.add_categories("name");
  EXPECT_THAT((*engine)->IncidentAssess(r).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("incidents")));
}

// The explanation names the outcome and the dates a person reads first.
TEST(IncidentAssess, ExplainShowsTheOutcomeAndTheDeadlines) {
  v1::IncidentAssessRequest r = Plain();
  r.add_categories("health");
  v1::EvalRequest eval;
  *eval.mutable_incident_assess() = r;
  const std::string text = TheEngine().Explain(TheEngine().Evaluate(eval));
  EXPECT_THAT(text, AllOf(HasSubstr("REPORTABLE"), HasSubstr("2026-03-04"),
                           HasSubstr("判定根拠 / Grounds:"),
                           HasSubstr("施行規則 7(1)"),
                           Not(HasSubstr("NOT REPORTABLE"))));
}

}  // namespace
}  // namespace pip
