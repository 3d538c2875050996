// The serialized surface (Engine::*Serialized) and the direct wire paths of
// its four functions: every decision they give is, byte for byte, the
// message path's; everything they are not sure of goes to the message path,
// which decides or refuses it by protobuf's rules.
#include "src/engine/serialized.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "src/codec/wire_request.h"
#include "tests/testing/request_cases.h"
#include "tests/testing/compiled_policy.h"
#include "tests/testing/memory_sink.h"
#include "tests/testing/requests.h"

namespace pip {
namespace engine_internal {
namespace {

using ::pip::testing::BillingRequest;
using ::pip::testing::SharedDefaultEngine;
using ::pip::testing::Time;
using ::testing::HasSubstr;

const CompiledPolicy& DefaultPolicy() {
  return ::pip::testing::DefaultCompiledPolicy();
}

// The message path's answer: parse, evaluate, serialize.
absl::StatusOr<std::string> ThroughMessages(absl::string_view bytes) {
  v1::PurposeAllowedRequest request;
  absl::Status parsed = ParseRequest(bytes, &request);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<v1::PurposeAllowedDecision> d =
      SharedDefaultEngine().PurposeAllowed(request);
  if (!d.ok()) return d.status();
  return d->SerializeAsString();
}

// Expects the direct path to take `request` and answer as the message path.
void ExpectDirectMatches(const v1::PurposeAllowedRequest& request) {
  const std::string bytes = request.SerializeAsString();
  std::string direct = "left over";
  ASSERT_TRUE(PurposeAllowedDirect(DefaultPolicy(), bytes, &direct))
      << request.ShortDebugString();
  absl::StatusOr<std::string> expected = ThroughMessages(bytes);
  ASSERT_TRUE(expected.ok()) << expected.status();
  EXPECT_EQ(direct, *expected) << request.ShortDebugString();
}

// Expects the direct path to decline `bytes`, and the engine's serialized
// function to answer exactly as the message path does.
void ExpectMessagePath(absl::string_view bytes) {
  std::string direct = "untouched";
  EXPECT_FALSE(PurposeAllowedDirect(DefaultPolicy(), bytes, &direct));
  EXPECT_EQ(direct, "untouched");
  std::string answer;
  const absl::Status status =
      SharedDefaultEngine().PurposeAllowedSerialized(bytes, &answer);
  absl::StatusOr<std::string> expected = ThroughMessages(bytes);
  EXPECT_EQ(status, expected.status());
  if (status.ok() && expected.ok()) EXPECT_EQ(answer, *expected);
}

// Every purpose with category sets that meet each rule of clauses 2-4, the
// context flags, consents in each state of clauses 2.4 and 7 (valid,
// withdrawn, expired, not yet granted, out of scope, another subject's,
// stale version) and active requests of clause 8.1: each decision and each
// reason's words come out of the direct path exactly as the message path
// writes them.
TEST(PurposeAllowedDirectTest, EveryRuleAnswersAsTheMessagePath) {
  const std::vector<v1::PurposeAllowedRequest> cases =
      ::pip::testing::PurposeAllowedCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  for (const v1::PurposeAllowedRequest& r : cases) ExpectDirectMatches(r);
}

// 4.1: the allowed answer, field by field, so that the comparison above
// cannot pass on two empty answers.
TEST(PurposeAllowedDirectTest, AllowedBillingCitesClause4) {
  std::string bytes;
  ASSERT_TRUE(PurposeAllowedDirect(DefaultPolicy(),
                                   BillingRequest().SerializeAsString(),
                                   &bytes));
  v1::PurposeAllowedDecision d;
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_TRUE(d.allowed());
  ASSERT_EQ(d.reasons_size(), 1);
  EXPECT_EQ(d.reasons(0).code(), v1::PURPOSE_PERMITTED);
  EXPECT_EQ(d.reasons(0).clause(), "4.1");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("利用目的"));
  EXPECT_EQ(d.policy_version(), SharedDefaultEngine().policy_version());
  EXPECT_EQ(d.policy_hash(), SharedDefaultEngine().policy_hash());
}

// 8.1: a pending suspension names its request id in both languages.
TEST(PurposeAllowedDirectTest, SuspensionNamesTheRequest) {
  v1::PurposeAllowedRequest r = BillingRequest();
  r.set_purpose("direct_mail");
  v1::ActiveRequest* a = r.add_active_requests();
  a->set_type("suspension");
  a->set_id("req-42");
  *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
  std::string bytes;
  ASSERT_TRUE(
      PurposeAllowedDirect(DefaultPolicy(), r.SerializeAsString(), &bytes));
  v1::PurposeAllowedDecision d;
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_FALSE(d.allowed());
  ASSERT_EQ(d.reasons_size(), 1);
  EXPECT_EQ(d.reasons(0).code(), v1::SUSPENDED_BY_REQUEST);
  EXPECT_EQ(d.reasons(0).clause(), "8.1");
  EXPECT_EQ(d.reasons(0).request_id(), "req-42");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("(req-42)"));
  EXPECT_THAT(d.reasons(0).message_en(), HasSubstr("(req-42)"));
}

std::string Field(int number, int wire_type) {
  return std::string(1, static_cast<char>((number << 3) | wire_type));
}

std::string Billing() { return BillingRequest().SerializeAsString(); }

TEST(PurposeAllowedDirectTest, UnknownFieldIsRefusedNeverIgnored) {
  // Field 99, varint 1: a restriction a newer caller relies on, maybe.
  const std::string bytes = Billing() + "\x98\x06\x01";
  ExpectMessagePath(bytes);
  std::string answer;
  const absl::Status status =
      SharedDefaultEngine().PurposeAllowedSerialized(bytes, &answer);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("unknown to pip.v1.PurposeAllowedRequest"));
}

