// Tests of the hot path (pip/snapshot.h) against the default policy: handle
// lookups and their errors, and agreement with the Engine's proto API over
// many generated inputs, for all four decisions and the batch retention
// sweep. The proto path, the handle path and the sweep run the same
// evaluators; these tests hold them to the same answers.
#include "pip/snapshot.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "tests/testing/engine.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/time.h"

namespace pip {
namespace {

using ::pip::testing::StatusIs;
using ::pip::testing::Tokyo;
using ::pip::testing::Ts;
using ::testing::HasSubstr;

// A civil time in Tokyo.
absl::Time At(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0) {
  return ::pip::testing::TokyoTime(y, m, d, hh, mm, ss);
}

// Ts() keeps the nanoseconds.
constexpr auto TsNanos = [](absl::Time t) { return Ts(t); };

std::string Day(absl::CivilDay d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

struct GenConsent;

class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Engine>> e =
        Engine::Create(PolicySource::Default());
    ASSERT_TRUE(e.ok()) << e.status();
    engine_ = *std::move(e);
    snap_ = engine_->snapshot();
    ASSERT_NE(snap_, nullptr);
  }

  // Clause7_SweepAgreesWithRetentionDue with events over `spread_days`.
  void ExpectSweepAgreesWithRetentionDue(int spread_days);

  template <typename T>
  T Ok(absl::StatusOr<T> v) {
    EXPECT_OK(v);
    return v.ok() ? *std::move(v) : T();
  }

  CategorySet Cats(const std::vector<std::string>& ids) {
    if (ids.empty()) return snap_->AllCategories();
    std::vector<absl::string_view> views(ids.begin(), ids.end());
    return Ok(snap_->Categories(views));
  }
  PurposeSet Purps(const std::vector<std::string>& ids) {
    if (ids.empty()) return snap_->AllPurposes();
    std::vector<absl::string_view> views(ids.begin(), ids.end());
    return Ok(snap_->Purposes(views));
  }

  // The handle-path record of a generated consent, as AddConsentProto()
  // gives its proto.
  ConsentRecord RecordOf(const GenConsent& g);

