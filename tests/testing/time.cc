#include "tests/testing/time.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/time/civil_time.h"
#include "google/protobuf/util/time_util.h"

namespace pip {
namespace testing {

const absl::TimeZone& Tokyo() {
  static const absl::TimeZone* const tz =
      new absl::TimeZone(absl::FixedTimeZone(9 * 3600));
  return *tz;
}

absl::Time TokyoTime(int y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), Tokyo());
}

google::protobuf::Timestamp Ts(absl::string_view rfc3339) {
  google::protobuf::Timestamp ts;
  const std::string text(rfc3339);
  if (!google::protobuf::util::TimeUtil::FromString(text, &ts)) {
    std::fprintf(stderr, "not an RFC 3339 time: \"%s\"\n", text.c_str());
    std::abort();
  }
  return ts;
}

google::protobuf::Timestamp Ts(absl::Time t) {
  const absl::Duration d = t - absl::UnixEpoch();
  const absl::Duration floor = absl::Floor(d, absl::Seconds(1));
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToInt64Seconds(floor));
  ts.set_nanos(static_cast<int32_t>(absl::ToInt64Nanoseconds(d - floor)));
  return ts;
}

absl::Time FromTs(const google::protobuf::Timestamp& ts) {
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

}  // namespace testing
}  // namespace pip