TEST(PurposeAllowedDirectTest, UnknownFieldInsideAConsentIsRefused) {
  v1::PurposeAllowedRequest r = BillingRequest();
  v1::Consent* c = r.add_consents();
  c->set_id("k-1");
  *c->mutable_granted_at() = Time("2025-01-01T00:00:00Z");
  c->GetReflection()->MutableUnknownFields(c)->AddVarint(42, 1);
  ExpectMessagePath(r.SerializeAsString());
}

TEST(PurposeAllowedDirectTest, KnownFieldWithAnotherWireTypeIsRefused) {
  // purpose (2) as a varint.
  ExpectMessagePath(Billing() + Field(2, 0) + "\x01");
}

TEST(PurposeAllowedDirectTest, RepeatedSingularFieldTakesProtobufsRule) {
  // A second purpose: protobuf keeps the last one ("direct_mail").
  ExpectMessagePath(Billing() + Field(2, 2) + "\x0b" "direct_mail");
  // A second as_of: protobuf merges the two Timestamps.
  ExpectMessagePath(Billing() + Field(8, 2) + "\x02\x10\x05");
}

TEST(PurposeAllowedDirectTest, TextThatIsNotUtf8IsRefused) {
  v1::PurposeAllowedRequest r = BillingRequest();
  std::string bytes = r.SerializeAsString() + Field(1, 2) + "\x02\xc3\x28";
  ExpectMessagePath(bytes);
}

TEST(PurposeAllowedDirectTest, TruncatedAndCorruptBytesAreRefused) {
  const std::string bytes = Billing();
  for (size_t n = 1; n < bytes.size(); ++n) {
    ExpectMessagePath(bytes.substr(0, n));
  }
  ExpectMessagePath(Billing() + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  ExpectMessagePath(std::string("\x00", 1));
}

// Clause 4 names the purposes: an unknown one is an error the message path
// words, with a suggestion.
TEST(PurposeAllowedDirectTest, InvalidRequestsAreWordedByTheMessagePath) {
  v1::PurposeAllowedRequest r = BillingRequest();
  r.add_categories("emial");
  ExpectMessagePath(r.SerializeAsString());
  std::string answer;
  EXPECT_EQ(SharedDefaultEngine().PurposeAllowedSerialized(r.SerializeAsString(),
                                                           &answer),
            absl::InvalidArgumentError(
                "categories[1]: unknown category 'emial' (did you mean "
                "'email'?)"));
  ExpectMessagePath("");
  r = BillingRequest();
  r.clear_as_of();
  ExpectMessagePath(r.SerializeAsString());
}

TEST(SerializedTest, RequestPastTheLimitIsRefused) {
  std::string answer = "untouched";
  const std::string bytes(kMaxProtoRequestBytes + 1, 'x');
  const absl::Status status =
      SharedDefaultEngine().PurposeAllowedSerialized(bytes, &answer);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("kMaxProtoRequestBytes"));
  EXPECT_EQ(answer, "untouched");
}

