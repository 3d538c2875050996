// Tests of purpose_allowed (clauses 2, 4, 6, 8.1; APPI 27, 28) through
// pip::Engine::Default(), with requests in the JSON contract of DESIGN.md.
//
// Expected outcomes come from the seed policy text and DESIGN.md ("Rules the
// default policy must encode"), not from the implementation.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/json_requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::pip::testing::ConsentSpec;
using ::pip::testing::IdList;
using ::pip::testing::Quoted;
using ::pip::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr absl::string_view kAsOf = "2026-03-01T12:00:00+09:00";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

// The engine of every test here (the default policy).
constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

std::string ActiveRequest(absl::string_view type, absl::string_view received_at,
                          absl::string_view id = "") {
  std::string j = absl::StrCat("{\"type\": ", Quoted(type),
                               ", \"received_at\": ", Quoted(received_at));
  if (!id.empty()) absl::StrAppend(&j, ", \"id\": ", Quoted(id));
  absl::StrAppend(&j, "}");
  return j;
}

// A purpose_allowed request, as JSON.
struct Query {
  std::string subject_id = "c-1";
  std::string purpose = "direct_mail";  // empty: absent
  std::vector<std::string> categories = {"name", "email"};
  std::string recipient;  // empty: absent (the default recipient)
  bool anonymized = false;
  bool health_service = false;
  bool necessity_documented = false;
  std::vector<std::string> consents;         // JSON objects
  std::vector<std::string> active_requests;  // JSON objects
  std::string as_of = std::string(kAsOf);    // empty: absent
  // legal_ground (APPI 27(1)): given when `ground` is not empty or
  // `with_ground` is set.
  std::string ground;
  std::string reference;
  bool with_ground = false;

  std::string Json() const {
    std::string j = absl::StrCat("{\"subject_id\": ", Quoted(subject_id));
    if (!purpose.empty()) absl::StrAppend(&j, ", \"purpose\": ", Quoted(purpose));
    absl::StrAppend(&j, ", \"categories\": ", IdList(categories));
    if (!recipient.empty()) {
      absl::StrAppend(&j, ", \"recipient\": ", Quoted(recipient));
    }
    absl::StrAppend(&j, ", \"context\": {\"anonymized\": ",
                    anonymized ? "true" : "false", ", \"health_service\": ",
                    health_service ? "true" : "false",
                    ", \"necessity_documented\": ",
                    necessity_documented ? "true" : "false", "}");
    absl::StrAppend(&j, ", \"consents\": [", absl::StrJoin(consents, ", "),
                    "]");
    absl::StrAppend(&j, ", \"active_requests\": [",
                    absl::StrJoin(active_requests, ", "), "]");
    if (!as_of.empty()) absl::StrAppend(&j, ", \"as_of\": ", Quoted(as_of));
    if (!ground.empty() || with_ground) {
      absl::StrAppend(&j, ", \"legal_ground\": {\"ground\": ", Quoted(ground),
                      ", \"reference\": ", Quoted(reference), "}");
    }
    absl::StrAppend(&j, "}");
    return j;
  }
};

// A request in the JSON contract (proto field names; an unknown field is an
// error).
constexpr auto& Parse = ::pip::testing::ParseJson<v1::PurposeAllowedRequest>;

// Checks what every decision carries: the policy's version and hash, and for
// every reason a clause and messages in both languages.
void ExpectWellFormed(const v1::PurposeAllowedDecision& d) {
  EXPECT_EQ(d.policy().version(), "2026-04-01");
  EXPECT_EQ(d.policy().hash().size(), 64u) << d.policy().hash();
  EXPECT_EQ(d.policy().hash().find_first_not_of("0123456789abcdef"),
            std::string::npos)
      << d.policy().hash();
  EXPECT_FALSE(d.reasons().empty()) << "a decision always explains itself";
  for (const v1::Reason& r : d.reasons()) {
    EXPECT_FALSE(r.clause().empty()) << r.ShortDebugString();
    EXPECT_FALSE(r.message_ja().empty()) << r.ShortDebugString();
    EXPECT_FALSE(r.message_en().empty()) << r.ShortDebugString();
  }
}

absl::StatusOr<v1::PurposeAllowedDecision> DecideJson(const std::string& json) {
  absl::StatusOr<v1::PurposeAllowedDecision> d =
      TheEngine().PurposeAllowed(Parse(json));
  if (d.ok()) {
    SCOPED_TRACE(json);
    ExpectWellFormed(*d);
  }
  return d;
}

absl::StatusOr<v1::PurposeAllowedDecision> Decide(const Query& q) {
  return DecideJson(q.Json());
}

std::vector<v1::ReasonCode> Codes(const v1::PurposeAllowedDecision& d) {
  std::vector<v1::ReasonCode> codes;
  for (const v1::Reason& r : d.reasons()) codes.push_back(r.code());
  return codes;
}

// The first reason with `code`; fails the test when there is none.
v1::Reason ReasonWith(const v1::PurposeAllowedDecision& d,
                      v1::ReasonCode code) {
  for (const v1::Reason& r : d.reasons()) {
    if (r.code() == code) return r;
  }
  ADD_FAILURE() << "no reason " << v1::ReasonCode_Name(code) << " in "
                << d.ShortDebugString();
  return v1::Reason();
}

// The vocabulary of DESIGN.md ("Vocabulary of the default policy").
const std::vector<std::string>& AllCategories() {
  static const auto* const v = new std::vector<std::string>{
      // 2.1
      "name", "birth_date", "age", "gender", "nationality", "occupation",
      "affiliation",
      // 2.2
      "home_address", "work_address", "landline_phone", "mobile_phone", "fax",
      "email", "sns_account",
      // 2.3
      "inquiry_content", "consultation_history", "contract",
      "transaction_history", "service_usage", "payment", "survey_answer",
      "review",
      // 2.4
      "ip_address", "mac_address", "browser_info", "os_info", "cookie",
      "access_log", "behavior_history", "location",
      // 2.5
      "recording", "photo_video", "health", "family_structure"};
  return *v;
}

// Categories with a condition of clause 2 (2.4 location; 2.5 health, family
// structure).
bool IsConditionedCategory(const std::string& id) {
  return id == "location" || id == "health" || id == "family_structure";
}

