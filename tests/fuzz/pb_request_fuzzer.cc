// Fuzzes the protobuf request decoder behind the C API: pip_eval_pb
// (include/pip/pip.h) on the default policy. Properties: every input gives
// PIP_OK and one pip.v1.EvalResponse, the same bytes twice; an answer is a
// decision only when the bytes are a pip.v1.EvalRequest this version knows
// whole, and then it is exactly the C++ engine's answer; each such request
// passes CheckRequest (properties.h: determinism, surfaces agree, field
// removal).
#include <cstddef>
#include <cstdint>

#include "pip/engine.h"
#include "pip/pip.h"
#include "tests/fuzz/properties.h"

namespace {

std::string EvalPb(const pip_engine* engine, const uint8_t* data, size_t size) {
  uint8_t* out = nullptr;
  size_t out_len = 0;
  const pip_status status =
      pip_eval_pb(&out, &out_len, engine, data, size, nullptr);
  pip::fuzz::Check(status == PIP_OK, "pip_eval_pb answers every request");
  std::string bytes(reinterpret_cast<const char*>(out), out_len);
  pip_free(out);
  return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  static const pip_engine* c_engine = [] {
    pip_engine* e = nullptr;
    const pip_policy_source source = PIP_POLICY_SOURCE_INIT;
    Check(pip_engine_new(&e, &source, nullptr, nullptr) == PIP_OK,
          "the C engine loads");
    return e;
  }();
  const std::string answer = EvalPb(c_engine, data, size);
  Check(EvalPb(c_engine, data, size) == answer, "the same bytes give the same answer twice");
  pip::v1::EvalResponse response;
  Check(response.ParseFromString(answer), "an answer is a pip.v1.EvalResponse");
  Check(response.response_case() != pip::v1::EvalResponse::RESPONSE_NOT_SET,
        "an answer is a decision or an error");

  pip::v1::EvalRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) {
    Check(response.has_error(), "bytes that do not parse are an error, never an allow");
    return 0;
  }
  const pip::Engine& engine = pip::fuzz::DefaultEngine();
  if (!response.has_error()) {
    Check(response.SerializeAsString() == engine.Evaluate(request).SerializeAsString(),
          "the C API answers what the C++ engine answers");
  }
  pip::fuzz::CheckRequest(engine, request);
  return 0;
}
