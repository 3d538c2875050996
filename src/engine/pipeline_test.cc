// Tests of the one pipeline (src/engine/pipeline.cc): every surface -- the
// message functions, pip/encoded.h's pb and JSON entry points, the
// EvalRequest oneof in both encodings, batches -- answers every request of
// every function alike, because each goes through the same table entry; the
// decision contract of docs/json.md (one policy stamp in field 15, findings
// filed once, reasons printing only the ids they are about); strict reading
// of requests; and the decision log.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "tests/testing/engine.h"
#include "tests/testing/memory_sink.h"
#include "tests/testing/request_cases.h"
#include "tests/testing/requests.h"
#include "tests/testing/status_matchers.h"

namespace pip {
namespace {

using ::google::protobuf::Message;
using ::google::protobuf::util::MessageDifferencer;
using ::pip::testing::IsOk;
using ::pip::testing::SharedDefaultEngine;
using ::pip::testing::StatusIs;
using ::pip::testing::ThinnedUnderSanitizers;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

const Engine& TheEngine() { return SharedDefaultEngine(); }

std::string ToJson(const Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  EXPECT_TRUE(
      google::protobuf::util::MessageToJsonString(m, &out, options).ok());
  return out;
}

template <typename Decision>
Decision FromJsonDecision(const std::string& json) {
  Decision d;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &d).ok())
      << json;
  return d;
}

// The field of EvalRequest / EvalResponse that holds `m`'s function.
void SetMember(v1::EvalRequest* r, const v1::PurposeAllowedRequest& m) {
  *r->mutable_purpose_allowed() = m;
}
void SetMember(v1::EvalRequest* r, const v1::ConsentCheckRequest& m) {
  *r->mutable_consent_check() = m;
}
void SetMember(v1::EvalRequest* r, const v1::RetentionDueRequest& m) {
  *r->mutable_retention_due() = m;
}
void SetMember(v1::EvalRequest* r, const v1::RequestValidateRequest& m) {
  *r->mutable_request_validate() = m;
}
void SetMember(v1::EvalRequest* r, const v1::ContractorCheckRequest& m) {
  *r->mutable_contractor_check() = m;
}
void SetMember(v1::EvalRequest* r, const v1::AcquisitionCheckRequest& m) {
  *r->mutable_acquisition_check() = m;
}
void SetMember(v1::EvalRequest* r, const v1::IncidentAssessRequest& m) {
  *r->mutable_incident_assess() = m;
}
void SetMember(v1::EvalRequest* r, const v1::ComplaintRouteRequest& m) {
  *r->mutable_complaint_route() = m;
}

// Every surface's answer to `request` of `function`, which must agree.
template <typename Request, typename Decision>
void ExpectEverySurfaceAgrees(
    Function function, const Request& request,
    absl::StatusOr<Decision> (Engine::*member)(const Request&) const) {
  const Engine& e = TheEngine();
  const absl::StatusOr<Decision> by_message = (e.*member)(request);
  const std::string bytes = request.SerializeAsString();
  std::string pb, json;
  const absl::Status pb_status = DecidePb(e, function, bytes, &pb);
  const absl::Status json_status =
      DecideJson(e, function, ToJson(request), &json);
  v1::EvalRequest eval;
  SetMember(&eval, request);
  v1::EvalResponse eval_pb;
  ASSERT_TRUE(eval_pb.ParseFromString(EvaluatePb(e, eval.SerializeAsString())));
  const std::string eval_json = EvaluateJson(e, ToJson(eval));
  if (!by_message.ok()) {
    EXPECT_EQ(pb_status, by_message.status());
    EXPECT_EQ(json_status, by_message.status());
    EXPECT_EQ(eval_pb.error().message(), by_message.status().message());
    EXPECT_THAT(eval_json, HasSubstr("\"error\""));
    return;
  }
  ASSERT_THAT(pb_status, IsOk());
  ASSERT_THAT(json_status, IsOk());
  // One layout writes every encoding: the bytes are protobuf's own
  // serialization of the decision, the JSON reads back to the same message.
  EXPECT_EQ(pb, by_message->SerializeAsString());
  EXPECT_TRUE(
      MessageDifferencer::Equals(FromJsonDecision<Decision>(json), *by_message))
      << json;
  const google::protobuf::FieldDescriptor* member_field =
      v1::EvalResponse::descriptor()->FindFieldByNumber(
          static_cast<int>(function));
  ASSERT_NE(member_field, nullptr);
  EXPECT_TRUE(MessageDifferencer::Equals(
      eval_pb.GetReflection()->GetMessage(eval_pb, member_field), *by_message));
  EXPECT_EQ(eval_json,
            absl::StrCat("{\"", FunctionName(function), "\":", json, "}"));
}

