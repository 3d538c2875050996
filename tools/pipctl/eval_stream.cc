#include "tools/pipctl/eval_stream.h"

#include <streambuf>

#include "absl/strings/str_cat.h"

namespace pipctl {

size_t AnswerLines(
    std::istream& in, std::ostream& out,
    absl::FunctionRef<std::string(const absl::StatusOr<absl::string_view>&)>
        answer,
    size_t max_line_bytes) {
  std::streambuf* buf = in.rdbuf();
  if (buf == nullptr) return 0;
  // Up to two bytes past the limit are kept: a CR that ends the line is not
  // part of it, and one more byte proves the line too long.
  const size_t keep = max_line_bytes + 2;
  std::string line;
  size_t answered = 0;
  for (;;) {
    line.clear();
    size_t length = 0;
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) break;
    while (c != std::char_traits<char>::eof() && c != '\n') {
      ++length;
      if (line.size() < keep) line.push_back(static_cast<char>(c));
      c = buf->sbumpc();
    }
    if (!line.empty() && line.back() == '\r' && length == line.size()) {
      line.pop_back();
      --length;
    }
    if (length > max_line_bytes) {
      const absl::Status too_long = absl::InvalidArgumentError(absl::StrCat(
          "line ", answered + 1, " is ", length, " bytes; the limit is ",
          max_line_bytes, " (kMaxEvalLineBytes)"));
      out << answer(too_long) << '\n';
    } else {
      out << answer(absl::string_view(line)) << '\n';
    }
    out.flush();
    ++answered;
  }
  return answered;
}

size_t EvalLines(const pip::Engine& engine, std::istream& in,
                 std::ostream& out, size_t max_line_bytes) {
  return AnswerLines(
      in, out,
      [&](const absl::StatusOr<absl::string_view>& line) -> std::string {
        if (line.ok()) return pip::EvaluateJson(engine, *line);
        return pip::ErrorJson(line.status());
      },
      max_line_bytes);
}

size_t ExplainLines(const pip::Engine& engine, std::istream& in,
                    std::ostream& out, size_t max_line_bytes) {
  return AnswerLines(
      in, out,
      [&](const absl::StatusOr<absl::string_view>& line) {
        absl::StatusOr<pip::v1::EvalRequest> request =
            line.ok() ? pip::ParseEvalRequestJson(*line)
                      : absl::StatusOr<pip::v1::EvalRequest>(line.status());
        return engine.Explain(request.ok() ? engine.Evaluate(*request)
                                           : pip::ErrorResponse(
                                                 request.status()));
      },
      max_line_bytes);
}

}  // namespace pipctl
