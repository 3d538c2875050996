// Tests of the decision log's records (clause 5.4, ログの記録・監視): what
// the engine records for each decision, that no personal data reaches the
// record, and that a decision whose record cannot be written is withheld.
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "src/internal/digest.h"
#include "tests/testing/memory_sink.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using google::protobuf::util::TimeUtil;
using ::pip::testing::BillingRequest;
using ::pip::testing::DefaultEngine;
using ::pip::testing::StatusIs;
using ::pip::testing::Time;
using ::testing::HasSubstr;
using ::testing::Not;

using ::pip::testing::MemorySink;
using ::pip::testing::TestAuditKey;

constexpr const char* kKeyBytes = ::pip::testing::kTestAuditKeyBytes;

std::string Json(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  EXPECT_OK(google::protobuf::util::MessageToJsonString(m, &out, options));
  return out;
}

// HMAC-SHA-256 computed here, independently of AuditKey.
std::string HmacHex(absl::string_view key, absl::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac,
       &len);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string Pseudonym(absl::string_view id) {
  return HmacHex(kKeyBytes, std::string("\x01", 1) + std::string(id));
}

// DESIGN.md's example: direct mail to a subject who asked for suspension
// (clause 8.1), with a consent on file.
v1::PurposeAllowedRequest SuspendedRequest() {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("direct_mail");
  r.add_categories("name");
  r.add_categories("email");
  v1::Consent* c = r.add_consents();
  c->set_id("k-9");
  c->set_subject_id("c-1");
  *c->mutable_granted_at() = Time("2025-04-01T10:00:00+09:00");
  v1::ActiveRequest* a = r.add_active_requests();
  a->set_type("suspension");
  a->set_id("r-77");
  *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
  *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  return r;
}

// --- The key --------------------------------------------------------------

TEST(AuditKeyTest, RefusesAnEmptyOrShortKey) {
  for (const std::string& bytes :
       {std::string(), std::string(AuditKey::kMinBytes - 1, 'k')}) {
    absl::StatusOr<AuditKey> key = AuditKey::FromBytes(bytes);
    ASSERT_THAT(key, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("at least 32")))
        << bytes.size() << " bytes";
  }
  EXPECT_OK(AuditKey::FromBytes(std::string(AuditKey::kMinBytes, 'k')));
}

TEST(AuditKeyTest, MissingKeyFileIsNotFound) {
  absl::StatusOr<AuditKey> key =
      AuditKey::FromFile("/nonexistent/pip-audit.key");
  ASSERT_THAT(key, StatusIs(absl::StatusCode::kNotFound));
}

// Known answers computed with the openssl command line, so that an auditor
// can recompute a pseudonym from the definition in audit.proto:
//   printf '\x01c-1' | openssl dgst -sha256 -mac HMAC -macopt key:0123...cdef
//   printf '\x00key id' | openssl dgst -sha256 -mac HMAC -macopt key:...
TEST(AuditKeyTest, PseudonymAndKeyIdFollowTheirDefinitions) {
  const AuditKey key = TestAuditKey();
  EXPECT_EQ(key.Pseudonym("c-1"),
            "ef8dfcb9f600b04cdc99b1b4ea3da1c992e98b86153bff20b53ab6257f32dff0");
  EXPECT_EQ(key.id(), "b645276038d4f821");
  // A pseudonym is not the chain value of the same bytes: the domain byte
  // keeps an attacker's subject id from producing a chain value.
  EXPECT_NE(key.Pseudonym("x"), key.ChainMac("x"));
  const AuditKey other = *AuditKey::FromBytes(std::string(32, 'z'));
  EXPECT_NE(other.Pseudonym("c-1"), key.Pseudonym("c-1"))
      << "without the key, pseudonyms cannot be joined to ids";
}

// The precomputed keyed states give OpenSSL's HMAC for keys shorter than,
// as long as and longer than SHA-256's 64-byte block (hashed first, RFC
// 2104), and inputs of every length around the block boundaries: every
// pseudonym and chain value of the log depends on it.
TEST(AuditKeyTest, PrecomputedHmacIsOpenSslsHmac) {
  std::string input;
  for (int i = 0; i < 300; ++i) input.push_back(static_cast<char>(i * 7));
  for (const size_t key_size : {0, 1, 31, 32, 33, 63, 64, 65, 100, 128, 200}) {
    std::string key_bytes;
    for (size_t i = 0; i < key_size; ++i) {
      key_bytes.push_back(static_cast<char>(255 - i));
    }
    const internal::HmacSha256 mac(key_bytes);
    for (size_t n = 0; n <= input.size(); ++n) {
      const absl::string_view bytes(input.data(), n);
      ASSERT_EQ(mac.Hex(0x02, bytes),
                HmacHex(key_bytes, std::string("\x02", 1) + std::string(bytes)))
          << "key " << key_size << " bytes, input " << n << " bytes";
    }
  }
}

