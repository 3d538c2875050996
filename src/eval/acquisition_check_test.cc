// Tests of acquisition_check (clauses 2, 3; APPI 20(2), 21, 30) through the
// public API: which channel acquires what (clause 3), the permission for
// location (2.4), the consent for special care-required data and its
// exceptions (APPI 20(2)), stating the purpose (21), and the confirmation of
// data received from a third party and its record (30). Each rule is tested
// on both sides, allowed and denied.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/request_cases.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

v1::AcquisitionCheckRequest Acquire(const std::string& channel,
                                    std::vector<std::string> categories) {
  v1::AcquisitionCheckRequest r;
  r.set_subject_id("c-1");
  r.set_channel(channel);
  for (const std::string& c : categories) r.add_categories(c);
  *r.mutable_as_of() = Ts("2026-03-01T12:00:00+09:00");
  return r;
}

// `category` entered on a website form, the purpose stated beforehand
// (APPI 21(2)).
v1::AcquisitionCheckRequest WebsiteForm(const std::string& category) {
  v1::AcquisitionCheckRequest r = Acquire("website", {category});
  r.set_purpose_stated(true);
  return r;
}

v1::AcquisitionCheckDecision Check(const Engine& engine,
                                   const v1::AcquisitionCheckRequest& r) {
  return ::pip::testing::ValueOrFail(engine.AcquisitionCheck(r));
}
v1::AcquisitionCheckDecision Check(const v1::AcquisitionCheckRequest& r) {
  return Check(TheEngine(), r);
}

std::vector<v1::ReasonCode> Codes(const v1::AcquisitionCheckDecision& d) {
  std::vector<v1::ReasonCode> out;
  for (const v1::Reason& r : d.reasons()) out.push_back(r.code());
  return out;
}

// The reason of `code`, or an empty one.
v1::Reason Find(const v1::AcquisitionCheckDecision& d, v1::ReasonCode code) {
  for (const v1::Reason& r : d.reasons()) {
    if (r.code() == code) return r;
  }
  ADD_FAILURE() << "no " << v1::ReasonCode_Name(code);
  return v1::Reason();
}

// A consent of c-1 naming `category`, valid on the day of the requests.
v1::Consent Naming(const std::string& category) {
  v1::Consent c;
  c.set_id("k-1");
  c.set_subject_id("c-1");
  c.add_categories(category);
  *c.mutable_granted_at() = Ts("2025-04-01T10:00:00+09:00");
  c.set_consent_version(1);
  return c;
}

// The default policy with `category` among what the website acquires, so
// that the rules of 2.4 and APPI 20(2) can be seen allowing; made once per
// category.
const Engine& WebsiteAlsoAcquires(const std::string& category) {
  static auto* const engines = new std::map<std::string, std::unique_ptr<Engine>>;
  std::unique_ptr<Engine>& engine = (*engines)[category];
  if (engine == nullptr) {
    v1::Policy policy = TheEngine().policy();
    for (v1::AcquisitionChannel& ch : *policy.mutable_acquisition_channels()) {
      if (ch.id() == "website") ch.add_acquired_categories(category);
    }
    engine = ::pip::testing::ValueOrFail(
        Engine::Create(PolicySource::Message(policy)));
  }
  return engine != nullptr ? *engine : TheEngine();
}

// --- Clause 3: what each channel acquires ---------------------------------

// Every category the policy lists for a channel is acquired through it, and
// the decision names the channel and cites clause 3.
TEST(AcquisitionCheck, Clause3EveryListedCategoryOfEveryChannelIsAcquired) {
  const v1::Policy policy = TheEngine().policy();
  for (const v1::AcquisitionChannel& ch : policy.acquisition_channels()) {
    v1::AcquisitionCheckRequest r = Acquire(ch.id(), {});
    for (const std::string& c : ch.acquired_categories()) r.add_categories(c);
    r.set_purpose_stated(true);
    if (ch.from_third_party()) {
      r.mutable_provider()->set_name("Partner KK");
      r.mutable_provider()->set_address("Tokyo");
      r.mutable_provider()->set_representative("Taro Yamada");
      r.mutable_provider()->set_how_obtained("seminar sign-up");
    }
    const v1::AcquisitionCheckDecision d = Check(r);
    EXPECT_TRUE(d.allowed()) << ch.id();
    ASSERT_GE(d.reasons_size(), 1);
    EXPECT_EQ(d.reasons(0).code(), v1::ACQUISITION_PERMITTED);
    EXPECT_EQ(d.reasons(0).clause(), ch.clause());
    EXPECT_EQ(d.reasons(0).channel(), ch.id());
  }
}

