// Tests of pip::Engine (pip/engine.h): construction from every source,
// reload semantics, the EvalRequest / JSON surfaces, explanations and
// thread safety under reload.
#include "pip/encoded.h"
#include "pip/engine.h"

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "pip/audit.h"
#include "pip/policy.h"
#include "pip/v1/decision.pb.h"
#include "pip/v1/policy.pb.h"
#include "tests/testing/files.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::pip::testing::ReadFile;
using ::pip::testing::SourcePath;
using ::pip::testing::StatusIs;
using testing::BillingRequest;
using testing::DefaultEngine;
using testing::SharedDefaultEngine;
using testing::Time;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string& MinimalPath() {
  static const std::string* path =
      new std::string(SourcePath("tests/testdata/minimal.textproto"));
  return *path;
}

v1::Policy DefaultPolicyMessage() {
  v1::Policy policy;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
      std::string(DefaultPolicyText()), &policy));
  return policy;
}

bool IsLowerHexSha256(const std::string& s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) {
           return absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
                  (c >= 'a' && c <= 'f');
         });
}

// --- Construction ----------------------------------------------------------

TEST(EngineDefaultTest, WorksWithNoFiles) {
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Default());
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_version(), DefaultPolicyMessage().version());
  EXPECT_FALSE((*engine)->policy_version().empty());
  EXPECT_TRUE(IsLowerHexSha256((*engine)->policy_hash()))
      << (*engine)->policy_hash();

  absl::StatusOr<v1::PurposeAllowedDecision> d =
      (*engine)->PurposeAllowed(BillingRequest());
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_EQ(d->policy().version(), (*engine)->policy_version());
  EXPECT_EQ(d->policy().hash(), (*engine)->policy_hash());
}

TEST(EngineDefaultTest, TwoDefaultEnginesHaveTheSameHash) {
  auto a = DefaultEngine();
  auto b = DefaultEngine();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->policy_hash(), b->policy_hash());
}

TEST(PolicySourceTest, NamedConstructorsKeepWhatTheyAreGiven) {
  const PolicySource text = PolicySource::Text("version: \"x\"", "a.textproto");
  EXPECT_EQ(text.kind(), PolicySource::Kind::kText);
  EXPECT_EQ(text.bytes(), "version: \"x\"");
  EXPECT_EQ(text.name(), "a.textproto");
  EXPECT_FALSE(text.is_signed());
  const PolicySource file = PolicySource::File("/etc/pip/policy.binpb");
  EXPECT_EQ(file.kind(), PolicySource::Kind::kFile);
  EXPECT_EQ(file.name(), "/etc/pip/policy.binpb");
  EXPECT_TRUE(file.bytes().empty());
  const PolicySource signed_file =
      PolicySource::SignedFile("p.textproto", "p.textproto.sig");
  EXPECT_TRUE(signed_file.is_signed());
  EXPECT_EQ(signed_file.signature_path(), "p.textproto.sig");
  const PolicySource signed_bytes = PolicySource::Signed("b", "s", "p.pb");
  EXPECT_EQ(signed_bytes.kind(), PolicySource::Kind::kSigned);
  EXPECT_EQ(signed_bytes.signature(), "s");
  v1::Policy policy;
  policy.set_version("2026-01-01");
  const PolicySource message = PolicySource::Message(policy);
  const PolicySource copy = message;  // a plain value
  EXPECT_EQ(copy.message().version(), "2026-01-01");
  EXPECT_EQ(PolicySource::Default().kind(), PolicySource::Kind::kDefault);
  EXPECT_EQ(PolicySource::Default().message().version(), "");
}

// Serialized bytes load like text; a name labels the problem of bytes
// that do not parse.
TEST(EngineBinarySourceTest, LoadsBytesAndNamesTheirProblem) {
  const std::string bytes = DefaultEngine()->policy().SerializeAsString();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Binary(bytes));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_hash(), DefaultEngine()->policy_hash());
  engine = Engine::Create(
      PolicySource::Binary(bytes.substr(0, bytes.size() / 2), "cut.binpb"));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(engine.status().message()), HasSubstr("cut.binpb: "));
}

