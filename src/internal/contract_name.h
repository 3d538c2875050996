// The names of the pip.v1 messages as the contract spells them, whichever
// protobuf package this copy of pip was compiled against. Internal to pip.
//
// libpip_c.so carries its own copy of pip whose messages are generated
// under another package (PIP_PRIVATE_PROTO_PACKAGE, "pip_c": see "The C
// API" in CMakeLists.txt and cmake/capi_proto_package.cmake), so that they
// do not collide with libpip.a's in one process. Its messages to people
// still say "pip.v1.Consent", as every other surface does.
#ifndef PIP_SRC_INTERNAL_CONTRACT_NAME_H_
#define PIP_SRC_INTERNAL_CONTRACT_NAME_H_

#include <string>

#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace pip {
namespace internal {

// `text` (a full name such as "pip_c.v1.Consent.id", or a message of
// protobuf's that contains some) with the private package's prefix
// written as "pip.v1.". Without a private package, `text` itself.
inline std::string ContractName(absl::string_view text) {
#ifdef PIP_PRIVATE_PROTO_PACKAGE
  return absl::StrReplaceAll(text,
                             {{PIP_PRIVATE_PROTO_PACKAGE ".v1.", "pip.v1."}});
#else
  return std::string(text);
#endif
}

}  // namespace internal
}  // namespace pip

#endif  // PIP_SRC_INTERNAL_CONTRACT_NAME_H_