// A category the policy does not list for the channel is not acquired
// through it under the published policy: denied, naming both (clause 3).
TEST(AcquisitionCheck, Clause3CategoryNotListedForTheChannelIsDenied) {
  v1::AcquisitionCheckRequest r = Acquire("in_person", {"name", "payment"});
  const v1::AcquisitionCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::CATEGORY_NOT_ACQUIRED_BY_CHANNEL));
  EXPECT_EQ(d.reasons(0).clause(), "3");
  EXPECT_EQ(d.reasons(0).category(), "payment");
  EXPECT_EQ(d.reasons(0).channel(), "in_person");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("対面"));
  EXPECT_THAT(d.reasons(0).message_en(), HasSubstr("'In person'"));
}

// Unknown ids are errors naming the field, never a denial (fail closed).
TEST(AcquisitionCheck, Clause3UnknownChannelOrCategoryIsAnErrorNamingTheField) {
  EXPECT_THAT(TheEngine().AcquisitionCheck(Acquire("webiste", {"name"})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("channel"), HasSubstr("website"))));
  EXPECT_THAT(TheEngine().AcquisitionCheck(Acquire("website", {"naem"})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("categories[0]")));
  EXPECT_THAT(TheEngine().AcquisitionCheck(Acquire("website", {})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("categories")));
}

// --- 2.4: location only with permission -----------------------------------

TEST(AcquisitionCheck, Clause2_4LocationNeedsAConsentNamingIt) {
  const Engine& engine = WebsiteAlsoAcquires("location");
  v1::AcquisitionCheckRequest r = WebsiteForm("location");
  v1::AcquisitionCheckDecision d = Check(engine, r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_CONSENT_REQUIRED,
                                    v1::NO_CONSENT));
  EXPECT_EQ(d.reasons(0).clause(), "2.4");
  EXPECT_EQ(d.reasons(0).category(), "location");

  *r.add_consents() = Naming("location");
  d = Check(engine, r);
  EXPECT_TRUE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_PERMITTED,
                                    v1::CONSENT_RELIED, v1::PURPOSE_STATED));
  EXPECT_THAT(d.reasons(1).message_ja(), HasSubstr("取得"));
  ASSERT_EQ(d.covered_by_size(), 1);
  EXPECT_EQ(d.covered_by(0).consent_id(), "k-1");
}

// The one coverage rule of consent_check: a consent for any category (an
// empty list) does not count for location.
TEST(AcquisitionCheck, Clause2_4AConsentForAnyCategoryDoesNotCountForLocation) {
  const Engine& engine = WebsiteAlsoAcquires("location");
  v1::AcquisitionCheckRequest r = WebsiteForm("location");
  v1::Consent any = Naming("location");
  any.clear_categories();
  *r.add_consents() = any;
  const v1::AcquisitionCheckDecision d = Check(engine, r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_CONSENT_REQUIRED,
                                    v1::CATEGORY_NOT_NAMED));
  // consent_check with no purposes gives the same answer.
  v1::ConsentCheckRequest c;
  c.set_subject_id("c-1");
  c.add_categories("location");
  *c.add_consents() = any;
  *c.mutable_as_of() = r.as_of();
  absl::StatusOr<v1::ConsentCheckDecision> cd = engine.ConsentCheck(c);
  ASSERT_TRUE(cd.ok()) << cd.status();
  EXPECT_FALSE(cd->valid());
}

// A withdrawn permission no longer counts (2.4 with the consent rules of 7).
TEST(AcquisitionCheck, Clause2_4WithdrawnPermissionDoesNotCount) {
  const Engine& engine = WebsiteAlsoAcquires("location");
  v1::AcquisitionCheckRequest r = WebsiteForm("location");
  v1::Consent withdrawn = Naming("location");
  *withdrawn.mutable_withdrawn_at() = Ts("2026-01-01T00:00:00+09:00");
  *r.add_consents() = withdrawn;
  const v1::AcquisitionCheckDecision d = Check(engine, r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_CONSENT_REQUIRED,
                                    v1::WITHDRAWN));
}