TEST(EngineFileSourceTest, LoadsTheMinimalPolicy) {
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::File(MinimalPath()));
  ASSERT_TRUE(engine.ok()) << engine.status();
  EXPECT_EQ((*engine)->policy_version(), "2026-01-01");

  absl::StatusOr<v1::PurposeAllowedDecision> d =
      (*engine)->PurposeAllowed(BillingRequest());
  ASSERT_OK(d);
  EXPECT_TRUE(d->allowed());
  EXPECT_EQ(d->policy().version(), "2026-01-01");

  // A purpose of the default policy that the minimal policy lacks is an
  // error, not a deny: the engine really runs the minimal policy.
  v1::PurposeAllowedRequest r = BillingRequest();
  r.set_purpose("direct_mail");
  absl::StatusOr<v1::PurposeAllowedDecision> unknown =
      (*engine)->PurposeAllowed(r);
  ASSERT_THAT(unknown, StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(EngineFileSourceTest, MissingFileIsNotFound) {
  const std::string path = SourcePath("tests/testdata/no_such_policy.textproto");
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::File(path));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kNotFound)
      << engine.status();
  EXPECT_THAT(std::string(engine.status().message()), HasSubstr(path));
}

TEST(EngineTextSourceTest, SyntaxErrorIsInvalidArgumentWithItsLine) {
  const std::string text =
      "version: \"2026-01-01\"\n"
      "revision: 1\n"
      "no_such_field: 3\n";
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, "inline.textproto"));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("inline.textproto:3:"));
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("no_such_field"));
}

TEST(EngineTextSourceTest, ValidationErrorIsInvalidArgumentWithItsLine) {
  const std::string minimal = ReadFile(MinimalPath());
  const std::string text =
      absl::StrReplaceAll(minimal, {{"fee_jpy: 300", "fee_jpy: -1"}});
  ASSERT_NE(text, minimal);
  // The 1-based line holding the defect.
  int line = 0;
  int n = 0;
  for (absl::string_view l : absl::StrSplit(text, '\n')) {
    ++n;
    if (absl::StrContains(l, "fee_jpy: -1")) line = n;
  }
  ASSERT_GT(line, 0);

  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Text(text, "company.textproto"));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument)
      << engine.status();
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr(absl::StrCat("company.textproto:", line, ":")));
  EXPECT_THAT(std::string(engine.status().message()),
              HasSubstr("requests.types[0].fee_jpy"));
}

TEST(EngineFromPolicyTest, InvalidMessageIsInvalidArgument) {
  v1::Policy policy = DefaultPolicyMessage();
  policy.clear_version();
  absl::StatusOr<std::unique_ptr<Engine>> engine =
      Engine::Create(PolicySource::Message(policy));
  ASSERT_FALSE(engine.ok());
  EXPECT_EQ(engine.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(engine.status().message()), HasSubstr("version"));
}

// --- Reload ----------------------------------------------------------------

TEST(EngineReloadTest, ValidPolicyChangesVersionHashAndDecisions) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string old_version = engine->policy_version();
  const std::string old_hash = engine->policy_hash();

  v1::Policy next = engine->policy();
  next.set_version("2099-01-01");
  next.set_revision(next.revision() + 1);
  ASSERT_TRUE(engine->Reload(PolicySource::Message(next)).ok());

  EXPECT_EQ(engine->policy_version(), "2099-01-01");
  EXPECT_NE(engine->policy_version(), old_version);
  EXPECT_NE(engine->policy_hash(), old_hash);
  EXPECT_TRUE(IsLowerHexSha256(engine->policy_hash()));
  EXPECT_EQ(engine->policy().version(), "2099-01-01");

  absl::StatusOr<v1::PurposeAllowedDecision> d =
      engine->PurposeAllowed(BillingRequest());
  ASSERT_OK(d);
  EXPECT_EQ(d->policy().version(), "2099-01-01");
  EXPECT_EQ(d->policy().hash(), engine->policy_hash());
}

TEST(EngineReloadTest, ReloadFromTextAndFileSwapThePolicy) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string default_hash = engine->policy_hash();

  absl::Status s = engine->Reload(
      PolicySource::Text(ReadFile(MinimalPath()), "minimal.textproto"));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(engine->policy_version(), "2026-01-01");
  const std::string minimal_hash = engine->policy_hash();
  EXPECT_NE(minimal_hash, default_hash);

  s = engine->Reload(PolicySource::Message(DefaultPolicyMessage()));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(engine->policy_hash(), default_hash)
      << "the hash is a function of the content";

  s = engine->Reload(PolicySource::File(MinimalPath()));
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(engine->policy_hash(), minimal_hash);
  absl::StatusOr<v1::PurposeAllowedDecision> d =
      engine->PurposeAllowed(BillingRequest());
  ASSERT_OK(d);
  EXPECT_EQ(d->policy().version(), "2026-01-01");
}

