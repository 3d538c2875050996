// The C API's status codes, errors, buffers, version and engine lifecycle
// (include/pip/pip.h).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "pip/trust.h"
#include "pip/version.h"
#include "src/capi/call.h"
#include "src/internal/status_macros.h"

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

constexpr char kOutOfMemoryWhileRecording[] =
    "out of memory while recording an error";

}  // namespace

void SetLastError(absl::string_view function,
                  absl::string_view message) noexcept {
  try {
    last_error = absl::StrCat(function, ": ", message);
    last_error_fallback = nullptr;
  } catch (...) {
    last_error_fallback = kOutOfMemoryWhileRecording;
  }
}

void ClearLastError() noexcept {
  last_error.clear();
  last_error_fallback = nullptr;
}

namespace {

// The errors handed out when memory runs out while making one, one per
// status. Their message is kOutOfMemoryWhileRecording, not `message`.
struct PreallocatedErrors {
  pip_error errors[kStatusCount];
  PreallocatedErrors() {
    for (int i = 0; i < kStatusCount; ++i) {
      errors[i].status = static_cast<pip_status>(i);
      errors[i].preallocated = true;
    }
  }
};
PreallocatedErrors preallocated_errors;

}  // namespace

pip_error* NewError(pip_status status) noexcept {
  try {
    return new pip_error{status, pip_last_error(), false};
  } catch (...) {
    return &preallocated_errors
                .errors[ToPipStatus(static_cast<absl::StatusCode>(status))];
  }
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

// InvalidArgumentError unless the caller's struct_size is one pip knows.
// Each public struct has one version so far: its size now.
absl::Status CheckStructSize(size_t struct_size, size_t known, const char* what,
                             const char* type, const char* init) {
  if (struct_size != known) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, "->struct_size is ", struct_size, ", which this version of pip (",
        PIP_VERSION_STRING, ") does not know: expected sizeof(", type,
        ") = ", known, " (initialize the struct with ", init, ")"));
  }
  return absl::OkStatus();
}

// InvalidArgumentError when a field the source's kind does not use is set.
absl::Status RequireUnset(bool set, const char* field, const char* kind) {
  if (set) {
    return absl::InvalidArgumentError(
        absl::StrCat("source->", field, " is set, but a source of kind ", kind,
                     " does not use it"));
  }
  return absl::OkStatus();
}

const char* KindName(pip_policy_source_kind kind) {
  switch (kind) {
    case PIP_SOURCE_DEFAULT:
      return "PIP_SOURCE_DEFAULT";
    case PIP_SOURCE_TEXT:
      return "PIP_SOURCE_TEXT";
    case PIP_SOURCE_BINARY:
      return "PIP_SOURCE_BINARY";
    case PIP_SOURCE_FILE:
      return "PIP_SOURCE_FILE";
    case PIP_SOURCE_SIGNED:
      return "PIP_SOURCE_SIGNED";
    case PIP_SOURCE_SIGNED_FILE:
      return "PIP_SOURCE_SIGNED_FILE";
  }
  return "unknown";
}

