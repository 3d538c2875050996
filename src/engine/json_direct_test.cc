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
#include "src/engine/json.h"
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

// A request that does not resolve (clause 2 names the categories) is left
// to the message path, which words the error; so are the functions the
// direct path does not print.
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

}  // namespace
}  // namespace engine_internal
}  // namespace pip
