// The times pip accepts, as a check cheap enough for the inline paths of
// pip/snapshot.h.
//
// Internal to pip: pip/limits.h states the limit (kMinYear, kMaxYear) for
// callers.
#ifndef PIP_INTERNAL_TIME_RANGE_H_
#define PIP_INTERNAL_TIME_RANGE_H_

#include <cstdint>

#include "absl/time/time.h"
#include "pip/limits.h"

namespace pip {
namespace time_internal {

// The first second of kMinYear and of the year after kMaxYear as Unix
// seconds: pip accepts times in [kMinUnixSeconds, kEndUnixSeconds).
inline constexpr int64_t kMinUnixSeconds = -2208988800;   // 1900-01-01Z
inline constexpr int64_t kEndUnixSeconds = 253402300800;  // 10000-01-01Z
static_assert(kMinYear == 1900 && kMaxYear == 9999,
              "update kMinUnixSeconds and kEndUnixSeconds");

// Inline and on constants: both bounds are whole seconds, so this compiles
// to two or three integer compares of the seconds, with no call.
inline bool InTimeRange(absl::Time t) {
  return t >= absl::FromUnixSeconds(kMinUnixSeconds) &&
         t < absl::FromUnixSeconds(kEndUnixSeconds);
}

// The same on a time's whole seconds (absl::ToUnixSeconds rounds down): as
// both bounds are whole seconds, a time is in range exactly when they are,
// and the infinite times, whose seconds are INT64_MIN and INT64_MAX, are
// not. One unsigned compare.
inline bool InTimeRangeSeconds(int64_t unix_seconds) {
  return static_cast<uint64_t>(unix_seconds) -
             static_cast<uint64_t>(kMinUnixSeconds) <
         static_cast<uint64_t>(kEndUnixSeconds - kMinUnixSeconds);
}

}  // namespace time_internal
}  // namespace pip

#endif  // PIP_INTERNAL_TIME_RANGE_H_
