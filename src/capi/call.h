// What every C entry point shares: the engine handle, the error object and
// the thread-local last error, the guard that turns a Status or an exception
// into a pip_status, and copying results into buffers the caller frees with
// pip_free. Internal to the C API (src/capi/).
#ifndef PIP_SRC_CAPI_CALL_H_
#define PIP_SRC_CAPI_CALL_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "pip/engine.h"
#include "pip/pip.h"

struct pip_engine {
  std::unique_ptr<pip::Engine> engine;
};

// One failed call's status and message. `preallocated` marks the static
// errors handed out when memory runs out while making one; pip_error_free
// leaves those alone.
struct pip_error {
  pip_status status;
  std::string message;
  bool preallocated;
};

namespace pip {
namespace capi_internal {

// Records the message pip_last_error() returns on this thread. Never throws:
// when memory runs out it records a fixed message instead.
void SetLastError(absl::string_view function, absl::string_view message) noexcept;
void ClearLastError() noexcept;

// A new error object for the caller of `function`, holding `status` and the
// message pip_last_error() now gives; a preallocated static one of the same
// status when memory runs out. Never throws, never returns null.
pip_error* NewError(pip_status status) noexcept;

// Sets *error, when `error` is not null, to null on success and to a new
// error object otherwise.
inline void ReportError(pip_status status, pip_error** error) noexcept {
  if (error != nullptr) *error = status == PIP_OK ? nullptr : NewError(status);
}

// The pip_status of `code`; codes pip_status does not name become
// PIP_UNKNOWN.
pip_status ToPipStatus(absl::StatusCode code) noexcept;

// InvalidArgumentError "<name> is NULL" when `pointer` is null.
absl::Status RequireNonNull(const void* pointer, const char* name);

// The (pointer, length) input buffer as a view; a NULL buffer is accepted
// only with length 0.
absl::Status InputView(const void* data, size_t size, const char* name,
                       absl::string_view* view);

// Copies `data` into a new NUL-terminated buffer for the caller, for
// pip_free(). `out_len`, when not null, receives the length without the NUL.
absl::Status CopyString(absl::string_view data, char** out, size_t* out_len);

// Runs the body of entry point `function` (a callable returning
// absl::Status): records the last error and converts the status; any
// exception becomes PIP_RESOURCE_EXHAUSTED (out of memory) or PIP_INTERNAL,
// so that none crosses the C ABI.
template <typename Body>
pip_status RunBody(const char* function, Body&& body) noexcept {
  try {
    const absl::Status status = body();
    if (status.ok()) {
      ClearLastError();
      return PIP_OK;
    }
    SetLastError(function, status.message());
    return ToPipStatus(status.code());
  } catch (const std::bad_alloc&) {
    SetLastError(function, "out of memory");
    return PIP_RESOURCE_EXHAUSTED;
  } catch (const std::exception& e) {
    SetLastError(function, e.what());
    return PIP_INTERNAL;
  } catch (...) {
    SetLastError(function, "unexpected failure inside pip");
    return PIP_INTERNAL;
  }
}

// RunBody, then the error object for the caller's `error` (may be null).
template <typename Body>
pip_status Run(const char* function, pip_error** error, Body&& body) noexcept {
  if (error != nullptr) *error = nullptr;
  const pip_status status = RunBody(function, std::forward<Body>(body));
  ReportError(status, error);
  return status;
}

}  // namespace capi_internal
}  // namespace pip

#endif  // PIP_SRC_CAPI_CALL_H_