// --- APPI 20(2): special care-required data -------------------------------

TEST(AcquisitionCheck, Appi20_2HealthNeedsPriorConsentCitingTheArticle) {
  const Engine& engine = WebsiteAlsoAcquires("health");
  v1::AcquisitionCheckRequest r = WebsiteForm("health");
  v1::AcquisitionCheckDecision d = Check(engine, r);
  EXPECT_FALSE(d.allowed());
  const v1::Reason required = Find(d, v1::ACQUISITION_CONSENT_REQUIRED);
  EXPECT_EQ(required.clause(), "2.5");
  EXPECT_EQ(required.article(), "APPI 20(2)");
  EXPECT_EQ(required.category(), "health");

  *r.add_consents() = Naming("health");
  d = Check(engine, r);
  EXPECT_TRUE(d.allowed());
  EXPECT_EQ(Find(d, v1::CONSENT_RELIED).article(), "APPI 20(2)");
}

// 20(2)(vii): published by the person, a public body or the press needs no
// consent; published by anyone else does.
TEST(AcquisitionCheck, Appi20_2_viiPublishedByThePersonAPublicBodyOrThePress) {
  const Engine& engine = WebsiteAlsoAcquires("health");
  v1::AcquisitionCheckRequest r = WebsiteForm("health");
  for (const v1::PublishedBy by :
       {v1::PUBLISHED_BY_DATA_SUBJECT, v1::PUBLISHED_BY_PUBLIC_BODY,
        v1::PUBLISHED_BY_PRESS}) {
    r.set_published_by(by);
    const v1::AcquisitionCheckDecision d = Check(engine, r);
    EXPECT_TRUE(d.allowed()) << v1::PublishedBy_Name(by);
    const v1::Reason published = Find(d, v1::PUBLISHED_EXCEPTION_APPLIES);
    EXPECT_EQ(published.article(), "APPI 20(2)(vii)");
    EXPECT_EQ(published.category(), "health");
  }
  EXPECT_THAT(Find(Check(engine, r), v1::PUBLISHED_EXCEPTION_APPLIES)
                  .message_ja(),
              HasSubstr("報道機関"));
  r.set_published_by(v1::PUBLISHED_BY_OTHER);
  EXPECT_FALSE(Check(engine, r).allowed());
}

// 20(2)(vii) is about special care-required data: it does not lift the
// permission location needs (2.4).
TEST(AcquisitionCheck, Clause2_4PublishedLocationStillNeedsPermission) {
  const Engine& engine = WebsiteAlsoAcquires("location");
  v1::AcquisitionCheckRequest r = WebsiteForm("location");
  r.set_published_by(v1::PUBLISHED_BY_DATA_SUBJECT);
  EXPECT_FALSE(Check(engine, r).allowed());
}

// 20(2)(i)-(iv): the cases of 27(1) the Act repeats, by the policy's legal
// grounds; each cites its item of 20(2).
TEST(AcquisitionCheck, Appi20_2_iToIvLegalGroundsNeedNoConsent) {
  const Engine& engine = WebsiteAlsoAcquires("health");
  const v1::Policy& policy = engine.policy();
  ASSERT_EQ(policy.acquisition().special_care_grounds_size(), 4);
  for (const v1::SpecialCareGround& g :
       policy.acquisition().special_care_grounds()) {
    v1::AcquisitionCheckRequest r = WebsiteForm("health");
    r.mutable_legal_ground()->set_ground(g.ground());
    r.mutable_legal_ground()->set_reference("Act X, inquiry 12");
    const v1::AcquisitionCheckDecision d = Check(engine, r);
    EXPECT_TRUE(d.allowed()) << g.ground();
    const v1::Reason ground = Find(d, v1::SPECIAL_CARE_GROUND_APPLIES);
    EXPECT_EQ(ground.article(), g.article());
    EXPECT_EQ(ground.provision(), g.ground());
  }
  v1::AcquisitionCheckRequest blank = Acquire("website", {"health"});
  blank.mutable_legal_ground()->set_ground("required_by_law");
  EXPECT_THAT(engine.AcquisitionCheck(blank),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("legal_ground.reference")));
}

