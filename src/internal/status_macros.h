// Internal helpers for absl::Status propagation. Not part of the public API.
#ifndef PIP_SRC_INTERNAL_STATUS_MACROS_H_
#define PIP_SRC_INTERNAL_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define PIP_INTERNAL_CONCAT_IMPL(a, b) a##b
#define PIP_INTERNAL_CONCAT(a, b) PIP_INTERNAL_CONCAT_IMPL(a, b)

// Returns from the enclosing function if `expr` is not OK.
#define PIP_RETURN_IF_ERROR(expr)                     \
  do {                                                \
    ::absl::Status pip_status_ = (expr);              \
    if (!pip_status_.ok()) return pip_status_;        \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise assigns the value to `lhs` (which may be a declaration).
#define PIP_ASSIGN_OR_RETURN(lhs, rexpr) \
  PIP_INTERNAL_ASSIGN_OR_RETURN(         \
      PIP_INTERNAL_CONCAT(pip_statusor_, __LINE__), lhs, rexpr)

#define PIP_INTERNAL_ASSIGN_OR_RETURN(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                  \
  if (!statusor.ok()) return std::move(statusor).status();  \
  lhs = *std::move(statusor)

#endif  // PIP_SRC_INTERNAL_STATUS_MACROS_H_
