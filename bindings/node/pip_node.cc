// pip.node: the compiled half of the Node.js package (index.js).
//
// Plain C Node-API (<node_api.h>), so the one binary loads in every Node.js
// release that has Node-API version 8 (Node 12.22, 14.17, 16 and later)
// without a rebuild. Deliberately thin: it moves strings and bytes across
// the language boundary, calls pip::Engine (pip/engine.h) and the encoded
// surfaces of pip/encoded.h, and turns a non-OK absl::Status into a thrown
// PipError (the class index.js defines and hands over at load). JSON
// stringifying and parsing, option checking and the camelCase names live
// in index.js.
//
// Nothing here answers a question itself: every decision comes from
// pip::Engine, and every error becomes a thrown PipError, never a decision.
// No C++ exception crosses into Node: every entry point catches them all.
//
// Threads: each call runs synchronously on the calling JavaScript thread
// (the main thread or a worker_threads worker), except the batch calls,
// which run on the libuv thread pool (napi_async_work) and settle a
// promise. The module is context-aware: each worker that loads it gets its
// own instance data, and an engine belongs to the thread that created it.
#include <node_api.h>

#include <cstdint>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "pip/audit.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/trust.h"
#include "pip/version.h"

namespace {

// --- Errors -------------------------------------------------------------------
//
// Inside an entry point, problems are C++ exceptions of these types; the
// entry point's Guard() turns each into exactly one pending JavaScript
// exception.

// A pip status (or a misuse the binding reports like one): becomes a
// PipError with `code`, the absl::StatusCode name.
struct StatusError {
  std::string code;
  std::string message;
};
// A value of the wrong JavaScript type: becomes a TypeError.
struct TypeErrorThrown {
  std::string message;
};
// A JavaScript exception is already pending (a Node-API call failed).
struct JsPending {};

[[noreturn]] void ThrowStatus(const absl::Status& status) {
  throw StatusError{absl::StatusCodeToString(status.code()),
                    std::string(status.message())};
}

// Per-environment data: the PipError class of this thread's index.js.
struct Instance {
  napi_ref pip_error = nullptr;
};

void Check(napi_env env, napi_status status) {
  if (status == napi_ok) return;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    throw JsPending{};
  }
  const napi_extended_error_info* info = nullptr;
  std::string what = "Node-API call failed";
  if (napi_get_last_error_info(env, &info) == napi_ok && info != nullptr &&
      info->error_message != nullptr) {
    what = absl::StrCat("Node-API: ", info->error_message);
  }
  throw StatusError{"INTERNAL", what};
}

// Makes `code` and `message` the pending exception: a PipError when
// index.js has registered the class, an Error with a `code` otherwise.
void ThrowPipError(napi_env env, const std::string& code,
                   const std::string& message) {
  napi_value js_code = nullptr;
  napi_value js_message = nullptr;
  if (napi_create_string_utf8(env, code.data(), code.size(), &js_code) !=
          napi_ok ||
      napi_create_string_utf8(env, message.data(), message.size(),
                              &js_message) != napi_ok) {
    napi_throw_error(env, "INTERNAL", "pip: cannot create an error");
    return;
  }
  Instance* instance = nullptr;
  napi_value ctor = nullptr;
  napi_value error = nullptr;
  if (napi_get_instance_data(env, reinterpret_cast<void**>(&instance)) ==
          napi_ok &&
      instance != nullptr && instance->pip_error != nullptr &&
      napi_get_reference_value(env, instance->pip_error, &ctor) == napi_ok &&
      ctor != nullptr) {
    napi_value argv[2] = {js_message, js_code};
    if (napi_new_instance(env, ctor, 2, argv, &error) == napi_ok) {
      napi_throw(env, error);
      return;
    }
    bool pending = false;
    if (napi_is_exception_pending(env, &pending) == napi_ok && pending) return;
  }
  if (napi_create_error(env, js_code, js_message, &error) == napi_ok) {
    napi_throw(env, error);
  } else {
    napi_throw_error(env, code.c_str(), message.c_str());
  }
}

