// example_flags.h: the flags every example takes, and what they mean.
//
//   --policy=FILE     a text or binary pip.v1.Policy; default: the policy
//                     embedded in pip (pip::PolicySource::Default()).
//   --as_of=RFC3339   the moment of the decisions, e.g.
//                     2026-05-11T00:00:00+09:00; default: up to the example.
//
// Thread-safety: call these from main() after absl::ParseCommandLine.
#ifndef PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_
#define PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/flags/declare.h"
#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/engine.h"

ABSL_DECLARE_FLAG(std::string, policy);
ABSL_DECLARE_FLAG(std::string, as_of);

namespace pip_examples {

// The engine --policy names. Errors are those of pip::Engine::Create with
// pip::PolicySource::File (NotFoundError, InvalidArgumentError listing every
// problem of the policy).
absl::StatusOr<std::unique_ptr<pip::Engine>> EngineFromFlags();

// The time --as_of gives, or nullopt when it is not set. Returns
// InvalidArgumentError naming the flag when it is not RFC 3339.
absl::StatusOr<std::optional<google::protobuf::Timestamp>> AsOfFromFlags();

// `t` as RFC 3339 in Japan time (UTC+9, no DST), the zone pip counts civil
// dates in, e.g. "2026-05-11T00:00:00+09:00".
std::string JapanTime(const google::protobuf::Timestamp& t);

}  // namespace pip_examples

#endif  // PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_
