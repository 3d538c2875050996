// The JSON helpers of src/codec/json.h.
#include "src/codec/json.h"

#include <string>

#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/stubs/common.h"
#include "pip/limits.h"
#include "src/codec/json_codec.h"

namespace pip {
namespace {

// The JSON parser quotes the offending input in its messages; input that is
// not UTF-8 must not make the error itself invalid UTF-8 (and so invalid
// JSON, or a string protobuf refuses to serialize). Replaces each byte that
// does not begin a well-formed sequence (overlong forms and surrogates
// included) with U+FFFD.
std::string ValidUtf8(absl::string_view in) {
  std::string out;
  out.reserve(in.size());
  while (!in.empty()) {
    const size_t valid = static_cast<size_t>(
        google::protobuf::internal::UTF8SpnStructurallyValid(
            google::protobuf::StringPiece(in.data(), in.size())));
    out.append(in.data(), valid);
    in.remove_prefix(valid);
    if (in.empty()) break;
    out.append("\xEF\xBF\xBD");
    in.remove_prefix(1);
  }
  return out;
}

}  // namespace

namespace engine_internal {

v1::EvalResponse ErrorResponse(const absl::Status& status) {
  v1::EvalResponse response;
  response.mutable_error()->set_code(absl::StatusCodeToString(status.code()));
  response.mutable_error()->set_message(std::string(status.message()));
  return response;
}

std::string JsonErrorLine(const absl::Status& status) {
  // Written here rather than by protobuf's printer: the line of an error is
  // what a caller gets when anything fails, running out of memory included,
  // so it is plain string appends (which a std::bad_alloc leaves
  // consistent), escaped as protobuf escapes (AppendJsonStringBody).
  const std::string code = absl::StatusCodeToString(status.code());
  const std::string message = ValidUtf8(status.message());
  std::string out;
  out.reserve(40 + code.size() + message.size());
  out.append(R"({"error":{"code":")");
  AppendJsonStringBody(code, &out);
  out.push_back('"');
  // As proto3 JSON prints it: an empty message is a default, left out.
  if (!message.empty()) {
    out.append(R"(,"message":")");
    AppendJsonStringBody(message, &out);
    out.push_back('"');
  }
  out.append("}}");
  return out;
}

namespace {

// ParseJsonRequest and ParseJsonRequestToWire: the size limit, then
// `parse`, whose error is worded as a request's.
template <typename Parse>
absl::Status ParseRequest(absl::string_view json, Parse parse) {
  if (json.size() > kMaxJsonRequestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("request is ", json.size(), " bytes; the limit is ",
                     kMaxJsonRequestBytes, " (kMaxJsonRequestBytes)"));
  }
  const absl::Status parsed = parse();
  if (ABSL_PREDICT_FALSE(!parsed.ok())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid JSON request: ",
        ValidUtf8(absl::string_view(parsed.message().data(),
                                    parsed.message().size()))));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ParseJsonRequest(absl::string_view json,
                              google::protobuf::Message* message) {
  return ParseRequest(json, [&] { return ParseJsonMessage(json, message); });
}

absl::Status ParseJsonRequestToWire(
    absl::string_view json, const google::protobuf::Descriptor* descriptor,
    std::string* wire) {
  return ParseRequest(
      json, [&] { return ParseJsonToWire(json, descriptor, wire); });
}

absl::StatusOr<std::string> PrintJsonAnswer(
    const google::protobuf::Message& message) {
  std::string out;
  out.reserve(kTypicalAnswerBytes);
  const absl::Status printed = AppendJsonMessage(message, &out);
  if (!printed.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print the decision: ", printed.message()));
  }
  return out;
}

}  // namespace engine_internal

}  // namespace pip