// The body of every entry point: runs `fn`, and turns whatever it throws
// into one pending JavaScript exception (returning nullptr, which Node-API
// reads as undefined while the exception propagates).
template <typename Fn>
napi_value Guard(napi_env env, Fn&& fn) {
  try {
    return fn();
  } catch (const JsPending&) {
  } catch (const StatusError& e) {
    ThrowPipError(env, e.code, e.message);
  } catch (const TypeErrorThrown& e) {
    napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", e.message.c_str());
  } catch (const std::bad_alloc&) {
    ThrowPipError(env, "RESOURCE_EXHAUSTED", "pip: out of memory");
  } catch (const std::exception& e) {
    ThrowPipError(env, "INTERNAL", absl::StrCat("pip: ", e.what()));
  } catch (...) {
    ThrowPipError(env, "INTERNAL", "pip: unknown C++ exception");
  }
  return nullptr;
}

// --- Arguments ----------------------------------------------------------------

// The call's arguments, exactly `N` of them (missing ones are undefined).
template <size_t N>
struct Args {
  napi_value argv[N];
  Args(napi_env env, napi_callback_info info) {
    size_t argc = N;
    Check(env, napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
    for (size_t i = argc; i < N; ++i) Check(env, napi_get_undefined(env, &argv[i]));
  }
  napi_value operator[](size_t i) const { return argv[i]; }
};

napi_valuetype TypeOf(napi_env env, napi_value value) {
  napi_valuetype type = napi_undefined;
  Check(env, napi_typeof(env, value, &type));
  return type;
}

bool IsNullish(napi_env env, napi_value value) {
  const napi_valuetype type = TypeOf(env, value);
  return type == napi_undefined || type == napi_null;
}

// A JavaScript string as UTF-8 (a lone surrogate becomes U+FFFD).
std::string StringArg(napi_env env, napi_value value, const char* what) {
  if (TypeOf(env, value) != napi_string) {
    throw TypeErrorThrown{absl::StrCat(what, " must be a string")};
  }
  size_t length = 0;
  Check(env, napi_get_value_string_utf8(env, value, nullptr, 0, &length));
  std::string out(length + 1, '\0');
  Check(env, napi_get_value_string_utf8(env, value, out.data(), out.size(),
                                        &length));
  out.resize(length);
  return out;
}

// Whether `value` is a Buffer or a Uint8Array; if so, its bytes.
bool BytesOf(napi_env env, napi_value value, absl::string_view* bytes) {
  bool is = false;
  Check(env, napi_is_typedarray(env, value, &is));
  if (!is) return false;
  napi_typedarray_type type = napi_int8_array;
  size_t length = 0;
  void* data = nullptr;
  Check(env, napi_get_typedarray_info(env, value, &type, &length, &data,
                                      nullptr, nullptr));
  if (type != napi_uint8_array) return false;
  *bytes = absl::string_view(static_cast<const char*>(data), length);
  return true;
}

// A Buffer or Uint8Array, copied.
std::string BytesArg(napi_env env, napi_value value, const char* what) {
  absl::string_view bytes;
  if (!BytesOf(env, value, &bytes)) {
    throw TypeErrorThrown{absl::StrCat(what, " must be a Buffer or Uint8Array")};
  }
  return std::string(bytes);
}

// A string (as UTF-8) or a Buffer or Uint8Array (as is).
std::string TextOrBytesArg(napi_env env, napi_value value, const char* what) {
  absl::string_view bytes;
  if (BytesOf(env, value, &bytes)) return std::string(bytes);
  if (TypeOf(env, value) == napi_string) return StringArg(env, value, what);
  throw TypeErrorThrown{
      absl::StrCat(what, " must be a string, a Buffer or a Uint8Array")};
}

bool BoolArg(napi_env env, napi_value value, const char* what) {
  if (TypeOf(env, value) != napi_boolean) {
    throw TypeErrorThrown{absl::StrCat(what, " must be a boolean")};
  }
  bool out = false;
  Check(env, napi_get_value_bool(env, value, &out));
  return out;
}

int64_t IntegerArg(napi_env env, napi_value value, const char* what) {
  if (TypeOf(env, value) != napi_number) {
    throw TypeErrorThrown{absl::StrCat(what, " must be a number")};
  }
  double d = 0;
  Check(env, napi_get_value_double(env, value, &d));
  // Integers a double holds exactly, and no more.
  if (!(d >= -9007199254740991.0 && d <= 9007199254740991.0) ||
      d != static_cast<double>(static_cast<int64_t>(d))) {
    throw StatusError{"INVALID_ARGUMENT",
                      absl::StrCat(what, ": expected a safe integer")};
  }
  return static_cast<int64_t>(d);
}

napi_value Property(napi_env env, napi_value object, const char* name) {
  napi_value value = nullptr;
  Check(env, napi_get_named_property(env, object, name, &value));
  return value;
}

napi_value String(napi_env env, absl::string_view s) {
  napi_value out = nullptr;
  Check(env, napi_create_string_utf8(env, s.data(), s.size(), &out));
  return out;
}

napi_value Buffer(napi_env env, absl::string_view bytes) {
  napi_value out = nullptr;
  Check(env, napi_create_buffer_copy(env, bytes.size(), bytes.data(), nullptr,
                                     &out));
  return out;
}

// --- Engines ------------------------------------------------------------------

// What a JavaScript Engine holds: an empty object wrapping this. close()
// drops the engine; a batch still running keeps its own reference, so the
// engine is destroyed when the last of them ends.
struct EngineHandle {
  std::shared_ptr<pip::Engine> engine;
};

// Marks the objects this module made, so that no other object is ever read
// as an EngineHandle.
constexpr napi_type_tag kEngineTag = {0x7069702e6e6f6465ULL,
                                      0x656e67696e653031ULL};

void FinalizeHandle(napi_env, void* data, void*) {
  delete static_cast<EngineHandle*>(data);
}

EngineHandle* HandleArg(napi_env env, napi_value value) {
  bool tagged = false;
  if (TypeOf(env, value) == napi_object) {
    Check(env, napi_check_object_type_tag(env, value, &kEngineTag, &tagged));
  }
  if (!tagged) throw TypeErrorThrown{"engine handle expected"};
  void* data = nullptr;
  Check(env, napi_unwrap(env, value, &data));
  return static_cast<EngineHandle*>(data);
}

// The engine of a handle, or FAILED_PRECONDITION after close().
std::shared_ptr<pip::Engine> EngineArg(napi_env env, napi_value value) {
  EngineHandle* handle = HandleArg(env, value);
  if (handle->engine == nullptr) {
    throw StatusError{"FAILED_PRECONDITION",
                      "engine: the engine is closed (close() was called)"};
  }
  return handle->engine;
}

// A pip::PolicySource from (kind, data, name, signature), as index.js
// passes them: kind "default", "text", "binary", "file", "signed" or
// "signedFile".
pip::PolicySource SourceArg(napi_env env, napi_value kind_value,
                            napi_value data, napi_value name_value,
                            napi_value signature) {
  const std::string kind = StringArg(env, kind_value, "source kind");
  const std::string name = IsNullish(env, name_value)
                               ? std::string()
                               : StringArg(env, name_value, "name");
  if (kind == "default") return pip::PolicySource::Default();
  if (kind == "text") {
    return pip::PolicySource::Text(TextOrBytesArg(env, data, "text"), name);
  }
  if (kind == "binary") {
    return pip::PolicySource::Binary(BytesArg(env, data, "bytes"), name);
  }
  if (kind == "file") {
    return pip::PolicySource::File(StringArg(env, data, "file"));
  }
  if (kind == "signed") {
    return pip::PolicySource::Signed(
        TextOrBytesArg(env, data, "policy"),
        TextOrBytesArg(env, signature, "signature"), name);
  }
  if (kind == "signedFile") {
    return pip::PolicySource::SignedFile(
        StringArg(env, data, "file"),
        StringArg(env, signature, "signatureFile"));
  }
  throw StatusError{"INVALID_ARGUMENT",
                    absl::StrCat("unknown policy source kind '", kind, "'")};
}

// pip::EngineOptions from the object index.js builds: trustedKeys (array
// or null), requireSignature, minRevision, revisionFile (or null),
// auditLog (or null), auditKey (or null).
pip::EngineOptions OptionsArg(napi_env env, napi_value options) {
  pip::EngineOptions out;
  if (TypeOf(env, options) != napi_object) {
    throw TypeErrorThrown{"options must be an object"};
  }
  napi_value keys = Property(env, options, "trustedKeys");
  if (!IsNullish(env, keys)) {
    bool is_array = false;
    Check(env, napi_is_array(env, keys, &is_array));
    if (!is_array) throw TypeErrorThrown{"trustedKeys must be an array"};
    uint32_t n = 0;
    Check(env, napi_get_array_length(env, keys, &n));
    pip::PolicyTrustOptions trust;
    for (uint32_t i = 0; i < n; ++i) {
      napi_value key = nullptr;
      Check(env, napi_get_element(env, keys, i, &key));
      trust.trusted_keys.push_back(TextOrBytesArg(env, key, "trustedKeys[i]"));
    }
    trust.require_signature = BoolArg(
        env, Property(env, options, "requireSignature"), "requireSignature");
    trust.min_revision =
        IntegerArg(env, Property(env, options, "minRevision"), "minRevision");
    napi_value revision_file = Property(env, options, "revisionFile");
    if (!IsNullish(env, revision_file)) {
      trust.revision_file = StringArg(env, revision_file, "revisionFile");
    }
    absl::StatusOr<pip::PolicyTrust> made = pip::PolicyTrust::Create(trust);
    if (!made.ok()) ThrowStatus(made.status());
    out.trust = *std::move(made);
  }
  napi_value log = Property(env, options, "auditLog");
  if (!IsNullish(env, log)) {
    pip::JsonlFileSinkOptions sink_options;
    sink_options.path = StringArg(env, log, "auditLog");
    napi_value key_value = Property(env, options, "auditKey");
    const std::string key_bytes =
        IsNullish(env, key_value) ? std::string()
                                  : TextOrBytesArg(env, key_value, "auditKey");
    absl::StatusOr<pip::AuditKey> key = pip::AuditKey::FromBytes(key_bytes);
    if (!key.ok()) ThrowStatus(key.status());
    absl::StatusOr<std::unique_ptr<pip::JsonlFileSink>> sink =
        pip::JsonlFileSink::Open(*key, sink_options);
    if (!sink.ok()) ThrowStatus(sink.status());
    out.audit_sink = *std::move(sink);
  }
  return out;
}

// The function at `value`, an index into pip/functions.def's numbers.
pip::Function FunctionArg(napi_env env, napi_value value) {
  const int64_t number = IntegerArg(env, value, "function");
  const auto function = static_cast<pip::Function>(number);
  if (number < 1 || number > 1000 || pip::FunctionName(function).empty()) {
    throw StatusError{"INVALID_ARGUMENT",
                      absl::StrCat("unknown function number ", number)};
  }
  return function;
}

// create(kind, data, name, signature, options) -> handle
napi_value Create(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<5> args(env, info);
    const pip::PolicySource source =
        SourceArg(env, args[0], args[1], args[2], args[3]);
    pip::EngineOptions options = OptionsArg(env, args[4]);
    absl::StatusOr<std::unique_ptr<pip::Engine>> engine =
        pip::Engine::Create(source, std::move(options));
    if (!engine.ok()) ThrowStatus(engine.status());
    auto handle = std::make_unique<EngineHandle>();
    handle->engine = *std::move(engine);
    napi_value out = nullptr;
    Check(env, napi_create_object(env, &out));
    Check(env, napi_wrap(env, out, handle.get(), FinalizeHandle, nullptr,
                         nullptr));
    handle.release();  // owned by the wrapper's finalizer from here
    Check(env, napi_type_tag_object(env, out, &kEngineTag));
    return out;
  });
}

