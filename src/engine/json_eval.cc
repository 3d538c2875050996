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
#include "src/codec/json.h"
#include "src/engine/json_direct.h"
#include "src/codec/json_codec.h"
#include "src/render/render.h"
#include "src/codec/request_arena.h"
#include "src/engine/running_policy.h"
#include "src/internal/status_macros.h"

namespace pip {

v1::EvalResponse ErrorResponse(const absl::Status& status) {
  return engine_internal::ErrorResponse(status);
}

std::string ErrorJson(const absl::Status& status) {
  return engine_internal::JsonErrorLine(status);
}

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