TEST(PipelineTest, EveryPurposeAllowedRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::PurposeAllowedCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kPurposeAllowed, r,
                             &Engine::PurposeAllowed);
  }
}

TEST(PipelineTest, EveryConsentCheckRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::ConsentCheckCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kConsentCheck, r, &Engine::ConsentCheck);
  }
}

TEST(PipelineTest, Clause7EveryRetentionRequestAnswersAlikeOnEverySurface) {
  for (const auto& r :
       ThinnedUnderSanitizers(::pip::testing::RetentionDueCases(TheEngine()))) {
    ExpectEverySurfaceAgrees(Function::kRetentionDue, r, &Engine::RetentionDue);
  }
}

TEST(PipelineTest, Clause8EveryDataSubjectRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::RequestValidateCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kRequestValidate, r,
                             &Engine::RequestValidate);
  }
}

TEST(PipelineTest, Clause6EveryContractorRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::ContractorCheckCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kContractorCheck, r,
                             &Engine::ContractorCheck);
  }
}

TEST(PipelineTest, Clause3EveryAcquisitionAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::AcquisitionCheckCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kAcquisitionCheck, r,
                             &Engine::AcquisitionCheck);
  }
}

TEST(PipelineTest, Clause1_4EveryIncidentRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::IncidentAssessCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kIncidentAssess, r,
                             &Engine::IncidentAssess);
  }
}

TEST(PipelineTest, Clause9EveryComplaintRequestAnswersAlikeOnEverySurface) {
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::ComplaintRouteCases(TheEngine().policy()))) {
    ExpectEverySurfaceAgrees(Function::kComplaintRoute, r,
                             &Engine::ComplaintRoute);
  }
}

// docs/json.md: a reason prints code, clause and both messages, then only
// the ids it is about; a decision prints every other field, and its policy
// stamp last, as "policy".
void ExpectContractShape(const std::string& json) {
  google::protobuf::Struct decision;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json, &decision).ok())
      << json;
  ASSERT_TRUE(decision.fields().contains("policy")) << json;
  const auto& stamp = decision.fields().at("policy").struct_value().fields();
  EXPECT_FALSE(stamp.at("version").string_value().empty());
  EXPECT_EQ(stamp.at("hash").string_value().size(), 64u);
  for (const auto& [name, value] : decision.fields()) {
    if (value.kind_case() != google::protobuf::Value::kListValue) continue;
    // covered_by is a list of pairs, each printing both its fields.
    if (name == "covered_by") {
      for (const auto& item : value.list_value().values()) {
        const auto& pair = item.struct_value().fields();
        EXPECT_FALSE(pair.at("category").string_value().empty()) << json;
        EXPECT_FALSE(pair.at("consent_id").string_value().empty()) << json;
      }
      continue;
    }
    for (const auto& item : value.list_value().values()) {
      if (item.kind_case() != google::protobuf::Value::kStructValue) continue;
      const auto& reason = item.struct_value().fields();
      for (const char* always :
           {"code", "clause", "message_ja", "message_en"}) {
        EXPECT_TRUE(reason.contains(always)) << name << ": " << json;
      }
      for (const auto& [key, v] : reason) {
        EXPECT_FALSE(v.string_value().empty())
            << name << "." << key << " printed empty: " << json;
      }
    }
  }
}