// reload(handle, kind, data, name, signature)
napi_value Reload(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    Args<5> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    const pip::PolicySource source =
        SourceArg(env, args[1], args[2], args[3], args[4]);
    const absl::Status status = engine->Reload(source);
    if (!status.ok()) ThrowStatus(status);
    return nullptr;
  });
}

// close(handle): drops the engine; later calls throw FAILED_PRECONDITION.
napi_value Close(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    Args<1> args(env, info);
    HandleArg(env, args[0])->engine.reset();
    return nullptr;
  });
}

napi_value PolicyVersion(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<1> args(env, info);
    return String(env, EngineArg(env, args[0])->policy_version());
  });
}

napi_value PolicyHash(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<1> args(env, info);
    return String(env, EngineArg(env, args[0])->policy_hash());
  });
}

// decideJson(handle, function, json) -> decision JSON
napi_value DecideJson(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<3> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    const pip::Function function = FunctionArg(env, args[1]);
    const std::string request = StringArg(env, args[2], "request");
    std::string decision;
    const absl::Status status =
        pip::DecideJson(*engine, function, request, &decision);
    if (!status.ok()) ThrowStatus(status);
    return String(env, decision);
  });
}

// decidePb(handle, function, bytes) -> decision bytes
napi_value DecidePb(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<3> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    const pip::Function function = FunctionArg(env, args[1]);
    absl::string_view request;
    if (!BytesOf(env, args[2], &request)) {
      throw TypeErrorThrown{"request must be a Buffer or Uint8Array"};
    }
    std::string decision;
    const absl::Status status =
        pip::DecidePb(*engine, function, request, &decision);
    if (!status.ok()) ThrowStatus(status);
    return Buffer(env, decision);
  });
}

