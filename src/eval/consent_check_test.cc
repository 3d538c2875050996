// Tests of consent_check (clauses 2.4, 2.5; APPI 20(2), 27, 28) through
// pip::Engine::ConsentCheck, with requests in the JSON contract of DESIGN.md.
//
// A consent is valid at as_of iff granted_at <= as_of, it was not withdrawn
// at or before as_of, it has not expired, its scope covers the query, its
// subject matches and its version is not older than the policy's
// min_consent_version (1 in the default policy). DESIGN.md, consent_check.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
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
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

constexpr absl::string_view kAsOf = "2026-03-01T12:00:00+09:00";

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

// The engine of every test here (the default policy).
constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

// A consent_check request, as JSON. Defaults: the contract example's query.
struct Check {
  std::string subject_id = "c-1";  // empty: absent
  std::vector<std::string> categories = {"location"};
  std::vector<std::string> purposes = {"usage_analysis"};
  std::string recipient = "internal";  // empty: absent
  std::vector<ConsentSpec> consents = {ConsentSpec()};
  std::string as_of = std::string(kAsOf);  // empty: absent

  std::string Json() const {
    std::string j = "{";
    if (!subject_id.empty()) {
      absl::StrAppend(&j, "\"subject_id\": ", Quoted(subject_id), ", ");
    }
    absl::StrAppend(&j, "\"categories\": ", IdList(categories),
                    ", \"purposes\": ", IdList(purposes));
    if (!recipient.empty()) {
      absl::StrAppend(&j, ", \"recipient\": ", Quoted(recipient));
    }
    absl::StrAppend(
        &j, ", \"consents\": [",
        absl::StrJoin(consents, ", ",
                      [](std::string* out, const ConsentSpec& c) {
                        absl::StrAppend(out, c.Json());
                      }),
        "]");
    if (!as_of.empty()) absl::StrAppend(&j, ", \"as_of\": ", Quoted(as_of));
    absl::StrAppend(&j, "}");
    return j;
  }
};

// A request in the JSON contract (proto field names; an unknown field is an
// error).
constexpr auto& Parse = ::pip::testing::ParseJson<v1::ConsentCheckRequest>;

// What every decision carries: the policy's version and hash; a valid one
// names its consent and gives no reasons; an invalid one names none and
// explains itself, each reason with a clause and both messages.
void ExpectWellFormed(const v1::ConsentCheckDecision& d) {
  EXPECT_EQ(d.policy().version(), "2026-04-01");
  EXPECT_EQ(d.policy().hash(), TheEngine().policy_hash());
  EXPECT_EQ(d.policy().hash().size(), 64u) << d.policy().hash();
  EXPECT_EQ(d.policy().hash().find_first_not_of("0123456789abcdef"),
            std::string::npos)
      << d.policy().hash();
  if (d.valid()) {
    EXPECT_FALSE(d.consent_id().empty());
    EXPECT_THAT(d.reasons(), IsEmpty());
    // Every category is covered, the first by the consent named.
    ASSERT_FALSE(d.covered_by().empty());
    EXPECT_EQ(d.covered_by(0).consent_id(), d.consent_id());
  } else {
    EXPECT_TRUE(d.consent_id().empty()) << d.consent_id();
    EXPECT_FALSE(d.reasons().empty());
    EXPECT_THAT(d.covered_by(), IsEmpty());
  }
  for (const v1::Reason& r : d.reasons()) {
    EXPECT_FALSE(r.clause().empty()) << r.ShortDebugString();
    EXPECT_FALSE(r.message_ja().empty()) << r.ShortDebugString();
    EXPECT_FALSE(r.message_en().empty()) << r.ShortDebugString();
    // Every reason but NO_CONSENT names its consent (decision.proto).
    if (r.code() == v1::NO_CONSENT) {
      EXPECT_TRUE(r.consent_id().empty()) << r.ShortDebugString();
    } else {
      EXPECT_FALSE(r.consent_id().empty()) << r.ShortDebugString();
    }
  }
}

