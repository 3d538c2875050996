// The line loop of `pipctl eval` and `pipctl explain`, apart from main() so
// that tests and the fuzzer drive exactly what the command runs.
#ifndef PIP_TOOLS_PIPCTL_EVAL_STREAM_H_
#define PIP_TOOLS_PIPCTL_EVAL_STREAM_H_

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/limits.h"
#include "pip/v1/decision.pb.h"

namespace pipctl {

// How `pipctl eval` prints each pip.v1.EvalResponse.
enum class OutputFormat {
  // One line of JSON per answer, exactly as pip::EvaluateJson writes it.
  kJson,
  // The same JSON indented over several lines (PrettyJson), each answer
  // followed by a newline.
  kPretty,
};

struct StreamOptions {
  // A line longer than this (without its ending) is answered with an error
  // naming kMaxEvalLineBytes, without being held in memory.
  size_t max_line_bytes = pip::kMaxEvalLineBytes;
  OutputFormat format = OutputFormat::kJson;
  // Count the decisions that say no (IsDenial). `eval` reads its own
  // answer back to know, so this costs a parse per line; `explain` always
  // counts.
  bool count_denials = false;
};

// What a stream held, added to by each call.
struct LineCounts {
  size_t answered = 0;
  // Lines answered with EvalResponse.error.
  size_t errors = 0;
  // Decisions that say no (IsDenial); counted only when asked.
  size_t denied = 0;
};

// One answer: its text and what it was.
struct Answer {
  std::string text;
  bool error = false;
  bool denied = false;
};

// Reads `in` line by line (a line ends with LF or CRLF; a last line without
// one counts) and writes answer(line).text followed by LF to `out`,
// flushing after each, so output line N answers input line N and a reader
// of a pipe sees each answer as soon as it is made. A line longer than
// `max_line_bytes` (without its ending) is passed as InvalidArgument naming
// kMaxEvalLineBytes instead; it is skipped without being held in memory and
// the stream goes on. `input_name` names `in` in errors ("standard input",
// a file name). Returns UnavailableError naming what failed when `in`
// cannot be read (a closed descriptor, a directory, EIO) or `out` cannot be
// written (a full disk, a closed pipe); the lines before it were answered
// and counted.
absl::Status AnswerLines(std::istream& in, absl::string_view input_name,
                         std::ostream& out,
                         absl::FunctionRef<Answer(
                             const absl::StatusOr<absl::string_view>&)>
                             answer,
                         size_t max_line_bytes, LineCounts* counts);

// `pipctl eval`: one pip.v1.EvalResponse per input line (pip::EvaluateJson),
// an error line for a line that is too long. Errors as AnswerLines.
absl::Status EvalLines(const pip::Engine& engine, std::istream& in,
                       absl::string_view input_name, std::ostream& out,
                       const StreamOptions& options, LineCounts* counts);

// `pipctl explain`: each input line's decision explained (Engine::Explain).
// An explanation spans several lines; each ends with an empty line. Errors
// as AnswerLines.
absl::Status ExplainLines(const pip::Engine& engine, std::istream& in,
                          absl::string_view input_name, std::ostream& out,
                          const StreamOptions& options, LineCounts* counts);

// True for a decision that says no to the question asked: purpose_allowed
// not allowed, acquisition_check or contractor_check not allowed,
// consent_check not valid, request_validate not valid (the request
// cannot be answered yet). retention_due, incident_assess and
// complaint_route answer "when" and "what next", never no; an error is not
// a denial (it is counted apart).
bool IsDenial(const pip::v1::EvalResponse& response);

// `json` (one line of JSON, as pip writes it) indented by two spaces per
// level, one member or element per line; every token, and so every string
// and number, is kept byte for byte, so the pretty form says exactly what
// the line says. Written here rather than by printing the message again:
// protobuf's printer would print the fields pip leaves out of a reason.
std::string PrettyJson(absl::string_view json);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_EVAL_STREAM_H_