// evaluateJson(handle, json) -> EvalResponse JSON (errors inside it)
napi_value EvaluateJson(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<2> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    return String(env, pip::EvaluateJson(
                           *engine, StringArg(env, args[1], "request")));
  });
}

// evaluatePb(handle, bytes) -> EvalResponse bytes; an error is thrown.
napi_value EvaluatePb(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<2> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    absl::string_view request;
    if (!BytesOf(env, args[1], &request)) {
      throw TypeErrorThrown{"request must be a Buffer or Uint8Array"};
    }
    const std::string bytes = pip::EvaluatePb(*engine, request);
    pip::v1::EvalResponse response;
    if (!response.ParseFromString(bytes)) {
      throw StatusError{"INTERNAL", "the engine's answer does not parse"};
    }
    if (response.has_error()) {
      throw StatusError{response.error().code(), response.error().message()};
    }
    return Buffer(env, bytes);
  });
}

// explain(handle, json, quoteClauses) -> text
napi_value Explain(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<3> args(env, info);
    std::shared_ptr<pip::Engine> engine = EngineArg(env, args[0]);
    absl::StatusOr<pip::v1::EvalRequest> request =
        pip::ParseEvalRequestJson(StringArg(env, args[1], "request"));
    if (!request.ok()) ThrowStatus(request.status());
    const bool quote = BoolArg(env, args[2], "quoteClauses");
    const pip::v1::EvalResponse response = engine->Evaluate(*request);
    if (response.has_error()) {
      throw StatusError{response.error().code(), response.error().message()};
    }
    return String(env, engine->Explain(response, quote));
  });
}

