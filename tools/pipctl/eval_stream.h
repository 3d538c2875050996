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

// Reads `in` line by line (a line ends with LF or CRLF; a last line without
// one counts) and writes answer(line) followed by LF to `out`, flushing after
// each, so output line N answers input line N and a reader of a pipe sees each
// answer as soon as it is made. A line longer than `max_line_bytes` (without
// its ending) is passed as InvalidArgument naming kMaxEvalLineBytes instead;
// it is skipped without being held in memory and the stream goes on. Returns
// the number of lines answered.
size_t AnswerLines(
    std::istream& in, std::ostream& out,
    absl::FunctionRef<std::string(const absl::StatusOr<absl::string_view>&)>
        answer,
    size_t max_line_bytes = pip::kMaxEvalLineBytes);

// `pipctl eval`: one pip.v1.EvalResponse JSON line per input line
// (pip::EvaluateJson), an error line for a line that is too long.
size_t EvalLines(const pip::Engine& engine, std::istream& in,
                 std::ostream& out,
                 size_t max_line_bytes = pip::kMaxEvalLineBytes);

// `pipctl explain`: each input line's decision explained (Engine::Explain).
// An explanation spans several lines; each ends with an empty line.
size_t ExplainLines(const pip::Engine& engine, std::istream& in,
                    std::ostream& out,
                    size_t max_line_bytes = pip::kMaxEvalLineBytes);

}  // namespace pipctl

#endif  // PIP_TOOLS_PIPCTL_EVAL_STREAM_H_
