// Unit tests of the evaluators themselves (src/eval/): the facts of
// pip/handles.h in, the verdicts and the reasons a sink receives out, on the
// compiled default policy. The tests of each rule through the whole Engine,
// with JSON requests, are beside them (purpose_allowed_test.cc and the
// others); these hold each evaluator to the reasons, their order and their
// clauses, as policies/default.textproto and DESIGN.md ("Rules the default
// policy must encode") state them.
#include <initializer_list>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "pip/handles.h"
#include "pip/v1/decision.pb.h"
#include "src/eval/consent_check.h"
#include "src/eval/eval_types.h"
#include "src/eval/purpose_allowed.h"
#include "src/eval/request_validate.h"
#include "src/eval/retention_due.h"
#include "src/policy/compiled_policy.h"
#include "tests/testing/compiled_policy.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace eval_internal {
namespace {

using ::pip::testing::IsOk;
using ::pip::testing::StatusIs;
using ::pip::testing::TokyoTime;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using policy_internal::IdIndex;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

const CompiledPolicy& Policy() { return ::pip::testing::DefaultCompiledPolicy(); }

// The dense index of `id` in `index`; a failure of the test when the default
// policy has no such id.
int IdOf(const IdIndex& index, absl::string_view id) {
  const int i = index.Find(id);
  if (i < 0) {
    ADD_FAILURE() << "the default policy has no id '" << id << "'";
    return 0;
  }
  return i;
}

// A handle or set of the compiled default policy, as the resolver makes
// them (src/engine/resolve.h: HandleOf, SetOf).
template <typename H>
H HandleOf(const IdIndex& index, absl::string_view id) {
  return Access::MakeHandle<H>(IdOf(index, id), Policy().generation);
}
template <typename S>
S SetOf(const IdIndex& index, std::initializer_list<absl::string_view> ids) {
  IdSet bits;
  for (absl::string_view id : ids) bits.Insert(IdOf(index, id));
  return Access::MakeSet<S>(bits, Policy().generation);
}

CategorySet Categories(std::initializer_list<absl::string_view> ids) {
  return SetOf<CategorySet>(Policy().category_index, ids);
}
PurposeSet Purposes(std::initializer_list<absl::string_view> ids) {
  return SetOf<PurposeSet>(Policy().purpose_index, ids);
}
RecipientSet Recipients(std::initializer_list<absl::string_view> ids) {
  return SetOf<RecipientSet>(Policy().recipient_index, ids);
}
DocumentSet Documents(std::initializer_list<absl::string_view> ids) {
  return SetOf<DocumentSet>(Policy().document_index, ids);
}
ReviewGroundSet ReviewGrounds(std::initializer_list<absl::string_view> ids) {
  return SetOf<ReviewGroundSet>(Policy().review_ground_index, ids);
}
PurposeId Purpose(absl::string_view id) {
  return HandleOf<PurposeId>(Policy().purpose_index, id);
}
RecipientId Recipient(absl::string_view id) {
  return HandleOf<RecipientId>(Policy().recipient_index, id);
}
RequestTypeId RequestType(absl::string_view id) {
  return HandleOf<RequestTypeId>(Policy().request_type_index, id);
}
RetentionKindId Kind(absl::string_view id) {
  return HandleOf<RetentionKindId>(Policy().retention_kind_index, id);
}
HoldTypeId HoldType(absl::string_view id) {
  return HandleOf<HoldTypeId>(Policy().hold_type_index, id);
}
RequestChannelId Channel(absl::string_view id) {
  return HandleOf<RequestChannelId>(Policy().request_channel_index, id);
}
RequesterId Requester(absl::string_view id) {
  return HandleOf<RequesterId>(Policy().requester_index, id);
}

int CategoryIndex(absl::string_view id) {
  return IdOf(Policy().category_index, id);
}
int PurposeIndex(absl::string_view id) {
  return IdOf(Policy().purpose_index, id);
}
int RecipientIndexOf(absl::string_view id) {
  return IdOf(Policy().recipient_index, id);
}
int DocumentIndex(absl::string_view id) {
  return IdOf(Policy().document_index, id);
}
int ReviewIndex(absl::string_view id) {
  return IdOf(Policy().review_ground_index, id);
}

// A reason as a decision states it: its code and the number of its clause.
struct Reason {
  v1::ReasonCode code;
  std::string clause;
  friend bool operator==(const Reason& a, const Reason& b) {
    return a.code == b.code && a.clause == b.clause;
  }
};
void PrintTo(const Reason& r, std::ostream* os) {
  *os << v1::ReasonCode_Name(r.code) << " (" << r.clause << ")";
}
Reason ReasonOf(const ReasonRef& r) {
  return {r.code, std::string(Policy().clause_view(r.clause))};
}
// What a ReasonCounter keeps of its first reason.
Reason ReasonOf(const ReasonCounter::First& r) {
  return {r.code, std::string(Policy().clause_view(r.clause))};
}
std::vector<Reason> Reasons(const ReasonList& list) {
  std::vector<Reason> out;
  for (const ReasonRef& r : list.items) out.push_back(ReasonOf(r));
  return out;
}

// A civil day as days since 1970-01-01, the unit of the verdicts' *_days.
int32_t UnixDays(absl::CivilDay d) {
  return static_cast<int32_t>(d - absl::CivilDay(1970, 1, 1));
}

// A consent of the subject, valid from 2025-04-01 under consent version 1,
// with no end.
ConsentRecord Consent(CategorySet categories, PurposeSet purposes,
                      RecipientSet recipients = RecipientSet()) {
  ConsentRecord c;
  c.subject_matches = true;
  c.categories = categories;
  c.purposes = purposes;
  c.recipients = recipients;
  c.granted_at = TokyoTime(2025, 4, 1);
  c.consent_version = 1;
  return c;
}

const absl::Time kAsOf = TokyoTime(2026, 3, 1, 12, 0, 0);

// The consent relied on for each category, in category order.
std::vector<std::pair<int, int>> CoveredBy(const ReasonList& list) {
  std::vector<std::pair<int, int>> out;
  for (const ReasonRef& r : list.items) {
    if (r.code == v1::CONSENT_RELIED) out.push_back({r.category, r.consent});
  }
  return out;
}


// A use of name and email for direct_mail by the company, at kAsOf.
PurposeFacts Use() {
  PurposeFacts f;
  f.categories = Categories({"name", "email"});
  f.purpose = Purpose("direct_mail");
  f.as_of = kAsOf;
  return f;
}

// The default policy holds what the tests below take from it.
TEST(DefaultPolicy, HoldsWhatTheseTestsTakeFromIt) {
  const CompiledPolicy& p = Policy();
  EXPECT_EQ(p.min_consent_version, 1);
  EXPECT_EQ(p.default_recipient, RecipientIndexOf("internal"));
  EXPECT_EQ(p.default_requester, IdOf(p.requester_index, "self"));
  EXPECT_EQ(p.clause_view(p.hold_clause), "7");
  EXPECT_EQ(p.clause_view(p.channel_clause), "8.2");
  EXPECT_EQ(p.response_period.days, 30);
}

// ---------------------------------------------------------------------------
// purpose_allowed (clauses 2, 4, 8.1; APPI 27, 28)
// ---------------------------------------------------------------------------

// The first step: no request, a recipient that needs no named consent, no
// category or purpose with a condition. The use is permitted by the
// purpose's clause (4.2 for direct_mail) and nothing else is said.
TEST(PurposeAllowed, Clause4_NoRuleApplies_PermittedByThePurposeClauseAlone) {
  const PurposeFacts f = Use();
  ASSERT_TRUE(NoRuleApplies(Policy(), BitsOf(f.categories),
                            PurposeIndex("direct_mail"),
                            RecipientIndex(Policy(), f.recipient), false));

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"}));
  EXPECT_EQ(list.items[0].purpose, PurposeIndex("direct_mail"));
  EXPECT_EQ(list.items[0].category, -1);

  // The hot path gives the same verdict and counts no reason: an allowed
  // use's first reason, PURPOSE_PERMITTED, is the caller's to state
  // (Snapshot::PurposeAllowed), and no consent was relied on.
  ReasonCounter counter;
  const PurposeVerdict hot = EvaluatePurposeAllowed(Policy(), f, counter);
  EXPECT_TRUE(hot.allowed);
  EXPECT_EQ(hot.consent, -1);
  EXPECT_EQ(counter.count, 0);
  EXPECT_EQ(counter.relied, -1);
}

// 2.4: location only with permission. Without any consent the requirement
// comes first, then why no consent qualified.
TEST(PurposeAllowed, Clause2_4_LocationWithoutConsent_ConsentRequiredThenNoConsent) {
  PurposeFacts f = Use();
  f.categories = Categories({"email", "location"});

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::CONSENT_REQUIRED, "2.4"},
                                         Reason{v1::NO_CONSENT, "2.4"}));
  EXPECT_EQ(list.items[0].category, CategoryIndex("location"));
  EXPECT_EQ(list.items[0].purpose, PurposeIndex("direct_mail"));

  ReasonCounter counter;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, counter).allowed);
  EXPECT_EQ(counter.first.code, v1::CONSENT_REQUIRED);
  EXPECT_EQ(Policy().clause_view(counter.first.clause), "2.4");
}