// 2.4, 2.5, 7: consent_check on consents in every state, for every
// purpose, with one category and with several: the direct path answers each
// as the message path does.
TEST(ConsentCheckDirectTest, EveryConsentStateAnswersAsTheMessagePath) {
  const std::vector<v1::ConsentCheckRequest> cases =
      ::pip::testing::ConsentCheckCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  for (const v1::ConsentCheckRequest& r : cases) {
    const std::string bytes = r.SerializeAsString();
    std::string direct;
    ASSERT_TRUE(ConsentCheckDirect(DefaultPolicy(), bytes, &direct))
        << r.ShortDebugString();
    absl::StatusOr<v1::ConsentCheckDecision> expected =
        SharedDefaultEngine().ConsentCheck(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    EXPECT_EQ(direct, expected->SerializeAsString()) << r.ShortDebugString();
  }
}

// 2.4: the consent relied on is named, and a request that cannot be read
// plainly goes to the message path.
TEST(ConsentCheckDirectTest, ValidConsentIsNamedAndOddBytesDecline) {
  v1::ConsentCheckRequest r;
  r.set_subject_id("c-1");
  r.add_categories("location");
  r.add_purposes("usage_analysis");
  v1::Consent* c = r.add_consents();
  c->set_id("k-7");
  c->set_subject_id("c-1");
  *c->mutable_granted_at() = Time("2025-01-01T00:00:00Z");
  c->set_consent_version(1000);
  *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  std::string bytes;
  ASSERT_TRUE(
      ConsentCheckDirect(DefaultPolicy(), r.SerializeAsString(), &bytes));
  v1::ConsentCheckDecision d;
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_TRUE(d.valid());
  EXPECT_EQ(d.consent_id(), "k-7");
  std::string untouched = "untouched";
  EXPECT_FALSE(ConsentCheckDirect(DefaultPolicy(),
                                  r.SerializeAsString() + "\x98\x06\x01",
                                  &untouched));
  EXPECT_EQ(untouched, "untouched");
  r.clear_subject_id();  // required by consent_check
  EXPECT_FALSE(
      ConsentCheckDirect(DefaultPolicy(), r.SerializeAsString(), &untouched));
  std::string answer;
  EXPECT_EQ(SharedDefaultEngine()
                .ConsentCheckSerialized(r.SerializeAsString(), &answer)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

// The other three functions answer as their message paths.
TEST(SerializedTest, EveryFunctionAnswersAsItsMessagePath) {
  const Engine& engine = SharedDefaultEngine();
  v1::ConsentCheckRequest consent;
  consent.set_subject_id("c-1");
  consent.add_categories("email");
  consent.add_purposes("direct_mail");
  *consent.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  std::string answer;
  ASSERT_TRUE(
      engine.ConsentCheckSerialized(consent.SerializeAsString(), &answer).ok());
  EXPECT_EQ(answer, engine.ConsentCheck(consent)->SerializeAsString());

  v1::RetentionDueRequest retention;
  retention.set_kind("inquiry");
  *retention.mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
  *retention.mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
  ASSERT_TRUE(
      engine.RetentionDueSerialized(retention.SerializeAsString(), &answer).ok());
  EXPECT_EQ(answer, engine.RetentionDue(retention)->SerializeAsString());

  v1::RequestValidateRequest request;
  request.set_type("disclosure");
  request.set_channel("email");
  *request.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *request.mutable_as_of() = Time("2026-02-02T10:00:00+09:00");
  ASSERT_TRUE(
      engine.RequestValidateSerialized(request.SerializeAsString(), &answer)
          .ok());
  EXPECT_EQ(answer, engine.RequestValidate(request)->SerializeAsString());
  EXPECT_FALSE(engine.RetentionDueSerialized("\x0a\x05xy", &answer).ok());
}

// Evaluate() on bytes: every oneof member, and every way the bytes can be
// wrong, answers as parsing and Evaluate() do.
TEST(EvaluateSerializedTest, AnswersAsEvaluate) {
  const Engine& engine = SharedDefaultEngine();
  const auto expect_as_evaluate = [&](const std::string& bytes) {
    v1::EvalRequest parsed;
    const absl::Status status = ParseRequest(bytes, &parsed);
    const std::string expected =
        (status.ok() ? engine.Evaluate(parsed) : ErrorResponse(status))
            .SerializeAsString();
    EXPECT_EQ(engine.EvaluateSerialized(bytes), expected);
    v1::EvalResponse response;
    EXPECT_TRUE(response.ParseFromString(engine.EvaluateSerialized(bytes)));
    return response;
  };
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = BillingRequest();
  // 4.1: billing is allowed.
  EXPECT_TRUE(expect_as_evaluate(request.SerializeAsString())
                  .purpose_allowed()
                  .allowed());
  request.mutable_consent_check()->set_subject_id("c-1");
  request.mutable_consent_check()->add_categories("location");
  request.mutable_consent_check()->add_purposes("usage_analysis");
  *request.mutable_consent_check()->mutable_as_of() =
      Time("2026-03-01T12:00:00+09:00");
  // 2.4: no consent record, so not valid.
  EXPECT_FALSE(
      expect_as_evaluate(request.SerializeAsString()).consent_check().valid());
  request.mutable_retention_due()->set_kind("inquiry");
  *request.mutable_retention_due()->mutable_event_at() =
      Time("2023-05-10T14:00:00+09:00");
  *request.mutable_retention_due()->mutable_as_of() =
      Time("2026-05-11T00:00:00+09:00");
  // 7: an inquiry is kept three years.
  EXPECT_TRUE(
      expect_as_evaluate(request.SerializeAsString()).retention_due().due());
  // Two members: protobuf keeps the last.
  v1::EvalRequest purpose;
  *purpose.mutable_purpose_allowed() = BillingRequest();
  expect_as_evaluate(purpose.SerializeAsString() + request.SerializeAsString());
  // Wrong bytes are error responses.
  EXPECT_TRUE(expect_as_evaluate("").has_error());
  EXPECT_THAT(
      expect_as_evaluate(purpose.SerializeAsString() + "\x98\x06\x01")
          .error()
          .message(),
      HasSubstr("unknown to pip.v1.EvalRequest"));
  EXPECT_TRUE(expect_as_evaluate("\x0a\x05xy").has_error());
  v1::EvalResponse too_big;
  ASSERT_TRUE(too_big.ParseFromString(engine.EvaluateSerialized(
      std::string(kMaxProtoRequestBytes + 1, '\x0a'))));
  EXPECT_THAT(too_big.error().message(), HasSubstr("kMaxProtoRequestBytes"));
}

// The versions the purpose_allowed decisions of `engine` carry, on every
// surface that reads the running policy: the direct wire path, the message
// path, Evaluate, EvaluateSerialized, EvaluateJson and the batches.
std::vector<std::string> Versions(const Engine& engine) {
  std::vector<std::string> versions;
  std::string bytes;
  EXPECT_TRUE(engine.PurposeAllowedSerialized(Billing(), &bytes).ok());
  v1::PurposeAllowedDecision d;
  EXPECT_TRUE(d.ParseFromString(bytes));
  versions.push_back(d.policy_version());
  versions.push_back(engine.PurposeAllowed(BillingRequest())->policy_version());
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = BillingRequest();
  versions.push_back(
      engine.Evaluate(request).purpose_allowed().policy_version());
  v1::EvalResponse response;
  EXPECT_TRUE(response.ParseFromString(
      engine.EvaluateSerialized(request.SerializeAsString())));
  versions.push_back(response.purpose_allowed().policy_version());
  v1::EvalBatchRequest batch;
  *batch.add_requests() = request;
  versions.push_back(engine.EvaluateBatch(batch)
                         .responses(0)
                         .purpose_allowed()
                         .policy_version());
  std::string json;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(request, &json).ok());
  for (const std::string& line :
       {engine.EvaluateJson(json), engine.EvaluateJsonBatch({json})[0]}) {
    response.Clear();
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(line, &response)
                    .ok());
    versions.push_back(response.purpose_allowed().policy_version());
  }
  return versions;
}

// Every surface without an audit sink reads the running policy through a
// per-thread cache: on one thread, alternating engines and reloads, each
// answer still comes from the policy its engine runs at the time.
TEST(SerializedTest, EverySurfaceFollowsEveryEngineAndReload) {
  const v1::Policy base = SharedDefaultEngine().policy();
  v1::Policy later = base;
  later.set_version("2099-01-01");
  auto a = Engine::FromPolicy(base);
  auto b = Engine::FromPolicy(later);
  ASSERT_TRUE(a.ok() && b.ok());
  const auto all = [](const std::string& version) {
    return std::vector<std::string>(7, version);
  };
  EXPECT_EQ(Versions(**a), all(base.version()));
  EXPECT_EQ(Versions(**b), all("2099-01-01"));
  EXPECT_EQ(Versions(**a), all(base.version()));
  ASSERT_TRUE((*a)->Reload(later).ok());
  EXPECT_EQ(Versions(**a), all("2099-01-01"));
  ASSERT_TRUE((*a)->Reload(base).ok());
  EXPECT_EQ(Versions(**a), all(base.version()));
  // A new engine, perhaps at the address of a destroyed one, is another
  // engine.
  a->reset();
  auto c = Engine::FromPolicy(later);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Versions(**c), all("2099-01-01"));
}

