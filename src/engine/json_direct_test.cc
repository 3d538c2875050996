// The JSON surface's direct path (json.h: *JsonDirect) prints every decision
// byte for byte as the message path prints the decision message, and the
// engine's *Json functions answer, fail and record as the message-based
// functions do.
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "src/codec/json.h"
#include "src/engine/json_direct.h"
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

std::string Print(const google::protobuf::Message& message) {
  absl::StatusOr<std::string> line = PrintJsonAnswer(message);
  EXPECT_TRUE(line.ok()) << line.status();
  return line.ok() ? *line : "";
}

std::string Json(const google::protobuf::Message& message) {
  std::string out;
  EXPECT_TRUE(google::protobuf::util::MessageToJsonString(message, &out).ok());
  return out;
}

// Both direct entries take `request` and print what the message path
// prints: the decision alone, and the EvalResponse around it.
template <typename Request>
void ExpectDirectMatches(
    const Request& request,
    bool (*direct)(const CompiledPolicy&, const Request&, std::string*),
    const google::protobuf::Message& expected_decision,
    const v1::EvalRequest& eval) {
  std::string decision = "kept|";
  ASSERT_TRUE(direct(DefaultPolicy(), request, &decision))
      << request.ShortDebugString();
  EXPECT_EQ(decision, "kept|" + Print(expected_decision))
      << request.ShortDebugString();
  std::string response;
  ASSERT_TRUE(EvaluateJsonDirect(DefaultPolicy(), eval, &response));
  EXPECT_EQ(response, Print(SharedDefaultEngine().Evaluate(eval)));
}

