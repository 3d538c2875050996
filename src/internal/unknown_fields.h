// Finding fields a message holds that this version of the schema does not
// know. Internal to pip.
#ifndef PIP_SRC_INTERNAL_UNKNOWN_FIELDS_H_
#define PIP_SRC_INTERNAL_UNKNOWN_FIELDS_H_

#include <string>

#include "google/protobuf/message.h"

namespace pip {
namespace internal {

// The path of the first field of `message` (or of a message inside it) that
// this version of the schema does not know ("rules[2].<field number 9>"), or
// "" when there is none. Bytes from a newer schema parse with such fields
// kept aside; pip refuses them rather than ignore them, since a field it
// does not evaluate may be a restriction.
std::string FirstUnknownField(const google::protobuf::Message& message,
                              const std::string& path = "");

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_UNKNOWN_FIELDS_H_
