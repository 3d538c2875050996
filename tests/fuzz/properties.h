// Properties every fuzz target checks on what it evaluates, beyond "no
// crash". A violated property prints what broke and aborts, so libFuzzer
// keeps the input and the corpus replay under ctest fails.
//
// Field removal, made precise (docs/security.md, Fuzzing):
//  - Removing a REQUIRED field (as_of, purpose, categories, subject_id of
//    consent_check, kind, type, channel, received_at, a consent's id or
//    granted_at, an active request's type or received_at, a hold's type)
//    gives an error, never a decision.
//  - Removing a supporting FACT (a consent record, a context flag, a
//    document, identity_verified, the fee paid) never turns a decision that
//    is not an allow into an allow (monotonicity). "Allow" is allowed for
//    purpose_allowed, valid for consent_check and request_validate.
//  - Removing a restriction (an active request, a hold, a review flag) may
//    legitimately allow, and is not checked.
#ifndef PIP_TESTS_FUZZ_PROPERTIES_H_
#define PIP_TESTS_FUZZ_PROPERTIES_H_

#include <string>

#include "absl/strings/string_view.h"
#include "pip/engine.h"
#include "pip/v1/decision.pb.h"

namespace pip {
namespace fuzz {

// Prints `what` and aborts when `ok` is false.
void Check(bool ok, absl::string_view what);

// The default engine, made once.
const Engine& DefaultEngine();

// Whether a response is an allow: allowed / valid / due, not reportable (an
// incident), closed (a complaint): the answer that asks least.
bool IsAllow(const v1::EvalResponse& response);

// Checks, on `engine`, for one request: evaluating twice gives the same
// bytes; a decision carries the engine's policy version; the JSON surface
// gives the same answer as the message surface; and the field-removal
// properties above.
void CheckRequest(const Engine& engine, const v1::EvalRequest& request);

// Checks a policy the fuzzer got an engine from: its own validation is
// clean, printing and loading it again gives the same hash, and a few fixed
// requests evaluate to a decision or InvalidArgument (each checked with
// CheckRequest).
void CheckEngine(const Engine& engine);

// Bytes as a string, for the targets.
inline std::string Bytes(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace fuzz
}  // namespace pip

#endif  // PIP_TESTS_FUZZ_PROPERTIES_H_
