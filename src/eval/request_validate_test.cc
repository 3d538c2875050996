// Tests of request_validate (clause 8, 個人情報の開示等請求) through the
// public API, against the default policy.
#include <cstdint>
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
#include "pip/v1/decision.pb.h"
#include "tests/testing/engine.h"
#include "tests/testing/json_requests.h"
#include "tests/testing/reasons.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::Codes;
using ::pip::testing::StatusIs;
using ::pip::testing::Ts;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The engine of every test here (the default policy).
constexpr auto& TheEngine = ::pip::testing::SharedDefaultEngine;

// A request in the JSON contract.
constexpr auto& FromJson =
    ::pip::testing::ParseJson<v1::RequestValidateRequest>;

// A complete request by the data subject: by email, both documents,
// identity verified, the type's fee paid, received 2026-01-31 10:00 JST,
// evaluated 2026-02-02 09:00 JST.
v1::RequestValidateRequest Complete(const std::string& type = "disclosure") {
  v1::RequestValidateRequest r;
  r.set_type(type);
  r.set_channel("email");
  *r.mutable_received_at() = Ts("2026-01-31T10:00:00+09:00");
  r.set_requester("self");
  r.add_documents("identity_document");
  r.add_documents("request_form");
  r.set_identity_verified(true);
  r.set_fee_paid_jpy(type == "disclosure" ? 300 : 0);
  *r.mutable_as_of() = Ts("2026-02-02T09:00:00+09:00");
  return r;
}

absl::StatusOr<v1::RequestValidateDecision> Validate(
    const v1::RequestValidateRequest& r) {
  return TheEngine().RequestValidate(r);
}

// The review grounds that REVIEW_REQUIRED findings name.
std::vector<std::string> Grounds(
    const google::protobuf::RepeatedPtrField<v1::Reason>& reasons) {
  std::vector<std::string> grounds;
  for (const v1::Reason& r : reasons) grounds.push_back(r.review_ground());
  return grounds;
}

// The finding with `code`, in whichever list the decision files it.
const v1::Reason* Find(const v1::RequestValidateDecision& d,
                       v1::ReasonCode code) {
  for (const auto* list : {&d.errors(), &d.needs_review(), &d.reasons(),
                           &d.warnings()}) {
    for (const v1::Reason& r : *list) {
      if (r.code() == code) return &r;
    }
  }
  return nullptr;
}

// --- The contract example (DESIGN.md, "The JSON contract") ---------------

TEST(RequestValidateTest, Clause8_ContractExampleAgentWithoutPowerOfAttorney) {
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(FromJson(
      R"({"type": "disclosure", "channel": "email", "received_at": "2026-01-31T10:00:00+09:00",
          "requester": "agent", "documents": ["identity_document", "request_form"],
          "identity_verified": false, "fee_paid_jpy": 300, "review": [],
          "as_of": "2026-02-02T09:00:00+09:00"})"));
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  // 8.3: the power of attorney is the document missing; 8.2: identity,
  // not verified yet, has its own field.
  EXPECT_THAT(d->missing(), ElementsAre("power_of_attorney"));
  EXPECT_FALSE(d->identity_verified());
  EXPECT_THAT(d->errors(), IsEmpty());
  EXPECT_EQ(d->fee_due_jpy(), 300);
  EXPECT_EQ(d->respond_by(), "2026-03-02");
  EXPECT_FALSE(d->overdue());
  EXPECT_THAT(d->needs_review(), IsEmpty());
  EXPECT_THAT(d->warnings(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::COLLECT_DOCUMENTS);
  EXPECT_FALSE(d->policy().version().empty());
  EXPECT_EQ(d->policy().version(), TheEngine().policy_version());
  EXPECT_EQ(d->policy().hash(), TheEngine().policy_hash());

  // 8.3: an agent needs a power of attorney; 8.2: identity verified before
  // the response.
  const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->document(), "power_of_attorney");
  EXPECT_EQ(doc->clause(), "8.3");
  EXPECT_FALSE(doc->message_ja().empty());
  EXPECT_FALSE(doc->message_en().empty());
  const v1::Reason* identity = Find(*d, v1::IDENTITY_NOT_VERIFIED);
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->clause(), "8.2");
  EXPECT_THAT(Codes(d->reasons()),
              ElementsAre(v1::DOCUMENT_MISSING, v1::IDENTITY_NOT_VERIFIED));
}

