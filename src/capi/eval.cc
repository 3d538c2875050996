// The C API's evaluations (include/pip/pip.h): each function of the engine
// in serialized protobuf and in JSON, the EvalRequest oneof, and batches.
#include <climits>
#include <cstdlib>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/pip.h"
#include "pip/v1/decision.pb.h"
#include "src/capi/call.h"
#include "src/internal/status_macros.h"

namespace pip {
namespace capi_internal {
namespace {

// Copies `bytes` into a buffer for pip_free(), as CopyString() does.
absl::Status CopyBytes(absl::string_view bytes, uint8_t** out,
                       size_t* out_len) {
  char* buffer;
  PIP_RETURN_IF_ERROR(CopyString(bytes, &buffer, out_len));
  *out = reinterpret_cast<uint8_t*>(buffer);
  return absl::OkStatus();
}

// Clears the outputs of an entry point; either pointer may be null.
template <typename T>
void ClearOutputs(T** out, size_t* out_len) {
  if (out != nullptr) *out = nullptr;
  if (out_len != nullptr) *out_len = 0;
}

// Checks the arguments every evaluation takes and views the request.
// `out_len` is checked by the entry points that require it.
absl::Status CheckEvalArguments(const void* out, const pip_engine* engine,
                                const void* request, size_t request_len,
                                absl::string_view* view,
                                const char* request_name = "request") {
  PIP_RETURN_IF_ERROR(RequireNonNull(out, "out"));
  PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
  return InputView(request, request_len, request_name, view);
}

constexpr size_t kKeptDecisionBytes = 64 * 1024;

// The body of pip_<function>_pb: pip::DecidePb into a per-thread buffer
// that keeps its capacity, then one copy for the caller.
pip_status DecideBinary(const char* name, Function function, uint8_t** out,
                        size_t* out_len, const pip_engine* engine,
                        const uint8_t* request, size_t request_len,
                        pip_error** error) {
  ClearOutputs(out, out_len);
  return Run(name, error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    // A scratch buffer that keeps its capacity from call to call.
    thread_local std::string decision;
    decision.clear();
    PIP_RETURN_IF_ERROR(DecidePb(*engine->engine, function, view, &decision));
    const absl::Status copied = CopyBytes(decision, out, out_len);
    // Keep a typical decision's room, not the largest one ever answered.
    if (decision.capacity() > kKeptDecisionBytes) std::string().swap(decision);
    return copied;
  });
}

// The body of pip_<function>_json: pip::DecideJson. out_len is optional.
pip_status DecideText(const char* name, Function function, char** out,
                      size_t* out_len, const pip_engine* engine,
                      const char* request, size_t request_len,
                      pip_error** error) {
  ClearOutputs(out, out_len);
  return Run(name, error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    std::string decision;
    PIP_RETURN_IF_ERROR(
        DecideJson(*engine->engine, function, view, &decision));
    return CopyString(decision, out, out_len);
  });
}

}  // namespace
}  // namespace capi_internal
}  // namespace pip

using pip::Function;
using pip::kMaxBatchBytes;
using pip::capi_internal::CheckEvalArguments;
using pip::capi_internal::ClearOutputs;
using pip::capi_internal::CopyBytes;
using pip::capi_internal::CopyString;
using pip::capi_internal::DecideBinary;
using pip::capi_internal::DecideText;
using pip::capi_internal::RequireNonNull;
using pip::capi_internal::Run;

extern "C" {

// pip_<name>_pb and pip_<name>_json for each function of pip/functions.def.
#define PIP_FUNCTION(Name, name, number)                                       \
  pip_status pip_##name##_pb(uint8_t** out, size_t* out_len,                   \
                             const pip_engine* engine, const uint8_t* request, \
                             size_t request_len, pip_error** error) {          \
    return DecideBinary("pip_" #name "_pb", Function::k##Name, out, out_len,   \
                        engine, request, request_len, error);                  \
  }                                                                            \
  pip_status pip_##name##_json(char** out, size_t* out_len,                    \
                               const pip_engine* engine, const char* request,  \
                               size_t request_len, pip_error** error) {        \
    return DecideText("pip_" #name "_json", Function::k##Name, out, out_len,   \
                      engine, request, request_len, error);                    \
  }
#include "pip/functions.def"
#undef PIP_FUNCTION

pip_status pip_eval_pb(uint8_t** out, size_t* out_len, const pip_engine* engine,
                       const uint8_t* request, size_t request_len,
                       pip_error** error) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_pb", error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    return CopyBytes(pip::EvaluatePb(*engine->engine, view), out, out_len);
  });
}

pip_status pip_eval_json(char** out, size_t* out_len, const pip_engine* engine,
                         const char* request, size_t request_len,
                         pip_error** error) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_json", error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    return CopyString(pip::EvaluateJson(*engine->engine, view), out, out_len);
  });
}

pip_status pip_eval_batch_json(char** out, size_t* out_len, size_t* count,
                               const pip_engine* engine, const char* requests,
                               size_t requests_len, pip_error** error) {
  ClearOutputs(out, out_len);
  if (count != nullptr) *count = 0;
  return Run("pip_eval_batch_json", error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, requests, requests_len, &view,
                           "requests"));
    std::string answers;
    size_t answered = 0;
    PIP_RETURN_IF_ERROR(
        pip::EvaluateJsonLines(*engine->engine, view, &answers, &answered));
    PIP_RETURN_IF_ERROR(CopyString(answers, out, out_len));
    if (count != nullptr) *count = answered;
    return absl::OkStatus();
  });
}

pip_status pip_eval_batch_pb(uint8_t** out, size_t* out_len,
                             const pip_engine* engine, const uint8_t* requests,
                             size_t requests_len, pip_error** error) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_batch_pb", error, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, requests, requests_len, &view,
                           "requests"));
    std::string responses;
    PIP_RETURN_IF_ERROR(
        pip::EvaluateBatchPb(*engine->engine, view, &responses));
    return CopyBytes(responses, out, out_len);
  });
}

}  // extern "C"