// --- What a record holds (5.4) -----------------------------------------------

TEST(AuditRecordTest, PurposeAllowedRecordHoldsTheDecisionAndNoPersonalData) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);

  const v1::PurposeAllowedRequest request = SuspendedRequest();
  absl::StatusOr<v1::PurposeAllowedDecision> d = engine->PurposeAllowed(request);
  ASSERT_OK(d);
  ASSERT_FALSE(d->allowed()) << "clause 8.1: a suspension blocks direct mail";

  const std::vector<v1::AuditRecord> records = sink->records();
  ASSERT_EQ(records.size(), 1u);
  const v1::AuditRecord& r = records[0];
  EXPECT_EQ(r.function(), "purpose_allowed");
  EXPECT_EQ(r.outcome(), v1::OUTCOME_DENIED);
  EXPECT_EQ(r.policy_version(), engine->policy_version());
  EXPECT_EQ(r.policy_hash(), engine->policy_hash());
  EXPECT_EQ(r.policy_revision(), engine->policy().revision());
  EXPECT_EQ(TimeUtil::ToString(r.as_of()), TimeUtil::ToString(request.as_of()));
  EXPECT_GT(r.recorded_at().seconds(), 0);
  EXPECT_EQ(r.key_id(), TestAuditKey().id());
  EXPECT_EQ(r.subject_pseudonym(), Pseudonym("c-1"));

  // Every reason of the decision, with its code and clause; the request it
  // names appears as its pseudonym.
  ASSERT_EQ(r.reasons_size(), d->reasons_size());
  bool suspension = false;
  for (int i = 0; i < r.reasons_size(); ++i) {
    EXPECT_EQ(r.reasons(i).code(), d->reasons(i).code());
    EXPECT_EQ(r.reasons(i).clause(), d->reasons(i).clause());
    if (r.reasons(i).code() == v1::SUSPENDED_BY_REQUEST) {
      suspension = true;
      EXPECT_EQ(r.reasons(i).clause(), "8.1");
      EXPECT_EQ(r.reasons(i).request_type(), "suspension");
      EXPECT_EQ(r.reasons(i).request_pseudonym(), Pseudonym("r-77"));
    }
  }
  EXPECT_TRUE(suspension);

  // No id of a person or record, in any field.
  const std::string json = Json(r);
  for (const char* id : {"c-1", "k-9", "r-77"}) {
    EXPECT_THAT(json, Not(HasSubstr(std::string("\"") + id + "\""))) << json;
  }
}

// The request digest is recomputable from its definition (audit.proto):
// SHA-256 of the request with every personal id replaced by its pseudonym.
TEST(AuditRecordTest, RequestDigestIsRecomputableWithoutPersonalData) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);
  const v1::PurposeAllowedRequest request = SuspendedRequest();
  ASSERT_OK(engine->PurposeAllowed(request));

  v1::PurposeAllowedRequest pseudonymized = request;
  pseudonymized.set_subject_id(Pseudonym("c-1"));
  pseudonymized.mutable_consents(0)->set_id(Pseudonym("k-9"));
  pseudonymized.mutable_consents(0)->set_subject_id(Pseudonym("c-1"));
  pseudonymized.mutable_active_requests(0)->set_id(Pseudonym("r-77"));
  const std::string bytes = internal::DeterministicBytes(pseudonymized);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  const std::string expected = absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));

  ASSERT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(sink->records()[0].request_digest(), expected);

  // A different request has a different digest.
  v1::PurposeAllowedRequest other = request;
  other.set_purpose("billing");
  ASSERT_OK(engine->PurposeAllowed(other));
  ASSERT_EQ(sink->records().size(), 2u);
  EXPECT_NE(sink->records()[1].request_digest(), expected);
}