// Clauses 2-4, 8.1 and APPI 27, 28: every rule, every consent state, every
// recipient; each decision and each reason's words print as the message
// path prints them.
TEST(JsonDirectTest, EveryPurposeAllowedDecisionPrintsAsTheMessagePath) {
  const std::vector<v1::PurposeAllowedRequest> cases =
      ::pip::testing::PurposeAllowedCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  for (const v1::PurposeAllowedRequest& r : cases) {
    absl::StatusOr<v1::PurposeAllowedDecision> expected =
        SharedDefaultEngine().PurposeAllowed(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    v1::EvalRequest eval;
    *eval.mutable_purpose_allowed() = r;
    ExpectDirectMatches(r, &PurposeAllowedJsonDirect, *expected, eval);
  }
}

// Clauses 2.4 and 7 (APPI 20(2)): every consent state.
TEST(JsonDirectTest, EveryConsentCheckDecisionPrintsAsTheMessagePath) {
  const std::vector<v1::ConsentCheckRequest> cases =
      ::pip::testing::ConsentCheckCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  for (const v1::ConsentCheckRequest& r : cases) {
    absl::StatusOr<v1::ConsentCheckDecision> expected =
        SharedDefaultEngine().ConsentCheck(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    v1::EvalRequest eval;
    *eval.mutable_consent_check() = r;
    ExpectDirectMatches(r, &ConsentCheckJsonDirect, *expected, eval);
  }
}

// Clause 7: every retention kind, both clocks, with and without an event
// (a contract not ended), as_of before, at and after the record falls due,
// holds ended, running and without end.
TEST(JsonDirectTest, Clause7EveryRetentionDueDecisionPrintsAsTheMessagePath) {
  const std::vector<v1::RetentionDueRequest> cases =
      ::pip::testing::RetentionDueCases(SharedDefaultEngine());
  EXPECT_GT(cases.size(), 500u);
  for (const v1::RetentionDueRequest& r : cases) {
    absl::StatusOr<v1::RetentionDueDecision> expected =
        SharedDefaultEngine().RetentionDue(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    v1::EvalRequest eval;
    *eval.mutable_retention_due() = r;
    ExpectDirectMatches(r, &RetentionDueJsonDirect, *expected, eval);
  }
}

// Clause 8: every request type by every channel, each requester, documents
// missing or not, identity verified or not, fee unpaid, paid and over,
// review flags, within and past the response period.
TEST(JsonDirectTest, Clause8EveryRequestValidateDecisionPrintsAsTheMessagePath) {
  const std::vector<v1::RequestValidateRequest> cases =
      ::pip::testing::RequestValidateCases(SharedDefaultEngine().policy());
  EXPECT_GT(cases.size(), 1000u);
  for (const v1::RequestValidateRequest& r : cases) {
    absl::StatusOr<v1::RequestValidateDecision> expected =
        SharedDefaultEngine().RequestValidate(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    v1::EvalRequest eval;
    *eval.mutable_request_validate() = r;
    ExpectDirectMatches(r, &RequestValidateJsonDirect, *expected, eval);
  }
}

// Clause 7: a record whose clock has not started prints its empty dates as
// "" (every field printed), and a hold's caller id is echoed as the message
// path escapes it.
TEST(JsonDirectTest, Clause7PendingContractAndHoldIdsPrintAsTheMessagePath) {
  v1::RetentionDueRequest r;
  r.set_kind("contract_transaction");
  *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  std::string line;
  ASSERT_TRUE(RetentionDueJsonDirect(DefaultPolicy(), r, &line));
  EXPECT_THAT(line, HasSubstr(R"("retain_until":"","due_at":"")"));
  EXPECT_THAT(line, HasSubstr(R"("code":"CLOCK_NOT_STARTED")"));
  EXPECT_EQ(line, Print(*SharedDefaultEngine().RetentionDue(r)));
  *r.mutable_event_at() = Time("2020-01-01T00:00:00+09:00");
  v1::Hold* h = r.add_holds();
  h->set_type("legal_obligation");
  h->set_id("訴訟-\"7\"\\\u2028");
  line.clear();
  ASSERT_TRUE(RetentionDueJsonDirect(DefaultPolicy(), r, &line));
  EXPECT_THAT(line, HasSubstr(R"("code":"HOLD_APPLIES")"));
  EXPECT_EQ(line, Print(*SharedDefaultEngine().RetentionDue(r)));
}

// Clause 8.3: the fee due prints as a JSON number (an int32, unquoted), 0
// included, and the lists print [] when empty.
TEST(JsonDirectTest, Clause8FeeIsANumberAndEmptyListsPrint) {
  v1::RequestValidateRequest r;
  r.set_type("disclosure");
  r.set_channel("phone");
  r.mutable_documents()->set_identity_document(true);
  r.mutable_documents()->set_request_form(true);
  r.set_identity_verified(true);
  r.set_fee_paid_jpy(300);
  *r.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *r.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  std::string line;
  ASSERT_TRUE(RequestValidateJsonDirect(DefaultPolicy(), r, &line));
  EXPECT_THAT(line, HasSubstr(R"("valid":true,"missing":[],"errors":[],)"
                              R"("fee_due_jpy":300,)"));
  EXPECT_EQ(line, Print(*SharedDefaultEngine().RequestValidate(r)));
  r.set_type("correction");
  r.set_fee_paid_jpy(0);
  line.clear();
  ASSERT_TRUE(RequestValidateJsonDirect(DefaultPolicy(), r, &line));
  EXPECT_THAT(line, HasSubstr(R"("fee_due_jpy":0,)"));
  EXPECT_EQ(line, Print(*SharedDefaultEngine().RequestValidate(r)));
}

// 2.4 (a consent relied on is named in the reason): ids the caller chose
// are echoed into the answer, escaped as protobuf escapes them.
TEST(JsonDirectTest, CallerIdsAreEscapedAsTheMessagePathEscapesThem) {
  for (const std::string id :
       {"k-\"quoted\"", "k-\\back\\", "k-<tag>", "k-\x01\x1f\x7f",
        "同意-\u2028-\u00ad", "k-\U0001F600", "同意書-第1版"}) {
    v1::ConsentCheckRequest r;
    r.set_subject_id("c-1");
    r.add_categories("location");
    r.add_purposes("usage_analysis");
    *r.add_consents() = ::pip::testing::ConsentIn("valid", "usage_analysis");
    r.mutable_consents(0)->set_id(id);
    *r.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
    absl::StatusOr<v1::ConsentCheckDecision> expected =
        SharedDefaultEngine().ConsentCheck(r);
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_EQ(expected->consent_id(), id);
    v1::EvalRequest eval;
    *eval.mutable_consent_check() = r;
    ExpectDirectMatches(r, &ConsentCheckJsonDirect, *expected, eval);
  }
}

// 4.1: the allowed answer, field by field, so that the comparisons above
// cannot pass on two empty answers.
TEST(JsonDirectTest, AllowedBillingCitesClause4) {
  std::string line;
  ASSERT_TRUE(
      PurposeAllowedJsonDirect(DefaultPolicy(), BillingRequest(), &line));
  v1::PurposeAllowedDecision d;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(line, &d).ok())
      << line;
  EXPECT_TRUE(d.allowed());
  ASSERT_EQ(d.reasons_size(), 1);
  EXPECT_EQ(d.reasons(0).code(), v1::PURPOSE_PERMITTED);
  EXPECT_EQ(d.reasons(0).clause(), "4.1");
  EXPECT_THAT(d.reasons(0).message_ja(), HasSubstr("利用目的"));
  EXPECT_EQ(d.policy_hash(), SharedDefaultEngine().policy_hash());
}

// A request that does not resolve (clause 2 names the categories, clause 7
// needs an inquiry's event) is left to the message path, which words the
// error.
TEST(JsonDirectTest, DeclinesWhatTheMessagePathMustAnswer) {
  v1::PurposeAllowedRequest r = BillingRequest();
  r.add_categories("emial");
  std::string out = "untouched";
  EXPECT_FALSE(PurposeAllowedJsonDirect(DefaultPolicy(), r, &out));
  EXPECT_EQ(out, "untouched");
  v1::EvalRequest eval;
  *eval.mutable_purpose_allowed() = r;
  EXPECT_FALSE(EvaluateJsonDirect(DefaultPolicy(), eval, &out));
  EXPECT_EQ(out, "untouched");
  eval.mutable_retention_due()->set_kind("inquiry");
  EXPECT_FALSE(EvaluateJsonDirect(DefaultPolicy(), eval, &out));
  EXPECT_EQ(out, "untouched");
  r = BillingRequest();
  r.clear_as_of();
  EXPECT_FALSE(PurposeAllowedJsonDirect(DefaultPolicy(), r, &out));
  EXPECT_EQ(out, "untouched");
}

// The engine's *Json functions: the message-based function's answer, its
// errors, and the JSON errors, with the decision left alone on error.
TEST(EngineJsonTest, AnswersAndErrorsAsTheMessageBasedFunctions) {
  const Engine& engine = SharedDefaultEngine();
  std::string decision;
  ASSERT_TRUE(
      engine.PurposeAllowedJson(Json(BillingRequest()), &decision).ok());
  EXPECT_EQ(decision, Print(*engine.PurposeAllowed(BillingRequest())));

  v1::RetentionDueRequest retention;
  retention.set_kind("inquiry");
  *retention.mutable_event_at() = Time("2020-01-01T00:00:00+09:00");
  *retention.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  ASSERT_TRUE(engine.RetentionDueJson(Json(retention), &decision).ok());
  EXPECT_EQ(decision, Print(*engine.RetentionDue(retention)));

  decision = "untouched";
  v1::PurposeAllowedRequest unknown = BillingRequest();
  unknown.add_categories("emial");
  EXPECT_EQ(engine.PurposeAllowedJson(Json(unknown), &decision),
            absl::InvalidArgumentError(
                "categories[1]: unknown category 'emial' (did you mean "
                "'email'?)"));
  EXPECT_EQ(decision, "untouched");
  const absl::Status broken =
      engine.ConsentCheckJson(R"({"subject_id": "c-1",)", &decision);
  EXPECT_EQ(broken.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(broken.message(), HasSubstr("invalid JSON request"));
  const absl::Status unknown_field =
      engine.RequestValidateJson(R"({"restricted": true})", &decision);
  EXPECT_EQ(unknown_field.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown_field.message(), HasSubstr("unknown field 'restricted'"));
  EXPECT_EQ(decision, "untouched");
}

// Clauses 7 and 8: retention_due and request_validate requests that do not
// resolve (an unknown kind, hold type, request type or requester, a
// missing channel or time, a negative fee, a time outside pip's years)
// give the message-based function's error through the *Json functions and
// EvaluateJson, and leave the decision untouched.
TEST(EngineJsonTest, Clause7And8ErrorsAsTheMessageBasedFunctions) {
  const Engine& engine = SharedDefaultEngine();
  v1::RetentionDueRequest retention;
  retention.set_kind("inquiry");
  *retention.mutable_event_at() = Time("2020-01-01T00:00:00+09:00");
  *retention.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  std::vector<v1::RetentionDueRequest> bad_retention(6, retention);
  bad_retention[0].set_kind("inquiries");
  bad_retention[1].clear_event_at();
  bad_retention[2].clear_as_of();
  bad_retention[3].add_holds()->set_type("lawsuit");
  bad_retention[4].mutable_as_of()->set_seconds(-62135596800);  // year 1
  bad_retention[5].add_holds()->set_id("h-1");  // no type
  for (const v1::RetentionDueRequest& r : bad_retention) {
    std::string out = "untouched";
    EXPECT_FALSE(RetentionDueJsonDirect(DefaultPolicy(), r, &out));
    EXPECT_EQ(out, "untouched");
    const absl::Status expected = engine.RetentionDue(r).status();
    ASSERT_FALSE(expected.ok()) << r.ShortDebugString();
    std::string decision = "untouched";
    EXPECT_EQ(engine.RetentionDueJson(Json(r), &decision), expected);
    EXPECT_EQ(decision, "untouched");
    v1::EvalRequest eval;
    *eval.mutable_retention_due() = r;
    EXPECT_EQ(engine.EvaluateJson(Json(eval)),
              Print(engine.Evaluate(eval)));
  }

  v1::RequestValidateRequest request;
  request.set_type("disclosure");
  request.set_channel("email");
  *request.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *request.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  std::vector<v1::RequestValidateRequest> bad_request(6, request);
  bad_request[0].set_type("disclosures");
  bad_request[1].clear_channel();
  bad_request[2].set_requester("lawyer");
  bad_request[3].set_fee_paid_jpy(-1);
  bad_request[4].clear_received_at();
  bad_request[5].mutable_as_of()->set_seconds(-2208988801);  // year 1899
  for (const v1::RequestValidateRequest& r : bad_request) {
    std::string out = "untouched";
    EXPECT_FALSE(RequestValidateJsonDirect(DefaultPolicy(), r, &out));
    EXPECT_EQ(out, "untouched");
    const absl::Status expected = engine.RequestValidate(r).status();
    ASSERT_FALSE(expected.ok()) << r.ShortDebugString();
    std::string decision = "untouched";
    EXPECT_EQ(engine.RequestValidateJson(Json(r), &decision), expected);
    EXPECT_EQ(decision, "untouched");
    v1::EvalRequest eval;
    *eval.mutable_request_validate() = r;
    EXPECT_EQ(engine.EvaluateJson(Json(eval)),
              Print(engine.Evaluate(eval)));
  }
}

// 5.4: with a decision log attached, a JSON decision is recorded like any
// other, and reads the same.
TEST(EngineJsonTest, AuditedEngineRecordsJsonDecisions) {
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine();
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  engine->SetAuditSink(sink);
  std::string decision;
  ASSERT_TRUE(
      engine->PurposeAllowedJson(Json(BillingRequest()), &decision).ok());
  EXPECT_EQ(sink->records().size(), 1u);
  v1::EvalRequest eval;
  *eval.mutable_purpose_allowed() = BillingRequest();
  const std::string line = engine->EvaluateJson(Json(eval));
  EXPECT_EQ(sink->records().size(), 2u);
  EXPECT_EQ(decision,
            Print(*SharedDefaultEngine().PurposeAllowed(BillingRequest())));
  EXPECT_EQ(line, Print(SharedDefaultEngine().Evaluate(eval)));
}

// 5.4, clauses 7 and 8: retention_due and request_validate JSON decisions
// of an audited engine are recorded too (the message path answers and
// records them), and read the same.
TEST(EngineJsonTest, AuditedEngineRecordsRetentionAndRequestJsonDecisions) {
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine();
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  engine->SetAuditSink(sink);
  v1::RetentionDueRequest retention;
  retention.set_kind("inquiry");
  *retention.mutable_event_at() = Time("2020-01-01T00:00:00+09:00");
  *retention.mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  std::string decision;
  ASSERT_TRUE(engine->RetentionDueJson(Json(retention), &decision).ok());
  EXPECT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(decision, Print(*SharedDefaultEngine().RetentionDue(retention)));
  v1::RequestValidateRequest request;
  request.set_type("disclosure");
  request.set_channel("email");
  *request.mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *request.mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  ASSERT_TRUE(engine->RequestValidateJson(Json(request), &decision).ok());
  EXPECT_EQ(sink->records().size(), 2u);
  EXPECT_EQ(decision, Print(*SharedDefaultEngine().RequestValidate(request)));
  v1::EvalRequest eval;
  *eval.mutable_retention_due() = retention;
  EXPECT_EQ(engine->EvaluateJson(Json(eval)),
            Print(SharedDefaultEngine().Evaluate(eval)));
  EXPECT_EQ(sink->records().size(), 3u);
}

}  // namespace
}  // namespace engine_internal
}  // namespace pip