absl::StatusOr<v1::ConsentCheckDecision> DecideJson(const std::string& json) {
  absl::StatusOr<v1::ConsentCheckDecision> d =
      TheEngine().ConsentCheck(Parse(json));
  if (d.ok()) {
    SCOPED_TRACE(json);
    ExpectWellFormed(*d);
  }
  return d;
}

absl::StatusOr<v1::ConsentCheckDecision> Decide(const Check& c) {
  return DecideJson(c.Json());
}

std::vector<v1::ReasonCode> Codes(const v1::ConsentCheckDecision& d) {
  std::vector<v1::ReasonCode> codes;
  for (const v1::Reason& r : d.reasons()) codes.push_back(r.code());
  return codes;
}

// "CODE consent_id" for each reason.
std::vector<std::string> CodesAndIds(const v1::ConsentCheckDecision& d) {
  std::vector<std::string> out;
  for (const v1::Reason& r : d.reasons()) {
    out.push_back(absl::StrCat(v1::ReasonCode_Name(r.code()), " ",
                               r.consent_id()));
  }
  return out;
}

// A check of the contract example with the one consent changed by `edit`.
template <typename Edit>
Check WithConsent(Edit edit) {
  Check c;
  edit(c.consents[0]);
  return c;
}

// ---------------------------------------------------------------------------
// The contract example
// ---------------------------------------------------------------------------

// DESIGN.md, "The JSON contract": the consent_check example, verbatim.
TEST(ConsentCheckTest, Clause2_4_ContractExample) {
  const std::string json = R"json(
    {"subject_id": "c-1", "categories": ["location"], "purposes": ["usage_analysis"], "recipient": "internal",
     "consents": [{"id": "k-9", "subject_id": "c-1", "categories": ["location"], "purposes": [], "recipients": [],
       "granted_at": "2025-04-01T10:00:00+09:00", "withdrawn_at": null, "expires_at": null, "consent_version": 1}],
     "as_of": "2026-03-01T12:00:00+09:00"})json";
  const auto d = DecideJson(json);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-9");
  EXPECT_THAT(d->reasons(), IsEmpty());
  EXPECT_EQ(d->policy().version(), "2026-04-01");
}

// The helper builds the same request as the verbatim example.
TEST(ConsentCheckTest, Clause2_4_HelperDefaultsAreTheContractExample) {
  const auto d = Decide(Check());
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-9");
}

// ---------------------------------------------------------------------------
// Each failure code
// ---------------------------------------------------------------------------

TEST(ConsentCheckTest, Clause2_4_NoConsent) {
  Check c;
  c.consents = {};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_EQ(d->consent_id(), "");
  ASSERT_THAT(Codes(*d), ElementsAre(v1::NO_CONSENT));
  // Location needs a consent by clause 2.4.
  EXPECT_EQ(d->reasons(0).clause(), "2.4");
}

TEST(ConsentCheckTest, Clause2_4_WithdrawnBeforeAsOf) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.withdrawn_at = "2026-02-01T00:00:00+09:00";
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("WITHDRAWN k-9"));
}

// "not withdrawn at or before as_of": withdrawn exactly at as_of counts.
TEST(ConsentCheckTest, Clause2_4_WithdrawnExactlyAtAsOf) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.withdrawn_at = std::string(kAsOf); }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("WITHDRAWN k-9"));
}

TEST(ConsentCheckTest, Clause2_4_WithdrawnOneSecondAfterAsOfIsStillValid) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.withdrawn_at = "2026-03-01T12:00:01+09:00";
  }));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-9");
}

// The same instant in another offset is the same instant.
TEST(ConsentCheckTest, Clause2_4_WithdrawnAtAsOfWrittenInUtc) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.withdrawn_at = "2026-03-01T03:00:00Z"; }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::WITHDRAWN));
}

// expires_at == as_of: the consent has expired.
TEST(ConsentCheckTest, Clause2_4_ExpiresExactlyAtAsOf) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.expires_at = std::string(kAsOf); }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("EXPIRED k-9"));
}