// 5.4: with a decision log attached, a serialized decision is recorded
// like any other.
TEST(SerializedTest, AuditedEngineRecordsSerializedDecisions) {
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine();
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  engine->SetAuditSink(sink);
  std::string answer;
  ASSERT_TRUE(engine->PurposeAllowedSerialized(Billing(), &answer).ok());
  EXPECT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(answer, engine->PurposeAllowed(BillingRequest())->SerializeAsString());
}

// The reader sees every field of a request, nested ones included.
TEST(ReadWireTest, ReadsEveryField) {
  v1::PurposeAllowedRequest r;
  r.set_subject_id("c-1");
  r.set_purpose("web_analytics");
  r.add_categories("location");
  r.add_categories("email");
  r.set_recipient("group_companies");
  r.mutable_context()->set_anonymized(true);
  r.mutable_context()->set_necessity_documented(true);
  v1::Consent* c = r.add_consents();
  c->set_id("k-1");
  c->set_subject_id("c-1");
  c->add_categories("location");
  c->add_purposes("web_analytics");
  c->add_recipients("group_companies");
  c->mutable_granted_at()->set_seconds(-5);
  c->mutable_granted_at()->set_nanos(-1);
  *c->mutable_expires_at() = Time("2027-01-01T00:00:00Z");
  c->set_consent_version(-3);
  v1::ActiveRequest* a = r.add_active_requests();
  a->set_type("suspension");
  a->set_id("req-1");
  *a->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
  r.mutable_as_of()->set_seconds(1772334000);
  const std::string bytes = r.SerializeAsString();

  WirePurposeAllowedRequest w;
  ASSERT_TRUE(ReadWire(bytes, &w));
  EXPECT_EQ(w.subject_id(), "c-1");
  EXPECT_EQ(w.purpose(), "web_analytics");
  ASSERT_EQ(w.categories().size(), 2u);
  EXPECT_EQ(w.categories()[1], "email");
  EXPECT_EQ(w.recipient(), "group_companies");
  EXPECT_TRUE(w.context().anonymized());
  EXPECT_FALSE(w.context().health_service());
  EXPECT_TRUE(w.context().necessity_documented());
  ASSERT_EQ(w.consents().size(), 1u);
  const WireConsent& wc = w.consents()[0];
  EXPECT_EQ(wc.id(), "k-1");
  EXPECT_EQ(wc.recipients()[0], "group_companies");
  EXPECT_TRUE(wc.has_granted_at());
  EXPECT_EQ(wc.granted_at().seconds(), -5);
  EXPECT_EQ(wc.granted_at().nanos(), -1);
  EXPECT_FALSE(wc.has_withdrawn_at());
  EXPECT_TRUE(wc.has_expires_at());
  EXPECT_EQ(wc.consent_version(), -3);
  ASSERT_EQ(w.active_requests().size(), 1u);
  EXPECT_EQ(w.active_requests()[0].type(), "suspension");
  EXPECT_EQ(w.active_requests()[0].id(), "req-1");
  EXPECT_TRUE(w.active_requests()[0].has_received_at());
  EXPECT_TRUE(w.has_as_of());
  EXPECT_EQ(w.as_of().seconds(), 1772334000);
  EXPECT_EQ(w.as_of().nanos(), 0);
}

// An empty message field is present, as protobuf's has_ says.
TEST(ReadWireTest, EmptyTimestampIsPresent) {
  WirePurposeAllowedRequest w;
  ASSERT_TRUE(ReadWire(Field(8, 2) + std::string("\x00", 1), &w));
  EXPECT_TRUE(w.has_as_of());
  EXPECT_EQ(w.as_of().seconds(), 0);
}

// One function's surfaces, for the tests of retention_due and
// request_validate below: its direct wire path, its *Serialized function
// and its message-based function.
template <typename Request, typename Decision>
struct Function {
  bool (*direct)(const CompiledPolicy&, absl::string_view, std::string*);
  absl::Status (Engine::*serialized)(absl::string_view, std::string*) const;
  absl::StatusOr<Decision> (Engine::*method)(const Request&) const;
  // The EvalRequest holding `request`, and the number of that member.
  v1::EvalRequest (*eval)(const Request&);
  int eval_field;
};

const Function<v1::RetentionDueRequest, v1::RetentionDueDecision>
    kRetentionDue = {&RetentionDueDirect, &Engine::RetentionDueSerialized,
                     &Engine::RetentionDue,
                     [](const v1::RetentionDueRequest& r) {
                       v1::EvalRequest e;
                       *e.mutable_retention_due() = r;
                       return e;
                     },
                     v1::EvalRequest::kRetentionDueFieldNumber};
const Function<v1::RequestValidateRequest, v1::RequestValidateDecision>
    kRequestValidate = {&RequestValidateDirect,
                        &Engine::RequestValidateSerialized,
                        &Engine::RequestValidate,
                        [](const v1::RequestValidateRequest& r) {
                          v1::EvalRequest e;
                          *e.mutable_request_validate() = r;
                          return e;
                        },
                        v1::EvalRequest::kRequestValidateFieldNumber};

