// Tests of contractor_check (clause 6; clause 5.1; APPI 25, 28) through the
// public API, against the default policy. Each test names the clause or
// article whose rule it checks. The due day of the next check is checked
// against the reference calendar of tests/testing/civil_reference.h
// (absl::CivilDay arithmetic), not against dates written by hand.
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
#include "tests/testing/reasons.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::Codes;
using ::pip::testing::ReferencePeriodLastDay;
using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

// A copy of the running policy, made once (Engine::policy() returns a copy).
const v1::Policy& DefaultPolicy() {
  static const v1::Policy* const policy = new v1::Policy(TheEngine().policy());
  return *policy;
}
const v1::ContractorManagement& Clause6() {
  return DefaultPolicy().contractor_management();
}

// A contractor in Japan that meets every criterion of 6.1, whose contract
// holds every term of 6.2, checked (6.3) on 2026-01-15 10:00 JST, asked
// about on 2026-03-01.
v1::ContractorCheckRequest Qualified() {
  v1::ContractorCheckRequest r;
  r.set_contractor_id("vendor-17");
  for (const v1::Provision& p : Clause6().selection_criteria()) {
    r.add_criteria_met(p.id());
  }
  for (const v1::Provision& p : Clause6().required_contract_terms()) {
    r.add_contract_terms(p.id());
  }
  *r.mutable_last_checked_at() = Ts("2026-01-15T10:00:00+09:00");
  *r.mutable_as_of() = Ts("2026-03-01T12:00:00+09:00");
  return r;
}

v1::ContractorCheckDecision Check(const v1::ContractorCheckRequest& r) {
  absl::StatusOr<v1::ContractorCheckDecision> d = TheEngine().ContractorCheck(r);
  EXPECT_TRUE(d.ok()) << d.status();
  if (!d.ok()) return v1::ContractorCheckDecision();
  for (const v1::Reason& reason : d->reasons()) {
    EXPECT_FALSE(reason.clause().empty()) << reason.ShortDebugString();
    EXPECT_FALSE(reason.message_ja().empty()) << reason.ShortDebugString();
    EXPECT_FALSE(reason.message_en().empty()) << reason.ShortDebugString();
  }
  return *d;
}

// The Tokyo day `day` moved by the policy's review interval, counted from
// the next day (民法 140, 143), as a decision prints it.
std::string DueAfter(absl::CivilDay day) {
  return absl::FormatCivilTime(
      ReferencePeriodLastDay(day + 1, Clause6().review_interval()));
}

// --- the whole: every requirement met -----------------------------------

TEST(ContractorCheck, Clause6EveryRequirementMetAllowsEntrustment) {
  const v1::ContractorCheckDecision d = Check(Qualified());
  EXPECT_TRUE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()), ElementsAre(v1::CONTRACTOR_QUALIFIED,
                                              v1::PROVISION_RECORD_NOT_REQUIRED));
  EXPECT_EQ(d.reasons(0).clause(), "6");
  EXPECT_EQ(d.reasons(0).article(), "APPI 25");
  EXPECT_EQ(d.last_checked_on(), "2026-01-15");
  EXPECT_EQ(d.next_check_by(), DueAfter(absl::CivilDay(2026, 1, 15)));
  EXPECT_EQ(d.overseas_basis(), v1::OVERSEAS_BASIS_UNSPECIFIED);
  // APPI 27(5)(i): entrusting a contractor in Japan is no provision to a
  // third party, so no record (proviso of 29(1)).
  EXPECT_EQ(d.recipient(), "contractor");
  ASSERT_TRUE(d.has_provision_record());
  EXPECT_FALSE(d.provision_record().required());
  EXPECT_EQ(d.policy().hash().size(), 64u);
}

// --- 6.1 and 6.2, one by one (APPI 25) ------------------------------------