// 2.4: a consent that names location (and the purpose) is relied on.
TEST(PurposeAllowed, Clause2_4_LocationWithConsentNamingIt_AllowedRelyingOnIt) {
  PurposeFacts f = Use();
  f.categories = Categories({"email", "location"});
  // The first consent covers email only; the second names location.
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"email"}), Purposes({"direct_mail"})),
      Consent(Categories({"location"}), Purposes({"direct_mail"}))};
  f.consents = consents;

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.consent, 1);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"},
                                         Reason{v1::CONSENT_RELIED, "2.4"}));
  EXPECT_EQ(list.items[1].consent, 1);
  EXPECT_EQ(list.items[1].category, CategoryIndex("location"));

  ReasonCounter counter;
  const PurposeVerdict hot = EvaluatePurposeAllowed(Policy(), f, counter);
  EXPECT_TRUE(hot.allowed);
  EXPECT_EQ(hot.consent, 1);
  EXPECT_EQ(counter.relied, 1);
}

// 2.4: a consent for location to another purpose does not cover this one.
TEST(PurposeAllowed, Clause2_4_LocationConsentForAnotherPurpose_OutOfScope) {
  PurposeFacts f = Use();
  f.categories = Categories({"location"});
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"location"}), Purposes({"customer_support"}))};
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::CONSENT_REQUIRED, "2.4"},
                                         Reason{v1::OUT_OF_SCOPE, "2.4"}));
  EXPECT_EQ(list.items[1].consent, 0);
}

// 2.5: health only when the use is part of a health-related service. With a
// consent naming health and a purpose of 4.1, only the service is missing.
TEST(PurposeAllowed, Clause2_5_HealthOutsideAHealthService_NotHealthService) {
  PurposeFacts f = Use();
  f.categories = Categories({"health"});
  f.purpose = Purpose("customer_support");
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"health"}), Purposes({"customer_support"}))};
  f.consents = consents;

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.consent, -1);  // a denial relies on no consent
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::NOT_HEALTH_SERVICE, "2.5"}));
  EXPECT_EQ(list.items[0].category, CategoryIndex("health"));

  // The same use within a health service is allowed on that consent.
  f.context.health_service = true;
  ReasonList allowed;
  const PurposeVerdict ok = EvaluatePurposeAllowed(Policy(), f, allowed);
  EXPECT_TRUE(ok.allowed);
  EXPECT_EQ(ok.consent, 0);
  ASSERT_THAT(Reasons(allowed),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.1"},
                          Reason{v1::CONSENT_RELIED, "2.5"}));
}

// 2.5: health only for purposes of 4.1 and 4.4; direct_mail is of 4.2.
TEST(PurposeAllowed, Clause2_5_HealthForAPurposeOf4_2_PurposeNotPermitted) {
  PurposeFacts f = Use();
  f.categories = Categories({"health"});
  f.context.health_service = true;
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"health"}), Purposes({"direct_mail"}))};
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::PURPOSE_NOT_PERMITTED_FOR_CATEGORY,
                                 "2.5"}));
}

// 2.5: family structure only where necessity is documented.
TEST(PurposeAllowed, Clause2_5_FamilyStructureWithoutDocumentedNecessity) {
  PurposeFacts f = Use();
  f.categories = Categories({"name", "family_structure"});

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::NECESSITY_NOT_DOCUMENTED, "2.5"}));

  f.context.necessity_documented = true;
  ReasonList allowed;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, allowed).allowed);
  ASSERT_THAT(Reasons(allowed),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"}));
}

// 4.3: statistics only after anonymization; the purpose's own condition.
TEST(PurposeAllowed, Clause4_3_StatisticsNotAnonymized_NotAnonymized) {
  PurposeFacts f = Use();
  f.categories = Categories({"service_usage"});
  f.purpose = Purpose("statistics");

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::NOT_ANONYMIZED, "4.3"}));
  EXPECT_EQ(list.items[0].purpose, PurposeIndex("statistics"));
  EXPECT_EQ(list.items[0].category, -1);

  f.context.anonymized = true;
  ReasonList allowed;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, allowed).allowed);
  ASSERT_THAT(Reasons(allowed),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.3"}));
}

// 8.1: a received suspension (利用停止) blocks direct_mail and names the
// request, but not legal_obligation, which it exempts.
TEST(PurposeAllowed, Clause8_1_SuspensionBlocksDirectMailNotLegalObligation) {
  const std::vector<PendingRequest> requests = {
      {RequestType("disclosure"), TokyoTime(2026, 1, 10)},
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  PurposeFacts f = Use();
  f.active_requests = requests;

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_FALSE(v.allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"}));
  EXPECT_EQ(list.items[0].request, 1);
  EXPECT_EQ(list.items[0].purpose, PurposeIndex("direct_mail"));

  f.purpose = Purpose("legal_obligation");
  ReasonList exempt;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, exempt).allowed);
  ASSERT_THAT(Reasons(exempt),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.4"}));
}

// 8.1: a request is in force from its receipt: one received after as_of
// does not block yet, and one received exactly at as_of does.
TEST(PurposeAllowed, Clause8_1_RequestReceivedAfterAsOf_DoesNotBlock) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), kAsOf + absl::Seconds(1)}};
  PurposeFacts f = Use();
  f.active_requests = requests;

  ReasonList list;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"}));

  requests[0].received_at = kAsOf;
  ReasonList received;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, received).allowed);
  ASSERT_THAT(Reasons(received),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"}));
}

// 8.1: a third-party stop (第三者提供の停止) blocks provision to a third
// party even with a consent naming it, and names the recipient.
TEST(PurposeAllowed, Clause8_1_ThirdPartyStopBlocksProvisionDespiteConsent) {
  const std::vector<PendingRequest> requests = {
      {RequestType("third_party_stop"), TokyoTime(2026, 2, 1)}};
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"name"}), Purposes({"service_contact"}),
              Recipients({"third_party"}))};
  PurposeFacts f = Use();
  f.categories = Categories({"name"});
  f.purpose = Purpose("service_contact");
  f.recipient = Recipient("third_party");
  f.consents = consents;
  f.active_requests = requests;

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_FALSE(v.allowed);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::THIRD_PARTY_STOPPED, "8.1"}));
  EXPECT_EQ(list.items[0].recipient, RecipientIndexOf("third_party"));
  EXPECT_EQ(list.items[0].request, 0);
  EXPECT_EQ(list.items[0].purpose, -1);
}

// APPI 27: provision to a third party needs a consent that names it.
TEST(PurposeAllowed, Appi27_ThirdPartyWithoutConsent_RecipientConsentRequired) {
  PurposeFacts f = Use();
  f.categories = Categories({"name"});
  f.purpose = Purpose("service_contact");
  f.recipient = Recipient("third_party");

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::RECIPIENT_CONSENT_REQUIRED, "APPI 27"},
                          Reason{v1::NO_CONSENT, "APPI 27"}));
  EXPECT_EQ(list.items[0].recipient, RecipientIndexOf("third_party"));

  ReasonCounter counter;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, counter).allowed);
  EXPECT_EQ(counter.first.code, v1::RECIPIENT_CONSENT_REQUIRED);
  EXPECT_EQ(Policy().clause_view(counter.first.clause), "APPI 27");

  // A consent for internal use only (no recipients) does not name it.
  const std::vector<ConsentRecord> internal_only = {
      Consent(Categories({"name"}), Purposes({"service_contact"}))};
  f.consents = internal_only;
  ReasonList out_of_scope;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, out_of_scope).allowed);
  ASSERT_THAT(Reasons(out_of_scope),
              ElementsAre(Reason{v1::RECIPIENT_CONSENT_REQUIRED, "APPI 27"},
                          Reason{v1::OUT_OF_SCOPE, "APPI 27"}));
}