  std::unique_ptr<Engine> engine_;
  std::shared_ptr<const Snapshot> snap_;
};

// --- Lookups -----------------------------------------------------------------

TEST_F(SnapshotTest, LookupsGiveDenseHandlesOfThePolicy) {
  const CategoryId name = Ok(snap_->Category("name"));
  const CategoryId email = Ok(snap_->Category("email"));
  EXPECT_TRUE(name.valid());
  EXPECT_NE(name, email);
  EXPECT_EQ(Ok(snap_->Category("email")), email);
  const CategorySet set = Ok(snap_->Categories({"name", "email"}));
  EXPECT_TRUE(set.Contains(name));
  EXPECT_TRUE(set.Contains(email));
  EXPECT_FALSE(set.Contains(Ok(snap_->Category("health"))));
  EXPECT_EQ(set.size(), 2);
}

TEST_F(SnapshotTest, UnknownIdIsInvalidArgumentWithSuggestion) {
  absl::StatusOr<CategoryId> c = snap_->Category("emial");
  ASSERT_THAT(c,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("unknown category 'emial'"),
                                        HasSubstr("did you mean 'email'"))));
  absl::StatusOr<CategorySet> s = snap_->Categories({"name", "emial"});
  ASSERT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("categories[1]")));
  EXPECT_THAT(snap_->Purpose("no_such_purpose"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(snap_->RetentionKind("inquiryy"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// 8.2: requests are accepted by phone or email only; another channel is a
// fault the decision reports, not an error of the lookup.
TEST_F(SnapshotTest, Clause8_2_UnlistedChannelIsNotAccepted) {
  EXPECT_TRUE(snap_->accepted(snap_->RequestChannel("email")));
  EXPECT_TRUE(snap_->accepted(snap_->RequestChannel("phone")));
  const RequestChannelId post = snap_->RequestChannel("post");
  EXPECT_TRUE(post.valid());
  EXPECT_FALSE(snap_->accepted(post));
}

// --- Handle misuse is an error, never an answer ------------------------------

TEST_F(SnapshotTest, HandleOfAnotherPolicyIsFailedPrecondition) {
  absl::StatusOr<std::unique_ptr<Engine>> other =
      Engine::Create(PolicySource::Default());
  ASSERT_TRUE(other.ok());
  std::shared_ptr<const Snapshot> theirs = (*other)->snapshot();
  PurposeFacts f;
  f.categories = Ok(snap_->Categories({"name"}));
  f.purpose = Ok(theirs->Purpose("billing"));
  f.as_of = At(2026, 3, 1);
  EXPECT_THAT(snap_->PurposeAllowed(f),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Mixing two policies in one set spoils it.
  CategorySet mixed = Ok(snap_->Categories({"name"}));
  mixed.Insert(Ok(theirs->Category("email")));
  f.purpose = Ok(snap_->Purpose("billing"));
  f.categories = mixed;
  EXPECT_THAT(snap_->PurposeAllowed(f),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(SnapshotTest, SnapshotOfTheSamePolicyAcceptsTheHandles) {
  std::shared_ptr<const Snapshot> again = engine_->snapshot();
  PurposeFacts f;
  f.categories = Ok(snap_->Categories({"name"}));
  f.purpose = Ok(snap_->Purpose("billing"));
  f.as_of = At(2026, 3, 1);
  EXPECT_OK(again->PurposeAllowed(f));
}

TEST_F(SnapshotTest, ReloadNeedsNewHandles) {
  PurposeFacts f;
  f.categories = Ok(snap_->Categories({"name"}));
  f.purpose = Ok(snap_->Purpose("billing"));
  f.as_of = At(2026, 3, 1);
  ASSERT_TRUE(engine_->Reload(PolicySource::Message(engine_->policy())).ok());
  std::shared_ptr<const Snapshot> fresh = engine_->snapshot();
  EXPECT_THAT(fresh->PurposeAllowed(f),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // The old snapshot still answers with the policy it holds.
  EXPECT_OK(snap_->PurposeAllowed(f));
}

// A snapshot is built once per policy installed: every call of snapshot()
// until the next reload shares it, and a reload (or a refused one) is seen
// at once.
TEST_F(SnapshotTest, OneSnapshotPerPolicyInstalled) {
  EXPECT_EQ(engine_->snapshot(), snap_);
  ASSERT_TRUE(engine_->Reload(PolicySource::Message(engine_->policy())).ok());
  std::shared_ptr<const Snapshot> fresh = engine_->snapshot();
  EXPECT_NE(fresh, snap_);
  EXPECT_EQ(engine_->snapshot(), fresh);
  EXPECT_FALSE(engine_->Reload(PolicySource::Text("version: ")).ok());
  EXPECT_EQ(engine_->snapshot(), fresh);
}

TEST_F(SnapshotTest, UnsetOrEmptyInputsAreInvalidArgument) {
  PurposeFacts f;
  f.as_of = At(2026, 3, 1);
  f.purpose = Ok(snap_->Purpose("billing"));
  EXPECT_EQ(snap_->PurposeAllowed(f).status().code(),
            absl::StatusCode::kInvalidArgument);  // no category
  f.categories = Ok(snap_->Categories({"name"}));
  f.purpose = PurposeId();
  EXPECT_EQ(snap_->PurposeAllowed(f).status().code(),
            absl::StatusCode::kInvalidArgument);  // unset purpose
  CategorySet spoiled;
  spoiled.Insert(CategoryId());
  f.purpose = Ok(snap_->Purpose("billing"));
  f.categories = spoiled;
  EXPECT_THAT(snap_->PurposeAllowed(f),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  f.categories = Ok(snap_->Categories({"name"}));
  f.as_of = absl::InfiniteFuture();
  absl::StatusOr<PurposeVerdict> v = snap_->PurposeAllowed(f);
  EXPECT_THAT(v,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));

  std::vector<ConsentRecord> many(kMaxConsentsPerRequest + 1);
  f.as_of = At(2026, 3, 1);
  f.consents = many;
  EXPECT_THAT(snap_->PurposeAllowed(f),
              StatusIs(absl::StatusCode::kInvalidArgument));

  RequestFacts r;
  r.type = Ok(snap_->RequestType("disclosure"));
  r.channel = snap_->RequestChannel("email");
  r.received_at = r.as_of = At(2026, 1, 31);
  r.fee_paid_jpy = -1;
  EXPECT_THAT(snap_->RequestValidate(r).status().message(),
              HasSubstr("fee_paid_jpy"));
  r.fee_paid_jpy = 0;
  r.channel = RequestChannelId();
  EXPECT_THAT(snap_->RequestValidate(r),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// Clause 7: a kind whose clock needs an event cannot be asked without one;
// a contract that has not ended has no clock yet.
TEST_F(SnapshotTest, Clause7_MissingEventIsAnErrorExceptForPendingContracts) {
  RetentionFacts f;
  f.kind = Ok(snap_->RetentionKind("inquiry"));
  f.as_of = At(2026, 3, 1);
  EXPECT_THAT(snap_->RetentionDue(f),
              StatusIs(absl::StatusCode::kInvalidArgument));
  f.kind = Ok(snap_->RetentionKind("contract_transaction"));
  const RetentionVerdict v = Ok(snap_->RetentionDue(f));
  EXPECT_FALSE(v.due);
  EXPECT_EQ(v.reason, v1::CLOCK_NOT_STARTED);
}

// --- The inline path of PurposeAllowed ---------------------------------------
// PurposeAllowed answers the common case inline (no rule can bear on the
// query) and hands anything else to the out-of-line evaluation. Whatever the
// facts, both must give the same verdict or the same error.

void ExpectSameAnswer(const absl::StatusOr<PurposeVerdict>& inline_answer,
                      const absl::StatusOr<PurposeVerdict>& out_of_line) {
  ASSERT_EQ(inline_answer.status(), out_of_line.status());
  if (!out_of_line.ok()) return;
  EXPECT_EQ(inline_answer->allowed, out_of_line->allowed);
  EXPECT_EQ(inline_answer->reason, out_of_line->reason);
  EXPECT_EQ(inline_answer->clause, out_of_line->clause);
  EXPECT_EQ(inline_answer->consent, out_of_line->consent);
}

absl::StatusOr<PurposeVerdict> OutOfLine(const Snapshot& snap,
                                         const PurposeFacts& f) {
  return snapshot_internal::Access::PurposeAllowedOutOfLine(snap, f);
}

// 2.1-2.3 (and 2.4 but location, 2.5 but health and family structure):
// categories without conditions may be used for every purpose of 4.1-4.4
// but the statistics of 4.3, and given to a recipient that needs no named
// consent (internal, the default; a contractor, 6). Every such use is
// permitted under the purpose's clause, inline and out of line alike; the
// others go out of line and agree too.
TEST_F(SnapshotTest, Clauses2And4_EveryCategoryAndPurposeAgreeInlineAndOutOfLine) {
  const v1::Policy policy = engine_->policy();
  const std::vector<std::string> conditional = {"location", "health",
                                                "family_structure"};
  const CategorySet plain_pair = Ok(snap_->Categories({"name", "email"}));
  int permitted = 0;
  for (const auto& purpose : policy.purposes()) {
    for (const auto& category : policy.categories()) {
      for (const char* recipient :
           {"", "internal", "contractor", "third_party"}) {
        PurposeFacts f;
        f.purpose = Ok(snap_->Purpose(purpose.id()));
        f.categories = Ok(snap_->Categories({category.id()}));
        if (*recipient != '\0') f.recipient = Ok(snap_->Recipient(recipient));
        f.as_of = At(2026, 3, 1);
        SCOPED_TRACE(absl::StrCat(purpose.id(), " ", category.id(), " ",
                                  recipient));
        const absl::StatusOr<PurposeVerdict> v = snap_->PurposeAllowed(f);
        ExpectSameAnswer(v, OutOfLine(*snap_, f));
        const bool no_rule =
            purpose.id() != "statistics" &&
            std::find(conditional.begin(), conditional.end(),
                      category.id()) == conditional.end() &&
            absl::string_view(recipient) != "third_party";
        if (no_rule) {
          ASSERT_OK(v);
          EXPECT_TRUE(v->allowed);
          EXPECT_EQ(v->reason, v1::PURPOSE_PERMITTED);
          EXPECT_EQ(v->clause, purpose.clause());
          EXPECT_EQ(v->consent, -1);
          ++permitted;
        }
        // Two categories without conditions: the same answer.
        if (no_rule) {
          f.categories = plain_pair;
          ExpectSameAnswer(snap_->PurposeAllowed(f), v);
        }
      }
    }
  }
  EXPECT_GT(permitted, 1000);
}

// Handle misuse reaches the inline entry first; each error is the one the
// out-of-line checks name, never an allow.
TEST_F(SnapshotTest, InlineEntryGivesEveryErrorOfTheOutOfLineChecks) {
  PurposeFacts ok;
  ok.categories = Ok(snap_->Categories({"name", "email"}));  // 2.1, 2.2
  ok.purpose = Ok(snap_->Purpose("billing"));                 // 4.1
  ok.as_of = At(2026, 3, 1);
  ASSERT_TRUE(Ok(snap_->PurposeAllowed(ok)).allowed);

  std::vector<std::pair<std::string, PurposeFacts>> cases;
  {
    // A handle of the policy before a reload: its generation is stale.
    absl::StatusOr<std::unique_ptr<Engine>> other =
        Engine::Create(PolicySource::Default());
    ASSERT_TRUE(other.ok());
    std::shared_ptr<const Snapshot> theirs = (*other)->snapshot();
    PurposeFacts f = ok;
    f.purpose = Ok(theirs->Purpose("billing"));
    cases.push_back({"stale purpose", f});
    f = ok;
    f.categories = Ok(theirs->Categories({"name"}));
    cases.push_back({"stale categories", f});
    f = ok;
    f.recipient = Ok(theirs->Recipient("internal"));
    cases.push_back({"stale recipient", f});
  }
  {
    PurposeFacts f = ok;
    f.categories.Insert(CategoryId());
    cases.push_back({"spoiled set", f});
    f = ok;
    f.categories = CategorySet();
    cases.push_back({"no category", f});
    f = ok;
    f.purpose = PurposeId();
    cases.push_back({"unset purpose", f});
  }
  for (absl::Time t :
       {absl::InfinitePast(), absl::InfiniteFuture(),
        // The lower bound is on the Tokyo date: 23:59:59 of 1899-12-31 in
        // Tokyo is out, though it is 14:59:59 UTC.
        absl::FromCivil(absl::CivilSecond(kMinYear - 1, 12, 31, 23, 59, 59),
                        absl::FixedTimeZone(9 * 60 * 60)),
        absl::FromCivil(absl::CivilSecond(kMaxYear + 1, 1, 1, 0, 0, 0),
                        absl::UTCTimeZone())}) {
    PurposeFacts f = ok;
    f.as_of = t;
    cases.push_back({absl::StrCat("as_of ", absl::FormatTime(t)), f});
  }
  std::vector<ConsentRecord> many(kMaxConsentsPerRequest + 1);
  {
    PurposeFacts f = ok;
    f.consents = many;
    cases.push_back({"too many consents", f});
  }
  std::vector<ConsentRecord> spoiled_consent(1);
  spoiled_consent[0].categories.Insert(CategoryId());
  {
    PurposeFacts f = ok;
    f.consents = spoiled_consent;
    cases.push_back({"spoiled consent", f});
  }
  std::vector<PendingRequest> unset_request = {{RequestTypeId(), ok.as_of}};
  {
    PurposeFacts f = ok;
    f.active_requests = unset_request;
    cases.push_back({"unset request type", f});
  }
  // 8.1: a request's scope of another snapshot, or spoiled, is refused.
  std::vector<PendingRequest> spoiled_scope = {
      {Ok(snap_->RequestType("suspension")), ok.as_of}};
  spoiled_scope[0].categories.Insert(CategoryId());
  {
    PurposeFacts f = ok;
    f.active_requests = spoiled_scope;
    cases.push_back({"spoiled request scope", f});
  }
  for (const auto& [name, f] : cases) {
    SCOPED_TRACE(name);
    const absl::StatusOr<PurposeVerdict> v = snap_->PurposeAllowed(f);
    EXPECT_FALSE(v.ok());
    ExpectSameAnswer(v, OutOfLine(*snap_, f));
  }
  // The bounds themselves are accepted (pip/limits.h: years inclusive; the
  // first second is that of the Tokyo date 1900-01-01).
  for (absl::Time t :
       {absl::FromCivil(absl::CivilSecond(kMinYear, 1, 1, 0, 0, 0),
                        absl::FixedTimeZone(9 * 60 * 60)),
        absl::FromCivil(absl::CivilSecond(kMaxYear, 12, 31, 23, 59, 59),
                        absl::UTCTimeZone()) +
            absl::Nanoseconds(999999999)}) {
    PurposeFacts f = ok;
    f.as_of = t;
    const absl::StatusOr<PurposeVerdict> v = snap_->PurposeAllowed(f);
    ASSERT_OK(v) << absl::FormatTime(t);
    ExpectSameAnswer(v, OutOfLine(*snap_, f));
  }
}

// Facts that are valid but leave the inline path: consents or active
// requests given. 8.1: a suspension blocks the use for direct mail (4.2)
// even of categories without conditions; a consent given where none is
// needed changes nothing.
TEST_F(SnapshotTest, Clause8_1_ConsentsAndActiveRequestsGoOutOfLineAndAgree) {
  PurposeFacts f;
  f.categories = Ok(snap_->Categories({"name", "email"}));
  f.purpose = Ok(snap_->Purpose("direct_mail"));
  f.as_of = At(2026, 3, 1);
  const PurposeVerdict plain = Ok(snap_->PurposeAllowed(f));
  ASSERT_TRUE(plain.allowed);

  std::vector<ConsentRecord> consents(1);
  consents[0].subject_matches = true;
  consents[0].categories = snap_->AllCategories();
  consents[0].purposes = snap_->AllPurposes();
  consents[0].granted_at = At(2025, 1, 1);
  consents[0].consent_version = 1;
  f.consents = consents;
  const absl::StatusOr<PurposeVerdict> with_consent = snap_->PurposeAllowed(f);
  ExpectSameAnswer(with_consent, OutOfLine(*snap_, f));
  ExpectSameAnswer(with_consent, plain);

  f.consents = {};
  const std::vector<PendingRequest> suspension = {
      {Ok(snap_->RequestType("suspension")), At(2026, 2, 1)}};
  f.active_requests = suspension;
  const absl::StatusOr<PurposeVerdict> suspended = snap_->PurposeAllowed(f);
  ExpectSameAnswer(suspended, OutOfLine(*snap_, f));
  ASSERT_OK(suspended);
  EXPECT_FALSE(suspended->allowed);
  EXPECT_EQ(suspended->clause, "8.1");

  // 8.1 third-party stop blocks provision to third parties only.
  const std::vector<PendingRequest> stop = {
      {Ok(snap_->RequestType("third_party_stop")), At(2026, 2, 1)}};
  f.active_requests = stop;
  const absl::StatusOr<PurposeVerdict> stopped = snap_->PurposeAllowed(f);
  ExpectSameAnswer(stopped, OutOfLine(*snap_, f));
  ExpectSameAnswer(stopped, plain);
}

// APPI 27: an unset recipient is the policy's default one, "internal" in the
// default policy, which needs no named consent: both paths answer as for
// "internal" given. A default recipient that needs a named consent is a
// contradiction the validator rejects (8.1), so the inline path never
// meets one.
TEST_F(SnapshotTest, Appi27_UnsetRecipientIsTheDefaultOnBothPaths) {
  PurposeFacts f;
  f.categories = Ok(snap_->Categories({"name"}));
  f.purpose = Ok(snap_->Purpose("billing"));
  f.as_of = At(2026, 3, 1);
  const absl::StatusOr<PurposeVerdict> unset = snap_->PurposeAllowed(f);
  ASSERT_OK(unset);
  EXPECT_TRUE(unset->allowed);
  ExpectSameAnswer(unset, OutOfLine(*snap_, f));
  f.recipient = Ok(snap_->Recipient("internal"));
  ExpectSameAnswer(unset, snap_->PurposeAllowed(f));
  ExpectSameAnswer(unset, OutOfLine(*snap_, f));

  v1::Policy policy = engine_->policy();
  for (auto& r : *policy.mutable_recipients()) {
    r.set_is_default(r.id() == "third_party");
  }
  absl::StatusOr<std::unique_ptr<Engine>> third =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_EQ(third.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(third.status().message(), HasSubstr("is_default"));
}

// --- Agreement with the proto API -------------------------------------------

const std::vector<std::string>& CategoryIds() {
  static const auto* ids = new std::vector<std::string>{
      "name", "email", "location", "health", "family_structure", "cookie",
      "payment", "access_log"};
  return *ids;
}
const std::vector<std::string>& PurposeIds() {
  static const auto* ids = new std::vector<std::string>{
      "billing", "direct_mail", "statistics", "web_analytics",
      "legal_obligation", "dispute_resolution", "customer_support",
      "fraud_prevention"};
  return *ids;
}
const std::vector<std::string>& RecipientIds() {
  static const auto* ids = new std::vector<std::string>{
      "internal", "contractor", "third_party", "overseas_third_party",
      "overseas_contractor", "overseas_contractor_equivalent_measures"};
  return *ids;
}
const std::vector<std::string>& RequestTypeIds() {
  static const auto* ids = new std::vector<std::string>{
      "purpose_notification", "disclosure", "correction", "suspension",
      "third_party_stop", "provision_record_disclosure"};
  return *ids;
}

// A consent drawn at random, kept abstractly so that it can be given to both
// paths.
struct GenConsent {
  bool same_subject;
  std::vector<std::string> categories, purposes, recipients;
  absl::Time granted_at;
  std::optional<absl::Time> withdrawn_at, expires_at;
  int32_t version;
};

class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  int Int(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool Coin(int percent = 50) { return Int(100) < percent; }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Int(static_cast<int>(v.size()))];
  }
  std::vector<std::string> Subset(const std::vector<std::string>& from,
                                  int max) {
    std::vector<std::string> out;
    const int n = Int(max + 1);
    for (int i = 0; i < n; ++i) {
      const std::string& id = Pick(from);
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
    return out;
  }
  // A time around 2026-03-01, within a few years.
  absl::Time Time() {
    return At(2026, 3, 1) + absl::Hours(Int(24 * 365 * 4)) -
           absl::Hours(24 * 365 * 3);
  }
  GenConsent Consent() {
    GenConsent c;
    c.same_subject = Coin(90);
    c.categories = Coin(30) ? std::vector<std::string>{}
                            : Subset(CategoryIds(), 4);
    c.purposes =
        Coin(40) ? std::vector<std::string>{} : Subset(PurposeIds(), 4);
    c.recipients = Coin(50) ? std::vector<std::string>{}
                            : Subset(RecipientIds(), 3);
    c.granted_at = Time();
    if (Coin(20)) c.withdrawn_at = Time();
    if (Coin(20)) c.expires_at = Time();
    c.version = Int(3);
    return c;
  }

 private:
  std::mt19937 rng_;
};

void AddConsentProto(const GenConsent& g, int i,
                     google::protobuf::RepeatedPtrField<v1::Consent>* out) {
  v1::Consent* c = out->Add();
  c->set_id(absl::StrCat("k-", i));
  c->set_subject_id(g.same_subject ? "c-1" : "c-2");
  for (const auto& id : g.categories) c->add_categories(id);
  for (const auto& id : g.purposes) c->add_purposes(id);
  for (const auto& id : g.recipients) c->add_recipients(id);
  *c->mutable_granted_at() = Ts(g.granted_at);
  if (g.withdrawn_at) *c->mutable_withdrawn_at() = Ts(*g.withdrawn_at);
  if (g.expires_at) *c->mutable_expires_at() = Ts(*g.expires_at);
  c->set_consent_version(g.version);
}

ConsentRecord SnapshotTest::RecordOf(const GenConsent& g) {
  ConsentRecord r;
  r.subject_matches = g.same_subject;
  // An empty list is "any category" (not location or health, 2.4, APPI
  // 20(2)), as the resolver reads it.
  r.categories = Cats(g.categories);
  r.any_category = g.categories.empty();
  r.purposes = Purps(g.purposes);
  for (const auto& id : g.recipients) {
    r.recipients.Insert(Ok(snap_->Recipient(id)));
  }
  r.granted_at = g.granted_at;
  if (g.withdrawn_at) r.withdrawn_at = *g.withdrawn_at;
  if (g.expires_at) r.expires_at = *g.expires_at;
  r.consent_version = g.version;
  return r;
}

TEST_F(SnapshotTest, PurposeAllowedAgreesWithProtoApi) {
  Gen gen(20260301);
  int allowed = 0;
  for (int n = 0; n < 4000; ++n) {
    v1::PurposeAllowedRequest req;
    PurposeFacts f;
    req.set_subject_id("c-1");
    req.set_purpose(gen.Pick(PurposeIds()));
    f.purpose = Ok(snap_->Purpose(req.purpose()));
    std::vector<std::string> cats = gen.Subset(CategoryIds(), 3);
    if (cats.empty()) cats.push_back("name");
    for (const auto& c : cats) req.add_categories(c);
    f.categories = Cats(cats);
    if (gen.Coin(60)) {
      req.set_recipient(gen.Pick(RecipientIds()));
      f.recipient = Ok(snap_->Recipient(req.recipient()));
    }
    f.context.anonymized = gen.Coin();
    f.context.health_service = gen.Coin();
    f.context.necessity_documented = gen.Coin();
    req.mutable_context()->set_anonymized(f.context.anonymized);
    req.mutable_context()->set_health_service(f.context.health_service);
    req.mutable_context()->set_necessity_documented(
        f.context.necessity_documented);
    std::vector<ConsentRecord> consents;
    const int nc = gen.Int(4);
    for (int i = 0; i < nc; ++i) {
      const GenConsent g = gen.Consent();
      AddConsentProto(g, i, req.mutable_consents());
      consents.push_back(RecordOf(g));
    }
    f.consents = consents;
    std::vector<PendingRequest> requests;
    if (gen.Coin(25)) {
      auto* a = req.add_active_requests();
      a->set_id("r-1");
      a->set_type(gen.Pick(RequestTypeIds()));
      const absl::Time t = gen.Time();
      *a->mutable_received_at() = Ts(t);
      requests.push_back({Ok(snap_->RequestType(a->type())), t});
    }
    f.active_requests = requests;
    f.as_of = gen.Time();
    *req.mutable_as_of() = Ts(f.as_of);

    absl::StatusOr<v1::PurposeAllowedDecision> d = engine_->PurposeAllowed(req);
    ASSERT_OK(d) << "\n" << req.DebugString();
    const PurposeVerdict v = Ok(snap_->PurposeAllowed(f));
    SCOPED_TRACE(req.DebugString());
    ASSERT_EQ(v.allowed, d->allowed());
    ASSERT_GT(d->reasons_size(), 0);
    EXPECT_EQ(v.reason, d->reasons(0).code());
    EXPECT_EQ(v.clause, d->reasons(0).clause());
    std::string relied;
    for (const auto& r : d->reasons()) {
      if (r.code() == v1::CONSENT_RELIED) {
        relied = r.consent_id();
        break;
      }
    }
    EXPECT_EQ(v.consent >= 0 ? req.consents(v.consent).id() : "", relied);
    allowed += v.allowed;
  }
  // Both outcomes were exercised.
  EXPECT_GT(allowed, 100);
  EXPECT_LT(allowed, 3900);
}

TEST_F(SnapshotTest, ConsentCheckAgreesWithProtoApi) {
  Gen gen(7);
  int valid = 0;
  for (int n = 0; n < 4000; ++n) {
    v1::ConsentCheckRequest req;
    ConsentFacts f;
    req.set_subject_id("c-1");
    std::vector<std::string> cats = gen.Subset(CategoryIds(), 2);
    if (cats.empty()) cats.push_back("location");
    std::vector<std::string> purps = gen.Subset(PurposeIds(), 2);
    if (purps.empty()) purps.push_back("web_analytics");
    for (const auto& c : cats) req.add_categories(c);
    for (const auto& p : purps) req.add_purposes(p);
    f.categories = Cats(cats);
    f.purposes = Purps(purps);
    if (gen.Coin(50)) {
      req.set_recipient(gen.Pick(RecipientIds()));
      f.recipient = Ok(snap_->Recipient(req.recipient()));
    }
    std::vector<ConsentRecord> consents;
    const int nc = gen.Int(5);
    for (int i = 0; i < nc; ++i) {
      const GenConsent g = gen.Consent();
      AddConsentProto(g, i, req.mutable_consents());
      consents.push_back(RecordOf(g));
    }
    f.consents = consents;
    f.as_of = gen.Time();
    *req.mutable_as_of() = Ts(f.as_of);

    absl::StatusOr<v1::ConsentCheckDecision> d = engine_->ConsentCheck(req);
    ASSERT_OK(d);
    const ConsentVerdict v = Ok(snap_->ConsentCheck(f));
    SCOPED_TRACE(req.DebugString());
    ASSERT_EQ(v.valid, d->valid());
    EXPECT_EQ(v.consent >= 0 ? req.consents(v.consent).id() : "",
              d->consent_id());
    if (d->reasons_size() > 0) {
      EXPECT_EQ(v.reason, d->reasons(0).code());
      EXPECT_EQ(v.clause, d->reasons(0).clause());
    } else {
      EXPECT_EQ(v.reason, v1::REASON_CODE_UNSPECIFIED);
    }
    valid += v.valid;
  }
  EXPECT_GT(valid, 100);
  EXPECT_LT(valid, 3900);
}

TEST_F(SnapshotTest, RequestValidateAgreesWithProtoApi) {
  Gen gen(8);
  const std::vector<std::string> channels = {"email", "phone", "post",
                                             "website"};
  const std::vector<std::string> requesters = {"", "self", "agent"};
  for (int n = 0; n < 3000; ++n) {
    v1::RequestValidateRequest req;
    RequestFacts f;
    req.set_type(gen.Pick(RequestTypeIds()));
    f.type = Ok(snap_->RequestType(req.type()));
    req.set_channel(gen.Pick(channels));
    f.channel = snap_->RequestChannel(req.channel());
    req.set_requester(gen.Pick(requesters));
    if (!req.requester().empty()) {
      f.requester = Ok(snap_->Requester(req.requester()));
    }
    if (gen.Coin(80)) req.add_documents("identity_document");
    if (gen.Coin(80)) req.add_documents("request_form");
    if (gen.Coin()) req.add_documents("power_of_attorney");
    f.documents = Ok(snap_->Documents(std::vector<absl::string_view>(
        req.documents().begin(), req.documents().end())));
    f.identity_verified = gen.Coin();
    f.fee_paid_jpy = gen.Pick(std::vector<int32_t>{0, 0, 300, 500});
    if (gen.Coin(10)) req.add_review("legally_restricted");
    if (gen.Coin(10)) req.add_review("third_party_rights");
    f.review = Ok(snap_->ReviewGrounds(std::vector<absl::string_view>(
        req.review().begin(), req.review().end())));
    req.set_identity_verified(f.identity_verified);
    req.set_fee_paid_jpy(f.fee_paid_jpy);
    f.received_at = gen.Time();
    f.as_of = f.received_at + absl::Hours(gen.Int(24 * 60));
    *req.mutable_received_at() = Ts(f.received_at);
    *req.mutable_as_of() = Ts(f.as_of);

    absl::StatusOr<v1::RequestValidateDecision> d =
        engine_->RequestValidate(req);
    ASSERT_OK(d);
    const RequestVerdict v = Ok(snap_->RequestValidate(f));
    SCOPED_TRACE(req.DebugString());
    EXPECT_EQ(v.valid, d->valid());
    EXPECT_EQ(v.fee_due_jpy, d->fee_due_jpy());
    EXPECT_EQ(Day(v.respond_by), d->respond_by());
    EXPECT_EQ(v.overdue, d->overdue());
    EXPECT_EQ(v.next_step, d->next_step());
    EXPECT_EQ(v.fee_unpaid_jpy, d->fee_unpaid_jpy());
    // The verdict's reason is the first finding in the order clause 8's
    // rules are checked: channel, documents, identity, fee, deadline, review.
    const auto rank = [](v1::ReasonCode code) {
      switch (code) {
        case v1::CHANNEL_NOT_ACCEPTED: return 0;
        case v1::DOCUMENT_MISSING: return 1;
        case v1::IDENTITY_NOT_VERIFIED: return 2;
        case v1::FEE_UNPAID:
        case v1::FEE_NOT_CHARGEABLE:
        case v1::FEE_OVERPAID: return 3;
        case v1::RESPONSE_OVERDUE: return 4;
        default: return 5;
      }
    };
    std::vector<const v1::Reason*> findings;
    for (const auto* list : {&d->errors(), &d->reasons(), &d->warnings(),
                             &d->needs_review()}) {
      for (const v1::Reason& r : *list) findings.push_back(&r);
    }
    std::stable_sort(findings.begin(), findings.end(),
                     [&](const v1::Reason* a, const v1::Reason* b) {
                       return rank(a->code()) < rank(b->code());
                     });
    if (!findings.empty()) {
      EXPECT_EQ(v.reason, findings[0]->code());
      EXPECT_EQ(v.clause, findings[0]->clause());
    } else {
      EXPECT_EQ(v.reason, v1::REASON_CODE_UNSPECIFIED);
    }
  }
}

// Clause 7, every retention kind, across its period boundary: events on
// every day of 2023-2024 (month ends, 2024-02-29, fiscal year ends) at
// 00:00:00, midday and 23:59:59 JST; as_of the last second kept and the first
// second due. The proto path, the handle path and the sweep must agree.
TEST_F(SnapshotTest, Clause7_RetentionAgreesAcrossPathsAndBoundaries) {
  const std::vector<std::string> kinds = {
      "inquiry",   "contract_transaction", "accounting",
      "marketing", "web_access",           "training_seminar",
      "provision_record", "confirmation_record"};
  const std::vector<std::string> holds = {"legal_obligation", "dispute",
                                          "consent"};
  Gen gen(9);
  int due = 0, kept = 0;
  for (const std::string& kind_id : kinds) {
    const RetentionKindId kind = Ok(snap_->RetentionKind(kind_id));
    for (absl::CivilDay day(2023, 1, 1); day <= absl::CivilDay(2024, 12, 31);
         day += 1) {
      for (int hour : {0, 12, 23}) {
        const absl::Time event =
            At(day.year(), day.month(), day.day(), hour, hour == 23 ? 59 : 0,
               hour == 23 ? 59 : 0);
        // Find the boundary from the proto path, then ask just before and at
        // it.
        v1::RetentionDueRequest req;
        req.set_kind(kind_id);
        *req.mutable_event_at() = Ts(event);
        *req.mutable_as_of() = Ts(event);
        absl::StatusOr<v1::RetentionDueDecision> first =
            engine_->RetentionDue(req);
        ASSERT_OK(first);
        absl::CivilDay until;
        ASSERT_TRUE(absl::ParseCivilTime(first->retain_until(), &until));
        const absl::Time due_at = At(until.year(), until.month(), until.day()) +
                                  absl::Hours(24);
        for (absl::Time as_of : {due_at - absl::Seconds(1), due_at}) {
          const bool held = gen.Coin(20);
          const absl::Time hold_until =
              gen.Coin() ? absl::InfiniteFuture() : as_of + absl::Seconds(1);
          *req.mutable_as_of() = Ts(as_of);
          req.clear_holds();
          std::vector<RecordHold> hv;
          if (held) {
            auto* h = req.add_holds();
            h->set_type(gen.Pick(holds));
            h->set_id("h-1");
            if (hold_until != absl::InfiniteFuture()) {
              *h->mutable_until() = Ts(hold_until);
            }
            hv.push_back({Ok(snap_->HoldType(h->type())), hold_until});
          }
          absl::StatusOr<v1::RetentionDueDecision> d =
              engine_->RetentionDue(req);
          ASSERT_OK(d);
          RetentionFacts f;
          f.kind = kind;
          f.event_at = event;
          f.holds = hv;
          f.as_of = as_of;
          const RetentionVerdict v = Ok(snap_->RetentionDue(f));
          SCOPED_TRACE(req.DebugString());
          ASSERT_EQ(v.due, d->due());
          EXPECT_EQ(v.period_ended, d->period_ended());
          EXPECT_EQ(v.period_ended, as_of >= due_at);
          EXPECT_EQ(Day(v.retain_until), d->retain_until());
          EXPECT_EQ(v.due_at, due_at);
          EXPECT_EQ(v.deletion_method, d->deletion_method());
          if (d->reasons_size() > 0) {
            EXPECT_EQ(v.reason, d->reasons(0).code());
            EXPECT_EQ(v.clause, d->reasons(0).clause());
          } else {
            EXPECT_EQ(v.reason, v1::REASON_CODE_UNSPECIFIED);
            EXPECT_EQ(v.clause, d->clause());
          }

          // The same record alone in a sweep.
          const int64_t e = absl::ToUnixSeconds(event);
          const uint8_t h = held ? 1 : 0;
          uint64_t bitmap = ~uint64_t{0};
          int32_t days = 0;
          ASSERT_OK(snap_->RetentionSweep(
              absl::MakeConstSpan(&kind, 1), absl::MakeConstSpan(&e, 1),
              absl::MakeConstSpan(&h, 1), as_of, absl::MakeSpan(&bitmap, 1),
              absl::MakeSpan(&days, 1)));
          EXPECT_EQ(bitmap, d->due() ? 1u : 0u);
          EXPECT_EQ(Day(absl::CivilDay(1970, 1, 1) + days), d->retain_until());
          (d->due() ? due : kept) += 1;
        }
      }
    }
  }
  EXPECT_GT(due, 1000);
  EXPECT_GT(kept, 1000);
}

// A large mixed sweep agrees with RetentionDue record by record, including
// records with no event (a contract that has not ended), and bits past the
// last record are clear. Events spread over years are worked out record by
// record; events on a few days (a day's or a month's records) through the
// sweep's table of days: both are run.
TEST_F(SnapshotTest, Clause7_SweepAgreesWithRetentionDue) {
  for (int spread_days : {365 * 4, 20}) {
    SCOPED_TRACE(absl::StrCat("events over ", spread_days, " days"));
    ExpectSweepAgreesWithRetentionDue(spread_days);
  }
}

void SnapshotTest::ExpectSweepAgreesWithRetentionDue(int spread_days) {
  const std::vector<std::string> kind_ids = {
      "inquiry",   "contract_transaction", "accounting",
      "marketing", "web_access",           "training_seminar"};
  std::vector<RetentionKindId> handles;
  for (const auto& id : kind_ids) handles.push_back(Ok(snap_->RetentionKind(id)));
  const RetentionKindId contract = handles[1];
  const HoldTypeId legal = Ok(snap_->HoldType("legal_obligation"));
  Gen gen(10);
  const size_t n = 5000;
  std::vector<RetentionKindId> kinds(n);
  std::vector<int64_t> events(n);
  std::vector<uint8_t> held(n);
  for (size_t i = 0; i < n; ++i) {
    kinds[i] = gen.Pick(handles);
    events[i] = kinds[i] == contract && gen.Coin(10)
                    ? kNoEvent
                    : absl::ToUnixSeconds(
                          At(2021, 3, 1) +
                          absl::Seconds(gen.Int(86400 * spread_days)));
    held[i] = gen.Coin(10) ? 1 : 0;
  }
  for (absl::Time as_of : {At(2026, 3, 1), At(2026, 4, 1, 12), At(2029, 12, 31)}) {
    std::vector<uint64_t> bitmap((n + 63) / 64, ~uint64_t{0});
    std::vector<int32_t> until(n);
    ASSERT_OK(snap_->RetentionSweep(kinds, events, held, as_of,
                                    absl::MakeSpan(bitmap),
                                    absl::MakeSpan(until)));
    int due = 0;
    for (size_t i = 0; i < n; ++i) {
      RetentionFacts f;
      f.kind = kinds[i];
      if (events[i] != kNoEvent) f.event_at = absl::FromUnixSeconds(events[i]);
      const RecordHold hold{legal, absl::InfiniteFuture()};
      if (held[i]) f.holds = absl::MakeConstSpan(&hold, 1);
      f.as_of = as_of;
      const RetentionVerdict v = Ok(snap_->RetentionDue(f));
      const bool bit = (bitmap[i / 64] >> (i % 64)) & 1;
      ASSERT_EQ(bit, v.due) << "record " << i;
      if (v.clock_started) {
        ASSERT_EQ(absl::CivilDay(1970, 1, 1) + until[i], v.retain_until);
      } else {
        ASSERT_EQ(until[i], kNoRetainUntil);
      }
      due += v.due;
    }
    EXPECT_EQ(bitmap.back() >> (n % 64), 0u);
    EXPECT_GT(due, 0);
  }
}

// --- RetentionDue's common case and its errors ---------------------------------
void ExpectSameRetention(const RetentionVerdict& a, const RetentionVerdict& b) {
  EXPECT_EQ(a.due, b.due);
  EXPECT_EQ(a.clock_started, b.clock_started);
  EXPECT_EQ(a.period_ended, b.period_ended);
  EXPECT_EQ(a.retain_until, b.retain_until);
  EXPECT_EQ(a.due_at, b.due_at);
  EXPECT_EQ(a.retain_until_days, b.retain_until_days);
  EXPECT_EQ(a.statutory_floor, b.statutory_floor);
  EXPECT_EQ(a.needs_review, b.needs_review);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.clause, b.clause);
  EXPECT_EQ(a.deletion_method, b.deletion_method);
}

// 法人税法施行規則 59: the handle path keeps a contract record until the
// statutory floor ends and says the floor decided, like the proto path.
TEST_F(SnapshotTest, HojinzeiRule59_ContractFloorOnTheHandlePath) {
  RetentionFacts f;
  f.kind = Ok(snap_->RetentionKind("contract_transaction"));
  f.event_at = At(2020, 3, 31, 18);
  f.as_of = At(2025, 4, 1);
  const RetentionVerdict v = Ok(snap_->RetentionDue(f));
  EXPECT_FALSE(v.due);
  EXPECT_TRUE(v.statutory_floor);
  EXPECT_EQ(v.retain_until, absl::CivilDay(2027, 5, 31));
  EXPECT_EQ(v.reason, v1::STATUTORY_FLOOR_APPLIES);
  EXPECT_EQ(v.clause, "7");
  ExpectSameRetention(
      v, Ok(snapshot_internal::Access::RetentionDueOutOfLine(*snap_, f)));
  f.as_of = At(2027, 6, 1);
  EXPECT_TRUE(Ok(snap_->RetentionDue(f)).due);
}

// Clause 7: a record holding a category its kind does not list goes to a
// person's review on the handle path too; never due.
TEST_F(SnapshotTest, Clause7_CategoryNotHeldByKindNeedsReviewOnTheHandlePath) {
  RetentionFacts f;
  f.kind = Ok(snap_->RetentionKind("inquiry"));
  f.event_at = At(2023, 5, 10, 14);
  f.as_of = At(2026, 5, 11);
  f.categories.Insert(Ok(snap_->Category("inquiry_content")));
  RetentionVerdict v = Ok(snap_->RetentionDue(f));
  EXPECT_TRUE(v.due);
  EXPECT_FALSE(v.needs_review);
  f.categories.Insert(Ok(snap_->Category("payment")));
  v = Ok(snap_->RetentionDue(f));
  EXPECT_FALSE(v.due);
  EXPECT_TRUE(v.needs_review);
  EXPECT_TRUE(v.period_ended);
  EXPECT_EQ(v.reason, v1::CATEGORY_NOT_RETAINED_BY_KIND);
  EXPECT_EQ(v.clause, "7");
}

// RetentionDue evaluates a record with an event and good handles directly,
// and hands anything else to the checks that name each error. Clause 7
// (保存期間): every kind, every event day of 2015-2030 (leap days, month and
// fiscal year ends), as_of a second before due_at, at it and half a second
// after, with no hold, a hold that has ended and one that has not; the
// handle path must give the proto path's verdict field by field.
TEST_F(SnapshotTest, Clause7_RetentionDueAgreesWithProtoPathEveryDay) {
  const std::vector<std::string> kinds = {
      "inquiry",   "contract_transaction", "accounting",
      "marketing", "web_access",           "training_seminar"};
  const std::vector<std::string> hold_types = {"legal_obligation", "dispute",
                                               "consent"};
  Gen gen(11);
  int due = 0, running = 0, held = 0;
  for (const std::string& kind_id : kinds) {
    const RetentionKindId kind = Ok(snap_->RetentionKind(kind_id));
    for (absl::CivilDay day(2015, 1, 1); day <= absl::CivilDay(2030, 12, 31);
         day += 1) {
      // 00:00:00, 23:59:59 and a time in between, in turn.
      const int pick = static_cast<int>((day - absl::CivilDay(2015, 1, 1)) % 3);
      const absl::Time event =
          pick == 0   ? At(day.year(), day.month(), day.day())
          : pick == 1 ? At(day.year(), day.month(), day.day(), 23, 59, 59)
                      : At(day.year(), day.month(), day.day(), gen.Int(24),
                           gen.Int(60), gen.Int(60)) +
                            absl::Nanoseconds(gen.Int(1000000000));
      RetentionFacts f;
      f.kind = kind;
      f.event_at = event;
      f.as_of = event;
      const RetentionVerdict first = Ok(snap_->RetentionDue(f));
      ASSERT_TRUE(first.clock_started);
      const absl::Time due_at = first.due_at;
      for (const absl::Time as_of :
           {due_at - absl::Seconds(1), due_at,
            due_at + absl::Milliseconds(500)}) {
        // 0: no hold; 1: a hold that ended at as_of; 2: one that has not
        // ended (with an ended one before it).
        const int holds = gen.Int(3);
        const absl::Time open_until = gen.Coin()
                                          ? absl::InfiniteFuture()
                                          : as_of + absl::Nanoseconds(1);
        v1::RetentionDueRequest req;
        req.set_kind(kind_id);
        *req.mutable_event_at() = TsNanos(event);
        *req.mutable_as_of() = TsNanos(as_of);
        std::vector<RecordHold> hv;
        for (int i = 0; i < holds; ++i) {
          const absl::Time until = i == 0 ? as_of : open_until;
          const std::string& type = gen.Pick(hold_types);
          v1::Hold* h = req.add_holds();
          h->set_id(absl::StrCat("h-", i));
          h->set_type(type);
          if (until != absl::InfiniteFuture()) {
            *h->mutable_until() = TsNanos(until);
          }
          hv.push_back({Ok(snap_->HoldType(type)), until});
        }
        f.holds = hv;
        f.as_of = as_of;
        absl::StatusOr<v1::RetentionDueDecision> d = engine_->RetentionDue(req);
        ASSERT_OK(d);
        const RetentionVerdict v = Ok(snap_->RetentionDue(f));
        SCOPED_TRACE(req.DebugString());
        // The inline path (no hold) and the out-of-line one agree.
        ExpectSameRetention(
            v, Ok(snapshot_internal::Access::RetentionDueOutOfLine(*snap_, f)));
        ASSERT_EQ(v.due, d->due());
        ASSERT_TRUE(v.clock_started);
        ASSERT_EQ(v.period_ended, d->period_ended());
        ASSERT_EQ(v.period_ended, as_of >= due_at);
        ASSERT_EQ(Day(v.retain_until), d->retain_until());
        ASSERT_EQ(v.retain_until_days,
                  v.retain_until - absl::CivilDay(1970, 1, 1));
        ASSERT_EQ(v.due_at, due_at);
        ASSERT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%S%Ez", v.due_at, Tokyo()),
                  d->due_at());
        ASSERT_EQ(v.deletion_method, d->deletion_method());
        if (d->reasons_size() > 0) {
          ASSERT_EQ(v.reason, d->reasons(0).code());
          ASSERT_EQ(v.clause, d->reasons(0).clause());
        } else {
          ASSERT_EQ(v.reason, v1::REASON_CODE_UNSPECIFIED);
          ASSERT_EQ(v.clause, d->clause());
        }
        (v.due ? due : v.period_ended ? held : running) += 1;
      }
    }
  }
  EXPECT_GT(due, 10000);
  EXPECT_GT(running, 10000);
  EXPECT_GT(held, 10000);
}

// Clause 7: the limits of pip's years. An event or as_of at the first second
// of 1900 or the last nanosecond of 9999 is evaluated; a nanosecond outside,
// or an infinite time, is an error naming the field, whatever else the facts
// hold.
TEST_F(SnapshotTest, Clause7_RetentionDueTimesAtTheRangeLimits) {
  // 1900-01-01T00:00:00+09:00, the first second of the Tokyo date.
  const absl::Time first = absl::FromUnixSeconds(-2209021200);
  const absl::Time end = absl::FromUnixSeconds(253402300800);    // 10000Z
  const absl::Time last = end - absl::Nanoseconds(1);
  for (const std::string kind_id : {"inquiry", "accounting"}) {
    RetentionFacts f;
    f.kind = Ok(snap_->RetentionKind(kind_id));
    // A record of 9999 would be kept past the last year pip answers with:
    // an input error on both paths, never a date pip cannot read back.
    f.event_at = last;
    f.as_of = last;
    EXPECT_THAT(snap_->RetentionDue(f),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AllOf(HasSubstr("event_at"), HasSubstr("kMaxYear"))));
    {
      v1::RetentionDueRequest req;
      req.set_kind(kind_id);
      *req.mutable_event_at() = TsNanos(last);
      *req.mutable_as_of() = TsNanos(last);
      EXPECT_THAT(engine_->RetentionDue(req),
                  StatusIs(absl::StatusCode::kInvalidArgument,
                           HasSubstr("kMaxYear")));
    }
    for (const absl::Time event : {first}) {
      for (const absl::Time as_of : {first, last}) {
        f.event_at = event;
        f.as_of = as_of;
        const RetentionVerdict v = Ok(snap_->RetentionDue(f));
        EXPECT_TRUE(v.clock_started);
        EXPECT_EQ(v.retain_until_days,
                  v.retain_until - absl::CivilDay(1970, 1, 1));
        EXPECT_EQ(v.due_at, absl::FromCivil(v.retain_until + 1, Tokyo()));
        EXPECT_EQ(v.period_ended, as_of >= v.due_at);
        EXPECT_EQ(v.due, v.period_ended);
        if (event == first) {
          // Only a record of 1900 can be due before 10000: the proto path
          // agrees with it.
          v1::RetentionDueRequest req;
          req.set_kind(kind_id);
          *req.mutable_event_at() = TsNanos(event);
          *req.mutable_as_of() = TsNanos(as_of);
          absl::StatusOr<v1::RetentionDueDecision> d =
              engine_->RetentionDue(req);
          ASSERT_OK(d);
          EXPECT_EQ(v.due, d->due());
          EXPECT_EQ(Day(v.retain_until), d->retain_until());
        }
      }
    }
    for (const absl::Time bad :
         {first - absl::Nanoseconds(1), end, absl::InfinitePast(),
          absl::InfiniteFuture()}) {
      f.event_at = bad;
      f.as_of = At(2026, 3, 1);
      absl::StatusOr<RetentionVerdict> v = snap_->RetentionDue(f);
      EXPECT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("event_at")));
      f.as_of = bad;  // event_at is checked first
      EXPECT_THAT(snap_->RetentionDue(f).status().message(),
                  HasSubstr("event_at"));
      f.event_at = At(2020, 1, 1);
      v = snap_->RetentionDue(f);
      EXPECT_THAT(
          v, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("as_of")));
    }
  }
}

// Clause 7: every error of RetentionDue still comes out, with the field it
// names, in the order the checks run (kind, event_at, holds, as_of).
TEST_F(SnapshotTest, Clause7_RetentionDueErrors) {
  const RetentionKindId inquiry = Ok(snap_->RetentionKind("inquiry"));
  const HoldTypeId dispute = Ok(snap_->HoldType("dispute"));
  RetentionFacts good;
  good.kind = inquiry;
  good.event_at = At(2020, 1, 1);
  good.as_of = At(2026, 3, 1);
  ASSERT_OK(snap_->RetentionDue(good));

  // An unset kind, before a bad time.
  RetentionFacts f = good;
  f.kind = RetentionKindId();
  f.as_of = absl::InfiniteFuture();
  absl::StatusOr<RetentionVerdict> v = snap_->RetentionDue(f);
  EXPECT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("kind: unset handle")));

  // A missing event for a kind that needs one names the kind.
  f = good;
  f.event_at.reset();
  v = snap_->RetentionDue(f);
  EXPECT_THAT(
      v, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'inquiry'")));

  // Too many holds, before their handles.
  std::vector<RecordHold> many(kMaxHolds + 1);
  f = good;
  f.holds = many;
  v = snap_->RetentionDue(f);
  EXPECT_THAT(v,
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("holds")));
  many.resize(kMaxHolds);
  for (RecordHold& h : many) h.type = dispute;
  many.back().until = At(2020, 1, 1);
  f = good;
  f.holds = many;
  EXPECT_EQ(Ok(snap_->RetentionDue(f)).reason, v1::HOLD_APPLIES);

  // An unset hold type, named by its position, before a bad as_of.
  std::vector<RecordHold> holds = {{dispute, At(2020, 1, 1)},
                                   {HoldTypeId(), absl::InfiniteFuture()}};
  f = good;
  f.holds = holds;
  f.as_of = absl::InfinitePast();
  v = snap_->RetentionDue(f);
  EXPECT_THAT(v, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("holds[1].type")));

  // Handles of the policy before a reload are stale: the kind, then a hold.
  holds[1].type = dispute;
  ASSERT_TRUE(engine_->Reload(PolicySource::Message(engine_->policy())).ok());
  std::shared_ptr<const Snapshot> fresh = engine_->snapshot();
  f = good;
  v = fresh->RetentionDue(f);
  EXPECT_THAT(
      v, StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("kind")));
  f.kind = Ok(fresh->RetentionKind("inquiry"));
  f.holds = holds;
  v = fresh->RetentionDue(f);
  EXPECT_THAT(v, StatusIs(absl::StatusCode::kFailedPrecondition,
                          HasSubstr("holds[0].type")));
  // The old snapshot still answers with its own handles.
  f.kind = inquiry;
  EXPECT_EQ(Ok(snap_->RetentionDue(f)).reason, v1::HOLD_APPLIES);

  // A contract that has not ended is no error: its clock has not started.
  f = good;
  f.kind = Ok(snap_->RetentionKind("contract_transaction"));
  f.event_at.reset();
  f.holds = holds;
  const RetentionVerdict pending = Ok(snap_->RetentionDue(f));
  EXPECT_FALSE(pending.due);
  EXPECT_FALSE(pending.clock_started);
  EXPECT_EQ(pending.reason, v1::CLOCK_NOT_STARTED);
  EXPECT_FALSE(pending.deletion_method.empty());
}

