// Fuzzes the serialized surface (pip::DecidePb, pip_*_pb) on the default
// policy. The first byte picks the function (modulo 4: purpose_allowed,
// consent_check, retention_due, request_validate), the rest is the request.
// Properties, for any bytes: the strict reader never accepts what protobuf
// refuses; whatever it accepts decides as the message surface decides the
// message protobuf parses from the same bytes (the same decision bytes or
// the same error); an error leaves the output alone. So no encoding can be
// read as an allow that protobuf would read otherwise.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "pip/encoded.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "tests/fuzz/properties.h"

namespace {

using pip::Engine;
using pip::fuzz::Check;

template <typename Request, typename Decision>
void CheckFunction(const Engine& engine, pip::Function function,
                   absl::StatusOr<Decision> (Engine::*method)(const Request&)
                       const,
                   const std::string& bytes) {
  std::string answer = "untouched";
  const absl::Status status = pip::DecidePb(engine, function, bytes, &answer);
  if (!status.ok()) {
    Check(answer == "untouched", "an error leaves the output alone");
    Check(status.code() == absl::StatusCode::kInvalidArgument,
          "a request that cannot be read or decided is InvalidArgument");
    return;
  }
  Request request;
  Check(request.ParseFromString(bytes),
        "what the reader accepts, protobuf parses too");
  absl::StatusOr<Decision> d = (engine.*method)(request);
  Check(d.ok() && d->SerializeAsString() == answer,
        "the bytes decide as the message protobuf reads from them");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string bytes = pip::fuzz::Bytes(data + 1, size - 1);
  const Engine& engine = pip::fuzz::DefaultEngine();
  switch (data[0] % 4) {
    case 0:
      CheckFunction(engine, pip::Function::kPurposeAllowed,
                    &Engine::PurposeAllowed, bytes);
      break;
    case 1:
      CheckFunction(engine, pip::Function::kConsentCheck,
                    &Engine::ConsentCheck, bytes);
      break;
    case 2:
      CheckFunction(engine, pip::Function::kRetentionDue,
                    &Engine::RetentionDue, bytes);
      break;
    default:
      CheckFunction(engine, pip::Function::kRequestValidate,
                    &Engine::RequestValidate, bytes);
      break;
  }
  return 0;
}