// APPI 27: with a consent naming the third party, provision is allowed.
TEST(PurposeAllowed, Appi27_ThirdPartyWithConsentNamingIt_ConsentRelied) {
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"name"}), Purposes({"service_contact"}),
              Recipients({"third_party"}))};
  PurposeFacts f = Use();
  f.categories = Categories({"name"});
  f.purpose = Purpose("service_contact");
  f.recipient = Recipient("third_party");
  f.consents = consents;

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.consent, 0);
  // APPI 29(1): the provision is recorded; the reason comes last.
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.1"},
                          Reason{v1::CONSENT_RELIED, "APPI 27"},
                          Reason{v1::PROVISION_RECORD_REQUIRED, "APPI 29(1)"}));
  EXPECT_EQ(list.items[1].recipient, RecipientIndexOf("third_party"));

  // The hot path's verdict is the same, with no reason beyond the first.
  ReasonCounter counter;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, counter).allowed);
}

// 8.1: a rejected or withdrawn suspension is not in force and blocks
// nothing; a carried-out one (利用停止を実施済み) stays in force.
TEST(PurposeAllowed, Clause8_1_RejectedOrWithdrawnDoNotBlockCarriedOutDoes) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  PurposeFacts f = Use();
  f.active_requests = requests;
  for (RequestState state : {RequestState::kRejected, RequestState::kWithdrawn}) {
    requests[0].status = state;
    ReasonList list;
    EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
    EXPECT_THAT(Reasons(list),
                ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"}));
  }
  requests[0].status = RequestState::kCarriedOut;
  ReasonList carried_out;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, carried_out).allowed);
  EXPECT_THAT(Reasons(carried_out),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"}));
}

// 8.1: a withdrawal takes effect when it is made: before decided_at the
// request was in force and blocked; from it, it does not. The boundary is
// the instant, so Tokyo midnight (15:00 UTC the day before) counts as is.
TEST(PurposeAllowed, Clause8_1_WithdrawalTakesEffectAtItsTime) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  requests[0].status = RequestState::kWithdrawn;
  requests[0].decided_at = TokyoTime(2026, 3, 2);  // 2026-03-01T15:00Z
  PurposeFacts f = Use();
  f.active_requests = requests;
  f.as_of = TokyoTime(2026, 3, 2) - absl::Seconds(1);
  ReasonList before;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, before).allowed);
  f.as_of = TokyoTime(2026, 3, 2);
  ReasonList at;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, at).allowed);
}

// 8.1: a suspension limited to direct_mail blocks direct_mail only; billing
// is not within its scope.
TEST(PurposeAllowed, Clause8_1_SuspensionScopedToDirectMailDoesNotBlockBilling) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  requests[0].purposes = Purposes({"direct_mail"});
  PurposeFacts f = Use();
  f.active_requests = requests;
  ReasonList blocked;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, blocked).allowed);
  ASSERT_THAT(Reasons(blocked),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"}));
  EXPECT_EQ(blocked.items[0].wording, kScopedToPurposes);
  EXPECT_EQ(blocked.items[0].purpose, PurposeIndex("direct_mail"));

  f.purpose = Purpose("billing");
  ReasonList billing;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, billing).allowed);
  EXPECT_THAT(Reasons(billing),
              ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.1"}));
}

// 8.1: a suspension limited to email blocks a use that involves email and
// names it; a use of the name alone is not within its scope.
TEST(PurposeAllowed, Clause8_1_SuspensionScopedToEmailBlocksOnlyUsesOfEmail) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  requests[0].categories = Categories({"email"});
  PurposeFacts f = Use();  // name and email
  f.active_requests = requests;
  ReasonList blocked;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, blocked).allowed);
  ASSERT_THAT(Reasons(blocked),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"}));
  EXPECT_EQ(blocked.items[0].wording, kScopedToCategories);
  EXPECT_EQ(blocked.items[0].category, CategoryIndex("email"));

  f.categories = Categories({"name"});
  ReasonList name_only;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, name_only).allowed);
}

// 8.1: a request limited to purposes and categories bears on a use only
// when both match.
TEST(PurposeAllowed, Clause8_1_ScopeByPurposeAndCategoryMustMatchBoth) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  requests[0].purposes = Purposes({"direct_mail"});
  requests[0].categories = Categories({"email"});
  PurposeFacts f = Use();
  f.active_requests = requests;
  ReasonList both;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, both).allowed);
  EXPECT_EQ(both.items[0].wording, kScopedToBoth);

  f.categories = Categories({"name"});  // purpose matches, category not
  ReasonList category_differs;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, category_differs).allowed);

  f.categories = Categories({"email"});
  f.purpose = Purpose("campaign_notice");  // category matches, purpose not
  ReasonList purpose_differs;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, purpose_differs).allowed);
}

// 8.1: a third-party stop limited to the email address blocks providing
// it, and not providing the name alone.
TEST(PurposeAllowed, Clause8_1_ThirdPartyStopScopedToCategory) {
  std::vector<PendingRequest> requests = {
      {RequestType("third_party_stop"), TokyoTime(2026, 2, 1)}};
  requests[0].categories = Categories({"email"});
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"name", "email"}), Purposes({"service_contact"}),
              Recipients({"third_party"}))};
  PurposeFacts f = Use();
  f.purpose = Purpose("service_contact");
  f.recipient = Recipient("third_party");
  f.consents = consents;
  f.active_requests = requests;
  ReasonList blocked;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, blocked).allowed);
  ASSERT_THAT(Reasons(blocked),
              ElementsAre(Reason{v1::THIRD_PARTY_STOPPED, "8.1"}));
  EXPECT_EQ(blocked.items[0].category, CategoryIndex("email"));

  f.categories = Categories({"name"});
  ReasonList name_only;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, name_only).allowed);
}

// 8.1, APPI 27(1): a request without a scope covers every purpose except
// what the law requires: a use under a legal ground is not blocked, even by
// a carried-out suspension.
TEST(PurposeAllowed, Clause8_1_UnscopedCarriedOutSuspensionDoesNotBlockLegalGround) {
  std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  requests[0].status = RequestState::kCarriedOut;
  PurposeFacts f = Use();
  f.active_requests = requests;
  ReasonList blocked;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, blocked).allowed);
  const int ground = Policy().legal_ground_index.Find("required_by_law");
  ASSERT_GE(ground, 0);
  ReasonList under_ground;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, under_ground, ground).allowed);
}

// APPI 27(1)(i): with a ground, provision to a third party needs no consent
// and no record (proviso of 29(1)); the ground is cited with its item.
TEST(PurposeAllowed, Appi27_1_GroundNeedsNoConsentAndNoRecord) {
  PurposeFacts f = Use();
  f.categories = Categories({"name"});
  f.purpose = Purpose("legal_obligation");
  f.recipient = Recipient("third_party");
  const int ground = Policy().legal_ground_index.Find("required_by_law");
  ASSERT_GE(ground, 0);

  ReasonList list;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, list, ground);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(
      Reasons(list),
      ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.4"},
                  Reason{v1::LEGAL_GROUND_APPLIES, "APPI 27"},
                  Reason{v1::PROVISION_RECORD_NOT_REQUIRED, "APPI 29(1)"}));
  EXPECT_EQ(Policy().clause_view(list.items[1].article), "APPI 27(1)(i)");
  EXPECT_EQ(list.items[1].provision, ground);

  // Without it, the same provision is denied (APPI 27(1)).
  ReasonList without;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, without).allowed);
}

// APPI 28: provision abroad cites its own article.
TEST(PurposeAllowed, Appi28_OverseasThirdPartyWithoutConsent) {
  PurposeFacts f = Use();
  f.categories = Categories({"name"});
  f.recipient = Recipient("overseas_third_party");

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::RECIPIENT_CONSENT_REQUIRED, "APPI 28"},
                          Reason{v1::NO_CONSENT, "APPI 28"}));
}