TEST(EngineReloadTest, InvalidPolicyLeavesTheRunningPolicyUntouched) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string version = engine->policy_version();
  const std::string hash = engine->policy_hash();
  absl::StatusOr<v1::PurposeAllowedDecision> before =
      engine->PurposeAllowed(BillingRequest());
  ASSERT_OK(before);

  // Text that parses but does not validate (a negative fee).
  const std::string invalid =
      absl::StrReplaceAll(ReadFile(MinimalPath()),
                          {{"version: \"2026-01-01\"", "version: \"2099-12-31\""},
                           {"fee_jpy: 300", "fee_jpy: -300"}});
  ASSERT_THAT(invalid, HasSubstr("fee_jpy: -300"));
  absl::Status s =
      engine->Reload(PolicySource::Text(invalid, "next.textproto"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;

  // Text that does not parse.
  s = engine->Reload(
      PolicySource::Text("version: \"2099-12-31\" {", "next.textproto"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;

  // A message that does not validate.
  v1::Policy bad = DefaultPolicyMessage();
  bad.set_version("2099-12-31");
  bad.mutable_requests()->mutable_types(0)->set_fee_jpy(-1);
  s = engine->Reload(PolicySource::Message(bad));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;

  // A file that does not exist.
  s = engine->Reload(PolicySource::File(
      SourcePath("tests/testdata/no_such_policy.textproto")));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound) << s;

  EXPECT_EQ(engine->policy_version(), version);
  EXPECT_EQ(engine->policy_hash(), hash);
  absl::StatusOr<v1::PurposeAllowedDecision> after =
      engine->PurposeAllowed(BillingRequest());
  ASSERT_OK(after);
  EXPECT_EQ(after->policy().version(), version);
  EXPECT_EQ(after->policy().hash(), hash);
  EXPECT_EQ(after->SerializeAsString(), before->SerializeAsString());
}

// --- Evaluate and EvaluateJson ---------------------------------------------

// Input that is not UTF-8 is refused, and the error line that quotes it is
// still valid UTF-8 JSON (its message may not carry the raw bytes).
TEST(EngineEvaluateJsonTest, InvalidUtf8GivesAValidErrorLine) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string line =
      "{\"purpose_allowed\": {\"purpose\": \"direct_mail\", "
      "\"categories\": [\"na\xffme\"], \"as_of\": "
      "\"2026-03-01T12:00:00+09:00\"}}";
  const std::string answer = pip::EvaluateJson(*engine, line);
  v1::EvalResponse response;
  ASSERT_OK(google::protobuf::util::JsonStringToMessage(answer, &response))
      << answer;
  ASSERT_TRUE(response.has_error()) << answer;
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT");
  EXPECT_FALSE(absl::StrContains(answer, "\xff"));
}

TEST(EngineEvaluateTest, EmptyRequestIsAnInvalidArgumentError) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const v1::EvalResponse response = engine->Evaluate(v1::EvalRequest());
  ASSERT_TRUE(response.has_error()) << response.DebugString();
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT");
  EXPECT_FALSE(response.error().message().empty());
}

TEST(EngineEvaluateTest, MalformedRequestIsAnErrorNeverAnAllow) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = BillingRequest();
  request.mutable_purpose_allowed()->clear_categories();
  const v1::EvalResponse response = engine->Evaluate(request);
  ASSERT_TRUE(response.has_error()) << response.DebugString();
  EXPECT_FALSE(response.has_purpose_allowed());
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT");
  EXPECT_THAT(response.error().message(), HasSubstr("categories"));
}

// 8.1: fail closed: a request status of a newer schema (a number this
// build does not know, which protobuf keeps) is an error naming the field,
// never read as a rejected or withdrawn request that blocks nothing.
TEST(EngineEvaluateTest, Clause8_1_UnknownRequestStatusNumberIsAnError) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = BillingRequest();
  v1::ActiveRequest* active =
      request.mutable_purpose_allowed()->add_active_requests();
  active->set_type("suspension");
  active->mutable_received_at()->set_seconds(1767225600);  // 2026-01-01
  active->set_status(static_cast<v1::RequestStatus>(9));
  const v1::EvalResponse response = engine->Evaluate(request);
  ASSERT_TRUE(response.has_error()) << response.DebugString();
  EXPECT_FALSE(response.has_purpose_allowed());
  EXPECT_THAT(response.error().message(),
              HasSubstr("active_requests[0].status: unknown RequestStatus 9"));
}

