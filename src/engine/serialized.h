// The direct wire paths of the engine's serialized entry points.
#ifndef PIP_SRC_ENGINE_SERIALIZED_H_
#define PIP_SRC_ENGINE_SERIALIZED_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "src/codec/json.h"
#include "src/codec/proto_bytes.h"
#include "src/render/render.h"

namespace pip {
namespace engine_internal {

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