TEST(PipelineTest, JsonReasonsPrintOnlyTheIdsTheyAreAbout) {
  std::string json;
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::PurposeAllowedCases(TheEngine().policy()))) {
    json.clear();
    if (DecideJson(TheEngine(), Function::kPurposeAllowed, ToJson(r), &json)
            .ok()) {
      ExpectContractShape(json);
    }
  }
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::RequestValidateCases(TheEngine().policy()))) {
    json.clear();
    if (DecideJson(TheEngine(), Function::kRequestValidate, ToJson(r), &json)
            .ok()) {
      ExpectContractShape(json);
    }
  }
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::IncidentAssessCases(TheEngine().policy()))) {
    json.clear();
    if (DecideJson(TheEngine(), Function::kIncidentAssess, ToJson(r), &json)
            .ok()) {
      ExpectContractShape(json);
    }
  }
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::ComplaintRouteCases(TheEngine().policy()))) {
    json.clear();
    ASSERT_THAT(
        DecideJson(TheEngine(), Function::kComplaintRoute, ToJson(r), &json),
        IsOk());
    ExpectContractShape(json);
  }
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::ContractorCheckCases(TheEngine().policy()))) {
    json.clear();
    if (DecideJson(TheEngine(), Function::kContractorCheck, ToJson(r), &json)
            .ok()) {
      ExpectContractShape(json);
    }
  }
  for (const auto& r : ThinnedUnderSanitizers(
           ::pip::testing::AcquisitionCheckCases(TheEngine().policy()))) {
    json.clear();
    ASSERT_THAT(
        DecideJson(TheEngine(), Function::kAcquisitionCheck, ToJson(r), &json),
        IsOk());
    ExpectContractShape(json);
  }
}

// Clauses 2, 3; APPI 20(2), 21, 30: each finding appears once; an allowed
// acquisition leads with ACQUISITION_PERMITTED and states the notice of the
// purpose, a denied one lists only what denies; the confirmation record is
// stated exactly when an allowed acquisition receives data from a third
// party, and `missing` names each CONFIRMATION_MISSING.
TEST(PipelineTest, Clause3EveryAcquisitionFindingAppearsOnce) {
  int allowed = 0;
  int denied = 0;
  for (const auto& r :
       ::pip::testing::AcquisitionCheckCases(TheEngine().policy())) {
    absl::StatusOr<v1::AcquisitionCheckDecision> d =
        TheEngine().AcquisitionCheck(r);
    ASSERT_THAT(d, IsOk());
    std::set<std::string> seen;
    int missing = 0;
    for (const v1::Reason& x : d->reasons()) {
      EXPECT_TRUE(seen.insert(x.SerializeAsString()).second)
          << v1::ReasonCode_Name(x.code());
      missing += x.code() == v1::CONFIRMATION_MISSING;
      if (!d->allowed()) {
        EXPECT_TRUE(x.code() != v1::ACQUISITION_PERMITTED &&
                    x.code() != v1::CONSENT_RELIED &&
                    x.code() != v1::PURPOSE_STATED &&
                    x.code() != v1::PURPOSES_PUBLISHED &&
                    x.code() != v1::CONFIRMATION_RECORD_REQUIRED)
            << v1::ReasonCode_Name(x.code());
      }
    }
    EXPECT_EQ(missing, d->missing_size());
    if (d->allowed()) {
      ++allowed;
      ASSERT_GE(d->reasons_size(), 2);
      EXPECT_EQ(d->reasons(0).code(), v1::ACQUISITION_PERMITTED);
      EXPECT_EQ(d->reasons(0).channel(), r.channel());
      EXPECT_EQ(d->has_confirmation_record(), r.channel() == "third_party");
    } else {
      ++denied;
      EXPECT_FALSE(d->has_confirmation_record());
      EXPECT_GE(d->reasons_size(), 1);
    }
  }
  EXPECT_GT(allowed, 100);
  EXPECT_GT(denied, 100);
}

