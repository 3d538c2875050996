// Fuzzes the text policy loader (Engine::Create of a PolicySource::Text,
// ValidatePolicyText). Properties: the same text gives the same answer twice;
// validation and loading agree; a loaded policy passes CheckEngine
// (properties.h).
#include <cstddef>
#include <cstdint>

#include "pip/engine.h"
#include "pip/policy.h"
#include "tests/fuzz/properties.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using pip::fuzz::Check;
  const std::string text = pip::fuzz::Bytes(data, size);
  auto engine =
      pip::Engine::Create(pip::PolicySource::Text(text, "fuzz.textproto"));
  auto again =
      pip::Engine::Create(pip::PolicySource::Text(text, "fuzz.textproto"));
  Check(engine.ok() == again.ok(), "the same policy text loads the same way twice");
  const std::vector<pip::PolicyProblem> problems = pip::ValidatePolicyText(text);
  Check(problems.empty() == engine.ok(), "validation and loading agree");
  if (!engine.ok()) {
    Check(engine.status().code() == absl::StatusCode::kInvalidArgument,
          "a bad policy is InvalidArgument");
    Check(engine.status().message() == again.status().message(),
          "the same policy text gives the same problems twice");
    return 0;
  }
  Check((*engine)->policy_hash() == (*again)->policy_hash(),
        "the same policy text gives the same hash twice");
  pip::fuzz::CheckEngine(**engine);
  return 0;
}