TEST(ContractorCheck, Clause6_1EachCriterionNotMetIsAFindingNamingIt) {
  for (int i = 0; i < Clause6().selection_criteria_size(); ++i) {
    const v1::Provision& missing = Clause6().selection_criteria(i);
    SCOPED_TRACE(missing.id());
    v1::ContractorCheckRequest r = Qualified();
    r.clear_criteria_met();
    for (const v1::Provision& p : Clause6().selection_criteria()) {
      if (p.id() != missing.id()) r.add_criteria_met(p.id());
    }
    const v1::ContractorCheckDecision d = Check(r);
    EXPECT_FALSE(d.allowed());
    ASSERT_THAT(Codes(d.reasons()),
                ElementsAre(v1::SELECTION_CRITERION_NOT_MET));
    EXPECT_EQ(d.reasons(0).provision(), missing.id());
    EXPECT_EQ(d.reasons(0).clause(), "6.1");
    EXPECT_EQ(d.reasons(0).article(), "APPI 25");
    EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr(missing.text_ja()));
    // A denial carries no record duty (as purpose_allowed's).
    EXPECT_FALSE(d.has_provision_record());
  }
}

TEST(ContractorCheck, Clause6_2EachMissingContractTermIsAFindingNamingIt) {
  v1::ContractorCheckRequest r = Qualified();
  r.clear_contract_terms();
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_EQ(d.reasons_size(), Clause6().required_contract_terms_size());
  for (int i = 0; i < d.reasons_size(); ++i) {
    const v1::Provision& term = Clause6().required_contract_terms(i);
    EXPECT_EQ(d.reasons(i).code(), v1::CONTRACT_TERM_MISSING);
    EXPECT_EQ(d.reasons(i).provision(), term.id());
    EXPECT_EQ(d.reasons(i).clause(), "6.2");
    EXPECT_EQ(d.reasons(i).article(), "APPI 25");
    EXPECT_THAT(d.reasons(i).message_ja(), HasSubstr(term.text_ja()));
  }
}

TEST(ContractorCheck, Clause6_1UnknownCriterionIsAnErrorNamingTheField) {
  v1::ContractorCheckRequest r = Qualified();
  r.add_criteria_met("sound_financs");
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("criteria_met[5]")));
  r = Qualified();
  r.add_contract_terms("confidential");
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contract_terms[7]")));
}

// --- 6.3 and 5.1: the periodic check ---------------------------------------

TEST(ContractorCheck, Clause6_3NoCheckOnRecordDenies) {
  v1::ContractorCheckRequest r = Qualified();
  r.clear_last_checked_at();
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()), ElementsAre(v1::SUPERVISION_CHECK_MISSING));
  EXPECT_EQ(d.reasons(0).provision(), Clause6().periodic_check());
  EXPECT_EQ(d.reasons(0).clause(), "6.3");
  EXPECT_EQ(d.next_check_by(), "");
  EXPECT_EQ(d.last_checked_on(), "");
}

// 5.1 年次レビュー: the check stays current through the last day of the
// interval counted from the day after it, and is overdue from 00:00 JST the
// day after that.
TEST(ContractorCheck, Clause5_1CheckCurrentOnItsLastDayOverdueTheNext) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2025-05-10T14:00:00+09:00");
  const std::string due = DueAfter(absl::CivilDay(2025, 5, 10));
  ASSERT_EQ(due, "2026-05-10");  // the reference calendar agrees with 民法 143
  *r.mutable_as_of() = Ts("2026-05-10T23:59:59+09:00");
  v1::ContractorCheckDecision d = Check(r);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(d.next_check_by(), due);

  *r.mutable_as_of() = Ts("2026-05-11T00:00:00+09:00");
  d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()), ElementsAre(v1::SUPERVISION_CHECK_OVERDUE));
  EXPECT_EQ(d.reasons(0).provision(), Clause6().periodic_check());
  EXPECT_EQ(d.next_check_by(), due);
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr(due));
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("1年"));
  EXPECT_THAT(d.reasons(0).message_en(), HasSubstr("2025-05-10"));
}

// 民法 140: the day of the check is its Tokyo day, whatever the hour; a
// check at 23:59 JST and one a minute later fall on different days.
TEST(ContractorCheck, Civil140CheckAt2359And0000TokyoAreDifferentDays) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2025-06-30T23:59:00+09:00");
  EXPECT_EQ(Check(r).next_check_by(), DueAfter(absl::CivilDay(2025, 6, 30)));
  *r.mutable_last_checked_at() = Ts("2025-07-01T00:00:00+09:00");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_EQ(d.last_checked_on(), "2025-07-01");
  EXPECT_EQ(d.next_check_by(), DueAfter(absl::CivilDay(2025, 7, 1)));
}

