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
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/pip.h"
#include "pip/v1/decision.pb.h"
#include "src/capi/call.h"
#include "src/codec/json.h"
#include "src/engine/json_direct.h"
#include "src/engine/serialized.h"
#include "src/internal/status_macros.h"
#include "google/protobuf/unknown_field_set.h"

namespace pip {
namespace capi_internal {
namespace {

// Serializes `message` straight into a buffer for pip_free(), without an
// intermediate std::string.
absl::Status SerializeTo(const google::protobuf::Message& message,
                         uint8_t** out, size_t* out_len) {
  const size_t size = message.ByteSizeLong();
  if (size > static_cast<size_t>(INT_MAX)) {
    return absl::InternalError(
        absl::StrCat("cannot serialize ", message.GetTypeName(), " of ", size,
                     " bytes"));
  }
  // One byte more, so that an empty message still gets a non-null buffer.
  auto* buffer = static_cast<uint8_t*>(std::malloc(size + 1));
  if (buffer == nullptr) throw std::bad_alloc();
  message.SerializeWithCachedSizesToArray(buffer);
  *out = buffer;
  *out_len = size;
  return absl::OkStatus();
}

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

// The body of pip_<function>_pb: the engine's *Serialized function, into a
// per-thread buffer that keeps its capacity, then one copy for the caller.
using SerializedMethod = absl::Status (Engine::*)(absl::string_view,
                                                  std::string*) const;
pip_status DecideBinary(const char* function, SerializedMethod method,
                        uint8_t** out, size_t* out_len,
                        const pip_engine* engine, const uint8_t* request,
                        size_t request_len) {
  ClearOutputs(out, out_len);
  return Run(function, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    thread_local std::string decision;
    PIP_RETURN_IF_ERROR((*engine->engine.*method)(view, &decision));
    const absl::Status copied = CopyBytes(decision, out, out_len);
    // Keep a typical decision's room, not the largest one ever answered.
    if (decision.capacity() > kKeptDecisionBytes) std::string().swap(decision);
    return copied;
  });
}

// The body of pip_<function>_json: the engine's *Json function. out_len is
// optional.
using JsonMethod = absl::Status (Engine::*)(absl::string_view,
                                            std::string*) const;
pip_status DecideJson(const char* function, JsonMethod method, char** out,
                      size_t* out_len, const pip_engine* engine,
                      const char* request, size_t request_len) {
  ClearOutputs(out, out_len);
  return Run(function, [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    std::string decision;
    PIP_RETURN_IF_ERROR((*engine->engine.*method)(view, &decision));
    return CopyString(decision, out, out_len);
  });
}

}  // namespace
}  // namespace capi_internal
}  // namespace pip

using pip::Engine;
using pip::kMaxBatchBytes;
using pip::capi_internal::CheckEvalArguments;
using pip::engine_internal::CheckSize;
using pip::capi_internal::ClearOutputs;
using pip::capi_internal::CopyBytes;
using pip::capi_internal::CopyString;
using pip::capi_internal::DecideBinary;
using pip::capi_internal::DecideJson;
using pip::engine_internal::ParseBytes;
using pip::capi_internal::RequireNonNull;
using pip::capi_internal::Run;
using pip::capi_internal::SerializeTo;
namespace v1 = pip::v1;

extern "C" {

// pip_<function>_pb and pip_<function>_json for one Engine member.
#define PIP_C_FUNCTION(function, member)                                     \
  pip_status pip_##function##_pb(uint8_t** out, size_t* out_len,             \
                                 const pip_engine* engine,                   \
                                 const uint8_t* request, size_t request_len) \
  {                                                                           \
    return DecideBinary("pip_" #function "_pb", &Engine::member##Serialized, \
                        out, out_len, engine, request, request_len);         \
  }                                                                           \
  pip_status pip_##function##_json(char** out, size_t* out_len,              \
                                   const pip_engine* engine,                 \
                                   const char* request, size_t request_len)  \
  {                                                                           \
    return DecideJson("pip_" #function "_json", &Engine::member##Json, out,  \
                      out_len, engine, request, request_len);                \
  }

PIP_C_FUNCTION(purpose_allowed, PurposeAllowed)
PIP_C_FUNCTION(consent_check, ConsentCheck)
PIP_C_FUNCTION(retention_due, RetentionDue)
PIP_C_FUNCTION(request_validate, RequestValidate)

#undef PIP_C_FUNCTION

pip_status pip_eval_pb(uint8_t** out, size_t* out_len,
                       const pip_engine* engine, const uint8_t* request,
                       size_t request_len) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_pb", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    return CopyBytes(engine->engine->EvaluateSerialized(view), out, out_len);
  });
}

pip_status pip_eval_json(char** out, size_t* out_len,
                         const pip_engine* engine, const char* request,
                         size_t request_len) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_json", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, request, request_len, &view));
    return CopyString(engine->engine->EvaluateJson(view), out, out_len);
  });
}

pip_status pip_eval_batch_json(char** out, size_t* out_len, size_t* count,
                               const pip_engine* engine, const char* requests,
                               size_t requests_len) {
  ClearOutputs(out, out_len);
  if (count != nullptr) *count = 0;
  return Run("pip_eval_batch_json", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, requests, requests_len, &view,
                           "requests"));
    PIP_RETURN_IF_ERROR(
        CheckSize(view, "requests", kMaxBatchBytes, "kMaxBatchBytes"));
    // A final newline ends the last line; it does not start another.
    if (!view.empty() && view.back() == '\n') view.remove_suffix(1);
    std::vector<absl::string_view> lines;
    if (requests_len > 0) lines = absl::StrSplit(view, '\n');
    for (absl::string_view& line : lines) {
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    }
    std::string answers;
    for (const std::string& answer : engine->engine->EvaluateJsonBatch(lines)) {
      absl::StrAppend(&answers, answer, "\n");
    }
    PIP_RETURN_IF_ERROR(CopyString(answers, out, out_len));
    if (count != nullptr) *count = lines.size();
    return absl::OkStatus();
  });
}

pip_status pip_eval_batch_pb(uint8_t** out, size_t* out_len,
                             const pip_engine* engine, const uint8_t* requests,
                             size_t requests_len) {
  ClearOutputs(out, out_len);
  return Run("pip_eval_batch_pb", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(out_len, "out_len"));
    PIP_RETURN_IF_ERROR(
        CheckEvalArguments(out, engine, requests, requests_len, &view,
                           "requests"));
    PIP_RETURN_IF_ERROR(
        CheckSize(view, "requests", kMaxBatchBytes, "kMaxBatchBytes"));
    v1::EvalBatchRequest batch;
    PIP_RETURN_IF_ERROR(ParseBytes(view, "requests", &batch));
    // Unknown fields inside one request are that request's error only.
    if (!batch.GetReflection()->GetUnknownFields(batch).empty()) {
      return absl::InvalidArgumentError(
          "requests holds a field unknown to pip.v1.EvalBatchRequest");
    }
    return SerializeTo(engine->engine->EvaluateBatch(batch), out, out_len);
  });
}

}  // extern "C"