// APPI 27(1): a provision under a legal ground is recorded with the ground
// and the record duty (APPI 29) among its reasons; the reference names a
// case, possibly a person's, and is kept only as its pseudonym.
TEST(AuditRecordTest, Appi27_1_GroundIsRecordedAndItsReferenceIsPseudonymized) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);
  v1::PurposeAllowedRequest request;
  request.set_subject_id("c-1");
  request.set_purpose("legal_obligation");
  request.add_categories("name");
  request.set_recipient("third_party");
  request.mutable_legal_ground()->set_ground("required_by_law");
  request.mutable_legal_ground()->set_reference("inquiry-2026-041");
  *request.mutable_as_of() = TimeUtil::SecondsToTimestamp(1772334000);
  absl::StatusOr<v1::PurposeAllowedDecision> d = engine->PurposeAllowed(request);
  ASSERT_OK(d);
  ASSERT_TRUE(d->allowed());

  const std::vector<v1::AuditRecord> records = sink->records();
  ASSERT_EQ(records.size(), 1u);
  const v1::AuditRecord& r = records[0];
  EXPECT_EQ(r.outcome(), v1::OUTCOME_ALLOWED);
  ASSERT_EQ(r.reasons_size(), 3);
  EXPECT_EQ(r.reasons(1).code(), v1::LEGAL_GROUND_APPLIES);
  EXPECT_EQ(r.reasons(1).article(), "APPI 27(1)(i)");
  EXPECT_EQ(r.reasons(1).provision(), "required_by_law");
  EXPECT_EQ(r.reasons(2).code(), v1::PROVISION_RECORD_NOT_REQUIRED);
  EXPECT_THAT(Json(r), Not(HasSubstr("inquiry-2026-041")));

  v1::PurposeAllowedRequest pseudonymized = request;
  pseudonymized.set_subject_id(Pseudonym("c-1"));
  pseudonymized.mutable_legal_ground()->set_reference(
      Pseudonym("inquiry-2026-041"));
  const std::string bytes = internal::DeterministicBytes(pseudonymized);
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  EXPECT_EQ(r.request_digest(),
            absl::BytesToHexString(absl::string_view(
                reinterpret_cast<const char*>(digest), sizeof(digest))));
}

TEST(AuditRecordTest, EachFunctionRecordsItsOutcome) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);

  // Clause 2.4: location with a consent that covers it.
  v1::ConsentCheckRequest consent;
  consent.set_subject_id("c-1");
  consent.add_categories("location");
  consent.add_purposes("usage_analysis");
  v1::Consent* k = consent.add_consents();
  k->set_id("k-9");
  k->set_subject_id("c-1");
  k->add_categories("location");
  *k->mutable_granted_at() = Time("2025-04-01T10:00:00+09:00");
  k->set_consent_version(1);
  *consent.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  absl::StatusOr<v1::ConsentCheckDecision> c = engine->ConsentCheck(consent);
  ASSERT_OK(c);
  ASSERT_TRUE(c->valid());

  // Clause 7: an inquiry of 2023-05-10 is due from 2026-05-11.
  v1::RetentionDueRequest retention;
  retention.set_kind("inquiry");
  *retention.mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
  *retention.mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
  v1::Hold* hold = retention.add_holds();
  hold->set_type("dispute");
  hold->set_id("case-2026-1");
  absl::StatusOr<v1::RetentionDueDecision> t = engine->RetentionDue(retention);
  ASSERT_OK(t);
  ASSERT_FALSE(t->due()) << "clause 7: a dispute hold keeps the record";

  // Clause 8.2: a request by post is not accepted.
  v1::RequestValidateRequest request;
  request.set_type("disclosure");
  request.set_channel("post");
  *request.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *request.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  absl::StatusOr<v1::RequestValidateDecision> v =
      engine->RequestValidate(request);
  ASSERT_OK(v);
  ASSERT_FALSE(v->valid());

  const std::vector<v1::AuditRecord> records = sink->records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].function(), "consent_check");
  EXPECT_EQ(records[0].outcome(), v1::OUTCOME_CONSENT_VALID);
  EXPECT_EQ(records[0].consent_pseudonym(), Pseudonym("k-9"));
  EXPECT_EQ(records[0].subject_pseudonym(), Pseudonym("c-1"));

  EXPECT_EQ(records[1].function(), "retention_due");
  EXPECT_EQ(records[1].outcome(), v1::OUTCOME_NOT_DUE);
  EXPECT_TRUE(records[1].subject_pseudonym().empty());
  ASSERT_GE(records[1].reasons_size(), 1);
  bool hold_named = false;
  for (const auto& reason : records[1].reasons()) {
    if (reason.code() == v1::HOLD_APPLIES) {
      hold_named = reason.hold_pseudonym() == Pseudonym("case-2026-1") &&
                   reason.hold_type() == "dispute" && reason.clause() == "7";
    }
  }
  EXPECT_TRUE(hold_named);
  EXPECT_THAT(Json(records[1]), Not(HasSubstr("case-2026-1")));

  EXPECT_EQ(records[2].function(), "request_validate");
  EXPECT_EQ(records[2].outcome(), v1::OUTCOME_REQUEST_INVALID);
  bool channel = false;
  for (const auto& reason : records[2].reasons()) {
    channel |= reason.code() == v1::CHANNEL_NOT_ACCEPTED &&
               reason.clause() == "8.2";
  }
  EXPECT_TRUE(channel);
}