TEST(EngineEvaluateTest, WellFormedRequestGivesTheDecision) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  v1::EvalRequest request;
  *request.mutable_purpose_allowed() = BillingRequest();
  const v1::EvalResponse response = engine->Evaluate(request);
  ASSERT_TRUE(response.has_purpose_allowed()) << response.DebugString();
  EXPECT_TRUE(response.purpose_allowed().allowed());
}

// Checks that `line` is one JSON line holding an INVALID_ARGUMENT error and
// returns the error message.
std::string ExpectJsonError(const std::string& line) {
  EXPECT_EQ(line.find('\n'), std::string::npos) << "not one line: " << line;
  EXPECT_TRUE(absl::StartsWith(line, R"({"error":{"code":"INVALID_ARGUMENT",)"))
      << line;
  v1::EvalResponse response;
  const auto parsed = google::protobuf::util::JsonStringToMessage(line, &response);
  EXPECT_OK(parsed) << line;
  EXPECT_TRUE(response.has_error()) << line;
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT");
  EXPECT_FALSE(response.error().message().empty());
  return response.error().message();
}

TEST(EngineEvaluateJsonTest, BrokenJsonIsAnErrorLine) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  ExpectJsonError(pip::EvaluateJson(*engine, R"({"purpose_allowed": {"purpose": )"));
  ExpectJsonError(pip::EvaluateJson(*engine, "not json at all"));
  ExpectJsonError(pip::EvaluateJson(*engine, ""));
}

TEST(EngineEvaluateJsonTest, UnknownFieldIsAnErrorLine) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string message = ExpectJsonError(pip::EvaluateJson(*engine, 
      R"({"purpose_allowed": {"purpose": "billing", "categories": ["name"],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00", "colour": "red"}})"));
  EXPECT_THAT(message, HasSubstr("colour"));
}

// 8.1: a request's scope names policy ids; an unknown one is refused naming
// the field, with a suggestion, and nothing is decided.
TEST(EngineEvaluateJsonTest, Clause8_1_UnknownScopeIdNamesTheField) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string message = ExpectJsonError(pip::EvaluateJson(*engine,
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail",)"
      R"( "categories": ["name"], "active_requests": [{"type": "suspension",)"
      R"( "received_at": "2026-02-01T09:00:00+09:00",)"
      R"( "purposes": ["direct_mail", "campain_notice"]}],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00"}})"));
  EXPECT_THAT(message, HasSubstr("active_requests[0].purposes[1]"));
  EXPECT_THAT(message, HasSubstr("did you mean 'campaign_notice'"));

  const std::string category = ExpectJsonError(pip::EvaluateJson(*engine,
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail",)"
      R"( "categories": ["name"], "active_requests": [{"type": "suspension",)"
      R"( "received_at": "2026-02-01T09:00:00+09:00",)"
      R"( "categories": ["emial"]}],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00"}})"));
  EXPECT_THAT(category, HasSubstr("active_requests[0].categories[0]"));
  EXPECT_THAT(category, HasSubstr("did you mean 'email'"));
}

// 8.1: fail closed: a status pip does not know is an error naming the
// field, never read as a request that does not block; a decision time
// only goes with a rejection or withdrawal.
TEST(EngineEvaluateJsonTest, Clause8_1_UnknownRequestStatusIsAnError) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string message = ExpectJsonError(pip::EvaluateJson(*engine,
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail",)"
      R"( "categories": ["name"], "active_requests": [{"type": "suspension",)"
      R"( "received_at": "2026-02-01T09:00:00+09:00", "status": 9}],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00"}})"));
  EXPECT_THAT(message, HasSubstr("status"));

  const std::string decided = ExpectJsonError(pip::EvaluateJson(*engine,
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mail",)"
      R"( "categories": ["name"], "active_requests": [{"type": "suspension",)"
      R"( "received_at": "2026-02-01T09:00:00+09:00",)"
      R"( "status": "REQUEST_CARRIED_OUT",)"
      R"( "decided_at": "2026-02-10T09:00:00+09:00"}],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00"}})"));
  EXPECT_THAT(decided, HasSubstr("active_requests[0].decided_at"));
}