// A check given in UTC is read on the Tokyo calendar: 15:30Z is 00:30 JST
// the next day.
TEST(ContractorCheck, Civil140CheckGivenInUtcIsReadOnTheTokyoCalendar) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2025-06-30T15:30:00Z");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_EQ(d.last_checked_on(), "2025-07-01");
  EXPECT_EQ(d.next_check_by(), DueAfter(absl::CivilDay(2025, 7, 1)));
}

// 民法 143(2): counted from February 29, a year ends with February of the
// next year, which has no 29th.
TEST(ContractorCheck, Civil143MonthEndWithoutCorrespondingDay) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2024-02-28T09:00:00+09:00");
  *r.mutable_as_of() = Ts("2024-03-01T09:00:00+09:00");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_EQ(d.next_check_by(), DueAfter(absl::CivilDay(2024, 2, 28)));
  EXPECT_EQ(d.next_check_by(), "2025-02-28");
}

TEST(ContractorCheck, Clause6_3CheckDatedAfterAsOfIsAnInputError) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2026-03-01T12:00:01+09:00");
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_checked_at")));
}

// Every date pip prints is one it accepts: a next check that would fall
// after 9999-12-31 is an input error naming the check, never a decision.
TEST(ContractorCheck, Clause6_3NextCheckPast9999IsAnInputError) {
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("9999-06-01T10:00:00+09:00");
  *r.mutable_as_of() = Ts("9999-06-02T10:00:00+09:00");
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("last_checked_at")));
}

// The interval is the policy's: a policy of 6 months counts 6 months.
TEST(ContractorCheck, Clause6_3IntervalIsThePolicys) {
  v1::Policy policy = DefaultPolicy();
  policy.mutable_contractor_management()->mutable_review_interval()->Clear();
  policy.mutable_contractor_management()
      ->mutable_review_interval()
      ->set_months(6);
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  v1::ContractorCheckRequest r = Qualified();
  *r.mutable_last_checked_at() = Ts("2025-08-31T10:00:00+09:00");
  *r.mutable_as_of() = Ts("2026-03-01T00:00:00+09:00");
  absl::StatusOr<v1::ContractorCheckDecision> d = (*engine)->ContractorCheck(r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->next_check_by(),
            absl::FormatCivilTime(ReferencePeriodLastDay(
                absl::CivilDay(2025, 9, 1), /*months=*/6, /*days=*/0)));
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(d->reasons(0).message_ja(), HasSubstr("6か月"));
}

// Validation: the interval is required once clause 6 lists anything, and a
// bad period is refused, each with its clause.
TEST(ContractorCheck, Clause5_1PolicyWithoutIntervalOrWithBadOneIsRefused) {
  v1::Policy policy = DefaultPolicy();
  policy.mutable_contractor_management()->clear_review_interval();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  EXPECT_THAT(engine.status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("review_interval")));
  EXPECT_THAT(engine.status().message(), HasSubstr("5.1"));
  policy.mutable_contractor_management()
      ->mutable_review_interval()
      ->set_years(-1);
  engine = Engine::Create(PolicySource::Message(policy));
  EXPECT_THAT(engine.status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exactly one positive component")));
}

// 6.3: a measure the situation calls for and not carried out denies (the
// protective reading, docs/policy-notes.md); each is named once.
TEST(ContractorCheck, Clause6_3OutstandingMeasuresDenyOneByOne) {
  v1::ContractorCheckRequest r = Qualified();
  r.add_supervision_outstanding("on_site_audit");
  r.add_supervision_outstanding("incident_remediation_request");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()),
              ElementsAre(v1::SUPERVISION_MEASURE_OUTSTANDING,
                          v1::SUPERVISION_MEASURE_OUTSTANDING));
  EXPECT_EQ(d.reasons(0).provision(), "on_site_audit");
  EXPECT_EQ(d.reasons(1).provision(), "incident_remediation_request");
  EXPECT_EQ(d.reasons(1).clause(), "6.3");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("立ち入り監査"));
}

