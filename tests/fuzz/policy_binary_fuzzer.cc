// Fuzzes the binary policy loader (Engine::Create with PolicySource::Binary) and reload from
// bytes. Properties: the same bytes give the same answer twice; a failed
// reload leaves the running policy untouched; a loaded policy passes
// CheckEngine (properties.h).
#include <cstddef>
#include <cstdint>

#include "pip/engine.h"
#include "pip/limits.h"
#include "tests/fuzz/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  const std::string bytes = pip::fuzz::Bytes(data, size);
  auto engine = pip::Engine::Create(pip::PolicySource::Binary(bytes));
  auto again = pip::Engine::Create(pip::PolicySource::Binary(bytes));
  Check(engine.ok() == again.ok(), "the same policy bytes load the same way twice");
  if (!engine.ok()) {
    Check(engine.status().code() == absl::StatusCode::kInvalidArgument,
          "bad policy bytes are InvalidArgument");
    Check(engine.status().message() == again.status().message(),
          "the same policy bytes give the same problems twice");
    // The same policy given to Reload as a message is refused too, and the
    // running policy stays.
    static pip::Engine& running =
        *pip::Engine::Create(pip::PolicySource::Default())->release();
    const std::string hash = running.policy_hash();
    pip::v1::Policy policy;
    if (size <= pip::kMaxPolicyBytes && policy.ParseFromString(bytes)) {
      Check(!running.Reload(pip::PolicySource::Message(policy)).ok(),
            "a policy FromBinaryProto refuses is refused by Reload");
    }
    Check(running.policy_hash() == hash, "a failed reload leaves the policy");
    return 0;
  }
  Check((*engine)->policy_hash() == (*again)->policy_hash(),
        "the same policy bytes give the same hash twice");
  pip::fuzz::CheckEngine(**engine);
  return 0;
}
