// pip_sqlite.h: pip's retention decision (clause 7) as SQLite functions.
//
// After RegisterRetentionFunctions(db, engine), SQL on `db` may call
//
//   pip_retention_due(kind, event_at, holds, as_of)       -> 1 or 0
//   pip_retention_decision(kind, event_at, holds, as_of)  -> JSON text
//
// with
//   kind      TEXT, a retention kind id of the policy ("inquiry", ...);
//   event_at  TEXT, RFC 3339: the event that starts the kind's clock; NULL
//             when it has not happened (a contract that has not ended);
//   holds     NULL, or TEXT holding a JSON array of pip.v1.Hold objects
//             ({"type": "dispute", "until": RFC 3339 or null, "id": "h-1"}),
//             for example json_group_array(json_object('type', type, ...));
//   as_of     TEXT, RFC 3339: the moment of the decision.
//
// pip_retention_due is 1 when the record must be deleted at `as_of`.
// pip_retention_decision is the whole pip.v1.RetentionDueDecision in proto3
// JSON with proto field names and every field present (retain_until,
// deletion_method, clause, reasons, ...), ready for json_extract().
//
//   DELETE FROM records WHERE pip_retention_due(kind, event_at, NULL, ?1);
//
// Errors: an argument of the wrong SQL type, a time that is not RFC 3339,
// malformed holds JSON, or an error of pip::Engine::RetentionDue (an unknown
// kind or hold type, a missing event_at the kind needs) makes the calling
// SQL statement fail with a message naming the function and the argument.
// SQLite then undoes that statement; inside a transaction, roll back: an
// error never deletes anything. RegisterRetentionFunctions returns
// InternalError when SQLite refuses the registration.
//
// Lifetime: `engine` must outlive every use of the functions on `db` (close
// `db` first, or register other functions under the same names).
//
// Thread-safety: the functions may run on any thread that uses `db`; the
// Engine they call is thread-safe.
#ifndef PIP_EXAMPLES_RETENTION_SWEEPER_PIP_SQLITE_H_
#define PIP_EXAMPLES_RETENTION_SWEEPER_PIP_SQLITE_H_

#include <sqlite3.h>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "pip/engine.h"

namespace retention_sweeper {

// Registers pip_retention_due and pip_retention_decision on `db`, both
// answered by `engine`.
absl::Status RegisterRetentionFunctions(sqlite3* db, const pip::Engine* engine);

// Reads `json`, a JSON array of pip.v1.Hold objects (the functions' `holds`
// argument), into `holds`, replacing what it held. Returns
// InvalidArgumentError, naming the problem, when `json` is not such an
// array. Thread-safe.
absl::Status ParseHoldsJson(
    absl::string_view json,
    google::protobuf::RepeatedPtrField<pip::v1::Hold>* holds);

}  // namespace retention_sweeper

#endif  // PIP_EXAMPLES_RETENTION_SWEEPER_PIP_SQLITE_H_