TEST(ContractorCheck, Clause6_3PeriodicCheckIsDecidedByItsDateNotListed) {
  v1::ContractorCheckRequest r = Qualified();
  r.add_supervision_outstanding(Clause6().periodic_check());
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("supervision_outstanding[0]")));
}

// --- APPI 28: a contractor abroad ---------------------------------------

TEST(ContractorCheck, Appi28AbroadWithoutBasisDenies) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_country("US");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()), ElementsAre(v1::OVERSEAS_BASIS_MISSING));
  EXPECT_EQ(d.reasons(0).clause(), "APPI 28");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("US"));
  EXPECT_EQ(d.overseas_basis(), v1::OVERSEAS_BASIS_NONE);
  EXPECT_EQ(d.recipient(), "");
}

TEST(ContractorCheck, Appi28_3EquivalentMeasuresWithoutContinuingMeasuresDenies) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_country("SG");
  r.set_equivalent_measures(true);
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()), ElementsAre(v1::OVERSEAS_BASIS_MISSING,
                                              v1::CONTINUING_MEASURES_MISSING));
  EXPECT_EQ(d.reasons(1).clause(), "APPI 28(3)");
  EXPECT_EQ(d.reasons(1).article(), "施行規則 18");
}

// 施行規則 16, APPI 28(3): entrusted as in Japan (27(5)(i)); no consent, no
// record.
TEST(ContractorCheck, Rule16EquivalentMeasuresWithContinuingMeasuresAllows) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_country("SG");
  r.set_equivalent_measures(true);
  r.set_continuing_measures(true);
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_TRUE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()),
              ElementsAre(v1::CONTRACTOR_QUALIFIED,
                          v1::OVERSEAS_EQUIVALENT_MEASURES_BASIS,
                          v1::PROVISION_RECORD_NOT_REQUIRED));
  EXPECT_EQ(d.reasons(1).clause(), "施行規則 16");
  EXPECT_EQ(d.reasons(1).article(), "APPI 28(3)");
  EXPECT_EQ(d.overseas_basis(), v1::OVERSEAS_BASIS_EQUIVALENT_MEASURES);
  EXPECT_EQ(d.recipient(), "overseas_contractor_equivalent_measures");
  EXPECT_FALSE(d.provision_record().required());
}

// APPI 28(1), 28(2), 施行規則 17: the persons' informed consent; the
// proviso of 29(1) does not cover a provision under 28(1), so it is
// recorded.
TEST(ContractorCheck, Appi28_1InformedConsentAllowsAndNeedsProvisionRecord) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_country("US");
  r.set_informed_consent(true);
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_TRUE(d.allowed());
  ASSERT_THAT(Codes(d.reasons()),
              ElementsAre(v1::CONTRACTOR_QUALIFIED, v1::OVERSEAS_CONSENT_BASIS,
                          v1::PROVISION_RECORD_REQUIRED));
  EXPECT_EQ(d.reasons(1).clause(), "APPI 28(1)");
  EXPECT_EQ(d.reasons(1).article(), "施行規則 17");
  EXPECT_EQ(d.overseas_basis(), v1::OVERSEAS_BASIS_CONSENT);
  EXPECT_EQ(d.recipient(), "overseas_contractor");
  ASSERT_TRUE(d.has_provision_record());
  EXPECT_TRUE(d.provision_record().required());
  EXPECT_EQ(d.provision_record().article(), "APPI 29(1)");
  EXPECT_GT(d.provision_record().keep_years(), 0);
}

// Both bases: the equivalent measures are the basis (APPI 28(1) does not
// reach a contractor with such a system); without continuing measures,
// consent is (docs/policy-notes.md).
TEST(ContractorCheck, Appi28BothBasesPreferEquivalentMeasuresOnlyWhenComplete) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_country("DE");
  r.set_informed_consent(true);
  r.set_equivalent_measures(true);
  r.set_continuing_measures(true);
  EXPECT_EQ(Check(r).overseas_basis(), v1::OVERSEAS_BASIS_EQUIVALENT_MEASURES);
  r.set_continuing_measures(false);
  EXPECT_EQ(Check(r).overseas_basis(), v1::OVERSEAS_BASIS_CONSENT);
}