// Clause 6, APPI 25, 28: allowed exactly when no finding denies; a denial
// names each missing item once and carries no record duty; the dates are
// set together, and the next check is never before the last.
TEST(PipelineTest, Clause6EveryContractorFindingAppearsOnce) {
  int decided = 0;
  int allowed = 0;
  for (const auto& r :
       ::pip::testing::ContractorCheckCases(TheEngine().policy())) {
    absl::StatusOr<v1::ContractorCheckDecision> d =
        TheEngine().ContractorCheck(r);
    if (!d.ok()) continue;
    ++decided;
    allowed += d->allowed();
    ASSERT_GE(d->reasons_size(), 1);
    EXPECT_EQ(d->reasons(0).code() == v1::CONTRACTOR_QUALIFIED, d->allowed());
    EXPECT_EQ(d->has_provision_record(), d->allowed());
    EXPECT_EQ(d->next_check_by().empty(), d->last_checked_on().empty());
    EXPECT_LE(d->last_checked_on(), d->next_check_by());
    std::set<std::string> seen;
    for (const v1::Reason& x : d->reasons()) {
      EXPECT_TRUE(seen.insert(x.ShortDebugString()).second)
          << "twice: " << x.ShortDebugString();
    }
  }
  EXPECT_GT(decided, 1000);
  EXPECT_GT(allowed, 10);
}

// 1.4, APPI 26: each finding of an incident is filed once, in the list that
// says what it is; reportable and the grounds agree, and so do the dates.
TEST(PipelineTest, Clause1_4EveryIncidentFindingAppearsInExactlyOneList) {
  int decided = 0;
  for (const auto& r :
       ::pip::testing::IncidentAssessCases(TheEngine().policy())) {
    absl::StatusOr<v1::IncidentAssessDecision> d =
        TheEngine().IncidentAssess(r);
    if (!d.ok()) continue;
    ++decided;
    ASSERT_GE(d->grounds_size(), 1);
    EXPECT_EQ(d->grounds(0).code(), d->reportable()
                                        ? v1::INCIDENT_REPORTABLE
                                        : v1::INCIDENT_NOT_REPORTABLE);
    EXPECT_EQ(d->notify_people(), d->reportable());
    EXPECT_EQ(d->final_report_by().empty(), !d->reportable());
    if (d->reportable()) {
      EXPECT_LE(d->preliminary_report_earliest(),
                d->preliminary_report_latest());
      EXPECT_LE(d->preliminary_report_latest(), d->final_report_by());
    }
    for (const v1::Reason& x : d->needs_review()) {
      EXPECT_EQ(x.code(), v1::NOTICE_DIFFICULT);
    }
    for (const v1::Reason& x : d->warnings()) {
      EXPECT_TRUE(x.code() == v1::PRELIMINARY_REPORT_LATE ||
                  x.code() == v1::FINAL_REPORT_LATE);
    }
    for (const v1::Reason& x : d->duties()) {
      EXPECT_EQ(x.code(), v1::INCIDENT_DUTY);
    }
    for (const v1::Reason& x : d->reasons()) {
      EXPECT_TRUE(x.code() == v1::NOTIFY_PEOPLE ||
                  x.code() == v1::PRELIMINARY_REPORT_DUE ||
                  x.code() == v1::FINAL_REPORT_DUE ||
                  x.code() == v1::ENCRYPTION_NOT_CONFIRMED ||
                  x.code() == v1::DATA_BEING_ACQUIRED_NOT_COVERED)
          << v1::ReasonCode_Name(x.code());
    }
  }
  EXPECT_GT(decided, 1000);
}

