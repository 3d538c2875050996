// Serialized protobuf requests: the checks every binary surface makes
// before evaluating (the engine's serialized entry points, the C API's
// pip_*_pb, batches). Internal to pip.
#ifndef PIP_SRC_CODEC_PROTO_BYTES_H_
#define PIP_SRC_CODEC_PROTO_BYTES_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace pip {
namespace engine_internal {

// InvalidArgument naming `name` and `limit_name` (pip/limits.h) when `bytes`
// is longer than `limit`.
absl::Status CheckSize(absl::string_view bytes, const char* name, size_t limit,
                       const char* limit_name);

// Parses serialized bytes into `message`; `name` names the argument in the
// error for corrupt or truncated bytes. The caller has checked the size
// against a limit of pip/limits.h, all of which are below INT_MAX.
absl::Status ParseBytes(absl::string_view bytes, const char* name,
                        google::protobuf::Message* message);

// InvalidArgument when `message` holds a field this version of pip does not
// know: a field a newer caller relies on (a restriction, a hold) must never
// be dropped silently.
absl::Status RejectUnknownFields(const google::protobuf::Message& message);

// A serialized request: refuses more than kMaxProtoRequestBytes, corrupt or
// truncated bytes and unknown fields.
absl::Status ParseRequest(absl::string_view bytes,
                          google::protobuf::Message* message);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_PROTO_BYTES_H_