// An unset recipient handle is the policy's default recipient, internal: a
// location consent for internal use only covers it, as it covers internal
// named, and it does not cover a third party.
TEST(PurposeAllowed, Clause4_UnsetRecipientIsTheDefaultInternal) {
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"location"}), Purposes({"direct_mail"}))};
  PurposeFacts f = Use();
  f.categories = Categories({"location"});
  f.consents = consents;
  ASSERT_FALSE(f.recipient.valid());
  EXPECT_EQ(RecipientIndex(Policy(), f.recipient),
            RecipientIndexOf("internal"));

  ReasonList unset;
  const PurposeVerdict v = EvaluatePurposeAllowed(Policy(), f, unset);
  f.recipient = Recipient("internal");
  ReasonList internal;
  const PurposeVerdict named = EvaluatePurposeAllowed(Policy(), f, internal);
  EXPECT_TRUE(v.allowed);
  EXPECT_EQ(v.consent, 0);
  EXPECT_TRUE(named.allowed);
  EXPECT_EQ(Reasons(unset), Reasons(internal));
  ASSERT_THAT(Reasons(unset), ElementsAre(Reason{v1::PURPOSE_PERMITTED, "4.2"},
                                          Reason{v1::CONSENT_RELIED, "2.4"}));

  f.recipient = Recipient("third_party");
  ReasonList third;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, third).allowed);
}

// Several rules at once: the suspension first, then 4's, 2's and APPI 27's,
// each category's requirement before why its consents fell short. The hot
// path's first reason is the detailed list's first.
TEST(PurposeAllowed, Clauses8_1_2_4_Appi27_EveryDenialInOrder) {
  const std::vector<PendingRequest> requests = {
      {RequestType("suspension"), TokyoTime(2026, 2, 1)}};
  PurposeFacts f = Use();
  f.categories = Categories({"location", "family_structure"});
  f.recipient = Recipient("third_party");
  f.active_requests = requests;

  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::SUSPENDED_BY_REQUEST, "8.1"},
                          Reason{v1::CONSENT_REQUIRED, "2.4"},
                          Reason{v1::NO_CONSENT, "2.4"},
                          Reason{v1::NECESSITY_NOT_DOCUMENTED, "2.5"},
                          Reason{v1::RECIPIENT_CONSENT_REQUIRED, "APPI 27"},
                          Reason{v1::NO_CONSENT, "APPI 27"}));

  ReasonCounter counter;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, counter).allowed);
  EXPECT_EQ(counter.count, static_cast<int>(list.items.size()));
  EXPECT_EQ(ReasonOf(counter.first), ReasonOf(list.items[0]));
}

// ---------------------------------------------------------------------------
// consent_check (2.4, 2.5; APPI 20(2), 27, 28)
// ---------------------------------------------------------------------------

// Location for direct_mail: the clause of a consent for it is 2.4.
ConsentFacts LocationQuery() {
  ConsentFacts f;
  f.categories = Categories({"location"});
  f.purposes = Purposes({"direct_mail"});
  f.as_of = kAsOf;
  return f;
}

ConsentRecord LocationConsent() {
  return Consent(Categories({"location"}), Purposes({"direct_mail"}));
}

// A valid consent is relied on for the category; nothing else is said.
TEST(ConsentCheck, Clause2_4_ValidConsentIsRelied_OnlyReliance) {
  const std::vector<ConsentRecord> consents = {LocationConsent()};
  ConsentFacts f = LocationQuery();
  f.consents = consents;
  ReasonList list;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), f, list);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.consent, 0);
  EXPECT_THAT(CoveredBy(list),
              ElementsAre(std::pair<int, int>{CategoryIndex("location"), 0}));
  EXPECT_EQ(list.items.size(), 1u);
}

// Not withdrawn at or before as_of: a withdrawal at exactly as_of counts.
TEST(ConsentCheck, Clause2_4_WithdrawnAtExactlyAsOf_Withdrawn) {
  std::vector<ConsentRecord> consents = {LocationConsent()};
  consents[0].withdrawn_at = kAsOf;
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::WITHDRAWN, "2.4"}));
  EXPECT_EQ(list.items[0].consent, 0);

  // A second later than as_of, it is still in force.
  consents[0].withdrawn_at = kAsOf + absl::Seconds(1);
  ReasonList later;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, later).valid);
  ASSERT_THAT(Reasons(later), ElementsAre(Reason{v1::CONSENT_RELIED, "2.4"}));
}

TEST(ConsentCheck, Clause2_4_ExpiredAtAsOf_Expired) {
  std::vector<ConsentRecord> consents = {LocationConsent()};
  consents[0].expires_at = kAsOf;
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::EXPIRED, "2.4"}));

  consents[0].expires_at = kAsOf + absl::Seconds(1);
  ReasonList before;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, before).valid);
}

// granted_at <= as_of: a consent granted a second after as_of is not yet
// valid; one granted at as_of is.
TEST(ConsentCheck, Clause2_4_GrantedAfterAsOf_NotYetValid) {
  std::vector<ConsentRecord> consents = {LocationConsent()};
  consents[0].granted_at = kAsOf + absl::Seconds(1);
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::NOT_YET_VALID, "2.4"}));

  consents[0].granted_at = kAsOf;
  ReasonList granted;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, granted).valid);
}

// A consent given under a version older than min_consent_version (1).
TEST(ConsentCheck, Clause2_4_VersionBelowMinConsentVersion_StaleVersion) {
  std::vector<ConsentRecord> consents = {LocationConsent()};
  consents[0].consent_version = Policy().min_consent_version - 1;
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::STALE_VERSION, "2.4"}));
}

TEST(ConsentCheck, Clause2_4_ConsentOfAnotherSubject_SubjectMismatch) {
  std::vector<ConsentRecord> consents = {LocationConsent()};
  consents[0].subject_matches = false;
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::SUBJECT_MISMATCH, "2.4"}));
}

// Of the valid consents, the most recently granted is relied on, wherever
// it is in the list; a later one that is invalid does not count.
TEST(ConsentCheck, Clause2_4_MostRecentlyGrantedValidConsentIsRelied) {
  std::vector<ConsentRecord> consents = {LocationConsent(), LocationConsent(),
                                         LocationConsent(), LocationConsent()};
  consents[0].granted_at = TokyoTime(2025, 1, 10);
  consents[1].granted_at = TokyoTime(2025, 9, 1);  // the one relied on
  consents[2].granted_at = TokyoTime(2024, 6, 1);
  consents[3].granted_at = TokyoTime(2026, 2, 1);
  consents[3].withdrawn_at = TokyoTime(2026, 2, 15);
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), f, list);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.consent, 1);
  EXPECT_THAT(CoveredBy(list),
              ElementsAre(std::pair<int, int>{CategoryIndex("location"), 1}));

  ReasonCounter counter;
  EXPECT_EQ(EvaluateConsentCheck(Policy(), f, counter).consent, 1);
  EXPECT_EQ(counter.count, 0);
}

// When none qualifies: every fault of every consent, consent by consent in
// the list's order, each fault in the order subject, validity, withdrawal,
// expiry, version, scope. The hot path keeps the first of them.
TEST(ConsentCheck, Clause2_4_NoneQualifies_EveryReasonOfEveryConsentInOrder) {
  std::vector<ConsentRecord> consents = {
      LocationConsent(), LocationConsent(),
      Consent(Categories({"email"}), Purposes({"direct_mail"}))};
  consents[0].subject_matches = false;
  consents[0].consent_version = 0;
  consents[1].withdrawn_at = TokyoTime(2026, 1, 1);
  consents[1].expires_at = TokyoTime(2026, 2, 1);
  ConsentFacts f = LocationQuery();
  f.consents = consents;

  ReasonList list;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::SUBJECT_MISMATCH, "2.4"},
                          Reason{v1::STALE_VERSION, "2.4"},
                          Reason{v1::WITHDRAWN, "2.4"},
                          Reason{v1::EXPIRED, "2.4"},
                          Reason{v1::OUT_OF_SCOPE, "2.4"}));
  std::vector<int> which;
  for (const ReasonRef& r : list.items) which.push_back(r.consent);
  EXPECT_THAT(which, ElementsAre(0, 0, 1, 1, 2));

  ReasonCounter counter;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, counter).valid);
  EXPECT_EQ(ReasonOf(counter.first), ReasonOf(list.items[0]));
  EXPECT_EQ(counter.first.consent, 0);
}

