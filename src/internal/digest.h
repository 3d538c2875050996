// Hashing helpers shared by the policy compiler (content hash) and the
// decision log (request digests, chains). Internal to pip.
#ifndef PIP_SRC_INTERNAL_DIGEST_H_
#define PIP_SRC_INTERNAL_DIGEST_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message_lite.h"

namespace pip {
namespace internal {

// The message's deterministic serialization (fields in number order, the
// same bytes for the same content within one protobuf version).
std::string DeterministicBytes(const google::protobuf::MessageLite& message);

// Lowercase hex SHA-256 of `bytes`.
std::string Sha256Hex(absl::string_view bytes);

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_DIGEST_H_
