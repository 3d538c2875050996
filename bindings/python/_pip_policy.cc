// _pip_policy: the compiled half of the pip_policy Python package.
//
// Deliberately thin. It moves strings and bytes across the language boundary,
// releases the GIL around every call into pip::Engine, and turns a non-OK
// absl::Status into the exception that pip_policy/errors.py maps it to (the
// one table of status codes to exception classes). Dict handling and the
// Pythonic names live in the pure-Python package.
//
// Nothing here answers a question itself: every decision comes from
// pip::Engine, and every error becomes a Python exception, never a decision.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "pip/encoded.h"
#include "pip/audit.h"
#include "pip/engine.h"
#include "pip/policy.h"
#include "pip/trust.h"
#include "pip/version.h"

namespace py = pybind11;

namespace {

// What was being read when an error arose. pip_policy/errors.py maps the
// pair (status code name, subject) to an exception class: INVALID_ARGUMENT
// is a bad request when evaluating, a bad policy when loading, and a bad
// trusted key or audit key among the options.
enum class Subject { kRequest, kPolicy, kOptions, kAuditLog };

const char* SubjectName(Subject subject) {
  switch (subject) {
    case Subject::kRequest:
      return "request";
    case Subject::kPolicy:
      return "policy";
    case Subject::kOptions:
      return "options";
    case Subject::kAuditLog:
      return "audit";
  }
  return "request";
}

// Thrown with or without the GIL; translated into a Python exception by the
// translator registered in the module init, which runs with the GIL held.
struct StatusError {
  std::string code;  // the absl::StatusCode name, e.g. "INVALID_ARGUMENT"
  std::string message;
  Subject subject;
};

[[noreturn]] void ThrowStatus(const absl::Status& status, Subject subject) {
  throw StatusError{absl::StatusCodeToString(status.code()),
                    std::string(status.message()), subject};
}

template <typename T>
T ValueOrThrow(absl::StatusOr<T> value, Subject subject) {
  if (!value.ok()) ThrowStatus(value.status(), subject);
  return *std::move(value);
}

void OkOrThrow(const absl::Status& status, Subject subject) {
  if (!status.ok()) ThrowStatus(status, subject);
}

// A test hook that proves the GIL is released: while enabled, every call
// made through WithoutGil() records whether this thread held the GIL at the
// moment pip::Engine was called.
std::atomic<bool> gil_probe_enabled{false};
std::atomic<long> gil_probe_released{0};
std::atomic<long> gil_probe_held{0};

// Runs `fn` (which must not touch Python objects) with the GIL released, so
// that other Python threads run while pip evaluates or compiles.
template <typename Fn>
auto WithoutGil(Fn&& fn) -> decltype(fn()) {
  py::gil_scoped_release release;
  if (gil_probe_enabled.load(std::memory_order_relaxed)) {
    (PyGILState_Check() ? gil_probe_held : gil_probe_released)
        .fetch_add(1, std::memory_order_relaxed);
  }
  return fn();
}

// Raises the error an EvalResponse carries instead of a decision.
void ThrowIfError(const pip::v1::EvalResponse& response) {
  if (response.has_error()) {
    throw StatusError{response.error().code(), response.error().message(),
                      Subject::kRequest};
  }
  if (response.response_case() == pip::v1::EvalResponse::RESPONSE_NOT_SET) {
    throw StatusError{"INTERNAL", "the engine gave neither a decision nor an error",
                      Subject::kRequest};
  }
}

// The function named `name` (pip/functions.def), or an error naming the
// functions there are.
pip::Function FunctionNamed(const std::string& name) {
#define PIP_FUNCTION(Name, snake, number) \
  if (name == #snake) return pip::Function::k##Name;
#include "pip/functions.def"
#undef PIP_FUNCTION
  std::string known;
#define PIP_FUNCTION(Name, snake, number) \
  known += known.empty() ? #snake : ", " #snake;
#include "pip/functions.def"
#undef PIP_FUNCTION
  throw StatusError{"INVALID_ARGUMENT",
                    absl::StrCat("unknown function '", name,
                                 "': expected one of ", known),
                    Subject::kRequest};
}

// One decision, serialized request in, serialized decision out:
// pip::DecidePb, which reads the request strictly.
py::bytes DecidePb(const pip::Engine& engine, const std::string& function,
                   const py::bytes& data) {
  const pip::Function f = FunctionNamed(function);
  std::string in = data;
  std::string out = WithoutGil([&] {
    std::string decision;
    const absl::Status status = pip::DecidePb(engine, f, in, &decision);
    if (!status.ok()) ThrowStatus(status, Subject::kRequest);
    return decision;
  });
  return py::bytes(out);
}

// The EngineOptions of Engine.create's keyword arguments: trust when
// `trusted_keys` is not None, a JsonlFileSink when `audit_log` is not None.
// Runs without the GIL (opening the log may block).
pip::EngineOptions MakeOptions(
    const std::optional<std::vector<std::string>>& trusted_keys,
    bool require_signature, int64_t min_revision,
    const std::optional<std::string>& revision_file,
    const std::optional<std::string>& audit_log,
    const std::optional<std::string>& audit_key) {
  pip::EngineOptions options;
  if (trusted_keys.has_value()) {
    pip::PolicyTrustOptions trust;
    trust.trusted_keys = *trusted_keys;
    trust.require_signature = require_signature;
    trust.min_revision = min_revision;
    trust.revision_file = revision_file.value_or("");
    options.trust =
        ValueOrThrow(pip::PolicyTrust::Create(trust), Subject::kOptions);
  }
  if (audit_log.has_value()) {
    pip::JsonlFileSinkOptions log;
    log.path = *audit_log;
    const pip::AuditKey key = ValueOrThrow(
        pip::AuditKey::FromBytes(audit_key.value_or("")), Subject::kOptions);
    options.audit_sink =
        ValueOrThrow(pip::JsonlFileSink::Open(key, log), Subject::kAuditLog);
  }
  return options;
}

}  // namespace

PYBIND11_MODULE(_pip_policy, m) {
  m.doc() =
      "The compiled core of pip_policy: pip::Engine over JSON strings and "
      "serialized pip.v1 messages. Use the pip_policy package, not this.";
  m.attr("__version__") = PIP_VERSION_STRING;
  // The decision functions (pip/functions.def), in EvalRequest's order.
  py::tuple functions(0
#define PIP_FUNCTION(Name, name, number) +1
#include "pip/functions.def"
#undef PIP_FUNCTION
  );
  {
    size_t i = 0;
#define PIP_FUNCTION(Name, name, number) functions[i++] = py::str(#name);
#include "pip/functions.def"
#undef PIP_FUNCTION
  }
  m.attr("FUNCTIONS") = functions;
  m.def(
      "default_policy_text",
      [] { return std::string(pip::DefaultPolicyText()); },
      "The text of the policy embedded in the library "
      "(policies/default.textproto), the one Engine.default() runs.");

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      try {
        py::object make = py::module_::import("pip_policy.errors")
                              .attr("_error_from_status");
        py::object exc = make(e.code, e.message, SubjectName(e.subject));
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())),
                        exc.ptr());
      } catch (py::error_already_set& failed) {
        // The table itself could not be reached: raise that, never nothing.
        failed.restore();
      }
    }
  });

  // Where a policy comes from: pip::PolicySource, made by its named
  // constructors. Immutable.
  py::class_<pip::PolicySource>(m, "PolicySource")
      .def_static("default", &pip::PolicySource::Default)
      .def_static(
          "text",
          [](std::string text, std::string name) {
            return pip::PolicySource::Text(std::move(text), std::move(name));
          },
          py::arg("text"), py::arg("name") = "")
      .def_static(
          "binary",
          [](const py::bytes& data, std::string name) {
            return pip::PolicySource::Binary(data, std::move(name));
          },
          py::arg("data"), py::arg("name") = "")
      .def_static(
          "file",
          [](std::string path) {
            return pip::PolicySource::File(std::move(path));
          },
          py::arg("path"))
      .def_static(
          "signed",
          [](const py::bytes& data, const py::bytes& signature,
             std::string name) {
            return pip::PolicySource::Signed(data, signature, std::move(name));
          },
          py::arg("data"), py::arg("signature"), py::arg("name") = "")
      .def_static(
          "signed_file",
          [](std::string path, std::string signature_path) {
            return pip::PolicySource::SignedFile(std::move(path),
                                                 std::move(signature_path));
          },
          py::arg("path"), py::arg("signature_path"));

  py::class_<pip::Engine>(m, "Engine")
      .def_static(
          "create",
          [](const pip::PolicySource& source,
             std::optional<std::vector<std::string>> trusted_keys,
             bool require_signature, int64_t min_revision,
             std::optional<std::string> revision_file,
             std::optional<std::string> audit_log,
             std::optional<std::string> audit_key) {
            return WithoutGil([&] {
              pip::EngineOptions options =
                  MakeOptions(trusted_keys, require_signature, min_revision,
                              revision_file, audit_log, audit_key);
              return ValueOrThrow(
                  pip::Engine::Create(source, std::move(options)),
                  Subject::kPolicy);
            });
          },
          py::arg("source"), py::kw_only(),
          py::arg("trusted_keys") = py::none(),
          py::arg("require_signature") = true, py::arg("min_revision") = 0,
          py::arg("revision_file") = py::none(),
          py::arg("audit_log") = py::none(), py::arg("audit_key") = py::none())
      .def(
          "reload",
          [](pip::Engine& engine, const pip::PolicySource& source) {
            OkOrThrow(WithoutGil([&] { return engine.Reload(source); }),
                      Subject::kPolicy);
          },
          py::arg("source"))
      .def_property_readonly("policy_version", &pip::Engine::policy_version)
      .def_property_readonly("policy_hash", &pip::Engine::policy_hash)
      // One pip.v1.EvalRequest as JSON in, one pip.v1.EvalResponse as JSON
      // (UTF-8 bytes) out; an error comes back as {"error": {...}} for the
      // package to raise.
      .def(
          "evaluate_json",
          [](const pip::Engine& engine, const std::string& json) {
            std::string out =
                WithoutGil([&] { return pip::EvaluateJson(engine, json); });
            return py::bytes(out);
          },
          py::arg("json"))
      // Many pip.v1.EvalRequest JSON lines in, decided on one policy (the
      // one running when the call starts): one EvalResponse JSON line each,
      // in order, an error answering only its own request
      // (pip::EvaluateJsonBatch). The strings are copied before the GIL is
      // released.
      .def(
          "evaluate_json_batch",
          [](const pip::Engine& engine, const std::vector<std::string>& lines) {
            std::vector<std::string> out = WithoutGil([&] {
              const std::vector<absl::string_view> views(lines.begin(),
                                                         lines.end());
              return pip::EvaluateJsonBatch(engine, views);
            });
            py::list answers;
            for (const std::string& answer : out) answers.append(py::bytes(answer));
            return answers;
          },
          py::arg("lines"))
      .def(
          "explain_json",
          [](const pip::Engine& engine, const std::string& json,
             bool quote_clauses) {
            std::string out = WithoutGil([&] {
              const pip::v1::EvalResponse response = engine.Evaluate(
                  ValueOrThrow(pip::ParseEvalRequestJson(json),
                               Subject::kRequest));
              ThrowIfError(response);
              return engine.Explain(response, quote_clauses);
            });
            return py::bytes(out);
          },
          py::arg("json"), py::arg("quote_clauses") = true)
      .def("decide_pb", &DecidePb, py::arg("function"), py::arg("data"))
      .def(
          "evaluate_pb",
          [](const pip::Engine& engine, const py::bytes& data) {
            std::string in = data;
            std::string out = WithoutGil([&] {
              std::string bytes = pip::EvaluatePb(engine, in);
              pip::v1::EvalResponse response;
              if (!response.ParseFromString(bytes)) {
                throw StatusError{"INTERNAL", "the engine's answer does not parse",
                                  Subject::kRequest};
              }
              ThrowIfError(response);
              return bytes;
            });
            return py::bytes(out);
          },
          py::arg("data"));

  // Test hooks (not part of the API).
  m.def(
      "_gil_probe",
      [](bool enable) {
        gil_probe_released = 0;
        gil_probe_held = 0;
        gil_probe_enabled = enable;
      },
      py::arg("enable"),
      "Starts (or stops) counting, per call into pip::Engine, whether the "
      "GIL was held; resets the counts.");
  m.def(
      "_gil_probe_counts",
      [] {
        return py::make_tuple(gil_probe_released.load(), gil_probe_held.load());
      },
      "(calls made with the GIL released, calls made with it held)");
  m.def(
      "_raise_status",
      [](const std::string& code, const std::string& message, bool policy) {
        throw StatusError{code, message,
                          policy ? Subject::kPolicy : Subject::kRequest};
      },
      py::arg("code"), py::arg("message"), py::arg("policy") = false,
      "Raises the exception the module raises for this status.");
}