TEST(ConsentCheck, Clause2_4_NoConsents_NoConsent) {
  ReasonList list;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), LocationQuery(), list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.consent, -1);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::NO_CONSENT, "2.4"}));
  EXPECT_EQ(list.items[0].consent, -1);
}

// The clause of the answer: the recipient's article for a third party
// (APPI 27), else the first category's clause when none needs consent.
TEST(ConsentCheck, Appi27_ThirdPartyConsentAnswersToTheRecipientsArticle) {
  ConsentFacts f = LocationQuery();
  f.recipient = Recipient("third_party");
  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::NO_CONSENT, "APPI 27"}));

  ConsentFacts plain;
  plain.categories = Categories({"email"});
  plain.purposes = Purposes({"direct_mail"});
  plain.as_of = kAsOf;
  ReasonList email;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), plain, email).valid);
  ASSERT_THAT(Reasons(email), ElementsAre(Reason{v1::NO_CONSENT, "2.2"}));
}

// --- One coverage rule (2.4, 2.5; APPI 20(2)) ---------------------------------

// A consent whose categories list is empty: "any category".
ConsentRecord AnyCategoryConsent(PurposeSet purposes) {
  ConsentRecord c = Consent(CategorySet(), purposes);
  c.any_category = true;
  return c;
}

// A use of `categories` for customer support (4.1) within a health-related
// service (2.5), at kAsOf.
PurposeFacts CustomerSupportInAHealthService(
    CategorySet categories, absl::Span<const ConsentRecord> consents) {
  PurposeFacts use;
  use.categories = categories;
  use.purpose = Purpose("customer_support");
  use.context.health_service = true;
  use.consents = consents;
  use.as_of = kAsOf;
  return use;
}

// 2.4 (位置情報は許可をいただいた場合のみ): a consent for any category covers
// name but not location, which needs a consent that names it.
TEST(ConsentCheck, Clause2_4_AnyCategoryConsentDoesNotCoverLocation) {
  const std::vector<ConsentRecord> consents = {
      AnyCategoryConsent(Purposes({"direct_mail"}))};
  ConsentFacts f = LocationQuery();
  f.categories = Categories({"name", "location"});
  f.consents = consents;
  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::CATEGORY_NOT_NAMED, "2.4"}));
  EXPECT_EQ(list.items[0].category, CategoryIndex("location"));
  EXPECT_EQ(list.items[0].consent, 0);

  f.categories = Categories({"name"});
  ReasonList name;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, name).valid);
  EXPECT_THAT(CoveredBy(name),
              ElementsAre(std::pair<int, int>{CategoryIndex("name"), 0}));

  // A consent that names every category names location too.
  std::vector<ConsentRecord> named = consents;
  named[0].any_category = false;
  named[0].categories = Categories({"name", "location"});
  f.categories = Categories({"name", "location"});
  f.consents = named;
  ReasonList both;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, both).valid);
}

// APPI 20(2): health is special care-required; a consent for any category
// does not cover it, in consent_check and in purpose_allowed alike, and the
// finding cites APPI 20(2) beside clause 2.5.
TEST(ConsentCheck, Appi20_2_AnyCategoryConsentDoesNotCoverHealth_CitesTheArticle) {
  const std::vector<ConsentRecord> consents = {
      AnyCategoryConsent(Purposes({"customer_support"}))};
  ConsentFacts f;
  f.categories = Categories({"health"});
  f.purposes = Purposes({"customer_support"});
  f.consents = consents;
  f.as_of = kAsOf;
  ReasonList list;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, list).valid);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::CATEGORY_NOT_NAMED, "2.5"}));
  EXPECT_EQ(Policy().clause_view(list.items[0].article), "APPI 20(2)");

  const PurposeFacts use =
      CustomerSupportInAHealthService(Categories({"health"}), consents);
  ReasonList denied;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), use, denied).allowed);
  ASSERT_THAT(Reasons(denied),
              ElementsAre(Reason{v1::CONSENT_REQUIRED, "2.5"},
                          Reason{v1::CATEGORY_NOT_NAMED, "2.5"}));
  EXPECT_EQ(Policy().clause_view(denied.items[0].article), "APPI 20(2)");
  EXPECT_EQ(Policy().clause_view(denied.items[1].article), "APPI 20(2)");
}

// 2.4, APPI 20(2): consent A names location, consent B names health. Each
// category is covered by its own consent, and both functions say so.
TEST(ConsentCheck, Clause2_4_Appi20_2_OneConsentPerCategory_BothFunctionsAgree) {
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"location"}), Purposes({"customer_support"})),
      Consent(Categories({"health"}), Purposes({"customer_support"}))};
  ConsentFacts f;
  f.categories = Categories({"location", "health"});
  f.purposes = Purposes({"customer_support"});
  f.consents = consents;
  f.as_of = kAsOf;
  ReasonList check;
  const ConsentVerdict v = EvaluateConsentCheck(Policy(), f, check);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.consent, 0);
  const std::vector<std::pair<int, int>> expected = {
      {CategoryIndex("location"), 0}, {CategoryIndex("health"), 1}};
  EXPECT_EQ(CoveredBy(check), expected);

  PurposeFacts use = CustomerSupportInAHealthService(
      Categories({"location", "health"}), consents);
  ReasonList allowed;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), use, allowed).allowed);
  EXPECT_EQ(CoveredBy(allowed), expected);

  // Without B, both deny, for the same category.
  f.consents = absl::MakeConstSpan(consents).subspan(0, 1);
  use.consents = f.consents;
  ReasonList missing;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, missing).valid);
  ASSERT_THAT(Reasons(missing), ElementsAre(Reason{v1::OUT_OF_SCOPE, "2.5"}));
  EXPECT_EQ(missing.items[0].category, CategoryIndex("health"));
  EXPECT_EQ(Policy().clause_view(missing.items[0].article), "APPI 20(2)");
  ReasonList denied;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), use, denied).allowed);
  EXPECT_EQ(denied.items[0].code, v1::CONSENT_REQUIRED);
  EXPECT_EQ(denied.items[0].category, CategoryIndex("health"));

  // The hot path gives the same verdicts.
  ReasonCounter hot;
  f.consents = consents;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, hot).valid);
  EXPECT_EQ(hot.count, 0);
}

// APPI 27: provision to a third party of two categories may rest on two
// consents, each naming the recipient.
TEST(PurposeAllowed, Appi27_EachCategoryProvidedMayRestOnItsOwnConsent) {
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"name"}), Purposes({"direct_mail"}),
              Recipients({"third_party"})),
      Consent(Categories({"email"}), Purposes({"direct_mail"}),
              Recipients({"third_party"}))};
  PurposeFacts f = Use();
  f.recipient = Recipient("third_party");
  f.consents = consents;
  ReasonList list;
  EXPECT_TRUE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  const std::vector<std::pair<int, int>> expected = {
      {CategoryIndex("name"), 0}, {CategoryIndex("email"), 1}};
  EXPECT_EQ(CoveredBy(list), expected);
  EXPECT_EQ(Policy().clause_view(list.items[1].clause), "APPI 27");
}

// 2.4 取得: with no purpose, consent_check asks whether the categories may be
// acquired; a consent naming location covers that whatever its purposes.
TEST(ConsentCheck, Clause2_4_NoPurposeAsksAboutAcquisition) {
  const std::vector<ConsentRecord> consents = {
      Consent(Categories({"location"}), Purposes({"customer_support"}))};
  ConsentFacts f;
  f.categories = Categories({"location"});
  f.consents = consents;
  f.as_of = kAsOf;
  ReasonList list;
  EXPECT_TRUE(EvaluateConsentCheck(Policy(), f, list).valid);

  // A consent for any category still does not permit acquiring location.
  const std::vector<ConsentRecord> any = {
      AnyCategoryConsent(Purposes({"customer_support"}))};
  f.consents = any;
  ReasonList denied;
  EXPECT_FALSE(EvaluateConsentCheck(Policy(), f, denied).valid);
  ASSERT_THAT(Reasons(denied),
              ElementsAre(Reason{v1::CATEGORY_NOT_NAMED, "2.4"}));
}