// The message path's answer to `bytes`: parse, evaluate, serialize.
template <typename Request, typename Decision>
absl::StatusOr<std::string> ThroughMessages(
    const Function<Request, Decision>& f, absl::string_view bytes) {
  Request request;
  absl::Status parsed = ParseRequest(bytes, &request);
  if (!parsed.ok()) return parsed;
  absl::StatusOr<Decision> d = (SharedDefaultEngine().*f.method)(request);
  if (!d.ok()) return d.status();
  return d->SerializeAsString();
}

// The direct path takes `request` and writes the message path's bytes, for
// the function alone, through the engine, and wrapped in an EvalResponse;
// returns the decision.
template <typename Request, typename Decision>
Decision ExpectDirectAnswers(const Function<Request, Decision>& f,
                             const Request& request) {
  const Engine& engine = SharedDefaultEngine();
  const std::string bytes = request.SerializeAsString();
  std::string direct = "left over";
  EXPECT_TRUE(f.direct(DefaultPolicy(), bytes, &direct))
      << request.ShortDebugString();
  const absl::StatusOr<Decision> expected = (engine.*f.method)(request);
  EXPECT_TRUE(expected.ok()) << expected.status();
  if (!expected.ok()) return Decision();
  EXPECT_EQ(direct, expected->SerializeAsString())
      << request.ShortDebugString();
  std::string answer = "left over";
  EXPECT_TRUE((engine.*f.serialized)(bytes, &answer).ok());
  EXPECT_EQ(answer, direct);
  const v1::EvalRequest eval = f.eval(request);
  EXPECT_EQ(engine.EvaluateSerialized(eval.SerializeAsString()),
            engine.Evaluate(eval).SerializeAsString())
      << request.ShortDebugString();
  return *expected;
}

// The direct path declines `bytes` and leaves the output alone; the
// *Serialized function gives the message path's status (and decision),
// and leaves the output alone on error; EvaluateSerialized answers as
// parsing and Evaluate() do.
template <typename Request, typename Decision>
absl::Status ExpectMessagePathAnswers(const Function<Request, Decision>& f,
                                      absl::string_view bytes) {
  const Engine& engine = SharedDefaultEngine();
  std::string direct = "untouched";
  EXPECT_FALSE(f.direct(DefaultPolicy(), bytes, &direct));
  EXPECT_EQ(direct, "untouched");
  std::string answer = "untouched";
  const absl::Status status = (engine.*f.serialized)(bytes, &answer);
  const absl::StatusOr<std::string> expected = ThroughMessages(f, bytes);
  EXPECT_EQ(status, expected.status());
  if (status.ok() && expected.ok()) {
    EXPECT_EQ(answer, *expected);
  } else {
    EXPECT_EQ(answer, "untouched");
  }
  // The same bytes as the function's member of an EvalRequest.
  std::string eval = Field(f.eval_field, 2);
  eval.push_back(static_cast<char>(bytes.size()));
  EXPECT_LT(bytes.size(), 128u);
  eval.append(bytes.data(), bytes.size());
  v1::EvalRequest parsed;
  const absl::Status eval_status = ParseRequest(eval, &parsed);
  EXPECT_EQ(engine.EvaluateSerialized(eval),
            (eval_status.ok() ? engine.Evaluate(parsed)
                              : ErrorResponse(eval_status))
                .SerializeAsString());
  return status;
}

v1::RetentionDueRequest InquiryRequest() {
  v1::RetentionDueRequest r;
  r.set_kind("inquiry");
  *r.mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
  *r.mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
  return r;
}

v1::RequestValidateRequest DisclosureRequest() {
  v1::RequestValidateRequest r;
  r.set_type("disclosure");
  r.set_channel("email");
  r.set_requester("agent");
  r.mutable_documents()->set_identity_document(true);
  r.mutable_documents()->set_request_form(true);
  r.set_fee_paid_jpy(300);
  *r.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *r.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  return r;
}

// Clause 7: every retention kind, both clocks, with and without an event
// (a contract not ended), as_of before, at and after the record falls due,
// holds ended, running and without end: each decision and each reason's
// words come out of the direct path exactly as the message path writes
// them.
TEST(RetentionDueDirectTest, Clause7EveryKindClockAndHoldAnswersAsTheMessagePath) {
  const std::vector<v1::RetentionDueRequest> cases =
      ::pip::testing::RetentionDueCases(SharedDefaultEngine());
  EXPECT_GT(cases.size(), 500u);
  int due = 0, running = 0, not_started = 0, held = 0, ended_held = 0;
  for (const v1::RetentionDueRequest& r : cases) {
    const v1::RetentionDueDecision d = ExpectDirectAnswers(kRetentionDue, r);
    due += d.due();
    ended_held += d.period_ended() && !d.due();
    for (const v1::Reason& reason : d.reasons()) {
      running += reason.code() == v1::PERIOD_RUNNING;
      not_started += reason.code() == v1::CLOCK_NOT_STARTED;
      held += reason.code() == v1::HOLD_APPLIES;
    }
  }
  // Every outcome of clause 7 was compared, not only some.
  EXPECT_GT(due, 50);
  EXPECT_GT(running, 50);
  EXPECT_GT(not_started, 10);
  EXPECT_GT(held, 50);
  EXPECT_GT(ended_held, 50);
}

