#include "example_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"

ABSL_FLAG(std::string, policy, "",
          "Policy file (text or binary pip.v1.Policy). Default: the policy "
          "embedded in pip.");
ABSL_FLAG(std::string, as_of, "",
          "Decision time, RFC 3339, e.g. 2026-05-11T00:00:00+09:00.");

namespace pip_examples {

absl::StatusOr<std::unique_ptr<pip::Engine>> EngineFromFlags() {
  const std::string file = absl::GetFlag(FLAGS_policy);
  return pip::Engine::Create(file.empty() ? pip::PolicySource::Default()
                                          : pip::PolicySource::File(file));
}

absl::StatusOr<std::optional<google::protobuf::Timestamp>> AsOfFromFlags() {
  const std::string text = absl::GetFlag(FLAGS_as_of);
  if (text.empty()) return std::nullopt;
  google::protobuf::Timestamp t;
  if (!google::protobuf::util::TimeUtil::FromString(text, &t)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--as_of: not an RFC 3339 time: '", text, "'"));
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
