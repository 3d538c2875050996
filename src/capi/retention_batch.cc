// pip_retention_due_batch (include/pip/pip.h): clause 7 over columns, on
// Snapshot::RetentionSweep (pip/snapshot.h).
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "pip/engine.h"
#include "pip/pip.h"
#include "pip/snapshot.h"
#include "src/capi/call.h"
#include "src/internal/status_macros.h"

static_assert(PIP_NO_EVENT == pip::kNoEvent);
static_assert(PIP_NO_RETAIN_UNTIL == pip::kNoRetainUntil);

namespace pip {
namespace capi_internal {
namespace {

// A column of `count` values may be NULL only when empty.
absl::Status RequireColumn(const void* column, size_t count,
                           const char* name) {
  if (column == nullptr && count != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(name, " is NULL but holds ", count, " entries"));
  }
  return absl::OkStatus();
}

// The kind handle of each record, from the distinct ids and the per-record
// index into them.
absl::StatusOr<std::vector<RetentionKindId>> RecordKinds(
    const Snapshot& snapshot, const char* const* kind_ids,
    size_t kind_id_count, const uint32_t* record_kinds, size_t record_count) {
  std::vector<RetentionKindId> by_index(kind_id_count);
  for (size_t k = 0; k < kind_id_count; ++k) {
    if (kind_ids[k] == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("kind_ids[", k, "] is NULL"));
    }
    absl::StatusOr<RetentionKindId> kind = snapshot.RetentionKind(kind_ids[k]);
    if (!kind.ok()) {
      return absl::Status(kind.status().code(),
                          absl::StrCat("kind_ids[", k, "]: ",
                                       kind.status().message()));
    }
    by_index[k] = *kind;
  }
  std::vector<RetentionKindId> kinds(record_count);
  for (size_t i = 0; i < record_count; ++i) {
    if (record_kinds[i] >= kind_id_count) {
      return absl::InvalidArgumentError(absl::StrCat(
          "record_kinds[", i, "] is ", record_kinds[i], " but kind_ids has ",
          kind_id_count, " entries"));
    }
    kinds[i] = by_index[record_kinds[i]];
  }
  return kinds;
}

}  // namespace
}  // namespace capi_internal
}  // namespace pip

extern "C" pip_status pip_retention_due_batch(
    uint64_t* due_bitmap, int32_t* retain_until, const pip_engine* engine,
    const char* const* kind_ids, size_t kind_id_count,
    const uint32_t* record_kinds, const int64_t* event_unix_seconds,
    const uint8_t* held, size_t record_count, int64_t as_of_unix_seconds,
    pip_error** error) {
  using pip::capi_internal::RequireColumn;
  using pip::capi_internal::RequireNonNull;
  return pip::capi_internal::Run(
      "pip_retention_due_batch", error, [&]() -> absl::Status {
        PIP_RETURN_IF_ERROR(RequireColumn(due_bitmap, record_count, "due_bitmap"));
        PIP_RETURN_IF_ERROR(RequireNonNull(engine, "engine"));
        PIP_RETURN_IF_ERROR(RequireColumn(kind_ids, kind_id_count, "kind_ids"));
        PIP_RETURN_IF_ERROR(
            RequireColumn(record_kinds, record_count, "record_kinds"));
        PIP_RETURN_IF_ERROR(RequireColumn(event_unix_seconds, record_count,
                                          "event_unix_seconds"));
        PIP_RETURN_IF_ERROR(RequireColumn(held, record_count, "held"));
        // One snapshot: the kinds are looked up in the policy that decides.
        const std::shared_ptr<const pip::Snapshot> snapshot =
            engine->engine->snapshot();
        PIP_ASSIGN_OR_RETURN(
            std::vector<pip::RetentionKindId> kinds,
            pip::capi_internal::RecordKinds(*snapshot, kind_ids, kind_id_count,
                                            record_kinds, record_count));
        return snapshot->RetentionSweep(
            kinds, absl::MakeConstSpan(event_unix_seconds, record_count),
            absl::MakeConstSpan(held, record_count),
            absl::FromUnixSeconds(as_of_unix_seconds),
            absl::MakeSpan(due_bitmap, (record_count + 63) / 64),
            retain_until == nullptr ? absl::Span<int32_t>()
                                    : absl::MakeSpan(retain_until,
                                                     record_count));
      });
}
