// The C API's status codes, errors, buffers, version and engine lifecycle
// (include/pip/pip.h).
#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "pip/version.h"
#include "src/capi/call.h"
#include "src/internal/status_macros.h"
#include "src/policy/load.h"

namespace pip {
namespace capi_internal {
namespace {

// pip_status promises absl::StatusCode's values.
static_assert(PIP_OK == static_cast<int>(absl::StatusCode::kOk));
static_assert(PIP_CANCELLED == static_cast<int>(absl::StatusCode::kCancelled));
static_assert(PIP_UNKNOWN == static_cast<int>(absl::StatusCode::kUnknown));
static_assert(PIP_INVALID_ARGUMENT ==
              static_cast<int>(absl::StatusCode::kInvalidArgument));
static_assert(PIP_DEADLINE_EXCEEDED ==
              static_cast<int>(absl::StatusCode::kDeadlineExceeded));
static_assert(PIP_NOT_FOUND == static_cast<int>(absl::StatusCode::kNotFound));
static_assert(PIP_ALREADY_EXISTS ==
              static_cast<int>(absl::StatusCode::kAlreadyExists));
static_assert(PIP_PERMISSION_DENIED ==
              static_cast<int>(absl::StatusCode::kPermissionDenied));
static_assert(PIP_RESOURCE_EXHAUSTED ==
              static_cast<int>(absl::StatusCode::kResourceExhausted));
static_assert(PIP_FAILED_PRECONDITION ==
              static_cast<int>(absl::StatusCode::kFailedPrecondition));
static_assert(PIP_ABORTED == static_cast<int>(absl::StatusCode::kAborted));
static_assert(PIP_OUT_OF_RANGE ==
              static_cast<int>(absl::StatusCode::kOutOfRange));
static_assert(PIP_UNIMPLEMENTED ==
              static_cast<int>(absl::StatusCode::kUnimplemented));
static_assert(PIP_INTERNAL == static_cast<int>(absl::StatusCode::kInternal));
static_assert(PIP_UNAVAILABLE ==
              static_cast<int>(absl::StatusCode::kUnavailable));
static_assert(PIP_DATA_LOSS == static_cast<int>(absl::StatusCode::kDataLoss));
static_assert(PIP_UNAUTHENTICATED ==
              static_cast<int>(absl::StatusCode::kUnauthenticated));

// Indexed by pip_status; absl's spelling of each code.
constexpr const char* kStatusNames[] = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED",
};
constexpr int kStatusCount = sizeof(kStatusNames) / sizeof(kStatusNames[0]);

// The message of the last failed call on this thread. `fallback` replaces it
// when recording the message itself ran out of memory.
thread_local std::string last_error;
thread_local const char* last_error_fallback = nullptr;

}  // namespace

void SetLastError(absl::string_view function,
                  absl::string_view message) noexcept {
  try {
    last_error = absl::StrCat(function, ": ", message);
    last_error_fallback = nullptr;
  } catch (...) {
    last_error_fallback = "out of memory while recording an error";
  }
}

void ClearLastError() noexcept {
  last_error.clear();
  last_error_fallback = nullptr;
}

pip_status ToPipStatus(absl::StatusCode code) noexcept {
  const int value = static_cast<int>(code);
  return value >= 0 && value < kStatusCount ? static_cast<pip_status>(value)
                                            : PIP_UNKNOWN;
}

absl::Status RequireNonNull(const void* pointer, const char* name) {
  if (pointer == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(name, " is NULL"));
  }
  return absl::OkStatus();
}

absl::Status InputView(const void* data, size_t size, const char* name,
                       absl::string_view* view) {
  if (data == nullptr && size != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but its length is ", size));
  }
  *view = size == 0 ? absl::string_view()
                    : absl::string_view(static_cast<const char*>(data), size);
  return absl::OkStatus();
}

absl::Status CopyString(absl::string_view data, char** out, size_t* out_len) {
  char* buffer = static_cast<char*>(std::malloc(data.size() + 1));
  if (buffer == nullptr) throw std::bad_alloc();
  if (!data.empty()) std::memcpy(buffer, data.data(), data.size());
  buffer[data.size()] = '\0';
  *out = buffer;
  if (out_len != nullptr) *out_len = data.size();
  return absl::OkStatus();
}

namespace {

// Sets *out to a new handle owning `engine`.
absl::Status Adopt(absl::StatusOr<std::unique_ptr<Engine>> engine,
                   pip_engine** out) {
  if (!engine.ok()) return engine.status();
  auto handle = std::make_unique<pip_engine>();
  handle->engine = *std::move(engine);
  *out = handle.release();
  return absl::OkStatus();
}

// The body shared by the pip_engine_new_* functions: clears *out, checks it,
// then builds the engine with `make`.
template <typename Make>
pip_status NewEngine(const char* function, pip_engine** out, Make make) {
  if (out != nullptr) *out = nullptr;
  return Run(function, [&]() -> absl::Status {
    PIP_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    return Adopt(make(), out);
  });
}

// A label for problems of in-memory policy text.
std::string FileLabel(const char* file) {
  return file == nullptr ? std::string() : std::string(file);
}

// Copies one string property of the engine into *out.
template <typename Get>
pip_status CopyProperty(const char* function, char** out,
                        const pip_engine* engine, Get get) {
  if (out != nullptr) *out = nullptr;
  return Run(function, [&]() -> absl::Status {
    PIP_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
    return CopyString(get(*engine->engine), out, nullptr);
  });
}

}  // namespace
}  // namespace capi_internal
}  // namespace pip

