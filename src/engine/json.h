// Reading and printing pip.v1 messages as JSON, the one way every JSON
// surface does it (`pipctl eval`, Engine::EvaluateJson, the C API). Internal
// to pip.
#ifndef PIP_SRC_ENGINE_JSON_H_
#define PIP_SRC_ENGINE_JSON_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "pip/v1/decision.pb.h"
#include "src/policy/compiled_policy.h"

namespace pip {
namespace engine_internal {

using policy_internal::CompiledPolicy;

// Parses `json` (proto3 JSON mapping) into `message`. Unknown fields are
// errors. Returns InvalidArgumentError for malformed JSON, unknown fields,
// wrong types, a key given twice in one object (json_codec.h) or input over
// kMaxJsonRequestBytes (pip/limits.h).
absl::Status ParseJsonRequest(absl::string_view json,
                              google::protobuf::Message* message);

// The room reserved for a JSON answer: one allocation for a usual one (a
// few reasons with their messages).
inline constexpr size_t kTypicalAnswerBytes = 1024;

// Prints `message` as pip's answers are printed: one line, proto field
// names, enum names, every field present (defaults included).
absl::StatusOr<std::string> PrintJsonAnswer(
    const google::protobuf::Message& message);

// One JSON line (no newline) holding an EvalResponse whose error is
// `status`, as every JSON surface answers what it cannot evaluate. Bytes of
// the message that are not UTF-8 become U+FFFD, so the line is always valid
// JSON.
std::string JsonErrorLine(const absl::Status& status);

// A decision in JSON straight from the evaluator, without building the
// decision message: when `request` resolves, appends the decision object,
// byte for byte what PrintJsonAnswer() prints of the message path's
// decision, to `*out` and returns true. Otherwise returns false and leaves
// `*out` as it was; the caller takes the message path, which words every
// error. Records nothing: the caller must not take this path with an audit
// sink attached. Thread-compatible.
bool PurposeAllowedJsonDirect(const CompiledPolicy& policy,
                              const v1::PurposeAllowedRequest& request,
                              std::string* out);
bool ConsentCheckJsonDirect(const CompiledPolicy& policy,
                            const v1::ConsentCheckRequest& request,
                            std::string* out);
bool RetentionDueJsonDirect(const CompiledPolicy& policy,
                            const v1::RetentionDueRequest& request,
                            std::string* out);
bool RequestValidateJsonDirect(const CompiledPolicy& policy,
                               const v1::RequestValidateRequest& request,
                               std::string* out);

// The same for an EvalRequest: appends the one-line EvalResponse when
// `request` holds a request of any of the four functions that resolves;
// false when it holds none or it does not resolve.
bool EvaluateJsonDirect(const CompiledPolicy& policy,
                        const v1::EvalRequest& request, std::string* out);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_JSON_H_
