// The batch entry points of pip/encoded.h with their output limit as a
// parameter, so that tests reach the limit without a quarter of a gigabyte
// of answers. Internal to pip.
#ifndef PIP_SRC_ENGINE_BATCH_H_
#define PIP_SRC_ENGINE_BATCH_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "pip/engine.h"

namespace pip {
namespace engine_internal {

// pip::EvaluateJsonLines with `max_output_bytes` for kMaxBatchOutputBytes.
absl::Status EvaluateJsonLinesWithin(const Engine& engine,
                                     absl::string_view lines,
                                     std::string* answers, size_t* count,
                                     size_t max_output_bytes);

// pip::EvaluateBatchPb with `max_output_bytes` for kMaxBatchOutputBytes.
absl::Status EvaluateBatchPbWithin(const Engine& engine,
                                   absl::string_view requests,
                                   std::string* responses,
                                   size_t max_output_bytes);

}  // namespace engine_internal
}  // namespace pip

#endif  // PIP_SRC_ENGINE_BATCH_H_