// A ground the policy does not list for 20(2) is an error, not an allow.
TEST(AcquisitionCheck, Appi20_2AGroundNotListedFor20_2IsAnError) {
  v1::Policy policy = TheEngine().policy();
  policy.mutable_acquisition()->mutable_special_care_grounds()->RemoveLast();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  v1::AcquisitionCheckRequest r = Acquire("website", {"name"});
  r.mutable_legal_ground()->set_ground("cooperation_with_public_body");
  r.mutable_legal_ground()->set_reference("ref");
  EXPECT_THAT((*engine)->AcquisitionCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("legal_ground.ground")));
}

// --- APPI 21: stating the purpose -----------------------------------------

// A website form is writing (electronic records included) handed over by
// the person: the purpose must be stated beforehand (21(2)), as on paper.
TEST(AcquisitionCheck, Appi21_2WrittenDirectAcquisitionNeedsThePurposeStated) {
  for (const std::string channel : {"website", "paper", "phone_email"}) {
    v1::AcquisitionCheckRequest r = Acquire(channel, {"email"});
    if (channel == "paper") r.set_categories(0, "name");
    v1::AcquisitionCheckDecision d = Check(r);
    EXPECT_FALSE(d.allowed()) << channel;
    EXPECT_THAT(Codes(d), ElementsAre(v1::PURPOSE_NOT_STATED)) << channel;
    EXPECT_EQ(d.reasons(0).clause(), "APPI 21(2)");
    EXPECT_EQ(d.reasons(0).channel(), channel);
    r.set_purpose_stated(true);
    d = Check(r);
    EXPECT_TRUE(d.allowed()) << channel;
    EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_PERMITTED,
                                      v1::PURPOSE_STATED));
  }
}

// Not written, or not from the person: the published purposes satisfy
// 21(1), and the decision says so.
TEST(AcquisitionCheck, Appi21_1OtherAcquisitionReliesOnThePublishedPurposes) {
  for (const std::string channel : {"in_person", "public_source"}) {
    const v1::AcquisitionCheckDecision d = Check(Acquire(channel, {"name"}));
    EXPECT_TRUE(d.allowed()) << channel;
    EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_PERMITTED,
                                      v1::PURPOSES_PUBLISHED));
    EXPECT_EQ(d.reasons(1).clause(), "APPI 21(1)");
  }
}

// --- APPI 30: data received from a third party ----------------------------

v1::AcquisitionCheckRequest Referral() {
  v1::AcquisitionCheckRequest r = Acquire("third_party", {"name", "email"});
  v1::Provider* p = r.mutable_provider();
  p->set_name("Partner KK");
  p->set_address("1-1 Marunouchi, Tokyo");
  p->set_representative("Taro Yamada");
  p->set_how_obtained("sign-up sheet of its own seminar");
  return r;
}

// Confirmed in full: allowed, and the confirmation record is kept for the
// period of the policy's retention kind confirmation_record.
TEST(AcquisitionCheck, Appi30_3ConfirmedProvisionKeepsAConfirmationRecord) {
  const v1::AcquisitionCheckDecision d = Check(Referral());
  EXPECT_TRUE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::ACQUISITION_PERMITTED,
                                    v1::PURPOSES_PUBLISHED,
                                    v1::CONFIRMATION_RECORD_REQUIRED));
  const v1::Reason record = Find(d, v1::CONFIRMATION_RECORD_REQUIRED);
  EXPECT_EQ(record.clause(), "APPI 30(3)");
  ASSERT_TRUE(d.has_confirmation_record());
  const v1::ProvisionRecordDuty& duty = d.confirmation_record();
  EXPECT_TRUE(duty.required());
  EXPECT_EQ(duty.article(), "APPI 30(3)");
  EXPECT_EQ(duty.retention_kind(), "confirmation_record");
  int years = 0;
  const v1::Policy policy = TheEngine().policy();
  for (const v1::RetentionKind& k : policy.retention().kinds()) {
    if (k.id() == "confirmation_record") years = k.period().years();
  }
  EXPECT_EQ(years, 3);
  EXPECT_EQ(duty.keep_years(), years);
  EXPECT_EQ(duty.contract_document_keep_years(), 1);
  EXPECT_EQ(duty.period_article(), "施行規則 25");
  EXPECT_THAT(d.missing(), IsEmpty());
}