using pip::capi_internal::InputView;
using pip::capi_internal::RequireNonNull;
using pip::capi_internal::Run;

extern "C" {

const char* pip_status_name(pip_status status) {
  const int value = static_cast<int>(status);
  return value >= 0 && value < pip::capi_internal::kStatusCount
             ? pip::capi_internal::kStatusNames[value]
             : "UNRECOGNIZED_STATUS";
}

const char* pip_last_error(void) {
  using pip::capi_internal::last_error;
  using pip::capi_internal::last_error_fallback;
  return last_error_fallback != nullptr ? last_error_fallback
                                        : last_error.c_str();
}

void pip_free(void* buffer) { std::free(buffer); }

int pip_version_number(void) { return PIP_VERSION_NUMBER; }

const char* pip_version(void) { return PIP_VERSION_STRING; }

pip_status pip_engine_new_default(pip_engine** out) {
  return pip::capi_internal::NewEngine("pip_engine_new_default", out,
                                       [] { return pip::Engine::Default(); });
}

pip_status pip_engine_new_text(pip_engine** out, const char* text,
                               size_t text_len, const char* file) {
  return pip::capi_internal::NewEngine(
      "pip_engine_new_text", out,
      [&]() -> absl::StatusOr<std::unique_ptr<pip::Engine>> {
        absl::string_view view;
        PIP_RETURN_IF_ERROR(RequireNonNull(text, "text"));
        PIP_RETURN_IF_ERROR(InputView(text, text_len, "text", &view));
        return pip::Engine::FromTextProto(
            view, pip::capi_internal::FileLabel(file));
      });
}

pip_status pip_engine_new_binary(pip_engine** out, const uint8_t* bytes,
                                 size_t bytes_len) {
  return pip::capi_internal::NewEngine(
      "pip_engine_new_binary", out,
      [&]() -> absl::StatusOr<std::unique_ptr<pip::Engine>> {
        absl::string_view view;
        PIP_RETURN_IF_ERROR(RequireNonNull(bytes, "bytes"));
        PIP_RETURN_IF_ERROR(InputView(bytes, bytes_len, "bytes", &view));
        return pip::Engine::FromBinaryProto(view);
      });
}

pip_status pip_engine_new_file(pip_engine** out, const char* path) {
  return pip::capi_internal::NewEngine(
      "pip_engine_new_file", out,
      [&]() -> absl::StatusOr<std::unique_ptr<pip::Engine>> {
        PIP_RETURN_IF_ERROR(RequireNonNull(path, "path"));
        return pip::Engine::FromFile(path);
      });
}

void pip_engine_free(pip_engine* engine) { delete engine; }

pip_status pip_engine_reload_text(pip_engine* engine, const char* text,
                                  size_t text_len, const char* file) {
  return Run("pip_engine_reload_text", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
    PIP_RETURN_IF_ERROR(RequireNonNull(text, "text"));
    PIP_RETURN_IF_ERROR(InputView(text, text_len, "text", &view));
    return engine->engine->ReloadFromTextProto(
        view, pip::capi_internal::FileLabel(file));
  });
}

pip_status pip_engine_reload_binary(pip_engine* engine, const uint8_t* bytes,
                                    size_t bytes_len) {
  return Run("pip_engine_reload_binary", [&]() -> absl::Status {
    absl::string_view view;
    PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
    PIP_RETURN_IF_ERROR(RequireNonNull(bytes, "bytes"));
    PIP_RETURN_IF_ERROR(InputView(bytes, bytes_len, "bytes", &view));
    PIP_ASSIGN_OR_RETURN(pip::v1::Policy policy,
                         pip::policy_internal::LoadBinary(view));
    return engine->engine->Reload(policy);
  });
}

pip_status pip_engine_reload_file(pip_engine* engine, const char* path) {
  return Run("pip_engine_reload_file", [&]() -> absl::Status {
    PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
    PIP_RETURN_IF_ERROR(RequireNonNull(path, "path"));
    return engine->engine->ReloadFromFile(path);
  });
}

pip_status pip_engine_policy_version(char** out, const pip_engine* engine) {
  return pip::capi_internal::CopyProperty(
      "pip_engine_policy_version", out, engine,
      [](const pip::Engine& e) { return e.policy_version(); });
}

pip_status pip_engine_policy_hash(char** out, const pip_engine* engine) {
  return pip::capi_internal::CopyProperty(
      "pip_engine_policy_hash", out, engine,
      [](const pip::Engine& e) { return e.policy_hash(); });
}

}  // extern "C"