// Clause 8: each finding is filed once, in the list that says what it is.
TEST(PipelineTest, Clause8EveryFindingAppearsInExactlyOneList) {
  for (const auto& r :
       ::pip::testing::RequestValidateCases(TheEngine().policy())) {
    absl::StatusOr<v1::RequestValidateDecision> d =
        TheEngine().RequestValidate(r);
    if (!d.ok()) continue;
    for (const v1::Reason& x : d->errors()) {
      EXPECT_EQ(x.code(), v1::CHANNEL_NOT_ACCEPTED);
    }
    for (const v1::Reason& x : d->needs_review()) {
      EXPECT_EQ(x.code(), v1::REVIEW_REQUIRED);
      EXPECT_FALSE(x.review_ground().empty());
    }
    for (const v1::Reason& x : d->warnings()) {
      EXPECT_TRUE(x.code() == v1::FEE_NOT_CHARGEABLE ||
                  x.code() == v1::FEE_OVERPAID)
          << x.ShortDebugString();
    }
    std::vector<std::string> missing;
    for (const v1::Reason& x : d->reasons()) {
      EXPECT_NE(x.code(), v1::CHANNEL_NOT_ACCEPTED);
      EXPECT_NE(x.code(), v1::REVIEW_REQUIRED);
      EXPECT_NE(x.code(), v1::FEE_NOT_CHARGEABLE);
      EXPECT_NE(x.code(), v1::FEE_OVERPAID);
      if (x.code() == v1::DOCUMENT_MISSING) missing.push_back(x.document());
    }
    // `missing` holds document ids only: what else is missing has a field.
    EXPECT_EQ(
        std::vector<std::string>(d->missing().begin(), d->missing().end()),
        missing);
    EXPECT_EQ(d->identity_verified(), r.identity_verified());
    EXPECT_EQ(d->fee_unpaid_jpy(),
              std::max(0, d->fee_due_jpy() - r.fee_paid_jpy()));
  }
}

// Every date pip prints is one it accepts: a period that would end after
// 9999-12-30 (whose due time, 00:00 Tokyo the next day, is past 9999) is an
// input error naming the limit, on every surface.
TEST(PipelineTest, Clause7PeriodEndingAfterTheLastYearIsAnInputError) {
  v1::RetentionDueRequest r;
  r.set_kind("inquiry");
  *r.mutable_event_at() = ::pip::testing::Time("9998-06-01T12:00:00+09:00");
  *r.mutable_as_of() = ::pip::testing::Time("9999-01-01T00:00:00+09:00");
  EXPECT_THAT(TheEngine().RetentionDue(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("event_at"), HasSubstr("kMaxYear"))));
  std::string out;
  EXPECT_THAT(DecidePb(TheEngine(), Function::kRetentionDue,
                       r.SerializeAsString(), &out),
              StatusIs(absl::StatusCode::kInvalidArgument));
  // The handle path refuses it too.
  auto snap = TheEngine().snapshot();
  RetentionFacts f;
  f.kind = *snap->RetentionKind("inquiry");
  f.event_at = absl::FromUnixSeconds(r.event_at().seconds());
  f.as_of = absl::FromUnixSeconds(r.as_of().seconds());
  EXPECT_THAT(
      snap->RetentionDue(f),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kMaxYear")));
  // A period that ends on the last day answers.
  *r.mutable_event_at() = ::pip::testing::Time("9996-12-30T12:00:00+09:00");
  absl::StatusOr<v1::RetentionDueDecision> d = TheEngine().RetentionDue(r);
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->retain_until(), "9999-12-30");
  EXPECT_EQ(d->due_at(), "9999-12-31T00:00:00+09:00");
}

TEST(PipelineTest, Clause8ResponsePeriodEndingAfterTheLastYearIsAnInputError) {
  v1::RequestValidateRequest r =
      ::pip::testing::TypicalRequestValidateRequest();
  *r.mutable_received_at() = ::pip::testing::Time("9999-12-20T10:00:00+09:00");
  *r.mutable_as_of() = ::pip::testing::Time("9999-12-21T10:00:00+09:00");
  EXPECT_THAT(TheEngine().RequestValidate(r),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("received_at"), HasSubstr("kMaxYear"))));
}