TEST(ConsentCheckTest, Clause2_4_ExpiredBeforeAsOf) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.expires_at = "2025-12-31T23:59:59+09:00";
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("EXPIRED k-9"));
}

TEST(ConsentCheckTest, Clause2_4_ExpiresOneSecondAfterAsOfIsStillValid) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.expires_at = "2026-03-01T12:00:01+09:00";
  }));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
}

// granted_at <= as_of: granted one second after as_of is not yet valid.
TEST(ConsentCheckTest, Clause2_4_GrantedOneSecondAfterAsOfIsNotYetValid) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.granted_at = "2026-03-01T12:00:01+09:00";
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("NOT_YET_VALID k-9"));
}

TEST(ConsentCheckTest, Clause2_4_GrantedExactlyAtAsOfIsValid) {
  const auto d = Decide(
      WithConsent([](ConsentSpec& k) { k.granted_at = std::string(kAsOf); }));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-9");
}

TEST(ConsentCheckTest, Clause2_4_CategoryNotInScope) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.categories = {"ip_address", "cookie"};
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
}

// The consent must cover every category of the query.
TEST(ConsentCheckTest, Clause2_4_OneOfTwoCategoriesNotInScope) {
  Check c;
  c.categories = {"location", "behavior_history"};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
}

// An empty categories list in a consent's scope means any category, but
// location (2.4, 許可) and health (APPI 20(2)) need a consent naming them.
TEST(ConsentCheckTest, Clause2_4_Appi20_2_EmptyCategoriesScopeCoversAnyButLocationAndHealth) {
  Check c;
  c.categories = {"family_structure", "name"};
  c.purposes = {"customer_support"};
  c.consents[0].categories = {};
  auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  ASSERT_EQ(d->covered_by_size(), 2);
  EXPECT_EQ(d->covered_by(0).category(), "name");
  EXPECT_EQ(d->covered_by(1).category(), "family_structure");

  c.categories = {"location", "health", "family_structure", "name"};
  d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("CATEGORY_NOT_NAMED k-9",
                                           "CATEGORY_NOT_NAMED k-9"));
  EXPECT_EQ(d->reasons(0).category(), "location");
  EXPECT_EQ(d->reasons(0).clause(), "2.4");
  EXPECT_EQ(d->reasons(1).category(), "health");
  EXPECT_EQ(d->reasons(1).clause(), "2.5");
  EXPECT_EQ(d->reasons(1).article(), "APPI 20(2)");
}

// 2.4, APPI 20(2): a consent naming location and one naming health cover
// the two together, each its own category.
TEST(ConsentCheckTest, Clause2_4_Appi20_2_EachCategoryByItsOwnConsent) {
  Check c;
  c.categories = {"location", "health"};
  c.purposes = {"customer_support"};
  c.consents[0].categories = {"location"};
  c.consents.push_back(ConsentSpec());
  c.consents[1].id = "k-10";
  c.consents[1].categories = {"health"};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  ASSERT_EQ(d->covered_by_size(), 2);
  EXPECT_EQ(d->covered_by(0).ShortDebugString(),
            "category: \"location\" consent_id: \"k-9\"");
  EXPECT_EQ(d->covered_by(1).ShortDebugString(),
            "category: \"health\" consent_id: \"k-10\"");
}

