// Fuzzes the JSON request decoder and evaluation (pip::EvaluateJson,
// ParseEvalRequestJson) on the default policy. Properties: every input gives
// one JSON answer line, the same twice; an answer is a decision only when the
// input parses, and then reads back as the message surface's answer (one
// pipeline writes both); and each parsed request passes CheckRequest
// (properties.h: determinism, surfaces agree, field removal).
#include <cstddef>
#include <cstdint>

#include "google/protobuf/util/json_util.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "google/protobuf/util/message_differencer.h"
#include "tests/fuzz/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  const pip::Engine& engine = pip::fuzz::DefaultEngine();
  const std::string json = pip::fuzz::Bytes(data, size);
  const std::string line = pip::EvaluateJson(engine, json);
  Check(pip::EvaluateJson(engine, json) == line, "the same JSON gives the same line twice");
  Check(line.find('\n') == std::string::npos, "an answer is one line");
  pip::v1::EvalResponse response;
  Check(google::protobuf::util::JsonStringToMessage(line, &response).ok(),
        "an answer line is JSON");
  Check(response.response_case() != pip::v1::EvalResponse::RESPONSE_NOT_SET,
        "an answer is a decision or an error");
  auto request = pip::ParseEvalRequestJson(json);
  if (!request.ok()) {
    Check(response.has_error(), "input that does not parse is an error, never an allow");
    Check(request.status().code() == absl::StatusCode::kInvalidArgument,
          "input that does not parse is InvalidArgument");
    return 0;
  }
  // The JSON answer reads back as the message surface's answer.
  Check(google::protobuf::util::MessageDifferencer::Equals(
            response, engine.Evaluate(*request)),
        "a JSON answer is the message answer");
  pip::fuzz::CheckRequest(engine, *request);
  return 0;
}
