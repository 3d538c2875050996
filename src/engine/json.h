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

namespace pip {
namespace engine_internal {

// Parses `json` (proto3 JSON mapping) into `message`. Unknown fields are
// errors. Returns InvalidArgumentError for malformed JSON, unknown fields,
// wrong types, a key given twice in one object (json_codec.h) or input over
// kMaxJsonRequestBytes (pip/limits.h).
absl::Status ParseJsonRequest(absl::string_view json,
                              google::protobuf::Message* message);

// Prints `message` as pip's answers are printed: one line, proto field
// names, enum names, every field present (defaults included).
absl::StatusOr<std::string> PrintJsonAnswer(
    const google::protobuf::Message& message);

// One JSON line (no newline) holding an EvalResponse whose error is
// `status`, as every JSON surface answers what it cannot evaluate. Bytes of
// the message that are not UTF-8 become U+FFFD, so the line is always valid
// JSON.
std::string JsonErrorLine(const absl::Status& status);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_JSON_H_
