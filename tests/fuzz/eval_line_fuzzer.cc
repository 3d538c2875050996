// Fuzzes the line loop of `pipctl eval` (tools/pipctl/eval_stream.h) with a
// small line limit so that overlong lines are reached. Properties: output
// line N answers input line N, for every line (bad, blank, overlong, with NUL
// bytes); each answer is exactly pip::EvaluateJson of its line, or the
// error naming kMaxEvalLineBytes for a line over the limit; nothing is
// dropped, nothing is added.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "tests/fuzz/properties.h"
#include "tools/pipctl/eval_stream.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  constexpr size_t kLimit = 200;
  const pip::Engine& engine = pip::fuzz::DefaultEngine();
  const std::string input = pip::fuzz::Bytes(data, size);
  std::istringstream in(input);
  std::ostringstream out;
  pipctl::StreamOptions options;
  options.max_line_bytes = kLimit;
  pipctl::LineCounts counts;
  Check(pipctl::EvalLines(engine, in, "input", out, options, &counts).ok(),
        "a string stream reads and writes");
  const size_t answered = counts.answered;

  std::vector<std::string> lines = absl::StrSplit(input, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  std::vector<std::string> answers = absl::StrSplit(out.str(), '\n');
  Check(answers.back().empty(), "the output ends with a newline");
  answers.pop_back();
  Check(answered == lines.size() && answers.size() == lines.size(),
        "one answer line per input line");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string line = lines[i];
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > kLimit) {
      Check(absl::StartsWith(answers[i], R"({"error":{"code":"INVALID_ARGUMENT")") &&
                absl::StrContains(answers[i], "(kMaxEvalLineBytes)"),
            "an overlong line is an error naming kMaxEvalLineBytes");
    } else {
      Check(answers[i] == pip::EvaluateJson(engine, line),
            "output line N is the answer to input line N");
    }
  }
  return 0;
}