TEST(ConsentCheckTest, Clause2_4_PurposeNotInScope) {
  const auto d = Decide(
      WithConsent([](ConsentSpec& k) { k.purposes = {"web_analytics"}; }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
}

// The consent must cover every purpose of the query.
TEST(ConsentCheckTest, Clause2_4_EveryPurposeMustBeInScope) {
  Check c;
  c.purposes = {"usage_analysis", "web_analytics"};
  c.consents[0].purposes = {"usage_analysis"};
  auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(Codes(*d), ElementsAre(v1::OUT_OF_SCOPE));

  c.consents[0].purposes = {"web_analytics", "usage_analysis"};
  d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
}

// APPI 27: an empty recipients list means internal use only.
TEST(ConsentCheckTest, Appi27_ThirdPartyNotNamedIsOutOfScope) {
  Check c;
  c.recipient = "third_party";
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  ASSERT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
  EXPECT_EQ(d->reasons(0).clause(), "APPI 27");
}

TEST(ConsentCheckTest, Appi27_ThirdPartyNamedIsValid) {
  Check c;
  c.recipient = "third_party";
  c.consents[0].recipients = {"third_party"};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-9");
}

// APPI 28: a consent naming only third_party does not cover overseas
// provision.
TEST(ConsentCheckTest, Appi28_OverseasNeedsItsOwnName) {
  Check c;
  c.recipient = "overseas_third_party";
  c.consents[0].recipients = {"third_party"};
  auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  ASSERT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
  EXPECT_EQ(d->reasons(0).clause(), "APPI 28");

  c.consents[0].recipients = {"third_party", "overseas_third_party"};
  d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
}

// Clause 6: a contractor needs no consent that names it; internal use and an
// absent recipient are covered by an empty recipients list.
TEST(ConsentCheckTest, Clause6_ContractorAndInternalCoveredByEmptyRecipients) {
  for (const std::string recipient : {"contractor", "internal", ""}) {
    Check c;
    c.recipient = recipient;
    SCOPED_TRACE(absl::StrCat("recipient '", recipient, "'"));
    const auto d = Decide(c);
    ASSERT_OK(d);
    EXPECT_TRUE(d->valid());
  }
}

// The policy's min_consent_version is 1.
TEST(ConsentCheckTest, Clause2_4_StaleVersion) {
  const auto d = Decide(
      WithConsent([](ConsentSpec& k) { k.consent_version = 0; }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("STALE_VERSION k-9"));
}

TEST(ConsentCheckTest, Clause2_4_CurrentAndNewerVersionsAreValid) {
  for (const int version : {1, 2}) {
    const auto d = Decide(
        WithConsent([&](ConsentSpec& k) { k.consent_version = version; }));
    ASSERT_OK(d);
    EXPECT_TRUE(d->valid()) << "consent_version " << version;
  }
}

TEST(ConsentCheckTest, Clause2_4_SubjectMismatch) {
  const auto d =
      Decide(WithConsent([](ConsentSpec& k) { k.subject_id = "c-2"; }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("SUBJECT_MISMATCH k-9"));
}

// ---------------------------------------------------------------------------
// Several faults, several consents
// ---------------------------------------------------------------------------

TEST(ConsentCheckTest, Clause2_4_ConsentFailingTwoWaysReportsBoth) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.withdrawn_at = "2026-02-01T00:00:00+09:00";
    k.purposes = {"web_analytics"};
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d),
              UnorderedElementsAre("WITHDRAWN k-9", "OUT_OF_SCOPE k-9"));
}

TEST(ConsentCheckTest, Clause2_4_EveryFaultOfOneConsentIsReported) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) {
    k.subject_id = "c-2";
    k.granted_at = "2026-03-01T12:00:01+09:00";
    k.withdrawn_at = "2026-03-01T11:00:00+09:00";
    k.expires_at = "2026-03-01T10:00:00+09:00";
    k.consent_version = 0;
    k.categories = {"cookie"};
  }));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(Codes(*d),
              UnorderedElementsAre(v1::SUBJECT_MISMATCH, v1::NOT_YET_VALID,
                                   v1::WITHDRAWN, v1::EXPIRED,
                                   v1::STALE_VERSION, v1::OUT_OF_SCOPE));
}