// --- 8.2: a complete request ----------------------------------------------

TEST(RequestValidateTest, Clause8_2_CompleteSelfRequestIsValid) {
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(Complete());
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_THAT(d->errors(), IsEmpty());
  EXPECT_THAT(d->warnings(), IsEmpty());
  EXPECT_THAT(d->needs_review(), IsEmpty());
  EXPECT_THAT(d->reasons(), IsEmpty());
  EXPECT_EQ(d->fee_due_jpy(), 300);
  EXPECT_EQ(d->respond_by(), "2026-03-02");
  EXPECT_FALSE(d->overdue());
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

TEST(RequestValidateTest, Clause8_2_EmptyRequesterMeansSelf) {
  v1::RequestValidateRequest r = Complete();
  r.clear_requester();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

TEST(RequestValidateTest, Clause8_3_CompleteAgentRequestIsValid) {
  v1::RequestValidateRequest r = Complete();
  r.set_requester("agent");
  r.add_documents("power_of_attorney");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

// --- 8.3, APPI 37(3): representatives ----------------------------------------

// APPI 37(3), Cabinet Order 13(1): a legal representative (a minor's parent,
// an adult guardian) proves the representation, not a mandate: no power of
// attorney, but proof of representation, citing the article.
TEST(RequestValidateTest, Appi37_3_LegalRepresentativeNeedsProofNotPowerOfAttorney) {
  v1::RequestValidateRequest r = Complete();
  r.set_requester("legal_representative");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("proof_of_representation"));
  const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->clause(), "8.3");
  EXPECT_EQ(doc->article(), "APPI 37(3)");
  EXPECT_EQ(d->next_step(), v1::COLLECT_DOCUMENTS);

  r.add_documents("proof_of_representation");
  d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->missing(), IsEmpty());
}

// APPI 37(3), Cabinet Order 13(2): an agent's power of attorney cites the
// article beside clause 8.3 (委任状等).
TEST(RequestValidateTest, Appi37_3_PowerOfAttorneyCitesTheArticle) {
  v1::RequestValidateRequest r = Complete();
  r.set_requester("agent");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_THAT(d->missing(), ElementsAre("power_of_attorney"));
  const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->clause(), "8.3");
  EXPECT_EQ(doc->article(), "APPI 37(3)");
}

// 8.2 with APPI 37(3): the identity document a representative submits is
// their own, and the finding says so; the data subject asking in person is
// told only the document.
TEST(RequestValidateTest, Appi37_3_RepresentativesIdentityDocumentIsTheirOwn) {
  for (const char* requester : {"agent", "legal_representative"}) {
    v1::RequestValidateRequest r = Complete();
    r.set_requester(requester);
    r.clear_documents();
    r.add_documents("request_form");
    absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
    ASSERT_OK(d);
    EXPECT_THAT(d->missing(), Contains("identity_document")) << requester;
    const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(doc->document(), "identity_document");
    EXPECT_THAT(doc->message_ja(), HasSubstr("代理人ご自身の「本人確認書類」"))
        << requester;
    EXPECT_THAT(doc->message_en(), HasSubstr("representative's own"))
        << requester;
  }
  v1::RequestValidateRequest self = Complete();
  self.clear_documents();
  self.add_documents("request_form");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(self);
  ASSERT_OK(d);
  const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->message_ja(), "「本人確認書類」の提出が必要です。");
  EXPECT_THAT(doc->message_en(), Not(HasSubstr("representative")));
}

// --- 8.2, 8.3: documents and identity -------------------------------------

TEST(RequestValidateTest, Clause8_2_IdentityDocumentRequired) {
  v1::RequestValidateRequest r = Complete();
  r.clear_documents();
  r.add_documents("request_form");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("identity_document"));
  const v1::Reason* doc = Find(*d, v1::DOCUMENT_MISSING);
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->document(), "identity_document");
  EXPECT_EQ(doc->clause(), "8.2");
  EXPECT_EQ(d->next_step(), v1::COLLECT_DOCUMENTS);
}