// --- Minors (PPC Q&A 1-62; 年齢計算ニ関スル法律, 民法 143) ----------------------

// A location consent given at `granted_at` by a person born on `birth`.
ConsentRecord ConsentOfPersonBorn(absl::CivilDay birth, absl::Time granted_at) {
  ConsentRecord c = LocationConsent();
  c.birth_date = birth;
  c.granted_at = granted_at;
  return c;
}

// Whether that consent counts at a much later as_of.
bool Counts(const ConsentRecord& c) {
  const std::vector<ConsentRecord> consents = {c};
  ConsentFacts f = LocationQuery();
  f.consents = consents;
  f.as_of = TokyoTime(2200, 1, 1);
  ReasonList list;
  const bool valid = EvaluateConsentCheck(Policy(), f, list).valid;
  if (!valid) {
    EXPECT_THAT(Reasons(list), ElementsAre(Reason{v1::MINOR_WITHOUT_REPRESENTATIVE,
                                                  "PPC Q&A 1-62"}));
  }
  return valid;
}

// Born on 1 April 2010: 15 throughout 31 March 2026 (a year of age is
// completed at the end of the day before the birthday), 16 from 1 April.
TEST(ConsentCheck, PpcQa1_62_BornOn1April_Turns16AtTheEndOf31March) {
  const absl::CivilDay birth(2010, 4, 1);
  EXPECT_FALSE(Counts(ConsentOfPersonBorn(birth, TokyoTime(2026, 3, 31, 23, 59, 59))));
  EXPECT_TRUE(Counts(ConsentOfPersonBorn(birth, TokyoTime(2026, 4, 1, 0, 0, 0))));
}

// The day is the Tokyo date: 2026-03-31T15:00Z is 1 April in Tokyo.
TEST(ConsentCheck, PpcQa1_62_AgeIsCountedOnTheTokyoDate) {
  const absl::CivilDay birth(2010, 4, 1);
  const absl::Time utc_evening = absl::FromCivil(
      absl::CivilSecond(2026, 3, 31, 15, 0, 0), absl::UTCTimeZone());
  EXPECT_TRUE(Counts(ConsentOfPersonBorn(birth, utc_evening)));
  EXPECT_FALSE(Counts(ConsentOfPersonBorn(birth, utc_evening - absl::Seconds(1))));
}

// Born on 29 February: the year ends at the end of 28 February, in a leap
// year (2024) and in a year without 29 February (2100, 民法 143(2)).
TEST(ConsentCheck, PpcQa1_62_BornOn29February) {
  const absl::CivilDay leap_birth(2008, 2, 29);
  EXPECT_FALSE(Counts(ConsentOfPersonBorn(leap_birth, TokyoTime(2024, 2, 28, 23, 0, 0))));
  EXPECT_TRUE(Counts(ConsentOfPersonBorn(leap_birth, TokyoTime(2024, 2, 29, 0, 0, 0))));
  const absl::CivilDay century_birth(2084, 2, 29);
  EXPECT_FALSE(Counts(ConsentOfPersonBorn(century_birth, TokyoTime(2100, 2, 28, 23, 0, 0))));
  EXPECT_TRUE(Counts(ConsentOfPersonBorn(century_birth, TokyoTime(2100, 3, 1, 0, 0, 0))));
}

// The age is the age when the consent was given: a consent given at 15
// without a representative stays invalid after the person turns 16, and one
// with a representative's consent counts. A consent without a birth date is
// not held to the rule.
TEST(ConsentCheck, PpcQa1_62_AgeWhenGiven_RepresentativeConsentCounts) {
  ConsentRecord c =
      ConsentOfPersonBorn(absl::CivilDay(2010, 4, 1), TokyoTime(2025, 4, 1));
  EXPECT_FALSE(Counts(c));  // as_of 2200: long past 16
  c.representative_consent = true;
  EXPECT_TRUE(Counts(c));
  c.representative_consent = false;
  c.birth_date.reset();
  EXPECT_TRUE(Counts(c));
}

// purpose_allowed applies the same rule.
TEST(PurposeAllowed, PpcQa1_62_ConsentOfAMinorWithoutRepresentativeIsNotRelied) {
  const std::vector<ConsentRecord> consents = {ConsentOfPersonBorn(
      absl::CivilDay(2012, 6, 1), TokyoTime(2025, 4, 1))};
  PurposeFacts f = Use();
  f.categories = Categories({"location"});
  f.consents = consents;
  ReasonList list;
  EXPECT_FALSE(EvaluatePurposeAllowed(Policy(), f, list).allowed);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::CONSENT_REQUIRED, "2.4"},
                          Reason{v1::MINOR_WITHOUT_REPRESENTATIVE,
                                 "PPC Q&A 1-62"}));
}

// ---------------------------------------------------------------------------
// retention_due (clause 7; 民法 140, 143)
// ---------------------------------------------------------------------------

// A contract that has not ended has no clock yet: not due, with a reason.
TEST(RetentionDue, Clause7_ContractWithoutEnd_ClockNotStarted) {
  RetentionFacts f;
  f.kind = Kind("contract_transaction");
  f.as_of = kAsOf;

  ReasonList list;
  const RetentionVerdict v = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_FALSE(v.due);
  EXPECT_FALSE(v.clock_started);
  EXPECT_FALSE(v.period_ended);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::CLOCK_NOT_STARTED, "7"}));
}

// DESIGN.md's example: an inquiry on 2023-05-10 is kept until 2026-05-10
// (the event day not counted, 民法 140) and is due at 2026-05-11 00:00 JST.
TEST(RetentionDue, Clause7_Minpo140_InquiryDueAtTheStartOfTheDayAfterRetainUntil) {
  RetentionFacts f;
  f.kind = Kind("inquiry");
  f.event_at = TokyoTime(2023, 5, 10, 15, 30, 0);
  const absl::Time due_at = TokyoTime(2026, 5, 11, 0, 0, 0);

  f.as_of = due_at - absl::Seconds(1);
  ReasonList running;
  const RetentionVerdict before = EvaluateRetentionDue(Policy(), f, running);
  EXPECT_FALSE(before.due);
  EXPECT_TRUE(before.clock_started);
  EXPECT_FALSE(before.period_ended);
  EXPECT_EQ(before.retain_until, absl::CivilDay(2026, 5, 10));
  EXPECT_EQ(before.retain_until_days, UnixDays(absl::CivilDay(2026, 5, 10)));
  EXPECT_EQ(before.due_at, due_at);
  ASSERT_THAT(Reasons(running), ElementsAre(Reason{v1::PERIOD_RUNNING, "7"}));

  f.as_of = due_at;
  ReasonList none;
  const RetentionVerdict at = EvaluateRetentionDue(Policy(), f, none);
  EXPECT_TRUE(at.due);
  EXPECT_TRUE(at.period_ended);
  EXPECT_EQ(at.due_at, due_at);
  EXPECT_THAT(none.items, IsEmpty());
}

// 民法 140: the event day is not counted even for an event at 00:00:00.
TEST(RetentionDue, Clause7_Minpo140_EventAtMidnightStillNotCounted) {
  RetentionFacts f;
  f.kind = Kind("inquiry");
  f.event_at = TokyoTime(2023, 5, 10, 0, 0, 0);
  f.as_of = kAsOf;
  ReasonList list;
  const RetentionVerdict v = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_EQ(v.retain_until, absl::CivilDay(2026, 5, 10));
  EXPECT_EQ(v.due_at, TokyoTime(2026, 5, 11, 0, 0, 0));

  // 民法 143 on a leap day: 2024-02-29 with 3 years ends on 2027-02-28.
  f.event_at = TokyoTime(2024, 2, 29);
  EXPECT_EQ(EvaluateRetentionDue(Policy(), f, list).retain_until,
            absl::CivilDay(2027, 2, 28));
}