TEST(ConsentCheckTest, Clause2_4_ReasonsNameEachConsent) {
  ConsentSpec k1;
  k1.id = "k-1";
  k1.withdrawn_at = "2026-01-01T00:00:00+09:00";
  ConsentSpec k2;
  k2.id = "k-2";
  k2.expires_at = "2026-01-01T00:00:00+09:00";
  ConsentSpec k3;
  k3.id = "k-3";
  k3.subject_id = "c-3";
  Check c;
  c.consents = {k1, k2, k3};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d),
              UnorderedElementsAre("WITHDRAWN k-1", "EXPIRED k-2",
                                   "SUBJECT_MISMATCH k-3"));
}

// One valid consent among invalid ones is enough; no reasons are given.
TEST(ConsentCheckTest, Clause2_4_ValidConsentAmongInvalidOnes) {
  ConsentSpec old_one;
  old_one.id = "k-old";
  old_one.granted_at = "2024-04-01T10:00:00+09:00";
  old_one.withdrawn_at = "2024-10-01T10:00:00+09:00";
  ConsentSpec other;
  other.id = "k-other";
  other.subject_id = "c-2";
  other.granted_at = "2026-01-01T10:00:00+09:00";
  ConsentSpec good;
  good.id = "k-good";
  good.granted_at = "2025-06-01T10:00:00+09:00";
  Check c;
  c.consents = {old_one, good, other};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-good");
  EXPECT_THAT(d->reasons(), IsEmpty());
}

// Two valid consents: the most recently granted is relied on, in whatever
// order they are given.
TEST(ConsentCheckTest, Clause2_4_MostRecentlyGrantedValidConsentIsRelied) {
  ConsentSpec older;
  older.id = "k-older";
  older.granted_at = "2025-04-01T10:00:00+09:00";
  ConsentSpec newer;
  newer.id = "k-newer";
  newer.granted_at = "2025-10-01T10:00:00+09:00";
  for (const auto& order : {std::vector<ConsentSpec>{older, newer},
                            std::vector<ConsentSpec>{newer, older}}) {
    Check c;
    c.consents = order;
    const auto d = Decide(c);
    ASSERT_OK(d);
    EXPECT_TRUE(d->valid());
    EXPECT_EQ(d->consent_id(), "k-newer") << "first given: " << order[0].id;
  }
}

// Two valid consents given at the same instant: the one listed first is
// relied on, so that the same request always names the same record.
TEST(ConsentCheckTest, Clause2_4_EqualGrantTimesRelyOnTheFirstListed) {
  ConsentSpec a;
  a.id = "k-a";
  a.granted_at = "2025-10-01T10:00:00+09:00";
  ConsentSpec b = a;
  b.id = "k-b";
  for (const auto& order : {std::vector<ConsentSpec>{a, b},
                            std::vector<ConsentSpec>{b, a}}) {
    Check c;
    c.consents = order;
    const auto d = Decide(c);
    ASSERT_OK(d);
    EXPECT_TRUE(d->valid());
    EXPECT_EQ(d->consent_id(), order[0].id);
  }
}

// A newer consent that is not valid does not displace an older valid one.
TEST(ConsentCheckTest, Clause2_4_NewerInvalidConsentDoesNotDisplaceValidOne) {
  ConsentSpec older;
  older.id = "k-older";
  ConsentSpec newer;
  newer.id = "k-newer";
  newer.granted_at = "2025-10-01T10:00:00+09:00";
  newer.withdrawn_at = "2026-02-01T10:00:00+09:00";
  Check c;
  c.consents = {newer, older};
  const auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->consent_id(), "k-older");
}

// ---------------------------------------------------------------------------
// Malformed requests: errors, never a decision
// ---------------------------------------------------------------------------

TEST(ConsentCheckTest, MissingGrantedAtIsInvalidArgument) {
  const auto d =
      Decide(WithConsent([](ConsentSpec& k) { k.granted_at = ""; }));
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[0].granted_at")));
}

TEST(ConsentCheckTest, MissingGrantedAtOfSecondConsentNamesIt) {
  Check c;
  ConsentSpec second;
  second.id = "k-10";
  second.granted_at = "";
  c.consents.push_back(second);
  const auto d = Decide(c);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[1].granted_at")));
}