TEST(EngineEvaluateJsonTest, UnknownPurposeIsAnErrorLineWithASuggestion) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string message = ExpectJsonError(pip::EvaluateJson(*engine, 
      R"({"purpose_allowed": {"subject_id": "c-1", "purpose": "direct_mial",)"
      R"( "categories": ["name", "email"], "recipient": "internal",)"
      R"( "as_of": "2026-03-01T12:00:00+09:00"}})"));
  EXPECT_THAT(message, HasSubstr("purpose"));
  EXPECT_THAT(message, HasSubstr("direct_mial"));
  EXPECT_THAT(message, HasSubstr("did you mean 'direct_mail'"));
}

TEST(EngineEvaluateJsonTest, RetentionExampleOfTheDesign) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string out = pip::EvaluateJson(*engine, 
      R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00", "holds": [],)"
      R"( "as_of": "2026-05-11T00:00:00+09:00"}})");
  EXPECT_EQ(out.find('\n'), std::string::npos) << out;
  EXPECT_TRUE(absl::StartsWith(out, R"({"retention_due":{)")) << out;
  EXPECT_THAT(out, HasSubstr(R"("due":true)"));
  EXPECT_THAT(out, HasSubstr(R"("retain_until":"2026-05-10")"));
  EXPECT_THAT(out, HasSubstr(R"("due_at":"2026-05-11T00:00:00+09:00")"));
  EXPECT_THAT(out, HasSubstr(R"("clause":"7")"));
  EXPECT_THAT(out, HasSubstr(R"("reasons":[])"));
  EXPECT_THAT(out, HasSubstr(R"("deletion_method":"secure_erasure_and_shredding")"));
  // The policy stamp: one message, last, in every decision.
  EXPECT_THAT(out, HasSubstr(absl::StrCat(R"("policy":{"version":")",
                                          engine->policy_version(),
                                          R"(","hash":")",
                                          engine->policy_hash(), R"("}}})")));
  // Proto field names, not lowerCamelCase.
  EXPECT_THAT(out, Not(HasSubstr("retainUntil")));
  EXPECT_THAT(out, Not(HasSubstr("policyVersion")));
  EXPECT_THAT(out, Not(HasSubstr("dueAt")));
}

TEST(EngineEvaluateJsonTest, RetentionNotYetDueTheDayBefore) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string out = pip::EvaluateJson(*engine, 
      R"({"retention_due": {"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",)"
      R"( "as_of": "2026-05-10T23:59:59+09:00"}})");
  EXPECT_THAT(out, HasSubstr(R"("due":false)"));
  EXPECT_THAT(out, HasSubstr(R"("retain_until":"2026-05-10")"));
  EXPECT_THAT(out, HasSubstr("PERIOD_RUNNING"));
}

// --- EvaluateBatch and EvaluateJsonBatch ------------------------------------

// Requests of all four functions, decided and refused, as a batch holds
// them.
std::vector<v1::EvalRequest> MixedRequests() {
  std::vector<v1::EvalRequest> out(8);
  // 4.1: billing is allowed.
  *out[0].mutable_purpose_allowed() = BillingRequest();
  // 2.4: no consent covers location, so none is valid.
  v1::ConsentCheckRequest* consent = out[1].mutable_consent_check();
  consent->set_subject_id("c-1");
  consent->add_categories("location");
  consent->add_purposes("usage_analysis");
  *consent->mutable_as_of() = Time("2026-03-01T12:00:00+09:00");
  // 7: an inquiry of 2023-05-10 is due on 2026-05-11.
  v1::RetentionDueRequest* retention = out[2].mutable_retention_due();
  retention->set_kind("inquiry");
  *retention->mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
  *retention->mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
  // 8.3: an agent's disclosure request lacks the power of attorney.
  v1::RequestValidateRequest* validate = out[3].mutable_request_validate();
  validate->set_type("disclosure");
  validate->set_channel("email");
  validate->set_requester("agent");
  *validate->mutable_received_at() = Time("2026-01-31T10:00:00+09:00");
  *validate->mutable_as_of() = Time("2026-02-02T09:00:00+09:00");
  // out[4] names no function: an error.
  // An unknown purpose: an error naming it.
  *out[5].mutable_purpose_allowed() = BillingRequest();
  out[5].mutable_purpose_allowed()->set_purpose("biling");
  // An unknown retention kind: an error.
  *out[6].mutable_retention_due() = *retention;
  out[6].mutable_retention_due()->set_kind("invoices");
  // A consent check without as_of: an error.
  *out[7].mutable_consent_check() = *consent;
  out[7].mutable_consent_check()->clear_as_of();
  return out;
}

