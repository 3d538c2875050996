#include "example_flags.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"

namespace pip_examples {

void AddExampleFlags(CLI::App* app, ExampleFlags* flags) {
  app->add_option("--policy", flags->policy,
                  "policy file (text or binary pip.v1.Policy); default: the "
                  "policy embedded in pip")
      ->type_name("FILE");
  app->add_option("--as-of", flags->as_of,
                  "decision time, RFC 3339, e.g. 2026-05-11T00:00:00+09:00")
      ->type_name("RFC3339");
}

std::optional<int> ParseOrExit(CLI::App* app, int argc, char** argv) {
  try {
    app->parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app->exit(e) == 0 ? 0 : 2;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<pip::Engine>> EngineFromFlags(
    const ExampleFlags& flags) {
  return pip::Engine::Create(flags.policy.empty()
                                 ? pip::PolicySource::Default()
                                 : pip::PolicySource::File(flags.policy));
}

absl::StatusOr<std::optional<google::protobuf::Timestamp>> AsOfFromFlags(
    const ExampleFlags& flags) {
  if (flags.as_of.empty()) return std::nullopt;
  google::protobuf::Timestamp t;
  if (!google::protobuf::util::TimeUtil::FromString(flags.as_of, &t)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--as-of: not an RFC 3339 time: '", flags.as_of, "'"));
  }
  return t;
}

std::string JapanTime(const google::protobuf::Timestamp& t) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%S%Ez",
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos()),
      absl::FixedTimeZone(9 * 60 * 60));
}

}  // namespace pip_examples
