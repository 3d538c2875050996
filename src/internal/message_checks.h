// Checks of a whole message that protobuf's parsers do not make on every
// path: fields this version of the schema does not know, strings a policy
// may not hold (not UTF-8, which the text-format parser accepts; control or
// bidirectional characters; too long), and lists too long. Internal to pip.
#ifndef PIP_SRC_INTERNAL_MESSAGE_CHECKS_H_
#define PIP_SRC_INTERNAL_MESSAGE_CHECKS_H_

#include <string>

#include "absl/base/optimization.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/stubs/common.h"

namespace pip {
namespace internal {

// Whether `text` is valid UTF-8 as protobuf judges it (no overlong forms or
// surrogates). Plain ASCII, which ids nearly always are, is decided in one
// pass without protobuf's validator.
inline bool IsUtf8(absl::string_view text) {
  for (unsigned char c : text) {
    if (ABSL_PREDICT_FALSE(c >= 0x80)) {
      return google::protobuf::internal::IsStructurallyValidUTF8(
          text.data(), static_cast<int>(text.size()));
    }
  }
  return true;
}

// The path of the first field of `message` (or of a message inside it) that
// this version of the schema does not know ("rules[2].<field number 9>"), or
// "" when there is none. Bytes from a newer schema parse with such fields
// kept aside; pip refuses them rather than ignore them, since a field it
// does not evaluate may be a restriction.
std::string FirstUnknownField(const google::protobuf::Message& message,
                              const std::string& path = "");

// The path of the first string field of `message` (or of a message inside
// it) that a policy may not hold, with what is wrong in `*problem`: not
// UTF-8, longer than `max_bytes`, or holding a control character (C0 other
// than tab and line feed, DEL, C1) or a bidirectional formatting character
// (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which would make
// a label or a clause read differently on screen than it is. "" when there
// is none.
std::string FirstUnscreenedString(const google::protobuf::Message& message,
                                  size_t max_bytes, std::string* problem);

// The path of the first repeated field of `message` (or of a message
// inside it) with more than `limit` entries, its size in `*size`; "" when
// there is none.
std::string FirstOversizedList(const google::protobuf::Message& message,
                               int limit, int* size);

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_MESSAGE_CHECKS_H_