TEST(RequestValidateTest, Clause8_2_RequestFormRequired) {
  v1::RequestValidateRequest r = Complete("correction");
  r.clear_documents();
  r.add_documents("identity_document");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("request_form"));
  EXPECT_EQ(d->next_step(), v1::COLLECT_DOCUMENTS);
}

TEST(RequestValidateTest, Clause8_2_NoDocumentsAgentMissesAllThree) {
  v1::RequestValidateRequest r = Complete();
  r.set_requester("agent");
  r.clear_documents();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("identity_document", "request_form",
                                        "power_of_attorney"));
}

TEST(RequestValidateTest, Clause8_2_SelfDoesNotNeedPowerOfAttorney) {
  v1::RequestValidateRequest r = Complete();  // no power of attorney
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->missing(), Not(Contains("power_of_attorney")));
}

TEST(RequestValidateTest, Clause8_2_IdentityMustBeVerifiedBeforeResponse) {
  v1::RequestValidateRequest r = Complete();
  r.set_identity_verified(false);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  // Nothing is missing from the file; identity is still to verify.
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_FALSE(d->identity_verified());
  EXPECT_EQ(d->next_step(), v1::VERIFY_IDENTITY);
  const v1::Reason* identity = Find(*d, v1::IDENTITY_NOT_VERIFIED);
  ASSERT_NE(identity, nullptr);
  EXPECT_EQ(identity->clause(), "8.2");
}

// --- 8.2: channels: phone or email ----------------------------------------

class AcceptedChannelTest : public ::testing::TestWithParam<std::string> {};

