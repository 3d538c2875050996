// Serialized protobuf requests and decisions: the checks every binary
// surface makes before evaluating (the engine's *Serialized functions, the
// C API's pip_*_pb), and the direct wire paths behind them.
#ifndef PIP_SRC_ENGINE_SERIALIZED_H_
#define PIP_SRC_ENGINE_SERIALIZED_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "src/engine/render.h"

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

// purpose_allowed straight from the wire, without messages: when `request`
// is a plain encoding of a valid request (ReadWire(), wire_request.h),
// replaces `*decision` with the serialized pip.v1.PurposeAllowedDecision,
// byte for byte what the message path gives, and returns true. Otherwise
// returns false and leaves `*decision` alone; the caller then takes the
// message path, which decides or words the error.
bool PurposeAllowedDirect(const CompiledPolicy& policy,
                          absl::string_view request, std::string* decision);
// The same for consent_check, retention_due and request_validate.
bool ConsentCheckDirect(const CompiledPolicy& policy,
                        absl::string_view request, std::string* decision);
bool RetentionDueDirect(const CompiledPolicy& policy,
                        absl::string_view request, std::string* decision);
bool RequestValidateDirect(const CompiledPolicy& policy,
                           absl::string_view request, std::string* decision);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_SERIALIZED_H_