// Strict reading: what protobuf would read ambiguously is refused, never
// read as an allow.
TEST(PipelineTest, SingularFieldGivenTwiceOnTheWireIsRefused) {
  v1::PurposeAllowedRequest a = ::pip::testing::TypicalPurposeRequest();
  a.set_purpose("statistics");
  v1::PurposeAllowedRequest b;
  b.set_purpose("billing");
  // Protobuf keeps the last of two: statistics (4.3, anonymized data only)
  // would be read as billing.
  const std::string bytes = a.SerializeAsString() + b.SerializeAsString();
  std::string out;
  EXPECT_THAT(DecidePb(TheEngine(), Function::kPurposeAllowed, bytes, &out),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("purpose"), HasSubstr("twice"))));
  EXPECT_TRUE(out.empty());
}

TEST(PipelineTest, TwoFunctionsInOneEvalRequestAreRefused) {
  v1::EvalRequest a, b;
  *a.mutable_purpose_allowed() = ::pip::testing::TypicalPurposeRequest();
  *b.mutable_retention_due() = ::pip::testing::TypicalRetentionRequest();
  v1::EvalResponse response;
  ASSERT_TRUE(response.ParseFromString(
      EvaluatePb(TheEngine(), a.SerializeAsString() + b.SerializeAsString())));
  EXPECT_EQ(response.error().code(), "INVALID_ARGUMENT");
}

TEST(PipelineTest, UnknownFieldIsRefusedNeverIgnored) {
  std::string bytes =
      ::pip::testing::TypicalPurposeRequest().SerializeAsString();
  bytes += std::string("\xa0\x06\x01", 3);  // field 100, varint 1
  std::string out;
  EXPECT_THAT(
      DecidePb(TheEngine(), Function::kPurposeAllowed, bytes, &out),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown")));
  // A message built in C++ that carries it is refused alike.
  v1::PurposeAllowedRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  EXPECT_THAT(
      TheEngine().PurposeAllowed(parsed),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown")));
}

TEST(PipelineTest, EvalRequestWithNoFunctionNamesTheFunctions) {
  const v1::EvalResponse r = TheEngine().Evaluate(v1::EvalRequest());
  EXPECT_EQ(r.error().code(), "INVALID_ARGUMENT");
  EXPECT_THAT(r.error().message(), AllOf(HasSubstr("purpose_allowed"),
                                         HasSubstr("request_validate")));
}

TEST(PipelineTest, BatchAnswersEachRequestOnItsOwn) {
  v1::EvalBatchRequest batch;
  *batch.add_requests()->mutable_retention_due() =
      ::pip::testing::TypicalRetentionRequest();
  batch.add_requests();  // names no function
  std::string responses;
  ASSERT_THAT(
      EvaluateBatchPb(TheEngine(), batch.SerializeAsString(), &responses),
      IsOk());
  v1::EvalBatchResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(responses));
  ASSERT_EQ(parsed.responses_size(), 2);
  EXPECT_TRUE(parsed.responses(0).has_retention_due());
  EXPECT_TRUE(parsed.responses(1).has_error());
  EXPECT_TRUE(
      MessageDifferencer::Equals(parsed, TheEngine().EvaluateBatch(batch)));
}

// 5.4: with a decision log attached, every surface records each decision
// once, under its function's name, and answers as without it.
TEST(PipelineTest, Clause5_4EverySurfaceRecordsEachDecisionOnce) {
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine(sink);
  const v1::RetentionDueRequest r = ::pip::testing::TypicalRetentionRequest();
  v1::EvalRequest eval;
  *eval.mutable_retention_due() = r;
  std::string pb, json;
  ASSERT_THAT(engine->RetentionDue(r), IsOk());
  ASSERT_THAT(
      DecidePb(*engine, Function::kRetentionDue, r.SerializeAsString(), &pb),
      IsOk());
  ASSERT_THAT(DecideJson(*engine, Function::kRetentionDue, ToJson(r), &json),
              IsOk());
  EvaluatePb(*engine, eval.SerializeAsString());
  EvaluateJson(*engine, ToJson(eval));
  ASSERT_EQ(sink->records().size(), 5u);
  for (const v1::AuditRecord& record : sink->records()) {
    EXPECT_EQ(record.function(), "retention_due");
    EXPECT_EQ(record.outcome(), v1::OUTCOME_DUE);
    EXPECT_EQ(record.request_digest(), sink->records()[0].request_digest());
  }
  std::string plain;
  ASSERT_THAT(DecidePb(TheEngine(), Function::kRetentionDue,
                       r.SerializeAsString(), &plain),
              IsOk());
  EXPECT_EQ(pb, plain);
}

// 5.4: the new functions are recorded under their names, with their
// outcomes and the policy items their findings name.
TEST(PipelineTest, Clause5_4IncidentsAndComplaintsAreRecorded) {
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine(sink);
  const std::vector<v1::IncidentAssessRequest> incidents =
      ::pip::testing::IncidentAssessCases(engine->policy());
  ASSERT_THAT(engine->IncidentAssess(incidents[0]), IsOk());
  v1::ComplaintRouteRequest complaint =
      ::pip::testing::ComplaintRouteCases(engine->policy())[0];
  complaint.set_resolution_difficult(true);
  ASSERT_THAT(engine->ComplaintRoute(complaint), IsOk());
  ASSERT_EQ(sink->records().size(), 2u);
  EXPECT_EQ(sink->records()[0].function(), "incident_assess");
  EXPECT_EQ(sink->records()[0].outcome(), v1::OUTCOME_INCIDENT_NOT_REPORTABLE);
  EXPECT_EQ(sink->records()[1].function(), "complaint_route");
  EXPECT_EQ(sink->records()[1].outcome(), v1::OUTCOME_COMPLAINT_OPEN);
  std::set<std::string> provisions;
  for (const v1::AuditRecord& record : sink->records()) {
    for (const v1::AuditReason& reason : record.reasons()) {
      provisions.insert(reason.provision());
    }
  }
  EXPECT_TRUE(provisions.count("investigate_cause"));
  EXPECT_TRUE(provisions.count("first_response"));
  EXPECT_TRUE(provisions.count("ppc"));
}

// 5.4: contractor_check is recorded under its name, with its outcome and
// the clause-6 items its findings name.
TEST(PipelineTest, Clause5_4ContractorChecksAreRecorded) {
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine(sink);
  v1::ContractorCheckRequest r =
      ::pip::testing::ContractorCheckCases(engine->policy())[0];
  r.clear_contract_terms();
  ASSERT_THAT(engine->ContractorCheck(r), IsOk());
  const std::vector<v1::AuditRecord> records = sink->records();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].function(), "contractor_check");
  EXPECT_EQ(records[0].outcome(), v1::OUTCOME_CONTRACTOR_DENIED);
  std::set<std::string> provisions;
  for (const v1::AuditReason& reason : records[0].reasons()) {
    provisions.insert(reason.provision());
  }
  EXPECT_TRUE(provisions.count("confidentiality"));
}

