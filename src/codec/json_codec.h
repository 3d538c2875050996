// A strict, descriptor-driven JSON codec for pip.v1 messages: the code under
// src/engine/json.h. Internal to pip.
//
// The parser reads the bytes once, straight into the message through
// reflection, walking the message's descriptor. It follows the proto3 JSON
// mapping where that mapping is exact and refuses its lenient corners, so
// that what a caller wrote is evaluated as written or refused (DESIGN.md
// principle 4, fail closed):
//
//   - The text is RFC 8259 JSON: one object, whitespace of space, tab, LF and
//     CR only, no trailing commas, no single quotes, no comments, nothing
//     after the object. Strings are valid UTF-8 with no raw control
//     character; \uXXXX escapes must pair surrogates. "\u0000" is read as a
//     NUL byte and left to the request's text checks (pip/engine.h).
//   - Keys are a field's proto name ("subject_id") or its JSON name
//     ("subjectId"). An unknown key is an error; so is a field given twice in
//     one object, also once by each name, and two members of one oneof.
//   - bool: only true or false. string: only a JSON string. Repeated fields:
//     only a JSON array. Message fields: only a JSON object. (protobuf's
//     parser also takes "yes", "true" or "no" for a bool and a bare value for
//     a list; a context flag of clause 2.5 or 4.3 read from the string "no"
//     would flip a deny into an allow.)
//   - int32, uint32: a JSON number with no fraction and no exponent, in
//     range. int64, uint64: the same, or that number written as a JSON string
//     (proto3 JSON prints 64-bit integers quoted).
//   - enum: the value's name, or the number of a declared value.
//   - null anywhere a field's value goes means the field is absent; null is
//     refused inside an array.
//   - google.protobuf.Timestamp: the RFC 3339 form protobuf accepts,
//     "YYYY-MM-DDTHH:MM:SS[.1 to 9 digits](Z|+HH:MM|-HH:MM)", years 0001 to
//     9999 after the offset is applied. pip's own year limits (pip/limits.h)
//     are checked later, when the request is resolved.
//   - Objects and arrays nest at most kMaxJsonDepth deep (pip/limits.h).
//
// Other field kinds (float, double, bytes, maps, other well-known types) are
// not used by pip.v1 requests and answers and are reported as unsupported.
//
// The printer prints what protobuf's MessageToJsonString prints with
// preserve_proto_field_names, with or without always_print_primitive_fields
// (JsonFields), byte for byte (json_codec_test.cc checks it against
// protobuf).
#ifndef PIP_SRC_CODEC_JSON_CODEC_H_
#define PIP_SRC_CODEC_JSON_CODEC_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace pip {
namespace engine_internal {

// Parses the JSON object `json` into `message`, which should be empty (fields
// already set are merged into). Returns InvalidArgumentError naming where the
// input is wrong: "(purpose_allowed.context.anonymized): expected true or
// false, got a string", or "duplicate key 'purpose' in purpose_allowed; a
// field may appear once". On error `message` may hold part of the input and
// must not be used. The input size is not limited here (json.h does it).
// Thread-compatible: concurrent calls on distinct messages are safe.
absl::Status ParseJsonMessage(absl::string_view json,
                              google::protobuf::Message* message);

// Parses `json` as a message of type `descriptor`, as ParseJsonMessage
// would, and appends the message's serialized bytes to `*wire` instead of
// building it: the same input is accepted and refused with the same errors,
// and protobuf's parser reads the bytes to the message ParseJsonMessage
// would have built. The fields are in the order of the JSON, repeated
// scalars one tag a value (not packed), singular fields without presence
// left out at their default value. On error nothing is appended.
// Thread-compatible.
absl::Status ParseJsonToWire(absl::string_view json,
                             const google::protobuf::Descriptor* descriptor,
                             std::string* wire);

// Which fields AppendJsonMessage() prints.
enum class JsonFields {
  // Every singular non-message field (defaults included), every repeated
  // field ([] when empty), message fields when set: protobuf's printer with
  // always_print_primitive_fields, as pip prints its answers.
  kAll,
  // Only the fields that are set (a proto3 scalar that is not its default, a
  // repeated field that is not empty, a message or oneof member present):
  // protobuf's printer without it, as pip's audit log is written.
  kSet,
};

// Appends `message` as one line of JSON to `*out`: proto field names, enum
// names, the fields `fields` selects, in the order protobuf prints them.
// Returns InternalError, with `*out` holding part of the line, for a message
// it cannot print: a string that is not valid UTF-8, a Timestamp out of
// range, a field kind not listed above. Thread-compatible.
absl::Status AppendJsonMessage(const google::protobuf::Message& message,
                               std::string* out,
                               JsonFields fields = JsonFields::kAll);

// Appends `text` as the inside of a JSON string (without the quotes),
// escaped as protobuf's JSON printer escapes it, so that a string printed in
// pieces reads as one printed whole. Returns false, with part of `text`
// appended, when `text` is not valid UTF-8. Thread-compatible.
bool AppendJsonStringBody(absl::string_view text, std::string* out);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_JSON_CODEC_H_
