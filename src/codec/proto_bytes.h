// The size check every bytes entry point makes before reading a request
// (pip/encoded.h, the C API's pip_*_pb, batches). Internal to pip.
#ifndef PIP_SRC_CODEC_PROTO_BYTES_H_
#define PIP_SRC_CODEC_PROTO_BYTES_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pip {
namespace engine_internal {

// InvalidArgument naming `name` and `limit_name` (pip/limits.h) when `bytes`
// is longer than `limit`.
absl::Status CheckSize(absl::string_view bytes, const char* name, size_t limit,
                       const char* limit_name);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_CODEC_PROTO_BYTES_H_
