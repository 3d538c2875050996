// A strict check the proto3 JSON parser does not make: each member of an
// object appears once. protobuf's parser lets the last of two equal keys win,
// so {"purpose": "billing", ..., "purpose": "direct_mail"} would be read as
// whichever came last, and a reviewer reading the line could see another
// request than the one evaluated.
#ifndef PIP_SRC_ENGINE_JSON_KEYS_H_
#define PIP_SRC_ENGINE_JSON_KEYS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pip {
namespace engine_internal {

// Returns InvalidArgument naming the key and where it is ("duplicate key
// 'purpose' in purpose_allowed") when an object of `json` holds two keys
// that name the same protobuf field: equal after unescaping, or the same
// field spelled once by its proto name and once by its JSON (lowerCamel)
// name ("subject_id" and "subjectId"). Any other input is OK: the check
// is meant to run on text the JSON parser accepted, and never reads past
// `json` nor recurses, whatever the input.
absl::Status CheckUniqueJsonKeys(absl::string_view json);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_JSON_KEYS_H_
