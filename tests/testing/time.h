// Times of the tests and benchmarks: RFC 3339 text and civil times in Tokyo
// as protobuf Timestamps and absl::Time. Test-only (pip_test_requests).
#ifndef PIP_TESTS_TESTING_TIME_H_
#define PIP_TESTS_TESTING_TIME_H_

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace pip {
namespace testing {

// Japan Standard Time, UTC+09:00, the zone of the policy's periods.
const absl::TimeZone& Tokyo();

// A civil time in Tokyo.
absl::Time TokyoTime(int y, int m, int d, int hh = 12, int mm = 0,
                     int ss = 0);

// An RFC 3339 time. A malformed one is an error of the test itself: the
// program stops with a message naming it.
google::protobuf::Timestamp Ts(absl::string_view rfc3339);

// `t` to the nanosecond, and back.
google::protobuf::Timestamp Ts(absl::Time t);
absl::Time FromTs(const google::protobuf::Timestamp& ts);

}  // namespace testing
}  // namespace pip

#endif  // PIP_TESTS_TESTING_TIME_H_
