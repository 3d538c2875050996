#include "src/codec/proto_bytes.h"

#include <string>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "pip/limits.h"
#include "pip/version.h"
#include "src/internal/message_checks.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace engine_internal {

absl::Status CheckSize(absl::string_view bytes, const char* name, size_t limit,
                       const char* limit_name) {
  if (ABSL_PREDICT_TRUE(bytes.size() <= limit)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      name, " is ", bytes.size(), " bytes; the limit is ", limit, " (",
      limit_name, ")"));
}

absl::Status ParseBytes(absl::string_view bytes, const char* name,
                        google::protobuf::Message* message) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        name, " is not a serialized ", message->GetTypeName(), " (",
        bytes.size(), " bytes, truncated or corrupt)"));
  }
  return absl::OkStatus();
}

absl::Status RejectUnknownFields(const google::protobuf::Message& message) {
  const std::string unknown = internal::FirstUnknownField(message);
  if (unknown.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "request holds a field unknown to ", message.GetTypeName(), " (",
      unknown, "); pip ", PIP_VERSION_STRING, " does not evaluate it"));
}

absl::Status ParseRequest(absl::string_view bytes,
                          google::protobuf::Message* message) {
  PIP_RETURN_IF_ERROR(CheckSize(bytes, "request", kMaxProtoRequestBytes,
                                "kMaxProtoRequestBytes"));
  PIP_RETURN_IF_ERROR(ParseBytes(bytes, "request", message));
  return RejectUnknownFields(*message);
}

}  // namespace engine_internal
}  // namespace pip