// The PolicySource a pip_policy_source describes, after checking every
// field.
absl::StatusOr<PolicySource> ToPolicySource(const pip_policy_source* source) {
  PIP_RETURN_IF_ERROR(RequireNonNull(source, "source"));
  PIP_RETURN_IF_ERROR(
      CheckStructSize(source->struct_size, sizeof(pip_policy_source), "source",
                      "pip_policy_source", "PIP_POLICY_SOURCE_INIT"));
  // A C caller may store any int in the field; reading a value that no
  // enumerator names through the enum type is undefined in C++, so the
  // field is read as its underlying integer and checked first.
  std::underlying_type_t<pip_policy_source_kind> raw_kind;
  static_assert(sizeof(raw_kind) == sizeof(source->kind));
  std::memcpy(&raw_kind, &source->kind, sizeof(raw_kind));
  const int64_t kind_value = static_cast<int64_t>(raw_kind);
  if (kind_value < PIP_SOURCE_DEFAULT || kind_value > PIP_SOURCE_SIGNED_FILE) {
    return absl::InvalidArgumentError(absl::StrCat(
        "source->kind is ", kind_value, ", not a pip_policy_source_kind"));
  }
  const pip_policy_source_kind kind =
      static_cast<pip_policy_source_kind>(raw_kind);
  const bool uses_data = kind == PIP_SOURCE_TEXT || kind == PIP_SOURCE_BINARY ||
                         kind == PIP_SOURCE_SIGNED;
  const bool uses_path =
      kind == PIP_SOURCE_FILE || kind == PIP_SOURCE_SIGNED_FILE;
  const char* name = KindName(kind);
  PIP_RETURN_IF_ERROR(RequireUnset(
      !uses_data && (source->data != nullptr || source->data_len != 0), "data",
      name));
  PIP_RETURN_IF_ERROR(
      RequireUnset(!uses_data && source->name != nullptr, "name", name));
  PIP_RETURN_IF_ERROR(
      RequireUnset(!uses_path && source->path != nullptr, "path", name));
  PIP_RETURN_IF_ERROR(RequireUnset(
      kind != PIP_SOURCE_SIGNED &&
          (source->signature != nullptr || source->signature_len != 0),
      "signature", name));
  PIP_RETURN_IF_ERROR(RequireUnset(
      kind != PIP_SOURCE_SIGNED_FILE && source->signature_path != nullptr,
      "signature_path", name));

  absl::string_view data;
  if (uses_data) {
    PIP_RETURN_IF_ERROR(RequireNonNull(source->data, "source->data"));
    PIP_RETURN_IF_ERROR(
        InputView(source->data, source->data_len, "source->data", &data));
  }
  if (uses_path) {
    PIP_RETURN_IF_ERROR(RequireNonNull(source->path, "source->path"));
  }
  std::string label = source->name == nullptr ? "" : source->name;
  switch (kind) {
    case PIP_SOURCE_DEFAULT:
      return PolicySource::Default();
    case PIP_SOURCE_TEXT:
      return PolicySource::Text(std::string(data), std::move(label));
    case PIP_SOURCE_BINARY:
      return PolicySource::Binary(std::string(data), std::move(label));
    case PIP_SOURCE_FILE:
      return PolicySource::File(source->path);
    case PIP_SOURCE_SIGNED: {
      absl::string_view signature;
      PIP_RETURN_IF_ERROR(InputView(source->signature, source->signature_len,
                                    "source->signature", &signature));
      return PolicySource::Signed(std::string(data), std::string(signature),
                                  std::move(label));
    }
    case PIP_SOURCE_SIGNED_FILE:
      PIP_RETURN_IF_ERROR(
          RequireNonNull(source->signature_path, "source->signature_path"));
      return PolicySource::SignedFile(source->path, source->signature_path);
  }
  return absl::InternalError("unreachable");
}

// The PEM blocks of `pem`, each from its "-----BEGIN " line to the end of
// its "-----END ...-----" line. Text outside the blocks is ignored; text
// with no block at all is returned whole, for PolicyTrust to refuse.
std::vector<std::string> SplitPem(absl::string_view pem) {
  std::vector<std::string> blocks;
  constexpr absl::string_view kBegin = "-----BEGIN ";
  constexpr absl::string_view kEnd = "-----END ";
  size_t at = pem.find(kBegin);
  if (at == absl::string_view::npos) {
    if (!pem.empty()) blocks.emplace_back(pem);
    return blocks;
  }
  while (at != absl::string_view::npos) {
    size_t end = pem.find(kEnd, at);
    size_t stop = pem.size();
    if (end != absl::string_view::npos) {
      // The END line ends with "-----".
      const size_t dashes = pem.find("-----", end + kEnd.size());
      stop = dashes == absl::string_view::npos ? pem.size() : dashes + 5;
    }
    blocks.emplace_back(pem.substr(at, stop - at));
    at = pem.find(kBegin, stop);
  }
  return blocks;
}