// Each item of the confirmation missing is named; nothing is allowed.
TEST(AcquisitionCheck, Appi30_1MissingConfirmationIsDeniedNamingWhatIsMissing) {
  v1::AcquisitionCheckRequest r = Referral();
  r.mutable_provider()->clear_representative();
  r.mutable_provider()->set_how_obtained("  ");
  v1::AcquisitionCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d), ElementsAre(v1::CONFIRMATION_MISSING,
                                    v1::CONFIRMATION_MISSING));
  EXPECT_EQ(d.reasons(0).clause(), "APPI 30(1)");
  EXPECT_THAT(d.missing(), ElementsAre("provider.representative",
                                       "provider.how_obtained"));
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("代表者"));
  EXPECT_THAT(d.reasons(1).message_ja(), HasSubstr("取得した経緯"));
  EXPECT_FALSE(d.has_confirmation_record());

  r.clear_provider();
  d = Check(r);
  EXPECT_EQ(d.missing_size(), 4);
}

// Proviso of 30(1), (3): a contractor, a successor or a joint user is no
// third party (27(5)); nothing to confirm or record, and the reason says
// why.
TEST(AcquisitionCheck, Appi27_5NoConfirmationFromAContractorSuccessorOrJointUser) {
  const struct {
    v1::ProviderRole role;
    const char* article;
  } cases[] = {{v1::PROVIDER_CONTRACTOR, "APPI 27(5)(i)"},
               {v1::PROVIDER_SUCCESSOR, "APPI 27(5)(ii)"},
               {v1::PROVIDER_JOINT_USER, "APPI 27(5)(iii)"}};
  for (const auto& c : cases) {
    v1::AcquisitionCheckRequest r = Acquire("third_party", {"name"});
    r.mutable_provider()->set_role(c.role);
    const v1::AcquisitionCheckDecision d = Check(r);
    EXPECT_TRUE(d.allowed()) << c.article;
    const v1::Reason none = Find(d, v1::CONFIRMATION_NOT_REQUIRED);
    EXPECT_EQ(none.clause(), "APPI 30(1)");
    EXPECT_EQ(none.article(), c.article);
    ASSERT_TRUE(d.has_confirmation_record());
    EXPECT_FALSE(d.confirmation_record().required());
    EXPECT_EQ(d.confirmation_record().keep_years(), 0);
  }
  // A third party named as such is confirmed as any other.
  v1::AcquisitionCheckRequest r = Acquire("third_party", {"name"});
  r.mutable_provider()->set_role(v1::PROVIDER_THIRD_PARTY);
  EXPECT_FALSE(Check(r).allowed());
}

// Proviso of 30(1), (3): a provision under a case of 27(1).
TEST(AcquisitionCheck, Appi27_1NoConfirmationUnderALegalGround) {
  v1::AcquisitionCheckRequest r = Acquire("third_party", {"name"});
  r.mutable_provider()->mutable_legal_ground()->set_ground("required_by_law");
  r.mutable_provider()->mutable_legal_ground()->set_reference("Act X");
  const v1::AcquisitionCheckDecision d = Check(r);
  EXPECT_TRUE(d.allowed());
  const v1::Reason none = Find(d, v1::CONFIRMATION_NOT_REQUIRED);
  EXPECT_EQ(none.article(), "APPI 27(1)(i)");
  EXPECT_EQ(none.provision(), "required_by_law");
  EXPECT_THAT(none.message_ja(), HasSubstr("法令に基づく場合"));
}

// A provider is given only with a channel that receives data from a third
// party: anything else is an error naming the field.
TEST(AcquisitionCheck, Appi30AProviderForAnotherChannelIsAnError) {
  v1::AcquisitionCheckRequest r = Referral();
  r.set_channel("public_source");
  EXPECT_THAT(TheEngine().AcquisitionCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("provider")));
  r = Referral();
  r.mutable_provider()->set_role(static_cast<v1::ProviderRole>(9));
  EXPECT_THAT(TheEngine().AcquisitionCheck(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("provider.role")));
}

