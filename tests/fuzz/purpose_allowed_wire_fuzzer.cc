// Fuzzes purpose_allowed's direct wire path (Engine::PurposeAllowedSerialized
// and src/engine/wire_request.h) against the message path on the default
// policy. Property: for any bytes, the serialized function answers exactly
// what parsing, refusing unknown fields, evaluating and serializing answer:
// the same decision bytes, or the same error. A decision only where the
// message path decides is what keeps the direct path from ever allowing
// what protobuf would refuse.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"
#include "src/engine/serialized.h"
#include "tests/fuzz/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  const std::string bytes = pip::fuzz::Bytes(data, size);
  const pip::Engine& engine = pip::fuzz::DefaultEngine();

  std::string answer = "untouched";
  const absl::Status status = engine.PurposeAllowedSerialized(bytes, &answer);

  pip::v1::PurposeAllowedRequest request;
  absl::Status expected = pip::engine_internal::ParseRequest(bytes, &request);
  std::string expected_answer;
  if (expected.ok()) {
    absl::StatusOr<pip::v1::PurposeAllowedDecision> d =
        engine.PurposeAllowed(request);
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
  return 0;
}