// The EngineOptions a pip_engine_options describes (NULL: the defaults),
// after checking every field; opens the audit log.
absl::StatusOr<EngineOptions> ToEngineOptions(
    const pip_engine_options* options) {
  EngineOptions out;
  if (options == nullptr) return out;
  PIP_RETURN_IF_ERROR(CheckStructSize(
      options->struct_size, sizeof(pip_engine_options), "options",
      "pip_engine_options", "PIP_ENGINE_OPTIONS_INIT"));
  if (options->trusted_keys_pem != nullptr) {
    absl::string_view pem;
    PIP_RETURN_IF_ERROR(InputView(options->trusted_keys_pem,
                                  options->trusted_keys_pem_len,
                                  "options->trusted_keys_pem", &pem));
    PolicyTrustOptions trust_options;
    trust_options.trusted_keys = SplitPem(pem);
    trust_options.require_signature = options->require_signature != 0;
    trust_options.min_revision = options->min_revision;
    if (options->revision_file != nullptr) {
      trust_options.revision_file = options->revision_file;
      if (trust_options.revision_file.empty()) {
        return absl::InvalidArgumentError(
            "options->revision_file is an empty path");
      }
    }
    absl::StatusOr<PolicyTrust> trust = PolicyTrust::Create(trust_options);
    if (!trust.ok()) {
      // Name the C field the message is about.
      const absl::string_view message = trust.status().message();
      return absl::Status(
          trust.status().code(),
          absl::StartsWith(message, "PolicyTrustOptions.trusted_keys")
              ? absl::StrCat("options->trusted_keys_pem: ", message)
              : absl::StrReplaceAll(message,
                                    {{"PolicyTrustOptions.", "options->"}}));
    }
    out.trust = *std::move(trust);
  } else {
    if (options->trusted_keys_pem_len != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("options->trusted_keys_pem is NULL but its length is ",
                       options->trusted_keys_pem_len));
    }
    if (options->min_revision != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "options->min_revision is ", options->min_revision,
          " but no trust is configured (options->trusted_keys_pem is NULL): "
          "the floor would not be enforced"));
    }
    if (options->revision_file != nullptr) {
      return absl::InvalidArgumentError(
          "options->revision_file is set but no trust is configured "
          "(options->trusted_keys_pem is NULL): the floor would not be "
          "enforced");
    }
  }

  absl::string_view key;
  PIP_RETURN_IF_ERROR(InputView(options->audit_key, options->audit_key_len,
                                "options->audit_key", &key));
  if (options->audit_log_path == nullptr) {
    if (options->audit_key != nullptr || options->audit_key_len != 0) {
      return absl::InvalidArgumentError(
          "options->audit_key is set but options->audit_log_path is NULL");
    }
    return out;
  }
  if (options->audit_key == nullptr) {
    return absl::InvalidArgumentError(
        "options->audit_log_path is set but options->audit_key is NULL");
  }
  absl::StatusOr<AuditKey> audit_key = AuditKey::FromBytes(key);
  if (!audit_key.ok()) {
    return absl::Status(
        audit_key.status().code(),
        absl::StrCat("options->audit_key: ", audit_key.status().message()));
  }
  JsonlFileSinkOptions log;
  log.path = options->audit_log_path;
  PIP_ASSIGN_OR_RETURN(std::unique_ptr<JsonlFileSink> sink,
                       JsonlFileSink::Open(*audit_key, log));
  out.audit_sink = std::move(sink);
  return out;
}

// Copies one string property of the engine into *out.
template <typename Get>
pip_status CopyProperty(const char* function, char** out,
                        const pip_engine* engine, pip_error** error, Get get) {
  if (out != nullptr) *out = nullptr;
  return Run(function, error, [&]() -> absl::Status {
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

pip_status pip_error_status(const pip_error* error) {
  return error == nullptr ? PIP_OK : error->status;
}

const char* pip_error_message(const pip_error* error) {
  if (error == nullptr) return "";
  return error->preallocated ? pip::capi_internal::kOutOfMemoryWhileRecording
                             : error->message.c_str();
}

void pip_error_free(pip_error* error) {
  if (error != nullptr && !error->preallocated) delete error;
}

void pip_free(void* buffer) { std::free(buffer); }

int pip_version_number(void) { return PIP_VERSION_NUMBER; }

const char* pip_version(void) { return PIP_VERSION_STRING; }

pip_status pip_engine_new(pip_engine** out, const pip_policy_source* source,
                          const pip_engine_options* options,
                          pip_error** error) {
  if (out != nullptr) *out = nullptr;
  return Run("pip_engine_new", error, [&]() -> absl::Status {
    PIP_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    PIP_ASSIGN_OR_RETURN(pip::PolicySource policy_source,
                         pip::capi_internal::ToPolicySource(source));
    PIP_ASSIGN_OR_RETURN(pip::EngineOptions engine_options,
                         pip::capi_internal::ToEngineOptions(options));
    PIP_ASSIGN_OR_RETURN(
        std::unique_ptr<pip::Engine> engine,
        pip::Engine::Create(policy_source, std::move(engine_options)));
    auto handle = std::make_unique<pip_engine>();
    handle->engine = std::move(engine);
    *out = handle.release();
    return absl::OkStatus();
  });
}

void pip_engine_free(pip_engine* engine) { delete engine; }

pip_status pip_engine_reload(pip_engine* engine,
                             const pip_policy_source* source,
                             pip_error** error) {
  return Run("pip_engine_reload", error, [&]() -> absl::Status {
    PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
    PIP_ASSIGN_OR_RETURN(pip::PolicySource policy_source,
                         pip::capi_internal::ToPolicySource(source));
    return engine->engine->Reload(policy_source);
  });
}

pip_status pip_engine_policy_version(char** out, const pip_engine* engine,
                                     pip_error** error) {
  return pip::capi_internal::CopyProperty(
      "pip_engine_policy_version", out, engine, error,
      [](const pip::Engine& e) { return e.policy_version(); });
}

pip_status pip_engine_policy_hash(char** out, const pip_engine* engine,
                                  pip_error** error) {
  return pip::capi_internal::CopyProperty(
      "pip_engine_policy_hash", out, engine, error,
      [](const pip::Engine& e) { return e.policy_hash(); });
}

}  // extern "C"