TEST_P(AcceptedChannelTest, Clause8_2_PhoneAndEmailAccepted) {
  v1::RequestValidateRequest r = Complete();
  r.set_channel(GetParam());
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(d->errors(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

INSTANTIATE_TEST_SUITE_P(Clause8_2, AcceptedChannelTest,
                         ::testing::Values("phone", "email"));

class RejectedChannelTest : public ::testing::TestWithParam<std::string> {};

// Any other channel is an error in the result, not an exception.
TEST_P(RejectedChannelTest, Clause8_2_OtherChannelIsErrorInResult) {
  v1::RequestValidateRequest r = Complete();
  r.set_channel(GetParam());
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  ASSERT_EQ(d->errors_size(), 1);
  EXPECT_EQ(d->errors(0).code(), v1::CHANNEL_NOT_ACCEPTED);
  EXPECT_EQ(d->errors(0).clause(), "8.2");
  // The English names the channel; the Japanese says it in words (郵送),
  // never by its id.
  EXPECT_THAT(d->errors(0).message_en(),
              ::testing::AnyOf(HasSubstr("not accepted by"),
                               HasSubstr("is not a request channel")));
  EXPECT_FALSE(d->errors(0).message_ja().empty());
  EXPECT_THAT(d->errors(0).message_ja(), ::testing::Not(HasSubstr(GetParam())));
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::FIX_CHANNEL);
  // The rest of the decision is still computed.
  EXPECT_EQ(d->fee_due_jpy(), 300);
  EXPECT_EQ(d->respond_by(), "2026-03-02");
}

INSTANTIATE_TEST_SUITE_P(Clause8_2, RejectedChannelTest,
                         ::testing::Values("post", "website", "in_person",
                                           "fax"));

TEST(RequestValidateTest, Clause8_2_EmptyChannelIsInvalidArgument) {
  v1::RequestValidateRequest r = Complete();
  r.clear_channel();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(
      d, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("channel")));
}

// --- 8.3: fee: 300 JPY for disclosure only --------------------------------

TEST(RequestValidateTest, Clause8_3_FeeDueByType) {
  const std::pair<std::string, int64_t> cases[] = {
      {"purpose_notification", 0}, {"disclosure", 300}, {"correction", 0},
      {"suspension", 0},           {"third_party_stop", 0}};
  for (const auto& [type, fee] : cases) {
    absl::StatusOr<v1::RequestValidateDecision> d = Validate(Complete(type));
    ASSERT_OK(d) << type;
    EXPECT_EQ(d->fee_due_jpy(), fee) << type;
    EXPECT_TRUE(d->valid()) << type;
    EXPECT_THAT(d->missing(), IsEmpty()) << type;
    EXPECT_THAT(d->warnings(), IsEmpty()) << type;
    EXPECT_EQ(d->next_step(), v1::RESPOND) << type;
  }
}

TEST(RequestValidateTest, Clause8_3_DisclosureWithoutFeeMissesFee) {
  v1::RequestValidateRequest r = Complete("disclosure");
  r.set_fee_paid_jpy(0);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_EQ(d->fee_due_jpy(), 300);
  EXPECT_EQ(d->fee_unpaid_jpy(), 300);
  EXPECT_EQ(d->next_step(), v1::COLLECT_FEE);
  const v1::Reason* fee = Find(*d, v1::FEE_UNPAID);
  ASSERT_NE(fee, nullptr);
  EXPECT_EQ(fee->clause(), "8.3");
}

TEST(RequestValidateTest, Clause8_3_DisclosureWithPartFeeMissesFee) {
  v1::RequestValidateRequest r = Complete("disclosure");
  r.set_fee_paid_jpy(299);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_EQ(d->fee_unpaid_jpy(), 1);
  EXPECT_EQ(d->next_step(), v1::COLLECT_FEE);
}

// Any other type costs nothing, and charging it is flagged; the request is
// still valid when complete.
TEST(RequestValidateTest, Clause8_3_FeeChargedForFreeTypeIsWarning) {
  v1::RequestValidateRequest r = Complete("correction");
  r.set_fee_paid_jpy(300);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->fee_due_jpy(), 0);
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_THAT(d->errors(), IsEmpty());
  ASSERT_EQ(d->warnings_size(), 1);
  EXPECT_EQ(d->warnings(0).code(), v1::FEE_NOT_CHARGEABLE);
  EXPECT_EQ(d->warnings(0).clause(), "8.3");
  EXPECT_FALSE(d->warnings(0).message_en().empty());
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

TEST(RequestValidateTest, Clause8_3_NegativeFeeIsInvalidArgument) {
  v1::RequestValidateRequest r = Complete("disclosure");
  r.set_fee_paid_jpy(-300);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("fee_paid_jpy")));
}

// --- 8.2: respond within 30 days, the day of receipt not counted ----------

std::string RespondBy(const std::string& received_at) {
  v1::RequestValidateRequest r = Complete();
  *r.mutable_received_at() = Ts(received_at);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  EXPECT_OK(d);
  return d.ok() ? d->respond_by() : "";
}

TEST(RequestValidateTest, Clause8_2_ThirtyDaysAcrossMonthEnd) {
  EXPECT_EQ(RespondBy("2026-01-31T10:00:00+09:00"), "2026-03-02");
  // Received at 00:00:00: the day of receipt is still not counted.
  EXPECT_EQ(RespondBy("2026-01-31T00:00:00+09:00"), "2026-03-02");
  EXPECT_EQ(RespondBy("2026-01-31T23:59:59+09:00"), "2026-03-02");
  // In a leap year February has 29 days.
  EXPECT_EQ(RespondBy("2024-01-31T10:00:00+09:00"), "2024-03-01");
  EXPECT_EQ(RespondBy("2026-04-01T10:00:00+09:00"), "2026-05-01");
}

TEST(RequestValidateTest, Clause8_2_ThirtyDaysAcrossYearEnd) {
  EXPECT_EQ(RespondBy("2025-12-15T10:00:00+09:00"), "2026-01-14");
  EXPECT_EQ(RespondBy("2025-12-31T10:00:00+09:00"), "2026-01-30");
}