// --- Every finding together ----------------------------------------------

// Every rule that denies is reported, once each, and nothing that was met.
TEST(AcquisitionCheck, Clause3EveryDenyingRuleIsReportedOnce) {
  v1::AcquisitionCheckRequest r =
      Acquire("third_party", {"name", "health", "location"});
  const v1::AcquisitionCheckDecision d = Check(r);
  EXPECT_FALSE(d.allowed());
  EXPECT_THAT(Codes(d),
              ElementsAre(v1::CATEGORY_NOT_ACQUIRED_BY_CHANNEL,
                          v1::CATEGORY_NOT_ACQUIRED_BY_CHANNEL,
                          v1::ACQUISITION_CONSENT_REQUIRED, v1::NO_CONSENT,
                          v1::ACQUISITION_CONSENT_REQUIRED, v1::NO_CONSENT,
                          v1::CONFIRMATION_MISSING, v1::CONFIRMATION_MISSING,
                          v1::CONFIRMATION_MISSING, v1::CONFIRMATION_MISSING));
}

// A policy without rules of acquisition cannot answer: an error, never an
// allow.
TEST(AcquisitionCheck, Clause3APolicyWithoutRulesOfAcquisitionRefuses) {
  v1::Policy policy = TheEngine().policy();
  policy.clear_acquisition();
  for (v1::AcquisitionChannel& ch : *policy.mutable_acquisition_channels()) {
    ch.clear_from_third_party();
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_THAT((*engine)->AcquisitionCheck(Acquire("paper", {"name"})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("acquisition")));
}

// The schema's rules: the policy fails validation, with the clause, when a
// rule of acquisition names what it does not have.
TEST(AcquisitionCheck, Appi30PolicyNamingAnUnknownRecordKindFailsValidation) {
  v1::Policy policy = TheEngine().policy();
  policy.mutable_acquisition()->mutable_confirmation()->set_retention_kind(
      "confirmation_recrod");
  EXPECT_THAT(Engine::Create(PolicySource::Message(policy)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("confirmation_recrod"),
                             HasSubstr("APPI 30(3)"))));
  policy = TheEngine().policy();
  policy.mutable_acquisition()->mutable_special_care_grounds(0)->set_ground(
      "required_by_lwa");
  EXPECT_THAT(Engine::Create(PolicySource::Message(policy)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("required_by_lwa")));
  policy = TheEngine().policy();
  for (v1::AcquisitionChannel& ch : *policy.mutable_acquisition_channels()) {
    if (ch.id() == "in_person") {
      ch.set_direct(false);
      ch.set_written(true);
    }
  }
  EXPECT_THAT(Engine::Create(PolicySource::Message(policy)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("APPI 21(2)")));
}

// The generated cases of every channel and rule all decide (none is an
// error) and agree with consent_check where they overlap: a category that
// needs consent is allowed only when consent_check with no purposes finds
// it covered.
TEST(AcquisitionCheck, Clause2_4ConsentCoverageAgreesWithConsentCheck) {
  int compared = 0;
  for (const v1::AcquisitionCheckRequest& r :
       ::pip::testing::AcquisitionCheckCases(TheEngine().policy())) {
    absl::StatusOr<v1::AcquisitionCheckDecision> d =
        TheEngine().AcquisitionCheck(r);
    ASSERT_TRUE(d.ok()) << d.status();
    if (r.categories_size() != 1 || r.categories(0) != "location") continue;
    v1::ConsentCheckRequest c;
    c.set_subject_id(r.subject_id());
    c.add_categories("location");
    *c.mutable_consents() = r.consents();
    *c.mutable_as_of() = r.as_of();
    absl::StatusOr<v1::ConsentCheckDecision> cd = TheEngine().ConsentCheck(c);
    ASSERT_TRUE(cd.ok());
    bool required = false;
    for (const v1::Reason& x : d->reasons()) {
      required |= x.code() == v1::ACQUISITION_CONSENT_REQUIRED;
    }
    EXPECT_EQ(required, !cd->valid());
    ++compared;
  }
  EXPECT_GT(compared, 10);
}

}  // namespace
}  // namespace pip