TEST(EngineEvaluateBatchTest, AnswersEachRequestAsEvaluateDoes) {
  const Engine& engine = SharedDefaultEngine();
  v1::EvalBatchRequest batch;
  for (const v1::EvalRequest& r : MixedRequests()) *batch.add_requests() = r;
  const v1::EvalBatchResponse responses = engine.EvaluateBatch(batch);
  ASSERT_EQ(responses.responses_size(), batch.requests_size());
  for (int i = 0; i < batch.requests_size(); ++i) {
    EXPECT_EQ(responses.responses(i).SerializeAsString(),
              engine.Evaluate(batch.requests(i)).SerializeAsString())
        << "request " << i;
  }
  EXPECT_TRUE(responses.responses(0).purpose_allowed().allowed());  // 4.1
  EXPECT_FALSE(responses.responses(1).consent_check().valid());     // 2.4
  EXPECT_TRUE(responses.responses(2).retention_due().due());        // 7
  EXPECT_FALSE(responses.responses(3).request_validate().valid());  // 8.3
  for (int i = 4; i < batch.requests_size(); ++i) {
    EXPECT_EQ(responses.responses(i).error().code(), "INVALID_ARGUMENT")
        << "request " << i;
  }
  EXPECT_EQ(engine.EvaluateBatch(v1::EvalBatchRequest()).responses_size(), 0);
}

// A field a newer caller relies on is never dropped silently: its request
// is answered with an error, and the others of the batch as usual.
TEST(EngineEvaluateBatchTest, AFieldUnknownToThisVersionErrsOnlyItsRequest) {
  const Engine& engine = SharedDefaultEngine();
  v1::EvalBatchRequest batch;
  for (int i = 0; i < 3; ++i) {
    *batch.add_requests()->mutable_purpose_allowed() = BillingRequest();
  }
  v1::PurposeAllowedRequest* newer =
      batch.mutable_requests(1)->mutable_purpose_allowed();
  newer->GetReflection()->MutableUnknownFields(newer)->AddVarint(99, 1);
  const v1::EvalBatchResponse responses = engine.EvaluateBatch(batch);
  ASSERT_EQ(responses.responses_size(), 3);
  const v1::EvalResponse& refused = responses.responses(1);
  EXPECT_EQ(refused.error().code(), "INVALID_ARGUMENT");
  EXPECT_THAT(refused.error().message(),
              HasSubstr("purpose_allowed: a field unknown to "
                        "pip.v1.PurposeAllowedRequest (number 99)"));
  // 4.1: billing is allowed.
  const std::string allowed =
      engine.Evaluate(batch.requests(0)).SerializeAsString();
  EXPECT_EQ(responses.responses(0).SerializeAsString(), allowed);
  EXPECT_EQ(responses.responses(2).SerializeAsString(), allowed);
}

TEST(EngineEvaluateJsonBatchTest, AnswersEachLineAsEvaluateJsonDoes) {
  const Engine& engine = SharedDefaultEngine();
  std::vector<std::string> lines;
  for (const v1::EvalRequest& r : MixedRequests()) {
    lines.emplace_back();
    ASSERT_OK(google::protobuf::util::MessageToJsonString(r, &lines.back()));
  }
  lines.push_back("not json at all");
  lines.push_back("");
  lines.push_back(
      R"({"purpose_allowed": {"purpose": "billing", "categories": ["name"],)"
      R"( "as_of": "2026-03-01T12:00:00+09:00", "colour": "red"}})");
  const std::vector<absl::string_view> views(lines.begin(), lines.end());
  const std::vector<std::string> answers = pip::EvaluateJsonBatch(engine, views);
  ASSERT_EQ(answers.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(answers[i], pip::EvaluateJson(engine, lines[i])) << lines[i];
  }
  EXPECT_THAT(answers[0], HasSubstr(R"("allowed":true)"));  // 4.1
  EXPECT_THAT(ExpectJsonError(answers.back()), HasSubstr("colour"));
  EXPECT_TRUE(pip::EvaluateJsonBatch(engine, {}).empty());
}

// Swaps `engine` between `a` and `b` after every decision it records, as
// reloads on another thread would in the middle of a batch.
class ReloadingSink : public AuditSink {
 public:
  ReloadingSink(v1::Policy a, v1::Policy b)
      : AuditSink(*AuditKey::FromBytes("0123456789abcdef0123456789abcdef")),
        a_(std::move(a)),
        b_(std::move(b)) {}
  absl::Status Record(const v1::AuditRecord& record) override {
    records_.push_back(record);
    const bool on_a = engine_->policy_version() == a_.version();
    EXPECT_TRUE(engine_->Reload(PolicySource::Message(on_a ? b_ : a_)).ok());
    return absl::OkStatus();
  }
  absl::Status Flush() override { return absl::OkStatus(); }
  std::vector<v1::AuditRecord>& records() { return records_; }
  // The engine recording to this sink, known once it is created.
  void set_engine(Engine* engine) { engine_ = engine; }