// --- Batches on the libuv thread pool ------------------------------------------

// One batch: the inputs copied on the JavaScript thread, decided on a pool
// thread (Execute, which touches no JavaScript value), and the promise
// settled back on the JavaScript thread (Complete).
struct BatchWork {
  std::shared_ptr<pip::Engine> engine;
  bool pb = false;
  std::vector<std::string> lines;  // JSON: one EvalRequest each
  std::string requests;            // pb: an EvalBatchRequest
  std::vector<std::string> answers;
  std::string responses;
  absl::Status status;
  std::string failure;  // a C++ exception caught on the pool thread
  napi_deferred deferred = nullptr;
  napi_async_work work = nullptr;
};

void ExecuteBatch(napi_env, void* data) {
  auto* batch = static_cast<BatchWork*>(data);
  try {
    if (batch->pb) {
      batch->status =
          pip::EvaluateBatchPb(*batch->engine, batch->requests, &batch->responses);
    } else {
      std::vector<absl::string_view> views(batch->lines.begin(),
                                           batch->lines.end());
      batch->answers = pip::EvaluateJsonBatch(*batch->engine, views);
    }
  } catch (const std::bad_alloc&) {
    batch->status = absl::ResourceExhaustedError("pip: out of memory");
  } catch (const std::exception& e) {
    batch->failure = e.what();
  } catch (...) {
    batch->failure = "unknown C++ exception";
  }
  // The engine is released here, on the pool: a close() during the batch
  // then frees it without waiting for the JavaScript thread.
  batch->engine.reset();
}