// Purpose id -> the clause of its group (clause 4).
const std::vector<std::pair<std::string, std::string>>& AllPurposes() {
  static const auto* const v =
      new std::vector<std::pair<std::string, std::string>>{
          {"service_contact", "4.1"},
          {"contract_management", "4.1"},
          {"billing", "4.1"},
          {"service_improvement", "4.1"},
          {"customer_support", "4.1"},
          {"after_follow_up", "4.1"},
          {"campaign_notice", "4.2"},
          {"event_invitation", "4.2"},
          {"industry_info", "4.2"},
          {"direct_mail", "4.2"},
          {"sales_follow_up", "4.2"},
          {"market_research", "4.2"},
          {"web_analytics", "4.3"},
          {"usage_analysis", "4.3"},
          {"satisfaction_measurement", "4.3"},
          {"statistics", "4.3"},
          {"new_service_research", "4.3"},
          {"identity_verification", "4.4"},
          {"fraud_prevention", "4.4"},
          {"system_security", "4.4"},
          {"legal_obligation", "4.4"},
          {"dispute_resolution", "4.4"},
      };
  return *v;
}

// ---------------------------------------------------------------------------
// Clause 4: known categories, known purposes
// ---------------------------------------------------------------------------

// Clause 2 / clause 4: the policy has exactly the vocabulary of DESIGN.md.
TEST(PurposeAllowedTest, Clause2And4_VocabularyIsThatOfTheDesign) {
  const v1::Policy policy = TheEngine().policy();
  EXPECT_EQ(policy.categories_size(),
            static_cast<int>(AllCategories().size()));
  EXPECT_EQ(policy.purposes_size(), static_cast<int>(AllPurposes().size()));
}

// Clause 4: any known category may be used for any known purpose unless a rule
// denies it; the permission cites the purpose's group clause.
TEST(PurposeAllowedTest, Clause4_EveryUnconditionedUseIsPermitted) {
  for (const auto& [purpose, group_clause] : AllPurposes()) {
    if (purpose == "statistics") continue;  // 4.3 condition, tested below
    for (const std::string& category : AllCategories()) {
      if (IsConditionedCategory(category)) continue;
      Query q;
      q.purpose = purpose;
      q.categories = {category};
      SCOPED_TRACE(absl::StrCat(category, " for ", purpose));
      const auto d = Decide(q);
      ASSERT_OK(d);
      EXPECT_TRUE(d->allowed());
      ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
      EXPECT_EQ(d->reasons(0).clause(), group_clause);
      EXPECT_EQ(d->reasons(0).purpose(), purpose);
    }
  }
}

// Clause 4: all unconditioned categories at once, for every purpose of 4.1.
TEST(PurposeAllowedTest, Clause4_AllUnconditionedCategoriesTogether) {
  std::vector<std::string> categories;
  for (const std::string& c : AllCategories()) {
    if (!IsConditionedCategory(c)) categories.push_back(c);
  }
  ASSERT_EQ(categories.size(), 31u);
  Query q;
  q.purpose = "contract_management";
  q.categories = categories;
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  EXPECT_EQ(d->reasons(0).clause(), "4.1");
}

// Clause 4.2: direct mail is a marketing purpose.
TEST(PurposeAllowedTest, Clause4_2_DirectMailCitesGroupClause) {
  Query q;  // name + email for direct_mail, internal
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  EXPECT_EQ(d->reasons(0).clause(), "4.2");
  EXPECT_EQ(d->reasons(0).purpose(), "direct_mail");
}

// Unknown ids are errors, never a deny (DESIGN.md, principle 4).
TEST(PurposeAllowedTest, Clause2_UnknownCategoryIsInvalidArgumentWithSuggestion) {
  Query q;
  q.categories = {"name", "emial"};
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("categories[1]"),
                                           HasSubstr("'emial'"))));
  // engine.h: "categories[1]: unknown category 'emial' (did you mean
  // 'email'?)".
  EXPECT_THAT(d.status().message(), HasSubstr("did you mean 'email'"));
}

TEST(PurposeAllowedTest, Clause2_OneLetterTypoSuggestsCategory) {
  Query q;
  q.categories = {"emal"};
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("categories[0]"),
                                           HasSubstr("did you mean 'email'"))));
}

TEST(PurposeAllowedTest, Clause2_FarFromAnyIdGivesNoSuggestion) {
  Query q;
  q.categories = {"shoe_size_of_grandmother"};
  const auto d = Decide(q);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("shoe_size_of_grandmother"),
                                        Not(HasSubstr("did you mean")))));
}

TEST(PurposeAllowedTest, Clause4_UnknownPurposeIsInvalidArgumentWithSuggestion) {
  Query q;
  q.purpose = "direct_mial";
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(
                              HasSubstr("purpose"), HasSubstr("'direct_mial'"),
                              HasSubstr("did you mean 'direct_mail'"))));
}

TEST(PurposeAllowedTest, Clause4_MissingPurposeIsInvalidArgument) {
  Query q;
  q.purpose = "";
  const auto d = Decide(q);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("purpose")));
}

TEST(PurposeAllowedTest, Clause2_EmptyCategoriesIsInvalidArgument) {
  Query q;
  q.categories = {};
  const auto d = Decide(q);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("categories")));
}

// Decisions are a function of as_of: it is required (DESIGN.md, "Time").
TEST(PurposeAllowedTest, MissingAsOfIsInvalidArgument) {
  Query q;
  q.as_of = "";
  const auto d = Decide(q);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

// Clause 8.1: an unknown request type is an error, not silently ignored.
TEST(PurposeAllowedTest, Clause8_1_UnknownRequestTypeIsInvalidArgument) {
  Query q;
  q.active_requests = {ActiveRequest("suspend", "2026-01-10T09:00:00+09:00")};
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("active_requests[0].type")));
}

// Clause 8.1: received_at is required; a request without it is malformed.
TEST(PurposeAllowedTest, Clause8_1_RequestWithoutReceivedAtIsInvalidArgument) {
  Query q;
  q.active_requests = {R"({"type": "suspension", "id": "r-1"})"};
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("active_requests[0].received_at")));
}

// A consent without granted_at is malformed, also in purpose_allowed.
TEST(PurposeAllowedTest, Clause2_4_ConsentWithoutGrantedAtIsInvalidArgument) {
  ConsentSpec c;
  c.granted_at = "";
  Query q;
  q.purpose = "usage_analysis";
  q.categories = {"location"};
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[0].granted_at")));
}

// ---------------------------------------------------------------------------
// Clause 2.4: location only with permission (許可をいただいた場合のみ)
// ---------------------------------------------------------------------------

Query LocationQuery() {
  Query q;
  q.purpose = "usage_analysis";
  q.categories = {"location"};
  return q;
}

TEST(PurposeAllowedTest, Clause2_4_LocationNeedsConsent) {
  const auto d = Decide(LocationQuery());
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  // The requirement, then why no consent qualified.
  ASSERT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::NO_CONSENT));
  EXPECT_EQ(d->reasons(0).category(), "location");
  EXPECT_EQ(d->reasons(0).clause(), "2.4");
}

