// sweep.h: one retention sweep (clause 7) of an SQLite database, in one
// transaction.
//
// The database has a `records` table (id, kind, subject_id, event_at) and a
// `holds` table (id, record_id, type, until); sample.sql creates one. Adapt
// kCandidatesView in sweep.cc to another schema.
//
//   absl::Status s = PrepareDatabase(db, engine);
//   absl::StatusOr<std::vector<SweptRecord>> r =
//       Sweep(db, *engine, as_of, Via::kBatch, /*dry_run=*/false);
//
// Thread-safety: use a database connection from one thread at a time.
#ifndef PIP_EXAMPLES_RETENTION_SWEEPER_SWEEP_H_
#define PIP_EXAMPLES_RETENTION_SWEEPER_SWEEP_H_

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"
#include "pip/engine.h"

namespace retention_sweeper {

// How the records are decided.
enum class Via {
  // The SQL functions of pip_sqlite.h: the report reads every record's
  // pip_retention_decision; one DELETE ... WHERE pip_retention_due(...).
  kSql,
  // pip::Snapshot::RetentionSweep: the records are read as columns and
  // decided in one call; the due ones are deleted by id.
  kBatch,
};

// One record and what the sweep decided for it.
struct SweptRecord {
  int64_t id = 0;
  std::string kind;
  std::string subject_id;
  std::string event_at;  // as stored; empty when NULL
  // Via::kSql: pip's whole decision, with its reasons. Via::kBatch: due,
  // retain_until, clause and the deletion method with its labels; the batch
  // gives no reasons.
  pip::v1::RetentionDueDecision decision;
};

// Turns foreign keys on (a deleted record takes its holds along), registers
// the SQL functions of pip_sqlite.h answered by `engine`, and creates the
// temporary view the sweep reads. InternalError with SQLite's message on
// failure. `engine` must outlive `db`.
absl::Status PrepareDatabase(sqlite3* db, const pip::Engine* engine);

// Decides every record at `as_of` and deletes the due ones, all inside one
// IMMEDIATE transaction that is committed only when every step succeeded
// and the number of rows deleted equals the number found due (rolled back
// on a dry run). Returns every record, in id order, with its decision.
// Any error rolls back, so nothing is deleted: InvalidArgumentError (with
// the record id) or the SQLite error carrying pip's message for bad data
// (an unknown kind or hold type, a missing or malformed time); an
// InternalError for a failure of SQLite.
absl::StatusOr<std::vector<SweptRecord>> Sweep(
    sqlite3* db, const pip::Engine& engine,
    const google::protobuf::Timestamp& as_of, Via via, bool dry_run);

}  // namespace retention_sweeper

#endif  // PIP_EXAMPLES_RETENTION_SWEEPER_SWEEP_H_