// 5.4: acquisition_check is recorded under its name with its outcomes; the
// subject and the provider confirmed under APPI 30(1) (its name, address,
// representative and how it obtained the data) never reach the log.
TEST(PipelineTest, Clause5_4AcquisitionsAreRecordedWithoutThePeopleNamed) {
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine(sink);
  v1::AcquisitionCheckRequest r;
  r.set_subject_id("subject-secret");
  r.set_channel("third_party");
  r.add_categories("name");
  v1::Provider* p = r.mutable_provider();
  p->set_name("provider-secret");
  p->set_address("address-secret");
  p->set_representative("representative-secret");
  p->set_how_obtained("history-secret");
  *r.mutable_as_of() = ::pip::testing::Time("2026-03-01T12:00:00+09:00");
  ASSERT_THAT(engine->AcquisitionCheck(r), IsOk());
  p->clear_representative();
  ASSERT_THAT(engine->AcquisitionCheck(r), IsOk());
  ASSERT_EQ(sink->records().size(), 2u);
  EXPECT_EQ(sink->records()[0].function(), "acquisition_check");
  EXPECT_EQ(sink->records()[0].outcome(), v1::OUTCOME_ACQUISITION_ALLOWED);
  EXPECT_EQ(sink->records()[1].outcome(), v1::OUTCOME_ACQUISITION_DENIED);
  for (const v1::AuditRecord& record : sink->records()) {
    EXPECT_FALSE(record.subject_pseudonym().empty());
    EXPECT_THAT(record.DebugString(), Not(HasSubstr("secret")));
  }
  // The digest covers the provider: a different provider, another digest.
  EXPECT_NE(sink->records()[0].request_digest(),
            sink->records()[1].request_digest());
}