// 2.4: location is denied also when used together with unconditioned data.
TEST(PurposeAllowedTest, Clause2_4_LocationWithOtherCategoriesStillNeedsConsent) {
  Query q = LocationQuery();
  q.categories = {"name", "ip_address", "location"};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_EQ(ReasonWith(*d, v1::CONSENT_REQUIRED).category(), "location");
}

TEST(PurposeAllowedTest, Clause2_4_LocationAllowedWithValidConsent) {
  ConsentSpec c;
  c.purposes = {"usage_analysis"};
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED));
  EXPECT_EQ(d->reasons(0).clause(), "4.3");
  EXPECT_EQ(d->reasons(1).consent_id(), "k-9");
  EXPECT_EQ(d->reasons(1).category(), "location");
  EXPECT_EQ(d->reasons(1).clause(), "2.4");
}

// 2.4: the consent must cover location; covering the rest is not needed.
TEST(PurposeAllowedTest, Clause2_4_ConsentForLocationSufficesWithOtherData) {
  ConsentSpec c;  // location only, any purpose
  Query q = LocationQuery();
  q.categories = {"name", "location"};
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_EQ(ReasonWith(*d, v1::CONSENT_RELIED).consent_id(), "k-9");
}

// 2.4: a consent that does not name location does not cover it.
TEST(PurposeAllowedTest, Clause2_4_ConsentForOtherCategoryDoesNotCover) {
  ConsentSpec c;
  c.categories = {"ip_address", "cookie"};
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::OUT_OF_SCOPE));
}

TEST(PurposeAllowedTest, Clause2_4_WithdrawnBeforeAsOfDenies) {
  ConsentSpec c;
  c.withdrawn_at = "2026-02-01T00:00:00+09:00";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::WITHDRAWN));
  EXPECT_EQ(d->reasons(0).category(), "location");
  EXPECT_EQ(d->reasons(1).consent_id(), "k-9");
}

// Boundary: a withdrawal after as_of has not happened yet.
TEST(PurposeAllowedTest, Clause2_4_WithdrawnAfterAsOfStillAllows) {
  ConsentSpec c;
  c.withdrawn_at = "2026-03-01T12:00:01+09:00";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

TEST(PurposeAllowedTest, Clause2_4_GrantedAfterAsOfDenies) {
  ConsentSpec c;
  c.granted_at = "2026-03-02T09:00:00+09:00";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::NOT_YET_VALID));
}

TEST(PurposeAllowedTest, Clause2_4_ExpiredConsentDenies) {
  ConsentSpec c;
  c.expires_at = "2026-01-01T00:00:00+09:00";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::EXPIRED));
}

TEST(PurposeAllowedTest, Clause2_4_NotYetExpiredConsentAllows) {
  ConsentSpec c;
  c.expires_at = "2027-01-01T00:00:00+09:00";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

TEST(PurposeAllowedTest, Clause2_4_ConsentOfAnotherSubjectDenies) {
  ConsentSpec c;
  c.subject_id = "c-2";
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d),
              ElementsAre(v1::CONSENT_REQUIRED, v1::SUBJECT_MISMATCH));
}

// Fail closed: a request naming no subject can rely on nobody's consent.
TEST(PurposeAllowedTest, Clause2_4_AnonymousRequestReliesOnNoConsent) {
  ConsentSpec c;
  Query q = LocationQuery();
  q.subject_id = "";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_EQ(ReasonWith(*d, v1::CONSENT_REQUIRED).category(), "location");
}

TEST(PurposeAllowedTest, Clause2_4_ConsentForAnotherPurposeDenies) {
  ConsentSpec c;
  c.purposes = {"web_analytics"};
  Query q = LocationQuery();  // usage_analysis
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::OUT_OF_SCOPE));
}

// The policy's min_consent_version is 1: a version-0 consent is not relied on.
TEST(PurposeAllowedTest, Clause2_4_StaleConsentVersionDenies) {
  ConsentSpec c;
  c.consent_version = 0;
  Query q = LocationQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::STALE_VERSION));
}

// An old withdrawn consent and a newer valid one: the newer is relied on.
TEST(PurposeAllowedTest, Clause2_4_RegrantedConsentAllows) {
  ConsentSpec old_consent;
  old_consent.id = "k-old";
  old_consent.granted_at = "2024-04-01T10:00:00+09:00";
  old_consent.withdrawn_at = "2024-10-01T10:00:00+09:00";
  ConsentSpec new_consent;
  new_consent.id = "k-new";
  new_consent.granted_at = "2025-06-01T10:00:00+09:00";
  Query q = LocationQuery();
  q.consents = {old_consent.Json(), new_consent.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED));
  EXPECT_EQ(d->reasons(1).consent_id(), "k-new");
}

// ---------------------------------------------------------------------------
// Clause 2.5: health only in a health-related service (健康関連サービス提供時のみ)
// ---------------------------------------------------------------------------

Query HealthQuery() {
  ConsentSpec c;
  c.id = "k-h";
  c.categories = {"health"};
  Query q;
  q.purpose = "customer_support";
  q.categories = {"health"};
  q.health_service = true;
  q.consents = {c.Json()};
  return q;
}

TEST(PurposeAllowedTest, Clause2_5_HealthAllowedInHealthServiceWithConsent) {
  const auto d = Decide(HealthQuery());
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED));
  EXPECT_EQ(d->reasons(0).clause(), "4.1");
  EXPECT_EQ(d->reasons(1).consent_id(), "k-h");
  EXPECT_EQ(d->reasons(1).category(), "health");
  EXPECT_EQ(d->reasons(1).clause(), "2.5");
}

// 2.5: every purpose of 4.1 and 4.4 is open to health data, no other.
TEST(PurposeAllowedTest, Clause2_5_HealthOnlyForPurposesOf4_1And4_4) {
  for (const auto& [purpose, group_clause] : AllPurposes()) {
    Query q = HealthQuery();
    q.purpose = purpose;
    q.anonymized = true;  // keep 4.3 statistics' own condition out of it
    SCOPED_TRACE(purpose);
    const auto d = Decide(q);
    ASSERT_OK(d);
    if (group_clause == "4.1" || group_clause == "4.4") {
      EXPECT_TRUE(d->allowed());
      EXPECT_THAT(Codes(*d),
                  ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED));
    } else {
      EXPECT_FALSE(d->allowed());
      ASSERT_THAT(Codes(*d),
                  ElementsAre(v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY));
      EXPECT_EQ(d->reasons(0).category(), "health");
      EXPECT_EQ(d->reasons(0).purpose(), purpose);
      EXPECT_EQ(d->reasons(0).clause(), "2.5");
    }
  }
}