 private:
  Engine* engine_ = nullptr;
  const v1::Policy a_;
  const v1::Policy b_;
  std::vector<v1::AuditRecord> records_;
};

std::string VersionOf(const v1::EvalResponse& response) {
  return response.purpose_allowed().policy().version();
}

// Every request of a batch is decided, and recorded, on the policy running
// when the batch starts, however often the engine reloads meanwhile.
TEST(EngineEvaluateBatchTest, ReloadsDuringTheBatchChangeNoneOfItsDecisions) {
  const v1::Policy a = DefaultEngine()->policy();
  v1::Policy b = a;
  b.set_version("2099-01-01");
  auto sink = std::make_shared<ReloadingSink>(a, b);
  auto engine = DefaultEngine(sink);
  ASSERT_TRUE(engine);
  sink->set_engine(engine.get());
  v1::EvalBatchRequest batch;
  std::vector<std::string> lines;
  for (int i = 0; i < 4; ++i) {
    *batch.add_requests()->mutable_purpose_allowed() = BillingRequest();
    lines.emplace_back();
    ASSERT_OK(google::protobuf::util::MessageToJsonString(batch.requests(i),
                                                          &lines.back()));
  }
  const std::vector<absl::string_view> views(lines.begin(), lines.end());

  // A single evaluation reloads once: the next batch starts on b.
  EXPECT_EQ(VersionOf(engine->Evaluate(batch.requests(0))), a.version());
  ASSERT_EQ(engine->policy_version(), b.version());
  const v1::EvalBatchResponse responses = engine->EvaluateBatch(batch);
  ASSERT_EQ(responses.responses_size(), 4);
  for (const v1::EvalResponse& r : responses.responses()) {
    EXPECT_EQ(VersionOf(r), b.version()) << r.DebugString();
  }
  // Four reloads since: a batch of JSON lines starts on b again.
  ASSERT_EQ(engine->policy_version(), b.version());
  for (const std::string& answer : pip::EvaluateJsonBatch(*engine, views)) {
    v1::EvalResponse r;
    ASSERT_OK(google::protobuf::util::JsonStringToMessage(answer, &r));
    EXPECT_EQ(VersionOf(r), b.version()) << answer;
  }

  // Each decision recorded with the policy it was decided on.
  const std::vector<v1::AuditRecord>& records = sink->records();
  ASSERT_EQ(records.size(), 9u);
  EXPECT_EQ(records[0].policy_version(), a.version());
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_EQ(records[i].policy_version(), b.version()) << "record " << i;
    EXPECT_EQ(records[i].outcome(), v1::OUTCOME_ALLOWED) << "record " << i;
  }
}

// --- Explain ---------------------------------------------------------------

TEST(EngineExplainTest, NamesTheReasonCodeClauseAndClauseTitle) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  // DESIGN.md's example: an active suspension request blocks direct mail.
  v1::EvalRequest request;
  auto* r = request.mutable_purpose_allowed();
  r->set_subject_id("c-1");
  r->set_purpose("direct_mail");
  r->add_categories("name");
  r->add_categories("email");
  r->set_recipient("internal");
  auto* active = r->add_active_requests();
  active->set_type("suspension");
  active->set_id("req-7");
  *active->mutable_received_at() = Time("2026-01-10T09:00:00+09:00");
  *r->mutable_as_of() = Time("2026-03-01T12:00:00+09:00");

  const v1::EvalResponse response = engine->Evaluate(request);
  ASSERT_TRUE(response.has_purpose_allowed()) << response.DebugString();
  EXPECT_FALSE(response.purpose_allowed().allowed());
  const v1::Reason* suspended = nullptr;
  for (const v1::Reason& reason : response.purpose_allowed().reasons()) {
    if (reason.code() == v1::SUSPENDED_BY_REQUEST) suspended = &reason;
  }
  ASSERT_NE(suspended, nullptr) << response.DebugString();
  EXPECT_EQ(suspended->clause(), "8.1");

  const std::string text = engine->Explain(response);
  EXPECT_THAT(text, HasSubstr("SUSPENDED_BY_REQUEST"));
  EXPECT_THAT(text, HasSubstr("8.1"));
  EXPECT_THAT(text, HasSubstr("請求できる内容"));  // clause 8.1's title
  EXPECT_THAT(text, HasSubstr(engine->policy_version()));

  const std::string unquoted = engine->Explain(response, false);
  EXPECT_THAT(unquoted, HasSubstr("SUSPENDED_BY_REQUEST"));
  EXPECT_THAT(unquoted, Not(HasSubstr("Clauses cited")));
}