// 5.4: an error is recorded as an error, and a decision whose record cannot
// be written is withheld.
TEST(PipelineTest, Clause5_4UnrecordedDecisionIsWithheld) {
  auto sink = std::make_shared<::pip::testing::MemorySink>();
  std::unique_ptr<Engine> engine = ::pip::testing::DefaultEngine(sink);
  v1::RetentionDueRequest bad = ::pip::testing::TypicalRetentionRequest();
  bad.set_kind("no_such_kind");
  EXPECT_THAT(engine->RetentionDue(bad),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(sink->records().size(), 1u);
  EXPECT_EQ(sink->records()[0].outcome(), v1::OUTCOME_ERROR);
  EXPECT_EQ(sink->records()[0].error_code(), "INVALID_ARGUMENT");
  std::unique_ptr<Engine> failing = ::pip::testing::DefaultEngine(
      std::make_shared<::pip::testing::MemorySink>(
          absl::InternalError("disk full")));
  std::string out = "untouched";
  EXPECT_THAT(
      DecidePb(*failing, Function::kRetentionDue,
               ::pip::testing::TypicalRetentionRequest().SerializeAsString(),
               &out),
      StatusIs(absl::StatusCode::kUnavailable, HasSubstr("audit log")));
  EXPECT_EQ(out, "untouched");
}

// The per-thread policy cache follows each engine and each reload, on every
// surface.
std::vector<std::string> Versions(const Engine& e) {
  const v1::PurposeAllowedRequest r = ::pip::testing::BillingRequest();
  v1::EvalRequest eval;
  *eval.mutable_purpose_allowed() = r;
  std::vector<std::string> v;
  v.push_back(e.PurposeAllowed(r)->policy().version());
  std::string pb, json;
  EXPECT_THAT(
      DecidePb(e, Function::kPurposeAllowed, r.SerializeAsString(), &pb),
      IsOk());
  v1::PurposeAllowedDecision d;
  d.ParseFromString(pb);
  v.push_back(d.policy().version());
  EXPECT_THAT(DecideJson(e, Function::kPurposeAllowed, ToJson(r), &json),
              IsOk());
  v.push_back(
      FromJsonDecision<v1::PurposeAllowedDecision>(json).policy().version());
  v1::EvalResponse response;
  response.ParseFromString(EvaluatePb(e, eval.SerializeAsString()));
  v.push_back(response.purpose_allowed().policy().version());
  v.push_back(e.Evaluate(eval).purpose_allowed().policy().version());
  return v;
}

TEST(PipelineTest, EverySurfaceFollowsEveryEngineAndReload) {
  const v1::Policy base = TheEngine().policy();
  v1::Policy later = base;
  later.set_version("2099-01-01");
  auto a = Engine::Create(PolicySource::Message(base));
  auto b = Engine::Create(PolicySource::Message(later));
  ASSERT_TRUE(a.ok() && b.ok());
  const auto all = [](const std::string& version) {
    return std::vector<std::string>(5, version);
  };
  EXPECT_EQ(Versions(**a), all(base.version()));
  EXPECT_EQ(Versions(**b), all("2099-01-01"));
  EXPECT_EQ(Versions(**a), all(base.version()));
  ASSERT_THAT((*a)->Reload(PolicySource::Message(later)), IsOk());
  EXPECT_EQ(Versions(**a), all("2099-01-01"));
  ASSERT_THAT((*a)->Reload(PolicySource::Message(base)), IsOk());
  EXPECT_EQ(Versions(**a), all(base.version()));
  a->reset();
  auto c = Engine::Create(PolicySource::Message(later));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Versions(**c), all("2099-01-01"));
}

}  // namespace
}  // namespace pip