// Clause 7: an inquiry is kept three years from the day after it; the
// record falls due at 00:00 JST the day after the last day, field by field,
// so that the comparison above cannot pass on two empty answers.
TEST(RetentionDueDirectTest, Clause7InquiryFallsDueAfterThreeYears) {
  std::string bytes;
  ASSERT_TRUE(RetentionDueDirect(DefaultPolicy(),
                                 InquiryRequest().SerializeAsString(), &bytes));
  v1::RetentionDueDecision d;
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_TRUE(d.due());
  EXPECT_TRUE(d.period_ended());
  EXPECT_EQ(d.retain_until(), "2026-05-10");
  EXPECT_EQ(d.due_at(), "2026-05-11T00:00:00+09:00");
  EXPECT_EQ(d.clause(), "7");
  EXPECT_FALSE(d.deletion_method().empty());
  EXPECT_FALSE(d.deletion_method_ja().empty());
  EXPECT_FALSE(d.deletion_method_en().empty());
  EXPECT_EQ(d.reasons_size(), 0);
  EXPECT_EQ(d.policy_hash(), SharedDefaultEngine().policy_hash());

  // A dispute hold running at as_of keeps it (7, 保存期間の例外), named by
  // its id, quoting the last day.
  v1::RetentionDueRequest r = InquiryRequest();
  v1::Hold* h = r.add_holds();
  h->set_type("dispute");
  h->set_id("case-9");
  ASSERT_TRUE(RetentionDueDirect(DefaultPolicy(), r.SerializeAsString(), &bytes));
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_FALSE(d.due());
  EXPECT_TRUE(d.period_ended());
  ASSERT_EQ(d.reasons_size(), 1);
  EXPECT_EQ(d.reasons(0).code(), v1::HOLD_APPLIES);
  EXPECT_EQ(d.reasons(0).hold_type(), "dispute");
  EXPECT_EQ(d.reasons(0).hold_id(), "case-9");
  EXPECT_THAT(d.reasons(0).message_en(), HasSubstr("2026-05-10"));
}

// Clause 8: every request type by every channel (one that accepts none
// too), each requester, documents missing or not, identity verified or
// not, fee unpaid, paid and over, review flags, within and past the
// response period: each decision, its lists and each reason's words come
// out of the direct path exactly as the message path writes them.
TEST(RequestValidateDirectTest, Clause8EveryTypeChannelAndFeeAnswersAsTheMessagePath) {
  const std::vector<v1::RequestValidateRequest> cases =
      ::pip::testing::RequestValidateCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  int valid = 0, overdue = 0;
  std::map<v1::ReasonCode, int> codes;
  for (const v1::RequestValidateRequest& r : cases) {
    const v1::RequestValidateDecision d =
        ExpectDirectAnswers(kRequestValidate, r);
    valid += d.valid();
    overdue += d.overdue();
    for (const v1::Reason& reason : d.reasons()) ++codes[reason.code()];
  }
  // Every outcome of clause 8 was compared, not only some.
  EXPECT_GT(valid, 10);
  EXPECT_GT(overdue, 100);
  for (const v1::ReasonCode code :
       {v1::CHANNEL_NOT_ACCEPTED, v1::DOCUMENT_MISSING,
        v1::IDENTITY_NOT_VERIFIED, v1::FEE_UNPAID, v1::FEE_NOT_CHARGEABLE,
        v1::RESPONSE_OVERDUE, v1::REVIEW_REQUIRED}) {
    EXPECT_GT(codes[code], 10) << v1::ReasonCode_Name(code);
  }
}

// 8.2, 8.3: an agent's disclosure without a power of attorney, fee paid:
// the list of what is missing, the fee, the deadline and the next step,
// field by field.
TEST(RequestValidateDirectTest, Clause8AgentNeedsPowerOfAttorney) {
  std::string bytes;
  ASSERT_TRUE(RequestValidateDirect(
      DefaultPolicy(), DisclosureRequest().SerializeAsString(), &bytes));
  v1::RequestValidateDecision d;
  ASSERT_TRUE(d.ParseFromString(bytes));
  EXPECT_FALSE(d.valid());
  EXPECT_THAT(d.missing(), ::testing::ElementsAre("power_of_attorney",
                                                  "identity_verification"));
  EXPECT_EQ(d.fee_due_jpy(), 300);
  EXPECT_EQ(d.respond_by(), "2026-03-02");
  EXPECT_FALSE(d.overdue());
  EXPECT_EQ(d.next_step(), "collect_documents");
  EXPECT_EQ(d.errors_size(), 0);
  EXPECT_EQ(d.warnings_size(), 0);
  EXPECT_EQ(d.policy_version(), SharedDefaultEngine().policy_version());

  // 8.2, 8.3: a fax, a fee charged for a correction, a flag: an error, a
  // warning and a ground to review, each also among the reasons.
  v1::RequestValidateRequest r = DisclosureRequest();
  r.set_type("correction");
  r.set_channel("fax");
  r.mutable_review()->set_third_party_rights(true);
  ASSERT_TRUE(
      RequestValidateDirect(DefaultPolicy(), r.SerializeAsString(), &bytes));
  ASSERT_TRUE(d.ParseFromString(bytes));
  ASSERT_EQ(d.errors_size(), 1);
  EXPECT_EQ(d.errors(0).code(), v1::CHANNEL_NOT_ACCEPTED);
  EXPECT_THAT(d.errors(0).message_en(), HasSubstr("fax"));
  ASSERT_EQ(d.warnings_size(), 1);
  EXPECT_EQ(d.warnings(0).code(), v1::FEE_NOT_CHARGEABLE);
  EXPECT_THAT(d.needs_review(), ::testing::ElementsAre("third_party_rights"));
  EXPECT_EQ(d.fee_due_jpy(), 0);
  EXPECT_EQ(d.next_step(), "fix_channel");
}