// 7, 保存期間の例外: a hold whose `until` is after as_of keeps a record whose
// period ended; one that ended (at or before as_of) does not. The period's
// end is still reported.
TEST(RetentionDue, Clause7_Exception_HoldInForceKeepsADueRecord) {
  const absl::Time as_of = TokyoTime(2026, 6, 1);
  const std::vector<RecordHold> holds = {
      {HoldType("legal_obligation"), as_of - absl::Hours(24)},
      {HoldType("dispute"), as_of + absl::Hours(24)},
      {HoldType("consent"), as_of}};
  RetentionFacts f;
  f.kind = Kind("inquiry");
  f.event_at = TokyoTime(2023, 5, 10);
  f.holds = holds;
  f.as_of = as_of;

  ReasonList list;
  const RetentionVerdict v = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_FALSE(v.due);
  EXPECT_TRUE(v.period_ended);
  EXPECT_EQ(v.retain_until, absl::CivilDay(2026, 5, 10));
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::HOLD_APPLIES, "7"}));
  EXPECT_EQ(list.items[0].hold, 1);

  // Only the ended holds: the record is due.
  const std::vector<RecordHold> ended = {holds[0], holds[2]};
  f.holds = ended;
  ReasonList none;
  EXPECT_TRUE(EvaluateRetentionDue(Policy(), f, none).due);
  EXPECT_THAT(none.items, IsEmpty());

  // A hold with no end keeps it too.
  const std::vector<RecordHold> open = {{HoldType("dispute")}};
  f.holds = open;
  ReasonList held;
  EXPECT_FALSE(EvaluateRetentionDue(Policy(), f, held).due);
  ASSERT_THAT(Reasons(held), ElementsAre(Reason{v1::HOLD_APPLIES, "7"}));
  EXPECT_EQ(held.items[0].hold, 0);
}

// A hold does not matter while the period runs: PERIOD_RUNNING alone.
TEST(RetentionDue, Clause7_HoldWhilePeriodRuns_PeriodRunningOnly) {
  const std::vector<RecordHold> holds = {{HoldType("dispute")}};
  RetentionFacts f;
  f.kind = Kind("inquiry");
  f.event_at = TokyoTime(2025, 5, 10);
  f.holds = holds;
  f.as_of = kAsOf;
  ReasonList list;
  EXPECT_FALSE(EvaluateRetentionDue(Policy(), f, list).due);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::PERIOD_RUNNING, "7"}));
}

// Every date pip prints is one it accepts: an inquiry in 9998 with its
// 3 years would be kept into 10001 and is refused; one on 9996-12-30 is kept
// until 9999-12-30 (the last retain-until day) and accepted; a day later is
// refused.
TEST(RetentionDue, Clause7_CheckDueAtInRange_RefusesAPeriodEndingAfter9999_12_30) {
  const int inquiry = IdOf(Policy().retention_kind_index, "inquiry");
  RetentionFacts f;
  f.kind = Kind("inquiry");
  f.as_of = kAsOf;
  ReasonList list;

  f.event_at = TokyoTime(9998, 6, 1);
  const RetentionVerdict far = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_THAT(CheckDueAtInRange(Policy(), inquiry, far),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("event_at")));

  f.event_at = TokyoTime(9996, 12, 30);
  const RetentionVerdict last = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_EQ(last.retain_until, absl::CivilDay(9999, 12, 30));
  EXPECT_EQ(last.retain_until_days, time_internal::kLastRetainUntilDay);
  EXPECT_THAT(CheckDueAtInRange(Policy(), inquiry, last), IsOk());

  f.event_at = TokyoTime(9996, 12, 31);
  const RetentionVerdict over = EvaluateRetentionDue(Policy(), f, list);
  EXPECT_THAT(CheckDueAtInRange(Policy(), inquiry, over),
              StatusIs(absl::StatusCode::kInvalidArgument));

  // A clock that has not started has no date to check.
  RetentionFacts pending;
  pending.kind = Kind("contract_transaction");
  pending.as_of = kAsOf;
  const int contract =
      IdOf(Policy().retention_kind_index, "contract_transaction");
  EXPECT_THAT(CheckDueAtInRange(
                  Policy(), contract,
                  EvaluateRetentionDue(Policy(), pending, list)),
              IsOk());
}

// Accounting (会計・請求情報): 7 years from the day after the corporate tax
// filing deadline of the fiscal year holding the record (法人税法), that day
// counted. The fiscal year ends 31 March and the deadline is 2 months later.
TEST(RetentionDue, Clause7_Accounting_SevenYearsFromTheDayAfterTheFilingDeadline) {
  RetentionFacts f;
  f.kind = Kind("accounting");
  f.as_of = kAsOf;
  ReasonList list;

  // FY 2024-04-01..2025-03-31: deadline 2025-05-31, the clock starts on
  // 2025-06-01, the record is kept until 2032-05-31.
  for (const absl::Time event :
       {TokyoTime(2024, 4, 1), TokyoTime(2024, 5, 15),
        TokyoTime(2025, 3, 31, 23, 59, 59)}) {
    f.event_at = event;
    const RetentionVerdict v = EvaluateRetentionDue(Policy(), f, list);
    EXPECT_EQ(v.retain_until, absl::CivilDay(2032, 5, 31)) << event;
    EXPECT_EQ(v.due_at, TokyoTime(2032, 6, 1, 0, 0, 0)) << event;
  }
  // The next fiscal year: a year later.
  f.event_at = TokyoTime(2025, 4, 1, 0, 0, 0);
  EXPECT_EQ(EvaluateRetentionDue(Policy(), f, list).retain_until,
            absl::CivilDay(2033, 5, 31));

  // Due from 00:00 JST on 2032-06-01, not a second before.
  f.event_at = TokyoTime(2024, 5, 15);
  f.as_of = TokyoTime(2032, 5, 31, 23, 59, 59);
  ReasonList running;
  EXPECT_FALSE(EvaluateRetentionDue(Policy(), f, running).due);
  ASSERT_THAT(Reasons(running), ElementsAre(Reason{v1::PERIOD_RUNNING, "7"}));
  f.as_of = TokyoTime(2032, 6, 1, 0, 0, 0);
  ReasonList due;
  EXPECT_TRUE(EvaluateRetentionDue(Policy(), f, due).due);
  EXPECT_THAT(due.items, IsEmpty());
}

// ---------------------------------------------------------------------------
// request_validate (clause 8)
// ---------------------------------------------------------------------------

// A complete correction request of the subject by email, received on
// 2026-01-31, at 2026-02-02.
RequestFacts CompleteRequest() {
  RequestFacts f;
  f.type = RequestType("correction");
  f.channel = Channel("email");
  f.documents = Documents({"identity_document", "request_form"});
  f.identity_verified = true;
  f.received_at = TokyoTime(2026, 1, 31, 10, 0, 0);
  f.as_of = TokyoTime(2026, 2, 2);
  return f;
}

TEST(RequestValidate, Clause8_2_CompleteRequest_ValidRespond) {
  ReasonList list;
  const RequestVerdict v =
      EvaluateRequestValidate(Policy(), CompleteRequest(), list);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.next_step, v1::RESPOND);
  EXPECT_EQ(v.fee_due_jpy, 0);
  EXPECT_EQ(v.fee_unpaid_jpy, 0);
  EXPECT_FALSE(v.overdue);
  // DESIGN.md: received 2026-01-31 -> respond_by 2026-03-02.
  EXPECT_EQ(v.respond_by, absl::CivilDay(2026, 3, 2));
  EXPECT_EQ(v.respond_by_days, UnixDays(absl::CivilDay(2026, 3, 2)));
  EXPECT_THAT(list.items, IsEmpty());
}

// 8.2: requests are accepted by phone or email only.
TEST(RequestValidate, Clause8_2_UnacceptedChannel_ChannelNotAccepted) {
  RequestFacts f = CompleteRequest();
  f.channel = Access::MakeHandle<RequestChannelId>(kUnacceptedChannel,
                                                   Policy().generation);
  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.next_step, v1::FIX_CHANNEL);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::CHANNEL_NOT_ACCEPTED, "8.2"}));

  f.channel = Channel("phone");
  ReasonList phone;
  EXPECT_TRUE(EvaluateRequestValidate(Policy(), f, phone).valid);
  EXPECT_THAT(phone.items, IsEmpty());
}