TEST(EngineExplainTest, RetentionQuotesClause7) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  v1::EvalRequest request;
  auto* r = request.mutable_retention_due();
  r->set_kind("inquiry");
  *r->mutable_event_at() = Time("2023-05-10T14:00:00+09:00");
  *r->mutable_as_of() = Time("2026-05-11T00:00:00+09:00");
  const v1::EvalResponse response = engine->Evaluate(request);
  ASSERT_TRUE(response.has_retention_due()) << response.DebugString();
  const std::string text = engine->Explain(response);
  EXPECT_THAT(text, HasSubstr("2026-05-10"));
  EXPECT_THAT(text, HasSubstr("保存期間と削除"));  // clause 7's title
}

TEST(EngineExplainTest, ErrorResponseIsExplainedAsAnError) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const std::string text = engine->Explain(engine->Evaluate(v1::EvalRequest()));
  EXPECT_THAT(text, HasSubstr("INVALID_ARGUMENT"));
}

// --- Concurrency -----------------------------------------------------------

// Evaluations running while another thread reloads each use one whole
// snapshot: every decision succeeds and carries one of the two policies'
// (version, hash) pairs, never a mix.
TEST(EngineConcurrencyTest, EvaluationsDuringReloadSeeOneWholePolicy) {
  auto engine = DefaultEngine();
  ASSERT_TRUE(engine);
  const v1::Policy first = engine->policy();
  v1::Policy second = first;
  second.set_version("2099-01-01");
  const std::string first_version = first.version();
  const std::string first_hash = engine->policy_hash();
  ASSERT_NE(first_version, "2099-01-01");

  // Learn the second policy's hash, then go back to the first.
  ASSERT_TRUE(engine->Reload(PolicySource::Message(second)).ok());
  const std::string second_hash = engine->policy_hash();
  ASSERT_NE(first_hash, second_hash);
  ASSERT_TRUE(engine->Reload(PolicySource::Message(first)).ok());

  constexpr int kThreads = 4;
  constexpr int kIterations = 2000;
  constexpr int kMinReloads = 50;
  std::atomic<int> running{kThreads};
  std::atomic<int> started{0};
  std::atomic<int> errors{0};
  std::atomic<int> wrong_version{0};
  std::atomic<int> mixed{0};
  std::atomic<int> denied{0};
  std::atomic<int> seen_second{0};
  const v1::PurposeAllowedRequest request = BillingRequest();

  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      started.fetch_add(1);
      for (int i = 0; i < kIterations; ++i) {
        absl::StatusOr<v1::PurposeAllowedDecision> d =
            engine->PurposeAllowed(request);
        if (!d.ok()) {
          errors.fetch_add(1);
          continue;
        }
        if (!d->allowed()) denied.fetch_add(1);
        const std::string& v = d->policy().version();
        const std::string& h = d->policy().hash();
        if (v == first_version) {
          if (h != first_hash) mixed.fetch_add(1);
        } else if (v == "2099-01-01") {
          seen_second.fetch_add(1);
          if (h != second_hash) mixed.fetch_add(1);
        } else {
          wrong_version.fetch_add(1);
        }
      }
      running.fetch_sub(1);
    });
  }
  while (started.load() < kThreads) std::this_thread::yield();
  int reloads = 0;
  int reload_failures = 0;
  while (reloads < kMinReloads || running.load() > 0) {
    if (!engine
             ->Reload(PolicySource::Message(reloads % 2 == 0 ? second : first))
             .ok()) {
      ++reload_failures;
    }
    ++reloads;
  }
  for (auto& t : threads) t.join();

  EXPECT_EQ(reload_failures, 0);
  EXPECT_GE(reloads, kMinReloads);
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(denied.load(), 0);
  EXPECT_EQ(wrong_version.load(), 0);
  EXPECT_EQ(mixed.load(), 0) << "a decision mixed two policies' version and hash";
  const std::string final_version = engine->policy_version();
  EXPECT_TRUE(final_version == first_version || final_version == "2099-01-01")
      << final_version;
}

}  // namespace
}  // namespace pip