TEST(PurposeAllowedTest, Clause2_5_HealthForDirectMailNotPermitted) {
  Query q = HealthQuery();
  q.purpose = "direct_mail";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY));
  EXPECT_EQ(d->reasons(0).category(), "health");
  EXPECT_EQ(d->reasons(0).purpose(), "direct_mail");
}

TEST(PurposeAllowedTest, Clause2_5_HealthOutsideHealthServiceDenied) {
  Query q = HealthQuery();
  q.health_service = false;
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::NOT_HEALTH_SERVICE));
  EXPECT_EQ(d->reasons(0).category(), "health");
  EXPECT_EQ(d->reasons(0).clause(), "2.5");
}

// 2.5 / APPI 20(2): health data is special care-required; a consent is needed.
TEST(PurposeAllowedTest, Clause2_5_HealthWithoutConsentDenied) {
  Query q = HealthQuery();
  q.consents = {};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::NO_CONSENT));
  EXPECT_EQ(d->reasons(0).category(), "health");
  EXPECT_EQ(d->reasons(0).clause(), "2.5");
}

// 2.5: a consent to location information does not cover health information.
TEST(PurposeAllowedTest, Clause2_5_LocationConsentDoesNotCoverHealth) {
  ConsentSpec c;  // location
  Query q = HealthQuery();
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::CONSENT_REQUIRED, v1::OUT_OF_SCOPE));
}

// 2.5: every failing rule is reported at once.
TEST(PurposeAllowedTest, Clause2_5_HealthReportsEveryFailingRule) {
  Query q = HealthQuery();
  q.health_service = false;
  q.purpose = "campaign_notice";
  q.consents = {};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  // Three rules deny; NO_CONSENT explains CONSENT_REQUIRED.
  EXPECT_THAT(Codes(*d),
              ElementsAre(v1::NOT_HEALTH_SERVICE,
                          v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY,
                          v1::CONSENT_REQUIRED, v1::NO_CONSENT));
  for (const v1::Reason& r : d->reasons()) EXPECT_EQ(r.clause(), "2.5");
}

// ---------------------------------------------------------------------------
// Clause 2.5: family structure only where necessary (必要な場合のみ)
// ---------------------------------------------------------------------------

TEST(PurposeAllowedTest, Clause2_5_FamilyStructureNeedsDocumentedNecessity) {
  Query q;
  q.purpose = "contract_management";
  q.categories = {"family_structure"};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::NECESSITY_NOT_DOCUMENTED));
  EXPECT_EQ(d->reasons(0).category(), "family_structure");
  EXPECT_EQ(d->reasons(0).clause(), "2.5");
}

// Necessity documented: allowed, for any purpose, with no consent needed.
TEST(PurposeAllowedTest, Clause2_5_FamilyStructureWithDocumentedNecessity) {
  for (const std::string purpose : {"contract_management", "direct_mail"}) {
    Query q;
    q.purpose = purpose;
    q.categories = {"family_structure", "name"};
    q.necessity_documented = true;
    SCOPED_TRACE(purpose);
    const auto d = Decide(q);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed());
    EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  }
}

// ---------------------------------------------------------------------------
// Clause 4.3: statistics only after anonymization (匿名化処理後)
// ---------------------------------------------------------------------------

TEST(PurposeAllowedTest, Clause4_3_StatisticsNeedsAnonymizedData) {
  Query q;
  q.purpose = "statistics";
  q.categories = {"age", "gender"};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::NOT_ANONYMIZED));
  EXPECT_EQ(d->reasons(0).purpose(), "statistics");
  EXPECT_EQ(d->reasons(0).clause(), "4.3");
}

TEST(PurposeAllowedTest, Clause4_3_StatisticsOnAnonymizedDataAllowed) {
  Query q;
  q.purpose = "statistics";
  q.categories = {"age", "gender"};
  q.anonymized = true;
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  EXPECT_EQ(d->reasons(0).clause(), "4.3");
}

// 4.3: the other analysis purposes need no anonymization.
TEST(PurposeAllowedTest, Clause4_3_OtherAnalysisPurposesNeedNoAnonymization) {
  for (const std::string purpose :
       {"web_analytics", "usage_analysis", "satisfaction_measurement",
        "new_service_research"}) {
    Query q;
    q.purpose = purpose;
    q.categories = {"age", "gender", "access_log"};
    q.anonymized = false;
    SCOPED_TRACE(purpose);
    const auto d = Decide(q);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed());
    EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  }
}

// 4.3 and 2.5 together: both rules are reported.
TEST(PurposeAllowedTest, Clause4_3And2_5_BothFailingRulesReported) {
  Query q;
  q.purpose = "statistics";
  q.categories = {"family_structure"};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ::testing::UnorderedElementsAre(
                             v1::NOT_ANONYMIZED,
                             v1::NECESSITY_NOT_DOCUMENTED));
}

// ---------------------------------------------------------------------------
// Clause 8.1: suspension of use (利用停止・消去)
// ---------------------------------------------------------------------------

// The first purpose_allowed example of DESIGN.md's JSON contract, verbatim.
TEST(PurposeAllowedTest, Clause8_1_ContractExampleSuspensionBlocksDirectMail) {
  const std::string json = R"json(
    {"subject_id": "c-1", "purpose": "direct_mail", "categories": ["name", "email"],
     "recipient": "internal", "context": {"anonymized": false, "health_service": false, "necessity_documented": false},
     "consents": [], "active_requests": [{"type": "suspension", "received_at": "2026-01-10T09:00:00+09:00"}],
     "as_of": "2026-03-01T12:00:00+09:00"})json";
  const auto d = DecideJson(json);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::SUSPENDED_BY_REQUEST));
  EXPECT_EQ(d->reasons(0).clause(), "8.1");
  EXPECT_EQ(d->reasons(0).request_type(), "suspension");
  EXPECT_EQ(d->reasons(0).purpose(), "direct_mail");
}

TEST(PurposeAllowedTest, Clause8_1_SuspensionNamesTheRequest) {
  Query q;
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-77")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::SUSPENDED_BY_REQUEST));
  EXPECT_EQ(d->reasons(0).clause(), "8.1");
  EXPECT_EQ(d->reasons(0).request_type(), "suspension");
  EXPECT_EQ(d->reasons(0).request_id(), "r-77");
  EXPECT_THAT(d->reasons(0).message_en(), HasSubstr("r-77"));
}