// Time: the day of receipt is the civil day in Asia/Tokyo.
TEST(RequestValidateTest, Clause8_2_UtcReceiptLateInDayIsNextTokyoDay) {
  // 2026-01-30T20:00:00Z is 2026-01-31T05:00:00+09:00.
  EXPECT_EQ(RespondBy("2026-01-30T20:00:00Z"), "2026-03-02");
  EXPECT_EQ(RespondBy("2026-01-30T15:00:00Z"), "2026-03-02");
  // 2026-01-30T14:59:59Z is still 2026-01-30 in Tokyo.
  EXPECT_EQ(RespondBy("2026-01-30T14:59:59Z"), "2026-03-01");
}

TEST(RequestValidateTest, Clause8_2_OverdueFromMidnightAfterRespondBy) {
  v1::RequestValidateRequest r = Complete();
  *r.mutable_as_of() = Ts("2026-03-02T23:59:59+09:00");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_EQ(d->respond_by(), "2026-03-02");
  EXPECT_FALSE(d->overdue());
  EXPECT_EQ(Find(*d, v1::RESPONSE_OVERDUE), nullptr);

  *r.mutable_as_of() = Ts("2026-03-03T00:00:00+09:00");
  d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->overdue());
  const v1::Reason* overdue = Find(*d, v1::RESPONSE_OVERDUE);
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(overdue->clause(), "8.2");
  EXPECT_THAT(overdue->message_en(), HasSubstr("2026-03-02"));

  // The same instants written in UTC.
  *r.mutable_as_of() = Ts("2026-03-02T14:59:59Z");
  d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->overdue());
  *r.mutable_as_of() = Ts("2026-03-02T15:00:00Z");
  d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->overdue());
}

// --- 8.3: possible refusals are flagged for review, never decided ---------

TEST(RequestValidateTest, Clause8_3_LegallyRestrictedNeedsHumanReview) {
  v1::RequestValidateRequest r = Complete();
  r.add_review("legally_restricted");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  // Never refused automatically: the request stays valid.
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(Grounds(d->needs_review()), ElementsAre("legally_restricted"));
  EXPECT_THAT(d->missing(), IsEmpty());
  EXPECT_THAT(d->errors(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::HUMAN_REVIEW);
  const v1::Reason* review = Find(*d, v1::REVIEW_REQUIRED);
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->clause(), "8.3");
  EXPECT_FALSE(review->message_ja().empty());
}

TEST(RequestValidateTest, Clause8_3_ThirdPartyRightsNeedsHumanReview) {
  v1::RequestValidateRequest r = Complete("correction");
  r.add_review("third_party_rights");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(Grounds(d->needs_review()), ElementsAre("third_party_rights"));
  EXPECT_EQ(d->next_step(), v1::HUMAN_REVIEW);
  const v1::Reason* review = Find(*d, v1::REVIEW_REQUIRED);
  ASSERT_NE(review, nullptr);
  EXPECT_EQ(review->clause(), "8.3");
}

TEST(RequestValidateTest, Clause8_3_BothReviewGroundsListed) {
  v1::RequestValidateRequest r = Complete();
  r.add_review("legally_restricted");
  r.add_review("third_party_rights");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_THAT(Grounds(d->needs_review()),
              ElementsAre("legally_restricted", "third_party_rights"));
  EXPECT_THAT(Codes(d->needs_review()),
              ElementsAre(v1::REVIEW_REQUIRED, v1::REVIEW_REQUIRED));
  // Each finding once: the review grounds are not reasons too.
  EXPECT_THAT(d->reasons(), IsEmpty());
  EXPECT_EQ(d->next_step(), v1::HUMAN_REVIEW);
}

TEST(RequestValidateTest, Clause8_3_ReviewFlaggedEvenWhenIncomplete) {
  v1::RequestValidateRequest r = Complete();
  r.clear_documents();
  r.add_documents("identity_document");
  r.add_review("third_party_rights");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("request_form"));
  EXPECT_THAT(Grounds(d->needs_review()), ElementsAre("third_party_rights"));
}

// --- Errors: fail closed --------------------------------------------------