// Rejects the batch's promise with the exception Guard() left pending.
void RejectWithPending(napi_env env, napi_deferred deferred) {
  napi_value error = nullptr;
  if (napi_get_and_clear_last_exception(env, &error) == napi_ok &&
      error != nullptr) {
    napi_reject_deferred(env, deferred, error);
  }
}

void CompleteBatch(napi_env env, napi_status status, void* data) {
  std::unique_ptr<BatchWork> batch(static_cast<BatchWork*>(data));
  napi_delete_async_work(env, batch->work);
  napi_value result = Guard(env, [&]() -> napi_value {
    if (status != napi_ok) {
      throw StatusError{"CANCELLED", "evaluateBatch: the batch was cancelled"};
    }
    if (!batch->failure.empty()) {
      throw StatusError{"INTERNAL", absl::StrCat("pip: ", batch->failure)};
    }
    if (!batch->status.ok()) ThrowStatus(batch->status);
    if (batch->pb) return Buffer(env, batch->responses);
    napi_value array = nullptr;
    Check(env, napi_create_array_with_length(env, batch->answers.size(), &array));
    for (size_t i = 0; i < batch->answers.size(); ++i) {
      Check(env, napi_set_element(env, array, static_cast<uint32_t>(i),
                                  String(env, batch->answers[i])));
    }
    return array;
  });
  if (result != nullptr) {
    napi_resolve_deferred(env, batch->deferred, result);
  } else {
    RejectWithPending(env, batch->deferred);
  }
}

// Queues `batch` and returns its promise.
napi_value QueueBatch(napi_env env, std::unique_ptr<BatchWork> batch) {
  napi_value promise = nullptr;
  Check(env, napi_create_promise(env, &batch->deferred, &promise));
  napi_value name = String(env, "pip.evaluateBatch");
  const napi_status created =
      napi_create_async_work(env, nullptr, name, ExecuteBatch, CompleteBatch,
                             batch.get(), &batch->work);
  if (created != napi_ok) {
    // The promise exists: reject it rather than throw.
    napi_value error = nullptr;
    napi_create_error(env, String(env, "INTERNAL"),
                      String(env, "pip: cannot queue the batch"), &error);
    napi_reject_deferred(env, batch->deferred, error);
    return promise;
  }
  if (napi_queue_async_work(env, batch->work) != napi_ok) {
    napi_delete_async_work(env, batch->work);
    napi_value error = nullptr;
    napi_create_error(env, String(env, "INTERNAL"),
                      String(env, "pip: cannot queue the batch"), &error);
    napi_reject_deferred(env, batch->deferred, error);
    return promise;
  }
  batch.release();  // CompleteBatch owns it now
  return promise;
}

// evaluateBatch(handle, [json, ...]) -> Promise<[EvalResponse JSON, ...]>
napi_value EvaluateBatch(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<2> args(env, info);
    auto batch = std::make_unique<BatchWork>();
    batch->engine = EngineArg(env, args[0]);
    bool is_array = false;
    Check(env, napi_is_array(env, args[1], &is_array));
    if (!is_array) throw TypeErrorThrown{"requests must be an array"};
    uint32_t n = 0;
    Check(env, napi_get_array_length(env, args[1], &n));
    if (n > pip::kMaxBatchRequests) {
      throw StatusError{
          "INVALID_ARGUMENT",
          absl::StrCat("requests: ", n, " requests is over kMaxBatchRequests (",
                       pip::kMaxBatchRequests, ")")};
    }
    size_t total = 0;
    batch->lines.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      napi_value line = nullptr;
      Check(env, napi_get_element(env, args[1], i, &line));
      batch->lines.push_back(StringArg(env, line, "requests[i]"));
      total += batch->lines.back().size();
      if (total > pip::kMaxBatchBytes) {
        throw StatusError{"INVALID_ARGUMENT",
                          absl::StrCat("requests: over kMaxBatchBytes (",
                                       pip::kMaxBatchBytes, " bytes)")};
      }
    }
    return QueueBatch(env, std::move(batch));
  });
}