// 8.1: a suspension blocks every purpose except legal obligation and dispute
// resolution.
TEST(PurposeAllowedTest, Clause8_1_SuspensionBlocksEveryOtherPurpose) {
  for (const auto& [purpose, group_clause] : AllPurposes()) {
    Query q;
    q.purpose = purpose;
    q.categories = {"name"};
    q.anonymized = true;  // statistics' own condition holds
    q.active_requests = {
        ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
    SCOPED_TRACE(purpose);
    const auto d = Decide(q);
    ASSERT_OK(d);
    if (purpose == "legal_obligation" || purpose == "dispute_resolution") {
      EXPECT_TRUE(d->allowed());
      EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
    } else {
      EXPECT_FALSE(d->allowed());
      ASSERT_THAT(Codes(*d), ElementsAre(v1::SUSPENDED_BY_REQUEST));
      EXPECT_EQ(d->reasons(0).request_id(), "r-1");
      EXPECT_EQ(d->reasons(0).purpose(), purpose);
    }
  }
}

TEST(PurposeAllowedTest, Clause8_1_SuspensionDoesNotBlockLegalObligation) {
  Query q;
  q.purpose = "legal_obligation";
  q.categories = {"name", "transaction_history"};
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  EXPECT_EQ(d->reasons(0).clause(), "4.4");
}

TEST(PurposeAllowedTest, Clause8_1_SuspensionDoesNotBlockDisputeResolution) {
  Query q;
  q.purpose = "dispute_resolution";
  q.categories = {"name", "inquiry_content"};
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
}

// A request received after as_of is not yet active (decision.proto).
TEST(PurposeAllowedTest, Clause8_1_SuspensionReceivedAfterAsOfDoesNotBlockYet) {
  Query q;
  q.active_requests = {
      ActiveRequest("suspension", "2026-03-01T12:00:01+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
}

// Boundary: received exactly at as_of, it is active.
TEST(PurposeAllowedTest, Clause8_1_SuspensionReceivedAtAsOfBlocks) {
  Query q;
  q.active_requests = {ActiveRequest("suspension", std::string(kAsOf), "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::SUSPENDED_BY_REQUEST));
}

// 8.1: disclosure, correction and purpose notification requests do not stop
// any use.
TEST(PurposeAllowedTest, Clause8_1_OtherRequestTypesDoNotBlock) {
  Query q;
  q.active_requests = {
      ActiveRequest("purpose_notification", "2026-01-10T09:00:00+09:00"),
      ActiveRequest("disclosure", "2026-01-10T09:00:00+09:00"),
      ActiveRequest("correction", "2026-01-10T09:00:00+09:00"),
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
}

// A suspension does not replace the other rules: a location use without
// consent reports both.
TEST(PurposeAllowedTest, Clause8_1And2_4_SuspensionAndMissingConsentBothReported) {
  Query q = LocationQuery();
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ::testing::UnorderedElementsAre(
                             v1::SUSPENDED_BY_REQUEST, v1::CONSENT_REQUIRED,
                             v1::NO_CONSENT));
}

// A suspension denies even where a consent would allow: the consent relied on
// is not listed as a reason of a denial.
TEST(PurposeAllowedTest, Clause8_1_SuspensionOverridesConsent) {
  ConsentSpec c;
  Query q = LocationQuery();
  q.consents = {c.Json()};
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::SUSPENDED_BY_REQUEST));
}

// ---------------------------------------------------------------------------
// Recipients: clause 6 (contractor), APPI 27 / 28 and 8.1 third-party stop
// ---------------------------------------------------------------------------

// Clause 6: a contractor is governed by clause 6; no consent is needed (and,
// entrustment not being provision to a third party, APPI 27(5)(i), no
// provision record).
TEST(PurposeAllowedTest, Clause6_ContractorAllowedWithoutConsent) {
  Query q;
  q.recipient = "contractor";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED,
                                     v1::PROVISION_RECORD_NOT_REQUIRED));
  EXPECT_EQ(d->reasons(0).clause(), "4.2");
}

// Clause 6 / 8.1: a third-party stop request does not concern a contractor.
TEST(PurposeAllowedTest, Clause6_ThirdPartyStopDoesNotBlockContractor) {
  Query q;
  q.recipient = "contractor";
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

// APPI 27: provision to a third party needs a consent.
TEST(PurposeAllowedTest, Appi27_ThirdPartyWithoutConsentDenied) {
  Query q;
  q.recipient = "third_party";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::NO_CONSENT));
  EXPECT_EQ(d->reasons(0).recipient(), "third_party");
  EXPECT_EQ(d->reasons(0).clause(), "APPI 27");
}

// APPI 27: a consent that names the third party allows the provision.
TEST(PurposeAllowedTest, Appi27_ThirdPartyWithNamedConsentAllowed) {
  ConsentSpec c;
  c.id = "k-tp";
  c.categories = {"name", "email"};
  c.recipients = {"third_party"};
  Query q;
  q.recipient = "third_party";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  // The consent is relied on for each category provided; the provision
  // must be recorded (APPI 29(1)).
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED,
                          v1::CONSENT_RELIED, v1::PROVISION_RECORD_REQUIRED));
  EXPECT_EQ(d->reasons(1).consent_id(), "k-tp");
  EXPECT_EQ(d->reasons(1).recipient(), "third_party");
  EXPECT_EQ(d->reasons(1).category(), "name");
  EXPECT_EQ(d->reasons(2).category(), "email");
  ASSERT_EQ(d->covered_by_size(), 2);
  EXPECT_EQ(d->covered_by(1).consent_id(), "k-tp");
}

// An empty recipients list means internal use only (DESIGN.md).
TEST(PurposeAllowedTest, Appi27_ConsentWithEmptyRecipientsDoesNotCoverThirdParty) {
  ConsentSpec c;
  c.categories = {};  // any category
  c.purposes = {};    // any purpose
  c.recipients = {};  // internal only
  Query q;
  q.recipient = "third_party";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::OUT_OF_SCOPE));
  EXPECT_EQ(d->reasons(0).recipient(), "third_party");
  EXPECT_EQ(d->reasons(1).consent_id(), "k-9");
}

// 8.1: an active third-party stop blocks the provision even with a consent.
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopBlocksEvenWithConsent) {
  ConsentSpec c;
  c.categories = {};
  c.recipients = {"third_party"};
  Query q;
  q.recipient = "third_party";
  q.consents = {c.Json()};
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::THIRD_PARTY_STOPPED));
  EXPECT_EQ(d->reasons(0).clause(), "8.1");
  EXPECT_EQ(d->reasons(0).recipient(), "third_party");
  EXPECT_EQ(d->reasons(0).request_type(), "third_party_stop");
  EXPECT_EQ(d->reasons(0).request_id(), "r-2");
}

// 8.1: stopping provision to third parties covers overseas third parties.
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopBlocksOverseasThirdParty) {
  ConsentSpec c;
  c.categories = {};
  c.recipients = {"overseas_third_party"};
  Query q;
  q.recipient = "overseas_third_party";
  q.consents = {c.Json()};
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::THIRD_PARTY_STOPPED));
  EXPECT_EQ(d->reasons(0).recipient(), "overseas_third_party");
}

