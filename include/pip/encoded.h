// pip/encoded.h: decisions on encoded requests, for the C API, the language
// bindings and any program that holds requests as bytes rather than as
// pip.v1 messages.
//
// Two encodings, one word each, the same in C++, C and Python:
//   pb    serialized protobuf: a pip.v1 message's bytes (C: pip_*_pb,
//         Python: *_pb);
//   json  the proto3 JSON mapping with proto field names and enum names,
//         one object (C: pip_*_json, Python: the dict API).
//
// Example:
//
//   std::string decision;
//   absl::Status s = pip::DecideJson(*engine, pip::Function::kRetentionDue,
//       R"({"kind": "inquiry", "event_at": "2023-05-10T14:00:00+09:00",
//           "as_of": "2026-05-11T00:00:00+09:00"})", &decision);
//   // decision: {"due":true,"retain_until":"2026-05-10",...}
//
//   std::string line = pip::EvaluateJson(*engine, R"({"retention_due": {...}})");
//   // line: {"retention_due":{...}} or {"error":{"code":...,"message":...}}
//
// Every function here decides exactly as the Engine's message functions do
// (one pipeline serves them all: docs/architecture.md) and records to the
// engine's audit sink alike. Requests are read strictly: bytes that are
// truncated or corrupt, that hold a field this version of pip does not know
// (a field a newer caller relies on is never dropped silently), a singular
// field or a oneof member given twice (protobuf would keep the last one
// silently), or JSON that is malformed, has an unknown field, a wrong type
// or a key given twice, are InvalidArgumentError; so is input past the
// limits of pip/limits.h.
//
// Thread-safety: every function may be called concurrently with others and
// with Engine::Reload(); each call decides on one policy.
#ifndef PIP_ENCODED_H_
#define PIP_ENCODED_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"

namespace pip {

// A decision function: its number is its member number in pip.v1
// .EvalRequest and EvalResponse (pip/functions.def).
enum class Function : int {
#define PIP_FUNCTION(Name, name, number) k##Name = number,
#include "pip/functions.def"
#undef PIP_FUNCTION
};

// The function's name as pip.v1.EvalRequest spells it ("retention_due"),
// or "" for a value that names no function.
absl::string_view FunctionName(Function function);

// Decides one function's request: `request` holds a pip.v1.<Name>Request
// (serialized protobuf for DecidePb, JSON for DecideJson), and on success
// `*decision` is replaced by the pip.v1.<Name>Decision in the same
// encoding (JSON: one line, no newline, every field printed). On error
// `*decision` is left unchanged. Errors: InvalidArgumentError for a request
// that cannot be read (see above) or does not resolve (naming the field,
// e.g. "categories[1]: unknown category 'emial' (did you mean 'email'?)"),
// or for an unknown `function`; with an audit sink, UnavailableError
// ("audit log: ...") when the record could not be written.
absl::Status DecidePb(const Engine& engine, Function function,
                      absl::string_view request, std::string* decision);
absl::Status DecideJson(const Engine& engine, Function function,
                        absl::string_view request, std::string* decision);

// Decides whichever function a pip.v1.EvalRequest holds and returns the
// pip.v1.EvalResponse in the same encoding (JSON: one line, no newline).
// Never fails: a request that cannot be read or decided is answered with
// EvalResponse.error (the status code's name and message). This is what
// `pipctl eval` does per line, and pip_eval_pb / pip_eval_json.
std::string EvaluatePb(const Engine& engine, absl::string_view request);
std::string EvaluateJson(const Engine& engine, absl::string_view request);

// EvaluateJson() of each of `lines` (JSON lines without their newlines),
// all on one policy, the one running when the call starts: answer i
// answers lines[i]. Never fails as a whole.
std::vector<std::string> EvaluateJsonBatch(
    const Engine& engine, absl::Span<const absl::string_view> lines);

// The answers to `lines`, JSON lines of pip.v1.EvalRequest separated by
// "\n" (a "\r" before it is ignored; the last line need not end with one;
// "" holds no line), all decided on one policy, the one running when the
// call starts: one EvalResponse line each, each followed by "\n", appended
// to `*answers`; `*count` (when not null) receives the number of lines. A
// line that cannot be read or decided is answered with its error, as
// EvaluateJson answers it. Errors, `*answers` unchanged: InvalidArgument
// over kMaxBatchBytes or kMaxBatchRequests lines; ResourceExhausted as soon
// as the answers pass kMaxBatchOutputBytes; with an audit sink, the
// decisions made before were recorded. This is pip_eval_batch_json.
absl::Status EvaluateJsonLines(const Engine& engine, absl::string_view lines,
                               std::string* answers, size_t* count);

// A serialized pip.v1.EvalBatchRequest, decided on one policy, into a
// serialized pip.v1.EvalBatchResponse: responses[i] answers requests[i],
// and a request that cannot be read or decided gets its own error. Returns
// InvalidArgumentError, leaving `*responses` unchanged, only when the
// batch itself cannot be read (corrupt bytes, a field other than
// `requests`, over kMaxBatchBytes or kMaxBatchRequests requests), and
// ResourceExhaustedError as soon as the responses pass
// kMaxBatchOutputBytes.
absl::Status EvaluateBatchPb(const Engine& engine, absl::string_view requests,
                             std::string* responses);

// Parses one JSON pip.v1.EvalRequest as every JSON surface reads it.
// Returns InvalidArgumentError for malformed JSON, unknown fields, wrong
// types, numbers out of their field's range, a field given twice in one
// object (naming the key), or input over kMaxJsonRequestBytes.
absl::StatusOr<v1::EvalRequest> ParseEvalRequestJson(absl::string_view json);

// The answer of every surface to a request it cannot evaluate: an
// EvalResponse whose error holds the status code's name and `status`'s
// message.
v1::EvalResponse ErrorResponse(const absl::Status& status);

// ErrorResponse(status) as one line of JSON (no newline). Bytes of the
// message that are not UTF-8 become U+FFFD, so the line is always valid
// JSON.
std::string ErrorJson(const absl::Status& status);

}  // namespace pip

#endif  // PIP_ENCODED_H_
