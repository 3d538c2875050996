// The JSON surface: one pip.v1.EvalRequest in, one pip.v1.EvalResponse out,
// in the proto3 JSON mapping with proto field names. Shared by `pipctl eval`
// and the C API's JSON entry points.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "google/protobuf/stubs/common.h"
#include "google/protobuf/util/json_util.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "src/engine/json.h"
#include "src/engine/json_codec.h"
#include "src/engine/render.h"
#include "src/engine/request_arena.h"
#include "src/engine/running_policy.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace {

// The JSON parser quotes the offending input in its messages; input that is
// not UTF-8 must not make the error itself invalid UTF-8 (and so invalid
// JSON, or a string protobuf refuses to serialize). Replaces each byte that
// does not begin a well-formed sequence (overlong forms and surrogates
// included) with U+FFFD.
std::string ValidUtf8(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    const size_t valid = static_cast<size_t>(
        google::protobuf::internal::UTF8SpnStructurallyValid(
            google::protobuf::StringPiece(in.data(), in.size())));
    out.append(in.data(), valid);
    in.remove_prefix(valid);
    if (in.empty()) break;
    out.append("\xEF\xBF\xBD");
    in.remove_prefix(1);
  }
  return out;
}

}  // namespace

namespace engine_internal {

std::string JsonErrorLine(const absl::Status& status) {
  v1::EvalResponse response = engine_internal::ErrorResponse(status);
  response.mutable_error()->set_message(ValidUtf8(status.message()));
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(response, &out, options)
           .ok()) {
    // A message with two plain strings always prints; keep a line anyway.
    return R"({"error":{"code":"INTERNAL","message":"cannot print error"}})";
  }
  return out;
}

absl::Status ParseJsonRequest(absl::string_view json,
                              google::protobuf::Message* message) {
  if (json.size() > kMaxJsonRequestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("request is ", json.size(), " bytes; the limit is ",
                     kMaxJsonRequestBytes, " (kMaxJsonRequestBytes)"));
  }
  const absl::Status parsed = ParseJsonMessage(json, message);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid JSON request: ",
        ValidUtf8(absl::string_view(parsed.message().data(),
                                    parsed.message().size()))));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> PrintJsonAnswer(
    const google::protobuf::Message& message) {
  std::string out;
  out.reserve(kTypicalAnswerBytes);
  const absl::Status printed = AppendJsonMessage(message, &out);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the decision: ", printed.message()));
  }
  return out;
}

}  // namespace engine_internal

absl::StatusOr<v1::EvalRequest> ParseEvalRequestJson(absl::string_view json) {
  v1::EvalRequest request;
  const absl::Status parsed = engine_internal::ParseJsonRequest(json, &request);
  if (!parsed.ok()) return parsed;
  return request;
}

std::string Engine::EvaluateJson(absl::string_view json_line) const {
  return OnRunningPolicy(
      [&](const policy_internal::CompiledPolicy& policy, AuditSink* sink) {
        return EvaluateJsonOn(policy, sink, json_line);
      });
}

std::vector<std::string> Engine::EvaluateJsonBatch(
    absl::Span<const absl::string_view> lines) const {
  return OnRunningPolicy(
      [&](const policy_internal::CompiledPolicy& policy, AuditSink* sink) {
        std::vector<std::string> answers;
        answers.reserve(lines.size());
        for (absl::string_view line : lines) {
          answers.push_back(EvaluateJsonOn(policy, sink, line));
        }
        return answers;
      });
}

std::string Engine::EvaluateJsonOn(
    const policy_internal::CompiledPolicy& policy, AuditSink* sink,
    absl::string_view json_line) const {
  engine_internal::RequestArena arena;
  v1::EvalRequest& request = *arena.Create<v1::EvalRequest>();
  const absl::Status parsed =
      engine_internal::ParseJsonRequest(json_line, &request);
  if (!parsed.ok()) return engine_internal::JsonErrorLine(parsed);
  if (sink == nullptr) {
    std::string answer;
    answer.reserve(engine_internal::kTypicalAnswerBytes);
    if (engine_internal::EvaluateJsonDirect(policy, request, &answer)) {
      return answer;
    }
  }
  absl::StatusOr<std::string> out =
      engine_internal::PrintJsonAnswer(EvaluateOn(policy, sink, request));
  if (!out.ok()) return engine_internal::JsonErrorLine(out.status());
  return *std::move(out);
}

template <typename Request, typename Decision>
absl::Status Engine::DecideJson(
    bool (*direct)(const policy_internal::CompiledPolicy&, const Request&,
                   std::string*),
    absl::StatusOr<Decision> (Engine::*method)(
        const policy_internal::CompiledPolicy&, AuditSink*, const Request&)
        const,
    absl::string_view request, std::string* decision) const {
  engine_internal::RequestArena arena;
  Request& parsed = *arena.Create<Request>();
  PIP_RETURN_IF_ERROR(engine_internal::ParseJsonRequest(request, &parsed));
  return OnRunningPolicy([&](const policy_internal::CompiledPolicy& policy,
                             AuditSink* sink) -> absl::Status {
    if (ABSL_PREDICT_TRUE(sink == nullptr) && direct != nullptr) {
      std::string answer;
      answer.reserve(engine_internal::kTypicalAnswerBytes);
      if (direct(policy, parsed, &answer)) {
        *decision = std::move(answer);
        return absl::OkStatus();
      }
    }
    PIP_ASSIGN_OR_RETURN(const Decision d,
                         (this->*method)(policy, sink, parsed));
    PIP_ASSIGN_OR_RETURN(*decision, engine_internal::PrintJsonAnswer(d));
    return absl::OkStatus();
  });
}

absl::Status Engine::PurposeAllowedJson(absl::string_view request,
                                        std::string* decision) const {
  return DecideJson(&engine_internal::PurposeAllowedJsonDirect,
                    &Engine::PurposeAllowedOn, request, decision);
}

absl::Status Engine::ConsentCheckJson(absl::string_view request,
                                      std::string* decision) const {
  return DecideJson(&engine_internal::ConsentCheckJsonDirect,
                    &Engine::ConsentCheckOn, request, decision);
}

absl::Status Engine::RetentionDueJson(absl::string_view request,
                                      std::string* decision) const {
  return DecideJson(&engine_internal::RetentionDueJsonDirect,
                    &Engine::RetentionDueOn, request, decision);
}

absl::Status Engine::RequestValidateJson(absl::string_view request,
                                         std::string* decision) const {
  return DecideJson(&engine_internal::RequestValidateJsonDirect,
                    &Engine::RequestValidateOn, request, decision);
}

}  // namespace pip