// 8.1: a third-party stop does not concern internal use.
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopDoesNotBlockInternalUse) {
  for (const std::string recipient : {"internal", ""}) {
    Query q;
    q.recipient = recipient;
    q.active_requests = {
        ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
    SCOPED_TRACE(absl::StrCat("recipient '", recipient, "'"));
    const auto d = Decide(q);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed());
    EXPECT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED));
  }
}

// A third-party stop received after as_of is not yet active.
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopReceivedAfterAsOfDoesNotBlockYet) {
  ConsentSpec c;
  c.categories = {};
  c.recipients = {"third_party"};
  Query q;
  q.recipient = "third_party";
  q.consents = {c.Json()};
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-03-02T00:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

// APPI 28: overseas provision needs a consent that names overseas provision.
TEST(PurposeAllowedTest, Appi28_OverseasNeedsConsentNamingOverseas) {
  ConsentSpec c;
  c.categories = {};
  c.recipients = {"third_party"};
  Query q;
  q.recipient = "overseas_third_party";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::OUT_OF_SCOPE));
  EXPECT_EQ(d->reasons(0).recipient(), "overseas_third_party");
  EXPECT_EQ(d->reasons(0).clause(), "APPI 28");
}

TEST(PurposeAllowedTest, Appi28_OverseasWithNamedConsentAllowed) {
  ConsentSpec c;
  c.id = "k-os";
  c.categories = {};
  c.recipients = {"overseas_third_party"};
  Query q;
  q.recipient = "overseas_third_party";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  // Relied on for each category provided (the query's name and email); the
  // provision must be recorded (APPI 29(1)).
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED,
                          v1::CONSENT_RELIED, v1::PROVISION_RECORD_REQUIRED));
  EXPECT_EQ(d->reasons(1).consent_id(), "k-os");
  EXPECT_EQ(d->reasons(1).recipient(), "overseas_third_party");
}

// APPI 27: the consent to provision must itself be valid (not withdrawn).
TEST(PurposeAllowedTest, Appi27_WithdrawnThirdPartyConsentDenied) {
  ConsentSpec c;
  c.categories = {};
  c.recipients = {"third_party"};
  c.withdrawn_at = "2026-02-01T00:00:00+09:00";
  Query q;
  q.recipient = "third_party";
  q.consents = {c.Json()};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::WITHDRAWN));
}

TEST(PurposeAllowedTest, UnknownRecipientIsInvalidArgument) {
  Query q;
  q.recipient = "partner_company";
  const auto d = Decide(q);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("recipient"),
                                           HasSubstr("partner_company"))));
}

// An empty recipient is the default recipient, internal use: the same
// decision as "internal", and a consent with no recipients covers it.
TEST(PurposeAllowedTest, EmptyRecipientMeansInternal) {
  ConsentSpec c;  // location, recipients []
  for (const std::string recipient : {"", "internal"}) {
    Query q = LocationQuery();
    q.recipient = recipient;
    q.consents = {c.Json()};
    SCOPED_TRACE(absl::StrCat("recipient '", recipient, "'"));
    const auto d = Decide(q);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed());
    EXPECT_THAT(Codes(*d),
                ElementsAre(v1::PURPOSE_PERMITTED, v1::CONSENT_RELIED));
  }
}

// ---------------------------------------------------------------------------
// Every decision: policy version and hash, messages
// ---------------------------------------------------------------------------

TEST(PurposeAllowedTest, DecisionCarriesPolicyVersionAndHash) {
  const auto allowed = Decide(Query());
  ASSERT_OK(allowed);
  const auto denied = Decide(LocationQuery());
  ASSERT_OK(denied);
  for (const auto* d : {&*allowed, &*denied}) {
    EXPECT_EQ(d->policy().version(), "2026-04-01");
    EXPECT_EQ(d->policy().hash(), TheEngine().policy_hash());
    EXPECT_EQ(d->policy().hash().size(), 64u);
    EXPECT_EQ(d->policy().hash().find_first_not_of("0123456789abcdef"),
              std::string::npos);
  }
}

// Every reason of a decision that fails every rule at once has both messages.
TEST(PurposeAllowedTest, EveryReasonHasMessagesInBothLanguages) {
  ConsentSpec stale;
  stale.id = "k-stale";
  stale.categories = {};
  stale.consent_version = 0;
  Query q;
  q.purpose = "statistics";
  q.categories = {"location", "health", "family_structure"};
  q.recipient = "third_party";
  q.consents = {stale.Json()};
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1"),
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  // Each rule of the policy that denies is reported.
  const std::vector<v1::ReasonCode> codes = Codes(*d);
  for (const v1::ReasonCode code :
       {v1::SUSPENDED_BY_REQUEST, v1::THIRD_PARTY_STOPPED, v1::NOT_ANONYMIZED,
        v1::CONSENT_REQUIRED, v1::NOT_HEALTH_SERVICE,
        v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY, v1::NECESSITY_NOT_DOCUMENTED,
        v1::RECIPIENT_CONSENT_REQUIRED, v1::STALE_VERSION}) {
    EXPECT_THAT(codes, ::testing::Contains(code)) << v1::ReasonCode_Name(code);
  }
  EXPECT_THAT(codes, Not(::testing::Contains(v1::PURPOSE_PERMITTED)));
  EXPECT_THAT(codes, Not(::testing::Contains(v1::CONSENT_RELIED)));
  for (const v1::Reason& r : d->reasons()) {
    EXPECT_FALSE(r.message_ja().empty()) << r.ShortDebugString();
    EXPECT_FALSE(r.message_en().empty()) << r.ShortDebugString();
  }
}

// ---------------------------------------------------------------------------
// APPI 27(1), 28(1): provision without consent under a case of the Act
// (法令に基づく場合等を除き), and the records of provision (APPI 29)
// ---------------------------------------------------------------------------

// A consent that names `recipient` for name and email.
std::string ConsentNaming(absl::string_view recipient) {
  ConsentSpec c;
  c.id = "k-tp";
  c.categories = {"name", "email"};
  c.recipients = {std::string(recipient)};
  return c.Json();
}

// APPI 27(1)(i): a provision required by law needs no consent; the
// decision cites the policy's clause (APPI 27: 法令に基づく場合等を除き) and
// the item of the Act, and names the ground.
TEST(PurposeAllowedTest, Appi27_1_i_LegalObligationToThirdPartyAllowedWithoutConsent) {
  Query q;
  q.purpose = "legal_obligation";
  q.recipient = "third_party";
  q.ground = "required_by_law";
  q.reference = "刑事訴訟法197条2項 捜査関係事項照会 2026-041";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED,
                                     v1::LEGAL_GROUND_APPLIES,
                                     v1::PROVISION_RECORD_NOT_REQUIRED));
  const v1::Reason& ground = d->reasons(1);
  EXPECT_EQ(ground.clause(), "APPI 27");
  EXPECT_EQ(ground.article(), "APPI 27(1)(i)");
  EXPECT_EQ(ground.provision(), "required_by_law");
  EXPECT_EQ(ground.recipient(), "third_party");
  EXPECT_THAT(ground.message_ja(), HasSubstr("法令に基づく場合"));
  EXPECT_TRUE(d->covered_by().empty());
}

