#include "src/codec/proto_bytes.h"

#include <string>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "pip/limits.h"

namespace pip {
namespace engine_internal {

absl::Status CheckSize(absl::string_view bytes, const char* name, size_t limit,
                       const char* limit_name) {
  if (ABSL_PREDICT_TRUE(bytes.size() <= limit)) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      name, " is ", bytes.size(), " bytes; the limit is ", limit, " (",
      limit_name, ")"));
}

}  // namespace engine_internal
}  // namespace pip
