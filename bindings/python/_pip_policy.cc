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

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/version.h"

namespace py = pybind11;

namespace {

// What was being read when an error arose. pip_policy/errors.py maps the
// pair (status code name, subject) to an exception class: INVALID_ARGUMENT
// is a bad request when evaluating and a bad policy when loading.
enum class Subject { kRequest, kPolicy };

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

std::unique_ptr<pip::Engine> Load(
    const std::function<absl::StatusOr<std::unique_ptr<pip::Engine>>()>& load) {
  return ValueOrThrow(WithoutGil(load), Subject::kPolicy);
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

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      try {
        py::object make = py::module_::import("pip_policy.errors")
                              .attr("_error_from_status");
        py::object exc =
            make(e.code, e.message,
                 e.subject == Subject::kPolicy ? "policy" : "request");
        PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())),
                        exc.ptr());
      } catch (py::error_already_set& failed) {
        // The table itself could not be reached: raise that, never nothing.
        failed.restore();
      }
    }
  });

  py::class_<pip::Engine>(m, "Engine")
      .def_static("default",
                  [] { return Load([] { return pip::Engine::Default(); }); })
      .def_static(
          "from_text",
          [](const std::string& text, const std::string& file) {
            return Load([&] { return pip::Engine::FromTextProto(text, file); });
          },
          py::arg("text"), py::arg("file") = "")
      .def_static(
          "from_file",
          [](const std::string& path) {
            return Load([&] { return pip::Engine::FromFile(path); });
          },
          py::arg("path"))
      .def(
          "reload_text",
          [](pip::Engine& engine, const std::string& text,
             const std::string& file) {
            OkOrThrow(WithoutGil([&] {
                        return engine.ReloadFromTextProto(text, file);
                      }),
                      Subject::kPolicy);
          },
          py::arg("text"), py::arg("file") = "")
      .def(
          "reload_file",
          [](pip::Engine& engine, const std::string& path) {
            OkOrThrow(WithoutGil([&] { return engine.ReloadFromFile(path); }),
                      Subject::kPolicy);
          },
          py::arg("path"))
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