// evaluateBatchPb(handle, bytes) -> Promise<EvalBatchResponse bytes>
napi_value EvaluateBatchPb(napi_env env, napi_callback_info info) {
  return Guard(env, [&] {
    Args<2> args(env, info);
    auto batch = std::make_unique<BatchWork>();
    batch->engine = EngineArg(env, args[0]);
    batch->pb = true;
    batch->requests = BytesArg(env, args[1], "requests");
    return QueueBatch(env, std::move(batch));
  });
}

// setErrorClass(PipError): the class every pip status is thrown as.
napi_value SetErrorClass(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    Args<1> args(env, info);
    if (TypeOf(env, args[0]) != napi_function) {
      throw TypeErrorThrown{"PipError must be a class"};
    }
    Instance* instance = nullptr;
    Check(env, napi_get_instance_data(env, reinterpret_cast<void**>(&instance)));
    if (instance == nullptr) throw StatusError{"INTERNAL", "pip: no instance"};
    if (instance->pip_error != nullptr) {
      Check(env, napi_delete_reference(env, instance->pip_error));
      instance->pip_error = nullptr;
    }
    Check(env, napi_create_reference(env, args[0], 1, &instance->pip_error));
    return nullptr;
  });
}

void FinalizeInstance(napi_env env, void* data, void*) {
  auto* instance = static_cast<Instance*>(data);
  if (instance->pip_error != nullptr) {
    napi_delete_reference(env, instance->pip_error);
  }
  delete instance;
}

napi_value Init(napi_env env, napi_value exports) {
  return Guard(env, [&] {
    auto instance = std::make_unique<Instance>();
    Check(env, napi_set_instance_data(env, instance.get(), FinalizeInstance,
                                      nullptr));
    instance.release();

    const napi_property_descriptor methods[] = {
#define PIP_METHOD(js, fn) \
  {js, nullptr, fn, nullptr, nullptr, nullptr, napi_enumerable, nullptr}
        PIP_METHOD("setErrorClass", SetErrorClass),
        PIP_METHOD("create", Create),
        PIP_METHOD("reload", Reload),
        PIP_METHOD("close", Close),
        PIP_METHOD("policyVersion", PolicyVersion),
        PIP_METHOD("policyHash", PolicyHash),
        PIP_METHOD("decideJson", DecideJson),
        PIP_METHOD("decidePb", DecidePb),
        PIP_METHOD("evaluateJson", EvaluateJson),
        PIP_METHOD("evaluatePb", EvaluatePb),
        PIP_METHOD("explain", Explain),
        PIP_METHOD("evaluateBatch", EvaluateBatch),
        PIP_METHOD("evaluateBatchPb", EvaluateBatchPb),
#undef PIP_METHOD
    };
    Check(env, napi_define_properties(env, exports,
                                      sizeof(methods) / sizeof(methods[0]),
                                      methods));

    // The decision functions of pip/functions.def: [name, number] pairs in
    // EvalRequest's order.
    napi_value functions = nullptr;
    Check(env, napi_create_array(env, &functions));
    uint32_t i = 0;
#define PIP_FUNCTION(Name, name, number)                                   \
  {                                                                        \
    napi_value pair = nullptr;                                             \
    napi_value num = nullptr;                                              \
    Check(env, napi_create_array_with_length(env, 2, &pair));              \
    Check(env, napi_create_uint32(env, number, &num));                     \
    Check(env, napi_set_element(env, pair, 0, String(env, #name)));        \
    Check(env, napi_set_element(env, pair, 1, num));                       \
    Check(env, napi_set_element(env, functions, i++, pair));               \
  }
#include "pip/functions.def"
#undef PIP_FUNCTION
    Check(env, napi_set_named_property(env, exports, "functions", functions));
    Check(env, napi_set_named_property(env, exports, "version",
                                       String(env, PIP_VERSION_STRING)));
    return exports;
  });
}

}  // namespace

NAPI_MODULE_INIT() { return Init(env, exports); }