// Without a ground nothing changes: legal_obligation to a third party
// without consent is denied (APPI 27(1)).
TEST(PurposeAllowedTest, Appi27_1_NoGroundLegalObligationToThirdPartyStillDenied) {
  Query q;
  q.purpose = "legal_obligation";
  q.recipient = "third_party";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::NO_CONSENT));
  EXPECT_FALSE(d->has_provision_record());
}

// APPI 27(1)(ii)-(iv): each case of the Act the policy lists cites its item.
TEST(PurposeAllowedTest, Appi27_1_EveryGroundCitesItsItem) {
  const std::pair<const char*, const char*> grounds[] = {
      {"required_by_law", "APPI 27(1)(i)"},
      {"protection_of_life_body_property", "APPI 27(1)(ii)"},
      {"public_health_or_children", "APPI 27(1)(iii)"},
      {"cooperation_with_public_body", "APPI 27(1)(iv)"},
  };
  for (const auto& [ground, article] : grounds) {
    SCOPED_TRACE(ground);
    Query q;
    q.recipient = "third_party";
    q.ground = ground;
    q.reference = "case 1";
    const auto d = Decide(q);
    ASSERT_OK(d);
    EXPECT_TRUE(d->allowed());
    const v1::Reason r = ReasonWith(*d, v1::LEGAL_GROUND_APPLIES);
    EXPECT_EQ(r.article(), article);
    EXPECT_EQ(r.provision(), ground);
  }
}

// 8.1; APPI 35(3): a third-party stop lies against provision that breaks
// the Act; a provision under 27(1) does not, and it is not blocked.
TEST(PurposeAllowedTest, Appi27_1_GroundNotBlockedByThirdPartyStop) {
  Query q;
  q.purpose = "legal_obligation";
  q.recipient = "third_party";
  q.ground = "required_by_law";
  q.reference = "裁判所の文書送付嘱託 令和8年(ワ)第100号";
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), Not(::testing::Contains(v1::THIRD_PARTY_STOPPED)));
}

// 8.1; APPI 35(1): nor does a suspension request block a use under 27(1).
TEST(PurposeAllowedTest, Appi27_1_GroundNotBlockedBySuspension) {
  Query q;
  q.purpose = "fraud_prevention";
  q.recipient = "third_party";
  q.ground = "protection_of_life_body_property";
  q.reference = "不正送金被害の拡大防止 2026-03-01";
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), Not(::testing::Contains(v1::SUSPENDED_BY_REQUEST)));
}

// Without a ground the third-party stop still blocks (8.1).
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopStillBlocksWithoutGround) {
  Query q;
  q.purpose = "legal_obligation";
  q.recipient = "third_party";
  q.consents = {ConsentNaming("third_party")};
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::THIRD_PARTY_STOPPED));
}

// APPI 28(1) 「前条第一項各号に掲げる場合を除くほか」: the cases of 27(1) apply
// to provision abroad too, citing the policy's clause APPI 28.
TEST(PurposeAllowedTest, Appi28_1_GroundAllowsOverseasThirdPartyWithoutConsent) {
  Query q;
  q.recipient = "overseas_third_party";
  q.ground = "cooperation_with_public_body";
  q.reference = "税務署長からの照会 2026-7";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  const v1::Reason r = ReasonWith(*d, v1::LEGAL_GROUND_APPLIES);
  EXPECT_EQ(r.clause(), "APPI 28");
  EXPECT_EQ(r.article(), "APPI 27(1)(iv)");
  ASSERT_TRUE(d->has_provision_record());
  EXPECT_FALSE(d->provision_record().required());
}

// A ground lifts consent only: the policy's other conditions stay (4.3
// statistics on anonymized data only).
TEST(PurposeAllowedTest, Appi27_1_GroundDoesNotLiftOtherConditions) {
  Query q;
  q.purpose = "statistics";
  q.recipient = "third_party";
  q.ground = "required_by_law";
  q.reference = "統計法に基づく調査";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::NOT_ANONYMIZED));
  EXPECT_FALSE(d->has_provision_record());
}

// An unknown ground id is an input error naming the field, with a
// suggestion, like every unknown id.
TEST(PurposeAllowedTest, Appi27_1_UnknownGroundIsInvalidArgumentWithSuggestion) {
  Query q;
  q.recipient = "third_party";
  q.ground = "required_by_laws";
  q.reference = "case 1";
  const auto d = Decide(q);
  EXPECT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("legal_ground.ground"),
                                           HasSubstr("required_by_laws"),
                                           HasSubstr("required_by_law'"))));
}

// A ground without a reference (which law, which case) is refused; so is a
// blank one and a ground with no id.
TEST(PurposeAllowedTest, Appi27_1_EmptyReferenceIsInvalidArgument) {
  for (const char* reference : {"", "   "}) {
    Query q;
    q.recipient = "third_party";
    q.ground = "required_by_law";
    q.reference = reference;
    q.with_ground = true;
    SCOPED_TRACE(absl::StrCat("reference '", reference, "'"));
    EXPECT_THAT(Decide(q),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("legal_ground.reference")));
  }
  Query q;
  q.recipient = "third_party";
  q.reference = "case 1";
  q.with_ground = true;
  EXPECT_THAT(Decide(q), StatusIs(absl::StatusCode::kInvalidArgument,
                                  HasSubstr("legal_ground.ground")));
}

