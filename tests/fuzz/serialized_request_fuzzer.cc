// Fuzzes the serialized surface (Engine::*Serialized, pip_*_pb) and the
// direct wire paths behind it (src/codec/wire_request.h) against the
// message path, on the default policy. The first byte picks the function
// (modulo 4: purpose_allowed, consent_check, retention_due,
// request_validate), the rest is the request. Property: for any bytes, the
// serialized function answers exactly what parsing, refusing unknown
// fields, evaluating and serializing answer: the same decision bytes, or
// the same error, and an error leaves the output alone. A decision only
// where the message path decides keeps a direct path from ever allowing
// what protobuf would refuse.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/serialized.h"
#include "tests/fuzz/properties.h"

namespace {

using pip::Engine;
using pip::fuzz::Check;

template <typename Request, typename Decision>
void CheckFunction(
    const Engine& engine,
    absl::Status (Engine::*serialized)(absl::string_view, std::string*) const,
    absl::StatusOr<Decision> (Engine::*method)(const Request&) const,
    const std::string& bytes) {
  std::string answer = "untouched";
  const absl::Status status = (engine.*serialized)(bytes, &answer);

  Request request;
  absl::Status expected = pip::engine_internal::ParseRequest(bytes, &request);
  std::string expected_answer;
  if (expected.ok()) {
    absl::StatusOr<Decision> d = (engine.*method)(request);
    expected = d.status();
    if (d.ok()) expected_answer = d->SerializeAsString();
  }
  Check(status == expected,
        "the serialized path gives the message path's status");
  if (status.ok()) {
    Check(answer == expected_answer,
          "the serialized path gives the message path's decision bytes");
  } else {
    Check(answer == "untouched", "an error leaves the output alone");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string bytes = pip::fuzz::Bytes(data + 1, size - 1);
  const Engine& engine = pip::fuzz::DefaultEngine();
  switch (data[0] % 4) {
    case 0:
      CheckFunction(engine, &Engine::PurposeAllowedSerialized,
                    &Engine::PurposeAllowed, bytes);
      break;
    case 1:
      CheckFunction(engine, &Engine::ConsentCheckSerialized,
                    &Engine::ConsentCheck, bytes);
      break;
    case 2:
      CheckFunction(engine, &Engine::RetentionDueSerialized,
                    &Engine::RetentionDue, bytes);
      break;
    default:
      CheckFunction(engine, &Engine::RequestValidateSerialized,
                    &Engine::RequestValidate, bytes);
      break;
  }
  return 0;
}
