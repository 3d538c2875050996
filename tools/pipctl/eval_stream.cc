#include "tools/pipctl/eval_stream.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <streambuf>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace pipctl {
namespace {

// The system's reason for the last failed call, or a fallback when it left
// none.
std::string SystemReason(int error) {
  return error != 0 ? std::strerror(error) : "unknown error";
}

absl::Status ReadFailed(absl::string_view input_name, int error) {
  return absl::UnavailableError(absl::StrCat(
      "cannot read ", input_name, ": ", SystemReason(error)));
}

}  // namespace

absl::Status AnswerLines(std::istream& in, absl::string_view input_name,
                         std::ostream& out,
                         absl::FunctionRef<Answer(
                             const absl::StatusOr<absl::string_view>&)>
                             answer,
                         size_t max_line_bytes, LineCounts* counts) {
  std::streambuf* buf = in.rdbuf();
  if (buf == nullptr) return ReadFailed(input_name, EBADF);
  // Up to two bytes past the limit are kept: a CR that ends the line is not
  // part of it, and one more byte proves the line too long.
  const size_t keep = max_line_bytes + 2;
  std::string line;
  size_t number = 0;
  for (;;) {
    line.clear();
    size_t length = 0;
    int c;
    // libstdc++'s file buffers throw on a failed read(2) (a closed
    // descriptor, a directory, EIO); the stream's state would not say.
    try {
      errno = 0;
      c = buf->sbumpc();
      if (c == std::char_traits<char>::eof()) break;
      while (c != std::char_traits<char>::eof() && c != '\n') {
        ++length;
        if (line.size() < keep) line.push_back(static_cast<char>(c));
        c = buf->sbumpc();
      }
    } catch (const std::exception&) {
      return ReadFailed(input_name, errno);
    }
    ++number;
    if (!line.empty() && line.back() == '\r' && length == line.size()) {
      line.pop_back();
      --length;
    }
    Answer a;
    if (length > max_line_bytes) {
      a = answer(absl::InvalidArgumentError(absl::StrCat(
          "line ", number, " is ", length, " bytes; the limit is ",
          max_line_bytes, " (kMaxEvalLineBytes)")));
    } else {
      a = answer(absl::string_view(line));
    }
    errno = 0;
    out << a.text << '\n';
    out.flush();
    if (!out) {
      return absl::UnavailableError(absl::StrCat(
          "cannot write the answer to line ", number, " of ", input_name,
          ": ", SystemReason(errno)));
    }
    ++counts->answered;
    if (a.error) ++counts->errors;
    if (a.denied) ++counts->denied;
  }
  return absl::OkStatus();
}

bool IsDenial(const pip::v1::EvalResponse& response) {
  switch (response.response_case()) {
    case pip::v1::EvalResponse::kPurposeAllowed:
      return !response.purpose_allowed().allowed();
    case pip::v1::EvalResponse::kConsentCheck:
      return !response.consent_check().valid();
    case pip::v1::EvalResponse::kRequestValidate:
      return !response.request_validate().valid();
    case pip::v1::EvalResponse::kContractorCheck:
      return !response.contractor_check().allowed();
    case pip::v1::EvalResponse::kAcquisitionCheck:
      return !response.acquisition_check().allowed();
    default:
      return false;
  }
}

std::string PrettyJson(absl::string_view json) {
  std::string out;
  out.reserve(json.size() * 2);
  int depth = 0;
  bool in_string = false;
  const auto newline = [&](int level) {
    out.push_back('\n');
    out.append(static_cast<size_t>(2 * (level < 0 ? 0 : level)), ' ');
  };
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < json.size()) {
        out.push_back(json[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[': {
        out.push_back(c);
        const char close = c == '{' ? '}' : ']';
        if (i + 1 < json.size() && json[i + 1] == close) {
          out.push_back(close);  // {} and [] stay on one line
          ++i;
        } else {
          newline(++depth);
        }
        break;
      }
      case '}':
      case ']':
        newline(--depth);
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline(depth);
        break;
      case ':':
        out.append(": ");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

absl::Status EvalLines(const pip::Engine& engine, std::istream& in,
                       absl::string_view input_name, std::ostream& out,
                       const StreamOptions& options, LineCounts* counts) {
  return AnswerLines(
      in, input_name, out,
      [&](const absl::StatusOr<absl::string_view>& line) {
        Answer a;
        a.text = line.ok() ? pip::EvaluateJson(engine, *line)
                           : pip::ErrorJson(line.status());
        // An EvalResponse has one member; its name comes first.
        a.error = absl::StartsWith(a.text, R"({"error":)");
        if (options.count_denials && !a.error) {
          // An answer that cannot be read back counts as a denial: --fail-on
          // deny never passes what it could not check.
          pip::v1::EvalResponse response;
          a.denied = !google::protobuf::util::JsonStringToMessage(
                          a.text, &response,
                          google::protobuf::util::JsonParseOptions())
                          .ok() ||
                     IsDenial(response);
        }
        if (options.format == OutputFormat::kPretty) {
          a.text = PrettyJson(a.text);
        }
        return a;
      },
      options.max_line_bytes, counts);
}

absl::Status ExplainLines(const pip::Engine& engine, std::istream& in,
                          absl::string_view input_name, std::ostream& out,
                          const StreamOptions& options, LineCounts* counts) {
  return AnswerLines(
      in, input_name, out,
      [&](const absl::StatusOr<absl::string_view>& line) {
        absl::StatusOr<pip::v1::EvalRequest> request =
            line.ok() ? pip::ParseEvalRequestJson(*line)
                      : absl::StatusOr<pip::v1::EvalRequest>(line.status());
        const pip::v1::EvalResponse response =
            request.ok() ? engine.Evaluate(*request)
                         : pip::ErrorResponse(request.status());
        Answer a;
        a.text = engine.Explain(response);
        a.error = response.has_error();
        a.denied = IsDenial(response);
        return a;
      },
      options.max_line_bytes, counts);
}

}  // namespace pipctl
