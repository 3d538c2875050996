// example_flags.h: the flags every example takes, and what they mean. The
// examples parse their command lines with CLI11, as pipctl does, so every
// program of pip spells flags one way: `--as-of=TIME` or `--as-of TIME`.
//
//   --policy FILE     a text or binary pip.v1.Policy; default: the policy
//                     embedded in pip (pip::PolicySource::Default()).
//   --as-of RFC3339   the moment of the decisions, e.g.
//                     2026-05-11T00:00:00+09:00; default: up to the example.
//
// Thread-safety: call these from main().
#ifndef PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_
#define PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_

#include <memory>
#include <optional>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/engine.h"

namespace pip_examples {

// The values of the common flags.
struct ExampleFlags {
  std::string policy;
  std::string as_of;
};

// Adds --policy and --as-of to `app`, filling `flags` when it parses.
void AddExampleFlags(CLI::App* app, ExampleFlags* flags);

// Parses the command line into `app`; on --help prints the usage and
// returns 0, on a usage error prints it and returns 2; returns nullopt when
// the program goes on.
std::optional<int> ParseOrExit(CLI::App* app, int argc, char** argv);

// The engine --policy names. Errors are those of pip::Engine::Create with
// pip::PolicySource::File (NotFoundError, InvalidArgumentError listing every
// problem of the policy).
absl::StatusOr<std::unique_ptr<pip::Engine>> EngineFromFlags(
    const ExampleFlags& flags);

// The time --as-of gives, or nullopt when it is not set. Returns
// InvalidArgumentError naming the flag when it is not RFC 3339.
absl::StatusOr<std::optional<google::protobuf::Timestamp>> AsOfFromFlags(
    const ExampleFlags& flags);

// `t` as RFC 3339 in Japan time (UTC+9, no DST), the zone pip counts civil
// dates in, e.g. "2026-05-11T00:00:00+09:00".
std::string JapanTime(const google::protobuf::Timestamp& t);

}  // namespace pip_examples

#endif  // PIP_EXAMPLES_COMMON_EXAMPLE_FLAGS_H_