// Requests the policy cannot evaluate (clause 7 names the kinds and hold
// types, clause 8 the request types and requesters; every function needs
// its times, within pip's years): the direct path declines, and the
// *Serialized functions give the message path's error with the output
// untouched.
TEST(RetentionDueDirectTest, Clause7InvalidRequestsAreWordedByTheMessagePath) {
  std::vector<v1::RetentionDueRequest> bad;
  v1::RetentionDueRequest r = InquiryRequest();
  r.set_kind("inquiries");
  bad.push_back(r);
  r = InquiryRequest();
  r.clear_kind();
  bad.push_back(r);
  r = InquiryRequest();
  r.clear_event_at();  // an inquiry's clock needs its event
  bad.push_back(r);
  r = InquiryRequest();
  r.clear_as_of();
  bad.push_back(r);
  r = InquiryRequest();
  r.mutable_as_of()->set_seconds(-62135596800);  // year 1
  bad.push_back(r);
  r = InquiryRequest();
  r.mutable_event_at()->set_nanos(1000000000);
  bad.push_back(r);
  r = InquiryRequest();
  r.add_holds()->set_type("lawsuit");
  bad.push_back(r);
  r = InquiryRequest();
  r.add_holds()->set_id("h-1");  // no type
  bad.push_back(r);
  r = InquiryRequest();
  r.add_holds()->set_type("dispute");
  r.mutable_holds(0)->mutable_until()->set_seconds(253402300800);  // 10000
  bad.push_back(r);
  r = InquiryRequest();
  r.add_holds()->set_type("dispute");
  r.mutable_holds(0)->set_id(std::string("h\0", 2));
  bad.push_back(r);
  for (const v1::RetentionDueRequest& b : bad) {
    const absl::Status status =
        ExpectMessagePathAnswers(kRetentionDue, b.SerializeAsString());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << b.ShortDebugString();
  }
  std::string answer;
  EXPECT_EQ(SharedDefaultEngine().RetentionDueSerialized(
                bad[0].SerializeAsString(), &answer),
            absl::InvalidArgumentError(
                "kind: unknown retention kind 'inquiries' (did you mean "
                "'inquiry'?)"));
}

TEST(RequestValidateDirectTest, Clause8InvalidRequestsAreWordedByTheMessagePath) {
  std::vector<v1::RequestValidateRequest> bad;
  v1::RequestValidateRequest r = DisclosureRequest();
  r.set_type("disclosures");
  bad.push_back(r);
  r = DisclosureRequest();
  r.clear_channel();
  bad.push_back(r);
  r = DisclosureRequest();
  r.set_channel("e\xc3");
  bad.push_back(r);
  r = DisclosureRequest();
  r.set_requester("lawyer");
  bad.push_back(r);
  r = DisclosureRequest();
  r.set_fee_paid_jpy(-1);
  bad.push_back(r);
  r = DisclosureRequest();
  r.clear_received_at();
  bad.push_back(r);
  r = DisclosureRequest();
  r.clear_as_of();
  bad.push_back(r);
  r = DisclosureRequest();
  r.mutable_as_of()->set_seconds(-62135596800);  // year 1
  bad.push_back(r);
  r = DisclosureRequest();
  r.mutable_received_at()->set_nanos(-1);
  bad.push_back(r);
  for (const v1::RequestValidateRequest& b : bad) {
    const absl::Status status =
        ExpectMessagePathAnswers(kRequestValidate, b.SerializeAsString());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << b.ShortDebugString();
  }
  std::string answer;
  EXPECT_EQ(SharedDefaultEngine().RequestValidateSerialized(
                bad[4].SerializeAsString(), &answer),
            absl::InvalidArgumentError(
                "fee_paid_jpy: a fee cannot be negative, got -1"));
}

// Bytes the wire views are not sure to read as protobuf does go to the
// message path: unknown fields (at the top and inside a hold, documents or
// review flags), known fields of another wire type, singular fields given
// twice, text that is not UTF-8, truncated or corrupt bytes.
TEST(RetentionDueDirectTest, OddBytesTakeTheMessagePath) {
  v1::RetentionDueRequest held = InquiryRequest();
  held.add_holds()->set_type("dispute");
  const std::string bytes = held.SerializeAsString();
  ExpectMessagePathAnswers(kRetentionDue, bytes + "\x98\x06\x01");
  v1::RetentionDueRequest r = held;
  r.mutable_holds(0)->GetReflection()->MutableUnknownFields(r.mutable_holds(0))
      ->AddVarint(9, 1);
  ExpectMessagePathAnswers(kRetentionDue, r.SerializeAsString());
  ExpectMessagePathAnswers(kRetentionDue, bytes + Field(1, 0) + "\x01");
  ExpectMessagePathAnswers(kRetentionDue, bytes + Field(1, 2) + "\x07" "invalid");
  ExpectMessagePathAnswers(kRetentionDue, bytes + Field(2, 2) + "\x02\x10\x05");
  ExpectMessagePathAnswers(kRetentionDue, bytes + Field(4, 2) + "\x02\x10\x05");
  ExpectMessagePathAnswers(kRetentionDue, bytes + Field(3, 2) + "\x03\x0a\x01\xff");
  for (size_t n = 1; n < bytes.size(); ++n) {
    ExpectMessagePathAnswers(kRetentionDue, bytes.substr(0, n));
  }
  ExpectMessagePathAnswers(kRetentionDue, std::string("\x00", 1));
}