TEST_F(SnapshotTest, SweepRejectsBadColumnsAndWritesNothing) {
  const RetentionKindId inquiry = Ok(snap_->RetentionKind("inquiry"));
  std::vector<RetentionKindId> kinds(3, inquiry);
  std::vector<int64_t> events(3, absl::ToUnixSeconds(At(2020, 1, 1)));
  std::vector<uint8_t> held(3, 0);
  std::vector<uint64_t> bitmap(1, 0xAB);
  std::vector<int32_t> until(3, 7);
  const absl::Time as_of = At(2026, 3, 1);
  // Sizes that disagree.
  EXPECT_THAT(snap_->RetentionSweep(kinds, absl::MakeConstSpan(events).first(2),
                                    held, as_of, absl::MakeSpan(bitmap), {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<uint64_t> big(2);
  EXPECT_THAT(snap_->RetentionSweep(kinds, events, held, as_of,
                                    absl::MakeSpan(big), {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      snap_->RetentionSweep(kinds, events, held, as_of, absl::MakeSpan(bitmap),
                            absl::MakeSpan(until).first(2)),
      StatusIs(absl::StatusCode::kInvalidArgument));
  // Clause 7: an inquiry needs its event; the message names the record.
  events[2] = kNoEvent;
  absl::Status s = snap_->RetentionSweep(kinds, events, held, as_of,
                                         absl::MakeSpan(bitmap),
                                         absl::MakeSpan(until));
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("event_unix_seconds[2]")));
  // A time outside pip's years.
  events[2] = INT64_MAX;
  s = snap_->RetentionSweep(kinds, events, held, as_of, absl::MakeSpan(bitmap),
                            absl::MakeSpan(until));
  EXPECT_THAT(s.message(), HasSubstr("event_unix_seconds[2]"));
  // An unset kind.
  events[2] = events[0];
  kinds[1] = RetentionKindId();
  s = snap_->RetentionSweep(kinds, events, held, as_of, absl::MakeSpan(bitmap),
                            absl::MakeSpan(until));
  EXPECT_THAT(s.message(), HasSubstr("kinds[1]"));
  EXPECT_EQ(bitmap[0], 0xABu);
  EXPECT_EQ(until, std::vector<int32_t>(3, 7));
}

}  // namespace
}  // namespace pip