// contractor_check and purpose_allowed never disagree: for each basis, an
// allowed use by the recipient contractor_check names carries the same
// record duty, and the consent basis is exactly the recipient that needs a
// consent naming it.
TEST(ContractorCheck, Appi29AgreesWithPurposeAllowedOnEveryBasis) {
  struct Case {
    const char* country;
    bool consent;
    bool equivalent;
  };
  for (const Case& c : {Case{"", false, false}, Case{"US", true, false},
                        Case{"SG", false, true}}) {
    SCOPED_TRACE(c.country);
    v1::ContractorCheckRequest r = Qualified();
    r.set_country(c.country);
    r.set_informed_consent(c.consent);
    r.set_equivalent_measures(c.equivalent);
    r.set_continuing_measures(c.equivalent);
    const v1::ContractorCheckDecision d = Check(r);
    ASSERT_TRUE(d.allowed());

    v1::PurposeAllowedRequest use;
    use.set_subject_id("c-1");
    use.set_purpose("customer_support");
    use.add_categories("name");
    use.set_recipient(d.recipient());
    *use.mutable_as_of() = r.as_of();
    absl::StatusOr<v1::PurposeAllowedDecision> without =
        TheEngine().PurposeAllowed(use);
    ASSERT_TRUE(without.ok()) << without.status();
    // Only the consent basis needs the person's consent in purpose_allowed.
    EXPECT_EQ(without->allowed(), !c.consent);
    v1::Consent* consent = use.add_consents();
    consent->set_id("k-1");
    consent->set_subject_id("c-1");
    consent->add_recipients(d.recipient());
    *consent->mutable_granted_at() = Ts("2025-04-01T10:00:00+09:00");
    consent->set_consent_version(DefaultPolicy().min_consent_version());
    absl::StatusOr<v1::PurposeAllowedDecision> with =
        TheEngine().PurposeAllowed(use);
    ASSERT_TRUE(with.ok()) << with.status();
    ASSERT_TRUE(with->allowed());
    EXPECT_EQ(with->provision_record().SerializeAsString(),
              d.provision_record().SerializeAsString())
        << with->provision_record().ShortDebugString() << " vs "
        << d.provision_record().ShortDebugString();
  }
}

TEST(ContractorCheck, Appi28BasisInJapanOrBadCountryIsAnInputError) {
  v1::ContractorCheckRequest r = Qualified();
  r.set_informed_consent(true);
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("informed_consent")));
  r = Qualified();
  r.set_country("JP");
  EXPECT_TRUE(Check(r).allowed());
  r.set_country("usa");
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("country")));
}

// --- all findings together ------------------------------------------------

TEST(ContractorCheck, Clause6EveryFindingTogetherEachOnce) {
  v1::ContractorCheckRequest r;
  r.set_contractor_id("vendor-0");
  r.set_country("US");
  r.add_supervision_outstanding("security_review_request");
  *r.mutable_as_of() = Ts("2026-03-01T12:00:00+09:00");
  const v1::ContractorCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  const int criteria = Clause6().selection_criteria_size();
  const int terms = Clause6().required_contract_terms_size();
  ASSERT_EQ(d.reasons_size(), criteria + terms + 3);
  EXPECT_EQ(d.reasons(criteria + terms).code(), v1::SUPERVISION_CHECK_MISSING);
  EXPECT_EQ(d.reasons(criteria + terms + 1).code(),
            v1::SUPERVISION_MEASURE_OUTSTANDING);
  EXPECT_EQ(d.reasons(criteria + terms + 2).code(), v1::OVERSEAS_BASIS_MISSING);
  EXPECT_FALSE(d.has_provision_record());
}

TEST(ContractorCheck, Clause6ContractorIdAndAsOfAreRequired) {
  v1::ContractorCheckRequest r = Qualified();
  r.clear_contractor_id();
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("contractor_id")));
  r = Qualified();
  r.clear_as_of();
  EXPECT_THAT(TheEngine().ContractorCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

// A policy without clause 6 cannot answer: never read as allowed.
TEST(ContractorCheck, Clause6PolicyWithoutContractorManagementFailsClosed) {
  v1::Policy policy = DefaultPolicy();
  policy.clear_contractor_management();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_THAT((*engine)->ContractorCheck(Qualified()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("clause 6")));
}

}  // namespace
}  // namespace pip