TEST(RequestValidateDirectTest, OddBytesTakeTheMessagePath) {
  v1::RequestValidateRequest flagged = DisclosureRequest();
  flagged.mutable_review()->set_legally_restricted(true);
  const std::string bytes = flagged.SerializeAsString();
  ExpectMessagePathAnswers(kRequestValidate, bytes + "\x98\x06\x01");
  v1::RequestValidateRequest r = flagged;
  r.mutable_documents()->GetReflection()
      ->MutableUnknownFields(r.mutable_documents())->AddVarint(4, 1);
  ExpectMessagePathAnswers(kRequestValidate, r.SerializeAsString());
  r = flagged;
  r.mutable_review()->GetReflection()
      ->MutableUnknownFields(r.mutable_review())->AddVarint(3, 1);
  ExpectMessagePathAnswers(kRequestValidate, r.SerializeAsString());
  ExpectMessagePathAnswers(kRequestValidate, bytes + Field(2, 0) + "\x01");
  // A second channel, fee, documents: protobuf keeps the last or merges.
  ExpectMessagePathAnswers(kRequestValidate, bytes + Field(2, 2) + "\x05" "phone");
  ExpectMessagePathAnswers(kRequestValidate, bytes + Field(7, 0) + "\x00");
  ExpectMessagePathAnswers(kRequestValidate, bytes + Field(5, 2) + "\x02\x18\x01");
  ExpectMessagePathAnswers(kRequestValidate, bytes + Field(6, 0) + "\x01" +
                                                 Field(6, 0) + "\x00");
  v1::RequestValidateRequest by_self = flagged;
  by_self.clear_requester();
  ExpectMessagePathAnswers(kRequestValidate, by_self.SerializeAsString() +
                                                 Field(4, 2) + "\x02\xc3\x28");
  for (size_t n = 1; n < bytes.size(); ++n) {
    ExpectMessagePathAnswers(kRequestValidate, bytes.substr(0, n));
  }
}

// 5.4: with a decision log attached, retention_due and request_validate
// decisions on bytes are recorded like any other (the message path answers
// and records them), and read the same.
TEST(SerializedTest, AuditedEngineRecordsRetentionAndRequestDecisions) {
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine();
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  engine->SetAuditSink(sink);
  std::string answer;
  ASSERT_TRUE(engine
                  ->RetentionDueSerialized(InquiryRequest().SerializeAsString(),
                                           &answer)
                  .ok());
  EXPECT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(answer,
            SharedDefaultEngine().RetentionDue(InquiryRequest())->SerializeAsString());
  ASSERT_TRUE(engine
                  ->RequestValidateSerialized(
                      DisclosureRequest().SerializeAsString(), &answer)
                  .ok());
  EXPECT_EQ(sink->records().size(), 2u);
  EXPECT_EQ(answer, SharedDefaultEngine()
                        .RequestValidate(DisclosureRequest())
                        ->SerializeAsString());
  v1::EvalRequest eval;
  *eval.mutable_request_validate() = DisclosureRequest();
  EXPECT_EQ(engine->EvaluateSerialized(eval.SerializeAsString()),
            SharedDefaultEngine().Evaluate(eval).SerializeAsString());
  EXPECT_EQ(sink->records().size(), 3u);
}

// The readers see every field of a retention_due and a request_validate
// request, nested ones included.
TEST(ReadWireTest, ReadsEveryRetentionDueField) {
  v1::RetentionDueRequest r = InquiryRequest();
  r.mutable_event_at()->set_nanos(5);
  v1::Hold* h = r.add_holds();
  h->set_type("dispute");
  h->set_id("h-1");
  h->mutable_until()->set_seconds(-7);
  r.add_holds()->set_type("consent");
  const std::string bytes = r.SerializeAsString();
  WireRetentionDueRequest w;
  ASSERT_TRUE(ReadWire(bytes, &w));
  EXPECT_EQ(w.kind(), "inquiry");
  EXPECT_TRUE(w.has_event_at());
  EXPECT_EQ(w.event_at().seconds(), r.event_at().seconds());
  EXPECT_EQ(w.event_at().nanos(), 5);
  ASSERT_EQ(w.holds().size(), 2u);
  EXPECT_EQ(w.holds()[0].type(), "dispute");
  EXPECT_EQ(w.holds()[0].id(), "h-1");
  EXPECT_TRUE(w.holds()[0].has_until());
  EXPECT_EQ(w.holds()[0].until().seconds(), -7);
  EXPECT_EQ(w.holds()[1].type(), "consent");
  EXPECT_FALSE(w.holds()[1].has_until());
  EXPECT_TRUE(w.has_as_of());
  EXPECT_EQ(w.as_of().seconds(), r.as_of().seconds());
  r.clear_event_at();
  const std::string pending_bytes = r.SerializeAsString();
  WireRetentionDueRequest pending;
  ASSERT_TRUE(ReadWire(pending_bytes, &pending));
  EXPECT_FALSE(pending.has_event_at());
}

TEST(ReadWireTest, ReadsEveryRequestValidateField) {
  v1::RequestValidateRequest r = DisclosureRequest();
  r.mutable_documents()->set_power_of_attorney(true);
  r.set_identity_verified(true);
  r.set_fee_paid_jpy(-300);
  r.mutable_review()->set_legally_restricted(true);
  r.mutable_review()->set_third_party_rights(true);
  const std::string bytes = r.SerializeAsString();  // the views point here
  WireRequestValidateRequest w;
  ASSERT_TRUE(ReadWire(bytes, &w));
  EXPECT_EQ(w.type(), "disclosure");
  EXPECT_EQ(w.channel(), "email");
  EXPECT_EQ(w.requester(), "agent");
  EXPECT_TRUE(w.has_received_at());
  EXPECT_EQ(w.received_at().seconds(), r.received_at().seconds());
  EXPECT_TRUE(w.documents().identity_document());
  EXPECT_TRUE(w.documents().request_form());
  EXPECT_TRUE(w.documents().power_of_attorney());
  EXPECT_TRUE(w.identity_verified());
  EXPECT_EQ(w.fee_paid_jpy(), -300);
  EXPECT_TRUE(w.review().legally_restricted());
  EXPECT_TRUE(w.review().third_party_rights());
  EXPECT_TRUE(w.has_as_of());
  EXPECT_EQ(w.as_of().seconds(), r.as_of().seconds());
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