// 8.2, 8.3: every document the requester must submit and did not, in the
// policy's order, each with its clause: an agent's power of attorney is 8.3.
TEST(RequestValidate, Clause8_2_8_3_DocumentMissingPerRequiredDocumentInOrder) {
  RequestFacts f = CompleteRequest();
  f.requester = Requester("agent");
  f.documents = Documents({"request_form"});

  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.next_step, v1::COLLECT_DOCUMENTS);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::DOCUMENT_MISSING, "8.2"},
                          Reason{v1::DOCUMENT_MISSING, "8.3"}));
  EXPECT_EQ(list.items[0].document, DocumentIndex("identity_document"));
  EXPECT_EQ(list.items[1].document, DocumentIndex("power_of_attorney"));

  // The subject in person (the unset requester) needs no power of attorney.
  f.requester = RequesterId();
  f.documents = DocumentSet();
  ReasonList self;
  EXPECT_FALSE(EvaluateRequestValidate(Policy(), f, self).valid);
  ASSERT_THAT(Reasons(self), ElementsAre(Reason{v1::DOCUMENT_MISSING, "8.2"},
                                         Reason{v1::DOCUMENT_MISSING, "8.2"}));
  EXPECT_EQ(self.items[0].document, DocumentIndex("identity_document"));
  EXPECT_EQ(self.items[1].document, DocumentIndex("request_form"));
}

// 8.3: disclosure costs 300 JPY; what is not paid is stated.
TEST(RequestValidate, Clause8_3_DisclosureFeePartlyPaid_FeeUnpaid) {
  RequestFacts f = CompleteRequest();
  f.type = RequestType("disclosure");
  f.fee_paid_jpy = 100;

  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.fee_due_jpy, 300);
  EXPECT_EQ(v.fee_unpaid_jpy, 200);
  EXPECT_EQ(v.next_step, v1::COLLECT_FEE);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::FEE_UNPAID, "8.3"}));

  f.fee_paid_jpy = 300;
  ReasonList paid;
  const RequestVerdict ok = EvaluateRequestValidate(Policy(), f, paid);
  EXPECT_TRUE(ok.valid);
  EXPECT_EQ(ok.fee_unpaid_jpy, 0);
  EXPECT_THAT(paid.items, IsEmpty());
}

// 8.3: charging more than the type's fee is flagged, and does not make the
// request invalid.
TEST(RequestValidate, Clause8_3_PaidMoreThanDue_FeeNotChargeable) {
  RequestFacts f = CompleteRequest();  // correction: no fee
  f.fee_paid_jpy = 300;
  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.fee_due_jpy, 0);
  EXPECT_EQ(v.fee_unpaid_jpy, 0);
  EXPECT_EQ(v.next_step, v1::RESPOND);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::FEE_NOT_CHARGEABLE, "8.3"}));

  // More than the fee of a type that has one: a code of its own.
  f.type = RequestType("disclosure");
  f.fee_paid_jpy = 301;
  ReasonList over;
  EXPECT_TRUE(EvaluateRequestValidate(Policy(), f, over).valid);
  ASSERT_THAT(Reasons(over), ElementsAre(Reason{v1::FEE_OVERPAID, "8.3"}));
}

// 8.2: 30 days, the day of receipt not counted; overdue from 00:00 JST the
// day after respond_by.
TEST(RequestValidate, Clause8_2_OverdueFromMidnightJstAfterRespondBy) {
  RequestFacts f = CompleteRequest();
  f.as_of = TokyoTime(2026, 3, 2, 23, 59, 59);
  ReasonList last_day;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, last_day);
  EXPECT_FALSE(v.overdue);
  EXPECT_THAT(last_day.items, IsEmpty());

  f.as_of = TokyoTime(2026, 3, 3, 0, 0, 0);
  ReasonList list;
  const RequestVerdict late = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_TRUE(late.overdue);
  EXPECT_TRUE(late.valid);  // late, but complete
  EXPECT_EQ(late.next_step, v1::RESPOND);
  EXPECT_EQ(late.respond_by, absl::CivilDay(2026, 3, 2));
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::RESPONSE_OVERDUE, "8.2"}));
}

// 8.3: each refusal ground found is flagged for a person's review, in the
// policy's order.
TEST(RequestValidate, Clause8_3_ReviewRequiredPerGround) {
  RequestFacts f = CompleteRequest();
  f.review = ReviewGrounds({"third_party_rights", "legally_restricted"});
  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_TRUE(v.valid);
  EXPECT_EQ(v.next_step, v1::HUMAN_REVIEW);
  ASSERT_THAT(Reasons(list), ElementsAre(Reason{v1::REVIEW_REQUIRED, "8.3"},
                                         Reason{v1::REVIEW_REQUIRED, "8.3"}));
  EXPECT_EQ(list.items[0].review, ReviewIndex("legally_restricted"));
  EXPECT_EQ(list.items[1].review, ReviewIndex("third_party_rights"));
}

// 8.2: identity verified before the response.
TEST(RequestValidate, Clause8_2_IdentityNotVerified) {
  RequestFacts f = CompleteRequest();
  f.identity_verified = false;
  ReasonList list;
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_FALSE(v.valid);
  EXPECT_EQ(v.next_step, v1::VERIFY_IDENTITY);
  ASSERT_THAT(Reasons(list),
              ElementsAre(Reason{v1::IDENTITY_NOT_VERIFIED, "8.2"}));
}

// Clause 8's findings in order, and the next step the first that applies:
// fix the channel, collect documents, collect the fee, verify identity, a
// person's review, respond. Each is cleared in turn.
TEST(RequestValidate, Clause8_NextStepInItsOrder) {
  RequestFacts f = CompleteRequest();
  f.type = RequestType("disclosure");
  f.channel = Access::MakeHandle<RequestChannelId>(kUnacceptedChannel,
                                                   Policy().generation);
  f.documents = Documents({"request_form"});
  f.identity_verified = false;
  f.fee_paid_jpy = 0;
  f.review = ReviewGrounds({"legally_restricted"});
  f.as_of = TokyoTime(2026, 3, 3, 0, 0, 0);

  ReasonList all;
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, all).next_step,
            v1::FIX_CHANNEL);
  ASSERT_THAT(Reasons(all),
              ElementsAre(Reason{v1::CHANNEL_NOT_ACCEPTED, "8.2"},
                          Reason{v1::DOCUMENT_MISSING, "8.2"},
                          Reason{v1::IDENTITY_NOT_VERIFIED, "8.2"},
                          Reason{v1::FEE_UNPAID, "8.3"},
                          Reason{v1::RESPONSE_OVERDUE, "8.2"},
                          Reason{v1::REVIEW_REQUIRED, "8.3"}));
  ReasonCounter counter;
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, counter).next_step,
            v1::FIX_CHANNEL);
  EXPECT_EQ(ReasonOf(counter.first), ReasonOf(all.items[0]));
  EXPECT_EQ(counter.count, static_cast<int>(all.items.size()));

  ReasonList sink;
  f.channel = Channel("phone");
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, sink).next_step,
            v1::COLLECT_DOCUMENTS);
  f.documents = Documents({"identity_document", "request_form"});
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, sink).next_step,
            v1::COLLECT_FEE);
  f.fee_paid_jpy = 300;
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, sink).next_step,
            v1::VERIFY_IDENTITY);
  f.identity_verified = true;
  const RequestVerdict review = EvaluateRequestValidate(Policy(), f, sink);
  EXPECT_TRUE(review.valid);
  EXPECT_EQ(review.next_step, v1::HUMAN_REVIEW);
  f.review = ReviewGroundSet();
  EXPECT_EQ(EvaluateRequestValidate(Policy(), f, sink).next_step, v1::RESPOND);
}

// Every date pip prints is one it accepts: a request received on
// 9999-12-20 would be answered in 10000 and is refused; one received on
// 9999-12-01 is answered by 9999-12-31.
TEST(RequestValidate, Clause8_2_CheckRespondByInRange_RefusesAnAnswerAfter9999) {
  RequestFacts f = CompleteRequest();
  f.received_at = TokyoTime(9999, 12, 20);
  f.as_of = TokyoTime(9999, 12, 21);
  ReasonList list;
  EXPECT_THAT(CheckRespondByInRange(EvaluateRequestValidate(Policy(), f, list)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("received_at")));

  f.received_at = TokyoTime(9999, 12, 1);
  const RequestVerdict v = EvaluateRequestValidate(Policy(), f, list);
  EXPECT_EQ(v.respond_by, absl::CivilDay(9999, 12, 31));
  EXPECT_EQ(v.respond_by_days, kLastRespondByDay);
  EXPECT_THAT(CheckRespondByInRange(v), IsOk());
}

}  // namespace
}  // namespace eval_internal
}  // namespace pip