// A refused request is recorded too (monitoring of hostile requests), with
// its status code but not its message, which may quote the request.
TEST(AuditRecordTest, ErrorIsRecordedWithItsCodeOnly) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);
  v1::PurposeAllowedRequest bad = BillingRequest();
  bad.set_subject_id("c-secret");
  bad.set_purpose("c-secret-purpose");
  absl::StatusOr<v1::PurposeAllowedDecision> d = engine->PurposeAllowed(bad);
  ASSERT_THAT(d, StatusIs(absl::StatusCode::kInvalidArgument));

  const std::vector<v1::AuditRecord> records = sink->records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].outcome(), v1::OUTCOME_ERROR);
  EXPECT_EQ(records[0].error_code(), "INVALID_ARGUMENT");
  EXPECT_EQ(records[0].reasons_size(), 0);
  EXPECT_THAT(Json(records[0]), Not(HasSubstr("c-secret")));
}

// --- pip never fails open ----------------------------------------------------

// A decision whose record cannot be written is withheld: an allow becomes
// UNAVAILABLE naming the log, and so does a deny.
TEST(AuditFailureTest, UnrecordedDecisionIsWithheldNeverAllowed) {
  auto plain = DefaultEngine();
  ASSERT_TRUE(plain);
  absl::StatusOr<v1::PurposeAllowedDecision> before =
      plain->PurposeAllowed(BillingRequest());
  ASSERT_TRUE(before.ok() && before->allowed())
      << "clause 4.1: billing is a permitted purpose";

  auto failing = std::make_shared<MemorySink>(
      absl::ResourceExhaustedError("disk full"));
  auto engine = DefaultEngine(failing);
  ASSERT_TRUE(engine);

  absl::StatusOr<v1::PurposeAllowedDecision> allow =
      engine->PurposeAllowed(BillingRequest());
  ASSERT_THAT(allow, StatusIs(absl::StatusCode::kUnavailable,
                              ::testing::AllOf(HasSubstr("audit log"),
                                               HasSubstr("disk full"))))
      << "an unrecorded allow must not be returned";

  absl::StatusOr<v1::PurposeAllowedDecision> deny =
      engine->PurposeAllowed(SuspendedRequest());
  ASSERT_THAT(deny, StatusIs(absl::StatusCode::kUnavailable));

  // The JSON surface answers with an error object, never a decision.
  v1::EvalRequest eval;
  *eval.mutable_purpose_allowed() = BillingRequest();
  const v1::EvalResponse response = engine->Evaluate(eval);
  ASSERT_TRUE(response.has_error());
  EXPECT_EQ(response.error().code(), "UNAVAILABLE");
  EXPECT_EQ(failing->calls(), 3);
}

// Many threads evaluate on one audited engine: every decision returned is
// recorded exactly once, and none is lost.
TEST(AuditConcurrencyTest, ConcurrentEvaluationsLoseNoRecord) {
  auto sink = std::make_shared<MemorySink>();
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);

  constexpr int kThreads = 3;
  constexpr int kIterations = 500;
  std::atomic<int> returned{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIterations; ++i) {
        if (engine->PurposeAllowed(BillingRequest()).ok()) returned.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(returned.load(), kThreads * kIterations);
  EXPECT_EQ(sink->records().size(), static_cast<size_t>(returned.load()));
}

}  // namespace
}  // namespace pip
