// Reading and printing pip.v1 messages as JSON, the one way every JSON
// surface does it (`pipctl eval`, the engine's JSON entry points, the C
// API), and the error answer every surface gives. Internal to pip.
#ifndef PIP_SRC_CODEC_JSON_H_
#define PIP_SRC_CODEC_JSON_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace engine_internal {

// Parses `json` (proto3 JSON mapping) into `message`. Unknown fields are
// errors. Returns InvalidArgumentError for malformed JSON, unknown fields,
// wrong types, a key given twice in one object (json_codec.h) or input over
// kMaxJsonRequestBytes (pip/limits.h).
absl::Status ParseJsonRequest(absl::string_view json,
                              google::protobuf::Message* message);

// The same, appending the request's serialized bytes to `*wire` rather than
// building a message of type `descriptor` (json_codec.h ParseJsonToWire):
// how the pipeline reads a JSON request. On error nothing is appended.
absl::Status ParseJsonRequestToWire(
    absl::string_view json, const google::protobuf::Descriptor* descriptor,
    std::string* wire);

// The room reserved for a JSON answer: one allocation for a usual one (a
// few reasons with their messages).
inline constexpr size_t kTypicalAnswerBytes = 1024;

// Prints `message` on one line: proto field names, enum names, every field
// present (defaults included). Decisions are printed by their layouts
// (src/render/encoder.h), which leave out the ids a reason is not about;
// this prints other messages the same way.
absl::StatusOr<std::string> PrintJsonAnswer(
    const google::protobuf::Message& message);

// An EvalResponse holding `status` as its error (code name and message):
// what every surface answers for a request it cannot evaluate.
v1::EvalResponse ErrorResponse(const absl::Status& status);

// One JSON line (no newline) holding an EvalResponse whose error is
// `status`, as every JSON surface answers what it cannot evaluate. Bytes of
// the message that are not UTF-8 become U+FFFD, so the line is always valid
// JSON.
std::string JsonErrorLine(const absl::Status& status);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_JSON_H_
