// pip/limits.h: the largest inputs pip accepts.
//
// Every limit is enforced when a request is read; a request past a limit is
// rejected with absl::InvalidArgumentError naming the limit, never truncated
// and never evaluated in part.
#ifndef PIP_LIMITS_H_
#define PIP_LIMITS_H_

#include <cstddef>

namespace pip {

// Consent records in one request.
inline constexpr int kMaxConsentsPerRequest = 1024;
// Active data-subject requests in one purpose_allowed request.
inline constexpr int kMaxActiveRequests = 256;
// Ids in one list of a request (categories, purposes) or of a consent scope.
inline constexpr int kMaxIdsPerList = 256;
// Holds on one record.
inline constexpr int kMaxHolds = 256;
// Bytes of one JSON request (one line of `pipctl eval`).
inline constexpr size_t kMaxJsonRequestBytes = 1 << 20;
// Earliest and latest times accepted, as years (inclusive).
inline constexpr int kMinYear = 1900;
inline constexpr int kMaxYear = 9999;

}  // namespace pip

#endif  // PIP_LIMITS_H_