TEST(ConsentCheckTest, MissingSubjectIdIsInvalidArgument) {
  Check c;
  c.subject_id = "";
  const auto d = Decide(c);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("subject_id")));
}

// 2.4 取得: with no purposes the question is acquisition, and it is answered:
// a consent naming location covers acquiring it whatever its purposes.
TEST(ConsentCheckTest, Clause2_4_EmptyPurposesAsksAboutAcquisition) {
  Check c;
  c.purposes = {};
  c.consents[0].purposes = {"web_analytics"};
  auto d = Decide(c);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  c.consents[0].categories = {"name"};
  d = Decide(c);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("OUT_OF_SCOPE k-9"));
}

// PPC Q&A 1-62: a birth date is a calendar date, no later than the day the
// consent was given; a consent given at 15 needs a representative's.
TEST(ConsentCheckTest, PpcQa1_62_BirthDateIsReadAsACalendarDate) {
  const std::string base =
      R"({"subject_id": "c-1", "categories": ["location"], "purposes": ["usage_analysis"], "consents": [{"id": "m", "subject_id": "c-1", "categories": ["location"], "granted_at": "2026-03-31T12:00:00+09:00", "consent_version": 1, "subject_birth_date": "BIRTH"REPRESENTATIVE}], "as_of": "2026-06-01T12:00:00+09:00"})";
  const auto with = [&](absl::string_view birth, bool representative) {
    return absl::StrReplaceAll(
        base, {{"BIRTH", birth},
               {"REPRESENTATIVE",
                representative ? R"(, "representative_consent": true)" : ""}});
  };
  for (absl::string_view bad :
       {"2010-02-30", "2010-4-01", "20100401", "1899-12-31", "2026-04-01"}) {
    EXPECT_THAT(DecideJson(with(bad, false)),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("consents[0].subject_birth_date")))
        << bad;
  }
  auto d = DecideJson(with("2010-04-01", false));
  ASSERT_OK(d);
  EXPECT_THAT(CodesAndIds(*d), ElementsAre("MINOR_WITHOUT_REPRESENTATIVE m"));
  EXPECT_EQ(d->reasons(0).clause(), "PPC Q&A 1-62");
  d = DecideJson(with("2010-04-01", true));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  d = DecideJson(with("2010-03-31", false));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
}

TEST(ConsentCheckTest, EmptyCategoriesIsInvalidArgument) {
  Check c;
  c.categories = {};
  const auto d = Decide(c);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("categories")));
}

TEST(ConsentCheckTest, MissingAsOfIsInvalidArgument) {
  Check c;
  c.as_of = "";
  const auto d = Decide(c);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

TEST(ConsentCheckTest, UnknownCategoryInQueryIsInvalidArgument) {
  Check c;
  c.categories = {"location", "gps"};
  const auto d = Decide(c);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("categories[1]")));
}

TEST(ConsentCheckTest, UnknownCategoryInConsentScopeIsInvalidArgument) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.categories = {"location", "locaton"}; }));
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("consents[0].categories[1]"),
                                        HasSubstr("'locaton'"))));
}

TEST(ConsentCheckTest, UnknownPurposeInConsentScopeIsInvalidArgument) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.purposes = {"profiling"}; }));
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[0].purposes[0]")));
}

TEST(ConsentCheckTest, UnknownRecipientInConsentScopeIsInvalidArgument) {
  const auto d = Decide(WithConsent(
      [](ConsentSpec& k) { k.recipients = {"third_parties"}; }));
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[0].recipients[0]")));
}

TEST(ConsentCheckTest, UnknownRecipientInQueryIsInvalidArgument) {
  Check c;
  c.recipient = "partner";
  const auto d = Decide(c);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("recipient")));
}

TEST(ConsentCheckTest, ConsentWithoutIdIsInvalidArgument) {
  const auto d = Decide(WithConsent([](ConsentSpec& k) { k.id = ""; }));
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("consents[0].id")));
}

}  // namespace
}  // namespace pip