// Documents are policy ids: a company that asks for another document adds
// it to its policy (8.2 本人確認書類「等」), not to the schema, and every
// surface asks for it.
TEST(RequestValidateTest, Clause8_2_DocumentAddedByThePolicyIsRequired) {
  v1::Policy policy = TheEngine().policy();
  v1::RequestDocument* doc = policy.mutable_requests()->add_documents();
  doc->set_id("residence_certificate");
  doc->set_clause("8.2");
  doc->set_label_ja("住民票の写し");
  doc->set_label_en("Certificate of residence");
  for (v1::Requester& r : *policy.mutable_requests()->mutable_requesters()) {
    if (r.id() == "self") r.add_required_documents("residence_certificate");
  }
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Create(PolicySource::Message(policy));
  ASSERT_OK(engine);
  v1::RequestValidateRequest r = Complete();
  absl::StatusOr<v1::RequestValidateDecision> d = (*engine)->RequestValidate(r);
  ASSERT_OK(d);
  EXPECT_FALSE(d->valid());
  EXPECT_THAT(d->missing(), ElementsAre("residence_certificate"));
  EXPECT_EQ(d->next_step(), v1::COLLECT_DOCUMENTS);
  r.add_documents("residence_certificate");
  d = (*engine)->RequestValidate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  // The default policy does not know the document: naming it is an error
  // that names the field, never a document silently ignored.
  EXPECT_THAT(TheEngine().RequestValidate(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("documents[2]"),
                             HasSubstr("residence_certificate"))));
}

TEST(RequestValidateTest, Clause8_3_UnknownReviewGroundIsAnError) {
  v1::RequestValidateRequest r = Complete();
  r.add_review("legaly_restricted");
  EXPECT_THAT(Validate(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("review[0]"),
                             HasSubstr("did you mean 'legally_restricted'"))));
}

TEST(RequestValidateTest, Errors_UnknownRequestType) {
  v1::RequestValidateRequest r = Complete();
  r.set_type("deletion_of_everything");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("type"),
                                        HasSubstr("deletion_of_everything"))));
}

TEST(RequestValidateTest, Errors_MisspelledRequestTypeSuggestsTheId) {
  v1::RequestValidateRequest r = Complete();
  r.set_type("disclosur");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("did you mean 'disclosure'")));
}

TEST(RequestValidateTest, Errors_EmptyRequestType) {
  v1::RequestValidateRequest r = Complete();
  r.clear_type();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("type")));
}

TEST(RequestValidateTest, Errors_UnknownRequester) {
  v1::RequestValidateRequest r = Complete();
  r.set_requester("lawyer");
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          ::testing::AllOf(HasSubstr("requester"),
                                           HasSubstr("lawyer"))));
}

TEST(RequestValidateTest, Errors_MissingReceivedAt) {
  v1::RequestValidateRequest r = Complete();
  r.clear_received_at();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("received_at")));
}

TEST(RequestValidateTest, Errors_MissingAsOf) {
  v1::RequestValidateRequest r = Complete();
  r.clear_as_of();
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_THAT(d,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
}

// APPI 33(5): disclosure of the records of provision is a request of its
// own. 8.3 charges a fee for disclosure of held data only (開示請求の場合のみ)
// and names none for these records: no fee.
TEST(RequestValidateTest, Appi33_5_ProvisionRecordDisclosureHasNoFee) {
  absl::StatusOr<v1::RequestValidateDecision> d =
      Validate(Complete("provision_record_disclosure"));
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->fee_due_jpy(), 0);
  EXPECT_EQ(d->respond_by(), "2026-03-02");
  EXPECT_EQ(d->next_step(), v1::RESPOND);
}

// APPI 33(5), 8.3: money paid for it is not charged and is flagged.
TEST(RequestValidateTest, Appi33_5_FeePaidForProvisionRecordDisclosureIsWarning) {
  v1::RequestValidateRequest r = Complete("provision_record_disclosure");
  r.set_fee_paid_jpy(300);
  absl::StatusOr<v1::RequestValidateDecision> d = Validate(r);
  ASSERT_OK(d);
  EXPECT_TRUE(d->valid());
  EXPECT_EQ(d->fee_due_jpy(), 0);
  const v1::Reason* warning = Find(*d, v1::FEE_NOT_CHARGEABLE);
  ASSERT_NE(warning, nullptr);
  EXPECT_EQ(warning->clause(), "8.3");
}

}  // namespace
}  // namespace pip