// APPI 29(1), (2); 施行規則 21: provision to a third party on consent must be
// recorded; the record is kept 3 years from the day it is made, or 1 year
// from the last provision where the contract document serves as the record.
TEST(PurposeAllowedTest, Appi29_1_ThirdPartyOnConsentNeedsProvisionRecord) {
  Query q;
  q.recipient = "third_party";
  q.consents = {ConsentNaming("third_party")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  const v1::Reason r = ReasonWith(*d, v1::PROVISION_RECORD_REQUIRED);
  EXPECT_EQ(r.clause(), "APPI 29(1)");
  EXPECT_EQ(r.article(), "施行規則 21");
  EXPECT_EQ(r.recipient(), "third_party");
  EXPECT_THAT(r.message_ja(), HasSubstr("3年間"));
  EXPECT_THAT(r.message_ja(), HasSubstr("1年間"));
  EXPECT_THAT(r.message_en(), HasSubstr("3 years"));
  ASSERT_TRUE(d->has_provision_record());
  const v1::ProvisionRecordDuty& duty = d->provision_record();
  EXPECT_TRUE(duty.required());
  EXPECT_EQ(duty.article(), "APPI 29(1)");
  EXPECT_EQ(duty.retention_kind(), "provision_record");
  EXPECT_EQ(duty.keep_years(), 3);
  EXPECT_EQ(duty.contract_document_keep_years(), 1);
  EXPECT_EQ(duty.period_article(), "施行規則 21");
  // The record reason comes last, after the reliance on the consent.
  EXPECT_EQ(d->reasons(d->reasons_size() - 1).code(),
            v1::PROVISION_RECORD_REQUIRED);
}

// APPI 29(1): provision abroad on consent (APPI 28(1)) is recorded too.
TEST(PurposeAllowedTest, Appi29_1_OverseasThirdPartyOnConsentNeedsProvisionRecord) {
  Query q;
  q.recipient = "overseas_third_party";
  q.consents = {ConsentNaming("overseas_third_party")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_TRUE(d->provision_record().required());
}

// Proviso of APPI 29(1): a provision under a case of 27(1) needs no record.
TEST(PurposeAllowedTest, Appi29_1_GroundOf27_1NeedsNoProvisionRecord) {
  Query q;
  q.recipient = "third_party";
  q.ground = "public_health_or_children";
  q.reference = "児童相談所からの照会 2026-12";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  const v1::Reason r = ReasonWith(*d, v1::PROVISION_RECORD_NOT_REQUIRED);
  EXPECT_EQ(r.clause(), "APPI 29(1)");
  EXPECT_EQ(r.article(), "APPI 27(1)(iii)");
  EXPECT_EQ(r.provision(), "public_health_or_children");
  EXPECT_THAT(r.message_ja(), HasSubstr("ただし書"));
  ASSERT_TRUE(d->has_provision_record());
  EXPECT_FALSE(d->provision_record().required());
  EXPECT_EQ(d->provision_record().article(), "APPI 29(1)");
  EXPECT_EQ(d->provision_record().keep_years(), 0);
  EXPECT_EQ(d->provision_record().retention_kind(), "");
}

// APPI 27(5)(i), proviso of 29(1): entrusting a contractor in Japan is not
// provision to a third party; no record.
TEST(PurposeAllowedTest, Appi29_1_DomesticContractorNeedsNoProvisionRecord) {
  Query q;
  q.recipient = "contractor";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED,
                                     v1::PROVISION_RECORD_NOT_REQUIRED));
  EXPECT_EQ(d->reasons(1).recipient(), "contractor");
  EXPECT_EQ(d->reasons(1).article(), "");
  ASSERT_TRUE(d->has_provision_record());
  EXPECT_FALSE(d->provision_record().required());
}

// APPI 28(1): a contractor abroad without a system meeting the standards
// needs the person's consent to provision abroad ...
TEST(PurposeAllowedTest, Appi28_1_OverseasContractorNeedsConsent) {
  Query q;
  q.recipient = "overseas_contractor";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  ASSERT_THAT(Codes(*d),
              ElementsAre(v1::RECIPIENT_CONSENT_REQUIRED, v1::NO_CONSENT));
  EXPECT_EQ(d->reasons(0).clause(), "APPI 28(1)");
}

// ... and, relied on through that consent, must be recorded: the proviso
// of APPI 29(1) names only the cases of 27(1) for a provision under 28(1).
TEST(PurposeAllowedTest, Appi29_1_OverseasContractorByConsentNeedsProvisionRecord) {
  Query q;
  q.recipient = "overseas_contractor";
  q.consents = {ConsentNaming("overseas_contractor")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_THAT(Codes(*d), ::testing::Contains(v1::PROVISION_RECORD_REQUIRED));
  EXPECT_TRUE(d->provision_record().required());
}

// APPI 28(1): a contractor abroad with a system meeting the standards
// (equivalent measures) is entrusted as in Japan (27(5)(i)): no consent, no
// record.
TEST(PurposeAllowedTest, Appi28_1_OverseasContractorWithEquivalentMeasuresNeedsNoRecord) {
  Query q;
  q.recipient = "overseas_contractor_equivalent_measures";
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED,
                                     v1::PROVISION_RECORD_NOT_REQUIRED));
  EXPECT_FALSE(d->provision_record().required());
}

// 8.1: a third-party stop blocks a contractor abroad relied on through
// consent (a third party in a foreign country, APPI 28(1)).
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopBlocksOverseasContractorByConsent) {
  Query q;
  q.recipient = "overseas_contractor";
  q.consents = {ConsentNaming("overseas_contractor")};
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_FALSE(d->allowed());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::THIRD_PARTY_STOPPED));
}

// APPI 18(3)(i): the same case lifts a suspension for internal use (use
// beyond the purpose); internal use is no provision, so no record duty.
TEST(PurposeAllowedTest, Appi18_3_GroundForInternalUseNotBlockedBySuspension) {
  Query q;
  q.purpose = "fraud_prevention";
  q.ground = "required_by_law";
  q.reference = "犯罪収益移転防止法8条 疑わしい取引の届出";
  q.active_requests = {
      ActiveRequest("suspension", "2026-01-10T09:00:00+09:00", "r-1")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  ASSERT_THAT(Codes(*d), ElementsAre(v1::PURPOSE_PERMITTED,
                                     v1::LEGAL_GROUND_APPLIES));
  // A use beyond the purposes, not a provision: APPI 18(3)(i) is cited.
  EXPECT_EQ(d->reasons(1).clause(), "APPI 18(3)(i)");
  EXPECT_EQ(d->reasons(1).article(), "");
  EXPECT_EQ(d->reasons(1).recipient(), "internal");
  EXPECT_FALSE(d->has_provision_record());
}

// 8.1: a third-party stop does not concern a contractor abroad entrusted
// under equivalent measures (APPI 28(1) does not apply; 27(5)(i)).
TEST(PurposeAllowedTest, Clause8_1_ThirdPartyStopDoesNotBlockEquivalentMeasuresContractor) {
  Query q;
  q.recipient = "overseas_contractor_equivalent_measures";
  q.active_requests = {
      ActiveRequest("third_party_stop", "2026-01-10T09:00:00+09:00", "r-2")};
  const auto d = Decide(q);
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
}

// Internal use is no provision: no record duty.
TEST(PurposeAllowedTest, Appi29_1_InternalUseHasNoProvisionRecord) {
  const auto d = Decide(Query());
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_FALSE(d->has_provision_record());
}

}  // namespace
}  // namespace pip
