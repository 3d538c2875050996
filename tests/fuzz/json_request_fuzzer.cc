// Fuzzes the JSON request decoder and evaluation (Engine::EvaluateJson,
// ParseEvalRequestJson) on the default policy. Properties: every input gives
// one JSON answer line, the same twice; an answer is a decision only when the
// input parses, and then byte for byte the message path's answer printed
// (every function's decision is printed by the direct path of
// src/engine/json_direct.cc); and each parsed request passes CheckRequest
// (properties.h: determinism, surfaces agree, field removal).
#include <cstddef>
#include <cstdint>

#include "google/protobuf/util/json_util.h"
#include "pip/engine.h"
#include "src/codec/json.h"
#include "src/engine/json_direct.h"
#include "tests/fuzz/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  const pip::Engine& engine = pip::fuzz::DefaultEngine();
  const std::string json = pip::fuzz::Bytes(data, size);
  const std::string line = engine.EvaluateJson(json);
  Check(engine.EvaluateJson(json) == line, "the same JSON gives the same line twice");
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
  // The direct JSON path prints byte for byte what printing the message
  // path's answer gives.
  const absl::StatusOr<std::string> printed =
      pip::engine_internal::PrintJsonAnswer(engine.Evaluate(*request));
  Check(printed.ok() && *printed == line,
        "a JSON answer is the message answer printed, byte for byte");
  pip::fuzz::CheckRequest(engine, *request);
  return 0;
}
